"""Industry (产业兴旺) rules: the investment pipeline, brand levels and the bounds of what a village can hold.
Pure Python.

An investment project (招商引资项目) is followed by the town from the first lead (线索) through negotiation (洽谈),
signing (签约), the start of construction (开工) to production (投产); a lead or a negotiation may fall through
(终止). A project counts as introduced (引进落地) once it is signed. The town's leader in charge follows it up
every week (“二分之一”工作法: half of the leaders' time on projects), so an unfinished project is due a follow-up
note seven days after the last one.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from xingyao.core.roles import Labelled, Role
from xingyao.core.workflow import Messages, Workflow, grant

FOLLOW_UP_DAYS = 7  # “一周一调度”: a project still under way is due a follow-up note a week after the last
# Bounds of what one village can hold. Units carry no area of their own (only an optional boundary), so an area
# above this is refused as a typing slip: a large village of the plain holds some 5,000–10,000 亩 of farmland.
MAX_VILLAGE_MU = Decimal("20000")
MAX_PROJECT_MU = Decimal("100000")  # land of one project (亩)
MAX_JOBS = 100000
MAX_HOUSEHOLDS = 10000
MAX_MEMBERS = 100000  # members of one cooperative
MAX_INCOME_YUAN = Decimal("1000000000")  # a village's yearly collective income (元): below 10 亿
MAX_AMOUNT_WAN = Decimal("10000000")  # one project's investment (万元): below 1,000 亿


class Stage(Labelled):
    LEAD = "lead", "线索"
    NEGOTIATING = "negotiating", "洽谈"
    SIGNED = "signed", "签约"
    STARTED = "started", "开工"
    PRODUCING = "producing", "投产"
    DROPPED = "dropped", "终止"


class Move(Labelled):
    NEGOTIATE = "negotiate", "进入洽谈"
    SIGN = "sign", "签约"
    START = "start", "开工"
    PRODUCE = "produce", "投产"
    DROP = "drop", "终止"


# Introduced (引进落地): signed and beyond.
INTRODUCED = frozenset({Stage.SIGNED, Stage.STARTED, Stage.PRODUCING})
# Still under way: due weekly follow-ups.
UNDER_WAY = frozenset({Stage.LEAD, Stage.NEGOTIATING, Stage.SIGNED, Stage.STARTED})
PIPELINE = (Stage.LEAD, Stage.NEGOTIATING, Stage.SIGNED, Stage.STARTED, Stage.PRODUCING)

TOWN = (Role.TOWN_ADMIN, Role.COUNTY_ADMIN)

PERMISSIONS: Mapping[Move, Mapping[Role, frozenset[Stage]]] = {
    Move.NEGOTIATE: grant(TOWN, [Stage.LEAD]),
    Move.SIGN: grant(TOWN, [Stage.LEAD, Stage.NEGOTIATING]),
    Move.START: grant(TOWN, [Stage.SIGNED]),
    Move.PRODUCE: grant(TOWN, [Stage.STARTED]),
    Move.DROP: grant(TOWN, [Stage.LEAD, Stage.NEGOTIATING]),
}
TARGETS: Mapping[Move, Stage] = {
    Move.NEGOTIATE: Stage.NEGOTIATING,
    Move.SIGN: Stage.SIGNED,
    Move.START: Stage.STARTED,
    Move.PRODUCE: Stage.PRODUCING,
    Move.DROP: Stage.DROPPED,
}
# The date field each stage fills on the project when it is reached.
STAGE_DATES: Mapping[Stage, str] = {
    Stage.NEGOTIATING: "negotiating_on",
    Stage.SIGNED: "signed_on",
    Stage.STARTED: "started_on",
    Stage.PRODUCING: "producing_on",
    Stage.DROPPED: "dropped_on",
}

WORKFLOW: Workflow[Stage, Move] = Workflow(
    permissions=PERMISSIONS,
    targets=TARGETS,
    reason_required=frozenset({Move.DROP}),
    state_first=True,
    messages=Messages(
        no_right="{role}无权{action}",
        wrong_state="项目目前处于{state}阶段，不能{action}",
        no_role="只有项目所在乡镇或县里可以{action}",
        reason="{action}项目请填写原因",
    ),
    read_only={Role.LEADER: "领导账号只能查看，不能推进招商项目"},
)


class Brand(Labelled):
    """A specialty product's brand, as the example indicator industry.2.2 grades it."""

    REGISTERED = "registered", "有注册商标"
    REGIONAL = "regional", "纳入区域品牌"
    NONE = "none", "无"


def best_brand(registered: int, regional: int, any_industry: int) -> str | None:
    """The indicator's choice from counts of a village's industries by brand: the best one it has; None when it
    has no specialty industry at all."""
    if registered:
        return Brand.REGISTERED.value
    if regional:
        return Brand.REGIONAL.value
    if any_industry:
        return Brand.NONE.value
    return None


def growth(this_year: Decimal | int, last_year: Decimal | int) -> Decimal | None:
    """Growth on last year in % (one decimal); None without a positive last year to compare with."""
    if not last_year or last_year <= 0:
        return None
    return ((Decimal(this_year) - Decimal(last_year)) * 100 / Decimal(last_year)).quantize(Decimal("0.1"))


# --- enterprise requests (万人助万企) --------------------------------------------------------------------------------
# The “13710” rhythm in working days: handed over in 1, first answer in 3, solved in 7, a hard one within a month
# (22 working days); a county may set its own (`RequestRhythm`).
RHYTHM_13710 = {"handover_days": 1, "answer_days": 3, "solve_days": 7, "hard_days": 22}
MAX_RHYTHM_DAYS = 66  # three months of working days: beyond it a “rhythm” is none


class RequestState(Labelled):
    RECEIVED = "received", "待交办"
    HANDED_OVER = "handed_over", "已交办"
    ANSWERED = "answered", "已答复"
    SOLVED = "solved", "已办结"


class RequestMove(Labelled):
    HAND_OVER = "hand_over", "交办"
    ANSWER = "answer", "首次答复"
    SOLVE = "solve", "办结"


class Level(Labelled):
    """Who the request is escalated to (提级办理)."""

    VILLAGE = "village", "村级"
    TOWN = "town", "乡镇"
    COUNTY = "county", "县级"


class Satisfaction(Labelled):
    SATISFIED = "satisfied", "满意"
    FAIRLY = "fairly", "基本满意"
    DISSATISFIED = "dissatisfied", "不满意"


REQUEST_WORKFLOW: Workflow[RequestState, RequestMove] = Workflow(
    permissions={
        RequestMove.HAND_OVER: grant(TOWN, [RequestState.RECEIVED]),
        RequestMove.ANSWER: grant(TOWN, [RequestState.HANDED_OVER]),
        RequestMove.SOLVE: grant(TOWN, [RequestState.HANDED_OVER, RequestState.ANSWERED]),
    },
    targets={
        RequestMove.HAND_OVER: RequestState.HANDED_OVER,
        RequestMove.ANSWER: RequestState.ANSWERED,
        RequestMove.SOLVE: RequestState.SOLVED,
    },
    state_first=True,
    messages=Messages(
        no_right="{role}无权{action}",
        wrong_state="这项诉求{state}，不能{action}",
        no_role="只有包联企业的乡镇或县里可以{action}",
    ),
    read_only={Role.LEADER: "领导账号只能查看和督办，不能办理企业诉求"},
)
# The deadline field each state waits on; a solved request waits on none.
WAITING_ON: Mapping[RequestState, str] = {
    RequestState.RECEIVED: "handover_due",
    RequestState.HANDED_OVER: "answer_due",
    RequestState.ANSWERED: "solve_due",
}
STEP_DATES: Mapping[RequestMove, str] = {
    RequestMove.HAND_OVER: "handed_over_on",
    RequestMove.ANSWER: "answered_on",
    RequestMove.SOLVE: "solved_on",
}
