"""Party-life pages: the meeting list and ledger, recording a meeting, one meeting, the township's month table,
and member development."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from xingyao.core.filters import Params
from xingyao.core.roles import Action
from xingyao.core.uploads import serve_photo
from xingyao.core.views_helpers import submit, submit_or_show
from xingyao.partylife import actions, exports
from xingyao.partylife.forms import AdvanceForm, CandidateForm, MeetingForm, PhotosForm
from xingyao.partylife.queries import (
    access_candidate,
    access_meeting,
    access_photo,
    branch_roles,
    branch_villages,
    can_keep,
    candidate_list,
    meeting_list,
    month_table,
)
from xingyao.partylife.workflow import MONTHLY, WORKFLOW, Kind, Stage
from xingyao.places.codes import Kind as UnitKind
from xingyao.places.lists import ledger_download, village_list_page, village_list_rows
from xingyao.places.queries import access_unit, own_unit, top_units


@login_required
def meetings(request: HttpRequest) -> HttpResponse:
    return village_list_page(
        request,
        meeting_list,
        "partylife/meetings.html",
        table=("meeting-table", "partylife/_meetings.html"),
        context=lambda: {"kinds": Kind.choices(), "can_record": branch_villages(request.user).exists()},
    )


@login_required
def export(request: HttpRequest) -> HttpResponse:
    return ledger_download(request, village_list_rows(request, meeting_list), exports.meeting_ledger, "组织生活台账")


@login_required
@require_http_methods(["GET", "POST"])
def record(request: HttpRequest) -> HttpResponse:
    villages = branch_villages(request.user)
    if not villages.exists():
        raise PermissionDenied
    form = MeetingForm(request.POST or None, request.FILES or None, user=request.user, villages=villages)
    done = submit(
        request,
        form,
        lambda data: actions.do_record_meeting(
            request.user,
            village=data["village"],
            kind=data["kind"],
            held_on=data["held_on"],
            topic=data["topic"],
            place=data["place"],
            led_by=data["led_by"],
            expected=data["expected"],
            present=data["present"],
            minutes=data["minutes"],
            absences=form.absence_list(),
            photos=data["photos"],
        ),
        lambda meeting: f"已登记{meeting.kind_label}",
    )
    if done:
        return done
    return render(request, "partylife/record.html", {"form": form}, status=400 if form.errors else 200)


def _detail(request: HttpRequest, meeting: Any, photos_form: PhotosForm | None = None, status: int = 200) -> Any:
    context = {
        "meeting": meeting,
        "absences": list(meeting.absences.all()),
        "photos": list(meeting.photos.restrict(request.user)),
        "can_keep": can_keep(request.user, meeting.village),
        "photos_form": photos_form or PhotosForm(),
    }
    return render(request, "partylife/meeting.html", context, status=status)


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, access_meeting(request.user, pk))


@login_required
@require_POST
def meeting_photos(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access_meeting(request.user, pk, Action.CHANGE)
    form = PhotosForm(request.POST, request.FILES)
    done = submit(
        request,
        form,
        lambda data: actions.do_add_meeting_photos(request.user, meeting.pk, data["photos"]),
        lambda stored: f"已上传 {len(stored)} 张照片",
        meeting,
    )
    if done:
        return done
    return _detail(request, meeting, form, status=400)


@login_required
def photo(request: HttpRequest, pk: int) -> FileResponse:
    return serve_photo(request, access_photo(request.user, pk))


@login_required
def months(request: HttpRequest) -> HttpResponse:
    """Which branches skipped a month: the town's villages × 12 months for 支委会 and 主题党日."""
    params = Params(request.GET)
    today = timezone.localdate()
    year = params.year() or today.year
    code = params.text("unit", "单位", limit=20)
    found = access_unit(request.user, code) if code else own_unit(request.user, (UnitKind.TOWN,))
    unit = found or top_units(request.user).order_by("code").first()
    if unit is None:
        raise PermissionDenied
    rows = month_table(request.user, unit, year, today)
    context = {
        "unit": unit,
        "year": year,
        "rows": rows,
        "monthly": [(k.value, k.label) for k in MONTHLY],
        "month_numbers": range(1, 13),
        "years": range(today.year, today.year - 4, -1),
        "gaps": sum(1 for r in rows if r.gaps),
    }
    return render(request, "partylife/months.html", context)


@login_required
def candidates(request: HttpRequest) -> HttpResponse:
    user = request.user

    def with_moves(candidates: list[Any]) -> dict[str, Any]:
        rows = []
        for candidate in candidates:
            moves = []
            for role in branch_roles(user, candidate.village):
                for move in WORKFLOW.available_actions(Stage(candidate.stage), role):
                    if move not in moves:
                        moves.append(move)
            rows.append((candidate, moves))
        return {"rows": rows}

    return village_list_page(
        request,
        candidate_list,
        "partylife/candidates.html",
        per_page=50,
        rows=with_moves,
        context=lambda: {
            "stages": Stage.choices(),
            "can_register": branch_villages(user).exists(),
            "today": timezone.localdate().isoformat(),
        },
    )


@login_required
def candidates_export(request: HttpRequest) -> HttpResponse:
    rows = village_list_rows(request, candidate_list)
    return ledger_download(request, rows, exports.candidate_ledger, "发展党员台账")


@login_required
@require_http_methods(["GET", "POST"])
def candidate_new(request: HttpRequest) -> HttpResponse:
    villages = branch_villages(request.user)
    if not villages.exists():
        raise PermissionDenied
    form = CandidateForm(request.POST or None, user=request.user, villages=villages)
    done = submit(
        request,
        form,
        lambda data: actions.do_register_candidate(
            request.user,
            village=data["village"],
            name=data["name"],
            applied_on=data["applied_on"],
            note=data["note"],
        ),
        lambda candidate: f"已登记入党申请人 {candidate.name}",
        "partylife:candidates",
    )
    if done:
        return done
    return render(request, "partylife/candidate_form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
@require_POST
def candidate_advance(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = access_candidate(request.user, pk, Action.CHANGE)
    return submit_or_show(
        request,
        AdvanceForm(request.POST),
        lambda data: actions.do_advance_candidate(
            request.user, candidate.pk, data["move"], on=data["on"], reason=data["reason"]
        ),
        lambda done: f"{done.name}已成为{Stage(done.stage).label}",
        f"{reverse('partylife:candidates')}?village={candidate.village_id}",
        invalid="请填写日期（年-月-日）",
        show=lambda message: render(request, "partylife/refused.html", {"message": message}, status=400),
    )
