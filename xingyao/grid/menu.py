"""Menu entries for grid events: reporting first for the grid worker, the event list, the map, grid people."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.urls import reverse

from xingyao.core import menu as core_menu
from xingyao.core.menu import AREA_ROLES, Entry, has_role
from xingyao.core.roles import Action, Role
from xingyao.core.scoping import holds
from xingyao.places.codes import Kind
from xingyao.places.queries import own_unit


def _people(user: Any) -> str:
    unit = own_unit(user, (Kind.PROVINCE, Kind.CITY, Kind.COUNTY, Kind.TOWN, Kind.VILLAGE))
    if unit is None:
        raise Http404
    return reverse("grid:people", args=[unit.code])


MENU = [
    Entry("grid.report", "上报事件", lambda u: holds(u, Action.REPORT), route="grid:report", order=15),
    Entry("grid.events", "网格事件", lambda u: holds(u, Action.VIEW), route="grid:events", order=25),
    Entry("grid.map", "事件地图", lambda u: has_role(u, *AREA_ROLES), route="grid:map", order=35),
    Entry("grid.people", "网格人员", lambda u: has_role(u, Role.VILLAGE_CLERK, *AREA_ROLES), target=_people, order=50),
]


def register() -> None:
    core_menu.register(*MENU)
