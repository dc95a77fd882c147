"""Excel: the dispute ledger (矛盾纠纷排查调处台账) in the usual columns, parties masked per row."""

from __future__ import annotations

from typing import Any

from django.db.models import Count

from xingyao.core.exports import Column, Sheet
from xingyao.core.privacy import name_for, phone_for
from xingyao.disputes.figures import Outcome
from xingyao.disputes.models import Dispute, DisputeType, Risk, Status
from xingyao.disputes.queries import can_work


def _parties(dispute: Dispute) -> list[tuple[str, str, str]]:
    return [(p.get_side_display(), p.name, p.phone) for p in dispute.parties.all()]


def _names(shown: bool, parties: list[tuple[str, str, str]]) -> str:
    return "；".join(f"{side} {name_for(shown, name)}" for side, name, _ in parties)


def _phones(shown: bool, parties: list[tuple[str, str, str]]) -> str:
    return "；".join(phone_for(shown, phone) for _, _, phone in parties if phone)


LEDGER = Sheet(
    "矛盾纠纷台账",
    [
        Column("案件编号", lambda d: d.number),
        Column("受理日期", lambda d: d.received_on),
        Column("村（社区）", lambda d: d.village.name),
        Column("纠纷类型", lambda d: DisputeType(d.type).label),
        Column("风险等级", lambda d: Risk(d.risk).label),
        Column("纠纷概要", lambda d: d.summary),
        Column("当事人", _parties, personal=_names),
        Column("联系电话", _parties, personal=_phones),
        Column("涉及金额（元）", lambda d: d.amount),
        Column("主办单位", lambda d: d.lead_department.name if d.lead_department else ""),
        Column("联合调解单位", lambda d: "、".join(m.department.name for m in d.team_members.all())),
        Column("调解次数", lambda d: d.session_count),
        Column("状态", lambda d: Status(d.status).label),
        Column("调处结果", lambda d: Outcome(d.outcome).label if d.outcome else ""),
        Column("是否诉前调解", lambda d: d.outcome == Outcome.PRE_LITIGATION),
        Column("结案日期", lambda d: d.closed_on),
        Column("越级上访", lambda d: d.petition_beyond_village),
    ],
    sees=can_work,  # masked unless the user works the case
)


def dispute_ledger(user: Any, disputes: Any) -> bytes:
    """The ledger of the given (already scoped and filtered) cases."""
    return LEDGER.workbook(user, disputes.annotate(session_count=Count("sessions", distinct=True)))
