"""Investment projects through their pages, the API and the database: registering, the pipeline's steps,
milestones and follow-ups, bad input, the county's view of every town, the figures and the home-page task."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from xingyao.core import metrics
from xingyao.core.models import AuditEntry
from xingyao.core.testing import every
from xingyao.economy.models import FollowUp, Milestone, MilestonePhoto, Project, ProjectStep
from xingyao.economy.tests import factories as f
from xingyao.economy.workflow import Stage

pytestmark = pytest.mark.django_db


def _form(world, **changes):  # type: ignore[no-untyped-def]
    data = {
        "town": world.unit("溧河铺镇").pk,
        "village": world.unit("毛桥村").pk,
        "name": "光伏组件项目",
        "investor": "某新能源公司",
        "sector": "新能源",
        "amount": "8000",
        "land_mu": "50",
        "jobs": "120",
        "leader": "镇长 张明",
        "registered_on": "2023-03-01",
    }
    return data | changes


def _json(world, **changes):  # type: ignore[no-untyped-def]
    data = {
        "town_code": world.unit("溧河铺镇").code,
        "village_code": world.unit("毛桥村").code,
        "name": "光伏组件项目",
        "investor": "某新能源公司",
        "sector": "新能源",
        "amount": 8000,
        "land_mu": 50,
        "jobs": 120,
        "leader": "镇长 张明",
        "registered_on": "2023-03-01",
    }
    return data | changes


def test_the_town_registers_a_lead_and_takes_it_to_production_with_milestones_and_photos(world, login):
    client = login("zhen")
    response = client.post("/economy/new/", _form(world))
    assert response.status_code == 302
    project = every(Project).get()
    assert (project.stage, project.follow_up_due) == (Stage.LEAD, dt.date(2023, 3, 8))
    url = f"/economy/{project.pk}/advance/"
    for move, day in [("negotiate", "2023-03-10"), ("sign", "2023-05-01"), ("start", "2023-06-01")]:
        assert client.post(url, {"move": move, "acted_on": day, "photos": f.photo()}).status_code == 302
    assert client.post(url, {"move": "produce", "acted_on": "2023-12-01", "title": "一期投产"}).status_code == 302
    project.refresh_from_db()
    assert project.stage == Stage.PRODUCING and project.signed_on == dt.date(2023, 5, 1)
    assert project.follow_up_due is None  # in production: no more weekly follow-ups
    assert [m.title for m in every(Milestone).order_by("acted_on")][-1] == "一期投产"
    assert every(MilestonePhoto).count() == 3
    assert [s.action for s in every(ProjectStep).order_by("at", "id")] == [
        "register", "negotiate", "sign", "start", "produce",
    ]  # fmt: skip
    page = client.get(f"/economy/{project.pk}/").content.decode()
    assert "一期投产" in page and "投产" in page and "录入于" in page
    assert every(AuditEntry).filter(action="project.advance").count() == 4


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"amount": "-5"}, "计划投资"),
        ({"land_mu": "1000000"}, "超过单个项目用地上限"),
        ({"registered_on": "2999-01-01"}, "登记日期不能晚于今天"),
        ({"name": "光伏\x07项目"}, "项目名称含有不可见的控制字符"),
        ({"village": "", "town": ""}, "必填"),
    ],
)
def test_bad_projects_are_refused_in_chinese_with_nothing_written(world, login, changes, message):
    response = login("zhen").post("/economy/new/", _form(world, **changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not every(Project).exists() and not every(AuditEntry).filter(action="project.register").exists()


def test_a_duplicate_name_in_one_town_is_refused_but_another_town_may_use_it(world, login, api):
    f.project(world, name="光伏组件项目")
    page = login("zhen").post("/economy/new/", _form(world))
    assert page.status_code == 400 and "溧河铺镇已有名为「光伏组件项目」的招商项目" in page.content.decode()
    response = api("zhen").post("/api/v1/economy/projects", _json(world), content_type="application/json")
    assert response.status_code == 400 and "已有名为「光伏组件项目」" in response.json()["detail"]
    assert every(Project).count() == 1
    other = {"town": world.unit("施庵镇").pk, "village": world.unit("施东村").pk}
    assert login("shian").post("/economy/new/", _form(world, **other)).status_code == 302
    assert every(Project).count() == 2


def test_the_database_refuses_a_duplicate_name_in_one_town_too(world):
    twin = f.project(world, name="光伏组件项目")
    twin.pk, twin.village = None, None  # the same name in the same town, written straight to the database
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()


def test_a_milestone_or_follow_up_dated_before_the_projects_entry_is_refused(world, login):
    project = f.project(world, registered_on=dt.date(2023, 3, 1))
    client = login("zhen")
    response = client.post(f"/economy/{project.pk}/milestone/", {"title": "土地摘牌", "acted_on": "2023-02-20"})
    assert response.status_code == 400
    assert "节点日期（2023-02-20）不能早于项目登记日期（2023-03-01）" in response.content.decode()
    response = client.post(f"/economy/{project.pk}/follow-up/", {"acted_on": "2023-02-27", "note": "接洽"})
    assert response.status_code == 400 and "跟进日期（2023-02-27）不能早于项目登记日期" in response.content.decode()
    response = client.post(f"/economy/{project.pk}/advance/", {"move": "sign", "acted_on": "2023-01-05"})
    assert response.status_code == 400 and "签约日期（2023-01-05）不能早于项目登记日期" in response.content.decode()
    assert not every(Milestone).exists() and not every(FollowUp).exists()
    assert every(Project).get().stage == Stage.LEAD


def test_the_pipeline_refuses_a_step_out_of_order_and_a_drop_without_reason(world, login, api):
    project = f.project(world)
    client = login("zhen")
    response = client.post(f"/economy/{project.pk}/advance/", {"move": "produce", "acted_on": "2023-05-01"})
    assert response.status_code == 400 and "项目目前处于线索阶段，不能投产" in response.content.decode()
    response = api("zhen").post(
        f"/api/v1/economy/projects/{project.pk}/advance",
        {"move": "drop", "acted_on": "2023-05-01"},
        content_type="application/json",
    )
    assert response.status_code == 400 and response.json()["detail"] == "终止项目请填写原因"
    assert every(Project).get().stage == Stage.LEAD


def test_a_village_clerk_sees_the_project_in_his_village_but_cannot_move_it(world, login):
    project = f.project(world, village="毛桥村")
    client = login("maoqiao")
    assert client.get(f"/economy/{project.pk}/").status_code == 200
    assert client.post(f"/economy/{project.pk}/advance/", {"move": "sign", "acted_on": "2023-05-01"}).status_code == 403
    assert login("zhuangying").get(f"/economy/{project.pk}/").status_code == 404


def test_the_county_sees_every_towns_pipeline(world, login):
    f.project(world, "溧河铺镇", name="甲项目", stage=Stage.SIGNED, signed_on=dt.date(2023, 5, 1))
    f.project(world, "施庵镇", village="施东村", name="乙项目", stage=Stage.NEGOTIATING)
    county = login("xian").get("/economy/").content.decode()
    assert "甲项目" in county and "乙项目" in county
    assert "各乡镇项目情况" in county and county.count("?unit=4113291") >= 2
    town = login("zhen").get("/economy/").content.decode()
    assert "甲项目" in town and "乙项目" not in town


def test_adding_a_project_through_the_api_moves_the_towns_and_villages_figures(world, api):
    reader = metrics.unscoped("a test reads the figures")
    town, village = world.unit("溧河铺镇"), world.unit("毛桥村")
    key = "economy.projects_introduced"
    assert reader.compute(key, [town, village], 2023) == {town.pk: 0, village.pk: 0}
    client = api("zhen")
    created = client.post("/api/v1/economy/projects", _json(world), content_type="application/json").json()
    assert reader.compute("economy.projects_introduced", [town], 2023) == {town.pk: 0}  # a lead is not introduced
    client.post(
        f"/api/v1/economy/projects/{created['id']}/advance",
        {"move": "sign", "acted_on": "2023-06-01"},
        content_type="application/json",
    )
    assert reader.compute(key, [town, village], 2023) == {town.pk: 1, village.pk: 1}
    assert reader.compute("economy.projects_amount", [town], 2023)[town.pk] == 8000
    assert reader.compute("economy.projects_jobs", [town], 2023)[town.pk] == 120
    assert reader.compute(key, [town], 2022) == {town.pk: 0}  # signed in 2023


def test_a_towns_own_project_without_a_village_counts_for_the_town_and_county_only(world):
    reader = metrics.unscoped("a test reads the figures")
    f.project(world, village=None, name="园区项目", stage=Stage.STARTED, signed_on=dt.date(2023, 2, 1))
    f.project(world, "施庵镇", village=None, name="外镇项目", stage=Stage.NEGOTIATING)
    units = [world.unit(n) for n in ("新野县", "溧河铺镇", "施庵镇", "毛桥村")]
    county, town, other, village = units
    assert reader.compute("economy.projects_introduced", units, 2023) == {
        county.pk: 1, town.pk: 1, other.pk: 0, village.pk: 0,
    }  # fmt: skip
    assert reader.compute("economy.projects_negotiating", units, 2023)[county.pk] == 1


def test_the_figures_take_the_same_queries_for_one_village_or_many(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for n, name in enumerate(("毛桥村", "庄营村", "施东村")):
        town = "施庵镇" if name == "施东村" else "溧河铺镇"
        f.project(world, town, village=name, name=f"项目{n}", stage=Stage.SIGNED, signed_on=dt.date(2023, 4, 1))
        f.area(world, name, name=f"产业{n}")
        f.income(world, name)
        f.income(world, name, year=2022)
    reader = metrics.unscoped("a test reads every village")
    keys = [m.key for m in metrics.all_metrics() if m.key.startswith("economy.") and "request" not in m.key]
    villages = [world.unit(n) for n in ("毛桥村", "庄营村", "施东村")]
    with CaptureQueriesContext(connection) as one:
        reader.values(keys, villages[:1], 2023)
    with CaptureQueriesContext(connection) as many:
        found = reader.values(keys, villages, 2023)
    assert len(one) == len(many) == 3  # one query per tally: projects, industries, income
    with CaptureQueriesContext(connection) as towns:
        reader.values(keys, [world.unit("溧河铺镇"), world.unit("施庵镇"), world.unit("新野县")], 2023)
    assert len(towns) == 3 + 2  # and the villages (and towns) of the units asked about
    assert found[(villages[2].pk, "economy.projects_introduced")] == 1


def test_the_project_list_takes_a_fixed_number_of_queries(world, login, django_assert_max_num_queries):
    for n in range(25):
        f.project(world, name=f"项目{n}", village="毛桥村" if n % 2 else None)
    client = login("xian")
    with django_assert_max_num_queries(12):
        page = client.get("/economy/")
    assert page.content.decode().count("某投资公司") == 25


def test_a_bad_filter_is_a_chinese_400(world, login):
    response = login("zhen").get("/economy/?stage=flying")
    assert response.status_code == 400 and "阶段" in response.content.decode()
    response = login("zhen").get("/economy/?signed_since=2023-13-01")
    assert response.status_code == 400


def test_the_town_is_reminded_of_follow_ups_due(world, login):
    project = f.project(world, follow_up_due=dt.date(2023, 3, 8))
    home = login("zhen").get("/home/").content.decode()
    assert "招商项目待周跟进" in home
    listed = login("zhen").get("/economy/?due=1").content.decode()
    assert project.name in listed
    Project.objects.filter(pk=project.pk).update(follow_up_due=None)
    assert "招商项目待周跟进" not in login("zhen").get("/home/").content.decode()


def test_the_ledger_exports_what_the_list_shows(world, login):
    from openpyxl import load_workbook

    f.project(world, name="导出项目", stage=Stage.SIGNED, signed_on=dt.date(2023, 5, 1))
    response = login("zhen").get("/economy/ledger.xlsx")
    sheet = load_workbook(filename=__import__("io").BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][1:4] == ("项目名称", "乡镇代码", "乡镇") and rows[1][1] == "导出项目" and "签约" in rows[1]
