"""Pure state machines for a village's yearly assessment and for an awarded star afterwards.

No Django here: callers pass the current state, the acting role and the facts the rule needs
(the county's settings, today's date, the publicity period, the number of open objections) and get
the next state or a `TransitionError` with a message to show as is. Both machines are tables on the one
engine (`xingyao.core.workflow`); the assessment has two, with and without the county's department step.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass
from datetime import date, timedelta

from xingyao.core.roles import Labelled, Role
from xingyao.core.workflow import Messages, TransitionError, Workflow, grant

TOWN_ROLES = frozenset({Role.TOWN_REVIEWER, Role.TOWN_ADMIN})
# The department step is taken star by star by the handlers of each star's department (`review_star`).
DEPT_ROLES = frozenset({Role.DEPT_HANDLER})
COUNTY_ROLES = frozenset({Role.COUNTY_REVIEWER, Role.COUNTY_ADMIN})
# Who fills the village's own column in a draft: the clerk, or the town or county on his behalf.
VILLAGE_ROLES = frozenset({Role.VILLAGE_CLERK, Role.TOWN_ADMIN, Role.COUNTY_ADMIN})

MIN_PUBLICITY_DAYS = 1
MAX_PUBLICITY_DAYS = 30


class State(Labelled):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "村级已提交"
    TOWN_REVIEWED = "town_reviewed", "乡镇已初审"
    DEPT_REVIEWED = "dept_reviewed", "部门已审核"
    COUNTY_APPROVED = "county_approved", "县级已审定"
    PUBLICIZED = "publicized", "公示中"
    AWARDED = "awarded", "已授星"


class Action(Labelled):
    SUBMIT = "submit", "提交"
    TOWN_APPROVE = "town_approve", "初审通过"
    DEPT_APPROVE = "dept_approve", "部门审核通过"
    COUNTY_APPROVE = "county_approve", "县级审定"
    SEND_BACK = "send_back", "退回"
    PUBLISH = "publish", "公示"
    OBJECTION_OPENED = "objection_opened", "受理异议"
    OBJECTION_RESOLVED = "objection_resolved", "异议处理完毕"
    AWARD = "award", "授星"


@dataclass(frozen=True)
class WorkflowSettings:
    """The county's choices for the yearly cycle."""

    dept_review: bool = False


def dept_step_applies(enabled: bool, reviewers: Mapping[str, str | None]) -> bool:
    """The department step runs when the county turned it on and at least one star names a department."""
    return enabled and any(reviewers.values())


@dataclass(frozen=True)
class Publicity:
    """A public notice (公示) running `days` calendar days from `start`, both ends included."""

    start: date
    days: int

    @property
    def last_day(self) -> date:
        return self.start + timedelta(days=self.days - 1)

    def has_ended(self, today: date) -> bool:
        return today > self.last_day


# Signed by the county: no value, note or file changes any more; only a send-back reopens the record.
LOCKED_STATES = frozenset({State.COUNTY_APPROVED, State.PUBLICIZED, State.AWARDED})

# The value column each stage fills, and the roles that fill it: the village in a draft, the town at its
# review, the county at its review (with or without the departments in between).
VALUE_COLUMNS: Mapping[State, tuple[str, frozenset[Role]]] = {
    State.DRAFT: ("self_value", VILLAGE_ROLES),
    State.SUBMITTED: ("town_value", TOWN_ROLES),
    State.TOWN_REVIEWED: ("county_value", COUNTY_ROLES),
    State.DEPT_REVIEWED: ("county_value", COUNTY_ROLES),
}


def is_locked(state: State) -> bool:
    """Whether the county has signed the record, so that nobody may change its values or files."""
    return state in LOCKED_STATES


def value_column(state: State, roles: Iterable[str]) -> str | None:
    """The value column one of `roles` fills in `state`, or None: what the page and `do_set_values` allow."""
    column, fillers = VALUE_COLUMNS.get(state, ("", frozenset()))
    return column if column and any(r in fillers for r in roles) else None


def can_edit_evidence(state: State) -> bool:
    """Evidence files are added and removed only while the record is a draft."""
    return state is State.DRAFT


_COMMON: dict[Action, dict[Role, frozenset[State]]] = {
    Action.SUBMIT: grant([Role.VILLAGE_CLERK], [State.DRAFT]),
    Action.TOWN_APPROVE: grant(TOWN_ROLES, [State.SUBMITTED]),
    Action.PUBLISH: grant(COUNTY_ROLES, [State.COUNTY_APPROVED]),
    Action.OBJECTION_OPENED: grant(COUNTY_ROLES, [State.PUBLICIZED]),
    Action.OBJECTION_RESOLVED: grant(COUNTY_ROLES, [State.PUBLICIZED]),
    Action.AWARD: grant(COUNTY_ROLES, [State.PUBLICIZED]),
}
# Sending back belongs to whoever reviews at this stage.
_COUNTY_SENDS_BACK = grant(
    COUNTY_ROLES, [State.TOWN_REVIEWED, State.DEPT_REVIEWED, State.COUNTY_APPROVED, State.PUBLICIZED]
)
# action → role → states the role may take it from, when the county runs the department step …
PERMISSIONS_WITH_DEPT: Mapping[Action, Mapping[Role, frozenset[State]]] = {
    **_COMMON,
    Action.DEPT_APPROVE: grant(DEPT_ROLES, [State.TOWN_REVIEWED]),
    Action.COUNTY_APPROVE: grant(COUNTY_ROLES, [State.DEPT_REVIEWED]),
    # A reviewing department returns the whole record; the county may still do so while it waits.
    Action.SEND_BACK: {
        **grant(TOWN_ROLES, [State.SUBMITTED]),
        **_COUNTY_SENDS_BACK,
        **grant(DEPT_ROLES, [State.TOWN_REVIEWED]),
    },
}
# … and when it does not. A record already past the department keeps going if the county turns the step off.
PERMISSIONS_WITHOUT_DEPT: Mapping[Action, Mapping[Role, frozenset[State]]] = {
    **_COMMON,
    Action.DEPT_APPROVE: {},
    Action.COUNTY_APPROVE: grant(COUNTY_ROLES, [State.TOWN_REVIEWED, State.DEPT_REVIEWED]),
    Action.SEND_BACK: {**grant(TOWN_ROLES, [State.SUBMITTED]), **_COUNTY_SENDS_BACK},
}
TARGETS: Mapping[Action, State] = {
    Action.SUBMIT: State.SUBMITTED,
    Action.TOWN_APPROVE: State.TOWN_REVIEWED,
    Action.DEPT_APPROVE: State.DEPT_REVIEWED,
    Action.COUNTY_APPROVE: State.COUNTY_APPROVED,
    Action.SEND_BACK: State.DRAFT,
    Action.PUBLISH: State.PUBLICIZED,
    Action.AWARD: State.AWARDED,
}
_MESSAGES = Messages(reason="{action}必须填写理由")


def _in_order(table: Mapping[Action, Mapping[Role, frozenset[State]]]) -> dict[Action, Mapping[Role, frozenset[State]]]:
    return {a: table[a] for a in Action}


WORKFLOWS: Mapping[bool, Workflow[State, Action]] = {
    True: Workflow(
        permissions=_in_order(PERMISSIONS_WITH_DEPT),
        targets=TARGETS,
        reason_required=frozenset({Action.SEND_BACK}),
        messages=_MESSAGES,
        state_first=True,
        hints={(State.TOWN_REVIEWED, Action.COUNTY_APPROVE): "：须先经部门审核"},
    ),
    False: Workflow(
        permissions=_in_order(PERMISSIONS_WITHOUT_DEPT),
        targets=TARGETS,
        reason_required=frozenset({Action.SEND_BACK}),
        messages=_MESSAGES,
        state_first=True,
        hints={(State.TOWN_REVIEWED, Action.DEPT_APPROVE): "：本县未开启部门审核"},
    ),
}


def workflow_for(settings: WorkflowSettings) -> Workflow[State, Action]:
    return WORKFLOWS[settings.dept_review]


def available_actions(state: State, role: str, settings: WorkflowSettings) -> tuple[Action, ...]:
    """Actions `role` may take from `state`, before checking reasons, dates and objections."""
    return tuple(workflow_for(settings).available_actions(state, role))


PUBLISH_IN_PAST = "公示开始日期不能早于今天：网上公示从在系统中开始公示之日起算；此前已张贴的纸质公示请在评定页登记"


def _check_publicity(publicity: Publicity | None) -> None:
    if publicity is None:
        raise TransitionError("公示必须填写开始日期和天数")
    if not MIN_PUBLICITY_DAYS <= publicity.days <= MAX_PUBLICITY_DAYS:
        raise TransitionError(f"公示天数应在 {MIN_PUBLICITY_DAYS} 到 {MAX_PUBLICITY_DAYS} 天之间")


def transition(
    state: State,
    action: Action,
    *,
    role: str,
    settings: WorkflowSettings,
    reason: str | None = None,
    today: date | None = None,
    publicity: Publicity | None = None,
    open_objections: int = 0,
) -> State:
    """The state after `action`, or TransitionError saying why not."""
    target = workflow_for(settings).transition(state, action, role, reason=reason)
    match action:
        case Action.PUBLISH:
            _check_publicity(publicity)
            if today is None:
                raise TransitionError("公示需要当前日期")
            if publicity is not None and publicity.start < today:
                # The objection window runs from the day the notice opens here, where the public can object;
                # a paper notice posted earlier is recorded beside it and shortens nothing.
                raise TransitionError(PUBLISH_IN_PAST)
        case Action.OBJECTION_RESOLVED:
            if open_objections <= 0:
                raise TransitionError("没有待处理的异议")
        case Action.AWARD:
            if publicity is None or today is None:
                raise TransitionError("授星需要公示信息和当前日期")
            _check_publicity(publicity)
            if not publicity.has_ended(today):
                raise TransitionError("公示期未满，不能授星")
            if open_objections > 0:
                raise TransitionError("有未处理的异议，暂停授星")
    return target


# --- the department step, star by star --------------------------------------------------------------


class Decision(Labelled):
    APPROVE = "approve", "审核通过"
    SEND_BACK = "send_back", "退回村级"


def pending_stars(reviewers: Mapping[str, str | None], approved: Set[str]) -> list[str]:
    """Stars (in the given order) whose department has not approved them yet in this round."""
    return [code for code, department in reviewers.items() if department and code not in approved]


def review_star(
    state: State,
    decision: Decision,
    *,
    role: str,
    settings: WorkflowSettings,
    star_code: str,
    department: str,
    reviewers: Mapping[str, str | None],
    approved: Set[str],
    reason: str | None = None,
) -> State:
    """The assessment's state after `department` decides on one star, or TransitionError.

    `reviewers` maps every star code of the set to its reviewing department (None: no department review);
    `approved` are the star codes already approved in this round. The last approval completes the step
    (dept_reviewed); a send-back returns the whole record to the village.
    """
    if not settings.dept_review:
        raise TransitionError("本县未开启部门审核，或没有需要部门审核的星")
    if state is not State.TOWN_REVIEWED:
        raise TransitionError(f"当前状态「{state.label}」不能进行部门审核")
    if role not in DEPT_ROLES:
        raise TransitionError("您的角色无权执行此操作")
    if star_code not in reviewers:
        raise TransitionError(f"评定标准中没有编码为「{star_code}」的星")
    if not reviewers[star_code]:
        raise TransitionError("该星无需部门审核")
    if reviewers[star_code] != department:
        raise TransitionError("该星不由您的部门审核")
    if decision is Decision.SEND_BACK:
        if not reason or not reason.strip():
            raise TransitionError("退回必须填写理由")
        return State.DRAFT
    if star_code in approved:
        raise TransitionError("该星已审核通过，无需重复审核")
    return State.DEPT_REVIEWED if not pending_stars(reviewers, {*approved, star_code}) else State.TOWN_REVIEWED


# --- an awarded star afterwards (动态管理) ---------------------------------------------------------


class StarStatus(Labelled):
    ACTIVE = "active", "有效"
    WARNED = "warned", "警示"
    SUSPENDED = "suspended", "暂停"
    REMOVED = "removed", "摘星"


class StarAction(Labelled):
    WARN = "warn", "警示"
    SUSPEND = "suspend", "暂停"
    REMOVE = "remove", "摘星"
    REINSTATE = "reinstate", "恢复"


# A removed star is final for the year: the village earns it again at the next yearly assessment.
_HELD = (StarStatus.ACTIVE, StarStatus.WARNED, StarStatus.SUSPENDED)
STAR_WORKFLOW: Workflow[StarStatus, StarAction] = Workflow(
    permissions={
        StarAction.WARN: grant(COUNTY_ROLES, [StarStatus.ACTIVE]),
        StarAction.SUSPEND: grant(COUNTY_ROLES, [StarStatus.ACTIVE, StarStatus.WARNED]),
        StarAction.REMOVE: grant(COUNTY_ROLES, _HELD),
        StarAction.REINSTATE: grant(COUNTY_ROLES, [StarStatus.WARNED, StarStatus.SUSPENDED]),
    },
    targets={
        StarAction.WARN: StarStatus.WARNED,
        StarAction.SUSPEND: StarStatus.SUSPENDED,
        StarAction.REMOVE: StarStatus.REMOVED,
        StarAction.REINSTATE: StarStatus.ACTIVE,
    },
    reason_required=frozenset(StarAction),
    messages=_MESSAGES,
    state_first=True,
)


def available_star_actions(status: StarStatus, role: str) -> tuple[StarAction, ...]:
    """Star-management actions `role` may take from `status`."""
    return tuple(STAR_WORKFLOW.available_actions(status, role))


def change_star_status(status: StarStatus, action: StarAction, *, role: str, reason: str | None) -> StarStatus:
    """The star's status after `action`, or TransitionError; every change needs a reason."""
    return STAR_WORKFLOW.transition(status, action, role, reason=reason)
