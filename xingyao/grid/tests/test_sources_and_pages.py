import datetime as dt
import json
from decimal import Decimal

from django.utils import timezone

from xingyao.disputes import sources as dispute_sources
from xingyao.grid.models import EventCategory
from xingyao.grid.sources import events_closed_on_time_rate
from xingyao.grid.tests import factories as f
from xingyao.grid.workflow import State
from xingyao.stars.sources import get_source

YEAR_START = timezone.make_aware(dt.datetime(2023, 3, 1, 9))


def test_closed_on_time_rate_counts_feedback_by_the_deadline_in_one_query(world, django_assert_num_queries):
    for hours in (5, 5, 5):
        f.event(
            world, state=State.CLOSED, department="溧河铺派出所", reported_at=YEAR_START + dt.timedelta(hours=hours)
        )
    late = f.event(world, state=State.CLOSED, department="溧河铺派出所", reported_at=YEAR_START)
    late.feedback_at = late.due_at + dt.timedelta(days=2)
    late.save()
    f.event(world, state=State.HANDLING, reported_at=YEAR_START)  # not closed: not counted
    ids = [world.unit("毛桥村").pk, world.unit("庄营村").pk]
    with django_assert_num_queries(1):
        rates = events_closed_on_time_rate(ids, 2023)
    assert rates == {ids[0]: Decimal("75.0"), ids[1]: None}


def test_three_zeros_come_from_event_categories_and_petitioning_disputes(world, django_assert_num_queries):
    f.event(world, state=State.CLOSED, category="DLJT-SW", reported_at=YEAR_START, title="交通伤亡事故")
    f.event(world, unit="庄营村第1网格", category="ZAYH-XS", reported_at=YEAR_START, title="盗窃案")
    f.dispute(
        world,
        village="庄营村",
        status="closed",
        outcome="failed",
        received_on=dt.date(2023, 4, 1),
        petition_beyond_village=True,
    )
    f.event(world, category="DLJT-SW", reported_at=YEAR_START.replace(year=2022), title="上一年的事故")
    ids = [world.unit("毛桥村").pk, world.unit("庄营村").pk]
    with django_assert_num_queries(2):
        counts = dispute_sources.zero_counts(ids, 2023)
    assert counts == {ids[0]: (0, 1, 0), ids[1]: (1, 0, 1)}
    assert dispute_sources.zero_accidents(ids, 2023) == {ids[0]: False, ids[1]: True}
    assert dispute_sources.zero_petitions(ids, 2023) == {ids[0]: True, ids[1]: False}
    assert dispute_sources.zero_cases(ids, 2023) == {ids[0]: True, ids[1]: False}


def test_dispute_sources_count_success_and_pre_litigation_per_village(world, django_assert_num_queries):
    day = dt.date(2023, 5, 1)
    f.dispute(world, status="closed", outcome="mediated", received_on=day)
    f.dispute(world, status="closed", outcome="pre_litigation", received_on=day)
    f.dispute(world, status="closed", outcome="failed", received_on=day)
    ids = [world.unit("毛桥村").pk, world.unit("庄营村").pk]
    with django_assert_num_queries(1):
        rates = dispute_sources.success_rate(ids, 2023)
    assert rates == {ids[0]: Decimal("66.7"), ids[1]: None}
    assert dispute_sources.pre_litigation_count(ids, 2023) == {ids[0]: 1, ids[1]: 0}


def test_the_sources_are_registered_with_the_stars_registry():
    for key in (
        "grid.events_closed_on_time_rate",
        "disputes.success_rate",
        "disputes.pre_litigation_count",
        "safety.zero_petitions",
        "safety.zero_accidents",
        "safety.zero_cases",
    ):
        assert get_source(key) is not None, key


def test_town_map_draws_village_geometry_and_event_points(world, login):
    village = world.unit("毛桥村")
    village.geometry = {
        "type": "Polygon",
        "coordinates": [[[112.3, 32.5], [112.31, 32.5], [112.31, 32.51], [112.3, 32.5]]],
    }
    village.save()
    f.event(world, latitude=Decimal("32.505"), longitude=Decimal("112.305"), title="<b>路灯</b>")
    response = login("zhen").get("/grid/map/")
    page = response.content.decode()
    assert 'src="/static/grid/map.js"' in page and "<script>" not in page.replace('<script src="', "")
    data = json.loads(page.split('id="map-data" type="application/json">')[1].split("</script>")[0])
    assert data["geo"]["features"][0]["properties"]["name"] == "毛桥村"
    assert data["points"][0]["value"] == [112.305, 32.505]
    assert (
        "<b>" not in page.split('id="map-data" type="application/json">')[1].split("</script>")[0]
    )  # json_script escapes markup


def test_county_admin_adds_a_third_level_category_and_the_code_stays(world, login):
    parent = f.categories(world)["MDJF-LL"]
    client = login("xian")
    response = client.post(
        f"/grid/categories/new/{world.unit('新野县').code}/",
        {
            "code": "mdjf-ll-sx",
            "name": "宅前屋后纠纷",
            "parent": parent.pk,
            "department_type": "司法所",
            "deadline_days": 5,
            "active": "on",
        },
    )
    assert response.status_code == 302
    created = EventCategory.objects.get(code="MDJF-LL-SX")
    assert created.level == 3 and created.full_name == "矛盾纠纷 / 邻里纠纷 / 宅前屋后纠纷"
    renamed = client.post(
        f"/grid/categories/{created.pk}/edit/",
        {"code": "OTHER", "name": "x", "parent": parent.pk, "deadline_days": 5},
    )
    assert renamed.status_code == 200 and "不能修改" in renamed.content.decode()
    assert login("zhen").get(f"/grid/categories/new/{world.unit('新野县').code}/").status_code == 403


def test_filters_swap_only_the_table_when_htmx_asks(world, login):
    f.event(world, title="路灯不亮", category="GGSS-LD")
    f.event(world, title="可疑车辆")
    response = login("zhen").get("/grid/?q=路灯", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="event-table")
    page = response.content.decode()
    assert "<html" not in page and "路灯不亮" in page and "可疑车辆" not in page


def test_unit_page_links_to_grid_people_and_the_zero_tally(world, login):
    page = login("maoqiao").get(f"/units/{world.unit('毛桥村').code}/").content.decode()
    assert f"/grid/people/{world.unit('毛桥村').code}/" in page and "/disputes/zero/" in page


def test_home_page_lists_grid_tasks(world, login):
    f.event(world)
    tasks = {t.label: t.count for t in login("wangge").get("/home/").context["tasks"]}
    assert tasks["网格事件待办"] == 1
