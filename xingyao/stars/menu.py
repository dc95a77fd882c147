"""Menu entries for the criteria and the villages' star plans (创星计划)."""

from __future__ import annotations

from xingyao.core import menu as core_menu
from xingyao.core.menu import AREA_ROLES, Entry, has_role
from xingyao.core.roles import Role

# Who plans stars and reads the criteria: the villages and those who look after them (not grid workers or
# departments, whose pages would be a 404 or empty).
PLANNING_ROLES = (Role.VILLAGE_CLERK, *AREA_ROLES)

MENU = [
    Entry("stars.plans", "创星计划", lambda u: has_role(u, *PLANNING_ROLES), route="stars:plan_home", order=30),
    Entry("stars.criteria", "评定标准", lambda u: has_role(u, *PLANNING_ROLES), route="stars:criteria", order=60),
]


def register() -> None:
    core_menu.register(*MENU)
