"""State changes on dispute cases: register, triage, mediation sessions, outcome, agreement documents.

Each runs in one transaction with its history line and audit row. Audit rows never carry parties' names or
phone numbers (the audit page is read by more people than the case): only how many parties there are.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from xingyao.core import audit, locks, uploads
from xingyao.core.errors import ActionError
from xingyao.core.history import record_step
from xingyao.core.roles import Action, Role
from xingyao.core.scoping import covers
from xingyao.core.validators import clean_amount, clean_phone, clean_text
from xingyao.core.workflow import TransitionError
from xingyao.disputes.figures import MEDIATION_OUTCOMES, Outcome
from xingyao.disputes.models import (
    AgreementDocument,
    Dispute,
    DisputeStep,
    DisputeTeamMember,
    DisputeType,
    MediationSession,
    Party,
    Risk,
    Side,
    Status,
)
from xingyao.disputes.queries import case_roles
from xingyao.disputes.workflow import WORKFLOW, Move
from xingyao.ledgers.warnings import raise_warning
from xingyao.places.codes import Kind, below_county, serves, village_code
from xingyao.places.models import Unit
from xingyao.places.queries import departments_near

# Not the summary or description: free text that often names the parties (it stays in the scoped case record).
DISPUTE_FIELDS = [
    "number",
    "village",
    "type",
    "risk",
    "status",
    "received_on",
    "closed_on",
    "outcome",
    "mediated",
    "lead_department",
    "petition_beyond_village",
]


@dataclass(frozen=True)
class PartyIn:
    side: str
    name: str
    phone: str = ""


def _step(
    dispute: Dispute, actor: Any, action: str, label: str, note: str = "", *, before: str = "", role: str = ""
) -> None:
    record_step(
        DisputeStep,
        dispute=dispute,
        actor=actor,
        action=action,
        label=label,
        role=role,
        from_state=before or dispute.status,
        to_state=dispute.status,
        reason=note[:1000],
    )


def _allowed(actor: Any, dispute: Dispute, move: Move) -> Role:
    """The role in which `actor` takes `move` on the case now, or ActionError saying why not.

    Each action asks twice: first on the case as the page loaded it (a refusal before any input is read), then
    inside its transaction on the row locked and read again (`_locked`), so that of simultaneous requests only
    those the stored state still allows go on — the others get the same message, never a second outcome."""
    roles, facts = case_roles(actor, dispute)
    try:
        return WORKFLOW.check_any(Status(dispute.status), move, roles, facts)
    except TransitionError as exc:
        raise ActionError(exc.message) from None


def _locked(actor: Any, dispute: Dispute, move: Move) -> Role:
    """Inside the action's transaction: lock the case's row, read it again, and check `move` on what is stored."""
    locks.relock(dispute)
    return _allowed(actor, dispute, move)


def _check_parties(parties: Sequence[PartyIn]) -> list[PartyIn]:
    cleaned = []
    for index, party in enumerate(parties, start=1):
        if not (party.name or "").strip() and not (party.phone or "").strip():
            continue
        name = clean_text(party.name, f"第 {index} 位当事人的姓名", "parties", limit=30)
        phone = clean_phone(party.phone, f"第 {index} 位当事人的联系电话", "parties")
        if party.side not in Side.values:
            raise ActionError(f"第 {index} 位当事人的身份不正确", "parties")
        cleaned.append(PartyIn(party.side, name, phone))
    if not any(p.side == Side.APPLICANT for p in cleaned) or not any(p.side == Side.RESPONDENT for p in cleaned):
        raise ActionError("请至少登记一名申请人和一名被申请人", "parties")
    if len(cleaned) > 10:
        raise ActionError("当事人最多登记 10 人，人数更多的请在基本情况中说明", "parties")
    return cleaned


def _next_number(village: Unit, year: int) -> str:
    """The village's next case number for `year`: one counter row per village and year, locked by the registering
    transaction until it ends, so simultaneous registrations queue for it instead of colliding. The counter never
    falls behind numbers already written (the demo's, or any made before it existed)."""
    prefix = f"{year}{below_county(village_code(village.code))}"
    last = (
        Dispute.objects.unscoped("case numbers are unique in the county")
        .filter(number__startswith=prefix)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    written = int(last[len(prefix) :]) if last and last[len(prefix) :].isdigit() else 0
    sequence = locks.next_in_series(f"dispute:{prefix}", at_least=written + 1)
    return f"{prefix}{sequence:03d}"


def do_register_dispute(
    actor: Any,
    *,
    village: Unit,
    type: str,
    summary: str,
    description: str,
    risk: str,
    received_on: dt.date,
    parties: Sequence[PartyIn],
    amount: Any = None,
    petition_beyond_village: bool = False,
    event: Any = None,
) -> Dispute:
    """Register a case received in a village: the town (or county) in charge does it."""
    if village.kind != Kind.VILLAGE or not covers(actor, Action.MANAGE, village.prefix):
        raise ActionError("矛盾纠纷由乡镇综治中心（乡镇管理员）登记", "village")
    if type not in DisputeType.values:
        raise ActionError("请选择纠纷类型", "type")
    if risk not in Risk.values:
        raise ActionError("请选择风险等级", "risk")
    summary = clean_text(summary, "纠纷概要", "summary", limit=80)
    description = clean_text(description, "基本情况", "description", limit=2000, lines=True)
    if received_on > timezone.localdate():
        raise ActionError("受理日期不能晚于今天", "received_on")
    cleaned = _check_parties(parties)
    value = clean_amount(amount, "涉及金额", "amount", maximum=Decimal("10000000000"))
    for _attempt in range(3):
        try:
            with transaction.atomic(durable=True):
                dispute = Dispute.objects.create(
                    number=_next_number(village, received_on.year),
                    village=village,
                    type=type,
                    summary=summary,
                    description=description,
                    risk=risk,
                    received_on=received_on,
                    amount=value,
                    petition_beyond_village=petition_beyond_village,
                    event=event,
                    registered_by=actor,
                )
                Party.objects.bulk_create(
                    Party(dispute=dispute, side=p.side, name=p.name, phone=p.phone) for p in cleaned
                )
                _step(dispute, actor, "register", "登记", f"当事人 {len(cleaned)} 人")
                audit.record(
                    actor=actor,
                    action="dispute.register",
                    obj=dispute,
                    unit=village,
                    after={**audit.snapshot(dispute, DISPUTE_FIELDS), "parties": len(cleaned)},
                )
            return dispute
        except IntegrityError:
            continue  # two registrations took the same number at once: take the next one
    raise ActionError("案件编号生成冲突，请重试")


def _team_departments(actor: Any, dispute: Dispute, departments: Sequence[Unit]) -> list[Unit]:
    for department in departments:
        if department.kind != Kind.DEPARTMENT or not serves(department.code, dispute.village.code):
            raise ActionError(f"「{department.name}」不是本镇或本县的部门", "team")
        if not covers(actor, Action.MANAGE, department.prefix):
            raise ActionError(f"「{department.name}」不在您的调度范围内", "team")
    return list(departments)


def do_triage(
    actor: Any, dispute: Dispute, *, risk: str, lead_department: Unit | None, team: Sequence[Unit], note: str = ""
) -> Dispute:
    """Set the risk tier and the joint team (“警司访+”) that will mediate; may be redone while the case is open."""
    _allowed(actor, dispute, Move.TRIAGE)
    if risk not in Risk.values:
        raise ActionError("请选择风险等级", "risk")
    members = _team_departments(actor, dispute, team)
    if lead_department is not None:
        members = _team_departments(actor, dispute, [lead_department]) + [
            m for m in members if m.pk != lead_department.pk
        ]
    if not members:
        raise ActionError("请至少选择一个调解单位", "team")
    note = clean_text(note, "分流意见", "note", limit=500, required=False, lines=True)
    with transaction.atomic(durable=True):
        role = _locked(actor, dispute, Move.TRIAGE)
        before = audit.snapshot(dispute, DISPUTE_FIELDS)
        dispute.risk = risk
        dispute.lead_department = lead_department or members[0]
        previous = dispute.status
        dispute.status = WORKFLOW.target(Status(dispute.status), Move.TRIAGE)
        dispute.save()
        DisputeTeamMember.objects.filter(dispute=dispute).exclude(department__in=members).delete()
        have = set(DisputeTeamMember.objects.filter(dispute=dispute).values_list("department_id", flat=True))
        DisputeTeamMember.objects.bulk_create(
            DisputeTeamMember(dispute=dispute, department=m) for m in members if m.pk not in have
        )
        names = "、".join(m.name for m in members)
        why = f"{Risk(risk).label}；联合调解：{names}。{note}".rstrip("。")
        _step(dispute, actor, Move.TRIAGE, "分流", why, before=previous, role=role)
        b, a = audit.diff(before, audit.snapshot(dispute, DISPUTE_FIELDS))
        audit.record(
            actor=actor,
            action="dispute.triage",
            obj=dispute,
            unit=dispute.village,
            before=b,
            after={**(a or {}), "team": [m.pk for m in members]},
        )
    return dispute


def do_add_session(
    actor: Any, dispute: Dispute, *, held_on: dt.date, place: str, mediators: str, note: str
) -> MediationSession:
    """Record one mediation meeting; the case is then in mediation."""
    _allowed(actor, dispute, Move.RECORD_SESSION)
    if held_on < dispute.received_on or held_on > timezone.localdate():
        raise ActionError("调解日期应在受理日期和今天之间", "held_on")
    place = clean_text(place, "地点", "place", limit=100, required=False)
    mediators = clean_text(mediators, "调解人员", "mediators", limit=200)
    note = clean_text(note, "调解情况", "note", limit=2000, lines=True)
    with transaction.atomic(durable=True):
        role = _locked(actor, dispute, Move.RECORD_SESSION)
        session = MediationSession.objects.create(
            dispute=dispute, held_on=held_on, place=place, mediators=mediators, note=note, recorded_by=actor
        )
        previous = dispute.status
        dispute.status, dispute.mediated = WORKFLOW.target(Status(dispute.status), Move.RECORD_SESSION), True
        dispute.save(update_fields=["status", "mediated"])
        _step(
            dispute, actor, Move.RECORD_SESSION, "调解", f"{held_on:%Y-%m-%d} {mediators}", before=previous, role=role
        )
        audit.record(
            actor=actor,
            action="dispute.session",
            obj=dispute,
            unit=dispute.village,
            after={"session": session.pk, "held_on": held_on, "mediators": mediators},
        )
    return session


def do_close_dispute(
    actor: Any,
    dispute: Dispute,
    *,
    outcome: str,
    closed_on: dt.date,
    result_note: str,
    petition_beyond_village: bool | None = None,
) -> Dispute:
    """Record the outcome: mediated, pre-litigation mediation (诉前调解), court, withdrawn or failed."""
    _allowed(actor, dispute, Move.CLOSE)
    try:
        result = Outcome(outcome)
    except ValueError:
        raise ActionError("请选择调处结果", "outcome") from None
    if closed_on < dispute.received_on or closed_on > timezone.localdate():
        raise ActionError("结案日期应在受理日期和今天之间", "closed_on")
    result_note = clean_text(result_note, "调处情况", "result_note", limit=2000, lines=True)
    with transaction.atomic(durable=True):
        role = _locked(actor, dispute, Move.CLOSE)
        if result in MEDIATION_OUTCOMES and not dispute.mediated:
            raise ActionError(f"“{result.label}”须先记录至少一次调解", "outcome")
        before = audit.snapshot(dispute, DISPUTE_FIELDS)
        previous = dispute.status
        dispute.status = WORKFLOW.target(Status(dispute.status), Move.CLOSE)
        dispute.outcome, dispute.closed_on = result.value, closed_on
        dispute.result_note = result_note
        if petition_beyond_village is not None:
            dispute.petition_beyond_village = petition_beyond_village
        dispute.save()
        _step(dispute, actor, Move.CLOSE, "结案", f"{result.label}：{result_note}", before=previous, role=role)
        b, a = audit.diff(before, audit.snapshot(dispute, DISPUTE_FIELDS))
        audit.record(actor=actor, action="dispute.close", obj=dispute, unit=dispute.village, before=b, after=a)
        if dispute.petition_beyond_village:  # 零上访 broken: a warning on the village's star, once per case
            label = f"矛盾纠纷 {dispute.number} 越级上访"
            raise_warning("petition", village=dispute.village, happened_on=dispute.received_on, origin=dispute,
                          origin_label=label)  # fmt: skip
    return dispute


def do_add_document(actor: Any, dispute: Dispute, upload: Any) -> AgreementDocument:
    """Attach the signed agreement (PDF, Word, or a photo of the paper); the content must match its name."""
    _allowed(actor, dispute, Move.ADD_DOCUMENT)
    if upload is None:
        raise ActionError("请选择文件", "file")
    checked = uploads.check_upload(upload)
    with transaction.atomic(durable=True):
        role = _locked(actor, dispute, Move.ADD_DOCUMENT)
        document = AgreementDocument(dispute=dispute, uploaded_by=actor)
        document.fill_from(checked)
        # The uploader's file name often holds the parties' names ("张三与李四调解协议书.pdf"): it is not kept.
        # The neutral name is what the case page, the API, the download, the history and the audit row show.
        document.original_name = neutral_document_name(dispute, checked.content.name or "", _next_document(dispute))
        document.save()
        _step(dispute, actor, Move.ADD_DOCUMENT, "上传协议书", document.original_name, role=role)
        audit.record(
            actor=actor,
            action="dispute.document",
            obj=dispute,
            unit=dispute.village,
            after={"document": document.pk, "sha256": checked.sha256, "name": document.original_name},
        )
    return document


def neutral_document_name(dispute: Dispute, stored_name: str, index: int) -> str:
    """调解协议书-<case number>-<n>.<ext>: names no party."""
    ext = stored_name.rsplit(".", 1)[-1].lower() if "." in stored_name else "bin"
    return f"调解协议书-{dispute.number}-{index}.{ext}"


def _next_document(dispute: Dispute) -> int:
    return dispute.documents.count() + 1


def departments_for(user: Any, dispute: Dispute) -> list[Unit]:
    """Departments the town may put on this case's joint team."""
    return list(departments_near(dispute.village).restrict(user, Action.MANAGE).order_by("code"))
