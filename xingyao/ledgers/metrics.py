"""The ledger's metric for 支部过硬星, registered in `LedgersConfig.ready()`.

`ledgers.rectification_closed` (branch.3.2, a veto): True for a village that was not listed as a weak branch in the
year, or whose rectification is closed (整顿销号). Its one part is the number of open designations, so a town's
value (the sum over its villages) is True only when none of its villages has one open. One query for any number
of villages."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.urls import reverse

from xingyao.core import metrics
from xingyao.core.metrics import Level, Period, PeriodKind, Reader, ValueKind
from xingyao.ledgers.models import Designation
from xingyao.ledgers.workflow import DesignationState

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
