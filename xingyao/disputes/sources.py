"""Data sources for 平安法治星 from disputes and grid events: plain functions `(village_ids, year) -> {id: value}`,
each one or two queries for any number of villages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Count
from django.utils import timezone

from xingyao.disputes.figures import ZeroTally, dispute_figures, zero_tally
from xingyao.disputes.models import Dispute
from xingyao.disputes.queries import facts, year_range


def _figures(village_ids: list[int], year: int) -> dict[int, Any]:
    since, until = year_range(year)
    found = facts(Dispute.objects.filter(village_id__in=village_ids, received_on__gte=since, received_on__lte=until))
    grouped: dict[int, list[Any]] = {}
    for village_id, fact in found:
        grouped.setdefault(village_id, []).append(fact)
    return {vid: dispute_figures(grouped.get(vid, [])) for vid in village_ids}


def success_rate(village_ids: list[int], year: int) -> dict[int, Decimal | None]:
    """disputes.success_rate: mediated ÷ concluded mediations, in %, None for a village without any."""
    return {vid: f.success_rate for vid, f in _figures(village_ids, year).items()}


def pre_litigation_count(village_ids: list[int], year: int) -> dict[int, int]:
    """disputes.pre_litigation_count: cases settled by pre-litigation mediation (诉前调解)."""
    return {vid: f.pre_litigation for vid, f in _figures(village_ids, year).items()}


def zero_counts(village_ids: list[int], year: int) -> dict[int, tuple[int, int, int]]:
    """(petitions beyond the village, casualty accidents, criminal or major cases) per village, from records:
    grid events in categories marked for “三零” (duplicates left out) and disputes whose parties petitioned
    beyond the village. Two queries."""
    from xingyao.grid.models import Event, ZeroKind

    start = timezone.make_aware(dt.datetime(year, 1, 1))
    end = timezone.make_aware(dt.datetime(year + 1, 1, 1))
    counts = {vid: [0, 0, 0] for vid in village_ids}
    index = {ZeroKind.PETITION: 0, ZeroKind.ACCIDENT: 1, ZeroKind.CASE: 2}
    rows = (
        Event.objects.filter(
            village_id__in=village_ids,
            reported_at__gte=start,
            reported_at__lt=end,
            duplicate_of__isnull=True,
            category__zero_kind__in=list(index),
        )
        .values("village_id", "category__zero_kind")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        counts[row["village_id"]][index[ZeroKind(row["category__zero_kind"])]] += row["n"]
    since, until = year_range(year)
    petitions = (
        Dispute.objects.filter(
            village_id__in=village_ids, received_on__gte=since, received_on__lte=until, petition_beyond_village=True
        )
        .values("village_id")
        .annotate(n=Count("pk"))
    )
    for row in petitions:
        counts[row["village_id"]][0] += row["n"]
    return {vid: (c[0], c[1], c[2]) for vid, c in counts.items()}


def zero_tallies(village_ids: list[int], year: int) -> dict[int, ZeroTally]:
    return {vid: zero_tally(*c) for vid, c in zero_counts(village_ids, year).items()}


def zero_petitions(village_ids: list[int], year: int) -> dict[int, bool]:
    """safety.zero_petitions: no petition taken beyond the village (零上访)."""
    return {vid: t.zero_petitions for vid, t in zero_tallies(village_ids, year).items()}


def zero_accidents(village_ids: list[int], year: int) -> dict[int, bool]:
    """safety.zero_accidents: no accident with casualties (零事故)."""
    return {vid: t.zero_accidents for vid, t in zero_tallies(village_ids, year).items()}


def zero_cases(village_ids: list[int], year: int) -> dict[int, bool]:
    """safety.zero_cases: no criminal or major public-order case (零案件)."""
    return {vid: t.zero_cases for vid, t in zero_tallies(village_ids, year).items()}


def zero_rows(villages: list[Any], year: int) -> list[dict[str, Any]]:
    """The “三零” page's rows: each village with its three counts and flags."""
    counts = zero_counts([v.pk for v in villages], year)
    return [{"village": v, "counts": counts[v.pk], "tally": zero_tally(*counts[v.pk])} for v in villages]
