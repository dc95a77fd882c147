"""The dashboards: figures from the metrics registry as the user may read them, live, linked to their records, in a
fixed number of queries however many villages a town has, in Chinese only."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from xingyao.assessments.models import Assessment, StarAward
from xingyao.assessments.workflow import State as AssessmentState
from xingyao.core import metrics
from xingyao.core.testing import every
from xingyao.disputes.models import Dispute
from xingyao.grid.models import Event
from xingyao.grid.tests import factories as f
from xingyao.grid.workflow import State
from xingyao.places.codes import Kind
from xingyao.places.models import Unit
from xingyao.reports.tests.routes import SQUARE, reported
from xingyao.stars.models import StarPlan
from xingyao.stars.tests.fixtures import published_set

YEAR = timezone.localdate().year


def board(unit: Unit, year: int = YEAR) -> str:
    return f"/reports/{unit.code}/{year}/"


def visible_text(response) -> str:  # type: ignore[no-untyped-def]
    """What a reader sees: the page's text without scripts, tags or the embedded chart data."""
    body = re.sub(r"<script.*?</script>", " ", response.content.decode(), flags=re.S)
    body = re.sub(r"<[^>]+>", " ", body)
    return re.sub(r"\s+", " ", html.unescape(body))


def chart_data(response) -> dict:  # type: ignore[no-untyped-def]
    found = re.search(r'<script id="dashboard-data" type="application/json">(.*?)</script>', response.content.decode())
    assert found
    return json.loads(found.group(1))


def chart(response, title: str) -> dict:  # type: ignore[no-untyped-def]
    return next(c for c in chart_data(response)["charts"] if c["title"] == title)


# --- live figures and their records -------------------------------------------------------------------------


def test_a_saved_event_is_on_the_town_dashboard_at_the_next_load(world, login):
    client = login("zhen")
    before = reported(client.get(board(world.unit("溧河铺镇"))))
    f.event(world, title="路灯损坏")
    assert reported(client.get(board(world.unit("溧河铺镇")))) == before + 1


def test_a_dispute_registered_through_the_api_is_counted_at_the_next_load(world, login, api):
    client = login("zhen")
    page = client.get(board(world.unit("溧河铺镇")))
    assert "矛盾纠纷受理件数" in visible_text(page)
    f.dispute(world, received_on=timezone.localdate())
    after = visible_text(client.get(board(world.unit("溧河铺镇"))))
    assert re.search(r"1 件 矛盾纠纷受理件数", after)


def test_every_figure_links_to_the_filtered_list_of_its_records(world, login):
    f.event(world, title="井盖缺失")
    response = login("zhen").get(board(world.unit("溧河铺镇")))
    content = response.content.decode()
    town = world.unit("溧河铺镇")
    link = f'href="/grid/?tab=all&amp;unit={town.code}&amp;since={YEAR}-01-01&amp;until={YEAR}-12-31"'
    assert link in content
    # the figures with no link are none: every card is an <a>
    assert 'class="card stat figure"' in content
    assert '<div class="card stat figure">' not in content
    listed = login("zhen").get(html.unescape(link[6:-1]))
    assert "井盖缺失" in listed.content.decode()


def test_each_bucket_of_a_chart_links_to_its_records(world, login):
    event = f.event(world, title="违章搭建")
    response = login("zhen").get(board(world.unit("溧河铺镇")))
    months = chart(response, "网格事件逐月上报")
    assert months["labels"] == [f"{m}月" for m in range(1, 13)]
    month = timezone.localtime(event.reported_at).month
    assert months["values"][month - 1] == 1
    url = months["urls"][month - 1]
    assert f"since={YEAR}-{month:02d}-01" in url
    assert "违章搭建" in login("zhen").get(url).content.decode()
    categories = chart(response, "网格事件分类统计")
    assert categories["values"] == [1]
    assert "违章搭建" in login("zhen").get(categories["urls"][0]).content.decode()


def test_a_breakdown_sums_a_towns_villages_bucket_by_bucket(world):
    f.event(world, unit="毛桥村第1网格")
    f.event(world, unit="庄营村第1网格")
    f.event(world, unit="庄营村第1网格", duplicate_of=f.event(world, unit="庄营村第1网格"))  # duplicates aside
    reader = metrics.read_as(world.user("zhen"))
    found = reader.breakdown("grid.events_by_category", [world.unit("溧河铺镇"), world.unit("毛桥村")], YEAR)
    assert [value for _, value in found[world.unit("溧河铺镇").pk]] == [3]
    assert [value for _, value in found[world.unit("毛桥村").pk]] == [1]
    assert (
        metrics.read_as(world.user("shian")).breakdown("grid.events_by_category", [world.unit("溧河铺镇")], YEAR)[
            world.unit("溧河铺镇").pk
        ]
        == []
    )


def test_a_breakdown_key_may_not_repeat_a_metric(world):
    with pytest.raises(ValueError, match="已是一个指标"):
        metrics.register_breakdown("grid.events_reported", "重复", "件", metrics.ValueKind.COUNT, lambda r, v, p: {})


# --- stars, targets and rankings ------------------------------------------------------------------------------


def _result(world, village: str, year: int, stars: int, points: str, passed: list[str]) -> Assessment:  # type: ignore[no-untyped-def]
    criteria = published_set(world, year)
    return Assessment.objects.create(
        village=world.unit(village), year=year, criteria_set=criteria, state=AssessmentState.COUNTY_APPROVED,
        star_count=stars, points=Decimal(points), passed_stars=passed,
    )  # fmt: skip


def test_the_town_ranks_its_villages_with_the_change_on_last_year(world, login):
    _result(world, "毛桥村", 2023, 3, "80", ["branch", "industry", "ecology"])
    _result(world, "庄营村", 2023, 2, "70", ["branch", "industry"])
    _result(world, "毛桥村", 2022, 1, "60", ["branch"])
    response = login("zhen").get(board(world.unit("溧河铺镇"), 2023))
    cell = r"\s*<td>(.*?)</td>"
    row = rf"<tr>\s*<td><a [^>]*>(.*?)</a></td>{cell}.*?<td>(.*?)</td>{cell}{cell}"
    shown = {name: (rank, change) for name, rank, _, _, change in re.findall(row, response.content.decode(), re.S)}
    assert shown["毛桥村"] == ("1", "+2")
    assert shown["庄营村"] == ("2", "—")
    levels = chart(response, "各星级村数")
    assert levels["values"] == [0, 0, 1, 1, 0, 0]
    passes = chart(response, "分星达标率")
    assert passes["labels"][0] == "支部过硬星" and passes["values"][0] == 100
    assert passes["values"][2] == 50


def test_targets_are_set_against_the_stars_held(world, login):
    a = _result(world, "毛桥村", 2023, 1, "60", ["branch"])
    a.state = AssessmentState.AWARDED
    a.save()
    StarAward.objects.create(village=world.unit("毛桥村"), year=2023, star_code="branch", star_name="支部过硬星",
                             assessment=a)  # fmt: skip
    for code in ("branch", "industry"):
        StarPlan.objects.create(village=world.unit("毛桥村"), year=2023, star_code=code, measures="整改",
                                responsible="王书记", deadline=dt.date(2023, 11, 30))  # fmt: skip
    text = visible_text(login("zhen").get(board(world.unit("溧河铺镇"), 2023)))
    assert "2 颗 创星计划目标星数" in text
    assert "1 颗 创星目标已实现" in text
    assert "50 % 创星目标实现率" in text


# --- scope and bad input --------------------------------------------------------------------------------------


def test_another_towns_user_gets_404_for_the_town_and_its_villages(world, login):
    client = login("shian")
    assert client.get(board(world.unit("溧河铺镇"))).status_code == 404
    assert client.get(board(world.unit("毛桥村"))).status_code == 404
    assert login("zhen").get(board(world.unit("新野县"))).status_code == 404


@pytest.mark.parametrize(
    ("path", "status"),
    [("/reports/411329107000/1999/", 404), ("/reports/411329107000/2101/", 404),
     ("/reports/411329107000/20x3/", 404), ("/reports/999999999999/2023/", 404),
     ("/reports/411329107000B01/2023/", 404), ("/reports/411329107000001/2023/", 404),
     ("/reports/%00/2023/", 400)],
)  # fmt: skip
def test_a_bad_year_or_code_is_refused_in_chinese_never_a_500(world, login, path, status):
    response = login("xian").get(path)
    assert response.status_code == status
    assert re.search(r"[\u4e00-\u9fff]{4}", visible_text(response))


def test_a_bad_map_choice_is_a_400_in_chinese(world, login):
    response = login("zhen").get(board(world.unit("溧河铺镇")) + "?map=heat")
    assert response.status_code == 400
    assert "地图着色" in response.content.decode()


def test_the_page_shows_chinese_only(world, login):
    f.event(world)
    _result(world, "毛桥村", YEAR, 2, "75.5", ["branch", "industry"])
    for username, unit in [("xian", "新野县"), ("zhen", "溧河铺镇"), ("maoqiao", "毛桥村")]:
        text = visible_text(login(username).get(board(world.unit(unit))))
        assert not re.search(r"[a-z]+\.[a-z_]+|None|True|False|\bnan\b", text), (username, text)


def test_the_menu_takes_each_role_to_its_own_units_dashboard(world, login):
    for username, unit in [("xian", "新野县"), ("zhen", "溧河铺镇"), ("maoqiao", "毛桥村")]:
        response = login(username).get("/reports/")
        assert response.status_code == 302
        assert response["Location"] == board(world.unit(unit))
    assert "数据看板" in login("zhen").get("/home/").content.decode()


def test_the_map_draws_boundaries_or_says_there_are_none(world, login):
    client = login("zhen")
    assert "还没有录入村界" in visible_text(client.get(board(world.unit("溧河铺镇"))))
    maoqiao = world.unit("毛桥村")
    maoqiao.geometry = SQUARE
    maoqiao.save()
    response = client.get(board(world.unit("溧河铺镇")))
    assert 'id="dash-map"' in response.content.decode()
    assert [v["name"] for v in chart_data(response)["map"]["villages"]] == ["毛桥村"]
    assert chart_data(response)["map"]["tiles"] == ""


def test_a_configured_tile_service_is_allowed_for_images_only(world, login, settings):
    settings.XINGYAO_MAP_TILES = "https://t{s}.tianditu.gov.cn/vec_w/wmts?TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=k"
    response = login("zhen").get(board(world.unit("溧河铺镇")))
    policy = response["Content-Security-Policy"]
    assert "img-src 'self' data: blob: https://*.tianditu.gov.cn" in policy
    assert "script-src 'self';" in policy
    assert chart_data(response)["map"]["tiles"].startswith("https://t{s}.tianditu.gov.cn/")


# --- queries: constant in the number of villages ---------------------------------------------------------------


def _town(world, name: str, code: str, villages: int) -> Unit:  # type: ignore[no-untyped-def]
    """A town of `villages` villages, each with a boundary, a grid, events, a dispute, a result, an award, a plan."""
    town = Unit.objects.create(code=code, name=name, kind=Kind.TOWN, parent=world.unit("新野县"))
    world.units[name] = town
    criteria = published_set(world, YEAR)
    for n in range(villages):
        village = world.new_unit(name, f"{name}{n}村", Kind.VILLAGE)
        village.geometry = SQUARE
        village.save()
        grid = world.new_unit(village.name, f"{village.name}第1网格")
        f.event(world, unit=grid.name)
        f.event(world, unit=grid.name, state=State.CLOSED, department="溧河铺派出所")
        f.dispute(world, village=village.name, received_on=timezone.localdate())
        result = Assessment.objects.create(village=village, year=YEAR, criteria_set=criteria,
                                           state=AssessmentState.AWARDED, star_count=1, points=70,
                                           passed_stars=["branch"])  # fmt: skip
        StarAward.objects.create(village=village, year=YEAR, star_code="branch", star_name="支部过硬星",
                                 assessment=result)  # fmt: skip
        StarPlan.objects.create(village=village, year=YEAR, star_code="branch", measures="整改", responsible="书记",
                                deadline=timezone.localdate())  # fmt: skip
    return town


def _queries(client, path: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


QUERY_BOUND = 45


def test_a_town_dashboard_takes_the_same_queries_for_3_and_30_villages(world, login, django_assert_max_num_queries):
    small = _town(world, "三村镇", "411329120000", 3)
    large = _town(world, "卅村镇", "411329121000", 30)
    client = login("xian")
    client.get(board(small))  # warm the session and the user's roles
    assert _queries(client, board(small)) == _queries(client, board(large))
    with django_assert_max_num_queries(QUERY_BOUND):
        response = client.get(board(large))
    assert reported(response) == 60
    assert len(chart_data(response)["map"]["villages"]) == 30


def test_a_county_dashboard_takes_the_same_queries_whatever_its_villages(world, login, django_assert_max_num_queries):
    _town(world, "三村镇", "411329120000", 3)
    client = login("xian")
    client.get(board(world.unit("新野县")))
    before = _queries(client, board(world.unit("新野县")))
    _town(world, "卅村镇", "411329121000", 30)
    assert _queries(client, board(world.unit("新野县"))) == before
    with django_assert_max_num_queries(QUERY_BOUND + 5):
        client.get(board(world.unit("新野县")))


def test_the_dashboard_counts_nothing_the_reader_may_not_see(world, login):
    """The county's figures count both towns; the town's only its own (every record read through restrict)."""
    f.event(world, unit="毛桥村第1网格")
    f.event(world, unit=world.new_unit("施东村", "施东村第1网格").name)
    assert reported(login("xian").get(board(world.unit("新野县")))) == 2
    assert reported(login("zhen").get(board(world.unit("溧河铺镇")))) == 1
    assert every(Event).count() == 2
    assert every(Dispute).count() == 0
