"""Indicators bound to metrics: derived values for many villages at once, the API's list, the system check."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from xingyao.core import metrics
from xingyao.core.checks import check_metric_bindings
from xingyao.core.metrics import Period, ValueKind
from xingyao.places.codes import Kind
from xingyao.places.models import Unit
from xingyao.stars.models import Indicator
from xingyao.stars.queries import derived_values
from xingyao.stars.tests.fixtures import draft_set, published_set

EVERYTHING = metrics.unscoped("tests read every unit")


def _households(read: metrics.Reader, ids: list[int], period: Period) -> dict[int, tuple[Decimal]]:
    return {pk: (Decimal(n or 0),) for pk, n in read(Unit.objects).filter(pk__in=ids).values_list("pk", "households")}


def _grids(read: metrics.Reader, ids: list[int], period: Period) -> dict[int, tuple[int]]:
    counts: dict[int, tuple[int]] = {}
    for parent in read(Unit.objects).filter(parent_id__in=ids, kind=Kind.GRID).values_list("parent_id", flat=True):
        counts[parent] = (counts.get(parent, (0,))[0] + 1,)
    return counts


@pytest.fixture
def two_metrics(monkeypatch) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """Stand-ins for the disputes and grid apps' metrics in an otherwise empty registry: one query each."""
    monkeypatch.setattr(metrics, "_registry", {})
    metrics.register("disputes.success_rate", "调处成功率", "%", ValueKind.RATE, _households)
    metrics.register("grid.events_closed_on_time_rate", "按时办结率", "%", ValueKind.RATE, _grids)
    yield


def _villages(world, n: int) -> list[Unit]:  # type: ignore[no-untyped-def]
    town = world.unit("溧河铺镇")
    for i in range(n):
        Unit.objects.get_or_create(
            code=f"{town.code[:9]}{300 + i}", defaults={"name": f"测试{i}村", "kind": Kind.VILLAGE, "parent": town}
        )
    return list(Unit.objects.unscoped("test").filter(kind=Kind.VILLAGE))


def test_derived_values_take_a_constant_number_of_queries_however_many_villages(
    world, two_metrics, django_assert_num_queries
) -> None:
    criteria_set = published_set(world)
    few = _villages(world, 0)
    many = _villages(world, 30)
    # One query for the set's bindings, then one per metric.
    with django_assert_num_queries(3):
        small = derived_values(criteria_set, few, 2023, EVERYTHING)
    with django_assert_num_queries(3):
        large = derived_values(criteria_set, many, 2023, EVERYTHING)
    maoqiao = world.unit("毛桥村").pk
    assert small[(maoqiao, "safety.2.1")] == 1  # 毛桥村第1网格
    assert large[(maoqiao, "safety.1.1")] == Decimal(0)
    assert {code for _, code in large} == {"safety.1.1", "safety.2.1"}
    # Every village has households (0 when unknown); only those with a grid have a grid count.
    assert len([k for k in large if k[1] == "safety.1.1"]) == len(many)


def test_unregistered_keys_are_left_out_rather_than_failing(world, monkeypatch) -> None:
    monkeypatch.setattr(metrics, "_registry", {})
    criteria_set = published_set(world)
    assert derived_values(criteria_set, [world.unit("毛桥村")], 2023, EVERYTHING) == {}


def test_the_api_lists_registered_metrics_with_their_kind_periods_and_levels(world, api, two_metrics) -> None:
    metrics.plan("economy.projects_introduced", "引进落地项目数", "个", ValueKind.COUNT)
    found = api("maoqiao").get("/api/v1/sources").json()
    assert [m["key"] for m in found] == ["disputes.success_rate", "grid.events_closed_on_time_rate"]
    assert found[0] | {"periods": [], "levels": []} == {
        "key": "disputes.success_rate",
        "label": "调处成功率",
        "unit": "%",
        "kind": "rate",
        "periods": [],
        "levels": [],
    }
    assert set(found[0]["periods"]) == {"year", "quarter", "month"}
    assert set(found[0]["levels"]) == {"village", "town", "county"}


def test_the_example_set_binds_only_registered_keys(world) -> None:
    published_set(world)
    published_set(world, 2022)
    assert check_metric_bindings(databases=["default"]) == []  # every app the example names is connected now


def test_a_published_set_naming_an_unregistered_key_fails_the_system_check(world) -> None:
    criteria_set = published_set(world)
    draft = draft_set(world)
    # Published sets are immutable through actions: the typo comes straight from the database (an old import).
    typo = Indicator.objects.filter(criteria_set=criteria_set, code="safety.1.1")
    assert typo.update(data_source="disputes.succes_rate") == 1
    assert Indicator.objects.filter(criteria_set=draft, code="safety.1.2").update(data_source="disputes.nothing") == 1
    errors = [m for m in check_metric_bindings(databases=["default"]) if m.id == "metrics.E001"]
    assert len(errors) == 1  # the draft's binding is not checked: a draft may name a source still to come
    message = errors[0].msg
    assert criteria_set.name in message and "safety.1.1" in message and "disputes.succes_rate" in message
    assert "未注册" in message and "no metric is registered" in message and errors[0].id == "metrics.E001"
    assert check_metric_bindings(databases=None) == []  # a database check: only when a database is named
    with pytest.raises(SystemCheckError, match=r"disputes\.succes_rate"):
        call_command("check", "--database", "default")


def test_an_unregistered_key_only_warns_while_migrations_are_pending(world, monkeypatch) -> None:
    """`migrate` runs the database checks first; it must still be able to apply the migration that renames a key."""
    from xingyao.core import checks

    criteria_set = published_set(world)
    Indicator.objects.filter(criteria_set=criteria_set, code="safety.3.3").update(data_source="safety.zero_cases")
    monkeypatch.setattr(checks, "pending_migrations", lambda database: True)
    found = [m for m in check_metric_bindings(databases=["default"]) if m.obj == "safety.zero_cases"]
    assert [m.id for m in found] == ["metrics.W002"] and "迁移后请再检查" in found[0].msg
    monkeypatch.setattr(checks, "pending_migrations", lambda database: False)
    assert [m.id for m in check_metric_bindings(databases=["default"]) if m.obj == "safety.zero_cases"] == [
        "metrics.E001"
    ]
