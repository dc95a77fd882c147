"""Criteria sets in the database: scoping of reads and writes, the published set a village falls under."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from xingyao.core.roles import Action
from xingyao.stars.models import CriteriaSet, Status
from xingyao.stars.queries import access_criteria_set, criteria_for, unit_kind_of


@pytest.fixture
def county_set(world) -> CriteriaSet:
    return CriteriaSet.objects.create(
        county=world.unit("新野县"), year=2023, name="2023年标准", status=Status.PUBLISHED, published_at=timezone.now()
    )


def test_village_clerk_reads_the_set_his_county_owns(world, county_set) -> None:
    assert access_criteria_set(world.user("maoqiao"), county_set.pk) == county_set
    assert list(CriteriaSet.objects.restrict(world.user("wangge"))) == [county_set]


def test_only_county_admins_may_edit_a_set(world, county_set) -> None:
    assert access_criteria_set(world.user("xian"), county_set.pk, Action.ADMIN) == county_set
    for username in ("zhen", "maoqiao", "lingdao", "xian_shenhe"):
        with pytest.raises(PermissionDenied):
            access_criteria_set(world.user(username), county_set.pk, Action.ADMIN)


def test_a_set_owned_by_a_town_is_hidden_from_the_neighbouring_town(world) -> None:
    town_set = CriteriaSet.objects.create(county=world.unit("溧河铺镇"), year=2023, name="镇标准")
    assert access_criteria_set(world.user("maoqiao"), town_set.pk) == town_set
    with pytest.raises(Http404):
        access_criteria_set(world.user("shidong"), town_set.pk)


def test_criteria_for_finds_the_published_set_of_the_villages_county(world, county_set) -> None:
    assert criteria_for(world.unit("毛桥村"), 2023) == county_set
    assert criteria_for(world.unit("毛桥村"), 2024) is None
    assert unit_kind_of(world.unit("毛桥村")) == "village"
