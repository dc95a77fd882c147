"""Dispute pages: the case list with figures, registration, one case, the figures and “三零” pages, the ledger."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Max
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from xingyao.core.exports import xlsx_response
from xingyao.core.filters import BadParam, Params
from xingyao.core.metrics import read_as
from xingyao.core.roles import Action
from xingyao.core.uploads import serve_file
from xingyao.core.views_helpers import submit, submit_or_show
from xingyao.disputes import actions, exports
from xingyao.disputes.forms import CloseForm, DocumentForm, RegisterForm, SessionForm, TriageForm
from xingyao.disputes.jobs import EXPORT_LEDGER
from xingyao.disputes.metrics import zero_rows
from xingyao.disputes.models import OUTCOME_CHOICES, DisputeType, Risk, Status
from xingyao.disputes.queries import (
    access_dispute,
    access_dispute_for_work,
    can_work,
    case_list,
    disputes_in,
    figures_by_village,
    offered_moves,
    party_view,
    year_range,
)
from xingyao.disputes.workflow import Move
from xingyao.places.codes import Kind
from xingyao.places.lists import ledger_download, village_list_page
from xingyao.places.models import Unit
from xingyao.places.queries import access_unit


def _year(request: HttpRequest) -> int:
    """The asked year, else the latest year with a case in scope (a new year starts empty), else this year."""
    if asked := Params(request.GET).year():  # a bad year is a 400 with the reason, not a different year
        return asked
    latest = disputes_in(request.user).aggregate(latest=Max("received_on"))["latest"]
    return latest.year if latest else timezone.localdate().year


def _villages(user: Any, action: str = Action.VIEW) -> list[Unit]:
    return list(Unit.objects.restrict(user, action).filter(kind=Kind.VILLAGE, active=True).order_by("code"))


@login_required
def dispute_list(request: HttpRequest) -> HttpResponse:
    user = request.user

    def page_context() -> dict[str, Any]:
        year = _year(request)
        overall, _ = figures_by_village(disputes_in(user, since=year_range(year)[0], until=year_range(year)[1]))
        return {
            "figures": overall,
            "year": year,
            "statuses": Status.choices(),
            "risks": Risk.choices,
            "types": DisputeType.choices,
            "outcomes": OUTCOME_CHOICES,
            "can_register": bool(_villages(user, Action.MANAGE)),
        }

    return village_list_page(
        request,
        case_list,
        "disputes/list.html",
        table=("dispute-table", "disputes/_table.html"),
        rows=lambda cases: {"rows": [(d, party_view(user, d)) for d in cases]},
        context=page_context,
    )


@login_required
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    villages = Unit.objects.restrict(request.user, Action.MANAGE).filter(kind=Kind.VILLAGE, active=True)
    if not villages.exists():
        raise PermissionDenied
    form = RegisterForm(request.POST or None, villages=villages)

    def register_case(data: dict[str, Any]) -> Any:
        parties = [actions.PartyIn(data[f"p{i}_side"], data[f"p{i}_name"], data[f"p{i}_phone"]) for i in range(1, 5)]
        fields = ("village", "type", "summary", "description", "risk", "received_on", "amount")
        return actions.do_register_dispute(
            request.user,
            parties=parties,
            petition_beyond_village=data["petition_beyond_village"],
            **{f: data[f] for f in fields},
        )

    if done := submit(request, form, register_case, lambda dispute: f"已登记，案件编号 {dispute.number}"):
        return done
    return render(request, "disputes/register.html", {"form": form}, status=400 if form.errors else 200)


def _detail(
    request: HttpRequest, dispute: Any, *, error: str = "", status: int = 200, forms: dict | None = None
) -> HttpResponse:
    """One case; each step the workflow offers this user now (`offered_moves`) is a form, nothing else is."""
    user = request.user
    offered = offered_moves(user, dispute)
    forms = forms or {}
    today = timezone.localdate()
    team = [m.department for m in dispute.team_members.all()]
    shown: dict[str, Any] = {}
    if Move.TRIAGE in offered:
        departments = actions.departments_for(user, dispute)
        shown["triage_form"] = forms.get("triage") or TriageForm(
            user=user,
            dispute=dispute,
            initial={
                "risk": dispute.risk,
                "lead_department": dispute.lead_department_id,
                "team": [d.pk for d in team] or [d.pk for d in departments],
            },
        )
    if Move.RECORD_SESSION in offered:
        shown["session_form"] = forms.get("session") or SessionForm(initial={"held_on": today})
    if Move.CLOSE in offered:
        shown["close_form"] = forms.get("close") or CloseForm(
            initial={"closed_on": today, "petition_beyond_village": dispute.petition_beyond_village}
        )
    if Move.ADD_DOCUMENT in offered:
        shown["document_form"] = DocumentForm()
    context = {
        "dispute": dispute,
        "parties": party_view(user, dispute),
        "team": team,
        "sessions": dispute.sessions.all(),
        "documents": dispute.documents.all(),
        "steps": dispute.steps.all(),
        "error": error,
        "working": can_work(user, dispute),
        **shown,
    }
    return render(request, "disputes/detail.html", context, status=status)


@login_required
def dispute_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, access_dispute(request.user, pk))


@login_required
@require_POST
def triage(request: HttpRequest, pk: int) -> HttpResponse:
    dispute = access_dispute(request.user, pk, Action.MANAGE)
    form = TriageForm(request.POST, user=request.user, dispute=dispute)
    unit_errors = [str(e) for name in ("lead_department", "team") for e in form.errors.get(name, [])]
    return submit_or_show(
        request,
        form,
        lambda data: actions.do_triage(
            request.user,
            dispute,
            risk=data["risk"],
            lead_department=data["lead_department"],
            team=data["team"],
            note=data["note"],
        ),
        "已分流",
        dispute,
        invalid=unit_errors[0] if unit_errors else "请选择风险等级和主办单位",
        show=lambda error: _detail(
            request, access_dispute(request.user, pk), error=error, status=400, forms={"triage": form}
        ),
    )


@login_required
@require_POST
def session(request: HttpRequest, pk: int) -> HttpResponse:
    dispute = access_dispute_for_work(request.user, pk)
    form = SessionForm(request.POST)
    return submit_or_show(
        request,
        form,
        lambda data: actions.do_add_session(request.user, dispute, **data),
        "已记录调解",
        dispute,
        invalid="请填写调解日期、调解人员和调解情况",
        show=lambda error: _detail(request, dispute, error=error, status=400, forms={"session": form}),
    )


@login_required
@require_POST
def outcome(request: HttpRequest, pk: int) -> HttpResponse:
    dispute = access_dispute_for_work(request.user, pk)
    form = CloseForm(request.POST)
    return submit_or_show(
        request,
        form,
        lambda data: actions.do_close_dispute(request.user, dispute, **data),
        "已结案",
        dispute,
        invalid="请选择调处结果并填写结案日期和调处情况",
        show=lambda error: _detail(request, dispute, error=error, status=400, forms={"close": form}),
    )


@login_required
@require_POST
def document_add(request: HttpRequest, pk: int) -> HttpResponse:
    dispute = access_dispute_for_work(request.user, pk)
    return submit_or_show(
        request,
        DocumentForm(request.POST, request.FILES),
        lambda data: actions.do_add_document(request.user, dispute, data["file"]),
        "已上传协议书",
        dispute,
        invalid="请选择文件",
        show=lambda error: _detail(request, dispute, error=error, status=400),
    )


@login_required
def document(request: HttpRequest, pk: int) -> FileResponse:
    """A case document, served only to those who work the case."""
    from xingyao.disputes.models import AgreementDocument

    dispute_id = AgreementDocument.objects.filter(pk=pk).values_list("dispute_id", flat=True).first()
    if dispute_id is None:
        raise Http404
    dispute = access_dispute(request.user, dispute_id)
    if not can_work(request.user, dispute):  # the agreement names the parties: those who work the case only
        raise PermissionDenied
    return serve_file(get_object_or_404(dispute.documents, pk=pk), download=True)


def _scope_unit(request: HttpRequest) -> Unit | None:
    code = request.GET.get("unit") or ""
    if code:
        return access_unit(request.user, code)
    return None


def _period(request: HttpRequest) -> tuple[int, dt.date, dt.date]:
    """The figures' year and period: `since`/`until` when given, else the year's first and last day."""
    year = _year(request)
    default_since, default_until = year_range(year)
    params = Params(request.GET)
    since = params.date("since", "起始日期") or default_since
    until = params.date("until", "截止日期") or default_until
    if since > until:
        raise BadParam("起始日期不能晚于截止日期")
    return year, since, until


@login_required
def figures(request: HttpRequest) -> HttpResponse:
    """Received, mediated, rates, by type and pre-litigation count, for a town or village over a year or period."""
    unit = _scope_unit(request)
    year, since, until = _period(request)
    overall, per_village = figures_by_village(disputes_in(request.user, unit=unit, since=since, until=until))
    names = dict(
        Unit.objects.unscoped("the villages of cases read through restrict()")
        .filter(pk__in=list(per_village))
        .order_by("code")
        .values_list("pk", "name")
    )
    rows = [(names[vid], per_village[vid]) for vid in names]
    types = dict(DisputeType.choices)
    by_type = [(types.get(k, k), v) for k, v in overall.by_type.items()]
    return render(
        request,
        "disputes/figures.html",
        {
            "unit": unit,
            "year": year,
            "since": since,
            "until": until,
            "overall": overall,
            "rows": rows,
            "by_type": by_type,
        },
    )


def _villages_under(request: HttpRequest, unit: Unit | None) -> list[Unit]:
    """The villages a figures table lists: those the user sees, under `unit` when one is asked."""
    villages = Unit.objects.restrict(request.user).filter(kind=Kind.VILLAGE).select_related("parent")
    return list((villages.within(unit) if unit is not None else villages).order_by("code"))


def _area_name(unit: Unit | None) -> str:
    return unit.name if unit is not None else "全部辖区"


@login_required
def figures_export(request: HttpRequest) -> HttpResponse:
    """The figures page as the table handed upward: per village (every village, cases or not), by type, by month."""
    unit = _scope_unit(request)
    _, since, until = _period(request)
    area = _area_name(unit)
    cases = disputes_in(request.user, unit=unit)
    content = exports.figures_workbook(request.user, cases, _villages_under(request, unit), area, since, until)
    return xlsx_response(content, f"{area}矛盾纠纷统计{since:%Y%m%d}-{until:%Y%m%d}.xlsx")


def _zero_rows(request: HttpRequest) -> tuple[list[dict[str, Any]], int, Unit | None]:
    year = _year(request)
    unit = _scope_unit(request)
    rows = zero_rows(_villages_under(request, unit), year, read_as(request.user))
    if not rows and unit is not None and unit.kind not in (Kind.VILLAGE, Kind.TOWN, Kind.COUNTY):
        raise Http404
    return rows, year, unit


@login_required
def zero(request: HttpRequest) -> HttpResponse:
    """“三零” per village for a year: petitions beyond the village, casualty accidents, criminal cases."""
    rows, year, unit = _zero_rows(request)
    return render(
        request,
        "disputes/zero.html",
        {"rows": rows, "year": year, "unit": unit, "all_zero": sum(1 for r in rows if r["tally"].all_zero)},
    )


@login_required
def zero_export(request: HttpRequest) -> HttpResponse:
    """The “三零” page as the table handed upward."""
    rows, year, unit = _zero_rows(request)
    area = _area_name(unit)
    return xlsx_response(exports.zero_workbook(request.user, rows, area, year), f"{area}{year}年“三零”创建情况.xlsx")


@login_required
def export(request: HttpRequest) -> HttpResponse:
    """The dispute ledger (矛盾纠纷排查调处台账); parties masked unless the user works the case."""
    rows = case_list(request.user, request.GET)
    return ledger_download(
        request, rows, exports.dispute_ledger, "矛盾纠纷台账", job=EXPORT_LEDGER, back=reverse("disputes:list")
    )
