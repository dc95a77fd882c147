"""Menu entries for the ledgers: the items (整顿台账) and the weak-branch designations."""

from __future__ import annotations

from xingyao.core import menu as core_menu
from xingyao.core.menu import AREA_ROLES, Entry, has_role
from xingyao.core.roles import Role

MENU = [
    Entry(
        "ledgers.list",
        "整顿台账",
        lambda u: has_role(u, Role.VILLAGE_CLERK, *AREA_ROLES),
        route="ledgers:list",
        order=35,
    ),
    Entry(
        "ledgers.designations",
        "软弱涣散村党组织",
        lambda u: has_role(u, Role.VILLAGE_CLERK, *AREA_ROLES),
        route="ledgers:designations",
        order=36,
    ),
    Entry(
        "ledgers.warnings",
        "星级预警",
        lambda u: has_role(u, *AREA_ROLES),
        route="ledgers:warnings",
        order=37,
    ),
]


def register() -> None:
    core_menu.register(*MENU)
