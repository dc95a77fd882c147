"""State changes of the yearly assessment: values, evidence, every workflow step, objections, awards, stars.

Each `do_*` runs in one transaction, writes an audit row, and raises ActionError (Chinese) with nothing changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from xingyao.assessments import notify, publication, queries, scores
from xingyao.assessments import workflow as wf
from xingyao.assessments.models import (
    STEP_LABELS,
    Assessment,
    Evidence,
    IndicatorValue,
    Objection,
    ObjectionStatus,
    PaperNotice,
    StarAward,
    StarChange,
    StarChangeEvidence,
    StarReview,
    StepLog,
)
from xingyao.assessments.workflow import State
from xingyao.core import audit, calendar, locks, metrics
from xingyao.core.actors import SYSTEM, is_system
from xingyao.core.errors import ActionError
from xingyao.core.history import record_step
from xingyao.core.roles import Action, Role
from xingyao.core.scoping import covers
from xingyao.core.uploads import check_image, check_upload
from xingyao.core.workdays import overrides_for
from xingyao.places.codes import Kind, county_prefix
from xingyao.places.models import Unit
from xingyao.stars import scoring
from xingyao.stars.models import Indicator
from xingyao.stars.queries import criteria_for, derived_values

# Working days each stage has before its deadline.
STAGE_DAYS: dict[State, int] = {
    State.DRAFT: 5,  # the village corrects a sent-back record
    State.SUBMITTED: 5,  # the town reviews
    State.TOWN_REVIEWED: 10,  # the department or the county reviews
    State.DEPT_REVIEWED: 10,
    State.COUNTY_APPROVED: 5,  # the county opens the public notice
}
MAX_TEXT = 2000
COLUMN_LABELS = {"self_value": "村级自评", "town_value": "乡镇初审", "county_value": "县级审定"}
NOTE_OF = {"self_value": "correction_note", "town_value": "town_note", "county_value": "county_note"}
# An assessment's values from the records count all of its village's records, whoever opens or refreshes it.
SNAPSHOT_REASON = "an assessment's derived values cover every record of its village"


class ValuesError(ActionError):
    """Several values refused at once; `errors` maps indicator codes to messages."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        super().__init__("；".join(errors.values()))
        self.errors = dict(errors)


def _check(actor: Any, unit: Unit, action: str) -> None:
    # The system itself (the demo, the command line) holds no membership; None is refused, never waved through.
    if not is_system(actor) and not covers(actor, action, unit.prefix):
        raise ActionError("您无权执行此操作")


def _locked_message(assessment: Assessment) -> str:
    return f"评定已{assessment.state_label}，已锁定，不能修改"


def _step(assessment: Assessment, actor: Any, action: str, before: str, role: str = "", reason: str = "") -> StepLog:
    rows = list(assessment.values.unscoped("a step snapshots the whole record it moves").select_related("indicator"))
    files: Mapping[str, int] = scores.evidence_counts([assessment.pk]).get(assessment.pk, {})
    shot = queries.snapshot((v.indicator.code, v, files.get(v.indicator.code, 0)) for v in rows)
    return record_step(
        StepLog,
        assessment=assessment,
        actor=actor,
        action=action,
        label=STEP_LABELS.get(action, action),
        from_state=before,
        to_state=assessment.state,
        role=role,
        reason=reason,
        data=shot,
    )


def _rescore(assessment: Assessment) -> None:
    scores.rescore([assessment], assessment.year)


def _due(unit: Unit, state: State, today: dt.date) -> dt.date | None:
    days = STAGE_DAYS.get(state)
    return calendar.add_workdays(today, days, overrides_for(unit)) if days is not None else None


# --- creating assessments ---------------------------------------------------------------------------


def _create(actor: Any, village: Unit, year: int, criteria_set: Any) -> Assessment:
    assessment = Assessment.objects.create(
        village=village,
        year=year,
        criteria_set=criteria_set,
        due_date=_due(village, State.DRAFT, timezone.localdate()),
    )
    indicators = list(Indicator.objects.filter(criteria_set=criteria_set))
    derived = derived_values(criteria_set, [village], year, metrics.unscoped(SNAPSHOT_REASON))
    now = timezone.now()
    IndicatorValue.objects.bulk_create(
        [
            IndicatorValue(
                assessment=assessment,
                indicator=i,
                derived_value=scores.to_json(_typed(i, derived.get((village.pk, i.code)))),
                derived_at=now if (village.pk, i.code) in derived else None,
            )
            for i in indicators
        ]
    )
    _rescore(assessment)
    _step(assessment, actor, "create", "")
    audit.record(
        actor=actor,
        action="assessment.create",
        obj=assessment,
        unit=village,
        after=audit.snapshot(assessment, ["village", "year", "criteria_set", "state"]),
    )
    return assessment


def _typed(indicator: Indicator, raw: Any) -> scoring.Value | None:
    """A data source's answer as the indicator's type; an answer it cannot take is left out."""
    try:
        return scoring.validate_value(indicator.to_spec(), raw)
    except (ValueError, TypeError):
        return None


def do_start_assessment(actor: Any, village: Unit, year: int) -> Assessment:
    """Open a village's assessment for `year` against its county's published criteria set."""
    _check(actor, village, Action.CHANGE)
    if village.kind != Kind.VILLAGE:
        raise ActionError("只有村（社区）可以开展年度评定")
    criteria_set = criteria_for(village, year)
    if criteria_set is None:
        raise ActionError(f"本县尚未发布 {year} 年度评定标准，暂不能开展评定")
    try:
        with transaction.atomic(durable=True):
            if _exists(village, year):
                raise ActionError(f"「{village.name}」{year} 年度评定已存在")
            return _create(actor, village, year, criteria_set)
    except IntegrityError:  # another request opened it a moment ago: the unique (village, year) let one win
        raise ActionError(f"「{village.name}」{year} 年度评定已存在") from None


def _exists(village: Unit, year: int) -> bool:
    return (
        Assessment.objects.unscoped("one assessment per village and year").filter(village=village, year=year).exists()
    )


def do_open_year(actor: Any, unit: Unit, year: int) -> int:
    """Open the year's assessments for every village under a town or county that has none; returns how many.

    One transaction per village: no lock is held across the run, a failure leaves the villages before it opened,
    and running it again opens the rest (a village opened meanwhile, by hand or by another run, is skipped)."""
    _check(actor, unit, Action.MANAGE)
    villages = list(Unit.objects.subtree(unit).villages().filter(active=True).exclude(assessments__year=year))
    if not villages:
        return 0
    sets: dict[str, Any] = {}
    created = 0
    for village in villages:
        county = county_prefix(village.code)
        if county not in sets:
            sets[county] = criteria_for(village, year)
        if sets[county] is None:
            continue
        try:
            with transaction.atomic(durable=True):
                if _exists(village, year):
                    continue
                _create(actor, village, year, sets[county])
        except IntegrityError:
            continue  # opened by another request while this one ran
        created += 1
    if not created and any(found is None for found in sets.values()):
        raise ActionError(f"本县尚未发布 {year} 年度评定标准，暂不能开展评定")
    return created


def do_refresh_derived(actor: Any, assessment: Assessment) -> int:
    """Fetch the bound indicators' values again from the records; returns how many changed."""
    _check(actor, assessment.village, Action.CHANGE)
    if assessment.state != State.DRAFT:
        raise ActionError("只有草稿状态可以刷新系统数据")
    derived = derived_values(
        assessment.criteria_set, [assessment.village], assessment.year, metrics.unscoped(SNAPSHOT_REASON)
    )
    changed = 0
    with transaction.atomic(durable=True):
        locks.relock(assessment)  # submitted meanwhile: its values are no longer the village's to refresh
        if assessment.state != State.DRAFT:
            raise ActionError("只有草稿状态可以刷新系统数据")
        now = timezone.now()
        for v in (
            assessment.values.unscoped("re-read of an object fetched through access()")
            .select_related("indicator")
            .exclude(indicator__data_source__isnull=True)
        ):
            new = scores.to_json(_typed(v.indicator, derived.get((assessment.village_id, v.indicator.code))))
            if new != v.derived_value:
                v.derived_value, v.derived_at = new, now
                v.save(update_fields=["derived_value", "derived_at", "updated_at"])
                changed += 1
        if changed:
            audit.record(actor=actor, action="assessment.refresh_derived", obj=assessment, after={"changed": changed})
    return changed


# --- values and evidence ----------------------------------------------------------------------------


def do_set_values(
    actor: Any,
    assessment: Assessment,
    column: str,
    raw: Mapping[str, Any],
    notes: Mapping[str, str] | None = None,
) -> int:
    """Set values (and notes) in one column, keyed by indicator code; all are checked before any is written."""
    if column not in COLUMN_LABELS:
        raise ActionError("未知的填报栏目")
    with transaction.atomic(durable=True):
        assessment = (
            Assessment.objects.unscoped("re-read of an object fetched through access()")
            .select_for_update()
            .select_related("village", "criteria_set")
            .get(pk=assessment.pk)
        )
        if queries.is_locked(assessment):
            raise ActionError(_locked_message(assessment))
        allowed = queries.editable_column(actor, assessment)
        if allowed != column:
            raise ActionError(f"当前状态「{assessment.state_label}」下您不能填写{COLUMN_LABELS[column]}")
        rows = {
            v.indicator.code: v
            for v in assessment.values.unscoped("re-read of an object fetched through access()").select_related(
                "indicator", "indicator__star"
            )
        }
        notes = notes or {}
        unknown = sorted((set(raw) | set(notes)) - set(rows))
        if unknown:
            raise ActionError(f"未知指标：{'、'.join(unknown)}")
        errors: dict[str, str] = {}
        typed: dict[str, Any] = {}
        for code, value in raw.items():
            spec = rows[code].indicator.to_spec()
            try:
                typed[code] = scores.to_json(scoring.validate_value(spec, value))
            except ValueError as exc:
                errors[code] = str(exc)
        for code, note in notes.items():
            if len(str(note or "")) > MAX_TEXT:
                errors[code] = f"「{rows[code].indicator.name}」的说明不能超过 {MAX_TEXT} 字"
        if column == "self_value":
            for code, value in typed.items():
                v = rows[code]
                note = str(notes.get(code, v.correction_note) or "").strip()
                if v.derived_value is not None and value is not None and value != v.derived_value and not note:
                    shown = scores.display(v.indicator.to_spec(), v.derived_value)
                    errors.setdefault(code, f"「{v.indicator.name}」与系统数据（{shown}）不一致，请填写更正说明")
        if errors:
            raise ValuesError(errors)
        note_field = NOTE_OF[column]
        before: dict[str, Any] = {}
        after: dict[str, Any] = {}
        for code in sorted(set(typed) | set(notes)):
            v = rows[code]
            old = (getattr(v, column), getattr(v, note_field))
            new_value = typed.get(code, old[0])
            new_note = str(notes[code]).strip() if code in notes else old[1]
            if (new_value, new_note) == old:
                continue
            setattr(v, column, new_value)
            setattr(v, note_field, new_note)
            v.save(update_fields=[column, note_field, "updated_at"])
            before[code], after[code] = list(old), [new_value, new_note]
        if after:
            _rescore(assessment)
            audit.record(
                actor=actor,
                action=f"assessment.values.{column.removesuffix('_value')}",
                obj=assessment,
                before=before,
                after=after,
            )
    return len(after)


def _check_adding_evidence(assessment: Assessment) -> None:
    if not wf.can_edit_evidence(assessment.state_enum):
        if queries.is_locked(assessment):
            raise ActionError(_locked_message(assessment))
        raise ActionError(f"评定{assessment.state_label}，只有草稿状态可以上传佐证材料")


def do_add_evidence(
    actor: Any, assessment: Assessment, indicator: Indicator, upload: Any, caption: str = ""
) -> Evidence:
    """Store a checked photo or document for one indicator of a draft assessment."""
    _check(actor, assessment.village, Action.CHANGE)
    if indicator.criteria_set_id != assessment.criteria_set_id:
        raise ActionError("该指标不属于本次评定的标准", "indicator")
    _check_adding_evidence(assessment)
    checked = check_upload(upload)
    with transaction.atomic(durable=True):
        locks.relock(assessment)  # submitted meanwhile: the evidence it was submitted with is final
        _check_adding_evidence(assessment)
        evidence = Evidence(
            assessment=assessment, indicator=indicator, caption=caption.strip()[:200], uploaded_by=actor
        )
        evidence.fill_from(checked)
        evidence.save()
        _rescore(assessment)
        audit.record(
            actor=actor,
            action="assessment.evidence.add",
            obj=evidence,
            unit=assessment.village,
            after=audit.snapshot(evidence, ["assessment", "indicator", "original_name", "sha256", "size"]),
        )
    return evidence


def do_remove_evidence(actor: Any, evidence: Evidence) -> None:
    """Delete an evidence file while its assessment is still a draft."""
    assessment = evidence.assessment
    _check(actor, assessment.village, Action.CHANGE)
    if not wf.can_edit_evidence(assessment.state_enum):
        raise ActionError(
            _locked_message(assessment) if queries.is_locked(assessment) else "只有草稿状态可以删除佐证材料"
        )
    with transaction.atomic(durable=True):
        locks.relock(assessment)
        if not wf.can_edit_evidence(assessment.state_enum):
            raise ActionError(
                _locked_message(assessment) if queries.is_locked(assessment) else "只有草稿状态可以删除佐证材料"
            )
        if not Evidence.objects.unscoped(locks.REREAD).filter(pk=evidence.pk).exists():
            raise ActionError("该佐证材料已被删除")
        audit.record(
            actor=actor,
            action="assessment.evidence.remove",
            obj=evidence,
            unit=assessment.village,
            before=audit.snapshot(evidence, ["assessment", "indicator", "original_name", "sha256"]),
        )
        name = evidence.file.name
        evidence.delete()
        _rescore(assessment)
        transaction.on_commit(lambda: evidence.file.storage.delete(name))


def submission_problems(assessment: Assessment) -> list[str]:
    """What stops the village from submitting: missing evidence, unexplained corrections, nothing filled."""
    values = list(
        assessment.values.unscoped("submission checks the whole record").select_related(
            "indicator", "indicator__star", "indicator__section"
        )
    )
    files: Mapping[str, int] = scores.evidence_counts([assessment.pk]).get(assessment.pk, {})
    problems: list[str] = []
    filled = 0
    for v in values:
        spec = v.indicator.to_spec()
        count = files.get(spec.code, 0)
        raw = count if spec.kind is scoring.Kind.EVIDENCE else v.self_value
        try:
            value = scoring.validate_value(spec, raw)
        except ValueError as exc:
            problems.append(str(exc))
            continue
        if value is None or (spec.kind is scoring.Kind.EVIDENCE and count == 0):
            continue
        filled += 1
        if v.derived_value is not None and v.self_value != v.derived_value and not v.correction_note.strip():
            problems.append(f"「{spec.name}」与系统数据不一致，请填写更正说明")
        from_records = v.derived_value is not None and v.self_value == v.derived_value
        if scoring.evaluate(spec, value).met and count < spec.evidence_count and not from_records:
            problems.append(f"「{spec.name}」需上传佐证材料 {spec.evidence_count} 份，现有 {count} 份")
    if not filled:
        problems.insert(0, "尚未填写任何指标")
    return problems


# --- the workflow -----------------------------------------------------------------------------------


def _publicity(assessment: Assessment, start: dt.date | None, days: int | None) -> wf.Publicity | None:
    if start is None and assessment.publicity_start is None:
        return None
    return wf.Publicity(
        start=start or assessment.publicity_start,  # type: ignore[arg-type]
        days=days if days is not None else (assessment.publicity_days or assessment.criteria_set.publicity_days),
    )


def do_transition(
    actor: Any,
    assessment: Assessment,
    action: wf.Action | str,
    *,
    reason: str = "",
    publicity_start: dt.date | None = None,
    publicity_days: int | None = None,
    today: dt.date | None = None,
) -> Assessment:
    """Move an assessment one step (submit, approve, send back, publish, award) with a step log and audit row."""
    try:
        action = wf.Action(action)
    except ValueError:
        raise ActionError("未知的操作") from None
    if action in (wf.Action.OBJECTION_OPENED, wf.Action.OBJECTION_RESOLVED):
        raise ActionError("异议通过公示页面提交、由县级处理，不能直接执行")
    if action is wf.Action.DEPT_APPROVE:
        raise ActionError("部门审核按星进行：由各星的审核部门逐星审核，全部通过后自动完成")
    today = today or timezone.localdate()
    reason = (reason or "").strip()
    if len(reason) > MAX_TEXT:
        raise ActionError(f"理由不能超过 {MAX_TEXT} 字", "reason")
    with transaction.atomic(durable=True):
        return _transition(
            actor,
            assessment,
            action,
            reason=reason,
            publicity_start=publicity_start,
            publicity_days=publicity_days,
            today=today,
        )


def _transition(
    actor: Any,
    assessment: Assessment,
    action: wf.Action,
    *,
    reason: str,
    publicity_start: dt.date | None,
    publicity_days: int | None,
    today: dt.date,
) -> Assessment:
    """The step itself, inside the caller's transaction: do_transition's, or an objection's decision's."""
    a = (
        Assessment.objects.unscoped("re-read of an object fetched through access()")
        .select_for_update()
        .select_related("village", "criteria_set")
        .get(pk=assessment.pk)
    )
    _check(actor, a.village, queries.SCOPE_ACTION[action])
    publicity = _publicity(a, publicity_start, publicity_days) if action is wf.Action.PUBLISH else None
    if action is wf.Action.AWARD:
        publicity = _publicity(a, None, None)
    role = queries.role_for(actor, a, action)
    open_objections = (
        a.objections.unscoped("re-read of an object fetched through access()")
        .filter(status=ObjectionStatus.OPEN)
        .count()
    )
    try:
        target = wf.transition(
            a.state_enum,
            action,
            role=role,
            settings=queries.settings_of(a),
            reason=reason,
            today=today,
            publicity=publicity,
            open_objections=open_objections,
        )
    except wf.TransitionError as exc:
        raise ActionError(exc.message, "reason" if "理由" in exc.message else None) from None
    if action is wf.Action.SUBMIT:
        problems = submission_problems(a)
        if problems:
            raise ActionError("不能提交：" + "；".join(problems))
    before = audit.snapshot(a, ["state", "publicity_start", "publicity_days", "due_date"])
    previous = a.state
    a.state = target.value
    a.state_since = timezone.now()
    a.due_date = _due(a.village, target, today)
    if action is wf.Action.PUBLISH and publicity is not None:
        a.publicity_start, a.publicity_days = publicity.start, publicity.days
        a.due_date = publicity.last_day
    if action is wf.Action.SEND_BACK:
        a.publicity_start = a.publicity_days = None
    a.save()
    if action is wf.Action.AWARD:
        _award(actor, a)
        publication.publish_award(actor, a)
    if action is wf.Action.PUBLISH:
        publication.publish_publicity(actor, a)
    _step(a, actor, action.value, previous, role, reason)
    if action is wf.Action.SEND_BACK:
        notify.sent_back(a, reason)
    b, after = audit.diff(before, audit.snapshot(a, ["state", "publicity_start", "publicity_days", "due_date"]))
    audit.record(
        actor=actor,
        action=f"assessment.{action.value}",
        obj=a,
        before=b,
        after={**(after or {}), **({"reason": reason} if reason else {})},
    )
    return a


def do_review_star(
    actor: Any, assessment: Assessment, star_code: str, decision: wf.Decision | str, *, reason: str = ""
) -> StarReview:
    """A department's decision on one star: the last approval completes the department step (dept_reviewed);
    a send-back (with a reason) returns the whole record to the village."""
    try:
        decision = wf.Decision(decision)
    except ValueError:
        raise ActionError("未知的审核结果", "decision") from None
    reason = (reason or "").strip()
    if len(reason) > MAX_TEXT:
        raise ActionError(f"理由不能超过 {MAX_TEXT} 字", "reason")
    with transaction.atomic(durable=True):
        a = (
            Assessment.objects.unscoped("re-read of an object fetched through access()")
            .select_for_update()
            .select_related("village", "criteria_set")
            .get(pk=assessment.pk)
        )
        star = a.criteria_set.stars.select_related("review_department").filter(code=star_code).first()
        if star is None:
            raise ActionError(f"评定标准中没有编码为「{star_code}」的星")
        department = star.review_department
        if department is None:
            raise ActionError(f"「{star.name}」无需部门审核")
        if not is_system(actor) and not covers(actor, Action.HANDLE, department.prefix):
            raise PermissionDenied(f"「{star.name}」由{department.name}审核")  # visible to him, not his to decide: 403
        settings = queries.settings_of(a)
        try:
            target = wf.review_star(
                a.state_enum,
                decision,
                role=Role.DEPT_HANDLER,
                settings=settings,
                star_code=star.code,
                department=department.code,
                reviewers=queries.reviewers(a.criteria_set),
                approved=queries.approved_stars(a),
                reason=reason,
            )
        except wf.TransitionError as exc:
            raise ActionError(exc.message, "reason" if "理由" in exc.message else None) from None
        review = StarReview.objects.create(
            assessment=a,
            star_code=star.code,
            department=department,
            decision=decision.value,
            reason=reason,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
        )
        audit.record(
            actor=actor,
            action=f"assessment.star_review.{decision.value}",
            obj=review,
            unit=a.village,
            after={"star": star.code, "department": department.code, "decision": decision.value, "reason": reason},
        )
        if target is not a.state_enum:
            step = wf.Action.DEPT_APPROVE if target is State.DEPT_REVIEWED else wf.Action.SEND_BACK
            before = audit.snapshot(a, ["state", "due_date"])
            previous = a.state
            a.state, a.state_since = target.value, timezone.now()
            a.due_date = _due(a.village, target, timezone.localdate())
            a.save()
            why = f"{department.name}（{star.name}）：{reason}" if reason else f"{department.name}审核完成"
            _step(a, actor, step.value, previous, Role.DEPT_HANDLER, why)
            b, after = audit.diff(before, audit.snapshot(a, ["state", "due_date"]))
            audit.record(
                actor=actor,
                action=f"assessment.{step.value}",
                obj=a,
                before=b,
                after={**(after or {}), **({"reason": reason} if reason else {})},
            )
    return review


def _award(actor: Any, assessment: Assessment) -> None:
    """Grant the stars the approved score passed, each opening its history with an award step."""
    _rescore(assessment)
    names = queries.star_names([assessment.criteria_set_id])
    orders = {s.code: s.order for s in assessment.criteria_set.stars.all()}
    now = timezone.now()
    for code in assessment.passed_stars:
        award, _ = StarAward.objects.unscoped("the award step writes the record's own stars").update_or_create(
            village=assessment.village,
            year=assessment.year,
            star_code=code,
            defaults={
                "star_name": names.get((assessment.criteria_set_id, code), code),
                "order": orders.get(code, 0),
                "status": wf.StarStatus.ACTIVE.value,
                "awarded_at": now,
                "assessment": assessment,
            },
        )
        record_step(
            StarChange,
            award=award,
            actor=actor,
            action=wf.Action.AWARD,
            to_state=award.status,
            reason="公示期满无异议，授星",
            at=now,
        )


@dataclass
class BatchResult:
    done: list[Assessment] = field(default_factory=list)
    skipped: list[tuple[Assessment, str]] = field(default_factory=list)


def approval_action(assessment: Assessment) -> wf.Action | None:
    """The approving step from the assessment's current stage."""
    match assessment.state_enum:
        case State.SUBMITTED:
            return wf.Action.TOWN_APPROVE
        case State.TOWN_REVIEWED if queries.settings_of(assessment).dept_review:
            return None  # the departments review star by star
        case State.TOWN_REVIEWED | State.DEPT_REVIEWED:
            return wf.Action.COUNTY_APPROVE
    return None


def do_batch_approve(actor: Any, assessments: Iterable[Assessment]) -> BatchResult:
    """Approve each queued assessment without remarks at its current stage; the others are skipped with why."""
    result = BatchResult()
    for a in assessments:
        if getattr(a, "has_remarks", False):
            result.skipped.append((a, "有备注或疑点，须逐条审核"))
            continue
        action = approval_action(a)
        if action is None:
            result.skipped.append((a, f"当前状态「{a.state_label}」不能批量审核"))
            continue
        try:
            result.done.append(do_transition(actor, a, action))
        except ActionError as exc:
            result.skipped.append((a, exc.message))
    return result


def do_open_publicity(actor: Any, unit: Unit, year: int, start: dt.date, days: int) -> BatchResult:
    """Open the public notice for every county-approved assessment of the year under `unit`."""
    _check(actor, unit, Action.APPROVE)
    result = BatchResult()
    items = (
        Assessment.objects.restrict(actor, Action.APPROVE).within(unit).filter(year=year, state=State.COUNTY_APPROVED)
    )
    for a in items.select_related("village", "criteria_set"):
        try:
            result.done.append(do_transition(actor, a, wf.Action.PUBLISH, publicity_start=start, publicity_days=days))
        except ActionError as exc:
            result.skipped.append((a, exc.message))
    if not result.done and not result.skipped:
        raise ActionError("没有待公示的评定（须县级审定后才能公示）")
    return result


def do_award_ended(actor: Any, unit: Unit, year: int, today: dt.date | None = None) -> BatchResult:
    """Award every assessment whose notice has ended without open objections; the others wait."""
    _check(actor, unit, Action.APPROVE)
    result = BatchResult()
    items = Assessment.objects.restrict(actor, Action.APPROVE).within(unit).filter(year=year, state=State.PUBLICIZED)
    for a in items.select_related("village", "criteria_set"):
        try:
            result.done.append(do_transition(actor, a, wf.Action.AWARD, today=today))
        except ActionError as exc:
            result.skipped.append((a, exc.message))
    return result


PAPER_NOTICE_STATES = frozenset({State.COUNTY_APPROVED, State.PUBLICIZED})
PAPER_NOTICE_MAX_AGE = dt.timedelta(days=366)


def do_record_paper_notice(
    actor: Any, assessment: Assessment, *, posted_on: dt.date | None, upload: Any, today: dt.date | None = None
) -> PaperNotice:
    """Record a paper notice posted on the village's board (its date and a photo), as such: it may predate the
    online notice, but the award still waits for the online notice's objection window to pass."""
    today = today or timezone.localdate()
    _check(actor, assessment.village, Action.APPROVE)
    if not is_system(actor) and not queries.workflow_roles(actor, assessment.village) & wf.COUNTY_ROLES:
        raise ActionError("纸质公示由县级登记")
    if posted_on is None:
        raise ActionError("请填写纸质公示的张贴日期", "posted_on")
    if posted_on > today:
        raise ActionError("张贴日期不能晚于今天", "posted_on")
    if posted_on < today - PAPER_NOTICE_MAX_AGE:
        raise ActionError("张贴日期不能早于一年前", "posted_on")
    if upload is None:
        raise ActionError("请上传纸质公示的照片", "photo")
    checked = check_image(upload, "纸质公示照片")
    with transaction.atomic(durable=True):
        a = (
            Assessment.objects.unscoped("re-read of an object fetched through access()")
            .select_for_update()
            .select_related("village")
            .get(pk=assessment.pk)
        )
        if a.state_enum not in PAPER_NOTICE_STATES:
            raise ActionError("县级审定后、授星前才能登记纸质公示")
        notice = PaperNotice(
            assessment=a, posted_on=posted_on, recorded_by=actor if getattr(actor, "is_authenticated", False) else None
        )
        notice.fill_from(checked)
        notice.original_name = (
            f"纸质公示-{a.village.name}-{posted_on.isoformat()}.{(checked.content.name or 'x.jpg').rsplit('.', 1)[-1]}"
        )
        notice.save()
        audit.record(
            actor=actor,
            action="assessment.paper_notice",
            obj=a,
            after={"posted_on": posted_on, "sha256": checked.sha256},
        )
    return notice


# --- objections -------------------------------------------------------------------------------------


def do_file_objection(
    assessment: Assessment, *, content: str, contact: str, name: str = "", today: dt.date | None = None
) -> Objection:
    """Receive an objection from the public notice page; it pauses the village's award."""
    today = today or timezone.localdate()
    content, contact, name = content.strip(), contact.strip(), name.strip()
    if not content:
        raise ActionError("请填写异议内容", "content")
    if len(content) > MAX_TEXT:
        raise ActionError(f"异议内容不能超过 {MAX_TEXT} 字", "content")
    if not contact:
        raise ActionError("请留下联系方式，便于核实和反馈", "contact")
    if len(contact) > 100 or len(name) > 50:
        raise ActionError("联系方式或姓名过长", "contact")
    with transaction.atomic(durable=True):
        a = (
            Assessment.objects.unscoped("re-read of an object fetched through access()")
            .select_for_update()
            .select_related("village", "criteria_set")
            .get(pk=assessment.pk)
        )
        if not queries.accepts_objections(a, today):
            raise ActionError("该村不在公示期内，不能提出异议")
        # The notice page receives objections on the county's behalf; the workflow records the receipt.
        wf.transition(a.state_enum, wf.Action.OBJECTION_OPENED, role=Role.COUNTY_ADMIN, settings=queries.settings_of(a))
        objection = Objection.objects.create(assessment=a, content=content, contact=contact, name=name)
        _step(a, SYSTEM, wf.Action.OBJECTION_OPENED.value, a.state, reason="公示期间收到异议")
        # Who objected and what he wrote stay in the scoped objection record, not in the permanent audit chain.
        audit.record(
            actor=SYSTEM,
            action="objection.file",
            obj=objection,
            unit=a.village,
            object_repr=str(objection),
            after={"assessment": a.pk, "status": objection.status},
        )
        notify.objection_filed(a)
    return objection


def do_decide_objection(actor: Any, objection: Objection, *, upheld: bool, decision: str) -> Objection:
    """Record the county's decision: upheld sends the assessment back, dismissed lets the award go on."""
    decision = decision.strip()
    if not decision:
        raise ActionError("请填写处理意见", "decision")
    if len(decision) > MAX_TEXT:
        raise ActionError(f"处理意见不能超过 {MAX_TEXT} 字", "decision")
    assessment = objection.assessment
    _check(actor, assessment.village, Action.APPROVE)
    if not queries.workflow_roles(actor, assessment.village) & wf.COUNTY_ROLES:
        raise ActionError("您的角色无权执行此操作")
    with transaction.atomic(durable=True):
        o = (
            Objection.objects.unscoped("re-read of an object fetched through access()")
            .select_for_update()
            .get(pk=objection.pk)
        )
        if o.status != ObjectionStatus.OPEN:
            raise ActionError("该异议已处理")
        a = (
            Assessment.objects.unscoped("re-read of an object fetched through access()")
            .select_for_update()
            .select_related("village", "criteria_set")
            .get(pk=assessment.pk)
        )
        open_count = (
            a.objections.unscoped("re-read of an object fetched through access()")
            .filter(status=ObjectionStatus.OPEN)
            .count()
        )
        o.status = ObjectionStatus.UPHELD if upheld else ObjectionStatus.DISMISSED
        o.decision, o.decided_by, o.decided_at = decision, actor, timezone.now()
        o.save()
        audit.record(
            actor=actor,
            action="objection.decide",
            obj=o,
            unit=a.village,
            before={"status": ObjectionStatus.OPEN.value},
            after={"status": o.status, "decision": decision},
        )
        if upheld:
            _transition(
                actor,
                a,
                wf.Action.SEND_BACK,
                reason=f"异议成立：{decision}"[:MAX_TEXT],
                publicity_start=None,
                publicity_days=None,
                today=timezone.localdate(),
            )
        else:
            role = queries.role_for(actor, a, wf.Action.OBJECTION_RESOLVED)
            try:
                wf.transition(
                    a.state_enum,
                    wf.Action.OBJECTION_RESOLVED,
                    role=role,
                    settings=queries.settings_of(a),
                    open_objections=open_count,
                )
            except wf.TransitionError as exc:
                raise ActionError(exc.message) from None
            _step(a, actor, wf.Action.OBJECTION_RESOLVED.value, a.state, role, f"异议不成立：{decision}")
    return o


# --- awarded stars afterwards -----------------------------------------------------------------------


def do_change_star(
    actor: Any, award: StarAward, action: wf.StarAction | str, *, reason: str, upload: Any
) -> StarChange:
    """Warn, suspend, remove (摘星) or reinstate an awarded star, with reason and evidence; published on the notice."""
    with transaction.atomic(durable=True):
        return change_star(actor, award, action, reason=reason, upload=upload)


def change_star(actor: Any, award: StarAward, action: wf.StarAction | str, *, reason: str, upload: Any) -> StarChange:
    """Building block of `do_change_star` for an app that changes a star as part of its own step (a star warning
    turned into 警示/暂停/摘星): the same checks, step, evidence and audit row, inside the caller's durable
    transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("assessments.actions.change_star() runs inside the calling do_*'s transaction")
    try:
        action = wf.StarAction(action)
    except ValueError:
        raise ActionError("未知的操作") from None
    _check(actor, award.village, Action.APPROVE)
    reason = (reason or "").strip()
    if len(reason) > MAX_TEXT:
        raise ActionError(f"理由不能超过 {MAX_TEXT} 字", "reason")
    roles = queries.workflow_roles(actor, award.village)
    role = next(iter(sorted(roles & wf.COUNTY_ROLES)), next(iter(sorted(roles)), ""))
    try:
        target = wf.change_star_status(wf.StarStatus(award.status), action, role=role, reason=reason)
    except wf.TransitionError as exc:
        raise ActionError(exc.message, "reason" if "理由" in exc.message else None) from None
    if upload is None:
        raise ActionError(f"{action.label}须上传佐证材料", "file")
    checked = check_upload(upload)
    a = StarAward.objects.unscoped("re-read of an object fetched through access()").select_for_update().get(pk=award.pk)
    if a.status != award.status:
        raise ActionError("该星的状态已被他人修改，请刷新后重试")
    change = record_step(
        StarChange,
        award=a,
        actor=actor,
        role=role,
        action=action,
        from_state=a.status,
        to_state=target.value,
        reason=reason,
    )
    file = StarChangeEvidence(change=change)
    file.fill_from(checked)
    file.save()
    before = a.status
    a.status = target.value
    a.save(update_fields=["status"])
    publication.publish_star_change(actor, change, a)
    audit.record(
        actor=actor,
        action=f"star.{action.value}",
        obj=a,
        unit=a.village,
        before={"status": before},
        after={"status": a.status, "reason": reason, "evidence": file.sha256},
    )
    return change


def do_rescore_year(
    actor: Any, year: int, unit: Unit | None = None, *, progress: scores.Progress | None = None
) -> scores.Summary:
    """Recompute the cached scores of every assessment of `year` (under `unit`) in one pass; one audit row.

    `progress(done, total)`, when given, hears how far the run is (a background job's progress bar)."""
    if unit is not None:
        _check(actor, unit, Action.APPROVE)
    elif not is_system(actor):
        raise ActionError("只有系统任务可以重新计算全部单位的得分")
    items = (
        Assessment.objects.unscoped("a rescore covers the year (narrowed to the unit when given)")
        .filter(year=year)
        .only("id", "criteria_set", "year", *scores.SCORE_FIELDS)
    )
    if unit is not None:
        items = items.within(unit)
    with transaction.atomic(durable=True):
        summary = scores.rescore(items, year, progress=progress)
        audit.record(
            actor=actor,
            action="assessment.rescore",
            unit=unit,
            object_type="assessments.assessment",
            object_id=str(year),
            object_repr=f"{year}年度重新计分",
            after={"villages": summary.villages, "by_count": dict(summary.by_count), "passes": dict(summary.passes)},
        )
    return summary
