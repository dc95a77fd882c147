"""Finding a record by its number from the header's search box: each record app registers a finder in its
`ready()` (`grid` events by 事件编号, `disputes` cases by 案件编号); the search page (home) asks them all.

A finder reads through the user's scope only, so a number outside it is answered exactly like an unknown one."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

MAX_QUERY = 40
MIN_TAIL = 3  # the last digits of a number: at least this many
MAX_HITS = 20  # per finder


@dataclass(frozen=True)
class Hit:
    """One record found: what the results list shows of it."""

    kind: str  # "网格事件", "矛盾纠纷"
    number: str
    title: str
    state: str
    url: str


@dataclass(frozen=True)
class Finder:
    key: str
    label: str
    find: Callable[[Any, str], list[Hit]]  # (user, normalised query) → hits inside his scope, at most MAX_HITS


_finders: dict[str, Finder] = {}


def register(finder: Finder) -> None:
    _finders[finder.key] = finder


def normalise(text: Any) -> str:
    """Full-width digits and letters to ASCII, spaces dropped, upper case; bounded."""
    value = unicodedata.normalize("NFKC", str(text or ""))[: MAX_QUERY * 2]
    return re.sub(r"\s+", "", value).upper()[:MAX_QUERY]


def search(user: Any, text: Any) -> list[Hit]:
    query = normalise(text)
    if not query:
        return []
    hits: list[Hit] = []
    for finder in sorted(_finders.values(), key=lambda f: f.key):
        hits.extend(finder.find(user, query)[:MAX_HITS])
    return hits


def digits_tail(query: str) -> tuple[int, int] | None:
    """(value, digit count) when the query is the last digits of a number: only digits, MIN_TAIL to 12 of them."""
    if query.isdigit() and MIN_TAIL <= len(query) <= 12:
        return int(query), len(query)
    return None
