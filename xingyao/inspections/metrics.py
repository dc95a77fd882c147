"""Metrics from the quarterly inspections, registered in `InspectionsConfig.ready()`.

One tally for every metric, two queries for any number of villages: the scored visits of finished rounds in the
period. Per village it counts the latest visit's total and points per star, and the sum and number of its totals;
a town's or county's value is the mean over its villages (of their latest totals, or of all their totals)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Sum
from django.urls import reverse

from xingyao.core import metrics
from xingyao.core.metrics import Bucket, Level, Parts, Period, PeriodKind, Reader, ValueKind, ValueOf
from xingyao.inspections.models import Visit
from xingyao.inspections.workflow import Star, State, round_label

# The parts of the tally, in order: the latest total and its count (1 per village), the sum and count of all
# totals, then the latest points of each star in `Star` order.
LATEST, VILLAGES, SUM, VISITS = range(4)
FIRST_STAR = 4
TENTH = Decimal("0.1")


def visits(read: Reader, village_ids: list[int], period: Period) -> dict[int, tuple[Decimal | int, ...]]:
    scored = (
        read.in_villages(Visit, village_ids, period, "visited_on")
        .filter(round__state=State.FINISHED, total__isnull=False)
        .order_by("village_id", "visited_on", "round__starts_on", "round_id")
        .values_list("village_id", "total", "star_scores")
    )
    latest: dict[int, tuple[Decimal, dict[str, Any]]] = {}
    sums: dict[int, Decimal] = {}
    counts: dict[int, int] = {}
    for village_id, total, by_star in scored:  # in date order: the last one seen is the latest
        latest[village_id] = (total, by_star or {})
        sums[village_id] = sums.get(village_id, Decimal(0)) + total
        counts[village_id] = counts.get(village_id, 0) + 1
    return {
        pk: (total, 1, sums[pk], counts[pk], *(Decimal(str(by_star.get(s.value, 0))) for s in Star))
        for pk, (total, by_star) in latest.items()
    }


def mean(sum_index: int, count_index: int) -> ValueOf:
    """The value is sum ÷ count to one decimal, None when nothing was counted."""

    def value(parts: Parts) -> Decimal | None:
        count = parts[count_index] if count_index < len(parts) else 0
        if not count:
            return None
        return (Decimal(parts[sum_index]) / Decimal(count)).quantize(TENTH, rounding=ROUND_HALF_UP)

    return value


def trend_url(unit: Any, period: Period) -> str:
    where = f"village={unit.pk}" if unit.kind == Level.VILLAGE else f"unit={unit.code}"
    return f"{reverse('inspections:trend')}?{where}&year={period.year}"


def register() -> None:
    periods = (PeriodKind.YEAR, PeriodKind.QUARTER)
    number = ValueKind.NUMBER
    metrics.register("inspections.latest_score", "观摩评比最近一次得分", "分", number, visits,
                     value=mean(LATEST, VILLAGES), periods=periods, records_url=trend_url)  # fmt: skip
    metrics.register("inspections.average_score", "观摩评比平均得分", "分", number, visits,
                     value=mean(SUM, VISITS), periods=periods, records_url=trend_url)  # fmt: skip
    for n, star in enumerate(Star):
        metrics.register(f"inspections.{star.value}_score", f"观摩评比“{star.label}”最近一次得分", "分", number,
                         visits, value=mean(FIRST_STAR + n, VILLAGES), periods=periods,
                         records_url=trend_url)  # fmt: skip
    register_trend()


# --- the dashboards' trend: the mean total by round ------------------------------------------------------------


def by_round(read: Reader, village_ids: list[int], period: Period) -> dict[int, dict[Bucket, tuple[Decimal, int]]]:
    """(sum of totals, visits) per village and round of the period, finished rounds only: one query. Rounds of the
    same quarter held by different towns are one bucket, so a county's trend compares quarters."""
    rows = (
        read.in_villages(Visit, village_ids, period, "visited_on")
        .filter(round__state=State.FINISHED, total__isnull=False)
        .values("village_id", "round__year", "round__quarter", "round__unit__kind")
        .annotate(total=Sum("total"), n=Count("pk"))
    )
    found: dict[int, dict[Bucket, tuple[Decimal, int]]] = {}
    for r in rows:
        wide = r["round__unit__kind"] == Level.COUNTY
        year, quarter = r["round__year"], r["round__quarter"]
        bucket = Bucket(year * 10 + quarter * 2 + int(wide), round_label(year, quarter, wide))
        total, n = found.setdefault(r["village_id"], {}).get(bucket, (Decimal(0), 0))
        found[r["village_id"]][bucket] = (total + r["total"], n + r["n"])
    return found


def register_trend() -> None:
    metrics.register_breakdown(
        "inspections.score_by_round",
        "历次观摩平均得分",
        "分",
        ValueKind.NUMBER,
        by_round,
        value=mean(0, 1),
        periods=(PeriodKind.YEAR, PeriodKind.QUARTER),
        records_url=lambda unit, period, bucket: trend_url(unit, period),
    )
