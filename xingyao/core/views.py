"""The menu's jumps, the scoped audit page and the error pages (a unit's working-day page is in places)."""

from __future__ import annotations

import sys

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader

from xingyao.core import audit_text, import_errors, menu
from xingyao.core.exports import xlsx_response
from xingyao.core.http import AuthedRequest
from xingyao.core.models import AuditEntry
from xingyao.core.roles import Action
from xingyao.core.scoping import holds
from xingyao.core.views_helpers import paginate


def healthz(request: HttpRequest) -> HttpResponse:
    """For the proxy's health check and the load bench's baseline: answers without the database or a session."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


@login_required
def go(request: AuthedRequest, key: str) -> HttpResponse:
    """Follow a menu entry whose destination depends on data (the latest year, the user's own record)."""
    entry = menu.entry(key)
    if entry is None or entry.target is None or not entry.visible(request.user):
        raise Http404
    return redirect(entry.target(request.user))


@login_required
def audit_log(request: AuthedRequest) -> HttpResponse:
    if not holds(request.user, Action.ADMIN):
        raise PermissionDenied
    entries = AuditEntry.objects.restrict(request.user, Action.ADMIN).select_related("unit").order_by("-id")
    action = request.GET.get("action", "").strip()
    if action:
        entries = entries.filter(action__startswith=action)
    page = paginate(request, entries.select_related("actor"))
    context = {
        "page": page,
        "lines": audit_text.describe_page(request.user, page.object_list),
        "action": action,
        "subjects": audit_text.subject_choices(),
    }
    return render(request, "core/audit.html", context)


@login_required
def import_error_sheet(request: AuthedRequest, token: str) -> HttpResponse:
    """The full error list of the user's own failed import (only he has its token)."""
    content = import_errors.read(request.user, token)
    if content is None:
        raise Http404
    return xlsx_response(content, "导入错误清单.xlsx")


# --- error pages: Chinese, inside the layout; JSON under /api/ -----------------------------------------------

API_PREFIX = "/api/"
ERROR_DETAIL = {
    400: "请求有误",
    403: "您无权执行此操作",
    404: "记录不存在或不在您的辖区内",
    500: "服务器出错，请稍后重试",
    503: "数据库暂时无法连接，请稍后重试",
}


def _error(request: HttpRequest, status: int) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": ERROR_DETAIL[status]}, status=status, json_dumps_params={"ensure_ascii": False})
    return render(request, f"{status}.html", status=status)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _error(request, 400)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _error(request, 403)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _error(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page renders without the request's context: the error may lie in what builds it (the session,
    the user's roles, a context processor). A lost database connection (PostgreSQL restarting, the network to it
    down) is a 503 that says to try again: nothing was written, and the next request reconnects by itself."""
    status = 503 if _database_unavailable(sys.exc_info()[1]) else 500
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": ERROR_DETAIL[status]}, status=status, json_dumps_params={"ensure_ascii": False})
    try:
        body = loader.get_template(f"{status}.html").render()
    except Exception:  # the error page itself must never fail
        body = "<h1>系统出错了</h1><p>服务器处理时发生错误，请稍后重试。</p>"
    response = HttpResponseServerError(body, status=status)
    if status == 503:
        response["Retry-After"] = "5"
    return response


def _database_unavailable(exc: BaseException | None) -> bool:
    """The database could not be reached or was busy (PostgreSQL maps lost connections to these two; a broken query
    or a constraint is another DatabaseError and stays a 500). Django has logged the error either way."""
    return isinstance(exc, (OperationalError, InterfaceError))
