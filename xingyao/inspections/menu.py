"""Menu entries for inspections: the rounds (观摩评比) and the villages' trends across rounds."""

from __future__ import annotations

from xingyao.core import menu as core_menu
from xingyao.core.menu import AREA_ROLES, Entry, has_role
from xingyao.core.roles import Role

MENU = [
    Entry(
        "inspections.list",
        "观摩评比",
        lambda u: has_role(u, Role.VILLAGE_CLERK, *AREA_ROLES),
        route="inspections:list",
        order=37,
    ),
    Entry(
        "inspections.trend",
        "观摩得分走势",
        lambda u: has_role(u, Role.VILLAGE_CLERK, *AREA_ROLES),
        route="inspections:trend",
        order=38,
    ),
]


def register() -> None:
    core_menu.register(*MENU)
