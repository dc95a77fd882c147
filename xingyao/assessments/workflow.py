"""Pure state machines for a village's yearly assessment and for an awarded star afterwards.

No Django here: callers pass the current state, the acting role and the facts the rule needs
(the county's settings, today's date, the publicity period, the number of open objections) and get
the next state or a `TransitionError` with a message to show as is.
"""

from __future__ import annotations

from collections.abc import Mapping, Set
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

VILLAGE_CLERK = "village_clerk"
TOWN_REVIEWER = "town_reviewer"
TOWN_ADMIN = "town_admin"
DEPT_HANDLER = "dept_handler"
COUNTY_REVIEWER = "county_reviewer"
COUNTY_ADMIN = "county_admin"

TOWN_ROLES = frozenset({TOWN_REVIEWER, TOWN_ADMIN})
# The department step is taken star by star by the handlers of each star's department (`review_star`).
DEPT_ROLES = frozenset({DEPT_HANDLER})
COUNTY_ROLES = frozenset({COUNTY_REVIEWER, COUNTY_ADMIN})

MIN_PUBLICITY_DAYS = 1
MAX_PUBLICITY_DAYS = 30


class TransitionError(Exception):
    """A refused transition; `message` is Chinese and meant for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class State(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    TOWN_REVIEWED = "town_reviewed"
    DEPT_REVIEWED = "dept_reviewed"
    COUNTY_APPROVED = "county_approved"
    PUBLICIZED = "publicized"
    AWARDED = "awarded"

    @property
    def label(self) -> str:
        return _STATE_LABELS[self]


_STATE_LABELS = {
    State.DRAFT: "草稿",
    State.SUBMITTED: "村级已提交",
    State.TOWN_REVIEWED: "乡镇已初审",
    State.DEPT_REVIEWED: "部门已审核",
    State.COUNTY_APPROVED: "县级已审定",
    State.PUBLICIZED: "公示中",
    State.AWARDED: "已授星",
}


class Action(StrEnum):
    SUBMIT = "submit"
    TOWN_APPROVE = "town_approve"
    DEPT_APPROVE = "dept_approve"
    COUNTY_APPROVE = "county_approve"
    SEND_BACK = "send_back"
    PUBLISH = "publish"
    OBJECTION_OPENED = "objection_opened"
    OBJECTION_RESOLVED = "objection_resolved"
    AWARD = "award"

    @property
    def label(self) -> str:
        return _ACTION_LABELS[self]


_ACTION_LABELS = {
    Action.SUBMIT: "提交",
    Action.TOWN_APPROVE: "初审通过",
    Action.DEPT_APPROVE: "部门审核通过",
    Action.COUNTY_APPROVE: "县级审定",
    Action.SEND_BACK: "退回",
    Action.PUBLISH: "公示",
    Action.OBJECTION_OPENED: "受理异议",
    Action.OBJECTION_RESOLVED: "异议处理完毕",
    Action.AWARD: "授星",
}


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


# Approved states: what reviewers signed off is kept as signed.
LOCKED_STATES = frozenset(
    {State.TOWN_REVIEWED, State.DEPT_REVIEWED, State.COUNTY_APPROVED, State.PUBLICIZED, State.AWARDED}
)


def is_locked(state: State) -> bool:
    """Whether the record has been approved at some level and can no longer be edited by anyone."""
    return state in LOCKED_STATES


def can_edit_values(state: State) -> bool:
    """The village enters values and evidence only while the record is a draft."""
    return state is State.DRAFT


def _targets(state: State, settings: WorkflowSettings) -> dict[Action, State]:
    """The actions defined from `state` and where each one leads."""
    match state:
        case State.DRAFT:
            return {Action.SUBMIT: State.SUBMITTED}
        case State.SUBMITTED:
            return {Action.TOWN_APPROVE: State.TOWN_REVIEWED, Action.SEND_BACK: State.DRAFT}
        case State.TOWN_REVIEWED if settings.dept_review:
            return {Action.DEPT_APPROVE: State.DEPT_REVIEWED, Action.SEND_BACK: State.DRAFT}
        case State.TOWN_REVIEWED | State.DEPT_REVIEWED:
            # A record already past the department keeps going if the county turns the step off.
            return {Action.COUNTY_APPROVE: State.COUNTY_APPROVED, Action.SEND_BACK: State.DRAFT}
        case State.COUNTY_APPROVED:
            return {Action.PUBLISH: State.PUBLICIZED, Action.SEND_BACK: State.DRAFT}
        case State.PUBLICIZED:
            return {
                Action.OBJECTION_OPENED: State.PUBLICIZED,
                Action.OBJECTION_RESOLVED: State.PUBLICIZED,
                Action.AWARD: State.AWARDED,
                Action.SEND_BACK: State.DRAFT,
            }
        case State.AWARDED:
            return {}
    raise AssertionError(state)  # pragma: no cover - State is closed


def _roles(state: State, action: Action, settings: WorkflowSettings) -> frozenset[str]:
    """Who may take `action` from `state`; sending back belongs to whoever reviews at this stage."""
    match action:
        case Action.SUBMIT:
            return frozenset({VILLAGE_CLERK})
        case Action.TOWN_APPROVE:
            return TOWN_ROLES
        case Action.DEPT_APPROVE:
            return DEPT_ROLES
        case Action.SEND_BACK if state is State.SUBMITTED:
            return TOWN_ROLES
        case Action.SEND_BACK if state is State.TOWN_REVIEWED and settings.dept_review:
            # A reviewing department returns the whole record; the county may still do so while it waits.
            return DEPT_ROLES | COUNTY_ROLES
    return COUNTY_ROLES


def available_actions(state: State, role: str, settings: WorkflowSettings) -> tuple[Action, ...]:
    """Actions `role` may take from `state`, before checking reasons, dates and objections."""
    return tuple(a for a in _targets(state, settings) if role in _roles(state, a, settings))


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
    targets = _targets(state, settings)
    if action not in targets:
        message = f"当前状态「{state.label}」不能执行「{action.label}」"
        if state is State.TOWN_REVIEWED and action is Action.DEPT_APPROVE:
            message += "：本县未开启部门审核"
        elif state is State.TOWN_REVIEWED and action is Action.COUNTY_APPROVE:
            message += "：须先经部门审核"
        raise TransitionError(message)
    if role not in _roles(state, action, settings):
        raise TransitionError("您的角色无权执行此操作")
    match action:
        case Action.SEND_BACK:
            if not reason or not reason.strip():
                raise TransitionError("退回必须填写理由")
        case Action.PUBLISH:
            _check_publicity(publicity)
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
    return targets[action]


# --- the department step, star by star --------------------------------------------------------------


class Decision(StrEnum):
    APPROVE = "approve"
    SEND_BACK = "send_back"

    @property
    def label(self) -> str:
        return _DECISION_LABELS[self]


_DECISION_LABELS = {Decision.APPROVE: "审核通过", Decision.SEND_BACK: "退回村级"}


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


class StarStatus(StrEnum):
    ACTIVE = "active"
    WARNED = "warned"
    SUSPENDED = "suspended"
    REMOVED = "removed"

    @property
    def label(self) -> str:
        return _STAR_STATUS_LABELS[self]


_STAR_STATUS_LABELS = {
    StarStatus.ACTIVE: "有效",
    StarStatus.WARNED: "警示",
    StarStatus.SUSPENDED: "暂停",
    StarStatus.REMOVED: "摘星",
}


class StarAction(StrEnum):
    WARN = "warn"
    SUSPEND = "suspend"
    REMOVE = "remove"
    REINSTATE = "reinstate"

    @property
    def label(self) -> str:
        return _STAR_ACTION_LABELS[self]


_STAR_ACTION_LABELS = {
    StarAction.WARN: "警示",
    StarAction.SUSPEND: "暂停",
    StarAction.REMOVE: "摘星",
    StarAction.REINSTATE: "恢复",
}

# A removed star is final for the year: the village earns it again at the next yearly assessment.
_STAR_TARGETS: dict[StarStatus, dict[StarAction, StarStatus]] = {
    StarStatus.ACTIVE: {
        StarAction.WARN: StarStatus.WARNED,
        StarAction.SUSPEND: StarStatus.SUSPENDED,
        StarAction.REMOVE: StarStatus.REMOVED,
    },
    StarStatus.WARNED: {
        StarAction.SUSPEND: StarStatus.SUSPENDED,
        StarAction.REMOVE: StarStatus.REMOVED,
        StarAction.REINSTATE: StarStatus.ACTIVE,
    },
    StarStatus.SUSPENDED: {
        StarAction.REMOVE: StarStatus.REMOVED,
        StarAction.REINSTATE: StarStatus.ACTIVE,
    },
    StarStatus.REMOVED: {},
}


def available_star_actions(status: StarStatus, role: str) -> tuple[StarAction, ...]:
    """Star-management actions `role` may take from `status`."""
    return tuple(_STAR_TARGETS[status]) if role in COUNTY_ROLES else ()


def change_star_status(status: StarStatus, action: StarAction, *, role: str, reason: str | None) -> StarStatus:
    """The star's status after `action`, or TransitionError; every change needs a reason."""
    targets = _STAR_TARGETS[status]
    if action not in targets:
        raise TransitionError(f"当前状态「{status.label}」不能执行「{action.label}」")
    if role not in COUNTY_ROLES:
        raise TransitionError("您的角色无权执行此操作")
    if not reason or not reason.strip():
        raise TransitionError(f"{action.label}必须填写理由")
    return targets[action]
