"""Roles and the actions each grants: the one role vocabulary. Pure data, no Django: the scoping mechanism and
every workflow table read it; Django fields take their choices from `Role.choices()`."""

from __future__ import annotations

from enum import StrEnum
from typing import Self


class Labelled(StrEnum):
    """A string enum whose members carry a Chinese label: `Member = "value", "标签"`."""

    label: str

    def __new__(cls, value: str, label: str = "") -> Self:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label or value
        return member

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        """(value, label) pairs for a model or form field."""
        return [(m.value, m.label) for m in cls]

    @classmethod
    def values(cls) -> list[str]:
        return [m.value for m in cls]

    @classmethod
    def lookup(cls, value: object) -> Self | None:
        """The member with this value, or None (Python 3.11's `in` raises on a non-member)."""
        return cls._value2member_map_.get(value) if isinstance(value, str) else None  # type: ignore[return-value]


class Role(Labelled):
    COUNTY_ADMIN = "county_admin", "县级管理员"
    COUNTY_REVIEWER = "county_reviewer", "县级审核员"
    TOWN_ADMIN = "town_admin", "乡镇管理员"
    TOWN_REVIEWER = "town_reviewer", "乡镇审核员"
    VILLAGE_CLERK = "village_clerk", "村级填报员（村两委）"
    GRID_WORKER = "grid_worker", "网格员"
    DEPT_HANDLER = "dept_handler", "部门处置员"
    LEADER = "leader", "领导查看"


class Action(Labelled):
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
