"""The 创星计划's metrics, registered in `StarsConfig.ready()`: the targets the villages set themselves for a year.

One query for any number of villages. Whether a target was met is the assessments' figure (`assessments.plans_met`),
a layer above, where the awards are."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.urls import reverse

from xingyao.core import metrics
from xingyao.core.metrics import Period, PeriodKind, Reader, ValueKind
from xingyao.stars.models import StarPlan

PLANNED, VILLAGES = range(2)


def plans(read: Reader, village_ids: list[int], period: Period) -> dict[int, tuple[int, int]]:
    """(stars targeted, 1) per village with a plan for the year."""
    rows = (
        read(StarPlan.objects)
        .filter(village_id__in=village_ids, year=period.year)
        .values("village_id")
        .annotate(n=Count("pk"))
    )
    return {r["village_id"]: (r["n"], 1) for r in rows}


def plans_page(unit: Any, period: Period) -> str:
    return reverse("stars:plans", args=[unit.code, period.year])


def register() -> None:
    yearly = [PeriodKind.YEAR]
    metrics.register("stars.planned_stars", "创星计划目标星数", "颗", ValueKind.COUNT, plans,
                     value=metrics.part(PLANNED), periods=yearly, records_url=plans_page)  # fmt: skip
    metrics.register("stars.planned_villages", "制定创星计划的村", "个", ValueKind.COUNT, plans,
                     value=metrics.part(VILLAGES), periods=yearly, records_url=plans_page)  # fmt: skip
