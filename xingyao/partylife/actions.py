"""Every change to Party-life records: durable, audited, refused in Chinese with nothing written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from xingyao.core import audit, offline
from xingyao.core.actors import require_actor
from xingyao.core.errors import ActionError
from xingyao.core.history import record_step
from xingyao.core.roles import Action
from xingyao.core.scoping import access, covers
from xingyao.core.uploads import check_image
from xingyao.core.validators import clean_text
from xingyao.core.workflow import TransitionError
from xingyao.partylife.models import Absence, Candidate, CandidateStep, Meeting, MeetingPhoto
from xingyao.partylife.queries import branch_roles
from xingyao.partylife.workflow import PHOTO_DAYS, STAGE_DATES, TARGETS, WORKFLOW, Kind, Move, Stage
from xingyao.places.codes import Kind as UnitKind

MAX_PHOTOS = 9
MAX_MEMBERS = 2000  # a village branch has tens of members; a bigger number is a typing slip
EARLIEST = dt.date(2000, 1, 1)
MEETING_FIELDS = ["kind", "held_on", "topic", "led_by", "expected", "present"]


@dataclass(frozen=True)
class AbsenceIn:
    name: str
    reason: str


def _branch_village(actor: Any, village: Any) -> Any:
    """The village whose branch the actor may keep records for, or a Chinese refusal."""
    if village is None or getattr(village, "kind", None) != UnitKind.VILLAGE:
        raise ActionError("请选择村（社区）党组织", "village")
    if not covers(actor, Action.CHANGE, village.prefix):
        raise ActionError(f"{village.name}不在您的管辖范围内，不能登记它的组织生活", "village")
    return village


def _day(value: Any, label: str, field: str) -> dt.date:
    if not isinstance(value, dt.date):
        raise ActionError(f"请填写{label}", field)
    if value > timezone.localdate():
        raise ActionError(f"{label}不能晚于今天", field)
    if value < EARLIEST:
        raise ActionError(f"{label}不能早于 2000 年", field)
    return value


def _count(value: Any, label: str, field: str, *, low: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= MAX_MEMBERS:
        raise ActionError(f"{label}应为 {low} 到 {MAX_MEMBERS} 之间的整数", field)
    return value


def _store_photos(actor: Any, meeting: Meeting, uploads: Sequence[Any]) -> list[MeetingPhoto]:
    """Check each photo (decoded, re-encoded without metadata, EXIF time read) and flag one taken far from the
    meeting date; a photo that is not an image refuses the whole change."""
    stored = []
    for upload in uploads:
        checked = check_image(upload, getattr(upload, "name", "") or "photo")
        photo = MeetingPhoto(meeting=meeting, uploaded_by=actor if getattr(actor, "pk", None) else None)
        photo.fill_from(checked)
        if checked.taken_at is not None:
            photo.date_mismatch = abs((checked.taken_at.date() - meeting.held_on).days) > PHOTO_DAYS
        photo.save()
        stored.append(photo)
    return stored


def do_record_meeting(
    actor: Any,
    *,
    village: Any,
    kind: str,
    held_on: Any,
    topic: str,
    led_by: str,
    expected: Any,
    present: Any,
    place: str = "",
    minutes: str = "",
    absences: Sequence[AbsenceIn] = (),
    photos: Sequence[Any] = (),
    client_id: Any = None,
) -> Meeting:
    """Record one meeting of a village branch with its attendance, absentees and photos. `client_id` is the
    phone's id for a record made offline: sent again, it answers with the meeting it already recorded."""
    require_actor(actor)
    village = _branch_village(actor, village)
    found = Kind.lookup(kind)
    if found is None:
        raise ActionError("请选择会议类型", "kind")
    held_on = _day(held_on, "会议日期", "held_on")
    expected = _count(expected, "应到人数", "expected", low=1)
    present = _count(present, "实到人数", "present", low=0)
    if present > expected:
        raise ActionError(f"实到人数（{present}）不能多于应到人数（{expected}）", "present")
    listed = [a for a in absences if (a.name or "").strip() or (a.reason or "").strip()]
    if len(listed) > expected - present:
        raise ActionError(f"缺席名单有 {len(listed)} 人，多于缺席人数 {expected - present} 人", "absences")
    cleaned = [
        AbsenceIn(
            clean_text(a.name, "缺席党员姓名", "absences", limit=30),
            clean_text(a.reason, f"{a.name}的缺席原因", "absences", limit=100),
        )
        for a in listed
    ]
    if len(photos) > MAX_PHOTOS:
        raise ActionError(f"一次最多上传 {MAX_PHOTOS} 张照片", "photos")
    key = offline.client_id(client_id)
    with transaction.atomic(durable=True):
        if (earlier := offline.claim(actor, key, Meeting)) is not None:
            return earlier
        meeting = Meeting.objects.create(
            village=village,
            kind=found,
            held_on=held_on,
            place=clean_text(place, "地点", "place", limit=100, required=False),
            topic=clean_text(topic, "主题", "topic", limit=100),
            led_by=clean_text(led_by, "主持人", "led_by", limit=50),
            expected=expected,
            present=present,
            minutes=clean_text(minutes, "会议记录", "minutes", limit=5000, required=False, lines=True),
            recorded_by=actor if getattr(actor, "pk", None) else None,
        )
        Absence.objects.bulk_create(Absence(meeting=meeting, name=a.name, reason=a.reason) for a in cleaned)
        stored = _store_photos(actor, meeting, photos)
        after = audit.snapshot(meeting, MEETING_FIELDS) | {"absences": len(cleaned), "photos": len(stored)}
        audit.record(actor=actor, action="meeting.record", obj=meeting, unit=village, after=after)
        offline.settle(key, meeting)
    return meeting


def do_add_meeting_photos(actor: Any, meeting_id: int, photos: Sequence[Any]) -> list[MeetingPhoto]:
    """Add photos (签到表, the room) to a meeting already recorded."""
    require_actor(actor)
    if not photos:
        raise ActionError("请选择要上传的照片", "photos")
    if len(photos) > MAX_PHOTOS:
        raise ActionError(f"一次最多上传 {MAX_PHOTOS} 张照片", "photos")
    with transaction.atomic(durable=True):
        meeting = access(
            Meeting.objects.select_for_update().select_related("village"), actor, meeting_id, Action.CHANGE
        )
        stored = _store_photos(actor, meeting, photos)
        audit.record(
            actor=actor,
            action="meeting.photos",
            obj=meeting,
            unit=meeting.village,
            after={"photos": [p.original_name for p in stored]},
        )
    return stored


def do_register_candidate(actor: Any, *, village: Any, name: str, applied_on: Any, note: str = "") -> Candidate:
    """Register someone who handed in an application to join the Party (入党申请人)."""
    require_actor(actor)
    village = _branch_village(actor, village)
    applied_on = _day(applied_on, "递交入党申请日期", "applied_on")
    with transaction.atomic(durable=True):
        candidate = Candidate.objects.create(
            village=village,
            name=clean_text(name, "姓名", "name", limit=30),
            applied_on=applied_on,
            note=clean_text(note, "备注", "note", limit=200, required=False),
        )
        record_step(
            CandidateStep,
            candidate=candidate,
            actor=actor,
            action="register",
            label="递交入党申请",
            to_state=Stage.APPLICANT,
            data={"on": applied_on.isoformat()},
        )
        audit.record(
            actor=actor,
            action="candidate.register",
            obj=candidate,
            unit=village,
            after=audit.snapshot(candidate, ["stage", "applied_on"]),
        )
    return candidate


def do_advance_candidate(actor: Any, candidate_id: int, move: str, *, on: Any, reason: str = "") -> Candidate:
    """Take a candidate to the next stage on the date it was decided (支部大会讨论 or 乡镇党委审批)."""
    require_actor(actor)
    try:
        step = WORKFLOW.coerce_action(Move, move)
    except TransitionError as exc:
        raise ActionError(exc.message) from None
    with transaction.atomic(durable=True):
        candidate = access(
            Candidate.objects.select_for_update().select_related("village"), actor, candidate_id, Action.CHANGE
        )
        stage = Stage(candidate.stage)
        try:
            role = WORKFLOW.check_any(stage, step, branch_roles(actor, candidate.village))
        except TransitionError as exc:
            raise ActionError(exc.message) from None
        target = TARGETS[step]
        decided = _day(on, "日期", "on")
        previous = getattr(candidate, STAGE_DATES[stage])
        if previous and decided < previous:
            raise ActionError(f"日期不能早于成为{stage.label}的日期（{previous:%Y-%m-%d}）", "on")
        before = audit.snapshot(candidate, ["stage", STAGE_DATES[target]])
        candidate.stage = target
        setattr(candidate, STAGE_DATES[target], decided)
        candidate.save(update_fields=["stage", STAGE_DATES[target]])
        record_step(
            CandidateStep,
            candidate=candidate,
            actor=actor,
            action=step,
            role=role,
            from_state=stage,
            to_state=target,
            reason=clean_text(reason, "说明", "reason", limit=500, required=False),
            data={"on": decided.isoformat()},
        )
        audit.record(
            actor=actor,
            action="candidate.advance",
            obj=candidate,
            unit=candidate.village,
            before=before,
            after=audit.snapshot(candidate, ["stage", STAGE_DATES[target]]),
        )
    return candidate
