"""The ledgers over the API: the item list (paged) and one item with its progress and acceptances."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from xingyao.core.paging import Mapped, list_route
from xingyao.core.roles import Action
from xingyao.ledgers import actions
from xingyao.ledgers.models import Acceptance, Item, Progress, ProgressPhoto, StarWarning
from xingyao.ledgers.queries import (
    API_FILTERS,
    API_WARNING_FILTERS,
    access_item,
    access_warning,
    item_list,
    supervise,
    warning_list,
)
from xingyao.places.queries import access_unit

router = Router(tags=["整顿台账"])


class ItemOut(Schema):
    id: int
    village_code: str
    village: str
    source: str
    source_label: str
    problem: str
    target: str
    measure: str
    steps: str
    responsible: str
    start_on: dt.date
    days: int
    due_on: dt.date
    state: str
    state_label: str


class ProgressOut(Schema):
    acted_on: dt.date
    note: str
    photo_urls: list[str]


class AcceptanceOut(Schema):
    method_label: str
    score: int
    satisfied: int
    dissatisfied: int
    passed: bool
    accepted_on: dt.date
    panel: str


class ItemDetailOut(ItemOut):
    supervision: str
    supervision_label: str
    progress: list[ProgressOut]
    acceptances: list[AcceptanceOut]


def _item(i: Item) -> dict[str, Any]:
    return {
        "id": i.pk,
        "village_code": i.village.code,
        "village": i.village.name,
        "source": i.source,
        "source_label": i.source_label,
        "problem": i.problem,
        "target": i.target,
        "measure": i.measure,
        "steps": i.steps,
        "responsible": i.responsible,
        "start_on": i.start_on,
        "days": i.days,
        "due_on": i.due_on,
        "state": i.state,
        "state_label": i.state_label,
    }


@list_route(router, "/items", response=ItemOut, params=API_FILTERS, summary="辖区内的整改事项")
def ledger_items_list(request: HttpRequest, params: dict[str, str]) -> Any:
    return Mapped(item_list(request.user, params), _item)


@router.get("/items/{int:item_id}", response=ItemDetailOut, summary="一项整改的详情、进度和验收")
def get_ledger_item(request: HttpRequest, item_id: int) -> Any:
    user = request.user
    item = access_item(user, item_id)
    supervise([item], timezone.localdate())
    progress = (
        Progress.objects.restrict(user)
        .filter(item=item)
        .prefetch_related(Prefetch("photos", queryset=ProgressPhoto.objects.restrict(user)))
        .order_by("acted_on", "id")
    )
    acceptances = Acceptance.objects.restrict(user).filter(item=item)
    return _item(item) | {
        "supervision": item.level.value,  # type: ignore[attr-defined]
        "supervision_label": item.level.label,  # type: ignore[attr-defined]
        "progress": [
            {"acted_on": p.acted_on, "note": p.note, "photo_urls": [f.get_absolute_url() for f in p.photos.all()]}
            for p in progress
        ],
        "acceptances": [
            {
                "method_label": a.method_label,
                "score": a.score,
                "satisfied": a.satisfied,
                "dissatisfied": a.dissatisfied,
                "passed": a.passed,
                "accepted_on": a.accepted_on,
                "panel": a.panel,
            }
            for a in acceptances
        ],
    }


# --- writes: the same do_* as the pages ---------------------------------------------------------------------

TEXT = 2000


class ItemIn(Schema):
    village_code: str = Field(max_length=32)
    source: str = Field(max_length=16)
    problem: str = Field(max_length=200)
    target: str = Field(max_length=200)
    measure: str = Field(max_length=TEXT)
    steps: str = Field(max_length=TEXT)
    responsible: str = Field(max_length=50)
    start_on: dt.date
    days: int


class ProgressIn(Schema):
    acted_on: dt.date
    note: str = Field(max_length=TEXT)


class ReasonIn(Schema):
    reason: str = Field("", max_length=500)


class AcceptanceIn(Schema):
    method: str = Field(max_length=16)
    score: int
    accepted_on: dt.date
    panel: str = Field(max_length=100)
    satisfied: int = 0
    dissatisfied: int = 0
    note: str = Field("", max_length=TEXT)


class ReopenIn(Schema):
    start_on: dt.date
    days: int
    reason: str = Field("", max_length=500)


class CloseIn(Schema):
    on: dt.date | None = None


def _fresh(request: HttpRequest, item_id: int) -> dict[str, Any]:
    return _item(access_item(request.user, item_id))


@router.post("/items", response={201: ItemOut}, summary="登记整改事项（三精准、三明确）")
def open_ledger_item(request: HttpRequest, payload: ItemIn) -> Any:
    village = access_unit(request.user, payload.village_code, Action.MANAGE)
    data = payload.dict()
    del data["village_code"]
    item = actions.do_open_item(request.user, village=village, **data)
    return Status(201, _fresh(request, item.pk))


@router.post("/items/{int:item_id}/progress", response={201: ItemOut}, summary="登记整改进度（照片请在页面上传）")
def record_ledger_progress(request: HttpRequest, item_id: int, payload: ProgressIn) -> Any:
    item = access_item(request.user, item_id, Action.CHANGE)
    actions.do_record_progress(request.user, item.pk, acted_on=payload.acted_on, note=payload.note)
    return Status(201, _fresh(request, item.pk))


@router.post("/items/{int:item_id}/submit", response=ItemOut, summary="提请验收")
def submit_ledger_item(request: HttpRequest, item_id: int, payload: ReasonIn) -> Any:
    item = access_item(request.user, item_id, Action.CHANGE)
    actions.do_submit(request.user, item.pk, reason=payload.reason)
    return _fresh(request, item.pk)


@router.post("/items/{int:item_id}/accept", response=ItemOut, summary="验收（不得由参与整改或本村的人验收）")
def accept_ledger_item(request: HttpRequest, item_id: int, payload: AcceptanceIn) -> Any:
    item = access_item(request.user, item_id, Action.REVIEW)
    actions.do_accept(request.user, item.pk, **payload.dict())
    return _fresh(request, item.pk)


@router.post("/items/{int:item_id}/reopen", response=ItemOut, summary="验收未通过后重新整改")
def reopen_ledger_item(request: HttpRequest, item_id: int, payload: ReopenIn) -> Any:
    item = access_item(request.user, item_id, Action.MANAGE)
    actions.do_reopen(request.user, item.pk, **payload.dict())
    return _fresh(request, item.pk)


@router.post("/items/{int:item_id}/close", response=ItemOut, summary="销号")
def close_ledger_item(request: HttpRequest, item_id: int, payload: CloseIn) -> Any:
    item = access_item(request.user, item_id, Action.MANAGE)
    actions.do_close_item(request.user, item.pk, on=payload.on)
    return _fresh(request, item.pk)


# --- star warnings ------------------------------------------------------------------------------------------


class WarningOut(Schema):
    id: int
    village_code: str
    village: str
    year: int
    kind: str
    kind_label: str
    happened_on: dt.date
    origin_label: str
    star_code: str
    star_name: str
    award_status: str
    item_id: int | None
    item_state_label: str
    state: str
    state_label: str
    reason: str


def _warning(w: StarWarning) -> dict[str, Any]:
    return {
        "id": w.pk,
        "village_code": w.village.code,
        "village": w.village.name,
        "year": w.year,
        "kind": w.kind,
        "kind_label": w.kind_label,
        "happened_on": w.happened_on,
        "origin_label": w.origin_label,
        "star_code": w.star_code,
        "star_name": w.star_name,
        "award_status": w.award.status_label if w.award else "",
        "item_id": w.item_id,
        "item_state_label": w.item.state_label if w.item else "",
        "state": w.state,
        "state_label": w.state_label,
        "reason": w.reason,
    }


@list_route(router, "/warnings", response=WarningOut, params=API_WARNING_FILTERS, summary="辖区内的星级预警")
def star_warnings_list(request: HttpRequest, params: dict[str, str]) -> Any:
    return Mapped(warning_list(request.user, params), _warning)


@router.get("/warnings/{int:warning_id}", response=WarningOut, summary="一条星级预警")
def get_star_warning(request: HttpRequest, warning_id: int) -> Any:
    return _warning(access_warning(request.user, warning_id))
