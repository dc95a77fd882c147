"""The grid and disputes apps' metrics: villages, towns and the county in a constant number of queries, each
value linked to the records behind it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from xingyao.core import metrics
from xingyao.core.metrics import Period
from xingyao.disputes.metrics import zero_counts
from xingyao.grid.tests import factories as f
from xingyao.grid.workflow import State
from xingyao.places.codes import Kind
from xingyao.places.models import Unit

YEAR_START = timezone.make_aware(dt.datetime(2023, 3, 1, 9))
EVERYTHING = metrics.unscoped("tests read every record")
APP_KEYS = [
    "disputes.mediated_count",
    "disputes.mediation_rate",
    "disputes.pre_litigation_count",
    "disputes.received_count",
    "disputes.success_rate",
    "disputes.zero_accidents",
    "disputes.zero_cases",
    "disputes.zero_petitions",
    "grid.events_closed",
    "grid.events_closed_on_time",
    "grid.events_closed_on_time_rate",
    "grid.events_overdue",
    "grid.events_reported",
]
ZEROS = ["disputes.zero_petitions", "disputes.zero_accidents", "disputes.zero_cases"]


def _units(world, *names: str) -> list[Unit]:  # type: ignore[no-untyped-def]
    return [world.unit(name) for name in names]


def test_the_apps_register_their_metrics_in_ready():
    assert [m.key for m in metrics.all_metrics() if m.app in ("grid", "disputes")] == APP_KEYS


def test_closed_on_time_rate_counts_feedback_by_the_deadline_in_one_query(world, django_assert_num_queries):
    for hours in (5, 5, 5):
        f.event(
            world, state=State.CLOSED, department="溧河铺派出所", reported_at=YEAR_START + dt.timedelta(hours=hours)
        )
    late = f.event(world, state=State.CLOSED, department="溧河铺派出所", reported_at=YEAR_START)
    late.feedback_at = late.due_at + dt.timedelta(days=2)
    late.save()
    f.event(world, state=State.HANDLING, reported_at=YEAR_START)  # not closed: not counted
    maoqiao, zhuangying = _units(world, "毛桥村", "庄营村")
    with django_assert_num_queries(1):
        rates = EVERYTHING.compute("grid.events_closed_on_time_rate", [maoqiao, zhuangying], 2023)
    assert rates == {maoqiao.pk: Decimal("75.0"), zhuangying.pk: None}
    assert EVERYTHING.compute("grid.events_closed_on_time_rate", [maoqiao], Period.of_quarter(2023, 2)) == {
        maoqiao.pk: None  # reported in March: nothing in the second quarter
    }


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
    maoqiao, zhuangying = _units(world, "毛桥村", "庄营村")
    ids = [maoqiao.pk, zhuangying.pk]
    with django_assert_num_queries(2):
        counts = zero_counts(EVERYTHING, ids, Period.of_year(2023))
    assert counts == {ids[0]: (0, 1, 0), ids[1]: (1, 0, 1)}
    with django_assert_num_queries(2):  # the three flags share one tally
        flags = EVERYTHING.values(ZEROS, [maoqiao, zhuangying], 2023)
    assert flags == {
        (ids[0], "disputes.zero_petitions"): True,
        (ids[0], "disputes.zero_accidents"): False,
        (ids[0], "disputes.zero_cases"): True,
        (ids[1], "disputes.zero_petitions"): False,
        (ids[1], "disputes.zero_accidents"): True,
        (ids[1], "disputes.zero_cases"): False,
    }
    town = world.unit("溧河铺镇")
    assert EVERYTHING.values(ZEROS, [town], 2023) == {(town.pk, key): False for key in ZEROS}  # any village's case


def test_dispute_metrics_count_success_and_pre_litigation_per_village_in_one_query(world, django_assert_num_queries):
    day = dt.date(2023, 5, 1)
    f.dispute(world, status="closed", outcome="mediated", received_on=day)
    f.dispute(world, status="closed", outcome="pre_litigation", received_on=day)
    f.dispute(world, status="closed", outcome="failed", received_on=day)
    maoqiao, zhuangying = _units(world, "毛桥村", "庄营村")
    keys = ["disputes.success_rate", "disputes.pre_litigation_count", "disputes.received_count"]
    with django_assert_num_queries(1):
        found = EVERYTHING.values(keys, [maoqiao, zhuangying], 2023)
    assert found == {
        (maoqiao.pk, "disputes.success_rate"): Decimal("66.7"),
        (maoqiao.pk, "disputes.pre_litigation_count"): 1,
        (maoqiao.pk, "disputes.received_count"): 3,
        (zhuangying.pk, "disputes.pre_litigation_count"): 0,
        (zhuangying.pk, "disputes.received_count"): 0,
    }


def test_a_towns_rate_is_recomputed_from_its_villages_cases_not_averaged(world):
    day = dt.date(2023, 5, 1)
    f.dispute(world, status="closed", outcome="mediated", received_on=day)  # 毛桥村: 1 of 1
    f.dispute(world, village="庄营村", status="closed", outcome="mediated", received_on=day)  # 庄营村: 1 of 3
    f.dispute(world, village="庄营村", status="closed", outcome="failed", received_on=day)
    f.dispute(world, village="庄营村", status="closed", outcome="pre_litigation", received_on=day.replace(year=2022))
    f.dispute(world, village="庄营村", status="closed", outcome="failed", received_on=day)
    maoqiao, zhuangying, town, county = _units(world, "毛桥村", "庄营村", "溧河铺镇", "新野县")
    rates = EVERYTHING.compute("disputes.success_rate", [maoqiao, zhuangying, town, county], 2023)
    assert rates == {
        maoqiao.pk: Decimal("100.0"),
        zhuangying.pk: Decimal("33.3"),
        town.pk: Decimal("50.0"),  # 2 of 4, where the mean of the villages would say 66.7
        county.pk: Decimal("50.0"),
    }
    assert EVERYTHING.compute("disputes.received_count", [town, county], 2023) == {town.pk: 4, county.pk: 4}


def _more(world, kind: Kind, n: int) -> list[Unit]:  # type: ignore[no-untyped-def]
    """`n` units of `kind`: the world's own first, then new ones under 溧河铺镇 or 新野县."""
    parent = world.unit("溧河铺镇" if kind == Kind.VILLAGE else "新野县")
    for i in range(n):
        code = f"{parent.code[:9]}{300 + i}" if kind == Kind.VILLAGE else f"{parent.code[:6]}{300 + i}000"
        Unit.objects.get_or_create(code=code, defaults={"name": f"测试{i}", "kind": kind, "parent": parent})
    return list(Unit.objects.unscoped("test").filter(kind=kind, parent__kind__in=[Kind.TOWN, Kind.COUNTY])[:n])


@pytest.mark.parametrize("n", [2, 20])
def test_every_metric_for_many_villages_takes_five_queries(world, django_assert_num_queries, n):
    f.dispute(world, status="closed", outcome="mediated", received_on=dt.date(2023, 5, 1))
    f.event(world, state=State.CLOSED, department="溧河铺派出所", reported_at=YEAR_START)
    villages = _more(world, Kind.VILLAGE, n)
    # events closed on time; the event counts; the case tally; the “三零” tally's events and petitions
    with django_assert_num_queries(5):
        found = EVERYTHING.values(APP_KEYS, villages, 2023)
    assert len(villages) == n
    assert found[(world.unit("毛桥村").pk, "disputes.success_rate")] == Decimal("100.0")
    assert found[(world.unit("毛桥村").pk, "grid.events_closed_on_time_rate")] == Decimal("100.0")


@pytest.mark.parametrize("n", [2, 20])
def test_every_metric_for_many_towns_takes_one_query_more(world, django_assert_num_queries, n):
    f.dispute(world, status="closed", outcome="mediated", received_on=dt.date(2023, 5, 1))
    towns = _more(world, Kind.TOWN, n)
    with django_assert_num_queries(6):  # the towns' villages first
        found = EVERYTHING.values(APP_KEYS, towns, 2023)
    assert len(towns) == n
    assert found[(world.unit("溧河铺镇").pk, "disputes.success_rate")] == Decimal("100.0")
    assert found[(world.unit("施庵镇").pk, "disputes.zero_petitions")] is True


def test_a_users_reader_counts_only_the_records_he_may_see(world):
    f.dispute(world, status="closed", outcome="mediated", received_on=dt.date(2023, 5, 1), petition_beyond_village=True)
    maoqiao = world.unit("毛桥村")
    as_clerk = metrics.read_as(world.user("maoqiao")).values(APP_KEYS, [maoqiao], 2023)
    assert as_clerk[(maoqiao.pk, "disputes.success_rate")] == Decimal("100.0")
    assert as_clerk[(maoqiao.pk, "disputes.zero_petitions")] is False
    outsider = metrics.read_as(world.user("shidong")).values(APP_KEYS, [maoqiao], 2023)
    assert (maoqiao.pk, "disputes.success_rate") not in outsider  # nothing he may read to divide
    assert outsider[(maoqiao.pk, "disputes.received_count")] == 0


@pytest.mark.parametrize("key", APP_KEYS)
@pytest.mark.parametrize(("username", "unit"), [("maoqiao", "毛桥村"), ("zhen", "溧河铺镇"), ("xian", "新野县")])
def test_each_metric_links_to_records_that_answer_in_scope(world, login, key, username, unit):
    metric = metrics.get(key)
    assert metric is not None
    for period in (Period.of_year(2023), Period.of_quarter(2023, 2), Period.of_month(2023, 5)):
        url = metric.url_for(world.unit(unit), period)
        assert url is not None
        assert login(username).get(url).status_code == 200, url
    assert login("shidong").get(metric.url_for(world.unit("溧河铺镇"), 2023)).status_code == 404  # type: ignore[arg-type]


def test_a_towns_drill_down_lists_its_records_and_no_others(world, login):
    f.dispute(world, status="closed", outcome="mediated", received_on=dt.date(2023, 5, 1), summary="毛桥村的纠纷")
    f.dispute(
        world,
        village="施东村",
        status="closed",
        outcome="mediated",
        received_on=dt.date(2023, 5, 1),
        summary="施东村的纠纷",
    )
    f.dispute(world, status="closed", outcome="mediated", received_on=dt.date(2023, 7, 1), summary="七月的纠纷")
    f.event(world, state=State.CLOSED, department="溧河铺派出所", reported_at=YEAR_START, title="毛桥村的事件")
    f.event(world, state=State.CLOSED, unit="施东村", reported_at=YEAR_START, title="施东村的事件")
    county = login("xian")
    town = world.unit("溧河铺镇")
    cases = county.get(metrics.get("disputes.success_rate").url_for(town, Period.of_month(2023, 5))).content.decode()  # type: ignore[arg-type, union-attr]
    assert "毛桥村的纠纷" in cases and "施东村的纠纷" not in cases and "七月的纠纷" not in cases
    url = metrics.get("grid.events_closed_on_time_rate").url_for(town, 2023)  # type: ignore[union-attr]
    events = county.get(url).content.decode()
    assert "毛桥村的事件" in events and "施东村的事件" not in events


def test_a_tally_reads_a_periods_dates_and_timestamps_to_its_last_day(world):
    """`Reader.in_villages` takes a date field from the first to the last day and a timestamp from the period's
    first moment to before the next period's, in the site's time zone."""
    from xingyao.disputes.models import Dispute
    from xingyao.grid.models import Event

    may = Period.of_month(2023, 5)
    inside = [may.start, may.end - dt.timedelta(microseconds=1)]
    for at in [*inside, may.start - dt.timedelta(microseconds=1), may.end]:
        f.event(world, reported_at=at, title=f"事件 {at:%m-%d %H:%M:%S.%f}")
    for day in [dt.date(2023, 5, 1), dt.date(2023, 5, 31), dt.date(2023, 4, 30), dt.date(2023, 6, 1)]:
        f.dispute(world, received_on=day)
    ids = [world.unit("毛桥村").pk]
    events = EVERYTHING.in_villages(Event, ids, may, "reported_at")
    assert sorted(events.values_list("reported_at", flat=True)) == inside
    disputes = EVERYTHING.in_villages(Dispute, ids, may, "received_on")
    assert sorted(disputes.values_list("received_on", flat=True)) == [dt.date(2023, 5, 1), dt.date(2023, 5, 31)]
    assert not EVERYTHING.in_villages(Event, [world.unit("庄营村").pk], may, "reported_at").exists()
