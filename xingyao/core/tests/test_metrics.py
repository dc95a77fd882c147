"""The metrics registry: keys, periods, many units at once in a constant number of queries, sums for towns."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

import pytest

from xingyao.core import metrics
from xingyao.core.metrics import Level, Period, PeriodKind, ValueKind
from xingyao.places.codes import Kind
from xingyao.places.models import Unit

EVERYTHING = metrics.unscoped("tests read every unit")
STAND_INS = ["places.grids", "places.households", "places.villages_per_household"]


def _households(read: metrics.Reader, ids: list[int], period: Period) -> dict[int, tuple[int, int]]:
    """(1, households) per village with households: one query, whatever the number of villages."""
    rows = read(Unit.objects).filter(pk__in=ids, households__isnull=False).values_list("pk", "households")
    return {pk: (1, n) for pk, n in rows}


def _grids(read: metrics.Reader, ids: list[int], period: Period) -> dict[int, tuple[int]]:
    counts: dict[int, tuple[int]] = {}
    for parent in read(Unit.objects).filter(parent_id__in=ids, kind=Kind.GRID).values_list("parent_id", flat=True):
        counts[parent] = (counts.get(parent, (0,))[0] + 1,)
    return counts


@pytest.fixture
def no_metrics(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """An empty registry for the test, whatever the installed apps registered; restored afterwards."""
    monkeypatch.setattr(metrics, "_registry", {})


@pytest.fixture
def stand_ins(no_metrics) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """Two metrics sharing one tally, and a third with its own; only villages and towns for the households."""
    metrics.register("places.households", "户数", "户", ValueKind.COUNT, _households, value=metrics.part(1))
    metrics.register(
        "places.villages_per_household", "每户村数", "%", ValueKind.RATE, _households, value=metrics.rate(0, 1)
    )
    metrics.register(
        "places.grids",
        "网格数",
        "个",
        ValueKind.COUNT,
        _grids,
        periods=[PeriodKind.YEAR],
        levels=[Level.VILLAGE],
        records_url=lambda unit, period: f"/grid/people/{unit.code}/?year={period.year}",
    )
    yield


def _villages(world, n: int) -> list[Unit]:  # type: ignore[no-untyped-def]
    """`n` villages of 溧河铺镇 (毛桥村 and 庄营村 first), households set on the first two."""
    Unit.objects.filter(pk=world.unit("毛桥村").pk).update(households=1)
    Unit.objects.filter(pk=world.unit("庄营村").pk).update(households=3)
    town = world.unit("溧河铺镇")
    for i in range(n - 2):
        Unit.objects.get_or_create(
            code=f"{town.code[:9]}{300 + i}", defaults={"name": f"测试{i}村", "kind": Kind.VILLAGE, "parent": town}
        )
    return list(Unit.objects.unscoped("test").filter(kind=Kind.VILLAGE, parent=town).order_by("code")[:n])


def _towns(world, n: int) -> list[Unit]:  # type: ignore[no-untyped-def]
    county = world.unit("新野县")
    for i in range(n - 2):
        Unit.objects.get_or_create(
            code=f"{county.code[:6]}{300 + i}000", defaults={"name": f"测试{i}镇", "kind": Kind.TOWN, "parent": county}
        )
    return list(Unit.objects.unscoped("test").filter(kind=Kind.TOWN, parent=county).order_by("code")[:n])


@pytest.mark.parametrize("n", [2, 20])
def test_values_for_many_villages_take_one_query_per_tally(world, stand_ins, django_assert_num_queries, n) -> None:
    villages = _villages(world, n)
    with django_assert_num_queries(2):  # _households (shared by two metrics) and _grids
        found = EVERYTHING.values(
            ["places.households", "places.villages_per_household", "places.grids"], villages, 2023
        )
    maoqiao, zhuangying = world.unit("毛桥村").pk, world.unit("庄营村").pk
    assert found[(maoqiao, "places.households")] == 1 and found[(zhuangying, "places.households")] == 3
    assert found[(zhuangying, "places.villages_per_household")] == Decimal("33.3")
    assert found[(maoqiao, "places.grids")] == 1 and found[(zhuangying, "places.grids")] == 1
    assert len(villages) == n
    assert {k for _, k in found} == set(STAND_INS)


@pytest.mark.parametrize("n", [2, 20])
def test_values_for_many_towns_add_one_query_for_their_villages(world, stand_ins, django_assert_num_queries, n) -> None:
    _villages(world, 2)
    towns = _towns(world, n)
    with django_assert_num_queries(2):  # the towns' villages, then _households
        found = EVERYTHING.values(STAND_INS, towns, 2023)
    lihepu = world.unit("溧河铺镇").pk
    assert found[(lihepu, "places.households")] == 4
    # Recomputed from the summed parts (2 villages of 4 households), not the mean of 100 % and 33.3 %.
    assert found[(lihepu, "places.villages_per_household")] == Decimal("50.0")
    assert not any(k == "places.grids" for _, k in found)  # a village-only metric does not answer for towns
    assert len(towns) == n


def test_a_county_adds_up_all_its_towns_and_a_village_its_own(world, stand_ins) -> None:
    _villages(world, 2)
    county, maoqiao = world.unit("新野县"), world.unit("毛桥村")
    assert EVERYTHING.compute("places.households", [county, maoqiao], 2023) == {county.pk: 4, maoqiao.pk: 1}
    # An empty town has no parts: a count is 0, a rate has nothing to divide.
    shian = world.unit("施庵镇")
    Unit.objects.filter(pk=world.unit("施东村").pk).update(households=None)
    assert EVERYTHING.compute("places.villages_per_household", [shian], 2023) == {shian.pk: None}
    assert EVERYTHING.values(["places.villages_per_household"], [shian], 2023) == {}  # None answers are left out


def test_a_reader_sees_only_the_records_in_its_users_scope(world, stand_ins) -> None:
    _villages(world, 2)
    maoqiao = world.unit("毛桥村")
    assert metrics.read_as(world.user("maoqiao")).compute("places.households", [maoqiao], 2023) == {maoqiao.pk: 1}
    # 施东村's clerk reads none of 毛桥村's records: he gets nothing counted, not the true figure.
    assert metrics.read_as(world.user("shidong")).compute("places.households", [maoqiao], 2023) == {maoqiao.pk: 0}
    with pytest.raises(ValueError, match="reason"):
        metrics.unscoped(" ")


def test_a_metric_answers_only_for_its_periods_and_levels(world, stand_ins) -> None:
    grids = metrics.get("places.grids")
    assert grids is not None and grids.app == "places" and grids.kind is ValueKind.COUNT
    maoqiao, lihepu = world.unit("毛桥村"), world.unit("溧河铺镇")
    assert EVERYTHING.compute("places.grids", [maoqiao], Period.of_quarter(2023, 1)) == {}
    assert grids.answers(maoqiao, 2023) and not grids.answers(lihepu, 2023)
    assert grids.url_for(maoqiao, 2023) == f"/grid/people/{maoqiao.code}/?year=2023"
    assert grids.url_for(lihepu, 2023) is None
    assert metrics.get("places.households").url_for(maoqiao, 2023) is None  # type: ignore[union-attr]
    assert grids.levels_label == "村" and grids.periods_label == "年度"


def test_unregistered_and_planned_keys_give_no_values(world, stand_ins) -> None:
    maoqiao = world.unit("毛桥村")
    metrics.plan("economy.projects_introduced", "引进落地项目数", "个", ValueKind.COUNT)
    assert EVERYTHING.values(["economy.projects_introduced", "nothing.here"], [maoqiao], 2023) == {}
    assert EVERYTHING.compute("nothing.here", [maoqiao], 2023) == {}
    assert metrics.get("nothing.here") is None and not metrics.is_connected("nothing.here")
    planned = metrics.get("economy.projects_introduced")
    assert planned is not None and not planned.connected and planned.label == "引进落地项目数"
    assert [m.key for m in metrics.all_metrics()] == [
        "places.grids",
        "places.households",
        "places.villages_per_household",
    ]
    assert "economy.projects_introduced" in [m.key for m in metrics.all_metrics(connected=False)]


def test_registering_replaces_a_planned_key_and_planning_never_replaces_a_registered_one(no_metrics) -> None:
    metrics.plan("places.households", "户数（规划）", "户", ValueKind.COUNT)
    registered = metrics.register("places.households", "户数", "户", ValueKind.COUNT, _households)
    assert metrics.plan("places.households", "户数（规划）", "户", ValueKind.COUNT) is registered
    assert metrics.get("places.households") is registered and registered.connected


def test_a_metric_key_must_name_its_app_and_figure(no_metrics) -> None:
    with pytest.raises(ValueError, match="格式应为"):
        metrics.register("success rate", "成功率", "%", ValueKind.RATE, _households)
    with pytest.raises(ValueError, match="格式应为"):
        metrics.plan("Disputes.rate", "成功率", "%", ValueKind.RATE)
    with pytest.raises(ValueError, match="至少"):
        metrics.register("places.none", "无", "", ValueKind.BOOL, _households, levels=[])
    with pytest.raises(ValueError):
        metrics.register("places.kind", "无", "", "ratio", _households)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="不是已安装的应用"):
        metrics.register("safety.zero_cases", "零案件", "", ValueKind.BOOL, _households)


@pytest.mark.parametrize(
    ("text", "first", "last", "label"),
    [
        ("2023", dt.date(2023, 1, 1), dt.date(2023, 12, 31), "2023年"),
        ("2023Q1", dt.date(2023, 1, 1), dt.date(2023, 3, 31), "2023年第1季度"),
        ("2023Q4", dt.date(2023, 10, 1), dt.date(2023, 12, 31), "2023年第4季度"),
        ("2024-02", dt.date(2024, 2, 1), dt.date(2024, 2, 29), "2024年2月"),
        ("2023-12", dt.date(2023, 12, 1), dt.date(2023, 12, 31), "2023年12月"),
    ],
)
def test_a_period_knows_its_days_and_its_name(text: str, first: dt.date, last: dt.date, label: str) -> None:
    period = Period.parse(text)
    assert (period.first_day, period.last_day, period.label, str(period)) == (first, last, label, text)
    assert period.start.date() == first and period.end.date() == last + dt.timedelta(days=1)
    assert period.start.tzinfo is not None


@pytest.mark.parametrize("text", ["23", "2023Q5", "2023-13", "2023-1", "2023 Q1", ""])
def test_a_bad_period_is_a_clear_message(text: str) -> None:
    with pytest.raises(ValueError, match="不是有效的期间"):
        Period.parse(text)


def test_parts_add_up_element_wise() -> None:
    assert metrics.add_parts([(1, 2), (3,), ()]) == (4, 2)
    assert metrics.add_parts([]) == ()
    assert metrics.rate(0, 1)(()) is None and metrics.part(2)((1,)) == 0 and metrics.none_of(0)(()) is True
