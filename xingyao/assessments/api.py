"""Assessments over the API: list and detail with values and score, values, transitions, evidence, rankings."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Router, Schema
from ninja.pagination import paginate

from xingyao.assessments import actions, queries
from xingyao.assessments import workflow as wf
from xingyao.assessments.models import Assessment
from xingyao.core.errors import ActionError
from xingyao.core.paging import Mapped, Paged, Year
from xingyao.core.roles import Action
from xingyao.places.queries import access_unit

router = Router(tags=["年度评定"])


class AssessmentOut(Schema):
    id: int
    village_code: str
    village_name: str
    year: int
    state: str
    state_label: str
    star_count: int
    points: Decimal
    passed_stars: list[str]
    due_date: dt.date | None
    publicity_start: dt.date | None
    publicity_days: int | None


def _summary(a: Assessment) -> dict[str, Any]:
    return {
        "id": a.pk,
        "village_code": a.village.code,
        "village_name": a.village.name,
        "year": a.year,
        "state": a.state,
        "state_label": a.state_label,
        "star_count": a.star_count,
        "points": a.points,
        "passed_stars": a.passed_stars,
        "due_date": a.due_date,
        "publicity_start": a.publicity_start,
        "publicity_days": a.publicity_days,
    }


class ReasonOut(Schema):
    code: str
    subject: str
    message: str


class StarOut(Schema):
    code: str
    name: str
    points: Decimal
    max_points: Decimal
    passed: bool
    reasons: list[ReasonOut]


class ValueOut(Schema):
    code: str
    name: str
    star_code: str
    kind: str
    self_value: Any = None
    town_value: Any = None
    county_value: Any = None
    derived_value: Any = None
    effective_value: Any = None
    correction_note: str
    town_note: str
    county_note: str
    met: bool
    points: Decimal
    evidence_count: int
    evidence_required: int
    changed_since_my_last_step: bool


class StepOut(Schema):
    action: str
    from_state: str
    to_state: str
    actor: str
    role: str
    reason: str
    at: dt.datetime


class StarReviewOut(Schema):
    star_code: str
    star_name: str
    department_code: str | None
    department_name: str | None
    status: str
    approved_by: str | None
    approved_at: dt.datetime | None
    mine: bool


class StarReviewIn(Schema):
    star_code: str
    decision: str
    reason: str = ""


class AssessmentDetailOut(AssessmentOut):
    criteria_set: str
    locked: bool
    available_actions: list[str]
    editable_column: str | None
    stars: list[StarOut]
    values: list[ValueOut]
    steps: list[StepOut]
    star_reviews: list[StarReviewOut]


class ValuesIn(Schema):
    values: dict[str, Any] = {}
    notes: dict[str, str] = {}


class ValuesResultOut(Schema):
    changed: int
    column: str
    star_count: int


class TransitionIn(Schema):
    action: str
    reason: str = ""
    publicity_start: dt.date | None = None
    publicity_days: int | None = None


class EvidenceOut(Schema):
    id: int
    indicator_code: str
    original_name: str
    content_type: str
    size: int
    sha256: str
    is_image: bool
    caption: str
    taken_at: dt.datetime | None
    latitude: Decimal | None
    longitude: Decimal | None
    uploaded_at: dt.datetime
    reused_elsewhere: list[str]
    url: str


class RankOut(Schema):
    county_rank: int
    town_rank: int
    village_code: str
    village: str
    town: str
    stars: int
    points: Decimal
    last_stars: int | None
    change: int | None
    state: str
    assessment_id: int


def _detail(request: HttpRequest, assessment: Assessment) -> dict[str, Any]:
    info = queries.detail(request.user, assessment)
    return {
        **_summary(assessment),
        "criteria_set": assessment.criteria_set.name,
        "locked": queries.is_locked(assessment),
        "available_actions": [a.value for a in queries.actions_for(request.user, assessment)],
        "editable_column": queries.editable_column(request.user, assessment),
        "stars": [
            {
                "code": s.code,
                "name": s.name,
                "points": s.points,
                "max_points": s.max_points,
                "passed": s.passed,
                "reasons": [{"code": r.code.value, "subject": r.subject, "message": r.message} for r in s.reasons],
            }
            for s in info.stars
        ],
        "values": [
            {
                "code": r.spec.code,
                "name": r.spec.name,
                "star_code": r.spec.star_code,
                "kind": r.spec.kind.value,
                "self_value": r.value.self_value if r.value else None,
                "town_value": r.value.town_value if r.value else None,
                "county_value": r.value.county_value if r.value else None,
                "derived_value": r.value.derived_value if r.value else None,
                "effective_value": r.effective,
                "correction_note": r.value.correction_note if r.value else "",
                "town_note": r.value.town_note if r.value else "",
                "county_note": r.value.county_note if r.value else "",
                "met": r.met,
                "points": r.points,
                "evidence_count": len(r.evidence),
                "evidence_required": r.spec.evidence_count,
                "changed_since_my_last_step": r.changed,
            }
            for r in info.rows
        ],
        "steps": [
            {
                "action": s.action,
                "from_state": s.from_state,
                "to_state": s.to_state,
                "actor": s.actor_name,
                "role": s.role,
                "reason": s.reason,
                "at": s.at,
            }
            for s in info.steps
        ],
        "star_reviews": [
            {
                "star_code": r.code,
                "star_name": r.name,
                "department_code": r.department.code if r.department else None,
                "department_name": r.department.name if r.department else None,
                "status": r.status,
                "approved_by": (r.approval.actor.full_name or r.approval.actor.username)
                if r.approval and r.approval.actor
                else None,
                "approved_at": r.approval.at if r.approval else None,
                "mine": r.mine,
            }
            for r in queries.star_review_rows(request.user, assessment)
        ],
    }


@router.get("", response=list[AssessmentOut], summary="评定列表（按年度、单位、状态筛选，分页）")
@paginate(Paged)
def assessment_list(request: HttpRequest, year: str = "", unit: str = "", state: str = "") -> Any:
    return Mapped(queries.assessment_list(request.user, {"year": year, "unit": unit, "state": state}), _summary)


@router.get("/rankings/{code}/{year}", response=list[RankOut], summary="星级排名：县内、镇内，较上年变化")
def ranking_list(request: HttpRequest, code: str, year: Year) -> Any:
    unit = access_unit(request.user, code)
    return [
        {
            "county_rank": r.county_rank,
            "town_rank": r.town_rank,
            "village_code": r.village_code,
            "village": r.village,
            "town": r.town,
            "stars": r.stars,
            "points": r.points,
            "last_stars": r.last_stars,
            "change": r.change,
            "state": r.state,
            "assessment_id": r.assessment_id,
        }
        for r in queries.rankings(request.user, unit, year)
    ]


@router.get(
    "/{assessment_id}", response=AssessmentDetailOut, summary="评定详情：各指标三级数值、得分与未达标原因、流程"
)
def assessment_detail(request: HttpRequest, assessment_id: int) -> Any:
    return _detail(request, queries.access_assessment(request.user, assessment_id))


@router.post("/{assessment_id}/values", response=ValuesResultOut, summary="填写当前环节的指标值（按指标编号）")
def assessment_set_values(request: HttpRequest, assessment_id: int, payload: ValuesIn) -> Any:
    assessment = queries.access_assessment(request.user, assessment_id)
    column = queries.editable_column(request.user, assessment) or "self_value"
    needed = {"self_value": Action.CHANGE, "town_value": Action.REVIEW, "county_value": Action.APPROVE}[column]
    assessment = queries.access_assessment(request.user, assessment_id, needed)
    changed = actions.do_set_values(request.user, assessment, column, payload.values, payload.notes)
    assessment.refresh_from_db()
    return {"changed": changed, "column": column, "star_count": assessment.star_count}


@router.post(
    "/{assessment_id}/transitions", response=AssessmentDetailOut, summary="流程操作：提交、审核、退回、公示、授星"
)
def assessment_transition(request: HttpRequest, assessment_id: int, payload: TransitionIn) -> Any:
    try:
        step = wf.Action(payload.action)
    except ValueError:
        raise ActionError("未知的操作", "action") from None
    needed = queries.SCOPE_ACTION.get(step, Action.APPROVE)
    assessment = queries.access_assessment(request.user, assessment_id, needed)
    actions.do_transition(
        request.user,
        assessment,
        step,
        reason=payload.reason,
        publicity_start=payload.publicity_start,
        publicity_days=payload.publicity_days,
    )
    return _detail(request, queries.access_assessment(request.user, assessment_id))


@router.post(
    "/{assessment_id}/star-reviews",
    response=AssessmentDetailOut,
    summary="分星部门审核：审核通过本部门负责的星，或退回村级（须填写理由）",
)
def review_star(request: HttpRequest, assessment_id: int, payload: StarReviewIn) -> Any:
    assessment = queries.access_assessment(request.user, assessment_id, Action.HANDLE)
    actions.do_review_star(request.user, assessment, payload.star_code, payload.decision, reason=payload.reason)
    return _detail(request, queries.access_assessment(request.user, assessment_id))


@router.get(
    "/{assessment_id}/evidence", response=list[EvidenceOut], summary="佐证材料信息（拍摄时间、位置、重复使用提示）"
)
def assessment_evidence(request: HttpRequest, assessment_id: int) -> Any:
    assessment = queries.access_assessment(request.user, assessment_id)
    items = list(queries.visible_evidence(request.user, assessment).select_related("indicator"))
    reused = queries.reused_photos(request.user, items)
    return [
        {
            "id": e.pk,
            "indicator_code": e.indicator.code,
            "original_name": e.original_name,
            "content_type": e.content_type,
            "size": e.size,
            "sha256": e.sha256,
            "is_image": e.is_image,
            "caption": e.caption,
            "taken_at": e.taken_at,
            "latitude": e.latitude,
            "longitude": e.longitude,
            "uploaded_at": e.uploaded_at,
            "reused_elsewhere": reused.get(e.pk, []),
            "url": reverse("assessments:evidence_file", args=[e.pk]),
        }
        for e in items
    ]
