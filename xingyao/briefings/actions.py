"""State changes of briefings: generate (a snapshot of the records as they stand), edit 下一步, issue."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from django.db import transaction
from django.utils import timezone

from xingyao.briefings.compose import DEFAULT_NEXT_STEPS, Span, compose
from xingyao.briefings.models import Briefing, PeriodKind, State
from xingyao.core import audit
from xingyao.core.actors import require_actor
from xingyao.core.errors import ActionError
from xingyao.core.roles import Action
from xingyao.core.scoping import access, covers
from xingyao.core.validators import clean_text
from xingyao.places.codes import Kind
from xingyao.places.models import Unit

KINDS = (Kind.TOWN, Kind.COUNTY)
NEXT_STEPS_MAX = 2000


def span_of(kind: str, year: int, quarter: int | None = None, until: dt.date | None = None) -> Span:
    """A briefing's period from a form's values; a Chinese refusal for one that does not hold together."""
    period = PeriodKind.lookup(kind)
    if period is None:
        raise ActionError("请选择通报期间：年度、季度或截至某日", "period")
    if not 2000 <= year <= 2100:
        raise ActionError("年度应在 2000—2100 之间", "year")
    if period is PeriodKind.QUARTER:
        if quarter is None or not 1 <= quarter <= 4:
            raise ActionError("请选择第几季度（1—4）", "quarter")
        return Span(period, year, quarter)
    if period is PeriodKind.UP_TO:
        if until is None:
            raise ActionError("请填写截止日期", "until")
        if until.year != year:
            raise ActionError("截止日期应在所选年度之内（通报统计当年 1 月 1 日至截止日期）", "until")
        return Span(period, year, None, until)
    return Span(period, year)


def digest_of(briefing: Briefing) -> str:
    """SHA-256 over the snapshot as issued: its unit, period, content and 下一步, in a canonical JSON form."""
    body = {
        "unit": briefing.unit.code,
        "period": [briefing.period_kind, briefing.year, briefing.quarter],
        "days": [briefing.first_day.isoformat(), briefing.last_day.isoformat()],
        "content": briefing.content,
        "next_steps": briefing.next_steps,
    }
    canonical = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _summary(briefing: Briefing) -> dict[str, Any]:
    return {
        "unit": briefing.unit.code,
        "period": briefing.period_label,
        "digest": briefing.digest,
        "state": briefing.state,
    }


def do_generate_briefing(actor: Any, unit: Unit, span: Span) -> Briefing:
    """Gather the figures as `actor` may read them and save them as a draft briefing, its digest audited."""
    require_actor(actor)
    if unit.kind not in KINDS:
        raise ActionError("通报只能按乡镇或县生成", "unit")
    if not covers(actor, Action.MANAGE, unit.prefix):
        raise ActionError("您没有为该单位生成通报的权限", "unit")
    content = compose(actor, unit, span)  # reads only: outside the transaction, which then stays short
    with transaction.atomic(durable=True):
        briefing = Briefing(
            unit=unit,
            period_kind=span.kind,
            year=span.year,
            quarter=span.quarter,
            first_day=span.first_day,
            last_day=span.last_day,
            content=content,
            next_steps=DEFAULT_NEXT_STEPS.format(name=unit.name),
            generated_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        briefing.digest = digest_of(briefing)
        briefing.save()
        audit.record(actor=actor, action="briefing.generate", obj=briefing, unit=unit, after=_summary(briefing))
    return briefing


def _locked(actor: Any, briefing_id: int) -> Briefing:
    briefing = access(Briefing.objects.select_for_update().select_related("unit"), actor, briefing_id, Action.MANAGE)
    if briefing.state == State.ISSUED:
        raise ActionError("通报已签发，不能再修改；如需更正请重新生成")
    return briefing


def do_edit_next_steps(actor: Any, briefing_id: int, text: str) -> Briefing:
    """Replace the briefing's 下一步 before it is issued; the new digest is audited."""
    cleaned = clean_text(text, "下一步工作", "next_steps", limit=NEXT_STEPS_MAX, lines=True)
    with transaction.atomic(durable=True):
        briefing = _locked(actor, briefing_id)
        before = _summary(briefing)
        briefing.next_steps = cleaned
        briefing.digest = digest_of(briefing)
        briefing.save(update_fields=["next_steps", "digest"])
        audit.record(
            actor=actor,
            action="briefing.edit",
            obj=briefing,
            unit=briefing.unit,
            before=before,
            after=_summary(briefing) | {"next_steps": cleaned},
        )
    return briefing


def do_issue_briefing(actor: Any, briefing_id: int) -> Briefing:
    """Issue the briefing: it is frozen from now on, and its digest is recorded in the audit chain."""
    with transaction.atomic(durable=True):
        briefing = _locked(actor, briefing_id)
        if digest_of(briefing) != briefing.digest:
            raise ActionError("通报快照与生成时记录的摘要不一致，不能签发，请重新生成")
        before = _summary(briefing)
        briefing.state = State.ISSUED
        briefing.issued_at = timezone.now()
        briefing.issued_by = actor if getattr(actor, "is_authenticated", False) else None
        briefing.save(update_fields=["state", "issued_at", "issued_by"])
        audit.record(
            actor=actor,
            action="briefing.issue",
            obj=briefing,
            unit=briefing.unit,
            before=before,
            after=_summary(briefing),
        )
    return briefing
