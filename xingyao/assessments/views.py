"""Assessment pages: the record with its values, evidence and steps; worklists; the county view; rankings."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from xingyao.assessments import actions, exports, queries, scores
from xingyao.assessments import workflow as wf
from xingyao.assessments.forms import (
    DecisionForm,
    EvidenceForm,
    PaperNoticeForm,
    PublicityForm,
    ReasonForm,
    StarChangeForm,
    StarReviewForm,
    ValuesForm,
)
from xingyao.assessments.jobs import EXPORT_RESULTS, RESCORE
from xingyao.assessments.models import ObjectionStatus, PaperNotice, StarChange, StarChangeEvidence
from xingyao.assessments.workflow import State
from xingyao.core import jobs
from xingyao.core.errors import ActionError
from xingyao.core.exports import xlsx_response
from xingyao.core.job_views import BIG_EXPORT, start_job
from xingyao.core.roles import Action
from xingyao.core.scoping import access, covers, holds
from xingyao.core.uploads import serve_file, serve_photo
from xingyao.core.views_helpers import Outcome, attempt, form_error, paginate, run_action, run_posted, submit
from xingyao.places.codes import Kind
from xingyao.places.queries import access_unit

# The scoping action needed to fill the values column of each stage.
COLUMN_ACTION = {"self_value": Action.CHANGE, "town_value": Action.REVIEW, "county_value": Action.APPROVE}
STAGE_ACTION = {
    State.DRAFT: Action.CHANGE,
    State.SUBMITTED: Action.REVIEW,
    State.TOWN_REVIEWED: Action.APPROVE,
    State.DEPT_REVIEWED: Action.APPROVE,
}
COLUMN_TITLES = {"self_value": "填写村级自评", "town_value": "乡镇初审录入", "county_value": "县级审定录入"}


def _action_of(raw: str) -> wf.Action:
    try:
        return wf.Action(raw)
    except ValueError:
        raise Http404 from None


@login_required
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = queries.access_assessment(request.user, pk)
    info = queries.detail(request.user, assessment)
    prefix = assessment.village.prefix
    can_change = covers(request.user, Action.CHANGE, prefix)
    can_approve = covers(request.user, Action.APPROVE, prefix)
    see_objections = can_approve and bool(queries.workflow_roles(request.user, assessment.village) & wf.COUNTY_ROLES)
    objections = (
        list(assessment.objections.restrict(request.user).select_related("decided_by")) if see_objections else []
    )
    available = queries.actions_for(request.user, assessment)
    return render(
        request,
        "assessments/detail.html",
        {
            "a": assessment,
            "info": info,
            "column": queries.editable_column(request.user, assessment),
            "locked": queries.is_locked(assessment),
            "actions": [a for a in available if a not in (wf.Action.SEND_BACK, wf.Action.PUBLISH)],
            "can_send_back": wf.Action.SEND_BACK in available,
            "can_publish": wf.Action.PUBLISH in available,
            "publicity_form": PublicityForm(days=assessment.criteria_set.publicity_days),
            "can_upload": can_change and assessment.state == State.DRAFT,
            "can_delete_evidence": can_change and assessment.state == State.DRAFT,
            "objections": objections,
            "open_objections": [o for o in objections if o.status == ObjectionStatus.OPEN],
            "decision_form": DecisionForm(),
            "awards": list(assessment.awards.restrict(request.user).order_by("order")),
            "can_manage_stars": see_objections,
            "problems": actions.submission_problems(assessment) if wf.Action.SUBMIT in available else [],
            "star_reviews": queries.star_review_rows(request.user, assessment),
            "paper_notices": list(assessment.paper_notices.restrict(request.user)),
            "paper_notice_form": PaperNoticeForm()
            if see_objections and assessment.state_enum in actions.PAPER_NOTICE_STATES
            else None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def assessment_values(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = queries.access_assessment(request.user, pk)
    column = queries.editable_column(request.user, assessment)
    needed = COLUMN_ACTION[column] if column else STAGE_ACTION.get(assessment.state_enum, Action.CHANGE)
    assessment = queries.access_assessment(request.user, pk, needed)
    if column is None:
        # Nothing to fill here now (locked, or not this user's stage): say why, change nothing.
        why = (
            f"评定已{assessment.state_label}，已锁定，不能修改"
            if queries.is_locked(assessment)
            else f"当前状态「{assessment.state_label}」下您不能修改指标值"
        )
        messages.error(request, why)
        return redirect(assessment)
    values = list(
        assessment.values.restrict(request.user)
        .select_related("indicator__star", "indicator__section")
        .order_by("indicator__star__order", "indicator__section__order", "indicator__order", "indicator__id")
    )
    for v in values:
        spec = v.indicator.to_spec()
        v.shown_self = scores.display(spec, v.self_value)  # type: ignore[attr-defined]
        v.shown_town = scores.display(spec, v.town_value)  # type: ignore[attr-defined]
        v.shown_derived = scores.display(spec, v.derived_value) if v.derived_value is not None else ""  # type: ignore[attr-defined]
    form = ValuesForm(request.POST or None, column=column, values=values)
    if request.method == "POST" and form.is_valid():
        raw, notes = form.raw_values()
        try:
            changed = actions.do_set_values(request.user, assessment, column, raw, notes)
        except actions.ValuesError as exc:
            for code, message in exc.errors.items():
                name = form.field_of(code)
                form.add_error(name if name else None, message)
            messages.error(request, f"有 {len(exc.errors)} 项填写有误，未保存任何修改")
        except ActionError as exc:
            form_error(form, exc)
        else:
            messages.success(request, f"已保存 {changed} 项" if changed else "没有需要保存的修改")
            return redirect(assessment)
    return render(
        request,
        "assessments/values.html",
        {"a": assessment, "form": form, "title": COLUMN_TITLES[column], "column": column},
    )


@login_required
@require_POST
def assessment_refresh(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = queries.access_assessment(request.user, pk, Action.CHANGE)
    run_action(
        request,
        lambda: actions.do_refresh_derived(request.user, assessment),
        lambda changed: f"系统数据已刷新，{changed} 项有变化",
    )
    return redirect(assessment)


@login_required
@require_POST
def evidence_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """Photos and files for one indicator. The page's uploader (app.js) sends one file per request and gets the
    indicator's row back to swap in, or the refusal as text; without a script the form posts them all at once and
    the page comes back at the row."""
    assessment = queries.access_assessment(request.user, pk, Action.CHANGE)
    form = EvidenceForm(request.POST, request.FILES, criteria_set_id=assessment.criteria_set_id)
    from_script = request.headers.get("HX-Request") == "true"
    if not form.is_valid():
        message = "；".join(str(e) for errors in form.errors.values() for e in errors)
        if from_script:
            return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
        messages.error(request, message)
        return redirect(assessment)
    data = form.cleaned_data
    indicator = data["indicator"]

    def add(upload: Any) -> Outcome[Any]:
        return attempt(lambda: actions.do_add_evidence(request.user, assessment, indicator, upload, data["caption"]))

    outcomes = [add(upload) for upload in data["file"]]
    refused = [o.error.message for o in outcomes if o.error is not None]
    if from_script:
        if refused:
            return HttpResponse("；".join(refused), status=400, content_type="text/plain; charset=utf-8")
        row = queries.detail(request.user, assessment).row_of(indicator.pk)
        context = {"r": row, "a": assessment, "can_upload": True, "can_delete_evidence": True}
        return render(request, "assessments/_indicator_row.html", context)
    if saved := [o.value.original_name for o in outcomes if o.value is not None]:
        messages.success(request, f"已上传 {len(saved)} 个文件：" + "、".join(saved))
    for message in refused:
        messages.error(request, message)
    return redirect(f"{assessment.get_absolute_url()}#ind-{indicator.pk}")


@login_required
def evidence_file(request: HttpRequest, pk: int) -> FileResponse:
    return serve_photo(request, queries.access_evidence(request.user, pk))


@login_required
@require_POST
def evidence_delete(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = queries.access_evidence(request.user, pk, Action.CHANGE)
    run_action(
        request, lambda: actions.do_remove_evidence(request.user, evidence), f"已删除「{evidence.original_name}」"
    )
    return redirect(evidence.assessment)


@login_required
@require_POST
def assessment_transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    step = _action_of(action)
    if step not in queries.SCOPE_ACTION:
        raise Http404
    assessment = queries.access_assessment(request.user, pk, queries.SCOPE_ACTION[step])
    start, days = None, None
    if step is wf.Action.PUBLISH:
        form = PublicityForm(request.POST, days=assessment.criteria_set.publicity_days)
        if not form.is_valid():
            messages.error(request, "请填写有效的公示开始日期和天数（1 到 30 天）")
            return redirect(assessment)
        start, days = form.cleaned_data["start"], form.cleaned_data["days"]
    reason = ReasonForm(request.POST).data.get("reason", "")
    run_action(
        request,
        lambda: actions.do_transition(
            request.user, assessment, step, reason=str(reason), publicity_start=start, publicity_days=days
        ),
        f"已{step.label}",
    )
    return redirect(assessment)


@login_required
@require_POST
def paper_notice_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a paper notice posted before (or beside) the online one: its date and a photo."""
    assessment = queries.access_assessment(request.user, pk, Action.APPROVE)
    form = PaperNoticeForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "请填写张贴日期并上传现场照片（JPEG、PNG 或 WebP）")
        return redirect(assessment)
    try:
        actions.do_record_paper_notice(
            request.user, assessment, posted_on=form.cleaned_data["posted_on"], upload=form.cleaned_data["photo"]
        )
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已登记纸质公示；授星仍须等网上公示期满")
    return redirect(assessment)


@login_required
def paper_notice_file(request: HttpRequest, pk: int) -> FileResponse:
    return serve_file(access(PaperNotice.objects.all(), request.user, pk))


@login_required
@require_POST
def star_review(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """A department's decision on one star (approve, or send the whole record back with a reason)."""
    assessment = queries.access_assessment(request.user, pk, Action.HANDLE)
    run_posted(
        request,
        StarReviewForm(request.POST),
        "请选择审核结果",
        lambda data: actions.do_review_star(request.user, assessment, code, data["decision"], reason=data["reason"]),
        lambda _: "已退回村级修改" if request.POST.get("decision") == wf.Decision.SEND_BACK else "已审核通过",
    )
    return redirect(assessment)


@login_required
@require_POST
def assessment_start(request: HttpRequest, code: str, year: int) -> HttpResponse:
    village = access_unit(request.user, code, Action.CHANGE)
    started = run_action(
        request, lambda: actions.do_start_assessment(request.user, village, year), f"已开始 {year} 年度评定"
    )
    return redirect(started.value or village)


@login_required
@require_POST
def open_year(request: HttpRequest, code: str, year: int) -> HttpResponse:
    unit = access_unit(request.user, code, Action.MANAGE)
    run_action(
        request,
        lambda: actions.do_open_year(request.user, unit, year),
        lambda created: f"已为 {created} 个村开展 {year} 年度评定" if created else "各村均已开展评定",
    )
    return redirect("assessments:overview", code=unit.code, year=year)


# --- worklists --------------------------------------------------------------------------------------


def _queue_context(request: HttpRequest, result: actions.BatchResult | None = None) -> dict[str, Any]:
    items = list(queries.queue_for(request.user)[:200])
    today = timezone.localdate()
    for a in items:
        a.batchable = not a.has_remarks and actions.approval_action(a) is not None  # type: ignore[attr-defined]
        a.overdue = bool(a.due_date and a.due_date < today)  # type: ignore[attr-defined]
    dept_items = list(
        queries.dept_queue(request.user)
        .select_related("village__parent", "criteria_set")
        .order_by("due_date", "state_since", "village__code")[:200]
    )
    for a in dept_items:
        a.overdue = bool(a.due_date and a.due_date < today)  # type: ignore[attr-defined]
    return {"items": items, "dept_items": dept_items, "result": result, "today": today}


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    return render(request, "assessments/queue.html", _queue_context(request))


@login_required
@require_POST
def queue_approve(request: HttpRequest) -> HttpResponse:
    if not holds(request.user, Action.REVIEW):
        raise PermissionDenied
    ids = [int(i) for i in request.POST.getlist("ids") if str(i).isdigit()]
    chosen = list(queries.queue_for(request.user).filter(pk__in=ids))
    result = actions.do_batch_approve(request.user, chosen)
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "assessments/_queue.html", _queue_context(request, result))
    if result.done:
        messages.success(request, f"已批量审核通过 {len(result.done)} 件")
    for a, why in result.skipped:
        messages.error(request, f"{a.village.name}：{why}")
    return redirect("assessments:queue")


def _area(request: HttpRequest, code: str) -> Any:
    """A town or a unit above it in the user's scope: what the overview, rankings and their sheets are about."""
    unit = access_unit(request.user, code)
    if unit.kind not in (Kind.PROVINCE, Kind.CITY, Kind.COUNTY, Kind.TOWN):
        raise Http404
    return unit


@login_required
def overview(request: HttpRequest, code: str, year: int) -> HttpResponse:
    unit = _area(request, code)
    items = queries.assessment_list(
        request.user, {"unit": unit.code, "year": year, "state": request.GET.get("state", "")}
    )
    return render(
        request,
        "assessments/overview.html",
        {
            "unit": unit,
            "year": year,
            "towns": queries.waiting_overview(request.user, unit, year),
            "states": list(State),
            "page": paginate(request, items),
            "now": timezone.now(),
            # A finished step (公示中, 已授星) waits for nobody: it shows since when, not a wait counted to today.
            "waiting_states": [s.value for s in queries.WAITING_STATES],
            "can_manage": covers(request.user, Action.MANAGE, unit.prefix),
            "can_approve": covers(request.user, Action.APPROVE, unit.prefix),
            "publicity_form": PublicityForm(),
        },
    )


def _say_skipped(request: HttpRequest, outcome: Outcome[Any]) -> None:
    """After a town- or county-wide step, each village it had to leave out, and why."""
    for a, why in outcome.value.skipped if outcome.value else ():
        messages.error(request, f"{a.village.name}：{why}")


@login_required
@require_POST
def rescore_year(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """Recompute every village's cached score for the year under this unit, as a background job."""
    unit = access_unit(request.user, code, Action.APPROVE)
    if unit.kind not in (Kind.PROVINCE, Kind.CITY, Kind.COUNTY, Kind.TOWN) or not 2000 <= year <= 2100:
        raise Http404
    return start_job(
        request,
        reverse("assessments:overview", args=[unit.code, year]),
        kind=RESCORE,
        unit=unit,
        params={"year": year},
        label=f"{unit.name}{year}年度重新计分",
    )


@login_required
@require_POST
def open_publicity(request: HttpRequest, code: str, year: int) -> HttpResponse:
    unit = access_unit(request.user, code, Action.APPROVE)
    opened = run_posted(
        request,
        PublicityForm(request.POST),
        "请填写有效的公示开始日期和天数（1 到 30 天）",
        lambda data: actions.do_open_publicity(request.user, unit, year, data["start"], data["days"]),
        lambda result: f"已对 {len(result.done)} 个村开始公示",
    )
    _say_skipped(request, opened)
    return redirect("assessments:overview", code=unit.code, year=year)


@login_required
@require_POST
def award_ended(request: HttpRequest, code: str, year: int) -> HttpResponse:
    unit = access_unit(request.user, code, Action.APPROVE)
    awarded = run_action(
        request,
        lambda: actions.do_award_ended(request.user, unit, year),
        lambda result: f"已为 {len(result.done)} 个村授星",
    )
    _say_skipped(request, awarded)
    return redirect("assessments:overview", code=unit.code, year=year)


# --- objections and stars ---------------------------------------------------------------------------


@login_required
@require_POST
def objection_decide(request: HttpRequest, pk: int) -> HttpResponse:
    objection = queries.access_objection(request.user, pk, Action.APPROVE)
    run_posted(
        request,
        DecisionForm(request.POST),
        "请选择处理结果并填写处理意见",
        lambda data: actions.do_decide_objection(
            request.user, objection, upheld=data["upheld"], decision=data["decision"]
        ),
        "异议已处理",
    )
    return redirect(objection.assessment)


@login_required
@require_http_methods(["GET", "POST"])
def star_manage(request: HttpRequest, pk: int) -> HttpResponse:
    award = queries.access_award(request.user, pk, Action.APPROVE)
    roles = queries.workflow_roles(request.user, award.village)
    role = next(iter(sorted(roles & wf.COUNTY_ROLES)), "")
    available = wf.available_star_actions(wf.StarStatus(award.status), role)
    form = StarChangeForm(request.POST or None, request.FILES or None, actions=available)
    changed = submit(
        request,
        form,
        lambda data: actions.do_change_star(
            request.user, award, data["action"], reason=data["reason"], upload=data["file"]
        ),
        "已保存，并在公示页面公布",
        reverse("assessments:star_manage", args=[award.pk]),
    )
    if changed:
        return changed
    history = (
        StarChange.objects.restrict(request.user)
        .filter(award=award)
        .select_related("actor")
        .prefetch_related(Prefetch("evidence", queryset=StarChangeEvidence.objects.restrict(request.user)))
    )
    return render(
        request,
        "assessments/star_manage.html",
        {"award": award, "form": form, "available": available, "history": history},
    )


@login_required
def star_evidence_file(request: HttpRequest, pk: int) -> FileResponse:
    return serve_photo(request, access(StarChangeEvidence.objects.all(), request.user, pk))


# --- rankings ---------------------------------------------------------------------------------------


@login_required
def rankings(request: HttpRequest, code: str, year: int) -> HttpResponse:
    unit = _area(request, code)
    rows = queries.rankings(request.user, unit, year)
    return render(
        request,
        "assessments/rankings.html",
        {"unit": unit, "year": year, "rows": rows, "by_town": unit.kind == Kind.TOWN},
    )


# --- Excel for those above ----------------------------------------------------------------------------


@login_required
def results_export(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """The year's results per village (评定结果汇总表); a city's or province's goes to the job worker."""
    unit = _area(request, code)
    if jobs.export_is_big(exports.assessments_of(request.user, unit, year)):
        back = reverse("assessments:overview", args=[unit.code, year])
        return start_job(request, back, BIG_EXPORT, kind=EXPORT_RESULTS, unit=unit, params={"year": year})
    content = exports.results_workbook(request.user, unit, year)
    return xlsx_response(content, exports.results_filename(unit, year))


@login_required
def rankings_export(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """The rankings page as a sheet (星级排名表), with the change on last year."""
    unit = _area(request, code)
    content = exports.rankings_workbook(request.user, unit, year, by_town=unit.kind == Kind.TOWN)
    return xlsx_response(content, f"{unit.name}{year}年度星级排名.xlsx")
