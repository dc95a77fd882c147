"""The menu entry for the briefings: town and county roles."""

from __future__ import annotations

from xingyao.core import menu as core_menu
from xingyao.core.menu import AREA_ROLES, Entry, has_role


def _area(user: object) -> bool:
    return has_role(user, *AREA_ROLES)


MENU = [Entry("briefings.list", "工作通报", _area, route="briefings:list", order=60)]


def register() -> None:
    core_menu.register(*MENU)
