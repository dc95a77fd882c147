"""Quarterly inspections through their pages, the API and the database: planning a round (one per town and
quarter), scoring with bounds and four eyes, the round's states, problems turned into ledger items (linked both
ways), rankings and trends for the demo's four rounds, the 观摩评分表 and its import, metrics, query counts."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xingyao.accounts.models import Membership
from xingyao.core import metrics
from xingyao.core.actors import SYSTEM
from xingyao.core.errors import ActionError
from xingyao.core.models import AuditEntry
from xingyao.core.roles import Role
from xingyao.core.testing import every, read_table
from xingyao.inspections import actions
from xingyao.inspections.models import Problem, Round, Score, ScoreSheet, Visit
from xingyao.inspections.tests import factories as f
from xingyao.inspections.workflow import State, points, ranks
from xingyao.ledgers.models import Item
from xingyao.places.codes import Kind

pytestmark = pytest.mark.django_db


def _plan(world, **changes):  # type: ignore[no-untyped-def]
    f.sheet(world)
    data = {
        "unit": world.unit("溧河铺镇").pk,
        "year": "2023",
        "quarter": "2",
        "route": [world.unit("庄营村").pk, world.unit("毛桥村").pk],
        "starts_on": "2023-06-27",
        "ends_on": "2023-06-28",
        "team": "李建国、刘洋\n陈静",
    }
    return data | changes


def _scores(world, share=0.8, **changes):  # type: ignore[no-untyped-def]
    data = {f"item_{i.pk}": str(round(i.max_points * share * 2) / 2) for i in f.items(world)}
    extra = {"visited_on": "2023-05-10", "praise": "广场建成", "problems": "墙绘破损\n花坛缺管护", "comments": "进步大"}
    return data | extra | changes


def _errors(response) -> str:  # type: ignore[no-untyped-def]
    return response.content.decode()


# --- planning ------------------------------------------------------------------------------------------------


def test_a_town_plans_its_round_with_the_route_in_the_order_picked(world, login):
    response = login("zhen").post("/inspections/new/", _plan(world))
    assert response.status_code == 302
    rnd = every(Round).get()
    assert (rnd.year, rnd.quarter, rnd.state, rnd.team_names) == (2023, 2, State.PLANNED, ["李建国", "刘洋", "陈静"])
    route = list(every(Visit).filter(round=rnd).order_by("order").values_list("village__name", flat=True))
    assert route == ["庄营村", "毛桥村"]
    assert every(AuditEntry).get(action="inspection_round.plan").after["route"] == ["庄营村", "毛桥村"]


def test_one_round_per_town_and_quarter_is_refused_in_chinese(world, login):
    client = login("zhen")
    assert client.post("/inspections/new/", _plan(world)).status_code == 302
    response = client.post("/inspections/new/", _plan(world, starts_on="2023-06-01", ends_on="2023-06-01"))
    assert response.status_code == 400
    assert "溧河铺镇2023年第2季度已安排观摩，一个季度只组织一次" in _errors(response)
    assert every(Round).count() == 1
    assert (
        client.post(
            "/inspections/new/", _plan(world, quarter="3", starts_on="2023-09-12", ends_on="2023-09-13")
        ).status_code
        == 302
    )


def test_the_unique_constraint_backs_the_one_round_rule(world):
    from django.db import IntegrityError, transaction

    rnd = f.round_(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        Round.objects.create(unit=rnd.unit, sheet=rnd.sheet, year=2023, quarter=2, starts_on=rnd.starts_on,
                             ends_on=rnd.ends_on, team="x")  # fmt: skip


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"ends_on": "2023-06-01"}, "结束日期不能早于开始日期"),
        ({"starts_on": "2022-06-27", "ends_on": "2022-06-28"}, "开始日期应在 2023 年内"),
        ({"team": "  "}, "这个字段是必填项"),
        ({"quarter": "5"}, "选择一个有效的选项"),
    ],
)
def test_bad_rounds_are_refused_with_nothing_written(world, login, changes, message):
    response = login("zhen").post("/inspections/new/", _plan(world, **changes))
    assert response.status_code == 400 and message in _errors(response)
    assert not every(Round).exists()


def test_another_towns_village_cannot_join_the_route(world, login):
    response = login("xian").post(
        "/inspections/new/", _plan(world, route=[world.unit("毛桥村").pk, world.unit("施东村").pk])
    )
    assert response.status_code == 400 and "施东村不在溧河铺镇，不能列入它的观摩路线" in _errors(response)
    response = login("shian").post("/inspections/new/", _plan(world))
    assert response.status_code == 400 and "不在您的管辖范围内" in _errors(response)
    assert not every(Round).exists()


def test_a_round_needs_the_countys_score_sheet_of_its_year(world):
    with pytest.raises(ActionError, match="本县尚未制定 2023 年的观摩评分表"):
        actions.do_plan_round(SYSTEM, unit=world.unit("溧河铺镇"), year=2023, quarter=1, route=[world.unit("毛桥村")],
                              starts_on=dt.date(2023, 3, 1), ends_on=dt.date(2023, 3, 1), team="李建国")  # fmt: skip


# --- scoring -------------------------------------------------------------------------------------------------


def test_a_town_reviewer_scores_a_village_and_the_total_and_stars_are_computed(world, login):
    visit = f.visit(world)
    client = login("zhen_shenhe")
    response = client.post(f"/inspections/visits/{visit.pk}/score/", _scores(world, 0.8))
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.total == Decimal("80.0") and visit.scored_by == world.user("zhen_shenhe")
    assert visit.star_scores == {"branch": "24.0", "industry": "16.0", "ecology": "16.0", "safety": "12.0",
                                 "civility": "12.0"}  # fmt: skip
    assert list(visit.problems.unscoped("t").values_list("text", flat=True)) == ["墙绘破损", "花坛缺管护"]
    page = client.get(f"/inspections/visits/{visit.pk}/").content.decode()
    assert "得分：80.0 分" in page and "墙绘破损" in page and "进步大" in page


@pytest.mark.parametrize(
    ("value", "message"),
    [("10.5", "确保该值小于或等于10"), ("-1", "确保该值大于或等于0"), ("abc", "输入一个数字")],
)
def test_a_score_outside_zero_to_the_items_maximum_is_refused_on_the_page(world, login, value, message):
    visit = f.visit(world)
    first = f.items(world)[0]  # 书记履职和班子作风, 10 points
    response = login("zhen_shenhe").post(
        f"/inspections/visits/{visit.pk}/score/", _scores(world, **{f"item_{first.pk}": value})
    )
    assert response.status_code == 400 and message in _errors(response)
    assert not every(Score).exists() and every(Visit).get(pk=visit.pk).total is None


@pytest.mark.parametrize(
    ("value", "message"),
    [(11, "「书记履职和班子作风」的得分应在 0 到 10 分之间"), (-0.5, "应在 0 到 10 分之间"),
     (9.25, "最多保留一位小数")],
)  # fmt: skip
def test_the_api_refuses_scores_out_of_bounds_with_nothing_written(world, api, value, message):
    visit = f.visit(world)
    scores = {str(i.pk): i.max_points for i in f.items(world)} | {str(f.items(world)[0].pk): value}
    body = {"visited_on": "2023-05-10", "scores": scores, "comments": "点评"}
    response = api("zhen_shenhe").post(
        f"/api/v1/inspections/visits/{visit.pk}/score", body, content_type="application/json"
    )
    assert response.status_code == 400 and message in response.json()["detail"]
    assert not every(Score).exists()


def test_every_item_must_be_scored(world):
    visit = f.visit(world)
    first = f.items(world)[0]
    with pytest.raises(ActionError, match="请填写「书记履职和班子作风」的得分"):
        actions.do_score_visit(SYSTEM, visit.pk, scores={i.pk: 1 for i in f.items(world)[1:]},
                               visited_on=dt.date(2023, 5, 10), comments="点评")  # fmt: skip
    with pytest.raises(ActionError, match="评分项目不在本轮观摩的评分表中"):
        actions.do_score_visit(SYSTEM, visit.pk, scores={first.pk: 1, 10**9: 1},
                               visited_on=dt.date(2023, 5, 10), comments="点评")  # fmt: skip


def test_the_pure_bounds_and_ranks():
    assert points("7.5", "x", 10) == Decimal("7.5") and points(0, "x", 10) == 0
    for bad in ("10.1", "-1", "NaN", "Infinity", "", None, True):
        with pytest.raises(ValueError):
            points(bad, "x", 10)
    assert ranks([Decimal(90), Decimal(80), Decimal(90), None, Decimal(70)]) == [1, 3, 1, None, 4]


def test_the_village_cannot_score_its_own_visit(world, login, api):
    visit = f.visit(world)
    assert login("maoqiao").post(f"/inspections/visits/{visit.pk}/score/", _scores(world)).status_code == 403
    body = {"visited_on": "2023-05-10", "scores": {str(i.pk): 1 for i in f.items(world)}, "comments": "自评"}
    assert api("maoqiao").post(f"/api/v1/inspections/visits/{visit.pk}/score", body,
                               content_type="application/json").status_code == 403  # fmt: skip
    # A town reviewer who also serves on 毛桥村's committee is refused 毛桥村, not 庄营村.
    Membership.objects.create(user=world.user("zhen_shenhe"), unit=world.unit("毛桥村"), role=Role.VILLAGE_CLERK)
    client = login("zhen_shenhe")
    response = client.post(f"/inspections/visits/{visit.pk}/score/", _scores(world))
    assert response.status_code == 400 and "您在本村任职，不能给本村的观摩打分" in _errors(response)
    assert every(Visit).get(pk=visit.pk).total is None
    other = f.visit(world, "庄营村")
    assert client.post(f"/inspections/visits/{other.pk}/score/", _scores(world)).status_code == 302
    assert "保存评分" not in client.get(f"/inspections/visits/{visit.pk}/").content.decode()


def test_another_towns_reviewer_and_the_county_rounds_outsiders_cannot_score(world, login):
    visit = f.visit(world)
    assert login("shian").post(f"/inspections/visits/{visit.pk}/score/", _scores(world)).status_code == 404
    county_visit = f.visit(world, "毛桥村", unit="新野县", quarter=3, route=("毛桥村",))
    response = login("zhen_shenhe").post(
        f"/inspections/visits/{county_visit.pk}/score/", _scores(world, visited_on="2023-08-10")
    )
    assert response.status_code == 400 and "您不是这轮观摩的组织者或观摩组成员" in _errors(response)
    assert login("xian_shenhe").post(f"/inspections/visits/{county_visit.pk}/score/",
                                     _scores(world, visited_on="2023-08-10")).status_code == 302  # fmt: skip


def test_scoring_follows_the_rounds_states(world, login):
    rnd = f.round_(world, state=State.PLANNED)
    visits = list(every(Visit).filter(round=rnd).order_by("order"))
    town, reviewer = login("zhen"), login("zhen_shenhe")
    response = reviewer.post(f"/inspections/visits/{visits[0].pk}/score/", _scores(world))
    assert response.status_code == 400 and "这轮观摩待观摩，不能评分：须先开始评分" in _errors(response)
    assert town.post(f"/inspections/{rnd.pk}/start/").status_code == 302
    assert every(Round).get().state == State.SCORING
    assert reviewer.post(f"/inspections/visits/{visits[0].pk}/score/", _scores(world)).status_code == 302
    town.post(f"/inspections/{rnd.pk}/finish/")
    assert every(Round).get().state == State.SCORING
    assert "还有 1 个村未评分，不能结束评分" in town.get(f"/inspections/{rnd.pk}/").content.decode()
    assert reviewer.post(f"/inspections/visits/{visits[1].pk}/score/", _scores(world, 0.6)).status_code == 302
    assert town.post(f"/inspections/{rnd.pk}/finish/").status_code == 302
    assert every(Round).get().state == State.FINISHED
    assert reviewer.post(f"/inspections/{rnd.pk}/reopen/").status_code == 403  # a reviewer holds no MANAGE
    response = reviewer.post(f"/inspections/visits/{visits[1].pk}/score/", _scores(world))
    assert response.status_code == 400 and "须先重新打开评分" in _errors(response)
    assert [s.action for s in rnd.history.unscoped("t")] == ["start", "score", "score", "finish"]


# --- problems become ledger items -------------------------------------------------------------------------------


def test_problems_turn_into_ledger_items_in_one_step_and_link_both_ways(world, login):
    visit = f.score(world, f.visit(world), problems=["墙绘破损", "花坛缺管护", "台账不全"])
    chosen = list(visit.problems.unscoped("t").order_by("order"))[:2]
    client = login("zhen")
    response = client.post(
        f"/inspections/visits/{visit.pk}/items/",
        {"problem_ids": [p.pk for p in chosen], "target": "整改到位", "measure": "按点评整改", "steps": "设计、施工",
         "responsible": "毛建军", "start_on": "2023-05-15", "days": "20"},
    )  # fmt: skip
    assert response.status_code == 302
    items = list(every(Item).order_by("id"))
    assert [i.problem for i in items] == ["墙绘破损", "花坛缺管护"]
    assert all(i.source == "inspection" and i.origin == visit for i in items)
    assert items[0].origin_label == "2023年第二季度观摩 毛桥村"
    assert [p.item_id for p in every(Problem).order_by("order")] == [items[0].pk, items[1].pk, None]
    item_page = client.get(f"/ledgers/{items[0].pk}/").content.decode()
    assert f'href="/inspections/visits/{visit.pk}/"' in item_page and "2023年第二季度观摩 毛桥村" in item_page
    visit_page = client.get(f"/inspections/visits/{visit.pk}/").content.decode()
    assert f'href="/ledgers/{items[0].pk}/"' in visit_page and f'href="/ledgers/{items[1].pk}/"' in visit_page
    again = client.post(f"/inspections/visits/{visit.pk}/items/",
                        {"problem_ids": [chosen[0].pk], "target": "x", "measure": "x", "steps": "x",
                         "responsible": "x", "start_on": "2023-05-15", "days": "20"})  # fmt: skip
    assert again.status_code == 400 and every(Item).count() == 2
    audit = every(AuditEntry).get(action="inspection_visit.to_items")
    assert audit.after["problems"] == ["墙绘破损", "花坛缺管护"]


def test_a_refused_item_writes_neither_the_item_nor_the_link(world):
    visit = f.score(world, f.visit(world), problems=["墙绘破损"])
    problem = visit.problems.unscoped("t").get()
    with pytest.raises(ActionError, match="请填写责任人"):
        actions.do_problems_to_items(SYSTEM, visit.pk, problem_ids=[problem.pk], target="t", measure="m",
                                     steps="s", responsible=" ", start_on=dt.date(2023, 5, 15), days=20)  # fmt: skip
    assert not every(Item).exists() and every(Problem).get().item_id is None


def test_a_village_clerk_cannot_open_items_and_rescoring_keeps_turned_problems(world, login):
    visit = f.score(world, f.visit(world), problems=["墙绘破损", "花坛缺管护"])
    problem = visit.problems.unscoped("t").order_by("order").first()
    form = {"problem_ids": [problem.pk], "target": "t", "measure": "m", "steps": "s", "responsible": "r",
            "start_on": "2023-05-15", "days": "20"}  # fmt: skip
    assert login("maoqiao").post(f"/inspections/visits/{visit.pk}/items/", form).status_code == 403
    assert login("zhen").post(f"/inspections/visits/{visit.pk}/items/", form).status_code == 302
    login("zhen_shenhe").post(f"/inspections/visits/{visit.pk}/score/", _scores(world, problems="台账不全"))
    texts = [(p.text, p.item_id is None) for p in every(Problem).filter(visit=visit).order_by("order")]
    assert texts == [("墙绘破损", False), ("台账不全", True)]


# --- rankings, trends and the demo -------------------------------------------------------------------------------


def _chart(page: str, name: str) -> dict:  # type: ignore[type-arg]
    found = re.search(rf'<script id="{name}" type="application/json">(.*?)</script>', page, re.S)
    assert found, f"{name} missing"
    return json.loads(found.group(1))


@pytest.fixture
def demo_rounds(world):  # type: ignore[no-untyped-def]
    from xingyao.demo.inspections import load_inspections

    summary = load_inspections()
    assert summary.startswith("2023年观摩评分表 11 项；溧河铺镇观摩 4 轮，每轮 2 个村")
    assert load_inspections() == "已存在，未改动"
    return list(every(Round).order_by("quarter"))


def test_the_demo_rounds_rankings_draw_with_the_chart_data_and_the_table(world, login, demo_rounds):
    client = login("zhen")
    assert [r.state for r in demo_rounds] == [State.FINISHED] * 4
    for rnd in demo_rounds:
        page = client.get(f"/inspections/{rnd.pk}/ranking/").content.decode()
        chart = _chart(page, "ranking-data")
        visits = sorted(every(Visit).filter(round=rnd), key=lambda v: -v.total)
        assert chart["villages"] == [v.village.name for v in visits]
        assert chart["totals"] == [float(v.total) for v in visits]
        assert [s["name"] for s in chart["stars"]] == ["支部过硬", "产业兴旺", "生态宜居", "平安法治", "文明幸福"]
        for v in visits:
            assert f"{v.village.name}</a></td>\n    <td>{v.total}</td>" in page
        assert 'src="/static/inspections/charts.js"' in page and "<script>" not in page


def test_maoqiao_rises_across_the_demo_rounds_on_its_trend(world, login, demo_rounds):
    maoqiao = world.unit("毛桥村")
    page = login("zhen").get(f"/inspections/trend/?village={maoqiao.pk}&year=2023").content.decode()
    chart = _chart(page, "trend-data")
    assert chart["rounds"] == ["第1季度", "第2季度", "第3季度", "第4季度"]
    totals = chart["series"][0]["values"]
    assert chart["series"][0]["name"] == "总分" and totals == sorted(totals) and totals[0] < 65 < 85 < totals[-1]
    assert len(chart["series"]) == 6
    for t in totals:
        assert f"<td>{Decimal(str(t)).quantize(Decimal('0.1'))}</td>" in page
    town = login("zhen").get("/inspections/trend/?year=2023").content.decode()
    assert [s["name"] for s in _chart(town, "trend-data")["series"]] == ["毛桥村", "庄营村"]


def test_the_demo_turns_problems_into_closed_items_linked_to_their_visits(world, demo_rounds):
    items = list(every(Item).filter(source="inspection").order_by("id"))
    assert [i.village.name for i in items] == ["毛桥村", "毛桥村"]
    assert all(i.state == "closed" and isinstance(i.origin, Visit) for i in items)
    assert every(Problem).filter(item__isnull=False).count() == 2


def test_a_village_clerk_sees_only_his_village_on_the_ranking_and_no_rank_of_the_round(world, login):
    rnd = f.round_(world)
    for name, share in (("毛桥村", 0.6), ("庄营村", 0.9)):
        f.score(world, f.visit(world, name), share)
    page = login("maoqiao").get(f"/inspections/{rnd.pk}/ranking/").content.decode()
    assert "毛桥村" in page and "庄营村" not in page and "仅显示您辖区内的村" in page
    town = login("zhen").get(f"/inspections/{rnd.pk}/ranking/").content.decode()
    assert _chart(town, "ranking-data")["villages"] == ["庄营村", "毛桥村"]


def test_a_village_on_the_route_sees_the_round_but_not_the_other_villages_or_their_scoring_steps(world, login, api):
    rnd = f.round_(world)
    reviewer = login("zhen_shenhe")
    for name in ("毛桥村", "庄营村"):
        reviewer.post(f"/inspections/visits/{f.visit(world, name).pk}/score/", _scores(world, 0.7))
    page = login("maoqiao").get(f"/inspections/{rnd.pk}/").content.decode()
    assert "毛桥村" in page and "庄营村" not in page and "办理记录" not in page
    town = login("zhen").get(f"/inspections/{rnd.pk}/").content.decode()
    assert "庄营村" in town and "办理记录" in town
    api_route = [s["village"] for s in api("maoqiao").get(f"/api/v1/inspections/rounds/{rnd.pk}").json()["route"]]
    assert api_route == ["毛桥村"]


# --- the 观摩评分表 and its import ------------------------------------------------------------------------------


def _cells(response):  # type: ignore[no-untyped-def]
    """The score table's header and rows (below its title lines)."""
    table = read_table(response.content)
    return [table.header, *table.rows]


def test_the_score_table_has_a_column_per_item_the_total_rank_and_texts(world, login):
    rnd = f.round_(world)
    f.score(world, f.visit(world, "毛桥村"), 0.6, problems=["墙绘破损", "花坛缺管护"])
    f.score(world, f.visit(world, "庄营村"), 0.9)
    rows = _cells(login("zhen").get(f"/inspections/{rnd.pk}/scores.xlsx"))
    header = rows[0]
    assert header[:4] == ["序号", "村（社区）", "村代码", "观摩日期"]
    assert header[4] == "书记履职和班子作风（10分）" and header[-5:] == ["总分", "名次", "亮点", "问题", "点评"]
    assert [(r[1], r[-5], r[-4]) for r in rows[1:]] == [("庄营村", 90, 1), ("毛桥村", 60, 2)]
    assert rows[2][-2] == "墙绘破损\n花坛缺管护"


def _upload(world, rows):  # type: ignore[no-untyped-def]
    return SimpleUploadedFile("评分表.xlsx", f.score_table(world, f.round_(world), rows))


def test_a_filled_score_table_imports_every_village(world, login):
    rnd = f.round_(world)
    rows = [f.full_row(world, "毛桥村", 0.9, **{"问题": "墙绘破损；花坛缺管护", "亮点": "广场建成"}),
            f.full_row(world, "庄营村", 0.7)]  # fmt: skip
    response = login("zhen_shenhe").post(f"/inspections/{rnd.pk}/import/", {"file": _upload(world, rows)})
    assert response.status_code == 302
    maoqiao = every(Visit).get(village__name="毛桥村")
    assert maoqiao.total == 90 and maoqiao.praise == "广场建成" and maoqiao.visited_on == rnd.starts_on
    assert list(maoqiao.problems.unscoped("t").values_list("text", flat=True)) == ["墙绘破损", "花坛缺管护"]
    assert every(Visit).get(village__name="庄营村").total == 70
    assert every(AuditEntry).get(action="inspection_round.import").actor == world.user("zhen_shenhe")


def test_the_downloaded_score_table_filled_in_under_its_title_imports_back(world, login):
    from io import BytesIO

    from openpyxl import load_workbook

    rnd = f.round_(world)
    f.score(world, f.visit(world, "毛桥村"), 0.5)
    f.score(world, f.visit(world, "庄营村"), 0.5)
    downloaded = login("zhen").get(f"/inspections/{rnd.pk}/scores.xlsx")
    assert "spreadsheetml" in downloaded["Content-Type"]
    ws = load_workbook(BytesIO(downloaded.content)).active
    assert ws["A1"].value == f"溧河铺镇{rnd.label}观摩评分表" and ws.page_setup.orientation == "landscape"
    header = [c.value for c in ws[3]]
    for line in ws.iter_rows(min_row=4):
        filled = f.full_row(world, line[header.index("村（社区）")].value, 0.9)
        for name, value in filled.items():
            line[header.index(name)].value = value
    book = BytesIO()
    ws.parent.save(book)
    upload = SimpleUploadedFile("评分表.xlsx", book.getvalue())
    response = login("zhen_shenhe").post(f"/inspections/{rnd.pk}/import/", {"file": upload})
    assert response.status_code == 302, _errors(response)
    assert {v.total for v in every(Visit)} == {90}


def test_import_errors_name_sheet_row_and_column_and_nothing_is_written(world, login):
    rnd = f.round_(world)
    first = f.items(world)[0]
    rows = [
        f.full_row(world, "毛桥村", 0.9, **{first.header: 12}),
        f.full_row(world, "施东村", 0.9),
        f.full_row(world, "庄营村", 0.7, **{"点评": ""}),
    ]
    response = login("zhen_shenhe").post(f"/inspections/{rnd.pk}/import/", {"file": _upload(world, rows)})
    page = _errors(response)
    assert response.status_code == 400
    assert "第 2 行「书记履职和班子作风（10分）」列：「书记履职和班子作风」的得分应在 0 到 10 分之间" in page
    assert f"第 3 行「村代码」列：「{world.unit('施东村').code}」不在本轮观摩的路线上" in page
    assert "第 4 行「点评」列：请填写点评" in page
    assert "工作表「2023年第二季度观摩」" in page
    assert not every(Score).exists() and not every(Visit).filter(total__isnull=False).exists()


def test_an_import_missing_an_item_column_is_refused(world, login):
    rnd = f.round_(world)
    first = f.items(world)[0]
    row = f.full_row(world, "毛桥村")
    content = f.score_table(world, rnd, [row])
    from io import BytesIO

    from openpyxl import load_workbook

    book = load_workbook(BytesIO(content))
    ws = book.active
    ws.delete_cols([c.value for c in ws[1]].index(first.header) + 1)
    out = BytesIO()
    book.save(out)
    response = login("zhen_shenhe").post(f"/inspections/{rnd.pk}/import/",
                                         {"file": SimpleUploadedFile("表.xlsx", out.getvalue())})  # fmt: skip
    assert response.status_code == 400 and "第 1 行「书记履职和班子作风（10分）」列：缺少此列" in _errors(response)


def test_the_village_cannot_import_scores_for_itself(world, login):
    Membership.objects.create(user=world.user("zhen_shenhe"), unit=world.unit("毛桥村"), role=Role.VILLAGE_CLERK)
    rnd = f.round_(world)
    response = login("zhen_shenhe").post(f"/inspections/{rnd.pk}/import/",
                                         {"file": _upload(world, [f.full_row(world, "毛桥村")])})  # fmt: skip
    assert response.status_code == 400 and "第 2 行「村（社区）」列：您在本村任职，不能给本村的观摩打分" in _errors(
        response
    )
    upload = _upload(world, [f.full_row(world, "毛桥村")])
    assert login("maoqiao").post(f"/inspections/{rnd.pk}/import/", {"file": upload}).status_code == 403


# --- metrics ---------------------------------------------------------------------------------------------------


def _finished(world, quarter, shares):  # type: ignore[no-untyped-def]
    rnd = f.round_(world, quarter=quarter, route=tuple(shares), state=State.FINISHED)
    for name, share in shares.items():
        f.score(world, f.visit(world, name, quarter=quarter), share)
    return rnd


def test_the_latest_and_average_scores_of_finished_rounds(world):
    _finished(world, 1, {"毛桥村": 0.6, "庄营村": 0.9})
    _finished(world, 2, {"毛桥村": 0.8, "庄营村": 0.7})
    f.round_(world, quarter=3, route=("毛桥村",), state=State.SCORING)
    f.score(world, f.visit(world, quarter=3), 1.0)  # not finished: not counted yet
    reader = metrics.unscoped("a test reads every village")
    maoqiao, zhuangying, town = world.unit("毛桥村"), world.unit("庄营村"), world.unit("溧河铺镇")
    keys = ["inspections.latest_score", "inspections.average_score", "inspections.ecology_score"]
    values = reader.values(keys, [maoqiao, zhuangying, town], 2023)
    assert values[(maoqiao.pk, "inspections.latest_score")] == Decimal("80.0")
    assert values[(maoqiao.pk, "inspections.average_score")] == Decimal("70.0")
    assert values[(maoqiao.pk, "inspections.ecology_score")] == Decimal("16.0")
    assert values[(town.pk, "inspections.latest_score")] == Decimal("75.0")  # (80 + 70) / 2
    assert values[(town.pk, "inspections.average_score")] == Decimal("75.0")
    assert reader.values(keys, [maoqiao], metrics.Period.of_quarter(2023, 1))[(maoqiao.pk, keys[0])] == Decimal("60.0")
    assert reader.values(keys, [maoqiao], 2022) == {}
    url = metrics.get("inspections.latest_score").url_for(maoqiao, 2023)
    assert url == f"/inspections/trend/?village={maoqiao.pk}&year=2023"


def test_the_metric_reads_as_the_user_may(world):
    _finished(world, 1, {"毛桥村": 0.6, "庄营村": 0.9})
    town = world.unit("溧河铺镇")
    values = metrics.read_as(world.user("maoqiao")).values(["inspections.latest_score"], [town], 2023)
    assert values == {(town.pk, "inspections.latest_score"): Decimal("60.0")}


def test_ecology_3_1_takes_the_towns_inspection_score_in_the_assessment(world):
    from xingyao.assessments.tests import fixtures as af

    _finished(world, 2, {"毛桥村": 0.75})
    assessment = af.assessment(world, "毛桥村")
    assert Decimal(af.value(assessment, "ecology.3.1").derived_value) == 15


def _villages(world, rnd, count):  # type: ignore[no-untyped-def]
    start = every(Visit).filter(round=rnd).count()
    for n in range(start, start + count):
        village = world.new_unit("溧河铺镇", f"测试{n}村", Kind.VILLAGE)
        f.score(world, Visit.objects.create(round=rnd, village=village, order=10 + n), 0.5 + n / 100)
    return rnd


def test_the_metric_takes_a_fixed_number_of_queries_for_2_and_20_villages(world):
    rnd = f.round_(world, quarter=1, route=(), state=State.FINISHED)
    reader = metrics.unscoped("a test reads every village")
    counts = []
    for count in (2, 18):
        _villages(world, rnd, count)
        villages = list(every(Visit).filter(round=rnd).values_list("village", flat=True))
        units = list(world.unit("溧河铺镇").__class__.objects.unscoped("t").filter(pk__in=villages))
        with CaptureQueriesContext(connection) as queries:
            values = reader.values(["inspections.latest_score", "inspections.branch_score"], units, 2023)
        assert len(values) == 2 * len(units)
        counts.append(len(queries))
    assert counts[0] == counts[1] == 1


@pytest.mark.parametrize(
    ("path", "bound"),
    [
        # pages: one more than their own reads for the menu's unread-message badge
        ("/inspections/?year=2023", 7),
        ("/inspections/{round}/", 8),
        ("/inspections/{round}/ranking/", 7),
        ("/inspections/trend/?year=2023", 6),
        ("/api/v1/inspections/rounds", 4),
        ("/api/v1/inspections/visits", 4),
        ("/api/v1/inspections/rounds/{round}/ranking", 5),
    ],
)
def test_lists_rankings_and_trends_take_the_same_queries_for_2_and_20_villages(world, login, api, path, bound):
    rnd = f.round_(world, quarter=1, route=(), state=State.FINISHED)
    client = api("zhen") if path.startswith("/api") else login("zhen")
    url = path.format(round=rnd.pk)
    counts = []
    for count in (2, 18):
        _villages(world, rnd, count)
        client.get(url)  # the session and the user's roles are read once
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= bound, counts  # the bound is the count measured


def test_the_score_table_takes_the_same_queries_for_2_and_20_villages(world, login):
    rnd = f.round_(world, quarter=1, route=(), state=State.FINISHED)
    client = login("zhen")
    counts = []
    for count in (2, 18):
        _villages(world, rnd, count)
        client.get(f"/inspections/{rnd.pk}/scores.xlsx")
        with CaptureQueriesContext(connection) as queries:
            assert len(_cells(client.get(f"/inspections/{rnd.pk}/scores.xlsx"))) == 1 + (2 if count == 2 else 20)
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


# --- home page, sheets -------------------------------------------------------------------------------------


def test_the_home_page_counts_villages_to_score_for_the_towns_scorers_only(world, login):
    from xingyao.inspections.tasks import TASKS

    to_score = TASKS[0]
    f.round_(world)  # 毛桥村 and 庄营村, open for scoring
    assert to_score.count(world.user("zhen_shenhe")) == 2
    f.score(world, f.visit(world, "毛桥村"))
    assert to_score.count(world.user("zhen_shenhe")) == 1
    assert to_score.count(world.user("shian")) == 0 and not to_score.applies(world.user("maoqiao"))
    f.round_(world, "新野县", quarter=3, route=("毛桥村",))
    assert to_score.count(world.user("zhen_shenhe")) == 1  # the county's round is scored by the county
    assert to_score.count(world.user("xian_shenhe")) == 2
    assert "观摩点位待评分" in login("zhen_shenhe").get("/home/").content.decode()


def test_the_county_makes_its_default_sheet_once_and_towns_read_it(world, login):
    client = login("xian")
    assert client.post("/inspections/sheets/new/", {"year": "2024"}).status_code == 302
    again = client.post("/inspections/sheets/new/", {"year": "2024"}, follow=True)
    assert "新野县2024年的观摩评分表已制定" in again.content.decode()
    text = login("maoqiao").get(f"/inspections/sheets/{every(ScoreSheet).get().pk}/").content.decode()
    assert "支部过硬（30 分）" in text and "游园广场、花坛、墙绘建设" in text and "<td>100</td>" in text
    assert login("zhen").post("/inspections/sheets/new/", {"year": "2025"}).status_code == 403
