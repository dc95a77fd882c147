"""Menu entries for the industry records: projects, specialty industries, cooperatives, collective income."""

from __future__ import annotations

from xingyao.core import menu as core_menu
from xingyao.core.menu import AREA_ROLES, Entry, has_role
from xingyao.core.roles import Role

MENU = [
    Entry("economy.projects", "招商引资项目", lambda u: has_role(u, *AREA_ROLES), route="economy:list", order=40),
    Entry("economy.requests", "万人助万企", lambda u: has_role(u, *AREA_ROLES), route="economy:requests", order=44),
    Entry(
        "economy.industries",
        "一村一品特色产业",
        lambda u: has_role(u, Role.VILLAGE_CLERK, *AREA_ROLES),
        route="economy:industries",
        order=41,
    ),
    Entry(
        "economy.cooperatives",
        "专业合作社",
        lambda u: has_role(u, Role.VILLAGE_CLERK, *AREA_ROLES),
        route="economy:cooperatives",
        order=42,
    ),
    Entry(
        "economy.incomes",
        "村集体经济收入",
        lambda u: has_role(u, Role.VILLAGE_CLERK, *AREA_ROLES),
        route="economy:incomes",
        order=43,
    ),
]


def register() -> None:
    core_menu.register(*MENU)
