"""Dashboards: a county's, a town's or a village's figures for a year, with charts, tables and a village map."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from xingyao.core.filters import Params
from xingyao.core.middleware import CSP
from xingyao.core.roles import Action
from xingyao.core.scoping import covers
from xingyao.places.codes import Kind
from xingyao.places.queries import access_unit, own_unit
from xingyao.reports import queries

COLOURS = {"stars": "按星级", "events": "按网格事件数"}
YEARS = range(2000, 2101)  # the `year` path converter's range


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The user's own unit's dashboard for this year: a county's, a town's or a village's."""
    unit = own_unit(request.user, tuple(queries.LEVELS))
    if unit is None:
        raise Http404("没有可查看的数据看板")
    return HttpResponseRedirect(reverse("reports:dashboard", args=[unit.code, timezone.localdate().year]))


def _tiles_csp(template: str) -> str:
    """The page's policy with the tile service's host allowed for images (the rest stays as strict); a template
    with a {s} subdomain (天地图's t0–t7) allows its sibling hosts."""
    netloc = urlsplit(template.replace("{s}", "0")).netloc
    if "{s}" in urlsplit(template).netloc:
        netloc = "*." + netloc.split(".", 1)[1]
    return CSP.replace("img-src 'self' data: blob:", f"img-src 'self' data: blob: https://{netloc}")


@login_required
def dashboard(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """Figures by section, charts with their tables, the towns or villages ranked, and the village map; every
    number links to the records behind it. Out of scope or not a county, town or village: 404."""
    unit = access_unit(request.user, code)
    if unit.kind not in queries.LEVELS:
        raise Http404("该单位没有数据看板")
    colour = Params(request.GET).choice("map", "地图着色", COLOURS) or "stars"
    board = queries.dashboard(request.user, unit, year)
    tiles = settings.XINGYAO_MAP_TILES
    above = [a for a in unit.ancestors() if a.kind in queries.LEVELS and covers(request.user, Action.VIEW, a.prefix)]
    data = {
        "charts": [chart.data() for chart in board.charts],
        "map": {**board.map_data, "colour": colour, "tiles": tiles, "attribution": settings.XINGYAO_MAP_ATTRIBUTION},
    }
    response = render(
        request,
        "reports/dashboard.html",
        {
            "board": board,
            "unit": unit,
            "year": year,
            "above": above,
            "kind_label": Kind(unit.kind).label,
            "previous": year - 1 if year - 1 in YEARS else None,
            "following": year + 1 if year + 1 in YEARS else None,
            "colours": COLOURS.items(),
            "colour": colour,
            "data": data,
        },
    )
    if tiles:
        response["Content-Security-Policy"] = _tiles_csp(tiles)
    return response
