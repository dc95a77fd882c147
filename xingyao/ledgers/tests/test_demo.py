"""The ledgers on the demo township: 毛桥村's 2023 branch.3.2 derived from its closed rectification and shown with a
link on the assessment page; follow-up visits, star gaps on the ledger and an overdue warning, loaded once."""

from __future__ import annotations

import pytest
from django.test import Client

from xingyao.accounts.models import User
from xingyao.assessments.models import Assessment, IndicatorValue
from xingyao.demo.assessments import load_assessments
from xingyao.demo.ledgers import load_rectification, load_warnings
from xingyao.demo.stars import load_criteria, load_plans
from xingyao.demo.tree import load_tree
from xingyao.ledgers.models import FollowUp, Item, StarWarning
from xingyao.ledgers.workflow import Source, WarningKind

pytestmark = pytest.mark.django_db


def test_on_the_demo_maoqiao_2023_branch_3_2_is_derived_from_its_rectification_and_the_page_links_it():
    load_tree()
    load_criteria()
    load_plans()
    load_rectification()
    load_assessments()
    assessment = Assessment.objects.get(village__name="毛桥村", year=2023)
    value = IndicatorValue.objects.get(assessment=assessment, indicator__code="branch.3.2")
    assert value.indicator.data_source == "ledgers.rectification_closed" and value.derived_value is True
    client = Client()
    client.force_login(User.objects.get(username="maoqiao"))
    page = client.get(f"/assessments/{assessment.pk}/").content.decode()
    assert f"/ledgers/weak/?village={assessment.village_id}&amp;year=2023" in page

    summary = load_warnings()
    assert summary == "星级预警 1 条；毛桥村整改回访 10 次；创星短板转为整改事项 2 项", summary
    assert FollowUp.objects.filter(item__village__name="毛桥村").count() == 10
    gaps = Item.objects.filter(source=Source.STAR_GAP).order_by("id")
    assert [(i.village.name, i.state) for i in gaps] == [("孙楼村", "closed"), ("庄营村", "open")]
    overdue = StarWarning.objects.get(kind=WarningKind.OVERDUE)
    assert overdue.village.name == "庄营村" and overdue.star_code == "civility" and overdue.item == gaps[1]
    assert load_warnings() == "已存在，未改动"
