"""Dispute case (矛盾纠纷) workflow: statuses, the steps on a case, who may take them. Pure Python, no ORM.

registered 已登记 → triaged 已分流 (the town sets the risk and the joint team; it may triage again while the
case is open) → mediating 调解中 (from the first mediation session) → closed 已结案 (an outcome, from any open
status: a case withdrawn or sent to court needs no session). The town or county in charge works every case of
its villages; a department handler works a case only while his department is on its joint team.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from xingyao.core.roles import Labelled, Role
from xingyao.core.workflow import Messages, Workflow, grant


class Status(Labelled):
    REGISTERED = "registered", "已登记"
    TRIAGED = "triaged", "已分流"
    MEDIATING = "mediating", "调解中"
    CLOSED = "closed", "已结案"


class Move(Labelled):
    """A step on a case; the values are the history lines' action names."""

    TRIAGE = "triage", "分流"
    RECORD_SESSION = "session", "记录调解"
    CLOSE = "close", "结案"
    ADD_DOCUMENT = "document", "上传协议书"


OPEN = frozenset({Status.REGISTERED, Status.TRIAGED, Status.MEDIATING})
TEAMED = frozenset({Status.TRIAGED, Status.MEDIATING})
# The town's 综治中心 (or the county above it) is in charge of a village's cases.
IN_CHARGE = frozenset({Role.TOWN_ADMIN, Role.COUNTY_ADMIN})
TEAM = (Role.DEPT_HANDLER,)

# action → role → statuses the role may take it from. "On the joint team" comes on top (a guard).
PERMISSIONS: Mapping[Move, Mapping[Role, frozenset[Status]]] = {
    Move.TRIAGE: grant(IN_CHARGE, OPEN),
    Move.RECORD_SESSION: grant([*IN_CHARGE, *TEAM], TEAMED),
    Move.CLOSE: {**grant(IN_CHARGE, OPEN), **grant(TEAM, TEAMED)},
    Move.ADD_DOCUMENT: {**grant(IN_CHARGE, Status), **grant(TEAM, [*TEAMED, Status.CLOSED])},
}
TARGETS: Mapping[Move, Status | Mapping[Status, Status]] = {
    Move.TRIAGE: {Status.REGISTERED: Status.TRIAGED},  # triaging again keeps the status
    Move.RECORD_SESSION: Status.MEDIATING,
    Move.CLOSE: Status.CLOSED,
}


@dataclass(frozen=True)
class CaseFacts:
    """What the guard reads about the acting user: whether one of his departments is on the joint team."""

    on_team: bool = False


def _on_the_team(facts: CaseFacts | None, action: Move, role: Role) -> str | None:
    if role is Role.DEPT_HANDLER and not (facts and facts.on_team):
        return f"您的部门不在本案的联合调解单位中，不能{action.label}"
    return None


WORKFLOW: Workflow[Status, Move] = Workflow(
    permissions=PERMISSIONS,
    targets=TARGETS,
    guards=(_on_the_team,),
    messages=Messages(
        no_right="{role}无权{action}",
        wrong_state="案件{state}，不能{action}",
        no_role="只有承办本案的乡镇或联合调解单位可以{action}",
    ),
    hints={(Status.REGISTERED, Move.RECORD_SESSION): "：请先分流，确定联合调解单位后再记录调解"},
    read_only={Role.LEADER: "领导账号只能查看，不能办理案件"},
)


def available_moves(status: Status, role: str, facts: CaseFacts | None = None) -> list[Move]:
    """The steps `role` may take on a case in `status` now, in workflow order."""
    return WORKFLOW.available_actions(status, role, facts)
