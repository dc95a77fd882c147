"""The ledgers over the API: the item list (paged) and one item with its progress and acceptances."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema

from xingyao.core.paging import Mapped, list_route
from xingyao.ledgers.models import Acceptance, Item, Progress, ProgressPhoto
from xingyao.ledgers.queries import API_FILTERS, access_item, item_list, supervise

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
