"""Party life (组织生活) rules: the kinds of meeting, and the stages of developing a Party member. Pure Python.

Member development (发展党员) follows the stages of the 发展党员工作细则: 入党申请人 → 入党积极分子 (确定) →
发展对象 (列为) → 预备党员 (接收, approved by the town's Party committee) → 正式党员 (转正, after a year's probation,
also approved by the town). The village branch proposes the first two steps; the town decides the last two.
"""

from __future__ import annotations

from collections.abc import Mapping

from xingyao.core.roles import Labelled, Role
from xingyao.core.workflow import Messages, Workflow, grant


class Kind(Labelled):
    """A kind of Party-life meeting; the first four are “三会一课”."""

    CONGRESS = "congress", "支部党员大会"
    COMMITTEE = "committee", "支委会"
    GROUP = "group", "党小组会"
    LECTURE = "lecture", "党课"
    THEME_DAY = "theme_day", "主题党日"
    LIFE_MEETING = "life_meeting", "组织生活会"
    EVALUATION = "evaluation", "民主评议党员"


THREE_MEETINGS_ONE_LESSON = frozenset({Kind.CONGRESS, Kind.COMMITTEE, Kind.GROUP, Kind.LECTURE})
# What a branch holds every month: the township's month table shows a gap where one is missing.
MONTHLY = (Kind.COMMITTEE, Kind.THEME_DAY)
# A photo taken this many days away from the meeting date is kept but flagged for the reviewer.
PHOTO_DAYS = 3


class Stage(Labelled):
    APPLICANT = "applicant", "入党申请人"
    ACTIVIST = "activist", "入党积极分子"
    PROSPECT = "prospect", "发展对象"
    PROBATIONARY = "probationary", "预备党员"
    FULL = "full", "正式党员"


class Move(Labelled):
    MAKE_ACTIVIST = "make_activist", "确定为入党积极分子"
    MAKE_PROSPECT = "make_prospect", "列为发展对象"
    ADMIT = "admit", "接收为预备党员"
    CONFIRM = "confirm", "转为正式党员"


BRANCH = (Role.VILLAGE_CLERK, Role.TOWN_ADMIN, Role.COUNTY_ADMIN)
TOWN_COMMITTEE = (Role.TOWN_ADMIN, Role.COUNTY_ADMIN)

PERMISSIONS: Mapping[Move, Mapping[Role, frozenset[Stage]]] = {
    Move.MAKE_ACTIVIST: grant(BRANCH, [Stage.APPLICANT]),
    Move.MAKE_PROSPECT: grant(BRANCH, [Stage.ACTIVIST]),
    Move.ADMIT: grant(TOWN_COMMITTEE, [Stage.PROSPECT]),
    Move.CONFIRM: grant(TOWN_COMMITTEE, [Stage.PROBATIONARY]),
}
TARGETS: Mapping[Move, Stage] = {
    Move.MAKE_ACTIVIST: Stage.ACTIVIST,
    Move.MAKE_PROSPECT: Stage.PROSPECT,
    Move.ADMIT: Stage.PROBATIONARY,
    Move.CONFIRM: Stage.FULL,
}
# The date field each stage's step fills on the candidate.
STAGE_DATES: Mapping[Stage, str] = {
    Stage.APPLICANT: "applied_on",
    Stage.ACTIVIST: "activist_on",
    Stage.PROSPECT: "prospect_on",
    Stage.PROBATIONARY: "probationary_on",
    Stage.FULL: "full_on",
}

WORKFLOW: Workflow[Stage, Move] = Workflow(
    permissions=PERMISSIONS,
    targets=TARGETS,
    messages=Messages(
        no_right="{role}无权{action}",
        wrong_state="此人目前是{state}，不能{action}",
        no_role="只有本村党支部或乡镇党委可以{action}",
    ),
    read_only={Role.LEADER: "领导账号只能查看，不能办理发展党员"},
)
