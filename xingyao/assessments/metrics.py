"""The year's results as metrics, registered in `AssessmentsConfig.ready()`: what dashboards show of the stars.

Per village: whether its result is signed by the county (评定), the stars it holds (awarded and not removed, or the
result's count before the award) and its points; a town's value is the sum (villages, stars) or the mean (points)
over its villages. Two breakdowns split the villages by their number of stars and count the passes of each star;
`assessments.plans_met` sets the 创星计划's targets against the stars held. Each tally is at most three queries for
any number of villages."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count
from django.urls import reverse

from xingyao.assessments.models import Assessment, StarAward
from xingyao.assessments.queries import RESULT_STATES
from xingyao.assessments.workflow import StarStatus, State
from xingyao.core import metrics
from xingyao.core.metrics import Bucket, Parts, Period, PeriodKind, Reader, ValueKind
from xingyao.stars.models import Star, StarPlan

ASSESSED, STARS, POINTS = range(3)
STAR_LEVELS = ["无星", "一星", "二星", "三星", "四星", "五星"]
TENTH = Decimal("0.1")


def _results(read: Reader, village_ids: list[int], year: int) -> list[dict[str, Any]]:
    """The county-signed results of the year with the stars each village holds: two queries."""
    found = list(
        read(Assessment.objects)
        .filter(village_id__in=village_ids, year=year, state__in=RESULT_STATES)
        .values("village_id", "state", "star_count", "points", "passed_stars", "criteria_set_id")
    )
    awarded = [r["village_id"] for r in found if r["state"] == State.AWARDED]
    held: dict[int, int] = {}
    if awarded:
        held = dict(
            read(StarAward.objects)
            .filter(village_id__in=awarded, year=year)
            .exclude(status=StarStatus.REMOVED)
            .values("village_id")
            .annotate(n=Count("pk"))
            .values_list("village_id", "n")
        )
    for r in found:
        r["stars"] = held.get(r["village_id"], 0) if r["state"] == State.AWARDED else r["star_count"]
    return found


def results(read: Reader, village_ids: list[int], period: Period) -> dict[int, tuple[Any, ...]]:
    """(1, stars held, points) per village with a signed result in the year."""
    return {r["village_id"]: (1, r["stars"], r["points"]) for r in _results(read, village_ids, period.year)}


def by_stars(read: Reader, village_ids: list[int], period: Period) -> dict[int, dict[Bucket, tuple[int]]]:
    """Each assessed village in the bucket of its number of stars."""
    return {r["village_id"]: {_level(r["stars"]): (1,)} for r in _results(read, village_ids, period.year)}


def _level(stars: int) -> Bucket:
    return Bucket(stars, f"{STAR_LEVELS[stars]}村" if 0 <= stars < len(STAR_LEVELS) else f"{stars}星村")


def star_levels(period: Period) -> list[Bucket]:
    return [_level(n) for n in range(len(STAR_LEVELS))]


def star_passes(read: Reader, village_ids: list[int], period: Period) -> dict[int, dict[Bucket, tuple[int, int]]]:
    """(passed, assessed) per village and star of its criteria set: three queries."""
    found = _results(read, village_ids, period.year)
    stars: dict[int, list[Star]] = {}
    for star in Star.objects.filter(criteria_set_id__in={r["criteria_set_id"] for r in found}).order_by("order"):
        stars.setdefault(star.criteria_set_id, []).append(star)
    out: dict[int, dict[Bucket, tuple[int, int]]] = {}
    for r in found:
        passed = set(r["passed_stars"] or [])
        out[r["village_id"]] = {
            Bucket(s.order, s.name, s.code): (int(s.code in passed), 1) for s in stars.get(r["criteria_set_id"], [])
        }
    return out


def plans_met(read: Reader, village_ids: list[int], period: Period) -> dict[int, tuple[int, int]]:
    """(targets met, targets) per village: the 创星计划's stars of the year against the stars it holds."""
    targets = list(
        read(StarPlan.objects)
        .filter(village_id__in=village_ids, year=period.year)
        .values_list("village_id", "star_code")
    )
    if not targets:
        return {}
    held = set(
        read(StarAward.objects)
        .filter(village_id__in={v for v, _ in targets}, year=period.year)
        .exclude(status=StarStatus.REMOVED)
        .values_list("village_id", "star_code")
    )
    out: dict[int, tuple[int, int]] = {}
    for village_id, code in targets:
        met, planned = out.get(village_id, (0, 0))
        out[village_id] = (met + int((village_id, code) in held), planned + 1)
    return out


def assessed(index: int) -> metrics.ValueOf:
    """The part, or None for a unit none of whose villages has a signed result (nothing to show, not a zero)."""

    def value(parts: Parts) -> Any:
        return metrics.part(index)(parts) if metrics.part(ASSESSED)(parts) else None

    return value


def mean_points(parts: Parts) -> Decimal | None:
    count = metrics.part(ASSESSED)(parts)
    if not count:
        return None
    return (Decimal(metrics.part(POINTS)(parts)) / Decimal(count)).quantize(TENTH, rounding=ROUND_HALF_UP)


def rankings_page(unit: Any, period: Period, bucket: Bucket | None = None) -> str:
    return reverse("assessments:rankings", args=[unit.code, period.year])


def overview_page(unit: Any, period: Period) -> str:
    return reverse("assessments:overview", args=[unit.code, period.year])


def plans_page(unit: Any, period: Period) -> str:
    return reverse("stars:plans", args=[unit.code, period.year])


def register() -> None:
    yearly = [PeriodKind.YEAR]
    count, number = ValueKind.COUNT, ValueKind.NUMBER
    metrics.register("assessments.villages_assessed", "已评定村数", "个", count, results,
                     value=assessed(ASSESSED), periods=yearly, records_url=overview_page)  # fmt: skip
    metrics.register("assessments.stars_held", "星级（颗）", "颗", count, results,
                     value=assessed(STARS), periods=yearly, records_url=rankings_page)  # fmt: skip
    metrics.register("assessments.average_points", "评定得分", "分", number, results,
                     value=mean_points, periods=yearly, records_url=rankings_page)  # fmt: skip
    metrics.register("assessments.plans_met", "创星目标已实现", "颗", count, plans_met,
                     value=metrics.part(0), periods=yearly, records_url=plans_page)  # fmt: skip
    metrics.register("assessments.plans_met_rate", "创星目标实现率", "%", ValueKind.RATE, plans_met,
                     value=metrics.rate(0, 1), periods=yearly, records_url=plans_page)  # fmt: skip
    metrics.register_breakdown("assessments.villages_by_stars", "各星级村数", "个", count, by_stars,
                               periods=yearly, records_url=rankings_page, buckets=star_levels)  # fmt: skip
    metrics.register_breakdown("assessments.star_pass_rate", "分星达标率", "%", ValueKind.RATE, star_passes,
                               value=metrics.rate(0, 1), periods=yearly, records_url=rankings_page)  # fmt: skip
