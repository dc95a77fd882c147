"""The home page: the user's open work, what his role does (the menu as tiles), and his units."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render

from xingyao.core import search as finding
from xingyao.core.http import AuthedRequest
from xingyao.core.menu import menu_for
from xingyao.core.scoping import held_roles
from xingyao.core.tasks import tasks_for
from xingyao.home import help
from xingyao.places.queries import children_of


def index(request: AuthedRequest) -> HttpResponse:
    return redirect("home:home" if request.user.is_authenticated else "accounts:login")


@login_required
def home(request: AuthedRequest) -> HttpResponse:
    memberships = list(
        request.user.memberships.unscoped("a user's own roles").select_related("unit").order_by("unit__code")
    )
    first = memberships[0].unit if memberships else None
    return render(
        request,
        "home/home.html",
        {
            "memberships": memberships,
            "tasks": tasks_for(request.user),
            "links": menu_for(request.user),
            "children": children_of(request.user, first)[:30] if first else [],
            "first_unit": first,
        },
    )


@login_required
def search(request: AuthedRequest) -> HttpResponse:
    """The header's search box: an event by its number (full or the last digits), a dispute by its case number;
    inside the user's scope only, so a number outside it reads as not found."""
    query = finding.normalise(request.GET.get("q", ""))
    hits = finding.search(request.user, query)
    if len(hits) == 1 and request.GET.get("go") != "0":
        return redirect(hits[0].url)
    return render(request, "home/search.html", {"search_q": query, "hits": hits})


@login_required
def help_page(request: AuthedRequest) -> HttpResponse:
    """What each role does week by week (the user's own roles first) and what each state of a record means."""
    mine, others = help.guides_for({role for role, _prefix in held_roles(request.user)})
    return render(request, "home/help.html", {"mine": mine, "others": others, "states": help.state_tables()})
