"""The header's search box finds an event by its 事件编号, inside the user's scope (core/search.py)."""

from __future__ import annotations

from typing import Any

from xingyao.core import search
from xingyao.grid.models import Event
from xingyao.grid.queries import by_number


def find(user: Any, query: str) -> list[search.Hit]:
    found = by_number(Event.objects.restrict(user), query).order_by("-reported_at", "-id")[: search.MAX_HITS]
    return [search.Hit("网格事件", e.number, e.title, e.state_label, e.get_absolute_url()) for e in found]


def register() -> None:
    search.register(search.Finder("grid.events", "网格事件", find))
