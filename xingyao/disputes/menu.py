"""Menu entries for dispute mediation: the case list, the figures and the “三零” tally."""

from __future__ import annotations

from xingyao.core import menu as core_menu
from xingyao.core.menu import AREA_ROLES, Entry, has_role
from xingyao.core.roles import Role

MENU = [
    Entry(
        "disputes.list",
        "矛盾纠纷",
        lambda u: has_role(u, Role.VILLAGE_CLERK, Role.DEPT_HANDLER, *AREA_ROLES),
        route="disputes:list",
        order=40,
    ),
    Entry("disputes.figures", "纠纷统计", lambda u: has_role(u, *AREA_ROLES), route="disputes:figures", order=22),
    Entry("disputes.zero", "“三零”", lambda u: has_role(u, *AREA_ROLES), route="disputes:zero", order=23),
]


def register() -> None:
    core_menu.register(*MENU)
