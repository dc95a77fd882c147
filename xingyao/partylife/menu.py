"""Menu entries for Party life: the branches' meetings, the township's month table, member development."""

from __future__ import annotations

from xingyao.core import menu as core_menu
from xingyao.core.menu import AREA_ROLES, Entry, has_role
from xingyao.core.roles import Role

MENU = [
    Entry(
        "partylife.list",
        "组织生活",
        lambda u: has_role(u, Role.VILLAGE_CLERK, *AREA_ROLES),
        route="partylife:list",
        order=30,
    ),
    Entry(
        "partylife.months",
        "组织生活月度表",
        lambda u: has_role(u, *AREA_ROLES),
        route="partylife:months",
        order=31,
    ),
    Entry(
        "partylife.candidates",
        "发展党员",
        lambda u: has_role(u, Role.VILLAGE_CLERK, *AREA_ROLES),
        route="partylife:candidates",
        order=32,
    ),
]


def register() -> None:
    core_menu.register(*MENU)
