"""Rectification ledger (整顿台账) rules: an item's states, who may move it, four-eyes acceptance, supervision
levels and the weak-branch screening criteria. Pure Python.

An item (整改事项) is opened with its problem, target and measure (“三精准”) and its time limit, steps and
responsible person (“三明确”). The village works it and records progress, then asks for acceptance (提请验收).
Someone who did not work it, and holds no role on the village itself, accepts it by a hearing, a democratic rating
or a site check with a score: ≥ 70 passes unless more than half of those asked are dissatisfied. A failed item is
reopened with a new deadline; an accepted one is closed (销号).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from xingyao.core import calendar
from xingyao.core.roles import Labelled, Role
from xingyao.core.workflow import Messages, Workflow, grant

PASS_SCORE = 70
MAX_DAYS = 365  # a time limit beyond a year of working days is a typing slip
YELLOW_DAYS = 2  # an open item within this many working days of its due date is supervised yellow


class Source(Labelled):
    """Where an item comes from: the same ledger serves every kind of problem list."""

    WEAK_BRANCH = "weak_branch", "软弱涣散整顿"
    STAR_GAP = "star_gap", "创星短板"
    INSPECTION = "inspection", "观摩问题"
    WARNING = "warning", "星级预警"
    ENTERPRISE = "enterprise", "企业诉求"


class State(Labelled):
    OPEN = "open", "整改中"
    SUBMITTED = "submitted", "待验收"
    ACCEPTED = "accepted", "已验收"
    FAILED = "failed", "验收未通过"
    CLOSED = "closed", "已销号"


class Move(Labelled):
    SUBMIT = "submit", "提请验收"
    PASS = "pass", "验收通过"
    FAIL = "fail", "验收不通过"
    REOPEN = "reopen", "重新整改"
    CLOSE = "close", "销号"


class Method(Labelled):
    """How an acceptance was made."""

    HEARING = "hearing", "听证"
    RATING = "rating", "民主评议"
    SITE = "site", "实地查看"


class Supervision(Labelled):
    NORMAL = "normal", "正常"
    YELLOW = "yellow", "黄牌督办"
    RED = "red", "红牌督办"


class Criterion(Labelled):
    """The screening criteria of a weak branch (软弱涣散村党组织); the county may list others under 其他."""

    SECRETARY_VACANT = "secretary_vacant", "书记空缺3个月以上"
    PARTY_LIFE = "party_life", "组织生活不正常"
    PETITIONS = "petitions", "信访矛盾突出"
    LOW_RANK = "low_rank", "年度考核排名靠后"
    OTHER = "other", "其他"


class DesignationState(Labelled):
    OPEN = "open", "整顿中"
    CLOSED = "closed", "已整顿销号"


WORKERS = (Role.VILLAGE_CLERK, Role.TOWN_ADMIN, Role.COUNTY_ADMIN)
ACCEPTORS = (Role.TOWN_ADMIN, Role.TOWN_REVIEWER, Role.COUNTY_ADMIN, Role.COUNTY_REVIEWER)
MANAGERS = (Role.TOWN_ADMIN, Role.COUNTY_ADMIN)


@dataclass(frozen=True)
class Facts:
    """What the four-eyes rule looks at: did this person work the item, does he hold a role on its village."""

    worked_on_it: bool = False
    of_the_village: bool = False


def _four_eyes(facts: object, action: object, role: Role | None) -> str | None:
    if action not in (Move.PASS, Move.FAIL) or not isinstance(facts, Facts):
        return None
    if facts.worked_on_it:
        return "您参与了这项整改（登记过进度或提请验收），不能验收自己的工作，请由其他人验收"
    if facts.of_the_village:
        return "您在本村任职，不能验收本村的整改事项，请由乡镇或县里的其他人验收"
    return None


STATES = tuple(State)
PERMISSIONS: Mapping[Move, Mapping[Role, frozenset[State]]] = {
    Move.SUBMIT: grant(WORKERS, [State.OPEN]),
    Move.PASS: grant(ACCEPTORS, [State.SUBMITTED]),
    Move.FAIL: grant(ACCEPTORS, [State.SUBMITTED]),
    Move.REOPEN: grant(MANAGERS, [State.FAILED]),
    Move.CLOSE: grant(MANAGERS, [State.ACCEPTED]),
}
TARGETS: Mapping[Move, State] = {
    Move.SUBMIT: State.SUBMITTED,
    Move.PASS: State.ACCEPTED,
    Move.FAIL: State.FAILED,
    Move.REOPEN: State.OPEN,
    Move.CLOSE: State.CLOSED,
}

WORKFLOW: Workflow[State, Move] = Workflow(
    permissions=PERMISSIONS,
    targets=TARGETS,
    guards=(_four_eyes,),
    state_first=True,
    messages=Messages(
        no_right="{role}无权{action}",
        wrong_state="这项整改{state}，不能{action}",
        no_role="您无权{action}这项整改",
    ),
    read_only={Role.LEADER: "领导账号只能查看，不能办理整改事项"},
    hints={
        (State.SUBMITTED, Move.CLOSE): "：须先验收通过",
        (State.OPEN, Move.CLOSE): "：须先提请验收并验收通过",
        (State.FAILED, Move.CLOSE): "：须重新整改并验收通过",
    },
)

# States in which an item is still being worked and its deadline watched.
WATCHED = frozenset({State.OPEN, State.FAILED})


def passes(score: int, satisfied: int, dissatisfied: int) -> bool:
    """The acceptance's verdict: a score of at least 70, and not more than half of those asked dissatisfied."""
    asked = satisfied + dissatisfied
    return score >= PASS_SCORE and not (asked and dissatisfied * 2 > asked)


def working_days_left(today: dt.date, due: dt.date, overrides: Mapping[dt.date, bool] = calendar.NO_OVERRIDES) -> int:
    """Working days from today until the due date: 0 on the due date, negative (at least -1) once it has passed,
    even on a weekend right after it."""
    if due >= today:
        return calendar.workdays_between(today, due, overrides)
    return min(-1, calendar.workdays_between(today, due, overrides))


def supervision(state: str, working_days_left: int) -> Supervision:
    """An item's supervision level from the working days left until its due date (0 on the due date itself,
    negative once overdue): red when overdue, yellow within two working days, normal otherwise; an item no longer
    being worked is normal."""
    if state not in WATCHED:
        return Supervision.NORMAL
    if working_days_left < 0:
        return Supervision.RED
    if working_days_left <= YELLOW_DAYS:
        return Supervision.YELLOW
    return Supervision.NORMAL
