"""The ledger's metric for 支部过硬星, registered in `LedgersConfig.ready()`.

`ledgers.rectification_closed` (branch.3.2, a veto): True for a village that was not listed as a weak branch in the
year, or whose rectification is closed (整顿销号). Its one part is the number of open designations, so a town's
value (the sum over its villages) is True only when none of its villages has one open. One query for any number
of villages."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.urls import reverse

from xingyao.core import metrics
from xingyao.core.metrics import Level, Period, PeriodKind, Reader, ValueKind
from xingyao.ledgers.models import Designation, Item, StarWarning
from xingyao.ledgers.workflow import DesignationState, Source, WarningState
from xingyao.ledgers.workflow import State as ItemState

OPEN = 0


def open_designations(read: Reader, village_ids: list[int], period: Period) -> dict[int, tuple[int, ...]]:
    rows = (
        read(Designation.objects)
        .filter(village_id__in=village_ids, year=period.year, state=DesignationState.OPEN)
        .values("village_id")
        .annotate(n=Count("pk"))
    )
    return {r["village_id"]: (r["n"],) for r in rows}


def designations(unit: Any, period: Period) -> str:
    where = f"village={unit.pk}" if unit.kind == Level.VILLAGE else f"unit={unit.code}"
    return f"{reverse('ledgers:designations')}?{where}&year={period.year}"


def register() -> None:
    metrics.register(
        "ledgers.rectification_closed",
        "软弱涣散村党组织整顿销号",
        "",
        ValueKind.BOOL,
        open_designations,
        value=metrics.none_of(OPEN),
        periods=[PeriodKind.YEAR],
        records_url=designations,
    )
    register_counts()


# --- the dashboards' counts: weak branches, their rectification items, open star warnings ----------------------

LISTED, CLOSED_DESIGNATIONS = range(2)
ITEMS, ITEMS_CLOSED = range(2)


def weak_branches(read: Reader, village_ids: list[int], period: Period) -> dict[int, tuple[int, int]]:
    """(listed as weak in the year, of which closed) per village: one query."""
    rows = (
        read(Designation.objects)
        .filter(village_id__in=village_ids, year=period.year)
        .values("village_id")
        .annotate(n=Count("pk"), closed=Count("pk", filter=Q(state=DesignationState.CLOSED)))
    )
    return {r["village_id"]: (r["n"], r["closed"]) for r in rows}


def rectification_items(read: Reader, village_ids: list[int], period: Period) -> dict[int, tuple[int, int]]:
    """(rectification items of the weak branches started in the year, of which closed) per village: one query."""
    rows = (
        read(Item.objects)
        .filter(village_id__in=village_ids, source=Source.WEAK_BRANCH, start_on__year=period.year)
        .values("village_id")
        .annotate(n=Count("pk"), closed=Count("pk", filter=Q(state=ItemState.CLOSED)))
    )
    return {r["village_id"]: (r["n"], r["closed"]) for r in rows}


def open_warnings(read: Reader, village_ids: list[int], period: Period) -> dict[int, tuple[int]]:
    """Star warnings of the year the county has not decided yet, per village: one query."""
    rows = (
        read(StarWarning.objects)
        .filter(village_id__in=village_ids, year=period.year, state=WarningState.OPEN)
        .values("village_id")
        .annotate(n=Count("pk"))
    )
    return {r["village_id"]: (r["n"],) for r in rows}


def _listed(route: str, extra: str = "") -> Any:
    def url(unit: Any, period: Period) -> str:
        where = f"village={unit.pk}" if unit.kind == Level.VILLAGE else f"unit={unit.code}"
        return f"{reverse(route)}?{where}&year={period.year}{extra}"

    return url


def register_counts() -> None:
    count, yearly = ValueKind.COUNT, [PeriodKind.YEAR]
    metrics.register("ledgers.weak_branches", "软弱涣散村党组织", "个", count, weak_branches,
                     value=metrics.part(LISTED), periods=yearly, records_url=designations)  # fmt: skip
    metrics.register("ledgers.weak_branches_closed", "软弱涣散村党组织已整顿销号", "个", count, weak_branches,
                     value=metrics.part(CLOSED_DESIGNATIONS), periods=yearly,
                     records_url=_listed("ledgers:designations", "&state=closed"))  # fmt: skip
    metrics.register("ledgers.rectification_items", "整顿整改事项", "项", count, rectification_items,
                     value=metrics.part(ITEMS), periods=yearly,
                     records_url=_listed("ledgers:list", "&source=weak_branch"))  # fmt: skip
    metrics.register("ledgers.rectification_items_closed_rate", "整顿整改事项销号率", "%", ValueKind.RATE,
                     rectification_items, value=metrics.rate(ITEMS_CLOSED, ITEMS), periods=yearly,
                     records_url=_listed("ledgers:list", "&source=weak_branch&state=closed"))  # fmt: skip
    metrics.register("ledgers.open_warnings", "待处理的星级预警", "条", count, open_warnings,
                     periods=yearly, records_url=_listed("ledgers:warnings", "&state=open"))  # fmt: skip
