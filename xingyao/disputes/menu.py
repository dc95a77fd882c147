"""Menu entries for dispute mediation: the case list, the figures and the “三零” tally."""

from __future__ import annotations

from typing import Any

from xingyao.core import menu as core_menu
from xingyao.core.menu import AREA_ROLES, Entry, has_role, only_role_on
from xingyao.core.roles import Role
from xingyao.places.codes import is_county_department


def _sees_cases(user: Any) -> bool:
    """The village, the area roles and the departments that mediate, but not a county department's handler and
    nothing else (his queue is the star review); a case his department joins reaches him as a home-page task."""
    if only_role_on(user, Role.DEPT_HANDLER, is_county_department):
        return False
    return has_role(user, Role.VILLAGE_CLERK, Role.DEPT_HANDLER, *AREA_ROLES)


MENU = [
    Entry(
        "disputes.list",
        "矛盾纠纷",
        _sees_cases,
        route="disputes:list",
        order=40,
    ),
    Entry("disputes.figures", "纠纷统计", lambda u: has_role(u, *AREA_ROLES), route="disputes:figures", order=22),
    Entry("disputes.zero", "“三零”", lambda u: has_role(u, *AREA_ROLES), route="disputes:zero", order=23),
]


def register() -> None:
    core_menu.register(*MENU)
