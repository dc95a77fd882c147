"""Home page per role and the scoped audit page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from xingyao.core.models import AuditEntry
from xingyao.core.roles import Action
from xingyao.core.scoping import scope_prefixes
from xingyao.core.tasks import tasks_for
from xingyao.core.views_helpers import paginate
from xingyao.places.queries import children_of


def index(request: HttpRequest) -> HttpResponse:
    return redirect("core:home" if request.user.is_authenticated else "accounts:login")


@login_required
def home(request: HttpRequest) -> HttpResponse:
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
def audit_log(request: HttpRequest) -> HttpResponse:
    if not (request.user.is_superuser or scope_prefixes(request.user, Action.ADMIN)):
        raise PermissionDenied
    entries = AuditEntry.objects.restrict(request.user, Action.ADMIN).select_related("unit").order_by("-id")
    action = request.GET.get("action", "").strip()
    if action:
        entries = entries.filter(action__startswith=action)
    return render(request, "core/audit.html", {"page": paginate(request, entries), "action": action})
