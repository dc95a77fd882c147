"""The public notice (公示) pages: no login, no personal data, objections rate-limited per address."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from xingyao.assessments import actions, queries
from xingyao.assessments.forms import ObjectionForm
from xingyao.assessments.models import Assessment
from xingyao.assessments.publication import issuer_of, objection_phone
from xingyao.assessments.queries import board as board_queries
from xingyao.core import ratelimit
from xingyao.core.errors import ActionError
from xingyao.core.views_helpers import form_error
from xingyao.places.codes import Kind
from xingyao.places.models import Unit

OBJECTION_LIMIT = getattr(settings, "XINGYAO_OBJECTION_LIMIT", 5)  # objections per address per window
OBJECTION_WINDOW = 3600  # seconds


def _unit(code: str) -> Unit:
    unit = board_queries.public_unit(code)
    if unit is None:
        raise Http404
    return unit


def _county(code: str) -> Unit:
    unit = _unit(code)
    if unit.kind != Kind.COUNTY:
        raise Http404
    return unit


def index(request: HttpRequest) -> HttpResponse:
    """The public site's front: the counties, each with its towns."""
    counties = [(c, board_queries.public_towns(c)) for c in board_queries.public_counties()]
    return render(request, "assessments/public/index.html", {"counties": counties})


def _board(request: HttpRequest, unit: Unit, year: int | None) -> HttpResponse:
    today = timezone.localdate()
    shown = board_queries.board(unit, year, today)
    towns = board_queries.public_towns(unit) if unit.kind == Kind.COUNTY else []
    return render(
        request,
        "assessments/public/board.html",
        {
            "b": shown,
            "unit": unit,
            "county": shown.county,
            "towns": towns,
            "issuer": issuer_of(shown.county),
            "phone": objection_phone(),
            "today": today,
        },
    )


def board(request: HttpRequest, code: str) -> HttpResponse:
    """A county's or a town's star board and notices, for the latest year with published notices."""
    return _board(request, _unit(code), None)


def notice(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """The same board for a given year."""
    return _board(request, _unit(code), year)


def _over_limit(request: HttpRequest) -> bool:
    return ratelimit.hit(f"objection:{ratelimit.client_address(request)}", OBJECTION_LIMIT, OBJECTION_WINDOW)


@require_http_methods(["GET", "POST"])
def objection(request: HttpRequest, code: str, year: int, pk: int) -> HttpResponse:
    county = _county(code)
    assessment = (
        Assessment.objects.within(county)
        .filter(year=year, pk=pk)
        .select_related("village__parent", "criteria_set")
        .first()
    )
    if assessment is None or assessment.state not in queries.PUBLIC_STATES:
        raise Http404
    today = timezone.localdate()
    accepting = queries.accepts_objections(assessment, today)
    form = ObjectionForm(request.POST or None)
    context = {
        "county": county,
        "unit": county,
        "year": year,
        "a": assessment,
        "form": form,
        "accepting": accepting,
        "issuer": issuer_of(county),
        "phone": objection_phone(),
    }
    if request.method == "POST":
        if _over_limit(request):
            context["refused"] = "提交过于频繁，请一小时后再试"
            return render(request, "assessments/public_objection.html", context, status=429)
        if form.is_valid():
            if form.cleaned_data["website"]:
                # A bot filled the hidden field: answer as if received, keep nothing.
                return render(request, "assessments/public_objection_done.html", context)
            try:
                actions.do_file_objection(
                    assessment,
                    content=form.cleaned_data["content"],
                    contact=form.cleaned_data["contact"],
                    name=form.cleaned_data["name"],
                    today=today,
                )
            except ActionError as exc:
                form_error(form, exc)
            else:
                return render(request, "assessments/public_objection_done.html", context)
    return render(request, "assessments/public_objection.html", context)
