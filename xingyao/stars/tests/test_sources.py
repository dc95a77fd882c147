"""The data-source registry and derived values for many villages at once."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest

from xingyao.places.codes import Kind
from xingyao.places.models import Unit
from xingyao.stars import sources
from xingyao.stars.tests.fixtures import published_set


def _households(ids: list[int], year: int) -> dict[int, Decimal]:
    return {pk: Decimal(n or 0) for pk, n in Unit.objects.filter(pk__in=ids).values_list("pk", "households")}


def _grids(ids: list[int], year: int) -> dict[int, int]:
    parents = Unit.objects.filter(parent_id__in=ids, kind=Kind.GRID).values_list("parent_id", flat=True)
    counts = dict.fromkeys(ids, 0)
    for parent in parents:
        counts[parent] += 1
    return counts


@pytest.fixture
def no_sources(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """An empty registry for the test, whatever the installed apps registered; restored afterwards."""
    monkeypatch.setattr(sources, "_registry", {})


@pytest.fixture
def two_sources(no_sources) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """Stand-ins for the disputes and grid apps' sources: one query each, however many villages."""
    sources.register_source("disputes.success_rate", "调处成功率", "%", _households)
    sources.register_source(
        "grid.events_closed_on_time_rate", "按时办结率", "%", _grids, records_url=lambda v, y: f"/grid/{v.code}/{y}/"
    )
    yield


def _villages(world, n: int) -> list[int]:  # type: ignore[no-untyped-def]
    town = world.unit("溧河铺镇")
    for i in range(n):
        Unit.objects.get_or_create(
            code=f"{town.code[:9]}{300 + i}", defaults={"name": f"测试{i}村", "kind": Kind.VILLAGE, "parent": town}
        )
    return list(Unit.objects.filter(kind=Kind.VILLAGE).values_list("pk", flat=True))


def test_derived_values_take_a_constant_number_of_queries_however_many_villages(
    world, two_sources, django_assert_num_queries
) -> None:
    criteria_set = published_set(world)
    few = _villages(world, 0)
    many = _villages(world, 30)
    # One query for the set's bindings, then one per registered source.
    with django_assert_num_queries(3):
        small = sources.derived_values(criteria_set, few, 2023)
    with django_assert_num_queries(3):
        large = sources.derived_values(criteria_set, many, 2023)
    maoqiao = world.unit("毛桥村").pk
    assert small[(maoqiao, "safety.2.1")] == 1  # 毛桥村第1网格
    assert large[(maoqiao, "safety.1.1")] == Decimal(0)
    assert {code for _, code in large} == {"safety.1.1", "safety.2.1"}
    assert len(large) == 2 * len(many)


def test_unregistered_keys_are_left_out_rather_than_failing(world, no_sources) -> None:
    criteria_set = published_set(world)
    assert sources.derived_values(criteria_set, [world.unit("毛桥村").pk], 2023) == {}
    assert sources.get_source("economy.projects_introduced") is None


def test_a_source_links_to_the_records_behind_its_value(world, two_sources) -> None:
    source = sources.get_source("grid.events_closed_on_time_rate")
    assert source is not None and source.app == "grid"
    assert source.url_for(world.unit("毛桥村"), 2023) == f"/grid/{world.unit('毛桥村').code}/2023/"
    assert sources.get_source("disputes.success_rate").url_for(world.unit("毛桥村"), 2023) is None  # type: ignore[union-attr]


def test_a_source_key_must_name_its_app_and_figure(no_sources) -> None:
    with pytest.raises(ValueError, match="格式应为"):
        sources.register_source("success rate", "成功率", "%", _households)


def test_the_api_lists_registered_sources(world, api, two_sources) -> None:
    keys = [s["key"] for s in api("maoqiao").get("/api/v1/sources").json()]
    assert keys == ["disputes.success_rate", "grid.events_closed_on_time_rate"]
