"""State changes on grid events, categories, grid posts and residents' links. Each writes its audit rows inside
its transaction; bad input raises ActionError with a Chinese message and writes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.http import Http404
from django.utils import timezone

from xingyao.accounts import actions as accounts
from xingyao.accounts.models import User
from xingyao.core import audit, bulk, locks, offline, ratelimit, uploads
from xingyao.core.actors import RESIDENT
from xingyao.core.errors import ActionError
from xingyao.core.history import record_step
from xingyao.core.roles import Action
from xingyao.core.roles import Role as CoreRole
from xingyao.core.scoping import covers, forget_scope, roles_over
from xingyao.core.sheets import CellError, ImportFailed, read_table
from xingyao.core.validators import cell_problem, clean_coordinates, clean_phone, clean_text, normal_phone
from xingyao.core.workdays import deadline_for, overrides_for
from xingyao.grid import geo, notify
from xingyao.grid.models import (
    DEPARTMENT_TYPES,
    Event,
    EventCategory,
    EventPhoto,
    EventStep,
    GridPost,
    PhotoStage,
    Post,
    ResidentLink,
    Source,
    ZeroKind,
)
from xingyao.grid.queries import access_event, town_of, village_of, work_roles
from xingyao.grid.workflow import PERMISSIONS, EventState, Level, State, TransitionError, transition, warning_starts
from xingyao.grid.workflow import Action as Move
from xingyao.ledgers.warnings import raise_warning
from xingyao.places.actions import BATCH, units_by_code
from xingyao.places.codes import Kind, county_code, serves
from xingyao.places.models import Unit

EVENT_FIELDS = [
    "unit",
    "category",
    "title",
    "state",
    "department",
    "deadline_days",
    "extended_days",
    "pending_extension_days",
    "due_at",
    "urgent",
    "legacy",
    "duplicate_of",
    "manual_level",
]
MAX_PHOTOS = 6
RESIDENT_LIMIT = 5  # reports per address …
RESIDENT_WINDOW = 600  # … per ten minutes
RESIDENT_LINK_LIMIT = 60  # reports per village link per hour, whatever the address


def check_photos(files: Sequence[Any]) -> list[uploads.CheckedFile]:
    """Decode every photo before anything is written; the first bad one stops the whole submission."""
    if len(files) > MAX_PHOTOS:
        raise ActionError(f"一次最多上传 {MAX_PHOTOS} 张照片", "photos")
    checked = []
    for upload in files:
        try:
            checked.append(uploads.check_image(upload, getattr(upload, "name", "") or "照片"))
        except ActionError as exc:
            raise ActionError(exc.message, "photos") from None
    return checked


def _store_photos(
    event: Event, checked: Sequence[uploads.CheckedFile], stage: str, actor: Any, step: EventStep | None
) -> list[EventPhoto]:
    photos = []
    for item in checked:
        photo = EventPhoto(event=event, stage=stage, step=step, uploaded_by=actor if actor and actor.pk else None)
        photo.fill_from(item)
        photos.append(photo)
    try:
        return EventPhoto.objects.bulk_create(photos)
    except Exception:
        for photo in photos:  # the files reached storage before the rows failed: do not leave them behind
            if photo.file and photo.file.name:
                photo.file.storage.delete(photo.file.name)
        raise


def check_location(unit: Unit, latitude: Any, longitude: Any) -> tuple[Decimal | None, Decimal | None]:
    """Both coordinates or neither; when given they must lie in the unit's town or within NEAR_KM of it."""
    lat, lng = clean_coordinates(latitude, longitude)
    if lat is None or lng is None:
        return None, None
    town = town_of(unit)
    shape: Any = town.geometry if town is not None else None
    if not shape and town is not None:
        parts = (
            Unit.objects.unscoped("village outlines locate a report in its town")
            .filter(parent=town, kind=Kind.VILLAGE)
            .exclude(geometry=None)
            .values_list("geometry", flat=True)
        )
        shape = {"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": g} for g in parts]}
    distance = geo.distance_km(float(lat), float(lng), shape)
    if distance is not None and distance > geo.NEAR_KM:
        where = town.name if town is not None else "本镇"
        raise ActionError(f"定位位置不在{where}范围内（相距约 {distance:.0f} 公里），请核对位置后再上报", "latitude")
    return lat, lng


def _check_category(category: EventCategory, unit: Unit) -> None:
    if not category.active or not unit.prefix.startswith(category.county.prefix):
        raise ActionError("请选择本县启用的事件分类", "category")
    if category.children.unscoped("the sub-categories of a county category").filter(active=True).exists():
        raise ActionError(f"「{category.name}」下还有细分类，请选择具体的分类", "category")


def do_report_event(
    actor: Any,
    *,
    unit: Unit,
    category: EventCategory,
    title: str,
    description: str,
    address: str = "",
    latitude: Any = None,
    longitude: Any = None,
    photos: Sequence[Any] = (),
    client_id: Any = None,
) -> Event:
    """A grid worker (or the village, or the town) reports an event in his own grid or scope. `client_id` is the
    phone's id for a report made offline: sent again, it answers with the event it already created."""
    if unit.kind not in (Kind.VILLAGE, Kind.GRID, Kind.MICROGRID) or not covers(actor, Action.REPORT, unit.prefix):
        raise ActionError("您只能在本人负责的网格或辖区内上报事件", "unit")
    _check_category(category, unit)
    title = clean_text(title, "事件标题", "title", limit=60)
    description = clean_text(description, "事件描述", "description", limit=2000, lines=True)
    address = clean_text(address, "地点", "address", limit=200, required=False)
    lat, lng = check_location(unit, latitude, longitude)
    checked = check_photos(photos)
    source = Source.ASSIGNED if covers(actor, Action.MANAGE, unit.prefix) else Source.PATROL
    village = village_of(unit)
    now = timezone.now()
    key = offline.client_id(client_id)
    with transaction.atomic(durable=True):
        if (earlier := offline.claim(actor, key, Event)) is not None:
            return earlier
        event = Event.objects.create(
            unit=unit,
            village=village,
            category=category,
            title=title,
            description=description,
            address=address,
            latitude=lat,
            longitude=lng,
            source=source,
            reporter=actor,
            reported_at=now,
        )
        step = record_step(
            EventStep,
            event=event,
            at=now,
            actor=actor,
            action="report",
            label=Source(source).label,
            to_state=State.REPORTED,
        )
        _store_photos(event, checked, PhotoStage.REPORT, actor, step)
        if CoreRole.GRID_WORKER in roles_over(actor, unit.prefix):
            _accept_own_report(actor, event, now)
        audit.record(
            actor=actor, action="event.report", obj=event, unit=unit, after=audit.snapshot(event, EVENT_FIELDS)
        )
        _star_warning(event)
        offline.settle(key, event)
    return event


def _accept_own_report(actor: Any, event: Event, now: dt.datetime) -> None:
    """The grid's own worker reported it: the workflow's accept, taken at once in his grid worker role (the town
    can still return it to 待受理). Where the table does not let a grid worker accept a report, it stays reported."""
    try:
        after = transition(event_state(event), Move.ACCEPT, role=CoreRole.GRID_WORKER, actor_id=actor.pk)
    except TransitionError:
        return
    event.state, event.accepted_at = after.state.value, now
    event.save(update_fields=["state", "accepted_at"])
    record_step(
        EventStep,
        event=event,
        at=now,
        actor=actor,
        role=CoreRole.GRID_WORKER,
        action=Move.ACCEPT,
        label="受理（网格员本人上报）",
        from_state=State.REPORTED,
        to_state=after.state.value,
    )


def _star_warning(event: Event) -> None:
    """An event that counts against “三零” (an accident, a case, a petition beyond the village) raises a warning on
    the village's star, once: when staff report it, or when they accept a resident's report."""
    if event.category.zero_kind and event.duplicate_of_id is None:
        label = f"网格事件 {event.number}：{event.category.name}"
        when = timezone.localdate(event.reported_at)
        raise_warning(
            event.category.zero_kind, village=event.village, happened_on=when, origin=event, origin_label=label
        )


def check_resident_rate(link: ResidentLink, address: str) -> None:
    """Refuse a resident who reports too often, and a link that is being flooded."""
    if ratelimit.hit(f"resident:ip:{address}", RESIDENT_LIMIT, RESIDENT_WINDOW) or ratelimit.hit(
        f"resident:link:{link.pk}", RESIDENT_LINK_LIMIT, 3600
    ):
        raise ActionError("提交过于频繁，请稍后再试。如遇紧急情况请直接拨打 110 或联系村网格员。")


def do_report_as_resident(
    link: ResidentLink,
    *,
    category: EventCategory,
    description: str,
    address: str = "",
    contact_name: str = "",
    contact_phone: str = "",
    photos: Sequence[Any] = (),
) -> Event:
    """A resident reports through the village's public link; the event waits for a grid worker to accept it.

    He does not pick a grid (residents rarely know their grid, and a public page lists no units): the
    village's first grid takes the report, the town sees it too and dispatches it, and the place he
    describes in words (地点) says where it is.
    """
    if not link.active or not link.village.active:
        raise ActionError("该上报链接已停用，请向村网格员索取新的二维码")
    village = link.village
    grid = (
        Unit.objects.unscoped("the grids of the village whose public link was used")
        .filter(parent=village, kind=Kind.GRID, active=True)
        .order_by("code")
        .first()
        or village
    )
    _check_category(category, village)
    description = clean_text(description, "反映的问题", "description", limit=1000, lines=True)
    address = clean_text(address, "地点", "address", limit=100, required=False)
    contact_name = clean_text(contact_name, "称呼", "contact_name", limit=20, required=False)
    contact_phone = clean_phone(contact_phone, "联系电话", "contact_phone")
    if len(photos) > 3:
        raise ActionError("居民上报最多附 3 张照片", "photos")
    checked = check_photos(photos)
    now = timezone.now()
    title = description.splitlines()[0][:30]
    with transaction.atomic(durable=True):
        event = Event.objects.create(
            unit=grid,
            village=village,
            category=category,
            title=title,
            description=description,
            address=address,
            source=Source.RESIDENT,
            contact_name=contact_name,
            contact_phone=contact_phone,
            reported_at=now,
        )
        step = record_step(
            EventStep, event=event, at=now, actor=RESIDENT, action="report", label="居民上报", to_state=State.REPORTED
        )
        _store_photos(event, checked, PhotoStage.REPORT, None, step)
        audit.record(
            actor=RESIDENT,
            action="event.resident_report",
            obj=event,
            unit=grid,
            after=audit.snapshot(event, EVENT_FIELDS),
        )
    return event


def event_state(event: Event) -> EventState:
    """The pure workflow's view of a row."""
    return EventState(
        state=State(event.state),
        event_id=event.pk,
        department=event.department_id,
        deadline_days=event.deadline_days,
        extended_days=event.extended_days,
        pending_extension_days=event.pending_extension_days,
        handlers=frozenset(event.handler_ids or []),
        urgent=event.urgent,
        legacy=event.legacy,
        duplicate_of=event.duplicate_of_id,
        sent_back_count=event.sent_back_count,
        rework_count=event.rework_count,
    )


def _set_clock(event: Event) -> None:
    """Deadline and yellow-warning start from the dispatch time and the working days now allowed."""
    allowed = (event.deadline_days or 0) + event.extended_days
    start = timezone.localtime(event.dispatched_at)
    event.due_at = deadline_for(event.unit, start, allowed)
    event.warn_at = warning_starts(event.due_at, allowed, overrides_for(event.unit))


def _int(value: Any, label: str, field: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ActionError(f"{label}应为整数", field) from None
    if number < 0 or number > 60:
        raise ActionError(f"{label}应在 0 到 60 之间", field)
    return number


@dataclass(frozen=True)
class MoveInput:
    """What a transition may carry besides its name."""

    reason: str = ""
    department: Unit | None = None
    deadline_days: Any = None
    extra_days: Any = None
    duplicate_of: Any = None
    photos: Sequence[Any] = ()
    reply: str = ""  # 答复居民 (close only): the one text of the town's that the resident's tracking page shows


PHOTO_STAGE = {Move.START_HANDLING: PhotoStage.BEFORE, Move.GIVE_FEEDBACK: PhotoStage.AFTER}


def do_transition(
    actor: Any, event: Event, move: str, data: MoveInput | None = None, *, client_id: Any = None
) -> Event:
    """Take one workflow step on an event, in the role the actor holds over it; history and audit in one go.
    `client_id` is the phone's id for a step taken offline: sent again, it is answered as done and writes nothing;
    an event that has moved on meanwhile refuses the step with the workflow's own Chinese reason."""
    data = data or MoveInput()
    try:
        action = Move(move)
    except ValueError:
        raise ActionError("未知的操作") from None
    key = offline.client_id(client_id)
    reason = (data.reason or "").strip()
    if len(reason) > 1000:
        raise ActionError("说明不能超过 1000 字", "reason")
    checked = check_photos(data.photos)
    reply = clean_text(data.reply, "答复居民", "reply", limit=500, required=False, lines=True)
    if reply and action is not Move.CLOSE:
        raise ActionError("答复居民只能在办结时填写", "reply")
    original_id = None
    if action is Move.MARK_DUPLICATE:
        original_id = _duplicate_target(data.duplicate_of)
        try:  # before anything is locked or followed: an event out of his scope is one that does not exist
            access_event(actor, original_id)
        except Http404:
            raise ActionError("原事件不存在或不在您的辖区内", "duplicate_of") from None
    with transaction.atomic(durable=True):
        if offline.claim_step(actor, key, event, action.value):
            return _lock_event(event.pk)
        # Lock the row and act on what is stored now, not on what the page showed a minute ago.
        current = _lock_event(event.pk) if original_id is None else _lock_for_duplicate(event.pk, original_id)
        roles = work_roles(actor, current)
        if not roles:
            raise ActionError("您无权办理该事件")
        department_id = deadline = extra = duplicate_id = None
        if action is Move.DISPATCH:
            if data.department is None:
                raise ActionError("请选择承办部门", "department")
            if data.department.kind != Kind.DEPARTMENT or not serves(data.department.code, current.unit.code):
                raise ActionError("只能派遣给本镇或本县的部门", "department")
            if not covers(actor, Action.MANAGE, data.department.prefix):
                raise ActionError("该部门不在您的调度范围内", "department")
            department_id = data.department.pk
            deadline = _int(data.deadline_days, "办理时限", "deadline_days")
            if deadline is None:
                deadline = current.category.deadline_days
        if action is Move.REQUEST_EXTENSION:
            extra = _int(data.extra_days, "延期天数", "extra_days")
        if original_id is not None:
            duplicate_id = original_id
        before_state = event_state(current)
        after, role = _first_allowed(
            before_state,
            action,
            roles,
            actor_id=actor.pk,
            reason=reason,
            department=department_id,
            deadline_days=deadline,
            extra_days=extra,
            duplicate_of=duplicate_id,
        )
        if (
            action is Move.GIVE_FEEDBACK
            and not checked
            and not current.photos.unscoped("re-read of an object fetched through access()")
            .filter(stage=PhotoStage.AFTER, uploaded_at__gte=current.dispatched_at)
            .exists()
        ):
            raise ActionError("反馈结果须附至少一张处置后照片", "photos")
        before = audit.snapshot(current, EVENT_FIELDS)
        now = timezone.now()
        _apply(current, after, action, now, data.department)
        current.save()
        step = record_step(
            EventStep,
            event=current,
            at=now,
            actor=actor,
            role=role,
            action=action,
            from_state=before_state.state.value,
            to_state=current.state,
            reason=_step_note(action, reason, current, extra),
            department=data.department if action is Move.DISPATCH else None,
            data={"reply": reply} if reply else None,
        )
        if checked:
            _store_photos(current, checked, PHOTO_STAGE.get(action, PhotoStage.REPORT), actor, step)
        b, a = audit.diff(before, audit.snapshot(current, EVENT_FIELDS))
        audit.record(actor=actor, action=f"event.{action.value}", obj=current, unit=current.unit, before=b, after=a)
        if action is Move.DISPATCH:
            notify.dispatched(current)
        if action is Move.ACCEPT:
            _star_warning(current)
    return current


EVENT_LOCK_RELATED = ("unit", "department", "category")
MAX_DUPLICATE_CHAIN = 1000  # an original that is itself a duplicate: how far its chain is followed


def _lock_event(event_id: int) -> Event:
    rows = locks.lock_in_order(Event, [event_id], locks.REREAD, related=EVENT_LOCK_RELATED)
    if event_id not in rows:
        raise Event.DoesNotExist
    return rows[event_id]


def _duplicate_target(value: Any) -> int:
    """The id in an event number as typed (`20250301-000042`, or just `42`), or ActionError."""
    if value in (None, ""):
        raise ActionError("请填写原事件编号", "duplicate_of")
    tail = str(value).strip().split("-")[-1]
    if not tail.isdigit() or len(tail) > 12:
        raise ActionError("原事件不存在或不在您的辖区内", "duplicate_of")
    return int(tail)


def _root_of(event_id: int) -> int:
    """The event a chain of duplicates ends at (the one not itself a duplicate); `event_id` when it is none.

    Unscoped: the chain is followed to refuse a cycle, whoever may see its links; nothing of them is shown."""
    seen = {event_id}
    current = event_id
    reader = Event.objects.unscoped("following a chain of duplicates to refuse a cycle")
    while len(seen) <= MAX_DUPLICATE_CHAIN:
        nxt = reader.filter(pk=current).values_list("duplicate_of_id", flat=True).first()
        if nxt is None or nxt in seen:
            return current
        seen.add(nxt)
        current = nxt
    return current


def _lock_for_duplicate(event_id: int, original_id: int) -> Event:
    """Lock the event and the end of the original's chain of duplicates, in id order, and refuse a cycle.

    A duplicate is closed for good, so once the end of the chain is locked nobody can extend it: the event
    marked a duplicate of an original that (directly or through others) is a duplicate of it would close both and
    take the issue out of every worklist. Two such requests at once lock the same two rows; the second then finds
    the first's link and is refused."""
    if original_id == event_id:
        raise ActionError("不能把事件标记为与自身重复", "duplicate_of")
    root = _root_of(original_id)
    rows = locks.lock_in_order(Event, {event_id, root}, locks.REREAD, related=EVENT_LOCK_RELATED)
    if event_id not in rows:
        raise Event.DoesNotExist
    after = _root_of(original_id)  # read again now that the rows are locked
    if after == event_id:
        raise ActionError("原事件已（直接或经其他事件）被标记为与本事件重复，不能互相标记为重复", "duplicate_of")
    if after != root:
        raise ActionError("原事件刚被他人标记为重复，请刷新后重试", "duplicate_of")
    return rows[event_id]


def _first_allowed(
    state: EventState, action: Move, roles: list, *, actor_id: int, **kwargs: Any
) -> tuple[EventState, str]:
    errors: list[str] = []
    # A role that may take this action at all speaks first: its refusal is the one worth reading.
    ordered = sorted(roles, key=lambda pair: pair[0] not in PERMISSIONS[action])
    for role, department in ordered:
        try:
            after = transition(state, action, role=role, actor_id=actor_id, actor_department=department, **kwargs)
            return after, role
        except TransitionError as exc:
            errors.append(exc.message)
    raise ActionError(errors[0] if errors else "无法办理")


def _apply(event: Event, after: EventState, action: Move, now: dt.datetime, department: Unit | None) -> None:
    event.state = after.state.value
    event.department_id = after.department
    if department is not None and after.department == department.pk:
        event.department = department
    event.deadline_days = after.deadline_days
    event.extended_days = after.extended_days
    event.pending_extension_days = after.pending_extension_days
    event.handler_ids = sorted(after.handlers)
    event.urgent, event.legacy = after.urgent, after.legacy
    event.duplicate_of_id = after.duplicate_of
    event.sent_back_count, event.rework_count = after.sent_back_count, after.rework_count
    if action is Move.ACCEPT:
        event.accepted_at = now
    elif action is Move.DISPATCH:
        event.dispatched_at = now
        _set_clock(event)
    elif action is Move.APPROVE_EXTENSION:
        _set_clock(event)
    elif action is Move.GIVE_FEEDBACK:
        event.feedback_at = now
    elif action is Move.SEND_BACK:
        event.dispatched_at = event.due_at = event.warn_at = None
        event.department = None
    elif action is Move.RETURN_REPORT:
        event.accepted_at = None
    if after.state is State.CLOSED:
        event.closed_at = now


def _step_note(action: Move, reason: str, event: Event, extra: int | None) -> str:
    if action is Move.DISPATCH and event.department is not None:
        due = timezone.localtime(event.due_at) if event.due_at else None
        text = f"派遣至{event.department.name}，时限 {event.deadline_days} 个工作日" + (
            f"，{due:%m月%d日}前办结" if due else ""
        )
        return f"{text}。{reason}" if reason else text
    if action is Move.REQUEST_EXTENSION:
        return f"申请延期 {extra} 个工作日：{reason}"
    if action is Move.APPROVE_EXTENSION and event.due_at:
        return (
            f"延期后截止 {timezone.localtime(event.due_at):%m月%d日}。{reason}".rstrip("。")
            if reason
            else f"延期后截止 {timezone.localtime(event.due_at):%m月%d日}"
        )
    if action is Move.MARK_DUPLICATE:
        return f"与事件 {event.duplicate_of_id} 重复。{reason}" if reason else f"与事件 {event.duplicate_of_id} 重复"
    return reason


NOTE = "note"


def do_add_note(
    actor: Any,
    event: Event,
    *,
    text: str,
    photos: Sequence[Any] = (),
    latitude: Any = None,
    longitude: Any = None,
    client_id: Any = None,
) -> Event:
    """Whoever works an open event (the grid worker on the spot, the town, the department) adds what he found there:
    a note with photos and the place, one history step that leaves the state as it is. `client_id` is the phone's id
    for a note made offline: sent again, it is recorded once; an event closed meanwhile, or one he no longer works
    (his grid given to another), refuses it in Chinese."""
    text = clean_text(text, "情况说明", "text", limit=1000, lines=True)
    checked = check_photos(photos)
    lat, lng = check_location(event.unit, latitude, longitude)
    key = offline.client_id(client_id)
    with transaction.atomic(durable=True):
        if offline.claim_step(actor, key, event, NOTE):
            return _lock_event(event.pk)
        current = _lock_event(event.pk)  # what is stored now decides, not what the phone saw when it was offline
        roles = work_roles(actor, current)
        if not roles:
            raise ActionError("您已不再负责该事件所在的网格，不能补充情况")
        if current.state == State.CLOSED:
            raise ActionError("事件已办结，不能再补充情况")
        now = timezone.now()
        place = {"latitude": str(lat), "longitude": str(lng)} if lat is not None else None
        step = record_step(
            EventStep,
            event=current,
            at=now,
            actor=actor,
            role=roles[0][0],
            action=NOTE,
            label="补充情况",
            from_state=current.state,
            to_state=current.state,
            reason=text,
            data=place,
        )
        stored = _store_photos(current, checked, PhotoStage.NOTE, actor, step)
        audit.record(
            actor=actor,
            action="event.note",
            obj=current,
            unit=current.unit,
            after={"text": text, "photos": [p.sha256 for p in stored], **(place or {})},
        )
    return current


def do_add_photos(actor: Any, event: Event, files: Sequence[Any], stage: str) -> list[EventPhoto]:
    """Attach photos to an open event: report photos by whoever works on it, before/after by the handling department."""
    if stage not in PhotoStage.values:
        raise ActionError("未知的照片类别", "stage")
    if not files:
        raise ActionError("请选择照片", "photos")
    roles = {role for role, _ in work_roles(actor, event)}
    if not roles:
        raise ActionError("您无权为该事件上传照片")
    _check_photo_stage(event, stage, roles)
    checked = check_photos(files)
    with transaction.atomic(durable=True):
        locks.relock(event)  # the event may have been closed or sent back since the page was loaded
        roles = {role for role, _ in work_roles(actor, event)}
        if not roles:
            raise ActionError("您无权为该事件上传照片")
        _check_photo_stage(event, stage, roles)
        photos = _store_photos(event, checked, stage, actor, None)
        audit.record(
            actor=actor,
            action="event.photos",
            obj=event,
            unit=event.unit,
            after={"stage": stage, "photos": [p.sha256 for p in photos]},
        )
    return photos


def _check_photo_stage(event: Event, stage: str, roles: set[Any]) -> None:
    if event.state == State.CLOSED:
        raise ActionError("事件已办结，不能再上传照片")
    if stage != PhotoStage.REPORT and (
        "dept_handler" not in roles or event.state not in (State.DISPATCHED, State.HANDLING)
    ):
        raise ActionError("处置前后照片只能由承办部门在处置期间上传", "stage")


def do_supervise(actor: Any, event: Event, level: str, reason: str) -> Event:
    """A leader (or the county) raises an open event's 督办 level by hand, or takes it back to normal."""
    if not covers(actor, Action.SUPERVISE, event.unit.prefix):
        raise ActionError("只有领导或县级管理员可以督办")
    if level not in Level.__members__.values():
        raise ActionError("未知的督办等级", "level")
    if event.state == State.CLOSED:
        raise ActionError("事件已办结，无需督办")
    reason = clean_text(reason, "督办意见", "reason", limit=500, lines=True)
    if level == event.manual_level:
        raise ActionError(f"该事件已是{Level(level).label}")
    with transaction.atomic(durable=True):
        locks.relock(event)  # what another leader just did decides: two 督办 at once write one step
        if event.state == State.CLOSED:
            raise ActionError("事件已办结，无需督办")
        if level == event.manual_level:
            raise ActionError(f"该事件已是{Level(level).label}")
        before = audit.snapshot(event, ["manual_level"])
        event.manual_level = level
        event.save(update_fields=["manual_level"])
        record_step(
            EventStep,
            event=event,
            actor=actor,
            action="supervise",
            label="督办" if level != Level.NORMAL else "解除督办",
            from_state=event.state,
            to_state=event.state,
            reason=f"{Level(level).label}：{reason}",
        )
        audit.record(
            actor=actor,
            action="event.supervise",
            obj=event,
            unit=event.unit,
            before=before,
            after={"manual_level": level, "reason": reason},
        )
    return event


# ---- categories


CATEGORY_FIELDS = ["code", "name", "parent", "department_type", "deadline_days", "zero_kind", "active"]


def do_save_category(
    actor: Any,
    county: Unit,
    *,
    code: str,
    name: str,
    parent: EventCategory | None,
    department_type: str,
    deadline_days: int,
    zero_kind: str,
    active: bool,
    category: EventCategory | None = None,
) -> EventCategory:
    """Add or change one of a county's event categories; the service code never changes once set."""
    if county.kind != Kind.COUNTY or not covers(actor, Action.ADMIN, county.prefix):
        raise ActionError("事件分类由县级管理员维护")
    code = clean_text(code, "分类代码", "code", limit=32).upper()
    if not all(ch.isalnum() or ch in "-_." for ch in code) or not code.isascii():
        raise ActionError("分类代码只能包含字母、数字和 - _ .", "code")
    name = clean_text(name, "名称", "name", limit=50)
    if department_type and department_type not in DEPARTMENT_TYPES:
        raise ActionError("未知的承办部门类型", "department_type")
    if zero_kind not in ZeroKind.values:
        raise ActionError("未知的“三零”类别", "zero_kind")
    if not 0 <= int(deadline_days) <= 60:
        raise ActionError("办理时限应在 0 到 60 个工作日之间", "deadline_days")
    level = 1
    if parent is not None:
        if parent.county_id != county.pk:
            raise ActionError("上级分类须属于同一个县", "parent")
        if category is not None and parent.pk == category.pk:
            raise ActionError("上级分类不能是自己", "parent")
        level = parent.level + 1
        if level > 3:
            raise ActionError("事件分类最多三级", "parent")
    if category is not None and category.code != code:
        raise ActionError("分类代码一经设定不能修改（外部系统按代码对接）", "code")
    if (
        category is None
        and EventCategory.objects.unscoped("a code is unique in the county").filter(county=county, code=code).exists()
    ):
        raise ActionError(f"分类代码「{code}」已存在", "code")
    try:
        with transaction.atomic(durable=True):
            before = audit.snapshot(category, CATEGORY_FIELDS) if category else None
            target = category or EventCategory(county=county, code=code)
            target.name, target.parent, target.level = name, parent, level
            target.department_type, target.deadline_days = department_type, int(deadline_days)
            target.zero_kind, target.active = zero_kind, active
            target.full_name = f"{parent.full_name} / {name}" if parent else name
            target.save()
            _refresh_names(target)
            b, a = audit.diff(before, audit.snapshot(target, CATEGORY_FIELDS))
            audit.record(actor=actor, action="category.save", obj=target, unit=county, before=b, after=a)
    except IntegrityError:  # the same code added by another request a moment ago: one of them is kept
        raise ActionError(f"分类代码「{code}」已存在", "code") from None
    return target


def _refresh_names(category: EventCategory) -> None:
    for child in category.children.unscoped("the sub-categories of a county category").all():
        child.full_name, child.level = f"{category.full_name} / {child.name}", category.level + 1
        child.save(update_fields=["full_name", "level"])
        _refresh_names(child)


# ---- grid people


WORKER_COLUMNS = ("网格代码", "姓名", "手机号", "岗位")
WORKER_OPTIONAL = ("登录名", "网格名称", "所属村", "户数")
POST_NAMES = {label: value for value, label in Post.choices} | {v: v for v in Post.values}


def do_assign_post(actor: Any, *, grid: Unit, user: User, post: str) -> GridPost:
    """Give a user a post on a grid: the grid_worker membership (his scope) and the 1+1+N post on it."""
    with transaction.atomic(durable=True):
        return _assign_post(actor, grid=grid, user=user, post=post)


def _assign_post(actor: Any, *, grid: Unit, user: User, post: str) -> GridPost:
    """do_assign_post inside the caller's transaction (do_post_person creates the account first).

    The grid_worker membership comes from accounts' own building block, with its rules: only a user the actor
    already administers (or one just created in his subtree) and a role that fits the unit.
    """
    if grid.kind not in (Kind.GRID, Kind.MICROGRID) or not covers(actor, Action.ADMIN, grid.prefix):
        raise ActionError("您只能为本辖区的网格配备人员", "grid")
    if post not in Post.values:
        raise ActionError("岗位应为 网格长、网格指导员 或 网格员", "post")
    holders = GridPost.objects.unscoped("a grid has one head and one adviser").filter(unit=grid, post=post)
    if post != Post.WORKER and holders.exclude(membership__user=user).exists():
        raise ActionError(f"「{grid.name}」已有{Post(post).label}，请先撤销原任职", "post")
    membership, _ = accounts.grant_role(actor, user, grid, CoreRole.GRID_WORKER)
    existing = GridPost.objects.unscoped("a membership holds one post").filter(membership=membership).first()
    before = audit.snapshot(existing) if existing else None
    try:
        with transaction.atomic():  # a savepoint: the unique post may be taken at the same moment
            grid_post, _ = GridPost.objects.unscoped("a membership holds one post").update_or_create(
                membership=membership, defaults={"unit": grid, "post": post}
            )
    except IntegrityError:
        raise ActionError(f"「{grid.name}」已有{Post(post).label}", "post") from None
    b, a = audit.diff(before, audit.snapshot(grid_post))
    if a:
        audit.record(actor=actor, action="grid_post.assign", obj=grid_post, unit=grid, before=b, after=a)
    forget_scope(user)
    return grid_post


def do_post_person(
    actor: Any, *, grid: Unit, post: str, username: str, full_name: str = "", phone: str = "", password: str = ""
) -> GridPost:
    """Post a user on a grid by login name: one the actor already manages, or a new account in his subtree."""
    username = username.strip()
    user = User.objects.filter(username=username).first()
    with transaction.atomic(durable=True):
        if user is None:
            user = accounts.create_user(
                actor,
                username=username,
                full_name=full_name,
                phone=phone,
                password=password,
                unit=grid,
                role=CoreRole.GRID_WORKER,
            )
        return _assign_post(actor, grid=grid, user=user, post=post)


@dataclass(frozen=True)
class WorkerImport:
    users_created: int
    posts_assigned: int
    unchanged: int


def do_import_workers(actor: Any, upload: IO[bytes], filename: str, initial_password: str) -> WorkerImport:
    """Import grid workers (网格代码, 姓名, 手机号, 岗位, optional 登录名): all rows or none.

    New accounts log in with the phone number (or the 登录名 given) and the initial password of the form,
    hashed once for the whole file. Checked in bulk (a lookup per batch of codes or names, never per row) and
    written in bulk; one audit row per county chain lists the accounts created and the posts given.
    """
    table = read_table(upload, filename=filename, required=WORKER_COLUMNS, optional=WORKER_OPTIONAL)
    sheet = table.sheet
    errors: list[CellError] = []
    grids = units_by_code(
        (str(v.get("网格代码") or "").strip() for _, v in table.rows),
        "each row's grid is checked against the actor's scope below",
    )
    rows: list[tuple[int, Unit, str, str, str, str]] = []
    seen_posts: dict[tuple[str, str], int] = {}
    seen_users: dict[tuple[str, str], int] = {}
    for number, values in table.rows:
        code = str(values.get("网格代码") or "").strip()
        name = str(values.get("姓名") or "").strip()
        phone = normal_phone(values.get("手机号"))
        post = POST_NAMES.get(str(values.get("岗位") or "").strip())
        username = str(values.get("登录名") or "").strip() or phone
        grid = grids.get(code)
        # Unknown and out of scope alike: one answer, so a sheet cannot probe other towns' grids.
        if grid is None or grid.kind not in (Kind.GRID, Kind.MICROGRID) or not covers(actor, Action.ADMIN, grid.prefix):
            errors.append(CellError(sheet, number, "网格代码", "网格代码不存在或不在您的辖区内"))
            grid = None  # checked within the sheet like any row, never against what the database holds there
        name_problem = cell_problem(clean_text, name, "姓名", limit=50)
        if name_problem:
            errors.append(CellError(sheet, number, "姓名", name_problem))
        problem = cell_problem(clean_phone, phone, "手机号", required=True)
        if problem:
            errors.append(CellError(sheet, number, "手机号", problem))
        if post is None:
            errors.append(CellError(sheet, number, "岗位", "岗位应为 网格长、网格指导员 或 网格员"))
        if post is None or problem or name_problem:
            continue
        if len(username) > 150:
            errors.append(CellError(sheet, number, "登录名", "登录名不能超过 150 个字符"))
            continue
        if post != Post.WORKER:
            key = (code, post)
            if key in seen_posts:
                errors.append(
                    CellError(
                        sheet, number, "岗位", f"与第 {seen_posts[key]} 行重复：每个网格只有一名{Post(post).label}"
                    )
                )
            seen_posts.setdefault(key, number)
        if (code, username) in seen_users:
            errors.append(CellError(sheet, number, "登录名", f"与第 {seen_users[(code, username)]} 行重复"))
        seen_users.setdefault((code, username), number)
        if grid is not None:
            rows.append((number, grid, name, phone, post, username))
    users, taken_names = _users_named({r[5] for r in rows})
    strangers: set[int] = set()
    known_ids = sorted(u.pk for u in users.values())
    for i in range(0, len(known_ids), BATCH):
        strangers |= accounts.beyond_reach(actor, known_ids[i : i + BATCH])
    grid_ids = sorted({r[1].pk for r in rows})
    taken: dict[tuple[int, str], str] = {}
    for i in range(0, len(grid_ids), BATCH):
        heads = (
            GridPost.objects.unscoped("a grid has one head and one adviser")
            .filter(unit_id__in=grid_ids[i : i + BATCH])
            .exclude(post=Post.WORKER)
        )
        taken.update(
            ((unit_id, post), name)
            for unit_id, post, name in heads.values_list("unit_id", "post", "membership__user__username")
        )
    for number, grid, name, _phone, post, username in rows:
        holder = taken.get((grid.pk, post))
        if holder and holder != username:
            errors.append(CellError(sheet, number, "岗位", f"「{grid.name}」已有{Post(post).label}（{holder}）"))
        user = users.get(username)
        if user is None and username.lower() in taken_names:
            errors.append(CellError(sheet, number, "登录名", f"登录名「{username}」已被使用"))
        elif user is not None and user.pk == getattr(actor, "pk", None):
            errors.append(CellError(sheet, number, "登录名", "不能给自己分配角色，请由上级管理员办理"))
        elif user is not None and user.pk in strangers:
            errors.append(CellError(sheet, number, "登录名", f"登录名「{username}」已属于辖区外的用户，不能由您配备"))
        elif user is not None and user.full_name and user.full_name != name:
            errors.append(CellError(sheet, number, "姓名", f"登录名「{username}」已属于「{user.full_name}」"))
    new_users = {r[5] for r in rows if r[5] not in users}
    if new_users:
        try:
            from django.contrib.auth.password_validation import validate_password

            validate_password(initial_password)
        except Exception as exc:
            errors.append(
                CellError("", 0, "", f"初始密码不符合要求：{'；'.join(getattr(exc, 'messages', [str(exc)]))}")
            )
    if errors:
        raise ImportFailed(sorted(errors, key=lambda e: e.row))

    password_hash = make_password(initial_password) if new_users else ""
    with transaction.atomic(durable=True):
        first_rows: dict[str, tuple[int, Unit, str, str, str, str]] = {}
        for row in rows:
            if row[5] in new_users:
                first_rows.setdefault(row[5], row)
        created = accounts.import_users(
            actor,
            ((username, name, phone) for _n, _g, name, phone, _p, username in first_rows.values()),
            password_hash=password_hash,
            units=(r[1] for r in rows),
            role=CoreRole.GRID_WORKER,
        )
        users.update(created)
        memberships = accounts.grant_roles(actor, ((users[r[5]], r[1]) for r in rows), CoreRole.GRID_WORKER)
        membership_ids = sorted(m.pk for m, _new in memberships.values())
        current: dict[int, GridPost] = {}
        for i in range(0, len(membership_ids), BATCH):
            held = GridPost.objects.unscoped("a membership holds one post").filter(
                membership_id__in=membership_ids[i : i + BATCH]
            )
            current.update((p.membership_id, p) for p in held)
        fresh: list[tuple[int, int, str]] = []
        moved: list[GridPost] = []
        given: list[tuple[Unit, str, str]] = []
        unchanged = 0
        for _number, grid, _name, _phone, post, username in rows:
            membership, new_membership = memberships[(users[username].pk, grid.pk)]
            grid_post = current.get(membership.pk)
            if grid_post is not None and grid_post.post == post and not new_membership:
                unchanged += 1
                continue
            if grid_post is None:
                fresh.append((membership.pk, grid.pk, post))
            else:
                grid_post.unit, grid_post.post = grid, post
                moved.append(grid_post)
            given.append((grid, username, post))
        GridPost.objects.bulk_update(moved, ["unit", "post"], batch_size=BATCH)
        bulk.insert(GridPost, ("membership_id", "unit_id", "post"), fresh)
        _audit_worker_import(actor, filename, [(first_rows[u][1], u) for u in created], given)
    return WorkerImport(len(created), len(given), unchanged)


def _users_named(usernames: set[str]) -> tuple[dict[str, User], set[str]]:
    """The accounts with exactly these login names, and every name taken in any letter case (login names are
    unique regardless of case), in one query per batch."""
    wanted = sorted({u.lower() for u in usernames})
    exact: dict[str, User] = {}
    taken: set[str] = set()
    for i in range(0, len(wanted), BATCH):
        for user in User.objects.annotate(login=Lower("username")).filter(login__in=wanted[i : i + BATCH]):
            taken.add(user.username.lower())
            if user.username in usernames:
                exact[user.username] = user
    return exact, taken


def _audit_worker_import(
    actor: Any, filename: str, created: list[tuple[Unit, str]], given: list[tuple[Unit, str, str]]
) -> None:
    """One audit row per county chain: the accounts the file created there and the posts it gave."""
    per_chain: dict[str, tuple[list[str], list[str]]] = {}
    for grid, username in created:
        per_chain.setdefault(audit.chain_of(grid), ([], []))[0].append(username)
    for grid, username, post in given:
        per_chain.setdefault(audit.chain_of(grid), ([], []))[1].append(f"{grid.code} {username} {Post(post).label}")
    counties = units_by_code((county_code(chain) for chain in per_chain if chain), "the county an import row names")
    for chain, (accounts_created, posts) in sorted(per_chain.items()):
        county = counties.get(county_code(chain)) if chain else None
        if county is None:  # a grid outside any county's chain: the row goes with the first grid it names
            county = next(g for g, _u, _p in given if audit.chain_of(g) == chain)
        after = {"file": filename, "users_created": accounts_created, "posts": posts, "count": len(posts)}
        audit.record_many(
            actor=actor,
            action="grid_post.import",
            model=GridPost,
            unit=county,
            summary=f"{filename}（{county.name}：新建账号 {len(accounts_created)}，配备岗位 {len(posts)}）",
            after=after,
        )


# ---- residents' links


def do_rotate_resident_link(actor: Any, village: Unit) -> ResidentLink:
    """Issue a village's public link, or replace its token so that a leaked or spammed one stops working."""
    if village.kind != Kind.VILLAGE or not covers(actor, Action.MANAGE, village.prefix):
        raise ActionError("居民上报链接由乡镇管理员生成")
    from xingyao.grid.models import new_token

    with transaction.atomic(durable=True):
        link, created = ResidentLink.objects.unscoped("the actor's scope was checked above").get_or_create(
            village=village
        )
        if not created:
            link.token, link.created_at, link.active = new_token(), timezone.now(), True
            link.save()
        audit.record(
            actor=actor,
            action="resident_link.rotate" if not created else "resident_link.create",
            obj=link,
            unit=village,
        )
    return link
