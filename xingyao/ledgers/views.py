"""Ledger pages: the item list and ledger, a new item, one item (progress, acceptance, reopening, closure), the
weak-branch designations."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from xingyao.core.roles import Action
from xingyao.core.scoping import covers
from xingyao.core.uploads import serve_photo
from xingyao.core.views_helpers import submit, submit_or_show
from xingyao.ledgers import actions, exports
from xingyao.ledgers.forms import AcceptanceForm, DesignationForm, ItemForm, ProgressForm, ReasonForm, ReopenForm
from xingyao.ledgers.models import Acceptance, Item, Progress, ProgressPhoto
from xingyao.ledgers.queries import (
    access_designation,
    access_item,
    access_photo,
    designation_list,
    item_list,
    managed_villages,
    of_the_village,
    supervise,
    village_roles,
    with_records,
)
from xingyao.ledgers.workflow import WORKFLOW, Criterion, DesignationState, Facts, Move, Source, State
from xingyao.places.lists import ledger_download, village_list_page, village_list_rows


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
