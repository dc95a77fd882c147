"""Excel: the dispute ledger (矛盾纠纷排查调处台账) in the usual columns, parties masked per row."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Count

from xingyao.core.sheets import write_workbook
from xingyao.disputes.figures import OUTCOME_LABELS, Outcome
from xingyao.disputes.models import DisputeType, Risk, Status
from xingyao.disputes.queries import party_view

MAX_ROWS = 50_000
HEADER = [
    "序号",
    "案件编号",
    "受理日期",
    "村（社区）",
    "纠纷类型",
    "风险等级",
    "纠纷概要",
    "当事人",
    "联系电话",
    "涉及金额（元）",
    "主办单位",
    "联合调解单位",
    "调解次数",
    "状态",
    "调处结果",
    "是否诉前调解",
    "结案日期",
    "越级上访",
]


def _rows(user: Any, disputes: Any) -> Iterator[list[Any]]:
    annotated = disputes.annotate(session_count=Count("sessions", distinct=True))[:MAX_ROWS]
    for number, dispute in enumerate(annotated, start=1):
        parties = party_view(user, dispute)  # masked unless the user works this case
        yield [
            number,
            dispute.number,
            dispute.received_on,
            dispute.village.name,
            DisputeType(dispute.type).label,
            Risk(dispute.risk).label,
            dispute.summary,
            "；".join(f"{p['side']} {p['name']}" for p in parties),
            "；".join(p["phone"] for p in parties if p["phone"]),
            dispute.amount if dispute.amount is not None else "",
            dispute.lead_department.name if dispute.lead_department else "",
            "、".join(m.department.name for m in dispute.team_members.all()),
            dispute.session_count,
            Status(dispute.status).label,
            OUTCOME_LABELS[Outcome(dispute.outcome)] if dispute.outcome else "",
            "是" if dispute.outcome == Outcome.PRE_LITIGATION else "",
            dispute.closed_on or "",
            "是" if dispute.petition_beyond_village else "",
        ]


def dispute_ledger(user: Any, disputes: Any) -> bytes:
    return write_workbook([("矛盾纠纷台账", HEADER, _rows(user, disputes))])
