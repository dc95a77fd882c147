"""The menu's 数据看板: each role lands on the dashboard of his own unit (county, town or village) for this year."""

from __future__ import annotations

from xingyao.core import menu as core_menu
from xingyao.core.menu import AREA_ROLES, Entry, has_role
from xingyao.core.roles import Role

MENU = [
    Entry(
        "reports.dashboard",
        "数据看板",
        lambda u: has_role(u, Role.VILLAGE_CLERK, *AREA_ROLES),
        route="reports:home",
        order=26,
    )
]


def register() -> None:
    core_menu.register(*MENU)
