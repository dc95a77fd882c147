"""The dispute case workflow: every status × role × step against the table, and the team rule through the pages."""

from __future__ import annotations

import pytest
from django.utils import timezone

from xingyao.core.roles import Role
from xingyao.core.workflow import TransitionError
from xingyao.disputes.models import Dispute, MediationSession
from xingyao.disputes.tests.test_disputes import register_form
from xingyao.disputes.workflow import WORKFLOW, CaseFacts, Move, Status, available_moves

M, S = Move, Status
IN_CHARGE_MOVES = {
    S.REGISTERED: [M.TRIAGE, M.CLOSE, M.ADD_DOCUMENT],
    S.TRIAGED: [M.TRIAGE, M.RECORD_SESSION, M.CLOSE, M.ADD_DOCUMENT],
    S.MEDIATING: [M.TRIAGE, M.RECORD_SESSION, M.CLOSE, M.ADD_DOCUMENT],
    S.CLOSED: [M.ADD_DOCUMENT],
}
TEAM_MOVES = {
    S.REGISTERED: [],
    S.TRIAGED: [M.RECORD_SESSION, M.CLOSE, M.ADD_DOCUMENT],
    S.MEDIATING: [M.RECORD_SESSION, M.CLOSE, M.ADD_DOCUMENT],
    S.CLOSED: [M.ADD_DOCUMENT],
}
ON_TEAM, OFF_TEAM = CaseFacts(on_team=True), CaseFacts(on_team=False)


def expected(status: Status, role: Role, facts: CaseFacts) -> list[Move]:
    if role in (Role.TOWN_ADMIN, Role.COUNTY_ADMIN):
        return IN_CHARGE_MOVES[status]
    if role is Role.DEPT_HANDLER and facts.on_team:
        return TEAM_MOVES[status]
    return []


@pytest.mark.parametrize("facts", [ON_TEAM, OFF_TEAM])
@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("status", list(Status))
def test_each_role_may_take_exactly_the_moves_of_the_table(status: Status, role: Role, facts: CaseFacts) -> None:
    allowed = expected(status, role, facts)
    assert available_moves(status, role, facts) == allowed
    for move in Move:
        if move in allowed:
            WORKFLOW.check(status, move, role, facts)
        else:
            with pytest.raises(TransitionError):
                WORKFLOW.check(status, move, role, facts)


@pytest.mark.parametrize(
    ("status", "move", "target"),
    [
        (S.REGISTERED, M.TRIAGE, S.TRIAGED),
        (S.TRIAGED, M.TRIAGE, S.TRIAGED),
        (S.MEDIATING, M.TRIAGE, S.MEDIATING),  # triaging again does not undo the mediation
        (S.TRIAGED, M.RECORD_SESSION, S.MEDIATING),
        (S.MEDIATING, M.RECORD_SESSION, S.MEDIATING),
        (S.REGISTERED, M.CLOSE, S.CLOSED),
        (S.MEDIATING, M.CLOSE, S.CLOSED),
        (S.CLOSED, M.ADD_DOCUMENT, S.CLOSED),
    ],
)
def test_each_move_leads_where_the_table_says(status: Status, move: Move, target: Status) -> None:
    assert WORKFLOW.transition(status, move, Role.TOWN_ADMIN, ON_TEAM) is target


@pytest.mark.parametrize(
    ("status", "move", "roles", "facts", "message"),
    [
        (S.CLOSED, M.TRIAGE, [Role.TOWN_ADMIN], ON_TEAM, "案件已结案，不能分流"),
        (S.REGISTERED, M.RECORD_SESSION, [Role.TOWN_ADMIN], ON_TEAM, "案件已登记，不能记录调解：请先分流"),
        (S.TRIAGED, M.TRIAGE, [Role.DEPT_HANDLER], ON_TEAM, "部门处置员无权分流"),
        (S.TRIAGED, M.CLOSE, [Role.DEPT_HANDLER], OFF_TEAM, "您的部门不在本案的联合调解单位中，不能结案"),
        (S.TRIAGED, M.CLOSE, [Role.LEADER], ON_TEAM, "领导账号只能查看，不能办理案件"),
        (S.TRIAGED, M.CLOSE, [], ON_TEAM, "只有承办本案的乡镇或联合调解单位可以结案"),
        # A leader who also handles for a team department: the department's refusal is the one worth reading.
        (S.REGISTERED, M.CLOSE, [Role.LEADER, Role.DEPT_HANDLER], ON_TEAM, "案件已登记，不能结案"),
    ],
)
def test_refusals_say_why(status: Status, move: Move, roles: list[Role], facts: CaseFacts, message: str) -> None:
    with pytest.raises(TransitionError) as excinfo:
        WORKFLOW.check_any(status, move, roles, facts)
    assert excinfo.value.message.startswith(message)


def test_a_department_taken_off_the_team_can_no_longer_record_a_session(world, login):
    zhen = login("zhen")
    zhen.post("/disputes/new/", register_form(world))
    case = Dispute.objects.get()
    police = {"risk": "red", "lead_department": world.unit("溧河铺派出所").pk, "team": []}
    assert zhen.post(f"/disputes/{case.pk}/triage/", police).status_code == 302
    session = {"held_on": timezone.localdate().isoformat(), "mediators": "赵卫东", "note": "释法明理"}
    assert login("paichusuo").post(f"/disputes/{case.pk}/session/", session).status_code == 302
    justice = {"risk": "red", "lead_department": world.unit("溧河铺司法所").pk, "team": []}
    assert zhen.post(f"/disputes/{case.pk}/triage/", justice).status_code == 302
    refused = login("paichusuo").post(f"/disputes/{case.pk}/session/", session)
    assert refused.status_code in (403, 404)
    assert MediationSession.objects.filter(dispute=case).count() == 1
    case.refresh_from_db()
    assert case.status == S.MEDIATING  # the second triage kept the status the session gave
