"""The record lists' shared page and export: filtered by place the one way, the table swapped alone by HTMX, a big
ledger handed to the job worker. Every record app's list view is a call to these."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from xingyao.core import jobs
from xingyao.core.exports import xlsx_response
from xingyao.core.filters import Params
from xingyao.core.job_views import BIG_EXPORT, start_job
from xingyao.core.views_helpers import paginate
from xingyao.places.forms import UnitFilterForm
from xingyao.places.jobs import job_unit
from xingyao.places.queries import access_unit

Query = Callable[[Any, Any], Any]  # (user, the request's parameters) -> the scoped, filtered queryset


def in_place(queryset: Any, user: Any, params: Params, village_field: str = "village_id") -> Any:
    """A list's place filters, one meaning for page, API and export: `village` is a village's id (what the page's
    picker sends), `unit` any unit's code (links, the API), narrowed through the model's own scope fields."""
    if village := params.integer("village", "村"):
        queryset = queryset.filter(**{village_field: village})
    if code := params.raw("unit"):
        queryset = queryset.within(access_unit(user, code))
    return queryset


def village_list_page(
    request: HttpRequest,
    query: Query,
    template: str,
    *,
    table: tuple[str, str] | None = None,
    per_page: int = 30,
    rows: Callable[[list[Any]], Mapping[str, Any]] | None = None,
    context: Callable[[], Mapping[str, Any]] | None = None,
) -> HttpResponse:
    """A record list with the village picker: `query(user, params)` gives the rows, `rows(page's objects)` adds what
    the table shows beside them, `table=(element id, template)` is the part HTMX swaps alone, and `context()` what
    only the whole page needs (filters' choices, buttons). A village the user may not see is a 400 with no rows."""
    village = UnitFilterForm.village(request)
    found = query(request.user, village.params(request.GET))
    page = paginate(request, found if village.is_valid() else found.none(), per_page)
    data: dict[str, Any] = {"page": page, "params": request.GET}
    if rows is not None:
        data |= rows(list(page.object_list))
    if table is not None and request.headers.get("HX-Target") == table[0]:
        return render(request, table[1], data)
    data["village_filter"] = village
    if context is not None:
        data |= context()
    return render(request, template, data, status=200 if village.is_valid() else 400)


def village_list_rows(request: HttpRequest, query: Query) -> Any:
    """The rows of the same list for its export: the same picker, the same query."""
    return query(request.user, UnitFilterForm.village(request).params(request.GET))


def ledger_download(
    request: HttpRequest,
    rows: Any,
    write: Callable[[Any, Any], bytes],
    title: str,
    *,
    job: str = "",
    back: str = "",
) -> HttpResponse:
    """A list's Excel ledger named `title`-date.xlsx; when `job` names a background export and the rows are many,
    the worker writes it (the user waits on the job's page; refused, back to `back`)."""
    if job and jobs.export_is_big(rows):  # too many rows for one request: the worker writes the file
        return start_job(
            request,
            f"{back}?{request.GET.urlencode()}",
            BIG_EXPORT,
            kind=job,
            unit=job_unit(request.user, request.GET.get("unit", "").strip()),
            params={"query": jobs.query_params(request.GET)},
        )
    return xlsx_response(write(request.user, rows), f"{title}-{timezone.localdate():%Y%m%d}.xlsx")
