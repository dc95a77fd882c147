"""The menu's jumps, the scoped audit page, working-day overrides and the error pages."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.utils import timezone
from django.views.decorators.http import require_POST

from xingyao.core import audit_text, calendar, menu
from xingyao.core.errors import ActionError
from xingyao.core.http import AuthedRequest
from xingyao.core.models import AuditEntry, WorkdayOverride
from xingyao.core.roles import Action
from xingyao.core.scoping import access, holds
from xingyao.core.views_helpers import paginate
from xingyao.core.workdays import do_remove_workday_override, do_set_workday_override, overrides_for
from xingyao.places.queries import access_unit


class WorkdayOverrideForm(forms.Form):
    day = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}))
    is_workday = forms.TypedChoiceField(
        label="该日为", choices=[("0", "休息日"), ("1", "工作日")], coerce=lambda v: v == "1"
    )
    note = forms.CharField(label="说明", max_length=100, required=False)


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
def workdays(request: AuthedRequest, code: str) -> HttpResponse:
    """A unit's working-day overrides, with a form to add one and a deadline preview."""
    unit = access_unit(request.user, code, Action.ADMIN)
    form = WorkdayOverrideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            do_set_workday_override(request.user, unit, **form.cleaned_data)
        except ActionError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "已保存")
            return redirect("core:workdays", code=unit.code)
    overrides = WorkdayOverride.objects.restrict(request.user).filter(unit=unit)
    today = timezone.localdate()
    applied = overrides_for(unit)
    preview = [(n, calendar.add_workdays(today, n, applied)) for n in (1, 3, 5, 7, 15)]
    return render(
        request,
        "core/workdays.html",
        {"unit": unit, "form": form, "overrides": overrides, "preview": preview, "today": today},
    )


@login_required
@require_POST
def workday_remove(request: AuthedRequest, pk: int) -> HttpResponse:
    override = access(WorkdayOverride.objects.select_related("unit"), request.user, pk, Action.ADMIN)
    do_remove_workday_override(request.user, override)
    messages.success(request, "已删除")
    return redirect("core:workdays", code=override.unit.code)


# --- error pages: Chinese, inside the layout; JSON under /api/ -----------------------------------------------

API_PREFIX = "/api/"
ERROR_DETAIL = {
    400: "请求有误",
    403: "您无权执行此操作",
    404: "记录不存在或不在您的辖区内",
    500: "服务器出错，请稍后重试",
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
    the user's roles, a context processor)."""
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": ERROR_DETAIL[500]}, status=500, json_dumps_params={"ensure_ascii": False})
    try:
        body = loader.get_template("500.html").render()
    except Exception:  # the error page itself must never fail
        body = "<h1>系统出错了</h1><p>服务器处理时发生错误，请稍后重试。</p>"
    return HttpResponseServerError(body)
