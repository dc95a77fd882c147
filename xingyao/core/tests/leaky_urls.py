"""A test-only URLconf: the same event list once scoped and once leaking every row, as a page, JSON, an Excel
file and a count, so the permission suite's marker check can be shown to fail on a leak."""

from __future__ import annotations

import io

import openpyxl
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import path

from xingyao.grid.models import Event


def _events(request: HttpRequest, leaky: bool):  # type: ignore[no-untyped-def]
    if leaky:
        return Event.objects.unscoped("deliberately leaky: the marker check's self-test")
    return Event.objects.restrict(request.user)


@login_required
def events(request: HttpRequest, leaky: bool) -> HttpResponse:
    titles = list(_events(request, leaky).values_list("title", flat=True))
    match request.GET.get("as"):
        case "json":
            return JsonResponse({"items": [{"title": t} for t in titles]})
        case "xlsx":
            book = openpyxl.Workbook()
            for title in titles:
                book.active.append(["事件", title])
            out = io.BytesIO()
            book.save(out)
            return HttpResponse(
                out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            )
        case "count":
            return JsonResponse({"count": len(titles)})
    return HttpResponse("".join(f"<li>{t}</li>" for t in titles))


urlpatterns = [
    path("leaky/", events, {"leaky": True}),
    path("scoped/", events, {"leaky": False}),
]
