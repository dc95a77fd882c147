"""The one API pagination: every list route takes `?limit=&offset=` and answers the same shape.

    @router.get("/things", response=list[ThingOut])
    @paginate(Paged)
    def things(request, ...):  return things_list(request.user, params)   # a queryset, not sliced

A list whose parameters the app reads itself (`queries.FILTERS` → `Params`) registers with `list_route`, which
declares them for /api/v1/docs and hands the view a plain dict, the same shape the page passes from request.GET.

Answer: `{"count": 123, "limit": 50, "offset": 0, "items": [...]}`. `limit` is 1–500 (default 50); a bad value
is a 400 with a Chinese message (xingyao.api's validation handler), never a silent cut or a 500.
"""

from collections.abc import Callable, Mapping
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import PaginationBase, paginate
from ninja.parser import Parser

from xingyao.core.errors import ActionError
from xingyao.core.filters import YEAR_MAX, YEAR_MIN, query_schema

# Bounded numbers for API parameters and bodies: `def f(request, year: Year)`. Out of range is the validation
# handler's Chinese 400 (a year 0 or 10**20 used to reach `date(year, 1, 1)` and answer 500).
Year = Annotated[int, Field(ge=YEAR_MIN, le=YEAR_MAX, description=f"年度（{YEAR_MIN}–{YEAR_MAX}）")]

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
MAX_OFFSET = 1_000_000  # deeper than this is a crawl; filter the list instead


class Paged(PaginationBase):
    """Limit and offset, bounded, with the total count."""

    class Input(Schema):
        limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"每页条数（1–{MAX_LIMIT}）")
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="从第几条开始（0 起）")

    class Output(Schema):
        count: int
        limit: int
        offset: int
        items: list[Any]

    def paginate_queryset(self, queryset: Any, pagination: Any, request: HttpRequest, **params: Any) -> Any:
        limit, offset = pagination.limit, pagination.offset
        return {
            "count": self._items_count(queryset),
            "limit": limit,
            "offset": offset,
            "items": list(queryset[offset : offset + limit]),
        }


class Mapped:
    """A queryset whose rows a route shapes in Python (masking per row, computed fields), paged like the queryset:
    the count is one query and only the page's rows are shaped."""

    def __init__(self, queryset: Any, each: Callable[[Any], Any]) -> None:
        self.queryset, self.each = queryset, each

    def all(self) -> "Mapped":
        return self

    def count(self) -> int:
        return int(self.queryset.count())

    def __getitem__(self, window: slice) -> list[Any]:
        return [self.each(row) for row in self.queryset[window]]


def list_route(
    router: Router, path: str, *, response: Any, params: Mapping[str, str], summary: str
) -> Callable[[Callable[[HttpRequest, dict[str, str]], Any]], Any]:
    """Register `view(request, params) -> queryset` as a paged GET list with the named text parameters."""
    name = "".join(part.title() for part in path.strip("/").replace("/", "_").split("_")) + "Query"
    query = query_schema(name, params)

    def register(view: Callable[[HttpRequest, dict[str, str]], Any]) -> Any:
        # Written out, not **kwargs: ninja reads the parameters from this signature (evaluated now, not as text).
        def route(request: HttpRequest, filters: Query[query]) -> Any:  # type: ignore[valid-type]  # built above
            return view(request, filters.model_dump())  # type: ignore[attr-defined]

        # The URL name is api:<view name>, the OpenAPI operation id names the app module.
        route.__name__, route.__doc__, route.__module__ = view.__name__, view.__doc__, view.__module__
        return router.get(path, response=list[response], summary=summary)(paginate(Paged)(route))

    return register


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


class JsonParser(Parser):
    """The API's JSON bodies, refused when a text holds a NUL character: no text column takes one (PostgreSQL
    answers a DataError, a 500), and the pages' forms refuse it already. ninja turns the error into a 400 whose
    cause is this ActionError (`xingyao.api` says it in Chinese)."""

    def parse_body(self, request: HttpRequest) -> Any:
        data = super().parse_body(request)
        if _has_nul(data):
            raise ActionError("提交的内容中含有不允许的控制字符（NUL）")
        return data
