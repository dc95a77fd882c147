"""Roles and the actions each grants. Pure data: the one table the scoping mechanism reads."""

from django.db import models


class Role(models.TextChoices):
    COUNTY_ADMIN = "county_admin", "县级管理员"
    COUNTY_REVIEWER = "county_reviewer", "县级审核员"
    TOWN_ADMIN = "town_admin", "乡镇管理员"
    TOWN_REVIEWER = "town_reviewer", "乡镇审核员"
    VILLAGE_CLERK = "village_clerk", "村级填报员（村两委）"
    GRID_WORKER = "grid_worker", "网格员"
    DEPT_HANDLER = "dept_handler", "部门处置员"
    LEADER = "leader", "领导查看"


class Action(models.TextChoices):
    VIEW = "view", "查看"
    CHANGE = "change", "填报与修改"
    REPORT = "report", "上报事件"
    REVIEW = "review", "审核"
    APPROVE = "approve", "审定"
    MANAGE = "manage", "调度管理"
    HANDLE = "handle", "处置"
    ADMIN = "admin", "管理用户"
    # 督办: raising a grid event's supervision level by hand. It changes no record's content, so the read-only
    # leader may hold it without being able to edit anything else.
    SUPERVISE = "supervise", "督办"


A = Action
ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.COUNTY_ADMIN: frozenset({A.VIEW, A.CHANGE, A.REPORT, A.REVIEW, A.APPROVE, A.MANAGE, A.ADMIN, A.SUPERVISE}),
    Role.COUNTY_REVIEWER: frozenset({A.VIEW, A.REVIEW, A.APPROVE}),
    Role.TOWN_ADMIN: frozenset({A.VIEW, A.CHANGE, A.REPORT, A.REVIEW, A.MANAGE, A.ADMIN}),
    Role.TOWN_REVIEWER: frozenset({A.VIEW, A.REVIEW}),
    Role.VILLAGE_CLERK: frozenset({A.VIEW, A.CHANGE, A.REPORT}),
    Role.GRID_WORKER: frozenset({A.VIEW, A.REPORT}),
    Role.DEPT_HANDLER: frozenset({A.VIEW, A.HANDLE}),
    Role.LEADER: frozenset({A.VIEW, A.SUPERVISE}),
}

# The unit kinds a role may be held on; an admin can only grant roles that fit the unit.
ROLE_UNIT_KINDS: dict[str, frozenset[str]] = {
    Role.COUNTY_ADMIN: frozenset({"province", "city", "county"}),
    Role.COUNTY_REVIEWER: frozenset({"province", "city", "county"}),
    Role.TOWN_ADMIN: frozenset({"town"}),
    Role.TOWN_REVIEWER: frozenset({"town"}),
    Role.VILLAGE_CLERK: frozenset({"village"}),
    Role.GRID_WORKER: frozenset({"grid", "microgrid"}),
    Role.DEPT_HANDLER: frozenset({"department"}),
    Role.LEADER: frozenset({"province", "city", "county", "town"}),
}


def grants(role: str, action: str) -> bool:
    return action in ROLE_ACTIONS.get(role, frozenset())
