"""Grid event (网格事件) workflow: states, actions, who may take them, and 督办 supervision levels.

Pure Python, no ORM. A `do_*` function loads an `EventState` from the row, calls `transition`, writes the
result back and records the audit row; `available_actions` drives the buttons on the page.

Main line: reported 待受理 → accepted 已受理 → dispatched 已派遣 → handling 处置中 → feedback 已反馈
→ verified 已核查 → closed 已办结. Ways back, each with a mandatory reason:
- send_back 退回重派: dispatched / handling / feedback → accepted; the department, deadline and handlers
  are cleared so the town dispatches again (a department may return an event that is not its business
  until it has given feedback; the town may do so at any of the three states).
- return_for_rework 核查不通过，退回重办: feedback → handling; the same department redoes the work under
  the same deadline.
mark_duplicate closes an open event (before verification) as a duplicate of another one; otherwise
closed is reachable only from verified.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from xingyao.core import calendar
from xingyao.core.calendar import NO_OVERRIDES
from xingyao.core.roles import Labelled, Role
from xingyao.core.workflow import Messages, TransitionError, Workflow, grant


class State(Labelled):
    REPORTED = "reported", "待受理"
    ACCEPTED = "accepted", "已受理"
    DISPATCHED = "dispatched", "已派遣"
    HANDLING = "handling", "处置中"
    FEEDBACK = "feedback", "已反馈"
    VERIFIED = "verified", "已核查"
    CLOSED = "closed", "已办结"


class Action(Labelled):
    ACCEPT = "accept", "受理"
    DISPATCH = "dispatch", "派遣"
    START_HANDLING = "start_handling", "开始处置"
    GIVE_FEEDBACK = "give_feedback", "反馈结果"
    VERIFY = "verify", "核查通过"
    CLOSE = "close", "办结"
    SEND_BACK = "send_back", "退回重派"
    # The town undoes an acceptance, e.g. a grid worker's own report that was accepted on submit.
    RETURN_REPORT = "return_report", "退回待受理"
    RETURN_FOR_REWORK = "return_for_rework", "退回重办"
    REQUEST_EXTENSION = "request_extension", "申请延期"
    APPROVE_EXTENSION = "approve_extension", "批准延期"
    REJECT_EXTENSION = "reject_extension", "驳回延期"
    MARK_URGENT = "mark_urgent", "标记紧急"
    MARK_LEGACY = "mark_legacy", "标记历史遗留"
    MARK_DUPLICATE = "mark_duplicate", "标记重复"


class Level(Labelled):
    NORMAL = "normal", "正常"
    YELLOW = "yellow", "黄色督办"
    RED = "red", "红色督办"


# A county admin's membership covers the towns below it, so it may do whatever a town may.
TOWN_ROLES = frozenset({Role.TOWN_ADMIN, Role.TOWN_REVIEWER, Role.COUNTY_ADMIN})
# Whoever sets a deadline also decides on extending it.
MANAGER_ROLES = frozenset({Role.TOWN_ADMIN, Role.COUNTY_ADMIN})
OPEN_STATES = frozenset(State) - {State.CLOSED}
# The department's clock runs from dispatch until it gives feedback.
CLOCK_STATES = frozenset({State.DISPATCHED, State.HANDLING})
REASON_REQUIRED = frozenset(
    {
        Action.SEND_BACK,
        Action.RETURN_REPORT,
        Action.RETURN_FOR_REWORK,
        Action.REQUEST_EXTENSION,
        Action.REJECT_EXTENSION,
        Action.MARK_LEGACY,
    }
)


_HANDLER = (Role.DEPT_HANDLER,)
_BEFORE_VERIFIED = (State.REPORTED, State.ACCEPTED, State.DISPATCHED, State.HANDLING, State.FEEDBACK)

# action → role → states the role may take it from. Department and other checks come on top.
PERMISSIONS: Mapping[Action, Mapping[Role, frozenset[State]]] = {
    Action.ACCEPT: grant((Role.GRID_WORKER, *TOWN_ROLES), (State.REPORTED,)),
    Action.DISPATCH: grant(MANAGER_ROLES, (State.ACCEPTED,)),
    Action.START_HANDLING: grant(_HANDLER, (State.DISPATCHED,)),
    Action.GIVE_FEEDBACK: grant(_HANDLER, (State.HANDLING,)),
    Action.VERIFY: grant(TOWN_ROLES, (State.FEEDBACK,)),
    Action.CLOSE: grant(TOWN_ROLES, (State.VERIFIED,)),
    Action.SEND_BACK: {
        **grant(TOWN_ROLES, (State.DISPATCHED, State.HANDLING, State.FEEDBACK)),
        **grant(_HANDLER, (State.DISPATCHED, State.HANDLING)),
    },
    Action.RETURN_FOR_REWORK: grant(TOWN_ROLES, (State.FEEDBACK,)),
    Action.RETURN_REPORT: grant(TOWN_ROLES, (State.ACCEPTED,)),
    Action.REQUEST_EXTENSION: grant(_HANDLER, CLOCK_STATES),
    Action.APPROVE_EXTENSION: grant(MANAGER_ROLES, CLOCK_STATES),
    Action.REJECT_EXTENSION: grant(MANAGER_ROLES, CLOCK_STATES),
    Action.MARK_URGENT: grant(TOWN_ROLES, OPEN_STATES),
    Action.MARK_LEGACY: grant(TOWN_ROLES, OPEN_STATES),
    Action.MARK_DUPLICATE: {
        **grant(TOWN_ROLES, _BEFORE_VERIFIED),
        **grant((Role.GRID_WORKER,), (State.REPORTED,)),
    },
}


@dataclass(frozen=True)
class EventState:
    """Everything the workflow needs to know about one event.

    `deadline_days` is the limit set at dispatch and `extended_days` the approved extensions; both count
    working days from the dispatch time. `handlers` are everyone who acted for the department in the
    current dispatch — none of them may verify the event.
    """

    state: State = State.REPORTED
    event_id: int | None = None
    department: int | None = None
    deadline_days: int | None = None
    extended_days: int = 0
    pending_extension_days: int | None = None
    handlers: frozenset[int] = field(default_factory=frozenset)
    urgent: bool = False
    legacy: bool = False
    duplicate_of: int | None = None
    sent_back_count: int = 0
    rework_count: int = 0

    @property
    def allowed_workdays(self) -> int | None:
        """Working days the department has in total, extensions included; None before dispatch."""
        if self.deadline_days is None:
            return None
        return self.deadline_days + self.extended_days

    def due_at(self, dispatched_at: datetime, overrides: Mapping[date, bool] = NO_OVERRIDES) -> datetime | None:
        """End of the due day for an event dispatched at `dispatched_at` (local time)."""
        allowed = self.allowed_workdays
        if allowed is None:
            return None
        return calendar.deadline(dispatched_at, allowed, overrides)


@dataclass(frozen=True)
class Attempt:
    """The facts the guards read: the event, who acts and for which department."""

    event: EventState
    actor_id: int
    actor_department: int | None


def _dispatched_to_actor(t: Attempt, action: Action, role: Role) -> str | None:
    if role is Role.DEPT_HANDLER and (t.event.department is None or t.actor_department != t.event.department):
        return f"该事件未派遣给您所在的部门，不能{action.label}"
    return None


def _verifier_is_not_a_handler(t: Attempt, action: Action, role: Role) -> str | None:
    if action is Action.VERIFY and t.actor_id in t.event.handlers:
        return "核查人不能是该事件的处置人，请由其他人员核查"
    return None


def _extension_pending(t: Attempt, action: Action, role: Role) -> str | None:
    if action is Action.REQUEST_EXTENSION and t.event.pending_extension_days is not None:
        return "已有待审批的延期申请，请等待审批结果"
    if action in (Action.APPROVE_EXTENSION, Action.REJECT_EXTENSION) and t.event.pending_extension_days is None:
        return "没有待审批的延期申请"
    return None


def _not_flagged_twice(t: Attempt, action: Action, role: Role) -> str | None:
    if action is Action.MARK_URGENT and t.event.urgent:
        return "事件已标记为紧急"
    if action is Action.MARK_LEGACY and t.event.legacy:
        return "事件已标记为历史遗留"
    return None


WORKFLOW: Workflow[State, Action] = Workflow(
    permissions=PERMISSIONS,
    reason_required=REASON_REQUIRED,
    guards=(_dispatched_to_actor, _verifier_is_not_a_handler, _extension_pending, _not_flagged_twice),
    messages=Messages(
        no_right="{role}无权{action}",
        wrong_state="事件当前为“{state}”，{role}不能{action}",
        reason="{action}须填写原因",
        unknown_role="未知角色：{role}",
    ),
    read_only={Role.LEADER: "领导账号只能查看，不能办理事件"},
)


def _coerce_role(role: Role | str) -> Role:
    found = Role.lookup(role)
    if found is None:
        raise TransitionError(f"未知角色：{role}")
    return found


def _positive_days(value: int | None, *, allow_zero: bool) -> bool:
    # bool is an int subclass; True must not pass as "1 day".
    if value is None or isinstance(value, bool) or not isinstance(value, int):
        return False
    return value >= 0 if allow_zero else value >= 1


def available_actions(
    event: EventState, role: Role | str, *, actor_id: int, actor_department: int | None = None
) -> list[Action]:
    """The actions `role` may take on `event` now, in workflow order (arguments such as reason aside)."""
    return WORKFLOW.available_actions(event.state, _coerce_role(role), Attempt(event, actor_id, actor_department))


def transition(
    event: EventState,
    action: Action | str,
    *,
    role: Role | str,
    actor_id: int,
    actor_department: int | None = None,
    reason: str | None = None,
    department: int | None = None,
    deadline_days: int | None = None,
    extra_days: int | None = None,
    duplicate_of: int | None = None,
) -> EventState:
    """The event after `action`, or TransitionError with a message for the user.

    Arguments by action: dispatch needs `department` and `deadline_days` (≥ 0 working days);
    request_extension needs `extra_days` (≥ 1); mark_duplicate needs `duplicate_of`; the actions in
    REASON_REQUIRED need a non-blank `reason`. A dept_handler passes `actor_department`.
    """
    action = WORKFLOW.coerce_action(Action, action)
    role = _coerce_role(role)
    WORKFLOW.check(event.state, action, role, Attempt(event, actor_id, actor_department), reason=reason)

    if action is Action.ACCEPT:
        return replace(event, state=State.ACCEPTED)
    if action is Action.DISPATCH:
        if department is None:
            raise TransitionError("派遣须指定承办部门")
        if not _positive_days(deadline_days, allow_zero=True):
            raise TransitionError("派遣须指定办理时限（工作日数，不能为负数）")
        return replace(
            event,
            state=State.DISPATCHED,
            department=department,
            deadline_days=deadline_days,
            extended_days=0,
            pending_extension_days=None,
            handlers=frozenset(),
        )
    if action is Action.START_HANDLING:
        return replace(event, state=State.HANDLING, handlers=event.handlers | {actor_id})
    if action is Action.GIVE_FEEDBACK:
        # An extension still pending is moot once the work is reported done.
        return replace(event, state=State.FEEDBACK, handlers=event.handlers | {actor_id}, pending_extension_days=None)
    if action is Action.VERIFY:
        return replace(event, state=State.VERIFIED)
    if action is Action.CLOSE:
        return replace(event, state=State.CLOSED)
    if action is Action.SEND_BACK:
        return replace(
            event,
            state=State.ACCEPTED,
            department=None,
            deadline_days=None,
            extended_days=0,
            pending_extension_days=None,
            handlers=frozenset(),
            sent_back_count=event.sent_back_count + 1,
        )
    if action is Action.RETURN_REPORT:
        return replace(event, state=State.REPORTED)
    if action is Action.RETURN_FOR_REWORK:
        return replace(event, state=State.HANDLING, rework_count=event.rework_count + 1)
    if action is Action.REQUEST_EXTENSION:
        if not _positive_days(extra_days, allow_zero=False):
            raise TransitionError("延期天数须为正整数个工作日")
        return replace(event, pending_extension_days=extra_days, handlers=event.handlers | {actor_id})
    if action is Action.APPROVE_EXTENSION:
        granted = event.pending_extension_days or 0  # never None here: a guard made sure
        return replace(event, extended_days=event.extended_days + granted, pending_extension_days=None)
    if action is Action.REJECT_EXTENSION:
        return replace(event, pending_extension_days=None)
    if action is Action.MARK_URGENT:
        return replace(event, urgent=True)
    if action is Action.MARK_LEGACY:
        return replace(event, legacy=True)
    if action is Action.MARK_DUPLICATE:
        if duplicate_of is None:
            raise TransitionError("标记重复须指定原事件")
        if event.event_id is not None and duplicate_of == event.event_id:
            raise TransitionError("不能把事件标记为与自身重复")
        return replace(event, state=State.CLOSED, duplicate_of=duplicate_of, pending_extension_days=None)
    raise AssertionError(f"unhandled action {action}")


_LEVEL_RANK = {Level.NORMAL: 0, Level.YELLOW: 1, Level.RED: 2}


def warning_workdays(allowed_workdays: int | None) -> int:
    """Working days before the deadline at which an event turns yellow: a fifth of the limit, at least 1."""
    if not allowed_workdays:
        return 1
    return max(1, allowed_workdays // 5)


def supervision_level(
    now: datetime,
    deadline: datetime | None,
    state: State | str,
    manual_level: Level | str = Level.NORMAL,
    *,
    allowed_workdays: int | None = None,
    overrides: Mapping[date, bool] = NO_OVERRIDES,
) -> Level:
    """督办 level of an event.

    - closed: always normal.
    - While the department's clock runs (dispatched, handling) and there is a deadline:
      red once `now` is past it; yellow when at most `warning_workdays(allowed_workdays)` working days
      remain, counting the working days after today up to and including the due day (so an event due
      today or on the next working day is yellow).
    - A level set by a leader (`manual_level`) wins when it is higher.
    """
    state = State(state)
    manual = Level(manual_level)
    if state is State.CLOSED:
        return Level.NORMAL
    timed = Level.NORMAL
    if state in CLOCK_STATES and deadline is not None:
        if now > deadline:
            timed = Level.RED
        else:
            # Count days in the deadline's timezone, where "today" is the local day.
            local_now = now.astimezone(deadline.tzinfo) if now.tzinfo and deadline.tzinfo else now
            remaining = calendar.workdays_between(local_now.date(), deadline.date(), overrides)
            if remaining <= warning_workdays(allowed_workdays):
                timed = Level.YELLOW
    return max(timed, manual, key=_LEVEL_RANK.__getitem__)


def warning_starts(
    deadline: datetime, allowed_workdays: int | None, overrides: Mapping[date, bool] = NO_OVERRIDES
) -> datetime:
    """The moment (start of a local day) from which `supervision_level` turns the event yellow.

    Stored next to the deadline so that lists can filter by level in SQL: yellow ⇔ warn_at ≤ now ≤ deadline
    while the clock runs. The working days left, counted after a day up to the due day, only shrink as the
    day moves on, so the first day with at most `warning_workdays` left is where yellow starts.
    """
    limit = warning_workdays(allowed_workdays)
    day, remaining = deadline.date(), 0
    for _ in range(400):  # a year of days off in a row is not a calendar: stop there
        before = remaining + calendar.is_workday(day, overrides)
        if before > limit:
            break
        day, remaining = day - timedelta(days=1), before
    return datetime.combine(day, datetime.min.time(), tzinfo=deadline.tzinfo)
