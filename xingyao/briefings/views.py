"""Briefing pages: the list, generating one, the briefing itself (figures linked to their records), 下一步,
issuing, the Word and PDF files, and the comparison of an issued briefing with today's records."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from xingyao.briefings import actions
from xingyao.briefings import render as documents
from xingyao.briefings.compose import Span, all_facts, compose
from xingyao.briefings.forms import GenerateForm, NextStepsForm
from xingyao.briefings.jobs import COUNTY_BRIEFING, DOCX
from xingyao.briefings.models import Briefing, PeriodKind
from xingyao.core.errors import ActionError
from xingyao.core.job_views import start_job
from xingyao.core.roles import Action
from xingyao.core.scoping import access, covers, holds
from xingyao.core.views_helpers import paginate, run_action, submit
from xingyao.places.codes import Kind
from xingyao.places.queries import access_unit


def access_briefing(user: Any, pk: int, action: str = Action.VIEW) -> Briefing:
    """A briefing of a unit in the user's scope; 404 for any other."""
    return access(Briefing.objects.select_related("unit", "generated_by", "issued_by"), user, pk, action)


@login_required
def briefing_list(request: HttpRequest) -> HttpResponse:
    briefings = (
        Briefing.objects.restrict(request.user).select_related("unit", "generated_by").order_by("-generated_at", "-id")
    )
    page = paginate(request, briefings, per_page=30)
    return render(request, "briefings/list.html", {"page": page})


def _county_job(request: HttpRequest, form: GenerateForm) -> HttpResponse:
    data = form.cleaned_data
    try:
        span = actions.span_of(data["period"], data["year"], data["quarter"], data["until"])
    except ActionError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return render(request, "briefings/new.html", {"form": form, "title": "生成工作通报"}, status=400)
    params = {
        "unit": data["unit"].code,
        "period": span.kind.value,
        "year": span.year,
        "quarter": span.quarter,
        "until": span.until.isoformat() if span.until else None,
    }
    return start_job(
        request,
        "briefings:new",
        "全县通报汇总各乡镇，已转为后台生成：完成后在本页下载 Word 版",
        kind=COUNTY_BRIEFING,
        unit=data["unit"],
        params=params,
    )


@login_required
def briefing_new(request: HttpRequest) -> HttpResponse:
    if not holds(request.user, Action.MANAGE):
        raise PermissionDenied  # only who runs a town or a county generates its briefing
    initial = {}
    if typed := request.GET.get("unit"):  # from a town's page: a town outside the user's scope is a 404
        initial["unit"] = access_unit(request.user, typed, Action.MANAGE)
    form = GenerateForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid() and form.cleaned_data["unit"].kind == Kind.COUNTY:
        return _county_job(request, form)

    def generate(data: dict[str, Any]) -> Briefing:
        span = actions.span_of(data["period"], data["year"], data["quarter"], data["until"])
        return actions.do_generate_briefing(request.user, data["unit"], span)

    if done := submit(request, form, generate, "已生成通报：请核对数字，修改“下一步”后签发"):
        return done
    status = 400 if form.errors else 200
    return render(request, "briefings/new.html", {"form": form, "title": "生成工作通报"}, status=status)


def _detail(request: HttpRequest, briefing: Briefing, form: NextStepsForm | None = None, status: int = 200) -> Any:
    may_manage = covers(request.user, Action.MANAGE, briefing.unit.prefix)
    form = form or NextStepsForm(initial={"next_steps": briefing.next_steps})
    context = {
        "briefing": briefing,
        "blocks": list(documents.blocks(briefing)),
        "may_manage": may_manage and not briefing.issued,
        "form": form,
        "stand_ins": documents.STAND_INS,
    }
    return render(request, "briefings/detail.html", context, status=status)


@login_required
def briefing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, access_briefing(request.user, pk))  # type: ignore[no-any-return]


@login_required
@require_POST
def next_steps(request: HttpRequest, pk: int) -> HttpResponse:
    briefing = access_briefing(request.user, pk, Action.MANAGE)
    form = NextStepsForm(request.POST)
    done = submit(
        request,
        form,
        lambda data: actions.do_edit_next_steps(request.user, briefing.pk, data["next_steps"]),
        "已保存“下一步”",
    )
    if done:
        return done
    return _detail(request, briefing, form, status=400)  # type: ignore[no-any-return]


@login_required
@require_POST
def issue(request: HttpRequest, pk: int) -> HttpResponse:
    briefing = access_briefing(request.user, pk, Action.MANAGE)
    run_action(
        request, lambda: actions.do_issue_briefing(request.user, briefing.pk), "通报已签发，快照摘要已记入审计链"
    )
    return redirect(briefing)


@login_required
def docx(request: HttpRequest, pk: int) -> HttpResponse:
    briefing = access_briefing(request.user, pk)
    return _attachment(documents.docx_bytes(briefing), documents.filename(briefing, "docx"), DOCX)


@login_required
def pdf(request: HttpRequest, pk: int) -> HttpResponse:
    briefing = access_briefing(request.user, pk)
    try:
        content = documents.pdf_bytes(briefing)
    except documents.PdfFailed as exc:
        return render(request, "briefings/pdf_failed.html", {"briefing": briefing, "message": exc.message}, status=503)
    return _attachment(content, documents.filename(briefing, "pdf"), "application/pdf")


def _attachment(content: bytes, name: str, content_type: str) -> HttpResponse:
    from urllib.parse import quote

    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


@login_required
def compare(request: HttpRequest, pk: int) -> HttpResponse:
    """The briefing's figures beside what the records say today, for the same unit and period, read as the viewer."""
    briefing = access_briefing(request.user, pk)
    span = Span(
        PeriodKind(briefing.period_kind),
        briefing.year,
        briefing.quarter,
        briefing.last_day if briefing.period_kind == PeriodKind.UP_TO else None,
    )
    today = all_facts(compose(request.user, briefing.unit, span))
    then = all_facts(briefing.content)
    rows = []
    for key in list(then) + [k for k in today if k not in then]:
        old, new = then.get(key), today.get(key)
        changed = (old or {}).get("value") != (new or {}).get("value")
        rows.append(
            {
                "label": (old or new or {}).get("label", ""),
                "then": (old or {}).get("text", "—"),
                "now": (new or {}).get("text", "—"),
                "url": (new or old or {}).get("url", ""),
                "changed": changed,
            }
        )
    changed = [r for r in rows if r["changed"]]
    return render(request, "briefings/compare.html", {"briefing": briefing, "rows": rows, "changed": changed})
