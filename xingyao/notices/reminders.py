"""What the daily reminder sums up: each record app registers a finder in its `ready()` that answers, for a day,
its parts — a heading and, per account, the (line, link) pairs that are his to act on."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

Part = tuple[str, dict[int, list[tuple[str, str]]]]
Finder = Callable[[dt.date], list[Part]]

_finders: dict[str, Finder] = {}


def register(key: str, finder: Finder) -> None:
    _finders[key] = finder


def parts_for(today: dt.date) -> list[Part]:
    found: list[Part] = []
    for key in sorted(_finders):
        found.extend(_finders[key](today))
    return found
