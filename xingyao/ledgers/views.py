"""Ledger pages: the item list and ledger, a new item, one item (progress, acceptance, reopening, closure), the
weak-branch designations."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from xingyao.core import jobs as core_jobs
from xingyao.core.roles import Action
from xingyao.core.scoping import covers
from xingyao.core.uploads import serve_photo
from xingyao.core.views_helpers import submit, submit_import, submit_or_show
from xingyao.ledgers import actions, exports, imports, warnings
from xingyao.ledgers.forms import (
    AcceptanceForm,
    DecisionForm,
    DesignationForm,
    FollowUpForm,
    GapsForm,
    ImportForm,
    ItemForm,
    ProgressForm,
    ReasonForm,
    ReopenForm,
)
from xingyao.ledgers.jobs import IMPORT_ITEMS
from xingyao.ledgers.models import Acceptance, Item, Progress, ProgressPhoto
from xingyao.ledgers.queries import (
    access_designation,
    access_item,
    access_photo,
    access_warning,
    designation_list,
    follow_ups_of,
    item_list,
    items_from_plans,
    managed_villages,
    of_the_village,
    star_name_of,
    supervise,
    village_roles,
    with_records,
)
from xingyao.ledgers.queries import (
    warning_list as find_warnings,
)
from xingyao.ledgers.workflow import (
    WORKFLOW,
    Criterion,
    Decision,
    DesignationState,
    Facts,
    Move,
    Source,
    State,
    WarningKind,
    WarningState,
    split_gaps,
)
from xingyao.places.lists import ledger_download, village_list_page, village_list_rows
from xingyao.places.queries import top_units
from xingyao.stars.queries import access_plan


def _supervised(items: list[Item]) -> dict[str, Any]:
    supervise(items, timezone.localdate())
    return {}


@login_required
def items(request: HttpRequest) -> HttpResponse:
    return village_list_page(
        request,
        item_list,
        "ledgers/items.html",
        table=("item-table", "ledgers/_items.html"),
        rows=_supervised,
        context=lambda: {
            "states": State.choices(),
            "sources": Source.choices(),
            "can_open": managed_villages(request.user).exists(),
        },
    )


@login_required
def export(request: HttpRequest) -> HttpResponse:
    found = with_records(request.user, village_list_rows(request, item_list))
    return ledger_download(request, found, exports.item_ledger, "整顿台账")


@login_required
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    villages = managed_villages(request.user)
    if not villages.exists():
        raise PermissionDenied
    form = ItemForm(request.POST or None, user=request.user, villages=villages)
    done = submit(
        request,
        form,
        lambda data: actions.do_open_item(request.user, **data),
        lambda item: f"已登记整改事项，完成时限 {item.due_on:%Y-%m-%d}",
    )
    if done:
        return done
    return render(request, "ledgers/new.html", {"form": form}, status=400 if form.errors else 200)


def _detail(request: HttpRequest, item: Item, error: str = "", status: int = 200, **forms: Any) -> HttpResponse:
    user = request.user
    progress = list(
        Progress.objects.restrict(user)
        .filter(item=item)
        .select_related("recorded_by")
        .prefetch_related(Prefetch("photos", queryset=ProgressPhoto.objects.restrict(user)))
        .order_by("acted_on", "id")
    )
    workers = {p.recorded_by_id for p in progress} | set(
        item.history.restrict(user).filter(action=Move.SUBMIT).values_list("actor_id", flat=True)
    )
    facts = Facts(worked_on_it=user.pk in workers, of_the_village=of_the_village(user, item.village))
    moves: list[Move] = []
    for role in village_roles(user, item.village):
        moves += [m for m in WORKFLOW.available_actions(State(item.state), role, facts) if m not in moves]
    supervise([item], timezone.localdate())
    context = {
        "item": item,
        "progress": progress,
        "acceptances": list(Acceptance.objects.restrict(user).filter(item=item).select_related("accepted_by")),
        "history": list(item.history.restrict(user)),
        "can_progress": item.state == State.OPEN and covers(user, Action.CHANGE, item.village.prefix),
        "moves": moves,
        "Move": {m.name: m for m in Move},
        "progress_form": forms.get("progress_form") or ProgressForm(initial={"acted_on": timezone.localdate()}),
        "acceptance_form": forms.get("acceptance_form")
        or AcceptanceForm(initial={"accepted_on": timezone.localdate()}),
        "reopen_form": forms.get("reopen_form") or ReopenForm(initial={"start_on": timezone.localdate()}),
        "follow_ups": follow_ups_of(user, item),
        "can_follow_up": item.state == State.CLOSED and covers(user, Action.CHANGE, item.village.prefix),
        "follow_up_form": forms.get("follow_up_form") or FollowUpForm(initial={"visited_on": timezone.localdate()}),
        "error": error,
    }
    return render(request, "ledgers/item.html", context, status=status)


@login_required
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, access_item(request.user, pk))


def _posted(request: HttpRequest, pk: int, action: str, form: Any, call: Any, said: str, key: str) -> HttpResponse:
    item = access_item(request.user, pk, action)
    return submit_or_show(
        request,
        form,
        lambda data: call(item, data),
        said,
        item,
        invalid="请检查填写的内容",
        show=lambda message: _detail(request, item, message, 400, **{key: form}),
    )


@login_required
@require_POST
def progress(request: HttpRequest, pk: int) -> HttpResponse:
    return _posted(
        request,
        pk,
        Action.CHANGE,
        ProgressForm(request.POST, request.FILES),
        lambda item, data: actions.do_record_progress(request.user, item.pk, **data).item,
        "已登记整改进度",
        "progress_form",
    )


@login_required
@require_POST
def submit_item(request: HttpRequest, pk: int) -> HttpResponse:
    return _posted(
        request,
        pk,
        Action.CHANGE,
        ReasonForm(request.POST),
        lambda item, data: actions.do_submit(request.user, item.pk, **data),
        "已提请验收",
        "",
    )


@login_required
@require_POST
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    def said(item: Item) -> str:
        return "验收通过" if item.state == State.ACCEPTED else "验收未通过，请重新整改"

    item = access_item(request.user, pk, Action.REVIEW)
    form = AcceptanceForm(request.POST)
    return submit_or_show(
        request,
        form,
        lambda data: actions.do_accept(request.user, item.pk, **data).item,
        said,
        item,
        invalid="请检查验收的填写内容",
        show=lambda message: _detail(request, item, message, 400, acceptance_form=form),
    )


@login_required
@require_POST
def reopen(request: HttpRequest, pk: int) -> HttpResponse:
    return _posted(
        request,
        pk,
        Action.MANAGE,
        ReopenForm(request.POST),
        lambda item, data: actions.do_reopen(request.user, item.pk, **data),
        "已重新整改",
        "reopen_form",
    )


@login_required
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    return _posted(
        request,
        pk,
        Action.MANAGE,
        ReasonForm(request.POST),
        lambda item, data: actions.do_close_item(request.user, item.pk),
        "已销号",
        "",
    )


@login_required
def photo(request: HttpRequest, pk: int) -> FileResponse:
    return serve_photo(request, access_photo(request.user, pk))


@login_required
def designations(request: HttpRequest) -> HttpResponse:
    return village_list_page(
        request,
        designation_list,
        "ledgers/designations.html",
        context=lambda: {
            "states": DesignationState.choices(),
            "can_designate": managed_villages(request.user).exists(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def designate(request: HttpRequest) -> HttpResponse:
    villages = managed_villages(request.user)
    if not villages.exists():
        raise PermissionDenied
    form = DesignationForm(
        request.POST or None,
        user=request.user,
        villages=villages,
        initial={"year": timezone.localdate().year, "decided_on": timezone.localdate()},
    )
    done = submit(
        request,
        form,
        lambda data: actions.do_designate(request.user, **data),
        lambda d: f"已将{d.village.name}列为{d.year}年软弱涣散村党组织",
    )
    if done:
        return done
    return render(request, "ledgers/designate.html", {"form": form}, status=400 if form.errors else 200)


def _designation_page(request: HttpRequest, designation: Any, error: str = "", status: int = 200) -> HttpResponse:
    found = list(
        Item.objects.restrict(request.user).filter(designation=designation).select_related("village").order_by("id")
    )
    supervise(found, timezone.localdate())
    context = {
        "designation": designation,
        "items": found,
        "criteria": [Criterion(c).label for c in designation.criteria if Criterion.lookup(c)],
        "can_close": designation.state == DesignationState.OPEN
        and covers(request.user, Action.MANAGE, designation.village.prefix),
        "error": error,
    }
    return render(request, "ledgers/designation.html", context, status=status)


@login_required
def designation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _designation_page(request, access_designation(request.user, pk))


@login_required
@require_POST
def designation_close(request: HttpRequest, pk: int) -> HttpResponse:
    designation = access_designation(request.user, pk, Action.MANAGE)
    return submit_or_show(
        request,
        ReasonForm(request.POST),
        lambda data: actions.do_close_designation(request.user, designation.pk),
        "已整顿销号",
        designation,
        invalid="请检查填写的内容",
        show=lambda message: _designation_page(request, designation, message, 400),
    )


# --- star warnings (预警) -------------------------------------------------------------------------------------


@login_required
def warning_list(request: HttpRequest) -> HttpResponse:
    """The warnings of the user's villages; opening it first raises those of items left overdue (idempotent)."""
    warnings.catch_up_overdue(request.user)
    return village_list_page(
        request,
        find_warnings,
        "ledgers/warnings.html",
        context=lambda: {"states": WarningState.choices(), "kinds": WarningKind.choices()},
    )


@login_required
def warning_export(request: HttpRequest) -> HttpResponse:
    found = village_list_rows(request, find_warnings)
    return ledger_download(request, found, exports.warning_ledger, "星级预警")


def _warning_page(
    request: HttpRequest, warning: Any, form: Any = None, error: str = "", status: int = 200
) -> HttpResponse:
    can_decide = warning.state == WarningState.OPEN and covers(request.user, Action.APPROVE, warning.village.prefix)
    context = {
        "warning": warning,
        "can_decide": can_decide,
        "error": error,
        "form": form or DecisionForm(initial={"decision": Decision.WARN if warning.award_id else Decision.DISMISS}),
    }
    return render(request, "ledgers/warning.html", context, status=status)


@login_required
def warning_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _warning_page(request, access_warning(request.user, pk))


@login_required
@require_POST
def warning_decide(request: HttpRequest, pk: int) -> HttpResponse:
    warning = access_warning(request.user, pk, Action.APPROVE)
    form = DecisionForm(request.POST, request.FILES)
    return submit_or_show(
        request,
        form,
        lambda data: warnings.do_decide_warning(
            request.user, warning.pk, decision=data["decision"], reason=data["reason"], upload=data["file"]
        ),
        lambda w: f"已处理：{w.state_label}",
        warning,
        invalid="请检查处理的填写内容",
        show=lambda message: _warning_page(request, warning, form, message, 400),
    )


# --- follow-up visits (一年回访) --------------------------------------------------------------------------------


@login_required
@require_POST
def follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    return _posted(
        request,
        pk,
        Action.CHANGE,
        FollowUpForm(request.POST),
        lambda item, data: actions.do_follow_up(request.user, item.pk, **data).item,
        "已登记回访",
        "follow_up_form",
    )


# --- star gaps → items ----------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def gaps(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The town turns the chosen gaps of a village's star plan into ledger items in one step."""
    plan = access_plan(request.user, plan_id, Action.MANAGE)
    star_name = star_name_of(plan)
    offered = split_gaps(plan.gaps)
    back = f"{reverse('stars:plans', args=[plan.village.code, plan.year])}#plan-{plan.star_code}"
    form = GapsForm(
        request.POST or None,
        gaps=offered,
        initial={
            "gaps": [str(n) for n in range(len(offered))],
            "measure": plan.measures[:2000],
            "steps": "制定方案、组织实施、提请验收",
            "responsible": plan.responsible[:50],
            "start_on": timezone.localdate(),
            "days": 20,
        },
    )
    done = submit(
        request,
        form,
        lambda data: actions.do_gaps_to_items(request.user, plan, star_name=star_name, **data),
        lambda made: f"已将 {len(made)} 项短板转为整改事项",
        back,
    )
    if done:
        return done
    context = {"form": form, "plan": plan, "star_name": star_name, "offered": offered, "back": back}
    return render(request, "ledgers/gaps.html", context, status=400 if form.errors else 200)


# --- import ---------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def import_items(request: HttpRequest) -> HttpResponse:
    """Items from a sheet in the ledger's own layout: all rows or none, errors named by sheet, row and column."""
    if not managed_villages(request.user).exists():
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid() and core_jobs.upload_is_big(form.cleaned_data["file"]):
        unit = top_units(request.user).order_by("code").first()  # a big file goes to the background worker
        start = lambda data: core_jobs.do_start_job(  # noqa: E731
            request.user, kind=IMPORT_ITEMS, unit=unit, upload=data["file"], filename=data["file"].name
        )
        done, errors = submit(request, form, start, ""), None
    else:
        done, errors = submit_import(
            request,
            form,
            lambda data: imports.do_import_items(request.user, data["file"], data["file"].name),
            lambda count: f"导入完成：登记整改事项 {count} 项",
            "ledgers:list",
        )
    if done:
        return done
    context = {"form": form, "errors": errors, "columns": imports.REQUIRED + imports.OPTIONAL}
    return render(request, "ledgers/import.html", context, status=400 if errors or form.errors else 200)


def plan_items(user: Any, plans: list[Any]) -> dict[int, str]:
    """The star plan page's part (registered through `stars.hooks`): the items opened from each plan's gaps, their
    state, and for the town the step that turns gaps into items."""
    found = items_from_plans(user, plans)
    return {
        plan.pk: render_to_string(
            "ledgers/_plan_items.html",
            {
                "plan": plan,
                "items": found[plan.pk],
                "can_open": bool(split_gaps(plan.gaps)) and covers(user, Action.MANAGE, plan.village.prefix),
            },
        )
        for plan in plans
    }
