"""Menu entries for 人居环境 and 文明幸福: the works, the service centres, services, activities and honours."""

from __future__ import annotations

from xingyao.core import menu as core_menu
from xingyao.core.menu import AREA_ROLES, Entry, has_role
from xingyao.core.roles import Role


def _keeps_or_oversees(user: object) -> bool:
    return has_role(user, Role.VILLAGE_CLERK, *AREA_ROLES)


MENU = [
    Entry("livability.works", "人居环境", _keeps_or_oversees, route="livability:works", order=40),
    Entry("livability.centres", "党群服务中心", _keeps_or_oversees, route="livability:centres", order=41),
    Entry("livability.services", "便民服务", _keeps_or_oversees, route="livability:services", order=42),
    Entry("livability.activities", "文化和服务活动", _keeps_or_oversees, route="livability:activities", order=43),
]


def register() -> None:
    core_menu.register(*MENU)
