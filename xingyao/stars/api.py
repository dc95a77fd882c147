"""Criteria sets (list, detail with stars → sections → indicators), data sources, and star plans."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Field, Router, Schema, Status

from xingyao.core import metrics
from xingyao.core.http import AuthedRequest
from xingyao.core.paging import Year
from xingyao.core.roles import Action
from xingyao.places.queries import access_unit
from xingyao.stars import actions
from xingyao.stars.models import StarPlan
from xingyao.stars.queries import access_criteria_set, access_plan, visible_criteria_sets

router = Router(tags=["评定标准与创星计划"])


class CriteriaSetOut(Schema):
    id: int
    county_code: str = Field(alias="county.code")
    county_name: str = Field(alias="county.name")
    year: int
    unit_kind: str
    name: str
    note: str
    status: str
    published_at: dt.datetime | None
    dept_review: bool
    publicity_days: int


class IndicatorOut(Schema):
    code: str
    name: str
    kind: str
    points: Decimal
    required: bool
    veto: bool
    threshold: Decimal | None
    comparison: str
    unit: str
    choices: list[Any]
    min_score: Decimal
    max_score: Decimal | None
    evidence_count: int
    data_source: str | None
    data_source_connected: bool
    note: str


class SectionOut(Schema):
    name: str
    order: int
    indicators: list[IndicatorOut]


class StarOut(Schema):
    code: str
    name: str
    order: int
    min_points: Decimal | None
    require_all_required: bool
    prerequisites: list[str]
    sections: list[SectionOut]

    @staticmethod
    def resolve_sections(obj: Any) -> Any:
        return obj.sections_out


class CriteriaSetDetailOut(CriteriaSetOut):
    stars: list[StarOut]

    @staticmethod
    def resolve_stars(obj: Any) -> Any:
        return obj.stars_out


class SourceOut(Schema):
    key: str
    label: str
    unit: str
    kind: str
    periods: list[str]
    levels: list[str]


class PlanOut(Schema):
    id: int
    village_code: str
    village_name: str
    year: int
    star_code: str
    strengths: str
    gaps: str
    measures: str
    responsible: str
    deadline: dt.date

    @staticmethod
    def resolve_village_code(obj: StarPlan) -> str:
        return obj.village.code

    @staticmethod
    def resolve_village_name(obj: StarPlan) -> str:
        return obj.village.name


class PlanFields(Schema):
    strengths: str = ""
    gaps: str = ""
    measures: str
    responsible: str
    deadline: dt.date


class PlanIn(PlanFields):
    village_code: str
    year: int
    star_code: str


@router.get("/criteria", response=list[CriteriaSetOut], summary="可见的评定标准")
def criteria_sets(request: AuthedRequest, year: Year | None = None) -> Any:
    sets = visible_criteria_sets(request.user)
    return sets.filter(year=year) if year else sets


@router.get("/criteria/{set_id}", response=CriteriaSetDetailOut, summary="评定标准详情：星 → 板块 → 指标")
def criteria_set_detail(request: AuthedRequest, set_id: int) -> Any:
    criteria_set = access_criteria_set(request.user, set_id)
    by_section: dict[int, list[Any]] = {}
    for indicator in criteria_set.indicators.order_by("order", "id"):
        indicator.data_source_connected = metrics.is_connected(indicator.data_source)  # type: ignore[attr-defined]
        by_section.setdefault(indicator.section_id, []).append(indicator)
    stars = list(criteria_set.stars.prefetch_related("sections"))
    for star in stars:
        star.sections_out = [  # type: ignore[attr-defined]
            {"name": s.name, "order": s.order, "indicators": by_section.get(s.pk, [])} for s in star.sections.all()
        ]
    criteria_set.stars_out = stars  # type: ignore[attr-defined]
    return criteria_set


@router.get("/sources", response=list[SourceOut], summary="已接入的数据来源")
def data_sources(request: AuthedRequest) -> Any:
    return [
        {
            "key": m.key,
            "label": m.label,
            "unit": m.unit,
            "kind": m.kind,
            "periods": sorted(m.periods),
            "levels": sorted(m.levels),
        }
        for m in metrics.all_metrics()
    ]


@router.get("/plans", response=list[PlanOut], summary="某单位及其下各村某年的创星计划")
def star_plans(request: AuthedRequest, unit: str, year: Year) -> Any:
    root = access_unit(request.user, unit)
    return (
        StarPlan.objects.restrict(request.user)
        .within(root)
        .filter(year=year)
        .select_related("village")
        .order_by("village__code", "id")[:5000]
    )


@router.post("/plans", response={201: PlanOut}, summary="为一个村制定一颗星的创星方案")
def create_star_plan(request: AuthedRequest, payload: PlanIn) -> Any:
    village = access_unit(request.user, payload.village_code, Action.CHANGE)
    fields = payload.dict(exclude={"village_code", "year", "star_code"})
    return Status(201, actions.do_create_plan(request.user, village, payload.year, payload.star_code, **fields))


@router.put("/plans/{plan_id}", response=PlanOut, summary="修改创星方案")
def update_star_plan(request: AuthedRequest, plan_id: int, payload: PlanFields) -> Any:
    plan = access_plan(request.user, plan_id, Action.CHANGE)
    return actions.do_update_plan(request.user, plan, **payload.dict())
