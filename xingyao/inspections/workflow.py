"""Quarterly inspection (一季度一观摩) rules: a round's states, who may score, the four-eyes rule, score bounds,
rankings. Pure Python.

A town (or the county) plans a round for a quarter with a route of villages and a team. When the team sets out the
round is opened for scoring (开始评分); each village's visit is scored item by item on the county's score sheet, with
praise, problems and comments (点评). A visit is scored by someone holding a town or county role over the round, never
by anyone holding a role on the village itself. Once every village of the route is scored the round is finished
(结束评分); the organiser may reopen it for corrections.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from xingyao.core.roles import Labelled, Role
from xingyao.core.workflow import Messages, Workflow, grant

QUARTERS = {1: "第一季度", 2: "第二季度", 3: "第三季度", 4: "第四季度"}
MAX_ITEM_POINTS = 100
TENTH = Decimal("0.1")


class Star(Labelled):
    """The five stars a score sheet groups its items by."""

    BRANCH = "branch", "支部过硬"
    INDUSTRY = "industry", "产业兴旺"
    ECOLOGY = "ecology", "生态宜居"
    SAFETY = "safety", "平安法治"
    CIVILITY = "civility", "文明幸福"


class State(Labelled):
    PLANNED = "planned", "待观摩"
    SCORING = "scoring", "评分中"
    FINISHED = "finished", "已结束"


class Move(Labelled):
    START = "start", "开始评分"
    SCORE = "score", "评分"
    FINISH = "finish", "结束评分"
    REOPEN = "reopen", "重新打开评分"


ORGANISERS = (Role.TOWN_ADMIN, Role.COUNTY_ADMIN)
SCORERS = (Role.TOWN_ADMIN, Role.TOWN_REVIEWER, Role.COUNTY_ADMIN, Role.COUNTY_REVIEWER)


@dataclass(frozen=True)
class Facts:
    """What the rules look at besides roles: does the scorer hold a role on the visited village, how many visits of
    the round are still unscored."""

    of_the_village: bool = False
    unscored: int = 0


def _four_eyes(facts: object, action: object, role: Role | None) -> str | None:
    if action is Move.SCORE and isinstance(facts, Facts) and facts.of_the_village:
        return "您在本村任职，不能给本村的观摩打分，请由观摩组的其他成员评分"
    return None


def _all_scored(facts: object, action: object, role: Role | None) -> str | None:
    if action is Move.FINISH and isinstance(facts, Facts) and facts.unscored:
        return f"还有 {facts.unscored} 个村未评分，不能结束评分"
    return None


PERMISSIONS = {
    Move.START: grant(ORGANISERS, [State.PLANNED]),
    Move.SCORE: grant(SCORERS, [State.SCORING]),
    Move.FINISH: grant(ORGANISERS, [State.SCORING]),
    Move.REOPEN: grant(ORGANISERS, [State.FINISHED]),
}
TARGETS: Mapping[Move, State] = {
    Move.START: State.SCORING,
    Move.FINISH: State.FINISHED,
    Move.REOPEN: State.SCORING,
}

WORKFLOW: Workflow[State, Move] = Workflow(
    permissions=PERMISSIONS,
    targets=TARGETS,
    guards=(_four_eyes, _all_scored),
    state_first=True,
    messages=Messages(
        no_right="{role}无权{action}",
        wrong_state="这轮观摩{state}，不能{action}",
        no_role="您不是这轮观摩的组织者或观摩组成员，不能{action}",
    ),
    read_only={Role.LEADER: "领导账号只能查看，不能办理观摩评分"},
    hints={
        (State.PLANNED, Move.SCORE): "：须先开始评分",
        (State.FINISHED, Move.SCORE): "：须先重新打开评分",
    },
)


# --- the county's default score sheet -----------------------------------------------------------------------

# (star, item, max points): 100 points in all, 支部过硬 30, 产业兴旺 20, 生态宜居 20, 平安法治 15, 文明幸福 15.
DEFAULT_SHEET: list[tuple[Star, str, int]] = [
    (Star.BRANCH, "书记履职和班子作风", 10),
    (Star.BRANCH, "组织生活和阵地建设", 10),
    (Star.BRANCH, "问题整改和重点工作推进", 10),
    (Star.INDUSTRY, "特色产业和“一村一品”", 10),
    (Star.INDUSTRY, "村集体经济和带动就业", 10),
    (Star.ECOLOGY, "人居环境整治", 10),
    (Star.ECOLOGY, "游园广场、花坛、墙绘建设", 10),
    (Star.SAFETY, "矛盾纠纷化解和“三零”创建", 8),
    (Star.SAFETY, "网格化管理", 7),
    (Star.CIVILITY, "党群服务中心和便民服务", 8),
    (Star.CIVILITY, "文明新风和文化活动", 7),
]


# --- points -------------------------------------------------------------------------------------------------


def points(value: object, name: str, top: int) -> Decimal:
    """A score for one item: a number from 0 to the item's maximum, to one decimal; ValueError in Chinese."""
    if isinstance(value, bool) or value is None or (isinstance(value, str) and not value.strip()):
        raise ValueError(f"请填写「{name}」的得分")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError(f"「{name}」的得分应为数字") from None
    if not number.is_finite():
        raise ValueError(f"「{name}」的得分应为数字")
    if number != number.quantize(TENTH, rounding=ROUND_HALF_UP):
        raise ValueError(f"「{name}」的得分最多保留一位小数")
    if not Decimal(0) <= number <= top:
        raise ValueError(f"「{name}」的得分应在 0 到 {top} 分之间")
    return number.quantize(TENTH)


def star_scores(scored: Iterable[tuple[str, Decimal]]) -> dict[str, Decimal]:
    """Points per star from (star, points) pairs, in the stars' order."""
    found: dict[str, Decimal] = {}
    for star, value in scored:
        found[star] = found.get(star, Decimal(0)) + value
    return {s.value: found[s.value] for s in Star if s.value in found}


def ranks(totals: Sequence[Decimal | None]) -> list[int | None]:
    """Competition ranks (1, 2, 2, 4) of the totals as given; an unscored visit has no rank."""
    scored = sorted((t for t in totals if t is not None), reverse=True)
    first: dict[Decimal, int] = {}
    for n, total in enumerate(scored, start=1):
        first.setdefault(total, n)
    return [first[t] if t is not None else None for t in totals]


def quarter_label(quarter: int) -> str:
    return QUARTERS.get(quarter, f"第{quarter}季度")


def round_label(year: int, quarter: int, county_wide: bool = False) -> str:
    """“2023年第二季度观摩”, or “2023年第二季度全县观摩” for the county's own round."""
    return f"{year}年{quarter_label(quarter)}{'全县' if county_wide else ''}观摩"
