"""The public notice (公示) pages: no login, no personal data, objections rate-limited per address."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from xingyao.assessments import actions, queries
from xingyao.assessments.forms import ObjectionForm
from xingyao.assessments.models import Assessment
from xingyao.core import ratelimit
from xingyao.core.errors import ActionError
from xingyao.core.views_helpers import form_error
from xingyao.places.codes import Kind
from xingyao.places.models import Unit

OBJECTION_LIMIT = getattr(settings, "XINGYAO_OBJECTION_LIMIT", 5)  # objections per address per window
OBJECTION_WINDOW = 3600  # seconds


def _county(code: str) -> Unit:
    return get_object_or_404(
        Unit.objects.unscoped("the public notice: counties are public"), code=code, kind=Kind.COUNTY, active=True
    )


def notice(request: HttpRequest, code: str, year: int) -> HttpResponse:
    county = _county(code)
    today = timezone.localdate()
    rows, changes = queries.public_listing(county, year, today)
    return render(
        request,
        "assessments/public_notice.html",
        {
            "county": county,
            "year": year,
            "publicized": [r for r in rows if r.state == "publicized"],
            "awarded": [r for r in rows if r.state == "awarded"],
            "changes": changes,
            "today": today,
        },
    )


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
    context = {"county": county, "year": year, "a": assessment, "form": form, "accepting": accepting}
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
