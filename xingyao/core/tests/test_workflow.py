"""The workflow engine on a small table: every refusal, in both question orders, guards and reasons."""

from __future__ import annotations

from enum import StrEnum

import pytest

from xingyao.core.roles import Role
from xingyao.core.workflow import Messages, TransitionError, Workflow, grant


class S(StrEnum):
    OPEN = "open"
    DONE = "done"

    @property
    def label(self) -> str:
        return {"open": "办理中", "done": "已办结"}[self.value]


class A(StrEnum):
    CLOSE = "close"
    NOTE = "note"

    @property
    def label(self) -> str:
        return {"close": "办结", "note": "备注"}[self.value]


def _not_on_sundays(facts: object, action: A, role: Role) -> str | None:
    return "周日不办结" if facts == "sunday" and action is A.CLOSE else None


TABLE = {
    A.CLOSE: grant([Role.TOWN_ADMIN], [S.OPEN]),
    A.NOTE: {**grant([Role.TOWN_ADMIN], [S.OPEN, S.DONE]), **grant([Role.VILLAGE_CLERK], [S.OPEN])},
}
ROLE_FIRST: Workflow[S, A] = Workflow(
    permissions=TABLE,
    targets={A.CLOSE: S.DONE},
    reason_required=frozenset({A.CLOSE}),
    guards=(_not_on_sundays,),
    messages=Messages(no_right="{role}无权{action}", wrong_state="当前为“{state}”，{role}不能{action}"),
    read_only={Role.LEADER: "领导只能查看"},
)
STATE_FIRST: Workflow[S, A] = Workflow(
    permissions=TABLE, state_first=True, hints={(S.DONE, A.CLOSE): "：已经办结"}, messages=Messages()
)


@pytest.mark.parametrize(
    ("flow", "state", "action", "role", "message"),
    [
        (ROLE_FIRST, S.OPEN, A.CLOSE, Role.VILLAGE_CLERK, "村级填报员（村两委）无权办结"),
        (ROLE_FIRST, S.DONE, A.CLOSE, Role.VILLAGE_CLERK, "村级填报员（村两委）无权办结"),
        (ROLE_FIRST, S.DONE, A.CLOSE, Role.TOWN_ADMIN, "当前为“已办结”，乡镇管理员不能办结"),
        (ROLE_FIRST, S.DONE, A.NOTE, Role.VILLAGE_CLERK, "当前为“已办结”，村级填报员（村两委）不能备注"),
        (ROLE_FIRST, S.OPEN, A.NOTE, Role.LEADER, "领导只能查看"),
        (ROLE_FIRST, S.OPEN, A.NOTE, "outsider", "outsider无权备注"),
        (STATE_FIRST, S.DONE, A.CLOSE, Role.VILLAGE_CLERK, "当前状态「已办结」不能执行「办结」：已经办结"),
        (STATE_FIRST, S.OPEN, A.CLOSE, Role.VILLAGE_CLERK, "您的角色无权执行此操作"),
        (STATE_FIRST, S.DONE, A.NOTE, Role.VILLAGE_CLERK, "您的角色无权执行此操作"),
        (STATE_FIRST, S.OPEN, A.NOTE, "", "您的角色无权执行此操作"),
    ],
)
def test_refusals_name_the_first_question_that_fails(
    flow: Workflow[S, A], state: S, action: A, role: str, message: str
) -> None:
    assert not flow.allows(state, action, role)
    with pytest.raises(TransitionError) as excinfo:
        flow.check(state, action, role, reason="理由")
    assert excinfo.value.message == str(excinfo.value) == message


@pytest.mark.parametrize("flow", [ROLE_FIRST, STATE_FIRST])
@pytest.mark.parametrize("state", list(S))
@pytest.mark.parametrize("role", [*Role, "outsider"])
def test_available_actions_are_the_table_cells_that_hold_the_role(flow: Workflow[S, A], state: S, role: str) -> None:
    expected = [a for a, cells in TABLE.items() if any(r == role and state in states for r, states in cells.items())]
    if role == Role.LEADER and flow is ROLE_FIRST:
        expected = []
    assert flow.available_actions(state, role) == expected


def test_a_guard_refuses_on_top_of_the_table() -> None:
    assert ROLE_FIRST.available_actions(S.OPEN, Role.TOWN_ADMIN, "sunday") == [A.NOTE]
    with pytest.raises(TransitionError, match=r"^周日不办结$"):
        ROLE_FIRST.check(S.OPEN, A.CLOSE, Role.TOWN_ADMIN, "sunday", reason="理由")


@pytest.mark.parametrize("reason", [None, "", "  \n"])
def test_an_action_that_needs_a_reason_refuses_a_blank_one(reason: str | None) -> None:
    with pytest.raises(TransitionError, match=r"^办结必须填写理由$"):
        ROLE_FIRST.transition(S.OPEN, A.CLOSE, Role.TOWN_ADMIN, reason=reason)
    assert ROLE_FIRST.transition(S.OPEN, A.NOTE, Role.TOWN_ADMIN) is S.OPEN  # no target: the state stays


def test_transition_leads_to_the_target_and_unknown_names_are_refused() -> None:
    assert ROLE_FIRST.transition(S.OPEN, A.CLOSE, Role.TOWN_ADMIN, reason="已处理") is S.DONE
    with pytest.raises(TransitionError, match=r"^未知操作：fly$"):
        ROLE_FIRST.coerce_action(A, "fly")
    strict: Workflow[S, A] = Workflow(permissions=TABLE, messages=Messages(unknown_role="未知角色：{role}"))
    with pytest.raises(TransitionError, match=r"^未知角色：boss$"):
        strict.check(S.OPEN, A.NOTE, "boss")
