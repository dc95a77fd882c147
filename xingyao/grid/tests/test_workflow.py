from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xingyao.core.roles import Role
from xingyao.grid.workflow import (
    Action,
    EventState,
    Level,
    State,
    TransitionError,
    available_actions,
    supervision_level,
    transition,
    warning_workdays,
)

SH = timezone(timedelta(hours=8))
DEPT = 7  # 司法所
OTHER_DEPT = 8  # 派出所
HANDLER = 41  # 王芳, 司法所 staff who handled the event
ACTOR = 100  # whoever acts in the tables; never a handler

A = Action
S = State
R = Role


def handled(state: State) -> EventState:
    return EventState(state, event_id=1, department=DEPT, deadline_days=5, handlers=frozenset({HANDLER}))


# A typical event in each state: dispatched to DEPT with 5 working days, handled by HANDLER.
SAMPLES: dict[State, EventState] = {
    S.REPORTED: EventState(S.REPORTED, event_id=1),
    S.ACCEPTED: EventState(S.ACCEPTED, event_id=1),
    S.DISPATCHED: EventState(S.DISPATCHED, event_id=1, department=DEPT, deadline_days=5),
    **{state: handled(state) for state in (S.HANDLING, S.FEEDBACK, S.VERIFIED, S.CLOSED)},
}

FLAGS = [A.MARK_URGENT, A.MARK_LEGACY, A.MARK_DUPLICATE]
TOWN_BY_STATE: dict[State, list[Action]] = {
    S.REPORTED: [A.ACCEPT, *FLAGS],
    S.ACCEPTED: [A.RETURN_REPORT, *FLAGS],
    S.DISPATCHED: [A.SEND_BACK, *FLAGS],
    S.HANDLING: [A.SEND_BACK, *FLAGS],
    S.FEEDBACK: [A.VERIFY, A.SEND_BACK, A.RETURN_FOR_REWORK, *FLAGS],
    S.VERIFIED: [A.CLOSE, A.MARK_URGENT, A.MARK_LEGACY],
    S.CLOSED: [],
}
MANAGER_ONLY = {S.ACCEPTED: [A.DISPATCH]}  # town_admin and county_admin dispatch; the reviewer does not

EXPECTED: dict[tuple[State, Role], list[Action]] = {}
for _state in State:
    _town = TOWN_BY_STATE[_state]
    EXPECTED[_state, R.TOWN_REVIEWER] = _town
    EXPECTED[_state, R.TOWN_ADMIN] = MANAGER_ONLY.get(_state, []) + _town
    EXPECTED[_state, R.COUNTY_ADMIN] = MANAGER_ONLY.get(_state, []) + _town
    EXPECTED[_state, R.LEADER] = []
    EXPECTED[_state, R.COUNTY_REVIEWER] = []
    EXPECTED[_state, R.VILLAGE_CLERK] = []
    EXPECTED[_state, R.GRID_WORKER] = [A.ACCEPT, A.MARK_DUPLICATE] if _state is S.REPORTED else []
    EXPECTED[_state, R.DEPT_HANDLER] = {
        S.DISPATCHED: [A.START_HANDLING, A.SEND_BACK, A.REQUEST_EXTENSION],
        S.HANDLING: [A.GIVE_FEEDBACK, A.SEND_BACK, A.REQUEST_EXTENSION],
    }.get(_state, [])


def good_args(action: Action) -> dict[str, Any]:
    """Valid arguments for each action, so only permission decides."""
    special: dict[Action, dict[str, Any]] = {
        A.DISPATCH: {"department": DEPT, "deadline_days": 5},
        A.REQUEST_EXTENSION: {"extra_days": 3, "reason": "需协调县自然资源局现场勘界"},
        A.MARK_DUPLICATE: {"duplicate_of": 2},
    }
    return special.get(action, {"reason": "材料不全"})


@pytest.mark.parametrize(("state", "role"), list(EXPECTED))
def test_available_actions_per_state_and_role(state: State, role: Role) -> None:
    actions = available_actions(SAMPLES[state], role, actor_id=ACTOR, actor_department=DEPT)
    assert sorted(actions) == sorted(EXPECTED[state, role])


@pytest.mark.parametrize(("state", "role"), list(EXPECTED))
def test_transition_succeeds_exactly_for_the_available_actions(state: State, role: Role) -> None:
    event = SAMPLES[state]
    for action in Action:
        kwargs = {"role": role, "actor_id": ACTOR, "actor_department": DEPT, **good_args(action)}
        if action in EXPECTED[state, role]:
            transition(event, action, **kwargs)
        else:
            with pytest.raises(TransitionError):
                transition(event, action, **kwargs)


def test_the_main_line_from_report_to_close() -> None:
    event = EventState(event_id=1)
    steps: list[tuple[Action, Role, int, dict[str, Any], State]] = [
        (A.ACCEPT, R.GRID_WORKER, 11, {}, S.ACCEPTED),
        (A.DISPATCH, R.TOWN_ADMIN, 21, {"department": DEPT, "deadline_days": 5}, S.DISPATCHED),
        (A.START_HANDLING, R.DEPT_HANDLER, HANDLER, {"actor_department": DEPT}, S.HANDLING),
        (A.GIVE_FEEDBACK, R.DEPT_HANDLER, HANDLER, {"actor_department": DEPT}, S.FEEDBACK),
        (A.VERIFY, R.TOWN_REVIEWER, 22, {}, S.VERIFIED),
        (A.CLOSE, R.TOWN_ADMIN, 21, {}, S.CLOSED),
    ]
    for action, role, actor, kwargs, expected in steps:
        event = transition(event, action, role=role, actor_id=actor, **kwargs)
        assert event.state is expected
    assert event.department == DEPT
    assert event.handlers == {HANDLER}
    assert available_actions(event, R.TOWN_ADMIN, actor_id=21) == []


@pytest.mark.parametrize(
    ("event", "action", "kwargs", "message"),
    [
        (SAMPLES[S.REPORTED], A.ACCEPT, {"role": R.LEADER}, "领导账号只能查看"),
        (SAMPLES[S.REPORTED], A.ACCEPT, {"role": R.VILLAGE_CLERK}, "村级填报员（村两委）无权受理"),
        (SAMPLES[S.ACCEPTED], A.DISPATCH, {"role": R.GRID_WORKER, **good_args(A.DISPATCH)}, "网格员无权派遣"),
        (
            SAMPLES[S.ACCEPTED],
            A.DISPATCH,
            {"role": R.TOWN_REVIEWER, **good_args(A.DISPATCH)},
            "乡镇审核员无权派遣",
        ),
        (SAMPLES[S.FEEDBACK], A.CLOSE, {"role": R.TOWN_ADMIN}, "事件当前为“已反馈”，乡镇管理员不能办结"),
        (SAMPLES[S.REPORTED], A.DISPATCH, {"role": R.TOWN_ADMIN, **good_args(A.DISPATCH)}, "当前为“待受理”"),
        (SAMPLES[S.CLOSED], A.MARK_URGENT, {"role": R.TOWN_ADMIN}, "当前为“已办结”"),
        (
            SAMPLES[S.DISPATCHED],
            A.START_HANDLING,
            {"role": R.DEPT_HANDLER, "actor_department": OTHER_DEPT},
            "未派遣给您所在的部门",
        ),
        (SAMPLES[S.DISPATCHED], A.START_HANDLING, {"role": R.DEPT_HANDLER}, "未派遣给您所在的部门"),
        (
            SAMPLES[S.FEEDBACK],
            A.VERIFY,
            {"role": R.TOWN_REVIEWER, "actor_id": HANDLER},
            "核查人不能是该事件的处置人",
        ),
        (SAMPLES[S.ACCEPTED], A.DISPATCH, {"role": R.TOWN_ADMIN, "deadline_days": 5}, "须指定承办部门"),
        (SAMPLES[S.ACCEPTED], A.DISPATCH, {"role": R.TOWN_ADMIN, "department": DEPT}, "办理时限"),
        (
            SAMPLES[S.ACCEPTED],
            A.DISPATCH,
            {"role": R.TOWN_ADMIN, "department": DEPT, "deadline_days": -1},
            "办理时限",
        ),
        (
            SAMPLES[S.ACCEPTED],
            A.DISPATCH,
            {"role": R.TOWN_ADMIN, "department": DEPT, "deadline_days": True},
            "办理时限",
        ),
        (SAMPLES[S.HANDLING], A.SEND_BACK, {"role": R.TOWN_ADMIN}, "退回重派须填写原因"),
        (SAMPLES[S.HANDLING], A.SEND_BACK, {"role": R.TOWN_ADMIN, "reason": "  \n"}, "退回重派须填写原因"),
        (SAMPLES[S.FEEDBACK], A.RETURN_FOR_REWORK, {"role": R.TOWN_REVIEWER}, "退回重办须填写原因"),
        (
            SAMPLES[S.FEEDBACK],
            A.SEND_BACK,
            {"role": R.DEPT_HANDLER, "reason": "x", "actor_department": DEPT},
            "已反馈",
        ),
        (SAMPLES[S.ACCEPTED], A.MARK_LEGACY, {"role": R.TOWN_ADMIN}, "标记历史遗留须填写原因"),
        (
            SAMPLES[S.HANDLING],
            A.REQUEST_EXTENSION,
            {"role": R.DEPT_HANDLER, "actor_department": DEPT, "reason": "雨天"},
            "延期天数须为正整数",
        ),
        (
            SAMPLES[S.HANDLING],
            A.REQUEST_EXTENSION,
            {"role": R.DEPT_HANDLER, "actor_department": DEPT, "extra_days": 0, "reason": "雨天"},
            "延期天数须为正整数",
        ),
        (
            replace(SAMPLES[S.HANDLING], pending_extension_days=2),
            A.REQUEST_EXTENSION,
            {"role": R.DEPT_HANDLER, "actor_department": DEPT, "extra_days": 1, "reason": "雨天"},
            "已有待审批的延期申请",
        ),
        (SAMPLES[S.HANDLING], A.APPROVE_EXTENSION, {"role": R.TOWN_ADMIN}, "没有待审批的延期申请"),
        (
            replace(SAMPLES[S.HANDLING], pending_extension_days=2),
            A.REJECT_EXTENSION,
            {"role": R.TOWN_ADMIN},
            "驳回延期须填写原因",
        ),
        (
            replace(SAMPLES[S.HANDLING], pending_extension_days=2),
            A.APPROVE_EXTENSION,
            {"role": R.TOWN_REVIEWER},
            "乡镇审核员无权批准延期",
        ),
        (replace(SAMPLES[S.ACCEPTED], urgent=True), A.MARK_URGENT, {"role": R.TOWN_ADMIN}, "已标记为紧急"),
        (
            replace(SAMPLES[S.ACCEPTED], legacy=True),
            A.MARK_LEGACY,
            {"role": R.TOWN_ADMIN, "reason": "x"},
            "已标记为历史遗留",
        ),
        (SAMPLES[S.REPORTED], A.MARK_DUPLICATE, {"role": R.GRID_WORKER}, "须指定原事件"),
        (SAMPLES[S.REPORTED], A.MARK_DUPLICATE, {"role": R.GRID_WORKER, "duplicate_of": 1}, "与自身重复"),
        (SAMPLES[S.VERIFIED], A.MARK_DUPLICATE, {"role": R.TOWN_ADMIN, "duplicate_of": 2}, "当前为“已核查”"),
        (SAMPLES[S.REPORTED], A.ACCEPT, {"role": "village_secretary"}, "未知角色"),
        (SAMPLES[S.REPORTED], "approve", {"role": R.TOWN_ADMIN}, "未知操作"),
    ],
)
def test_forbidden_transitions_explain_why_in_chinese(
    event: EventState, action: Action | str, kwargs: dict[str, Any], message: str
) -> None:
    kwargs = {"actor_id": ACTOR, **kwargs}
    with pytest.raises(TransitionError, match=message) as caught:
        transition(event, action, **kwargs)
    assert caught.value.message == str(caught.value)


def test_roles_and_actions_may_be_given_as_plain_strings() -> None:
    event = transition(SAMPLES[S.REPORTED], "accept", role="grid_worker", actor_id=11)
    assert event.state is S.ACCEPTED
    assert available_actions(event, "county_admin", actor_id=1)[0] is A.DISPATCH


def test_send_back_from_handling_clears_the_dispatch_for_a_new_one() -> None:
    event = replace(SAMPLES[S.HANDLING], extended_days=2, pending_extension_days=1)
    back = transition(
        event,
        A.SEND_BACK,
        role=R.DEPT_HANDLER,
        actor_id=HANDLER,
        actor_department=DEPT,
        reason="不属于本部门职责",
    )
    assert back.state is S.ACCEPTED
    assert (back.department, back.deadline_days, back.extended_days, back.pending_extension_days) == (
        None,
        None,
        0,
        None,
    )
    assert back.handlers == frozenset()
    assert back.sent_back_count == 1
    redispatched = transition(back, A.DISPATCH, role=R.TOWN_ADMIN, actor_id=21, department=OTHER_DEPT, deadline_days=3)
    assert (redispatched.state, redispatched.department, redispatched.allowed_workdays) == (
        S.DISPATCHED,
        OTHER_DEPT,
        3,
    )


def test_town_may_send_back_after_feedback_for_another_department() -> None:
    back = transition(SAMPLES[S.FEEDBACK], A.SEND_BACK, role=R.TOWN_ADMIN, actor_id=21, reason="应由派出所处置")
    assert back.state is S.ACCEPTED
    assert back.department is None


def test_failed_verification_returns_the_event_to_the_same_department() -> None:
    redo = transition(SAMPLES[S.FEEDBACK], A.RETURN_FOR_REWORK, role=R.TOWN_REVIEWER, actor_id=22, reason="照片不清")
    assert redo.state is S.HANDLING
    assert redo.department == DEPT
    assert redo.handlers == {HANDLER}
    assert redo.rework_count == 1


def test_a_colleague_who_gave_feedback_may_not_verify_either() -> None:
    colleague = 42
    event = transition(
        SAMPLES[S.HANDLING], A.GIVE_FEEDBACK, role=R.DEPT_HANDLER, actor_id=colleague, actor_department=DEPT
    )
    assert event.handlers == {HANDLER, colleague}
    for person in (HANDLER, colleague):
        with pytest.raises(TransitionError, match="核查人不能是"):
            transition(event, A.VERIFY, role=R.TOWN_REVIEWER, actor_id=person)
    assert transition(event, A.VERIFY, role=R.TOWN_REVIEWER, actor_id=22).state is S.VERIFIED


def test_extension_request_approval_adds_working_days() -> None:
    asked = transition(
        SAMPLES[S.HANDLING],
        A.REQUEST_EXTENSION,
        role=R.DEPT_HANDLER,
        actor_id=HANDLER,
        actor_department=DEPT,
        extra_days=3,
        reason="需等待鉴定结论",
    )
    assert (asked.state, asked.pending_extension_days, asked.allowed_workdays) == (S.HANDLING, 3, 5)
    approved = transition(asked, A.APPROVE_EXTENSION, role=R.TOWN_ADMIN, actor_id=21)
    assert (approved.pending_extension_days, approved.extended_days, approved.allowed_workdays) == (
        None,
        3,
        8,
    )
    rejected = transition(asked, A.REJECT_EXTENSION, role=R.COUNTY_ADMIN, actor_id=31, reason="可先行处置")
    assert (rejected.pending_extension_days, rejected.allowed_workdays) == (None, 5)


def test_feedback_drops_a_pending_extension() -> None:
    event = replace(SAMPLES[S.HANDLING], pending_extension_days=2)
    done = transition(event, A.GIVE_FEEDBACK, role=R.DEPT_HANDLER, actor_id=HANDLER, actor_department=DEPT)
    assert done.pending_extension_days is None


def test_flags_keep_the_state() -> None:
    event = transition(SAMPLES[S.HANDLING], A.MARK_URGENT, role=R.TOWN_ADMIN, actor_id=21)
    event = transition(event, A.MARK_LEGACY, role=R.TOWN_ADMIN, actor_id=21, reason="2019年遗留宅基地纠纷")
    assert (event.state, event.urgent, event.legacy) == (S.HANDLING, True, True)


def test_mark_duplicate_closes_and_links() -> None:
    event = transition(SAMPLES[S.REPORTED], A.MARK_DUPLICATE, role=R.GRID_WORKER, actor_id=11, duplicate_of=2)
    assert (event.state, event.duplicate_of) == (S.CLOSED, 2)


def test_due_at_counts_extensions_from_dispatch() -> None:
    event = replace(SAMPLES[S.HANDLING], deadline_days=3, extended_days=2)
    # Dispatched the day before National Day 2023: 10-07, 10-08 (make-up days), 10-09, 10-10, 10-11.
    assert event.due_at(datetime(2023, 9, 28, 10, 0, tzinfo=SH)) == datetime(2023, 10, 11, 23, 59, 59, tzinfo=SH)
    assert SAMPLES[S.ACCEPTED].due_at(datetime(2023, 9, 28, 10, 0, tzinfo=SH)) is None


def test_every_name_has_a_chinese_label() -> None:
    # A Labelled member without a label would be labelled with its own English value.
    assert all(m.label != m.value for m in [*State, *Action, *Level, *Role])
    assert S.HANDLING.label == "处置中"
    assert A.SEND_BACK.label == "退回重派"


# --- Supervision (督办) ---

DUE = datetime(2023, 10, 9, 23, 59, 59, tzinfo=SH)  # 3 working days after 2023-09-28


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SH)


@pytest.mark.parametrize(
    ("now", "state", "manual", "allowed", "level"),
    [
        (at("2023-09-28T10:00"), S.HANDLING, Level.NORMAL, 3, Level.NORMAL),
        # Holidays do not count: three working days still remain on 10-03.
        (at("2023-10-03T10:00"), S.HANDLING, Level.NORMAL, 3, Level.NORMAL),
        (at("2023-10-07T10:00"), S.DISPATCHED, Level.NORMAL, 3, Level.NORMAL),
        # Due on the next working day, then due today.
        (at("2023-10-08T10:00"), S.HANDLING, Level.NORMAL, 3, Level.YELLOW),
        (at("2023-10-09T23:59:59"), S.HANDLING, Level.NORMAL, 3, Level.YELLOW),
        (at("2023-10-10T00:00"), S.HANDLING, Level.NORMAL, 3, Level.RED),
        # With a 10-day limit the warning starts two working days ahead (a fifth of the limit).
        (at("2023-10-07T10:00"), S.HANDLING, Level.NORMAL, 10, Level.YELLOW),
        # Without the limit, one working day.
        (at("2023-10-07T10:00"), S.HANDLING, Level.NORMAL, None, Level.NORMAL),
        # A leader's level wins when higher, never lowers a timed one.
        (at("2023-09-28T10:00"), S.HANDLING, Level.RED, 3, Level.RED),
        (at("2023-10-12T10:00"), S.HANDLING, Level.YELLOW, 3, Level.RED),
        (at("2023-09-28T10:00"), S.ACCEPTED, Level.YELLOW, 3, Level.YELLOW),
        # Once feedback is in, the department's clock has stopped.
        (at("2023-10-12T10:00"), S.FEEDBACK, Level.NORMAL, 3, Level.NORMAL),
        (at("2023-10-12T10:00"), S.VERIFIED, Level.NORMAL, 3, Level.NORMAL),
        # Closed is always normal.
        (at("2023-10-12T10:00"), S.CLOSED, Level.RED, 3, Level.NORMAL),
    ],
)
def test_supervision_level(now: datetime, state: State, manual: Level, allowed: int | None, level: Level) -> None:
    assert supervision_level(now, DUE, state, manual, allowed_workdays=allowed) is level


def test_supervision_without_deadline_follows_the_manual_level() -> None:
    assert supervision_level(at("2023-10-12T10:00"), None, S.HANDLING, "normal") is Level.NORMAL
    assert supervision_level(at("2023-10-12T10:00"), None, "handling", "red") is Level.RED


def test_supervision_counts_days_in_the_deadline_timezone() -> None:
    # 17:00 UTC on 10-07 is already 01:00 on 10-08 in 新野县: due on the next working day.
    now = datetime(2023, 10, 7, 17, 0, tzinfo=UTC)
    assert supervision_level(now, DUE, S.HANDLING) is Level.YELLOW


def test_supervision_uses_overrides() -> None:
    # On 10-08 an event due 10-10 has two working days left, or one if the county gives 10-09 off.
    due = datetime(2023, 10, 10, 23, 59, 59, tzinfo=SH)
    now = at("2023-10-08T10:00")
    assert supervision_level(now, due, S.HANDLING) is Level.NORMAL
    assert supervision_level(now, due, S.HANDLING, overrides={due.date() - timedelta(days=1): False}) is Level.YELLOW


@pytest.mark.parametrize(("allowed", "days"), [(None, 1), (0, 1), (1, 1), (5, 1), (9, 1), (10, 2), (30, 6)])
def test_warning_workdays_is_a_fifth_of_the_limit_at_least_one(allowed: int | None, days: int) -> None:
    assert warning_workdays(allowed) == days


@given(
    st.datetimes(min_value=datetime(2023, 9, 1), max_value=datetime(2023, 11, 30)),
    st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=20)),
    st.sampled_from(list(State)),
    st.sampled_from(list(Level)),
    st.one_of(st.none(), st.integers(min_value=0, max_value=40)),
)
def test_supervision_never_eases_as_time_passes(
    now: datetime, later_by: timedelta, state: State, manual: Level, allowed: int | None
) -> None:
    rank = {Level.NORMAL: 0, Level.YELLOW: 1, Level.RED: 2}
    now = now.replace(tzinfo=SH)
    earlier = supervision_level(now, DUE, state, manual, allowed_workdays=allowed)
    later = supervision_level(now + later_by, DUE, state, manual, allowed_workdays=allowed)
    assert rank[earlier] <= rank[later]
    assert rank[earlier] >= rank[manual] or state is S.CLOSED
    if state is S.CLOSED:
        assert earlier is Level.NORMAL


# --- Random action sequences ---

ACTORS = [11, 21, 22, 31, HANDLER, 42, 99]
DEPARTMENTS = [DEPT, OTHER_DEPT]
MAIN_LINE = {A.ACCEPT, A.DISPATCH, A.START_HANDLING, A.GIVE_FEEDBACK, A.VERIFY, A.CLOSE}

# One step is a tuple of small numbers read against the current event by `make_step`; plain integers keep
# the test fast and shrink well. Hypothesis favours zeros, so index 0 of each option list is a valid choice.
choices = st.tuples(*[st.integers(min_value=0, max_value=99)] * 8)


@dataclass(frozen=True)
class Step:
    action: Action
    role: Role
    actor_id: int
    actor_department: int | None
    kwargs: dict[str, Any]


def pick(options: list[Any], number: int) -> Any:
    return options[number % len(options)]


def make_step(event: EventState, choice: tuple[int, ...]) -> Step:
    """A step biased towards the main line and other offered actions, so sequences get deep."""
    mode, role_n, action_n, actor_n, dept_n, reason_n, days_n, duplicate_n = choice
    actor_id: int = pick(ACTORS, actor_n)
    actor_department: int | None = pick([event.department, None, *DEPARTMENTS], dept_n)
    if mode < 90:
        wanted = MAIN_LINE if mode < 40 else set(Action) - {A.MARK_DUPLICATE}
        offered = [
            (role, action)
            for role in Role
            for action in available_actions(event, role, actor_id=actor_id, actor_department=actor_department)
            if action in wanted
        ]
        # Mixing the numbers spreads hypothesis's small values over the whole list.
        role, action = (
            pick(offered, action_n + 7 * role_n + 3 * mode)
            if offered
            else (pick(list(Role), role_n), pick(list(Action), action_n))
        )
    else:
        role, action = pick(list(Role), role_n), pick(list(Action), action_n)
    kwargs = {
        "reason": pick(["情况已变化", None, "", " "], reason_n),
        "department": pick([DEPT, OTHER_DEPT, None], dept_n),
        "deadline_days": pick([5, 0, 3, -1], days_n),
        "extra_days": pick([3, 1, 0, -1], days_n),
        "duplicate_of": pick([2, None, 1], duplicate_n),
    }
    return Step(action, role, actor_id, actor_department, kwargs)


def check_invariants(event: EventState) -> None:
    assert isinstance(event.state, State)
    before_dispatch = event.state in (S.REPORTED, S.ACCEPTED)
    if before_dispatch:
        assert event.department is None and event.deadline_days is None and not event.handlers
    if event.state in (S.DISPATCHED, S.HANDLING, S.FEEDBACK, S.VERIFIED):
        assert event.department is not None and event.deadline_days is not None and event.deadline_days >= 0
    if event.state in (S.FEEDBACK, S.VERIFIED) or (event.state is S.CLOSED and event.duplicate_of is None):
        assert event.handlers
    if event.pending_extension_days is not None:
        assert event.state in (S.DISPATCHED, S.HANDLING) and event.pending_extension_days >= 1
    assert event.extended_days >= 0 and event.sent_back_count >= 0 and event.rework_count >= 0
    assert (event.duplicate_of is None) or event.state is S.CLOSED


@settings(max_examples=300, deadline=None)  # up to 80 steps an example: no timing on a busy machine
@given(st.lists(choices, max_size=80))
def test_random_action_sequences_keep_the_event_well_formed(sequence: list[tuple[int, ...]]) -> None:
    event = EventState(event_id=1)
    for choice in sequence:
        step = make_step(event, choice)
        offered = available_actions(event, step.role, actor_id=step.actor_id, actor_department=step.actor_department)
        try:
            after = transition(
                event,
                step.action,
                role=step.role,
                actor_id=step.actor_id,
                actor_department=step.actor_department,
                **step.kwargs,
            )
        except TransitionError as error:
            assert error.message
            continue
        assert step.role is not R.LEADER
        assert step.action in offered
        assert event.state is not S.CLOSED  # closed is final
        if after.state is S.CLOSED:
            assert (event.state is S.VERIFIED and step.action is A.CLOSE) or (
                step.action is A.MARK_DUPLICATE and after.duplicate_of is not None
            )
        if step.action is A.VERIFY:
            assert step.actor_id not in after.handlers
        check_invariants(after)
        event = after


@given(st.sampled_from(list(State)), st.sampled_from(ACTORS), st.sampled_from([None, *DEPARTMENTS]))
def test_leader_is_never_offered_an_action(state: State, actor: int, department: int | None) -> None:
    event = replace(SAMPLES[state], pending_extension_days=2 if state in (S.DISPATCHED, S.HANDLING) else None)
    assert available_actions(event, R.LEADER, actor_id=actor, actor_department=department) == []
