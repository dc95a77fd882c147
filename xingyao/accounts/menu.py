"""Menu entries for user administration."""

from __future__ import annotations

from xingyao.core import menu as core_menu
from xingyao.core.menu import Entry
from xingyao.core.roles import Action
from xingyao.core.scoping import holds

MENU = [
    Entry("accounts.users", "用户", lambda u: holds(u, Action.ADMIN), route="accounts:users", order=80),
]


def register() -> None:
    core_menu.register(*MENU)
