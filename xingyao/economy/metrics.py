"""Metrics for 产业兴旺星 from the industry records, registered in `EconomyConfig.ready()`.

Three tallies, each a fixed number of queries for any number of villages: the investment projects (introduced,
signed, in negotiation, amount, jobs; a town's own projects without a village count for the town), the specialty
industries (area, households, jobs, villages covered, brand) and the collective income (this year, growth)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Case, Count, F, IntegerField, Q, Sum, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse

from xingyao.core import metrics
from xingyao.core.metrics import Level, Parts, Period, PeriodKind, Reader, ValueKind
from xingyao.economy.models import EnterpriseRequest, Income, IndustryArea, Project
from xingyao.economy.workflow import INTRODUCED, Brand, RequestState, Stage, best_brand, growth

# The parts of the project tally, in order.
INTRODUCED_N, SIGNED_N, NEGOTIATING_N, AMOUNT, JOBS = range(5)
# The parts of the specialty-industry tally.
AREA, HOUSEHOLDS, AREA_JOBS, COVERED, REGISTERED, REGIONAL, ANY = range(7)
# The parts of the request tally.
RECEIVED, SOLVED, ON_TIME = range(3)
# The parts of the income tally.
TOTAL, OPERATING, ASSETS, BOTH_THIS, BOTH_LAST = range(5)
ZERO = Decimal(0)


def projects(read: Reader, unit_ids: list[int], period: Period) -> dict[int, tuple[Any, ...]]:
    """Per village (or town, for a project kept on the town itself): introduced in the period (signed then, and
    signed or beyond now), of which still only signed, in negotiation now, and the amount and jobs introduced."""
    span = (period.first_day, period.last_day)
    introduced = Q(stage__in=list(INTRODUCED), signed_on__range=span)
    rows = (
        read(Project.objects)
        .filter(Q(village_id__in=unit_ids) | Q(village__isnull=True, town_id__in=unit_ids))
        .filter(registered_on__lte=period.last_day)
        .annotate(place=Coalesce("village_id", "town_id"))
        .values("place")
        .annotate(
            introduced=Count("pk", filter=introduced),
            signed=Count("pk", filter=introduced & Q(stage=Stage.SIGNED)),
            negotiating=Count("pk", filter=Q(stage=Stage.NEGOTIATING)),
            amount=Sum("amount", filter=introduced, default=ZERO),
            jobs=Sum("jobs", filter=introduced, default=0),
        )
    )
    return {r["place"]: (r["introduced"], r["signed"], r["negotiating"], r["amount"], r["jobs"]) for r in rows}


def industries(read: Reader, village_ids: list[int], period: Period) -> dict[int, tuple[Any, ...]]:
    """Per village, the specialty industries of the period's year: area, households, jobs, whether covered, and
    how many of them carry a registered or a regional brand."""
    level = Case(
        When(industry__brand_level=Brand.REGISTERED, then=Value(2)),
        When(industry__brand_level=Brand.REGIONAL, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    rows = (
        read(IndustryArea.objects)
        .filter(village_id__in=village_ids, year=period.year, area_mu__gt=0)
        .annotate(level=level)
        .values("village_id")
        .annotate(
            area=Sum("area_mu"),
            households=Sum("households"),
            jobs=Sum("jobs"),
            registered=Count("pk", filter=Q(level=2)),
            regional=Count("pk", filter=Q(level=1)),
            any=Count("pk"),
        )
    )
    return {
        r["village_id"]: (r["area"], r["households"], r["jobs"], 1, r["registered"], r["regional"], r["any"])
        for r in rows
    }


def incomes(read: Reader, village_ids: list[int], period: Period) -> dict[int, tuple[Any, ...]]:
    """Per village, the year's collective income (total, operating, assets), and this and last year's totals for
    villages with both (so a town's growth compares like with like)."""
    year = period.year
    rows = (
        read(Income.objects)
        .filter(village_id__in=village_ids, year__in=[year, year - 1])
        .values("village_id")
        .annotate(
            this_total=Sum("total", filter=Q(year=year), default=ZERO),
            this_operating=Sum("operating", filter=Q(year=year), default=ZERO),
            this_assets=Sum("assets", filter=Q(year=year), default=ZERO),
            last=Sum("total", filter=Q(year=year - 1), default=ZERO),
            years=Count("year", distinct=True),
            this=Count("pk", filter=Q(year=year)),
        )
    )
    found: dict[int, tuple[Any, ...]] = {}
    for r in rows:
        if not r["this"]:
            continue
        both = r["years"] == 2
        found[r["village_id"]] = (
            r["this_total"],
            r["this_operating"],
            r["this_assets"],
            r["this_total"] if both else ZERO,
            r["last"] if both else ZERO,
        )
    return found


def recorded(index: int) -> Any:
    """The part, or None when no record was kept at all (the village answers itself)."""

    def value(parts: Parts) -> Any:
        return metrics.part(index)(parts) if parts else None

    return value


def requests(read: Reader, village_ids: list[int], period: Period) -> dict[int, tuple[Any, ...]]:
    """Per village, the enterprise requests received in the period: how many, solved, solved by the deadline."""
    rows = (
        read(EnterpriseRequest.objects)
        .filter(enterprise__village_id__in=village_ids, received_on__range=(period.first_day, period.last_day))
        .values("enterprise__village_id")
        .annotate(
            received=Count("pk"),
            solved=Count("pk", filter=Q(state=RequestState.SOLVED)),
            on_time=Count("pk", filter=Q(state=RequestState.SOLVED, solved_on__lte=F("solve_due"))),
        )
    )
    return {r["enterprise__village_id"]: (r["received"], r["solved"], r["on_time"]) for r in rows}


def _growth(parts: Parts) -> Decimal | None:
    return growth(metrics.part(BOTH_THIS)(parts), metrics.part(BOTH_LAST)(parts))


def _brand(parts: Parts) -> str | None:
    return best_brand(*(int(metrics.part(i)(parts)) for i in (REGISTERED, REGIONAL, ANY)))


def _records(route: str, *extra: str) -> Any:
    def url(unit: Any, period: Period) -> str:
        query = "&".join((f"unit={unit.code}", *(e.format(period=period) for e in extra)))
        return f"{reverse(route)}?{query}"

    return url


def register() -> None:
    count, number = ValueKind.COUNT, ValueKind.NUMBER
    signed = ("introduced=1", "signed_since={period.first_day}", "signed_until={period.last_day}")
    project_metrics = [
        ("economy.projects_introduced", "引进落地项目数", "个", count, INTRODUCED_N, _records("economy:list", *signed)),
        (
            "economy.projects_signed",
            "已签约待开工项目数",
            "个",
            count,
            SIGNED_N,
            _records("economy:list", "stage=signed", *signed[1:]),
        ),
        (
            "economy.projects_negotiating",
            "洽谈中项目数",
            "个",
            count,
            NEGOTIATING_N,
            _records("economy:list", "stage=negotiating"),
        ),
        ("economy.projects_amount", "引进项目计划投资", "万元", number, AMOUNT, _records("economy:list", *signed)),
        ("economy.projects_jobs", "引进项目预计带动就业", "人", count, JOBS, _records("economy:list", *signed)),
    ]
    for key, label, unit, kind, index, url in project_metrics:
        metrics.register(
            key, label, unit, kind, projects, value=metrics.part(index), records_url=url, town_records=True
        )
    yearly = [PeriodKind.YEAR]
    areas = _records("economy:areas", "year={period.year}")
    industry_metrics = [
        ("economy.specialty_industry_area", "特色产业种植面积", "亩", number, recorded(AREA)),
        ("economy.specialty_households", "特色产业种植户数", "户", count, metrics.part(HOUSEHOLDS)),
        ("economy.specialty_jobs", "特色产业带动就业", "人", count, metrics.part(AREA_JOBS)),
        ("economy.specialty_villages", "特色产业覆盖村数", "个", count, metrics.part(COVERED)),
    ]
    for key, label, unit, kind, value in industry_metrics:
        metrics.register(key, label, unit, kind, industries, value=value, periods=yearly, records_url=areas)
    metrics.register(
        "economy.specialty_brand",
        "特色产品品牌情况",
        "",
        ValueKind.CHOICE,
        industries,
        value=_brand,
        periods=yearly,
        levels=[Level.VILLAGE],
        records_url=_records("economy:industries"),
    )
    income = _records("economy:incomes", "year={period.year}")
    metrics.register(
        "economy.collective_income",
        "村集体经济收入",
        "元",
        number,
        incomes,
        value=recorded(TOTAL),
        periods=yearly,
        records_url=income,
    )
    metrics.register(
        "economy.collective_income_growth",
        "村集体经济收入较上年增长",
        "%",
        number,
        incomes,
        value=_growth,
        periods=yearly,
        records_url=income,
    )
    asked = _records("economy:requests", "since={period.first_day}", "until={period.last_day}")
    rate = ValueKind.RATE
    metrics.register("economy.enterprise_requests_count", "企业诉求件数", "件", count, requests,
                     value=metrics.part(RECEIVED), records_url=asked)  # fmt: skip
    metrics.register("economy.enterprise_requests_solved_rate", "企业诉求办结率", "%", rate, requests,
                     value=metrics.rate(SOLVED, RECEIVED), records_url=asked)  # fmt: skip
    metrics.register("economy.enterprise_requests_on_time_rate", "企业诉求按期办结率", "%", rate, requests,
                     value=metrics.rate(ON_TIME, RECEIVED), records_url=asked)  # fmt: skip
