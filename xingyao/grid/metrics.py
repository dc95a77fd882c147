"""Metrics from grid events, registered in `GridConfig.ready()`: each tally is one query for any number of villages."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, F, Q
from django.urls import reverse

from xingyao.core import metrics, zero
from xingyao.core.metrics import Level, Period, Reader, ValueKind
from xingyao.grid.models import Event, ZeroKind
from xingyao.grid.workflow import State


def closed_on_time(read: Reader, village_ids: list[int], period: Period) -> dict[int, tuple[int, int]]:
    """(closed on time, closed) per village: events reported in the period and closed, duplicates aside; on time
    when the department's feedback came by the deadline."""
    rows = (
        read.in_villages(Event, village_ids, period, "reported_at")
        .filter(state=State.CLOSED, duplicate_of__isnull=True)
        .values("village_id")
        .annotate(closed=Count("pk"), on_time=Count("pk", filter=Q(feedback_at__lte=F("due_at"))))
    )
    return {row["village_id"]: (row["on_time"], row["closed"]) for row in rows}


def zero_counts(read: Reader, village_ids: list[int], period: Period) -> dict[int, tuple[int, int, int]]:
    """The grid's share of the “三零” counts (core.zero): events in categories marked for “三零”, duplicates aside,
    as (petitions, accidents, cases) per village."""
    which = {ZeroKind.PETITION: zero.PETITIONS, ZeroKind.ACCIDENT: zero.ACCIDENTS, ZeroKind.CASE: zero.CASES}
    rows = (
        read.in_villages(Event, village_ids, period, "reported_at")
        .filter(duplicate_of__isnull=True, category__zero_kind__in=list(which))
        .values("village_id", "category__zero_kind")
        .annotate(n=Count("pk"))
    )
    return zero.tally((r["village_id"], which[ZeroKind(r["category__zero_kind"])], r["n"]) for r in rows)


def closed_events(unit: Any, period: Period) -> str:
    where = f"village={unit.pk}" if unit.kind == Level.VILLAGE else f"unit={unit.code}"
    return f"{reverse('grid:events')}?tab=closed&{where}&since={period.first_day}&until={period.last_day}"


def register() -> None:
    zero.register_zero_counter("grid", zero_counts)
    metrics.register(
        "grid.events_closed_on_time_rate",
        "网格事件按期办结率",
        "%",
        ValueKind.RATE,
        closed_on_time,
        value=metrics.rate(0, 1),
        records_url=closed_events,
    )
