"""Data sources from grid events: plain functions `(village_ids, year) -> {id: value}`, one query for all villages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count, F, Q
from django.utils import timezone

from xingyao.disputes.figures import percent
from xingyao.grid.models import Event
from xingyao.grid.workflow import State


def events_closed_on_time_rate(village_ids: list[int], year: int) -> dict[int, Decimal | None]:
    """grid.events_closed_on_time_rate: of the events reported in `year` and closed (duplicates aside), the share
    whose department gave feedback by the deadline, in %; None for a village with no closed event."""
    start = timezone.make_aware(dt.datetime(year, 1, 1))
    end = timezone.make_aware(dt.datetime(year + 1, 1, 1))
    rows = (
        Event.objects.filter(
            village_id__in=village_ids,
            reported_at__gte=start,
            reported_at__lt=end,
            state=State.CLOSED,
            duplicate_of__isnull=True,
        )
        .values("village_id")
        .annotate(closed=Count("pk"), on_time=Count("pk", filter=Q(feedback_at__lte=F("due_at"))))
    )
    found = {row["village_id"]: percent(row["on_time"], row["closed"]) for row in rows}
    return {vid: found.get(vid) for vid in village_ids}
