"""人居环境 and 文明幸福 over the API: works (list, one, record), activities (list, record), and the lists of service
centres, services, honours and toilet coverage. Photos are uploaded on the pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status

from xingyao.core.paging import Mapped, list_route
from xingyao.core.roles import Action
from xingyao.livability import actions, queries
from xingyao.livability.models import Activity, Centre, Honour, ServiceRequest, ToiletCoverage, Work
from xingyao.livability.vocabulary import ActivityKind, HonourLevel, Measure, Outcome, ServiceMode, WorkKind
from xingyao.places.queries import access_unit

router = Router(tags=["人居环境与为民服务"])


class WorkOut(Schema):
    id: int
    village_code: str
    village: str
    kind: str
    kind_label: str
    quantity: Decimal
    unit: str
    place: str
    started_on: dt.date
    finished_on: dt.date | None
    cost: Decimal | None
    before_photos: int
    after_photos: int


class WorkDetailOut(WorkOut):
    note: str
    photo_urls: list[str]


class WorkIn(Schema):
    village_code: str
    kind: str
    quantity: str
    unit: str
    place: str
    started_on: dt.date
    finished_on: dt.date | None = None
    cost: str = ""
    note: str = ""


class ActivityOut(Schema):
    id: int
    village_code: str
    village: str
    kind: str
    kind_label: str
    title: str
    held_on: dt.date
    organiser: str
    attendance: int
    photos: int


class ActivityIn(Schema):
    village_code: str
    kind: str
    title: str
    held_on: dt.date
    organiser: str
    attendance: int
    note: str = ""


class ServiceOut(Schema):
    id: int
    village_code: str
    village: str
    mode: str
    mode_label: str
    matter: str
    requested_on: dt.date
    promised_days: int
    outcome: str
    outcome_label: str
    finished_on: dt.date | None
    on_time: bool


class CentreOut(Schema):
    id: int
    village_code: str
    village: str
    name: str
    area: Decimal
    rooms: list[str]
    built_on: dt.date | None
    rebuilt_on: dt.date | None
    upgraded_on: dt.date | None
    photos: int


class HonourOut(Schema):
    id: int
    village_code: str
    village: str
    name: str
    level: str
    level_label: str
    year: int


class ToiletOut(Schema):
    village_code: str
    village: str
    year: int
    households: int
    covered: int


def _at(record: Any) -> dict[str, Any]:
    return {"village_code": record.village.code, "village": record.village.name}


def _work(w: Work, before: int, after: int) -> dict[str, Any]:
    return _at(w) | {
        "id": w.pk, "kind": w.kind, "kind_label": WorkKind(w.kind).label, "quantity": w.quantity,
        "unit": Measure(w.unit).label, "place": w.place, "started_on": w.started_on, "finished_on": w.finished_on,
        "cost": w.cost, "before_photos": before, "after_photos": after,
    }  # fmt: skip


def _work_detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    w = queries.access_work(request.user, pk)
    photos = list(w.photos.restrict(request.user))
    before = sum(1 for p in photos if p.stage == "before")
    return _work(w, before, sum(1 for p in photos if p.stage == "after")) | {
        "note": w.note,
        "photo_urls": [p.get_absolute_url() for p in photos],
    }


def _activity(a: Activity) -> dict[str, Any]:
    return _at(a) | {
        "id": a.pk, "kind": a.kind, "kind_label": ActivityKind(a.kind).label, "title": a.title,
        "held_on": a.held_on, "organiser": a.organiser, "attendance": a.attendance,
        "photos": getattr(a, "photo_count", 0),
    }  # fmt: skip


def _service(s: ServiceRequest) -> dict[str, Any]:
    return _at(s) | {
        "id": s.pk, "mode": s.mode, "mode_label": ServiceMode(s.mode).label, "matter": s.matter,
        "requested_on": s.requested_on, "promised_days": s.promised_days, "outcome": s.outcome,
        "outcome_label": Outcome(s.outcome).label, "finished_on": s.finished_on, "on_time": s.on_time,
    }  # fmt: skip


def _centre(c: Centre) -> dict[str, Any]:
    return _at(c) | {
        "id": c.pk, "name": c.name, "area": c.area, "rooms": c.rooms, "built_on": c.built_on,
        "rebuilt_on": c.rebuilt_on, "upgraded_on": c.upgraded_on, "photos": getattr(c, "photo_count", 0),
    }  # fmt: skip


def _honour(h: Honour) -> dict[str, Any]:
    level = HonourLevel(h.level)
    return _at(h) | {"id": h.pk, "name": h.name, "level": level.value, "level_label": level.label, "year": h.year}


def _toilet(t: ToiletCoverage) -> dict[str, Any]:
    return _at(t) | {"year": t.year, "households": t.households, "covered": t.covered}


@list_route(
    router, "/works", response=WorkOut, params=queries.api_filters(queries.WORK_FILTERS), summary="人居环境工程"
)
def livability_works(request: HttpRequest, params: dict[str, str]) -> Any:
    return Mapped(queries.work_list(request.user, params), lambda w: _work(w, w.before_photos, w.after_photos))


@router.get("/works/{int:work_id}", response=WorkDetailOut, summary="一项人居环境工程的详情")
def livability_work(request: HttpRequest, work_id: int) -> Any:
    return _work_detail(request, work_id)


@router.post("/works", response={201: WorkDetailOut}, summary="登记人居环境工程（照片请在页面上传）")
def record_work(request: HttpRequest, payload: WorkIn) -> Any:
    village = access_unit(request.user, payload.village_code, Action.CHANGE)
    work = actions.do_record_work(
        request.user,
        village=village,
        kind=payload.kind,
        quantity=payload.quantity,
        unit=payload.unit,
        place=payload.place,
        started_on=payload.started_on,
        finished_on=payload.finished_on,
        cost=payload.cost,
        note=payload.note,
    )
    return Status(201, _work_detail(request, work.pk))


@list_route(
    router, "/activities", response=ActivityOut, params=queries.api_filters(queries.ACTIVITY_FILTERS),
    summary="文化和服务活动",
)  # fmt: skip
def livability_activities(request: HttpRequest, params: dict[str, str]) -> Any:
    return Mapped(queries.activity_list(request.user, params), _activity)


@router.post("/activities", response={201: ActivityOut}, summary="登记文化和服务活动（照片请在页面上传）")
def record_activity(request: HttpRequest, payload: ActivityIn) -> Any:
    village = access_unit(request.user, payload.village_code, Action.CHANGE)
    activity = actions.do_record_activity(request.user, village=village, **payload.dict(exclude={"village_code"}))
    return Status(201, _activity(queries.access_activity(request.user, activity.pk)))


@list_route(
    router, "/services", response=ServiceOut, params=queries.api_filters(queries.SERVICE_FILTERS),
    summary="便民服务事项（就近办、马上办、一次办）",
)  # fmt: skip
def livability_services(request: HttpRequest, params: dict[str, str]) -> Any:
    return Mapped(queries.service_list(request.user, params), _service)


@list_route(
    router, "/centres", response=CentreOut, params=queries.api_filters(queries.CENTRE_FILTERS), summary="党群服务中心"
)
def livability_centres(request: HttpRequest, params: dict[str, str]) -> Any:
    return Mapped(queries.centre_list(request.user, params), _centre)


@list_route(router, "/honours", response=HonourOut, params=queries.api_filters(queries.HONOUR_FILTERS), summary="荣誉")
def livability_honours(request: HttpRequest, params: dict[str, str]) -> Any:
    return Mapped(queries.honour_list(request.user, params), _honour)


@list_route(
    router, "/toilets", response=ToiletOut, params=queries.api_filters(queries.TOILET_FILTERS),
    summary="卫生厕所普及情况",
)  # fmt: skip
def livability_toilets(request: HttpRequest, params: dict[str, str]) -> Any:
    return Mapped(queries.toilet_list(request.user, params), _toilet)
