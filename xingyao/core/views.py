"""Home page per role and the scoped audit page (a unit's working-day page is in places)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render

from xingyao.core import audit_text
from xingyao.core.http import AuthedRequest
from xingyao.core.models import AuditEntry
from xingyao.core.roles import Action
from xingyao.core.scoping import holds
from xingyao.core.tasks import tasks_for
from xingyao.core.views_helpers import paginate
from xingyao.places.queries import children_of


def index(request: AuthedRequest) -> HttpResponse:
    return redirect("core:home" if request.user.is_authenticated else "accounts:login")


@login_required
def home(request: AuthedRequest) -> HttpResponse:
    memberships = list(request.user.memberships.select_related("unit").order_by("unit__code"))
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
