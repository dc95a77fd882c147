"""Metrics from grid events, registered in `GridConfig.ready()`: each tally is one query for any number of villages."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce, ExtractMonth
from django.urls import reverse
from django.utils import timezone

from xingyao.core import metrics, zero
from xingyao.core.metrics import Bucket, Level, Period, Reader, ValueKind
from xingyao.grid.models import CLOCK_STATES, Event, EventCategory, ZeroKind
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
    register_counts()


# --- the dashboards' counts and breakdowns (reports) -----------------------------------------------------------

REPORTED, CLOSED, ON_TIME, OVERDUE = range(4)


def event_counts(read: Reader, village_ids: list[int], period: Period) -> dict[int, tuple[int, int, int, int]]:
    """(reported, closed, closed on time, overdue now) per village: events reported in the period, duplicates
    aside; overdue is an event still with its department past its deadline as the page is read."""
    now = timezone.now()
    rows = (
        read.in_villages(Event, village_ids, period, "reported_at")
        .filter(duplicate_of__isnull=True)
        .values("village_id")
        .annotate(
            reported=Count("pk"),
            closed=Count("pk", filter=Q(state=State.CLOSED)),
            on_time=Count("pk", filter=Q(state=State.CLOSED, feedback_at__lte=F("due_at"))),
            overdue=Count("pk", filter=Q(state__in=CLOCK_STATES, due_at__lt=now)),
        )
    )
    return {r["village_id"]: (r["reported"], r["closed"], r["on_time"], r["overdue"]) for r in rows}


def by_category(read: Reader, village_ids: list[int], period: Period) -> dict[int, dict[Bucket, tuple[int]]]:
    """Events reported in the period per village and top-level category (a sub-category counts for its root),
    duplicates aside: two queries, the counts and the roots' names."""
    root = Coalesce("category__parent__parent_id", "category__parent_id", "category_id")
    rows = list(
        read.in_villages(Event, village_ids, period, "reported_at")
        .filter(duplicate_of__isnull=True)
        .annotate(root=root)
        .values("village_id", "root")
        .annotate(n=Count("pk"))
    )
    names = dict(
        EventCategory.objects.unscoped("the names of the categories of events already read through the reader")
        .filter(pk__in={r["root"] for r in rows})
        .values_list("pk", "name")
    )
    found: dict[int, dict[Bucket, tuple[int]]] = {}
    for r in rows:
        bucket = Bucket(r["root"], names.get(r["root"], "其他"), str(r["root"]))
        found.setdefault(r["village_id"], {})[bucket] = (r["n"],)
    return found


def by_month(read: Reader, village_ids: list[int], period: Period) -> dict[int, dict[Bucket, tuple[int]]]:
    """Events reported per village and month of the period (local time), duplicates aside: one query."""
    rows = (
        read.in_villages(Event, village_ids, period, "reported_at")
        .filter(duplicate_of__isnull=True)
        .annotate(month=ExtractMonth("reported_at"))
        .values("village_id", "month")
        .annotate(n=Count("pk"))
    )
    buckets = {int(b.value): b for b in metrics.months_of(period)}
    found: dict[int, dict[Bucket, tuple[int]]] = {}
    for r in rows:
        found.setdefault(r["village_id"], {})[buckets[r["month"]]] = (r["n"],)
    return found


def _events(tab: str) -> Any:
    def url(unit: Any, period: Period) -> str:
        where = f"village={unit.pk}" if unit.kind == Level.VILLAGE else f"unit={unit.code}"
        return f"{reverse('grid:events')}?tab={tab}&{where}&since={period.first_day}&until={period.last_day}"

    return url


def _category_events(unit: Any, period: Period, bucket: Bucket) -> str:
    return f"{_events('all')(unit, period)}&category={bucket.value}"


def _month_events(unit: Any, period: Period, bucket: Bucket) -> str:
    where = f"village={unit.pk}" if unit.kind == Level.VILLAGE else f"unit={unit.code}"
    since, until = metrics.month_span(period, bucket)
    return f"{reverse('grid:events')}?tab=all&{where}&since={since}&until={until}"


def register_counts() -> None:
    count = ValueKind.COUNT
    for key, label, index, tab in [
        ("grid.events_reported", "网格事件上报数", REPORTED, "all"),
        ("grid.events_closed", "网格事件办结数", CLOSED, "closed"),
        ("grid.events_closed_on_time", "网格事件按期办结数", ON_TIME, "closed"),
        ("grid.events_overdue", "网格事件超期未办结数", OVERDUE, "overdue"),
    ]:
        metrics.register(key, label, "件", count, event_counts, value=metrics.part(index), records_url=_events(tab))
    metrics.register_breakdown(
        "grid.events_by_category", "网格事件分类统计", "件", count, by_category, records_url=_category_events
    )
    metrics.register_breakdown(
        "grid.events_by_month",
        "网格事件逐月上报",
        "件",
        count,
        by_month,
        records_url=_month_events,
        buckets=metrics.months_of,
    )
