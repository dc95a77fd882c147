"""The dashboards' route cases: an outsider town or village gets 404; the owner's page counts his records and
lists his villages, never another town's."""

import re

from django.utils import timezone

from xingyao.core.testing import Marker, RouteCase, RouteKind
from xingyao.grid.tests import factories as f
from xingyao.places.codes import Kind


def _year() -> int:
    return timezone.localdate().year


def _board(unit: str):  # type: ignore[no-untyped-def]
    return lambda w: f"/reports/{w.unit(unit).code}/{_year()}/"


SQUARE = {"type": "Polygon", "coordinates": [[[112.3, 32.5], [112.31, 32.5], [112.31, 32.51], [112.3, 32.5]]]}


def _village_in(town: str):  # type: ignore[no-untyped-def]
    """A village named for the marker, with a boundary: the dashboard's table and map list the villages it covers."""

    def make(w, text):  # type: ignore[no-untyped-def]
        village = w.new_unit(town, text, Kind.VILLAGE)
        village.geometry = SQUARE
        village.save(update_fields=["geometry"])
        return village

    return make


def _event_in(grid: str):  # type: ignore[no-untyped-def]
    return lambda w, text: f.event(w, unit=grid, title=text)


def reported(response) -> float:  # type: ignore[no-untyped-def]
    """The 网格事件上报数 figure of the dashboard's own unit."""
    found = re.search(r"<b>([\d,]+)<small>件</small></b><span>网格事件上报数</span>", response.content.decode())
    assert found, "the dashboard shows no 网格事件上报数"
    return int(found.group(1).replace(",", ""))


ROUTES = [
    RouteCase("reports:home", lambda w: "/reports/", ok=(302,), outsider="", kind=RouteKind.REDIRECT),
    RouteCase(
        "reports:dashboard",
        _board("溧河铺镇"),
        owner="zhen",
        outsider="shian",
        kind=RouteKind.DASHBOARD,
        marker=Marker(mine=_village_in("溧河铺镇"), theirs=_village_in("施庵镇")),
    ),
    RouteCase(
        "reports:dashboard",
        _board("溧河铺镇"),
        owner="zhen",
        outsider="shian",
        label="GET reports:dashboard of a town counts its own events only",
        kind=RouteKind.DASHBOARD,
        marker=Marker(
            mine=_event_in("毛桥村第1网格"),
            theirs=lambda w, text: f.event(w, unit=w.new_unit("施东村", "施东村第1网格").name, title=text),
            figure=reported,
        ),
    ),
    RouteCase(
        "reports:dashboard",
        _board("毛桥村"),
        owner="maoqiao",
        outsider="zhuangying",
        label="GET reports:dashboard of a village",
        kind=RouteKind.DASHBOARD,
        marker=Marker(mine=_event_in("毛桥村第1网格"), theirs=_event_in("庄营村第1网格"), figure=reported),
    ),
    RouteCase(
        "reports:dashboard",
        _board("新野县"),
        owner="xian",
        outsider="zhen",
        label="GET reports:dashboard of the county",
        kind=RouteKind.DASHBOARD,
        marker=Marker(mine=_village_in("施庵镇"), theirs=lambda w, text: w.new_unit("唐河县", text, Kind.VILLAGE)),
    ),
]
