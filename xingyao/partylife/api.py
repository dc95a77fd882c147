"""Party life over the API: meetings (list, one, record) and member development (list, register, step)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status

from xingyao.core.paging import Mapped, list_route
from xingyao.core.roles import Action
from xingyao.partylife import actions
from xingyao.partylife.models import Candidate, Meeting
from xingyao.partylife.queries import (
    API_FILTERS,
    CANDIDATE_FILTERS,
    access_candidate,
    access_meeting,
    candidate_list,
    meeting_list,
)
from xingyao.places.queries import access_unit

router = Router(tags=["组织生活"])


class MeetingOut(Schema):
    id: int
    village_code: str
    village: str
    kind: str
    kind_label: str
    held_on: dt.date
    topic: str
    led_by: str
    expected: int
    present: int
    photos: int


class AbsenceOut(Schema):
    name: str
    reason: str


class MeetingDetailOut(MeetingOut):
    place: str
    minutes: str
    absences: list[AbsenceOut]
    photo_urls: list[str]


class AbsenceIn(Schema):
    name: str
    reason: str


class MeetingIn(Schema):
    village_code: str
    kind: str
    held_on: dt.date
    topic: str
    led_by: str
    expected: int
    present: int
    place: str = ""
    minutes: str = ""
    absences: list[AbsenceIn] = []


class CandidateOut(Schema):
    id: int
    village_code: str
    village: str
    name: str
    stage: str
    stage_label: str
    applied_on: dt.date
    activist_on: dt.date | None
    prospect_on: dt.date | None
    probationary_on: dt.date | None
    full_on: dt.date | None


class CandidateIn(Schema):
    village_code: str
    name: str
    applied_on: dt.date
    note: str = ""


class AdvanceIn(Schema):
    move: str
    on: dt.date
    reason: str = ""


def _meeting(m: Meeting, photos: int) -> dict[str, Any]:
    return {
        "id": m.pk,
        "village_code": m.village.code,
        "village": m.village.name,
        "kind": m.kind,
        "kind_label": m.kind_label,
        "held_on": m.held_on,
        "topic": m.topic,
        "led_by": m.led_by,
        "expected": m.expected,
        "present": m.present,
        "photos": photos,
    }


def _detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    m = access_meeting(request.user, pk)
    photos = list(m.photos.restrict(request.user))
    return _meeting(m, len(photos)) | {
        "place": m.place,
        "minutes": m.minutes,
        "absences": [{"name": a.name, "reason": a.reason} for a in m.absences.all()],
        "photo_urls": [p.get_absolute_url() for p in photos],
    }


def _candidate(c: Candidate) -> dict[str, Any]:
    return {
        "id": c.pk,
        "village_code": c.village.code,
        "village": c.village.name,
        "name": c.name,
        "stage": c.stage,
        "stage_label": c.stage_label,
        "applied_on": c.applied_on,
        "activist_on": c.activist_on,
        "prospect_on": c.prospect_on,
        "probationary_on": c.probationary_on,
        "full_on": c.full_on,
    }


@list_route(router, "/meetings", response=MeetingOut, params=API_FILTERS, summary="辖区内的组织生活记录")
def meetings_list(request: HttpRequest, params: dict[str, str]) -> Any:
    return Mapped(meeting_list(request.user, params), lambda m: _meeting(m, m.photo_count))


@router.get("/meetings/{int:meeting_id}", response=MeetingDetailOut, summary="一次组织生活的详情")
def get_meeting(request: HttpRequest, meeting_id: int) -> Any:
    return _detail(request, meeting_id)


@router.post("/meetings", response={201: MeetingDetailOut}, summary="登记组织生活（照片请在页面上传）")
def record_meeting(request: HttpRequest, payload: MeetingIn) -> Any:
    village = access_unit(request.user, payload.village_code, Action.CHANGE)
    meeting = actions.do_record_meeting(
        request.user,
        village=village,
        kind=payload.kind,
        held_on=payload.held_on,
        topic=payload.topic,
        led_by=payload.led_by,
        expected=payload.expected,
        present=payload.present,
        place=payload.place,
        minutes=payload.minutes,
        absences=[actions.AbsenceIn(a.name, a.reason) for a in payload.absences],
    )
    return Status(201, _detail(request, meeting.pk))


@list_route(router, "/candidates", response=CandidateOut, params=CANDIDATE_FILTERS, summary="发展党员")
def candidates_list(request: HttpRequest, params: dict[str, str]) -> Any:
    return Mapped(candidate_list(request.user, params), _candidate)


@router.post("/candidates", response={201: CandidateOut}, summary="登记入党申请人")
def register_candidate(request: HttpRequest, payload: CandidateIn) -> Any:
    village = access_unit(request.user, payload.village_code, Action.CHANGE)
    candidate = actions.do_register_candidate(
        request.user, village=village, name=payload.name, applied_on=payload.applied_on, note=payload.note
    )
    return Status(201, _candidate(access_candidate(request.user, candidate.pk)))


@router.post("/candidates/{int:candidate_id}/advance", response=CandidateOut, summary="发展党员的下一步")
def advance_candidate(request: HttpRequest, candidate_id: int, payload: AdvanceIn) -> Any:
    candidate = access_candidate(request.user, candidate_id, Action.CHANGE)
    actions.do_advance_candidate(request.user, candidate.pk, payload.move, on=payload.on, reason=payload.reason)
    return _candidate(access_candidate(request.user, candidate_id))
