"""Home page per role and the scoped audit page."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from xingyao.core import audit_text, calendar
from xingyao.core.errors import ActionError
from xingyao.core.http import AuthedRequest
from xingyao.core.models import AuditEntry, WorkdayOverride
from xingyao.core.roles import Action
from xingyao.core.scoping import access, holds
from xingyao.core.tasks import tasks_for
from xingyao.core.views_helpers import paginate
from xingyao.core.workdays import do_remove_workday_override, do_set_workday_override, overrides_for
from xingyao.places.queries import access_unit, children_of


class WorkdayOverrideForm(forms.Form):
    day = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}))
    is_workday = forms.TypedChoiceField(
        label="该日为", choices=[("0", "休息日"), ("1", "工作日")], coerce=lambda v: v == "1"
    )
    note = forms.CharField(label="说明", max_length=100, required=False)


def index(request: AuthedRequest) -> HttpResponse:
    return redirect("core:home" if request.user.is_authenticated else "accounts:login")


@login_required
def home(request: AuthedRequest) -> HttpResponse:
    memberships = list(
        request.user.memberships.unscoped("a user's own roles").select_related("unit").order_by("unit__code")
    )
    first = memberships[0].unit if memberships else None
    return render(
        request,
        "core/home.html",
        {
            "memberships": memberships,
            "tasks": tasks_for(request.user),
            "children": children_of(request.user, first)[:30] if first else [],
            "first_unit": first,
        },
    )


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
