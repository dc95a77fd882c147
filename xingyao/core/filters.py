"""List parameters, read once for the page, the API and the export of a list.

Each list has one function `<noun>_list(user, params)` (or `worklist`) in its app's `queries.py` that takes the
user and the request's parameters and returns the scoped, filtered, ordered queryset; the page paginates it, the
API pages it with `core.paging`, the export writes it. Parameters are read with `Params`, which answers a bad
value with a Chinese message (`BadParam`, an `ActionError`): the API returns it as 400, pages and exports show it
as a 400 page (`core.middleware.BadParamMiddleware`) — never a 500, never a silently different list.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from ninja import Field, Schema
from pydantic import create_model

from xingyao.core.errors import ActionError
from xingyao.core.validators import clean_text

# The years and dates a list, a path or a form may name: wide enough for any record, narrow enough that a page's
# "next year" or "a day later" never leaves Python's date range (9999-12-31 + 1 day is an OverflowError, a 500).
YEAR_MIN, YEAR_MAX = 2000, 2100
DATE_MIN, DATE_MAX = dt.date(1900, 1, 1), dt.date(2100, 12, 31)
INT_MAX = 2**31 - 1  # a 32-bit column's bound: larger numbers are refused before any query


class BadParam(ActionError):
    """A list parameter with a value the list does not know; the message says which and why."""


class Params:
    """Typed, checked access to a list's query parameters (a QueryDict or a plain dict)."""

    def __init__(self, data: Mapping[str, Any] | None) -> None:
        self.data = data or {}

    def raw(self, name: str) -> str:
        value = self.data.get(name)
        return "" if value is None else str(value).strip()

    def choice(self, name: str, label: str, choices: Iterable[Any]) -> str:
        """One of `choices` (values, or (value, label) pairs), or "" when not given."""
        value = self.raw(name)
        allowed = [c[0] if isinstance(c, tuple) else c for c in choices]
        if value and value not in {str(a) for a in allowed}:
            raise BadParam(f"{label}「{value[:20]}」不是可选的值", name)
        return value

    def integer(self, name: str, label: str, *, low: int = 1, high: int = INT_MAX) -> int | None:
        """A whole number in [low, high], or None when not given."""
        value = self.raw(name)
        if not value:
            return None
        # Digits only (no sign, no "١٢" or "１２"), and at most as long as the bound: int() of a 5,000-digit text is
        # refused by Python itself (a ValueError, a 500).
        if not (value.isascii() and value.isdigit() and len(value) <= len(str(high))) or not low <= int(value) <= high:
            raise BadParam(f"{label}应为 {low} 到 {high} 之间的整数", name)
        return int(value)

    def year(self, name: str = "year", label: str = "年度") -> int | None:
        return self.integer(name, label, low=YEAR_MIN, high=YEAR_MAX)

    def date(self, name: str, label: str) -> dt.date | None:
        """A date written 2024-03-01 between DATE_MIN and DATE_MAX, or None when not given."""
        value = self.raw(name)
        if not value:
            return None
        try:
            day = dt.date.fromisoformat(value) if len(value) <= 10 else None
        except ValueError:
            day = None
        if day is None:
            raise BadParam(f"{label}应为 年-月-日 格式的日期，如 2024-03-01", name)
        if not DATE_MIN <= day <= DATE_MAX:
            raise BadParam(f"{label}应在 {DATE_MIN.year} 年到 {DATE_MAX.year} 年之间", name)
        return day

    def text(self, name: str, label: str = "搜索词", limit: int = 50) -> str:
        """A search text: trimmed, short, no control characters."""
        try:
            return clean_text(self.raw(name), label, name, limit=limit, required=False)
        except ActionError as exc:
            raise BadParam(exc.message, name) from None


def query_schema(name: str, labels: Mapping[str, str]) -> type[Schema]:
    """The API's declaration of a list's parameters (for /api/v1/docs): all text, checked by the list's `Params`
    so that the API, the page and the export answer a bad value the same way."""
    fields: dict[str, Any] = {key: (str, Field("", description=label)) for key, label in labels.items()}
    return create_model(name, __base__=Schema, **fields)
