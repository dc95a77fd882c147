"""Tables and properties for the assessment and star-management state machines."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xingyao.assessments.workflow import (
    PUBLISH_IN_PAST,
    Action,
    Decision,
    Publicity,
    StarAction,
    StarStatus,
    State,
    TransitionError,
    WorkflowSettings,
    available_actions,
    available_star_actions,
    can_edit_evidence,
    change_star_status,
    dept_step_applies,
    is_locked,
    pending_stars,
    review_star,
    transition,
    value_column,
)
from xingyao.core.roles import Role

VILLAGE_CLERK, TOWN_REVIEWER, TOWN_ADMIN = Role.VILLAGE_CLERK, Role.TOWN_REVIEWER, Role.TOWN_ADMIN
DEPT_HANDLER, COUNTY_REVIEWER, COUNTY_ADMIN = Role.DEPT_HANDLER, Role.COUNTY_REVIEWER, Role.COUNTY_ADMIN
ROLES = [VILLAGE_CLERK, TOWN_REVIEWER, TOWN_ADMIN, DEPT_HANDLER, COUNTY_REVIEWER, COUNTY_ADMIN, "outsider"]
TOWN = {TOWN_REVIEWER, TOWN_ADMIN}
DEPT = {DEPT_HANDLER}
COUNTY = {COUNTY_REVIEWER, COUNTY_ADMIN}
WITH_DEPT = WorkflowSettings(dept_review=True)
WITHOUT_DEPT = WorkflowSettings(dept_review=False)

S = State
A = Action

# (dept_review, state, action, roles allowed, next state); None = either setting.
ALLOWED: list[tuple[bool | None, State, Action, set[str], State]] = [
    (None, S.DRAFT, A.SUBMIT, {VILLAGE_CLERK}, S.SUBMITTED),
    (None, S.SUBMITTED, A.TOWN_APPROVE, TOWN, S.TOWN_REVIEWED),
    (None, S.SUBMITTED, A.SEND_BACK, TOWN, S.DRAFT),
    (True, S.TOWN_REVIEWED, A.DEPT_APPROVE, DEPT, S.DEPT_REVIEWED),
    (True, S.TOWN_REVIEWED, A.SEND_BACK, DEPT | COUNTY, S.DRAFT),
    (False, S.TOWN_REVIEWED, A.COUNTY_APPROVE, COUNTY, S.COUNTY_APPROVED),
    (False, S.TOWN_REVIEWED, A.SEND_BACK, COUNTY, S.DRAFT),
    (None, S.DEPT_REVIEWED, A.COUNTY_APPROVE, COUNTY, S.COUNTY_APPROVED),
    (None, S.DEPT_REVIEWED, A.SEND_BACK, COUNTY, S.DRAFT),
    (None, S.COUNTY_APPROVED, A.PUBLISH, COUNTY, S.PUBLICIZED),
    (None, S.COUNTY_APPROVED, A.SEND_BACK, COUNTY, S.DRAFT),
    (None, S.PUBLICIZED, A.OBJECTION_OPENED, COUNTY, S.PUBLICIZED),
    (None, S.PUBLICIZED, A.OBJECTION_RESOLVED, COUNTY, S.PUBLICIZED),
    (None, S.PUBLICIZED, A.AWARD, COUNTY, S.AWARDED),
    (None, S.PUBLICIZED, A.SEND_BACK, COUNTY, S.DRAFT),
]

START = date(2023, 12, 1)
WEEK = Publicity(start=START, days=7)  # runs 12-01 to 12-07
AFTER = date(2023, 12, 8)


def rule(dept_review: bool, state: State, action: Action) -> tuple[set[str], State] | None:
    for flag, s, a, roles, target in ALLOWED:
        if (flag is None or flag == dept_review) and (s, a) == (state, action):
            return roles, target
    return None


def happy_kwargs(action: Action) -> dict[str, object]:
    """Arguments that satisfy every precondition other than state and role."""
    return {
        "reason": "佐证材料不全",
        "today": START if action is A.PUBLISH else AFTER,  # a notice opens on its first day, awards after its last
        "publicity": WEEK,
        "open_objections": 1 if action is A.OBJECTION_RESOLVED else 0,
    }


ALLOWED_CASES = [
    pytest.param(flag, state, action, role, target, id=f"{flag}-{state}-{action}-{role}")
    for flag, state, action, roles, target in ALLOWED
    for role in sorted(roles)
]


@pytest.mark.parametrize(("flag", "state", "action", "role", "target"), ALLOWED_CASES)
def test_allowed_transitions_lead_where_the_table_says(
    flag: bool | None, state: State, action: Action, role: str, target: State
) -> None:
    for dept_review in [True, False] if flag is None else [flag]:
        settings_ = WorkflowSettings(dept_review=dept_review)
        assert transition(state, action, role=role, settings=settings_, **happy_kwargs(action)) is target  # type: ignore[arg-type]


@pytest.mark.parametrize("dept_review", [True, False])
@pytest.mark.parametrize("state", list(State))
@pytest.mark.parametrize("action", list(Action))
def test_everything_outside_the_table_is_refused(dept_review: bool, state: State, action: Action) -> None:
    settings_ = WorkflowSettings(dept_review=dept_review)
    allowed = rule(dept_review, state, action)
    for role in ROLES:
        if allowed and role in allowed[0]:
            continue
        with pytest.raises(TransitionError) as excinfo:
            transition(state, action, role=role, settings=settings_, **happy_kwargs(action))  # type: ignore[arg-type]
        if allowed is None:
            assert excinfo.value.message.startswith(f"当前状态「{state.label}」不能执行「{action.label}」")
        else:
            assert excinfo.value.message == "您的角色无权执行此操作"


@pytest.mark.parametrize("dept_review", [True, False])
@pytest.mark.parametrize("state", list(State))
@pytest.mark.parametrize("role", ROLES)
def test_available_actions_match_the_table(dept_review: bool, state: State, role: str) -> None:
    expected = {a for a in Action if (r := rule(dept_review, state, a)) and role in r[0]}
    assert set(available_actions(state, role, WorkflowSettings(dept_review=dept_review))) == expected


@pytest.mark.parametrize(
    ("state", "action", "settings_", "message"),
    [
        (S.DRAFT, A.TOWN_APPROVE, WITHOUT_DEPT, "当前状态「草稿」不能执行「初审通过」"),
        (S.AWARDED, A.SEND_BACK, WITHOUT_DEPT, "当前状态「已授星」不能执行「退回」"),
        (
            S.TOWN_REVIEWED,
            A.DEPT_APPROVE,
            WITHOUT_DEPT,
            "当前状态「乡镇已初审」不能执行「部门审核通过」：本县未开启部门审核",
        ),
        (
            S.TOWN_REVIEWED,
            A.COUNTY_APPROVE,
            WITH_DEPT,
            "当前状态「乡镇已初审」不能执行「县级审定」：须先经部门审核",
        ),
        (S.COUNTY_APPROVED, A.AWARD, WITHOUT_DEPT, "当前状态「县级已审定」不能执行「授星」"),
    ],
)
def test_wrong_state_messages(state: State, action: Action, settings_: WorkflowSettings, message: str) -> None:
    with pytest.raises(TransitionError) as excinfo:
        transition(state, action, role=COUNTY_ADMIN, settings=settings_, **happy_kwargs(action))  # type: ignore[arg-type]
    assert str(excinfo.value) == excinfo.value.message == message


@pytest.mark.parametrize("reason", [None, "", "   \n"])
@pytest.mark.parametrize(
    ("state", "role"),
    [(S.SUBMITTED, TOWN_REVIEWER), (S.DEPT_REVIEWED, COUNTY_ADMIN), (S.PUBLICIZED, COUNTY_REVIEWER)],
)
def test_send_back_needs_a_reason(state: State, role: str, reason: str | None) -> None:
    with pytest.raises(TransitionError, match=r"^退回必须填写理由$"):
        transition(state, A.SEND_BACK, role=role, settings=WITH_DEPT, reason=reason)


@pytest.mark.parametrize(
    ("publicity", "message"),
    [
        (None, "公示必须填写开始日期和天数"),
        (Publicity(START, 0), "公示天数应在 1 到 30 天之间"),
        (Publicity(START, 31), "公示天数应在 1 到 30 天之间"),
        (Publicity(START, -5), "公示天数应在 1 到 30 天之间"),
    ],
)
def test_publish_needs_a_start_and_1_to_30_days(publicity: Publicity | None, message: str) -> None:
    with pytest.raises(TransitionError) as excinfo:
        transition(
            S.COUNTY_APPROVED, A.PUBLISH, role=COUNTY_ADMIN, settings=WITHOUT_DEPT, publicity=publicity, today=START
        )
    assert excinfo.value.message == message


@pytest.mark.parametrize("days", [1, 5, 7, 30])
def test_publish_accepts_1_to_30_days(days: int) -> None:
    publicity = Publicity(START, days)
    assert (
        transition(
            S.COUNTY_APPROVED, A.PUBLISH, role=COUNTY_REVIEWER, settings=WITHOUT_DEPT, publicity=publicity, today=START
        )
        is S.PUBLICIZED
    )


@pytest.mark.parametrize("late", [1, 10, 365])
def test_a_notice_cannot_start_before_the_day_it_is_opened(late: int) -> None:
    today = START + timedelta(days=late)
    with pytest.raises(TransitionError) as excinfo:
        transition(S.COUNTY_APPROVED, A.PUBLISH, role=COUNTY_ADMIN, settings=WITHOUT_DEPT, publicity=WEEK, today=today)
    assert excinfo.value.message == PUBLISH_IN_PAST


@pytest.mark.parametrize("ahead", [0, 1, 14])
def test_a_notice_may_start_today_or_later(ahead: int) -> None:
    today = START - timedelta(days=ahead)
    state = transition(
        S.COUNTY_APPROVED, A.PUBLISH, role=COUNTY_ADMIN, settings=WITHOUT_DEPT, publicity=WEEK, today=today
    )
    assert state is S.PUBLICIZED


def test_a_notice_needs_todays_date() -> None:
    with pytest.raises(TransitionError):
        transition(S.COUNTY_APPROVED, A.PUBLISH, role=COUNTY_ADMIN, settings=WITHOUT_DEPT, publicity=WEEK)


@pytest.mark.parametrize(
    ("today", "publicity", "open_objections", "outcome"),
    [
        (date(2023, 12, 7), WEEK, 0, "公示期未满，不能授星"),  # the last day of the notice
        (date(2023, 11, 30), WEEK, 0, "公示期未满，不能授星"),
        (AFTER, WEEK, 0, S.AWARDED),
        (AFTER + timedelta(days=40), WEEK, 0, S.AWARDED),
        (AFTER, WEEK, 1, "有未处理的异议，暂停授星"),
        (AFTER, WEEK, 3, "有未处理的异议，暂停授星"),
        (date(2023, 12, 2), Publicity(START, 1), 0, S.AWARDED),
        (None, WEEK, 0, "授星需要公示信息和当前日期"),
        (AFTER, None, 0, "授星需要公示信息和当前日期"),
        (AFTER, Publicity(START, 0), 0, "公示天数应在 1 到 30 天之间"),
    ],
)
def test_award_waits_for_the_notice_to_end_and_objections_to_close(
    today: date | None, publicity: Publicity | None, open_objections: int, outcome: State | str
) -> None:
    def award() -> State:
        return transition(
            S.PUBLICIZED,
            A.AWARD,
            role=COUNTY_ADMIN,
            settings=WITHOUT_DEPT,
            today=today,
            publicity=publicity,
            open_objections=open_objections,
        )

    if isinstance(outcome, State):
        assert award() is outcome
    else:
        with pytest.raises(TransitionError) as excinfo:
            award()
        assert excinfo.value.message == outcome


def test_resolving_an_objection_needs_an_open_one() -> None:
    with pytest.raises(TransitionError, match="没有待处理的异议"):
        transition(S.PUBLICIZED, A.OBJECTION_RESOLVED, role=COUNTY_ADMIN, settings=WITHOUT_DEPT)


# state → (locked, the column each role fills there); the one rule the page, the API and do_set_values use.
FILLS: dict[State, tuple[bool, dict[str, str]]] = {
    S.DRAFT: (False, {VILLAGE_CLERK: "self_value", TOWN_ADMIN: "self_value", COUNTY_ADMIN: "self_value"}),
    S.SUBMITTED: (False, {TOWN_REVIEWER: "town_value", TOWN_ADMIN: "town_value"}),
    S.TOWN_REVIEWED: (False, {COUNTY_REVIEWER: "county_value", COUNTY_ADMIN: "county_value"}),
    S.DEPT_REVIEWED: (False, {COUNTY_REVIEWER: "county_value", COUNTY_ADMIN: "county_value"}),
    S.COUNTY_APPROVED: (True, {}),
    S.PUBLICIZED: (True, {}),
    S.AWARDED: (True, {}),
}


@pytest.mark.parametrize("state", list(State))
@pytest.mark.parametrize("role", ROLES)
def test_each_stage_fills_its_own_column_and_county_approved_records_are_locked(state: State, role: str) -> None:
    locked, columns = FILLS[state]
    assert is_locked(state) is locked
    assert value_column(state, [role]) == columns.get(role)
    assert can_edit_evidence(state) is (state is S.DRAFT)


def test_a_user_with_several_roles_fills_the_column_one_of_them_may() -> None:
    assert value_column(S.SUBMITTED, ["outsider", VILLAGE_CLERK, TOWN_REVIEWER]) == "town_value"
    assert value_column(S.SUBMITTED, []) is None


def test_every_state_and_action_has_a_chinese_label() -> None:
    assert [s.label for s in State] == [
        "草稿",
        "村级已提交",
        "乡镇已初审",
        "部门已审核",
        "县级已审定",
        "公示中",
        "已授星",
    ]
    assert all(a.label for a in Action) and all(s.label for s in StarStatus) and all(a.label for a in StarAction)


# --- random action sequences ---------------------------------------------------------------------

ANY_MOVE = [(a, r) for a in Action for r in ROLES]
REVIEW_PATH = {
    True: [A.SUBMIT, A.TOWN_APPROVE, A.DEPT_APPROVE, A.COUNTY_APPROVE, A.PUBLISH, A.AWARD],
    False: [A.SUBMIT, A.TOWN_APPROVE, A.COUNTY_APPROVE, A.PUBLISH, A.AWARD],
}


def draw_move(data: st.DataObject, state: State, settings_: WorkflowSettings) -> tuple[Action, str]:
    """Mostly a move some role may make now, so that sequences get far; sometimes any move at all."""
    legal = [(a, r) for r in ROLES for a in available_actions(state, r, settings_)]
    mostly_legal = data.draw(st.integers(0, 4)) > 0
    pool = legal if legal and mostly_legal else ANY_MOVE
    return data.draw(st.sampled_from(pool))


# 200 examples of up to 60 moves each: every rule of the table is met many times over (500 took seconds more).
@settings(max_examples=200, deadline=None)  # no timing on a busy machine
@given(st.booleans(), st.data())
def test_random_sequences_follow_the_table_and_reach_award_only_through_every_review(
    dept_review: bool, data: st.DataObject
) -> None:
    settings_ = WorkflowSettings(dept_review=dept_review)
    state, open_objections = S.DRAFT, 0
    path: list[Action] = []
    for _ in range(data.draw(st.integers(0, 60))):
        action, role = draw_move(data, state, settings_)
        reason = data.draw(st.sampled_from(["材料不实", None, "", "  "]))
        today = data.draw(st.sampled_from([AFTER, None, date(2023, 12, 5), START]))
        publicity = data.draw(st.sampled_from([WEEK, None, Publicity(START, 0), Publicity(START, 31)]))
        before = state
        try:
            state = transition(
                state,
                action,
                role=role,
                settings=settings_,
                reason=reason,
                today=today,
                publicity=publicity,
                open_objections=open_objections,
            )
        except TransitionError as exc:
            assert exc.message
            assert state is before
            continue
        assert isinstance(state, State)
        expected = rule(dept_review, before, action)
        assert expected is not None and role in expected[0] and state is expected[1]
        if action is A.SEND_BACK:
            assert reason and reason.strip()
        if action is A.PUBLISH:
            assert publicity is WEEK and today == START
        if action is A.AWARD:
            assert open_objections == 0 and today == AFTER and publicity is WEEK
        if action is A.OBJECTION_OPENED:
            open_objections += 1
        if action is A.OBJECTION_RESOLVED:
            open_objections -= 1
        assert open_objections >= 0
        if state is S.DRAFT:
            path = []
        elif action not in (A.OBJECTION_OPENED, A.OBJECTION_RESOLVED):
            path.append(action)
        if state is S.AWARDED:
            assert path == REVIEW_PATH[dept_review]
        assert can_edit_evidence(state) == (state is S.DRAFT)
        assert not (is_locked(state) and any(value_column(state, [r]) for r in ROLES))


def test_random_sequences_do_reach_the_award() -> None:
    """Guards the property above against only ever exploring the first steps."""
    reached: list[State] = []

    # About one walk in five reaches the award: 100 walks all missing it has odds of about 1e-10.
    @settings(max_examples=100, database=None, deadline=None)
    @given(st.data())
    def walk(data: st.DataObject) -> None:
        state = S.DRAFT
        for _ in range(60):
            action, role = draw_move(data, state, WITH_DEPT)
            try:
                # The notice opens on its first day; the award comes after its last.
                today = START if action is A.PUBLISH else AFTER
                state = transition(
                    state, action, role=role, settings=WITH_DEPT, reason="理由", today=today, publicity=WEEK
                )
            except TransitionError:
                continue
        reached.append(state)

    walk()
    assert S.AWARDED in reached


@settings(deadline=None)  # up to 80 moves an example: no timing on a busy machine
@given(st.data())
def test_turning_department_review_on_and_off_never_skips_town_and_county(data: st.DataObject) -> None:
    state = S.DRAFT
    path: list[Action] = []
    for _ in range(data.draw(st.integers(0, 80))):
        dept_review = data.draw(st.booleans())
        action, role = draw_move(data, state, WorkflowSettings(dept_review=dept_review))
        try:
            state = transition(
                state,
                action,
                role=role,
                settings=WorkflowSettings(dept_review=dept_review),
                reason="理由",
                today=AFTER,
                publicity=WEEK,
            )
        except TransitionError:
            continue
        path = [] if state is S.DRAFT else [*path, action]
        if state is S.AWARDED:
            reviews = [a for a in path if a not in (A.OBJECTION_OPENED, A.OBJECTION_RESOLVED)]
            assert reviews in (REVIEW_PATH[True], REVIEW_PATH[False])


# --- star management after the award ------------------------------------------------------------

SA = StarAction
SS = StarStatus
STAR_ALLOWED = {
    (SS.ACTIVE, SA.WARN): SS.WARNED,
    (SS.ACTIVE, SA.SUSPEND): SS.SUSPENDED,
    (SS.ACTIVE, SA.REMOVE): SS.REMOVED,
    (SS.WARNED, SA.SUSPEND): SS.SUSPENDED,
    (SS.WARNED, SA.REMOVE): SS.REMOVED,
    (SS.WARNED, SA.REINSTATE): SS.ACTIVE,
    (SS.SUSPENDED, SA.REMOVE): SS.REMOVED,
    (SS.SUSPENDED, SA.REINSTATE): SS.ACTIVE,
}


@pytest.mark.parametrize("status", list(StarStatus))
@pytest.mark.parametrize("action", list(StarAction))
@pytest.mark.parametrize("role", ROLES)
def test_star_status_changes_follow_the_table(status: StarStatus, action: StarAction, role: str) -> None:
    target = STAR_ALLOWED.get((status, action))
    if target is not None and role in COUNTY:
        assert change_star_status(status, action, role=role, reason="发生亡人事故") is target
        assert action in available_star_actions(status, role)
        return
    assert action not in available_star_actions(status, role)
    with pytest.raises(TransitionError) as excinfo:
        change_star_status(status, action, role=role, reason="发生亡人事故")
    if target is None:
        assert excinfo.value.message == f"当前状态「{status.label}」不能执行「{action.label}」"
    else:
        assert excinfo.value.message == "您的角色无权执行此操作"


@pytest.mark.parametrize("reason", [None, "", " "])
@pytest.mark.parametrize(("status", "action"), list(STAR_ALLOWED))
def test_every_star_status_change_needs_a_reason(status: StarStatus, action: StarAction, reason: str | None) -> None:
    with pytest.raises(TransitionError) as excinfo:
        change_star_status(status, action, role=COUNTY_ADMIN, reason=reason)
    assert excinfo.value.message == f"{action.label}必须填写理由"


def test_a_removed_star_cannot_be_reinstated() -> None:
    with pytest.raises(TransitionError, match="当前状态「摘星」不能执行「恢复」"):
        change_star_status(SS.REMOVED, SA.REINSTATE, role=COUNTY_ADMIN, reason="整改到位")


@given(st.lists(st.tuples(st.sampled_from(list(StarAction)), st.sampled_from(ROLES)), max_size=40))
def test_random_star_changes_stay_defined_and_removal_is_final(
    sequence: list[tuple[StarAction, str]],
) -> None:
    status = SS.ACTIVE
    for action, role in sequence:
        before = status
        try:
            status = change_star_status(status, action, role=role, reason="理由")
        except TransitionError:
            continue
        assert isinstance(status, StarStatus) and before is not SS.REMOVED
        assert STAR_ALLOWED[(before, action)] is status


# --- the department step, star by star --------------------------------------------------------------

REVIEWERS = {"branch": None, "safety": "zhengfa", "industry": "nongye", "ecology": "nongye", "civility": None}


def _review(star: str, department: str, approved: set[str], **kw: object) -> State:
    args: dict[str, object] = {
        "role": DEPT_HANDLER,
        "settings": WITH_DEPT,
        "star_code": star,
        "department": department,
        "reviewers": REVIEWERS,
        "approved": approved,
        **kw,
    }
    decision = args.pop("decision", Decision.APPROVE)
    state = args.pop("state", S.TOWN_REVIEWED)
    return review_star(state, decision, **args)  # type: ignore[arg-type]


def test_the_step_applies_only_when_on_and_some_star_has_a_department() -> None:
    assert dept_step_applies(True, REVIEWERS)
    assert not dept_step_applies(False, REVIEWERS)
    assert not dept_step_applies(True, {"branch": None, "safety": None})
    assert pending_stars(REVIEWERS, {"industry"}) == ["safety", "ecology"]


def test_the_last_departments_approval_completes_the_step() -> None:
    assert _review("safety", "zhengfa", set()) is S.TOWN_REVIEWED
    assert _review("industry", "nongye", {"safety"}) is S.TOWN_REVIEWED
    assert _review("ecology", "nongye", {"safety", "industry"}) is S.DEPT_REVIEWED


def test_any_reviewing_department_sends_the_whole_record_back_with_a_reason() -> None:
    assert _review("safety", "zhengfa", {"industry"}, decision=Decision.SEND_BACK, reason="调解台账不实") is S.DRAFT
    with pytest.raises(TransitionError, match="退回必须填写理由"):
        _review("safety", "zhengfa", set(), decision=Decision.SEND_BACK, reason="  ")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"star": "safety", "department": "nongye"}, "该星不由您的部门审核"),
        ({"star": "branch", "department": "zhengfa"}, "该星无需部门审核"),
        ({"star": "nope", "department": "zhengfa"}, "评定标准中没有编码为「nope」的星"),
        ({"approved": {"safety"}}, "该星已审核通过，无需重复审核"),
        ({"role": COUNTY_REVIEWER}, "您的角色无权执行此操作"),
        ({"state": S.SUBMITTED}, "当前状态「村级已提交」不能进行部门审核"),
        ({"state": S.DEPT_REVIEWED}, "当前状态「部门已审核」不能进行部门审核"),
        ({"settings": WITHOUT_DEPT}, "本县未开启部门审核，或没有需要部门审核的星"),
    ],
)
def test_department_review_refusals(kwargs: dict[str, object], message: str) -> None:
    args: dict[str, object] = {"star": "safety", "department": "zhengfa", "approved": set(), **kwargs}
    star, department, approved = args.pop("star"), args.pop("department"), args.pop("approved")
    with pytest.raises(TransitionError) as excinfo:
        _review(star, department, approved, **args)  # type: ignore[arg-type]
    assert excinfo.value.message == message


@given(st.lists(st.tuples(st.sampled_from(list(REVIEWERS)), st.sampled_from(["zhengfa", "nongye"])), max_size=20))
def test_random_department_reviews_reach_dept_reviewed_exactly_when_every_star_is_approved(
    steps: list[tuple[str, str]],
) -> None:
    approved: set[str] = set()
    state = S.TOWN_REVIEWED
    for star, department in steps:
        try:
            state = _review(star, department, approved)
        except TransitionError:
            assert REVIEWERS.get(star) != department or star in approved
            continue
        approved.add(star)
        assert state is (S.DEPT_REVIEWED if approved == {"safety", "industry", "ecology"} else S.TOWN_REVIEWED)
        if state is S.DEPT_REVIEWED:
            break
    assert (state is S.DEPT_REVIEWED) == (approved == {"safety", "industry", "ecology"})
