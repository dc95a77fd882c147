"""Grid events over the API: categories, the scoped list, reporting, transitions, photos, 督办 and figures."""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from xingyao.core.errors import ActionError
from xingyao.core.paging import list_route
from xingyao.core.privacy import name_for, phone_for
from xingyao.core.roles import Action
from xingyao.core.uploads import serve_file
from xingyao.grid import actions
from xingyao.grid.models import Event, EventCategory
from xingyao.grid.queries import (
    API_FILTERS,
    RANK_LEVEL,
    access_county,
    access_event,
    access_event_for_work,
    access_photo,
    event_counts,
    level_of,
    may_see_contact,
    worklist,
)
from xingyao.places.codes import county_code
from xingyao.places.queries import access_unit, departments_near

UNKNOWN_DEPARTMENT = "承办部门不存在或不在您的调度范围内"

router = Router(tags=["网格事件"])


class CategoryOut(Schema):
    id: int
    code: str
    name: str
    full_name: str
    level: int
    parent_code: str | None
    department_type: str
    deadline_days: int
    zero_kind: str
    active: bool

    @staticmethod
    def resolve_parent_code(obj: EventCategory) -> str | None:
        return obj.parent.code if obj.parent_id and obj.parent else None


class EventOut(Schema):
    id: int
    number: str
    title: str
    state: str
    state_label: str
    level: str
    category_code: str = Field(alias="category.code")
    category: str = Field(alias="category.full_name")
    village_code: str = Field(alias="village.code")
    village: str = Field(alias="village.name")
    unit_code: str = Field(alias="unit.code")
    source: str
    reported_at: dt.datetime
    department: str | None = Field(None, alias="department.name")
    due_at: dt.datetime | None
    closed_at: dt.datetime | None
    urgent: bool
    legacy: bool

    @staticmethod
    def resolve_level(obj: Event) -> str:
        rank = getattr(obj, "level_rank", None)
        return RANK_LEVEL[rank].value if rank is not None else level_of(obj).value


class StepOut(Schema):
    at: dt.datetime
    actor_name: str
    action: str
    action_label: str
    from_state: str
    to_state: str
    role: str
    note: str  # the step's reason; the API keeps its first name for it

    @staticmethod
    def resolve_note(obj: Any) -> str:
        return str(obj.reason)


class PhotoOut(Schema):
    id: int
    stage: str
    url: str
    taken_at: dt.datetime | None

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return obj.get_absolute_url()


class EventDetailOut(EventOut):
    description: str
    address: str
    latitude: float | None
    longitude: float | None
    contact_name: str
    contact_phone: str
    deadline_days: int | None
    extended_days: int
    pending_extension_days: int | None
    duplicate_of: int | None
    steps: list[StepOut]
    photos: list[PhotoOut]

    @staticmethod
    def resolve_duplicate_of(obj: Event) -> int | None:
        return obj.duplicate_of_id

    @staticmethod
    def resolve_steps(obj: Event) -> list[Any]:
        return list(obj.steps.unscoped("the steps of an event fetched through access_event()").all())

    @staticmethod
    def resolve_photos(obj: Event) -> list[Any]:
        return list(obj.photos.unscoped("the photos of an event fetched through access_event()").all())


class ReportIn(Schema):
    unit_code: str
    category_code: str
    title: str
    description: str
    address: str = ""
    latitude: float | None = None
    longitude: float | None = None


class TransitionIn(Schema):
    action: str
    reason: str = ""
    department_code: str | None = None
    deadline_days: int | None = None
    extra_days: int | None = None
    duplicate_of: int | None = None


class SupervisionIn(Schema):
    level: str
    reason: str


class FiguresOut(Schema):
    to_accept: int
    in_progress: int
    reported_today: int
    closed_today: int
    total: int
    closed: int
    overdue: int


def _detail(request: HttpRequest, event: Event) -> Event:
    show = may_see_contact(request.user, event)
    event.contact_name, event.contact_phone = name_for(show, event.contact_name), phone_for(show, event.contact_phone)
    return event


@router.get("/categories", response=list[CategoryOut], summary="本县事件分类（二至三级，含服务代码）")
def event_categories(request: HttpRequest, county: str | None = None) -> Any:
    unit = access_county(request.user, county)
    return EventCategory.objects.restrict(request.user).filter(county=unit).select_related("parent").order_by("code")


@list_route(
    router,
    "/events",
    response=EventOut,
    params=API_FILTERS,
    summary="辖区内的事件（可按 tab、state、level、unit 等筛选）",
)
def grid_events(request: HttpRequest, params: dict[str, str]) -> Any:
    return worklist(request.user, params)


@router.post("/events", response={201: EventDetailOut}, summary="上报事件（照片另用 /events/{id}/photos 上传）")
def report_event(request: HttpRequest, payload: ReportIn) -> Any:
    unit = access_unit(request.user, payload.unit_code, Action.REPORT)
    category = (
        EventCategory.objects.restrict(request.user)
        .filter(code=payload.category_code, county__code=county_code(unit.code))
        .first()
    )
    if category is None:
        raise ActionError("事件分类代码不存在", "category_code")
    event = actions.do_report_event(
        request.user,
        unit=unit,
        category=category,
        title=payload.title,
        description=payload.description,
        address=payload.address,
        latitude=payload.latitude,
        longitude=payload.longitude,
    )
    return Status(201, _detail(request, access_event(request.user, event.pk)))


@router.get("/events/{event_id}", response=EventDetailOut, summary="事件详情、流转记录与照片")
def grid_event(request: HttpRequest, event_id: int) -> Any:
    return _detail(request, access_event(request.user, event_id))


@router.post(
    "/events/{event_id}/transitions",
    response=EventDetailOut,
    summary="办理：受理、派遣、处置、反馈、核查、办结、退回、延期……",
)
def event_transition(request: HttpRequest, event_id: int, payload: TransitionIn) -> Any:
    event = access_event_for_work(request.user, event_id)
    department = None
    if payload.department_code:
        # Only the departments this user may dispatch this event to: a code outside them, unknown or out of
        # scope alike, gets one answer that names no department.
        department = (
            departments_near(event.unit)
            .restrict(request.user, Action.MANAGE)
            .filter(code=payload.department_code)
            .first()
        )
        if department is None:
            raise ActionError(UNKNOWN_DEPARTMENT, "department_code")
    move = actions.MoveInput(
        reason=payload.reason,
        department=department,
        deadline_days=payload.deadline_days,
        extra_days=payload.extra_days,
        duplicate_of=payload.duplicate_of,
    )
    actions.do_transition(request.user, event, payload.action, move)
    fresh = (
        Event.objects.unscoped("re-read of an object fetched through access()")
        .select_related("unit", "village", "category", "department", "reporter")
        .get(pk=event.pk)
    )
    return _detail(request, fresh)


@router.post(
    "/events/{event_id}/photos", response={201: list[PhotoOut]}, summary="上传事件照片（report / before / after）"
)
def event_photo_upload(
    request: HttpRequest,
    event_id: int,
    files: list[UploadedFile] | None = File(None),  # noqa: B008 - django-ninja declares multipart parts by default values
    stage: str = Form("report"),
) -> Any:
    event = access_event_for_work(request.user, event_id)
    return Status(201, actions.do_add_photos(request.user, event, files or [], stage))


@router.get("/photos/{photo_id}", summary="照片文件", response={200: None})
def event_photo_file(request: HttpRequest, photo_id: int) -> Any:
    return serve_file(access_photo(request.user, photo_id))


@router.post("/events/{event_id}/supervision", response=EventDetailOut, summary="领导督办（黄色 / 红色 / 解除）")
def event_supervision(request: HttpRequest, event_id: int, payload: SupervisionIn) -> Any:
    event = access_event(request.user, event_id, Action.SUPERVISE)
    actions.do_supervise(request.user, event, payload.level, payload.reason)
    return _detail(request, access_event(request.user, event_id))


@router.get("/figures", response=FiguresOut, summary="事件统计：待受理、办理中、今日上报、今日办结、累计")
def event_figures(request: HttpRequest, unit: str | None = None) -> Any:
    qs = Event.objects.restrict(request.user)
    if unit:
        scope = access_unit(request.user, unit)
        qs = qs.within(scope)
    return event_counts(qs, timezone.now())
