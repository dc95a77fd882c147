"""Disputes over the API: list, register, triage, sessions, outcome, documents, figures and “三零”."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile

from xingyao.core.errors import ActionError
from xingyao.core.metrics import read_as
from xingyao.core.paging import Mapped, Year, list_route
from xingyao.core.roles import Action
from xingyao.core.uploads import serve_file
from xingyao.disputes import actions
from xingyao.disputes.metrics import zero_rows
from xingyao.disputes.models import AgreementDocument, Dispute
from xingyao.disputes.queries import (
    API_FILTERS,
    access_dispute,
    access_dispute_for_work,
    can_work,
    case_list,
    disputes_in,
    figures_by_village,
    party_view,
    year_range,
)
from xingyao.places.codes import Kind
from xingyao.places.models import Unit
from xingyao.places.queries import access_unit

router = Router(tags=["矛盾纠纷"])


class PartyOut(Schema):
    side: str
    name: str
    phone: str


class DisputeOut(Schema):
    id: int
    number: str
    village_code: str
    village: str
    type: str
    type_label: str
    summary: str
    risk: str
    status: str
    received_on: dt.date
    closed_on: dt.date | None
    outcome: str
    petition_beyond_village: bool
    parties: list[PartyOut]


class SessionOut(Schema):
    held_on: dt.date
    place: str
    mediators: str
    note: str


class DocumentOut(Schema):
    id: int
    name: str
    url: str


class DisputeDetailOut(DisputeOut):
    description: str
    result_note: str
    lead_department: str | None
    team: list[str]
    sessions: list[SessionOut]
    documents: list[DocumentOut]


def _out(request: HttpRequest, dispute: Dispute, detail: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": dispute.pk,
        "number": dispute.number,
        "village_code": dispute.village.code,
        "village": dispute.village.name,
        "type": dispute.type,
        "type_label": dispute.get_type_display(),
        "summary": dispute.summary,
        "risk": dispute.risk,
        "status": dispute.status,
        "received_on": dispute.received_on,
        "closed_on": dispute.closed_on,
        "outcome": dispute.outcome,
        "petition_beyond_village": dispute.petition_beyond_village,
        "parties": party_view(request.user, dispute),  # masked unless the caller works the case
    }
    if detail:
        data |= {
            "description": dispute.description,
            "result_note": dispute.result_note,
            "lead_department": dispute.lead_department.name if dispute.lead_department else None,
            "team": [m.department.name for m in dispute.team_members.all()],
            "sessions": list(dispute.sessions.all()),
            "documents": [
                {"id": d.pk, "name": d.original_name, "url": d.get_absolute_url()} for d in dispute.documents.all()
            ],
        }
    return data


class PartyIn(Schema):
    side: str
    name: str
    phone: str = ""


class RegisterIn(Schema):
    village_code: str
    type: str
    summary: str
    description: str
    risk: str = "yellow"
    received_on: dt.date
    parties: list[PartyIn]
    amount: Decimal | None = None
    petition_beyond_village: bool = False


class TriageIn(Schema):
    risk: str
    lead_department_code: str
    team_codes: list[str] = []
    note: str = ""


class SessionIn(Schema):
    held_on: dt.date
    place: str = ""
    mediators: str
    note: str


class CloseIn(Schema):
    outcome: str
    closed_on: dt.date
    result_note: str
    petition_beyond_village: bool | None = None


class FiguresRow(Schema):
    village_code: str | None
    village: str
    received: int
    attempted: int
    concluded: int
    mediated: int
    pre_litigation: int
    mediation_rate: Decimal | None
    success_rate: Decimal | None


class ZeroRow(Schema):
    village_code: str
    village: str
    petitions: int
    accidents: int
    cases: int
    zero_petitions: bool
    zero_accidents: bool
    zero_cases: bool
    all_zero: bool


UNKNOWN_DEPARTMENT = "所填部门不存在或不在您的调度范围内"


def _departments(user: Any, dispute: Dispute, codes: list[str], field: str) -> list[Unit]:
    """The departments with these codes among those `user` may put on this case's team; a code outside them,
    unknown or out of scope alike, gets one answer that names no department."""
    found = {u.code: u for u in actions.departments_for(user, dispute) if u.code in set(codes)}
    missing = [c for c in codes if c not in found]
    if missing:
        raise ActionError(UNKNOWN_DEPARTMENT, field)
    return [found[c] for c in codes]


@list_route(
    router,
    "",
    response=DisputeOut,
    params=API_FILTERS,
    summary="辖区内的矛盾纠纷（可按状态、风险、类型、结果、单位、年度、关键词筛选；当事人信息按权限遮挡）",
)
def disputes_list(request: HttpRequest, params: dict[str, str]) -> Any:
    return Mapped(case_list(request.user, params), lambda d: _out(request, d))


@router.post("", response={201: DisputeDetailOut}, summary="登记矛盾纠纷")
def register_dispute(request: HttpRequest, payload: RegisterIn) -> Any:
    village = access_unit(request.user, payload.village_code, Action.MANAGE)
    dispute = actions.do_register_dispute(
        request.user,
        village=village,
        type=payload.type,
        summary=payload.summary,
        description=payload.description,
        risk=payload.risk,
        received_on=payload.received_on,
        parties=[actions.PartyIn(p.side, p.name, p.phone) for p in payload.parties],
        amount=payload.amount,
        petition_beyond_village=payload.petition_beyond_village,
    )
    return Status(201, _out(request, access_dispute(request.user, dispute.pk), detail=True))


@router.get("/{int:dispute_id}", response=DisputeDetailOut, summary="案件详情")
def get_dispute(request: HttpRequest, dispute_id: int) -> Any:
    return _out(request, access_dispute(request.user, dispute_id), detail=True)


@router.post("/{int:dispute_id}/triage", response=DisputeDetailOut, summary="分流：风险等级与联合调解单位")
def triage_dispute(request: HttpRequest, dispute_id: int, payload: TriageIn) -> Any:
    dispute = access_dispute(request.user, dispute_id, Action.MANAGE)
    lead = _departments(request.user, dispute, [payload.lead_department_code], "lead_department_code")[0]
    actions.do_triage(
        request.user,
        dispute,
        risk=payload.risk,
        lead_department=lead,
        team=_departments(request.user, dispute, payload.team_codes, "team_codes"),
        note=payload.note,
    )
    return _out(request, access_dispute(request.user, dispute_id), detail=True)


@router.post("/{int:dispute_id}/sessions", response={201: DisputeDetailOut}, summary="记录一次调解")
def add_mediation_session(request: HttpRequest, dispute_id: int, payload: SessionIn) -> Any:
    dispute = access_dispute_for_work(request.user, dispute_id)
    actions.do_add_session(request.user, dispute, **payload.dict())
    return Status(201, _out(request, access_dispute(request.user, dispute_id), detail=True))


@router.post(
    "/{int:dispute_id}/outcome", response=DisputeDetailOut, summary="结案：调解成功、诉前调解、移送法院、撤回或调解不成"
)
def close_dispute(request: HttpRequest, dispute_id: int, payload: CloseIn) -> Any:
    dispute = access_dispute_for_work(request.user, dispute_id)
    actions.do_close_dispute(request.user, dispute, **payload.dict())
    return _out(request, access_dispute(request.user, dispute_id), detail=True)


@router.post("/{int:dispute_id}/documents", response={201: DocumentOut}, summary="上传调解协议书")
def upload_agreement(
    request: HttpRequest,
    dispute_id: int,
    file: UploadedFile | None = File(None),  # noqa: B008 - django-ninja declares multipart parts by default values
) -> Any:
    dispute = access_dispute_for_work(request.user, dispute_id)
    document = actions.do_add_document(request.user, dispute, file)
    return Status(201, {"id": document.pk, "name": document.original_name, "url": document.get_absolute_url()})


@router.get("/documents/{int:document_id}", summary="协议书文件", response={200: None})
def agreement_file(request: HttpRequest, document_id: int) -> Any:
    dispute_id = AgreementDocument.objects.filter(pk=document_id).values_list("dispute_id", flat=True).first()
    if dispute_id is None:
        raise Http404
    dispute = access_dispute(request.user, dispute_id)
    if not can_work(request.user, dispute):
        raise PermissionDenied
    return serve_file(get_object_or_404(dispute.documents, pk=document_id), download=True)


@router.get("/figures", response=list[FiguresRow], summary="统计：受理、调解、成功率、诉前调解（按村，末行合计）")
def dispute_figures_api(request: HttpRequest, year: Year, unit: str | None = None) -> Any:
    scope = access_unit(request.user, unit) if unit else None
    since, until = year_range(year)
    overall, per_village = figures_by_village(disputes_in(request.user, unit=scope, since=since, until=until))
    villages = {
        u.pk: u
        for u in Unit.objects.unscoped("the villages of cases read through restrict()")
        .filter(pk__in=list(per_village))
        .order_by("code")
    }
    rows: list[dict[str, Any]] = []
    for vid, village in villages.items():
        f = per_village[vid]
        rows.append({"village_code": village.code, "village": village.name, **_figures_dict(f)})
    rows.append({"village_code": scope.code if scope else None, "village": "合计", **_figures_dict(overall)})
    return rows


def _figures_dict(f: Any) -> dict[str, Any]:
    keys = ("received", "attempted", "concluded", "mediated", "pre_litigation", "mediation_rate", "success_rate")
    return {k: getattr(f, k) for k in keys}


@router.get("/zero", response=list[ZeroRow], summary="“三零”：零上访、零事故、零案件（按村）")
def zero_tally_api(request: HttpRequest, year: Year, unit: str | None = None) -> Any:
    villages = Unit.objects.restrict(request.user).filter(kind=Kind.VILLAGE).order_by("code")
    if unit:
        villages = villages.within(access_unit(request.user, unit))
    return [
        {
            "village_code": r["village"].code,
            "village": r["village"].name,
            "petitions": r["counts"][0],
            "accidents": r["counts"][1],
            "cases": r["counts"][2],
            "zero_petitions": r["tally"].zero_petitions,
            "zero_accidents": r["tally"].zero_accidents,
            "zero_cases": r["tally"].zero_cases,
            "all_zero": r["tally"].all_zero,
        }
        for r in zero_rows(list(villages), year, read_as(request.user))
    ]
