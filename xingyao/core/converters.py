"""Path converters: a year in a URL is four digits inside the years a page may name (`filters.YEAR_MIN`–`YEAR_MAX`).

`<year:year>` lets `/rankings/<town>/0/` or a 30-digit year through to the view, whose "previous year" link or date
range then fails with a 500; `<year:year>` answers such a path with the 404 page before any view runs.
"""

from __future__ import annotations

from django.urls import register_converter

from xingyao.core.filters import YEAR_MAX, YEAR_MIN


class YearConverter:
    regex = "[0-9]{4}"

    def to_python(self, value: str) -> int:
        year = int(value)
        if not YEAR_MIN <= year <= YEAR_MAX:
            raise ValueError(value)  # the resolver takes this as "no match": a 404
        return year

    def to_url(self, value: int | str) -> str:
        # Any four-digit year may be linked (a "previous year" link at the bound leads to a 404, not a failure).
        year = int(value)
        if not 1000 <= year <= 9999:
            raise ValueError(value)
        return str(year)


def register() -> None:
    register_converter(YearConverter, "year")
