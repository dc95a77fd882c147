"""Menu entries: the county admin's outside delivery channels (the inbox sits in the header with its badge)."""

from __future__ import annotations

from xingyao.core import menu as core_menu
from xingyao.core.menu import Entry, has_role
from xingyao.core.roles import Role

MENU = [
    Entry("notices.channels", "消息推送", lambda u: has_role(u, Role.COUNTY_ADMIN), route="notices:channels", order=85),
]


def register() -> None:
    core_menu.register(*MENU)
