"""Metrics for 生态宜居星, 文明幸福星 and 普法 from the villages' records, registered in `LivabilityConfig.ready()`.

Six tallies, each a fixed number of queries for any number of villages: the works finished in the period (by kind,
and clean-up campaigns with before and after photos that no other village also uploaded), sanitary-toilet coverage,
the service centres against their county's room list, the services handled on time, the activities by kind, and
the highest honour a village holds."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.urls import reverse
from django.utils import timezone

from xingyao.core import metrics
from xingyao.core.metrics import Level, Parts, Period, PeriodKind, Reader, ValueKind
from xingyao.livability.models import Activity, Centre, Honour, Photo, ServiceRequest, ToiletCoverage, Work
from xingyao.livability.queries import room_standards
from xingyao.livability.vocabulary import CARE, CULTURAL, RANK, ROADS, ActivityKind, HonourLevel, Outcome, WorkKind
from xingyao.places.codes import county_code

# The parts of the works tally, in order.
ROAD, REPAIRED, WIDENED, DRAIN, FLOWER_BEDS, PLAZAS, WALL, CLEANUPS, CLEANUPS_PHOTOGRAPHED = range(9)
ZERO = Decimal(0)


def _sum(kind: Any) -> Sum:
    return Sum("quantity", filter=Q(kind__in=kind) if isinstance(kind, frozenset) else Q(kind=kind), default=ZERO)


def _shown_here(stage: str) -> Exists:
    """A photo of the work at this stage whose content no other village uploaded too."""
    elsewhere = (
        Photo.objects.unscoped("a photo reused anywhere does not count, whoever reads")
        .filter(sha256=OuterRef("sha256"))
        .exclude(village_id=OuterRef("village_id"))
    )
    own = (
        Photo.objects.unscoped("the photos of a work already read through the reader")
        .filter(work_id=OuterRef("pk"), stage=stage)
        .filter(~Exists(elsewhere))
    )
    return Exists(own)


def works(read: Reader, village_ids: list[int], period: Period) -> dict[int, Parts]:
    done = read.in_villages(Work, village_ids, period, "finished_on")
    rows = done.values("village_id").annotate(
        road=_sum(ROADS),
        repaired=_sum(WorkKind.ROAD_REPAIR),
        widened=_sum(WorkKind.ROAD_WIDEN),
        drain=_sum(WorkKind.DRAIN),
        flower=_sum(WorkKind.FLOWER_BED),
        plaza=_sum(WorkKind.PLAZA),
        wall=_sum(WorkKind.WALL_PAINTING),
        cleanups=Count("pk", filter=Q(kind=WorkKind.CLEANUP)),
    )
    photographed = dict(
        done.filter(kind=WorkKind.CLEANUP)
        .filter(_shown_here("before"), _shown_here("after"))
        .values("village_id")
        .annotate(n=Count("pk"))
        .values_list("village_id", "n")
    )
    names = ("road", "repaired", "widened", "drain", "flower", "plaza", "wall", "cleanups")
    return {r["village_id"]: (*(r[n] for n in names), photographed.get(r["village_id"], 0)) for r in rows}


def toilets(read: Reader, village_ids: list[int], period: Period) -> dict[int, Parts]:
    rows = read(ToiletCoverage.objects).filter(village_id__in=village_ids, year=period.year)
    return {
        v: (covered, households) for v, covered, households in rows.values_list("village_id", "covered", "households")
    }


def centres(read: Reader, village_ids: list[int], period: Period) -> dict[int, Parts]:
    """(complete, centres): a centre is complete when it has every room of its county's list. The centre as it
    stands now (its rooms are not dated)."""
    rows = list(
        read(Centre.objects).filter(village_id__in=village_ids).values_list("village_id", "village__code", "rooms")
    )
    standards = room_standards(read, [code for _, code, _ in rows])
    return {
        village_id: (int(all(room in rooms for room in standards[county_code(code)])), 1)
        for village_id, code, rooms in rows
    }


def services(read: Reader, village_ids: list[int], period: Period) -> dict[int, Parts]:
    """(on time, counted): every service taken in during the period except those still open and not yet due."""
    today = timezone.localdate()
    rows = (
        read.in_villages(ServiceRequest, village_ids, period, "requested_on")
        .exclude(outcome=Outcome.OPEN, due_on__gte=today)
        .values("village_id")
        .annotate(
            on_time=Count("pk", filter=Q(outcome=Outcome.DONE, finished_on__lte=F("due_on"))),
            counted=Count("pk"),
        )
    )
    return {r["village_id"]: (r["on_time"], r["counted"]) for r in rows}


CULTURE, CARED, LAW, ACTIVITIES = range(4)


def activities(read: Reader, village_ids: list[int], period: Period) -> dict[int, Parts]:
    rows = (
        read.in_villages(Activity, village_ids, period, "held_on")
        .values("village_id")
        .annotate(
            culture=Count("pk", filter=Q(kind__in=list(CULTURAL))),
            care=Count("pk", filter=Q(kind__in=list(CARE))),
            law=Count("pk", filter=Q(kind=ActivityKind.LAW)),
            total=Count("pk"),
        )
    )
    return {r["village_id"]: (r["culture"], r["care"], r["law"], r["total"]) for r in rows}


COUNTY_UP, TOWN_ONLY = range(2)


def honours(read: Reader, village_ids: list[int], period: Period) -> dict[int, Parts]:
    """(named at county level or above, named at town level): honours held up to the period's year."""
    best: dict[int, int] = {}
    rows = (
        read(Honour.objects)
        .filter(village_id__in=village_ids, year__lte=period.year)
        .values_list("village_id", "level")
    )
    for village_id, level in rows.distinct():
        best[village_id] = max(best.get(village_id, 0), RANK[HonourLevel(level)])
    county = RANK[HonourLevel.COUNTY]
    return {v: (int(rank >= county), int(rank < county)) for v, rank in best.items()}


def honour_choice(parts: Parts) -> str:
    """The example criteria's choice for civility.2.2: county (县级及以上), town, or none."""
    if metrics.part(COUNTY_UP)(parts):
        return "county"
    return "town" if metrics.part(TOWN_ONLY)(parts) else "none"


def all_complete(parts: Parts) -> bool:
    complete, counted = metrics.part(0)(parts), metrics.part(1)(parts)
    return bool(counted) and complete == counted


def _where(unit: Any) -> str:
    return f"village={unit.pk}" if unit.kind == Level.VILLAGE else f"unit={unit.code}"


def _listed(route: str, extra: str = "", *, dated: bool = True) -> Any:
    def url(unit: Any, period: Period) -> str:
        when = f"&since={period.first_day}&until={period.last_day}" if dated else f"&year={period.year}"
        return f"{reverse(route)}?{_where(unit)}{when}{extra}"

    return url


def register() -> None:
    number, count, rate = ValueKind.NUMBER, ValueKind.COUNT, ValueKind.RATE
    work_metrics = [
        ("livability.road_metres", "道路整修与加宽长度", "米", number, ROAD, "&group=road"),
        ("livability.road_repaired_metres", "整修入村道路长度", "米", number, REPAIRED, "&kind=road_repair"),
        ("livability.road_widened_metres", "道路加宽铺设彩砖长度", "米", number, WIDENED, "&kind=road_widen"),
        ("livability.drain_metres", "下水管网长度", "米", number, DRAIN, "&kind=drain"),
        ("livability.flower_beds_count", "修建花池", "座", count, FLOWER_BEDS, "&kind=flower_bed"),
        ("livability.plazas_count", "修建文化广场", "座", count, PLAZAS, "&kind=plaza"),
        ("livability.wall_painting_area", "墙体绘画面积", "平方米", number, WALL, "&kind=wall_painting"),
        ("livability.cleanups_count", "村庄清洁行动次数", "次", count, CLEANUPS, "&kind=cleanup"),
        ("livability.cleanups_photographed_count", "有整治前后对比照片的村庄清洁行动", "次", count,
         CLEANUPS_PHOTOGRAPHED, "&kind=cleanup"),
    ]  # fmt: skip
    for key, label, unit, kind, index, extra in work_metrics:
        metrics.register(
            key, label, unit, kind, works, value=metrics.part(index), records_url=_listed("livability:works", extra)
        )
    years = [PeriodKind.YEAR]
    metrics.register(
        "livability.toilet_coverage_rate",
        "卫生厕所普及率",
        "%",
        rate,
        toilets,
        value=metrics.rate(0, 1),
        periods=years,
        records_url=_listed("livability:toilets", dated=False),
    )
    metrics.register(
        "livability.centre_complete",
        "党群服务中心功能室齐全",
        "",
        ValueKind.BOOL,
        centres,
        value=all_complete,
        periods=years,
        records_url=lambda unit, period: f"{reverse('livability:centres')}?{_where(unit)}",
    )
    metrics.register(
        "livability.services_on_time_rate",
        "便民服务事项按时办结率",
        "%",
        rate,
        services,
        value=metrics.rate(0, 1),
        records_url=_listed("livability:services"),
    )
    activity_metrics = [
        ("livability.activities_count", "文化活动次数", CULTURE, "&group=culture"),
        ("livability.care_count", "义诊、助老服务次数", CARED, "&group=care"),
        ("livability.law_count", "普法宣传活动次数", LAW, "&kind=law"),
        ("livability.all_activities_count", "文化和服务活动次数", ACTIVITIES, ""),
    ]
    for key, label, index, extra in activity_metrics:
        metrics.register(
            key, label, "次", count, activities, value=metrics.part(index),
            records_url=_listed("livability:activities", extra),
        )  # fmt: skip
    metrics.register(
        "livability.honour_level",
        "文明村镇创建最高级别",
        "",
        ValueKind.CHOICE,
        honours,
        value=honour_choice,
        periods=years,
        records_url=lambda unit, period: f"{reverse('livability:honours')}?{_where(unit)}",
    )
    register_counts()


def register_counts() -> None:
    """The dashboards' total beside the rate: the services counted for it (done, or past their deadline)."""
    metrics.register(
        "livability.services_count",
        "便民服务事项（已办结或已到期）",
        "件",
        ValueKind.COUNT,
        services,
        value=metrics.part(1),
        records_url=_listed("livability:services"),
    )
