"""The help page's text: what each role does week by week, and what each state of a record means. States are named
by the same labels the pages show (the workflows' enums), so the help can never call a state something else."""

from __future__ import annotations

from dataclasses import dataclass

from xingyao.assessments.workflow import State as AssessmentState
from xingyao.core.roles import Labelled, Role
from xingyao.disputes.workflow import Status as DisputeStatus
from xingyao.grid.workflow import State as EventState
from xingyao.ledgers.workflow import State as ItemState


@dataclass(frozen=True)
class Guide:
    role: Role
    summary: str
    weekly: tuple[str, ...]


GUIDES = (
    Guide(
        Role.VILLAGE_CLERK,
        "村两委的填报员：本村的组织生活、整改进度和年度自评都由您录入。",
        (
            "每次开完支委会、党员大会、主题党日，当天在“组织生活”里登记，并上传签到表和现场照片。",
            "整改事项有进展时，在“整改台账”里登记进度和照片（完成日期填实际做完的那天）；做完后点“提请验收”。",
            "年度评定期间，在“年度评星”里逐项填写自评，每项指标在它那一行点“上传佐证”，可一次选多张照片。",
            "乡镇退回时，首页“我的待办”会提示，按退回理由修改后再次提交。",
        ),
    ),
    Guide(
        Role.GRID_WORKER,
        "网格员：巡查本网格，发现问题当场上报，跟进办理。",
        (
            "巡查中发现问题，点首页的“上报事件”，拍照并获取当前位置后提交。",
            "每天看一次“网格事件”里的“我的待办”，被退回或需要补充的事件及时处理。",
            "到现场复查办理中的事件，在事件页“补充情况”里写下所见、拍照、定位；没有信号也能填，有信号后自动上传。",
            "群众反映的矛盾纠纷，在“矛盾纠纷”里登记，能当场化解的记录调解经过。",
        ),
    ),
    Guide(
        Role.TOWN_ADMIN,
        "乡镇管理员：调度全镇的事件、纠纷、整改和评星工作。",
        (
            "每天处理“网格事件”的待受理事件：受理后派遣给承办部门，超期的（红色督办）优先。",
            "每周看一次“整改台账”：临近时限或已超期的事项督促到村，待验收的安排验收。",
            "矛盾纠纷登记后及时分流，指定牵头部门和“警司访+”联调人员。",
            "评星期间，按“评星进度”催办未提交的村，初审后报县级。",
        ),
    ),
    Guide(
        Role.TOWN_REVIEWER,
        "乡镇审核员：初审各村的年度自评，验收整改事项。",
        (
            "在“评星审核”里逐村核对自评和佐证，通过或写明理由退回。",
            "整改事项提请验收后，组织听证、民主评议或实地查看，录入得分（70 分以上且不满意不超过半数为通过）。",
        ),
    ),
    Guide(
        Role.COUNTY_ADMIN,
        "县级管理员：制定评定标准，管理全县单位和账号，组织公示和授星。",
        (
            "年初发布本年度评定标准，开启各村的年度评定。",
            "审定后组织公示（不少于 5 天），处理异议，公示期满后授星。",
            "对发生重大事件的村，按规定进行警示、暂停或摘星。",
        ),
    ),
    Guide(
        Role.COUNTY_REVIEWER,
        "县级审核员：审定乡镇报来的评定结果。",
        ("在“评星审核”里审定乡镇已初审的评定，必要时退回乡镇并写明理由。",),
    ),
    Guide(
        Role.DEPT_HANDLER,
        "部门处置员：办理派遣给本部门的事件，审核分管的星。",
        (
            "首页“我的待办”列出派到本部门的事件：开始处置、上传处置前后照片并反馈结果。",
            "分星审核期间，审核本部门负责的星（如平安法治星、产业兴旺星）。",
        ),
    ),
    Guide(
        Role.LEADER,
        "领导查看：了解各镇各村的创建进度，只读。",
        ("在“评星进度”“排名”和各类统计中查看进展，可对事件督办。",),
    ),
)

STATE_MEANINGS: dict[Labelled, str] = {
    EventState.REPORTED: "网格员或群众已上报，等乡镇受理。",
    EventState.ACCEPTED: "乡镇已受理，等派遣给承办部门或自行处置。",
    EventState.DISPATCHED: "已派给承办部门，等部门开始处置。",
    EventState.HANDLING: "部门正在处置。",
    EventState.FEEDBACK: "部门已反馈处置结果，等乡镇核查。",
    EventState.VERIFIED: "乡镇已核查处置结果，等办结。",
    EventState.CLOSED: "事件已办结。",
    DisputeStatus.REGISTERED: "纠纷已登记，等乡镇分流。",
    DisputeStatus.TRIAGED: "已指定牵头部门和联调人员，等开始调解。",
    DisputeStatus.MEDIATING: "正在调解，每次调解都有记录。",
    DisputeStatus.CLOSED: "已结案：调解成功、不成功或转诉前调解。",
    ItemState.OPEN: "正在整改，按时限登记进度。",
    ItemState.SUBMITTED: "村里已提请验收，等乡镇组织验收。",
    ItemState.ACCEPTED: "验收通过，等销号。",
    ItemState.FAILED: "验收未通过，须重新整改，定新的时限。",
    ItemState.CLOSED: "已销号，进入一年回访期。",
    AssessmentState.DRAFT: "村里正在填写自评，或被退回修改。",
    AssessmentState.SUBMITTED: "村里已提交，等乡镇初审。",
    AssessmentState.TOWN_REVIEWED: "乡镇已初审，等分星部门审核或县级审定。",
    AssessmentState.DEPT_REVIEWED: "分星部门已审核，等县级审定。",
    AssessmentState.COUNTY_APPROVED: "县级已审定，等公示。",
    AssessmentState.PUBLICIZED: "正在公示，公示期内可以提出异议。",
    AssessmentState.AWARDED: "公示期满、无未处理的异议，已授星。",
}

RECORDS = (
    ("网格事件", EventState),
    ("矛盾纠纷", DisputeStatus),
    ("整改事项", ItemState),
    ("年度评定", AssessmentState),
)


def state_tables() -> list[tuple[str, list[tuple[str, str]]]]:
    """Each record kind with its states in workflow order: (label, what it means)."""
    return [(name, [(state.label, STATE_MEANINGS[state]) for state in states]) for name, states in RECORDS]


def guides_for(roles: set[str]) -> tuple[list[Guide], list[Guide]]:
    """The guides of the roles the user holds first, then the others."""
    mine = [g for g in GUIDES if g.role.value in roles]
    return mine, [g for g in GUIDES if g.role.value not in roles]
