"""Who is told what about assessments (notices): the village's clerks when it is sent back, the town's reviewers
when its public notice receives an objection. Called inside the step's own transaction."""

from __future__ import annotations

from xingyao.assessments.models import Assessment
from xingyao.core.roles import Role
from xingyao.notices import actions as notices
from xingyao.notices.models import Kind
from xingyao.notices.queries import holders


def sent_back(assessment: Assessment, reason: str) -> None:
    """The village must revise its self-assessment: its clerks get the reviewer's reason, which the assessment's
    own page shows them too."""
    village = assessment.village
    notices.send(
        holders([village], [Role.VILLAGE_CLERK]),
        Kind.ASSESSMENT_SENT_BACK,
        f"{village.name}{assessment.year}年度评星材料被退回",
        f"退回理由：{reason}\n请按理由修改后重新提交。",
        assessment.get_absolute_url(),
        unit=village,
    )


def objection_filed(assessment: Assessment) -> None:
    """The town's reviewers must look into an objection; who objected and what he wrote stay in the objection
    record (masked as its page masks them), never in the message."""
    village = assessment.village
    if village.parent_id is None:
        return
    notices.send(
        holders([village.parent_id], [Role.TOWN_REVIEWER]),
        Kind.OBJECTION_FILED,
        f"{village.name}{assessment.year}年度公示收到异议",
        "公示期间收到群众异议，该村的授星暂停。请登录查看异议内容并及时核实。",
        assessment.get_absolute_url(),
        unit=village,
    )
