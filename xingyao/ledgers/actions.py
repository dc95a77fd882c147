"""Every change to the rectification ledgers: durable, audited, refused in Chinese with nothing written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone

from xingyao.core import audit, workdays
from xingyao.core.actors import is_system, person
from xingyao.core.actors import require_actor as _require_actor
from xingyao.core.errors import ActionError
from xingyao.core.history import record_step
from xingyao.core.roles import Action
from xingyao.core.scoping import covers
from xingyao.core.uploads import check_image
from xingyao.core.validators import clean_text
from xingyao.core.workflow import TransitionError
from xingyao.ledgers import notify
from xingyao.ledgers.models import Acceptance, Designation, FollowUp, Item, ItemStep, Progress, ProgressPhoto
from xingyao.ledgers.queries import access_designation, access_item, of_the_village, village_roles
from xingyao.ledgers.workflow import (
    MAX_DAYS,
    WORKFLOW,
    Criterion,
    DesignationState,
    Facts,
    Method,
    Move,
    Source,
    State,
    next_follow_up,
    passes,
    split_gaps,
)
from xingyao.places.codes import Kind as UnitKind

MAX_PHOTOS = 9
MAX_VOTERS = 10000  # those asked in a hearing or rating: a village's residents at most
EARLIEST = dt.date(2000, 1, 1)
AHEAD = dt.timedelta(days=366)  # an item may be planned to start up to a year ahead
ITEM_FIELDS = ["state", "start_on", "days", "due_on", "rounds"]
DESIGNATION_FIELDS = ["year", "criteria", "decided_on", "decided_by", "state"]


def _may(actor: Any, action: str, village: Any) -> bool:
    return is_system(actor) or covers(actor, action, village.prefix)


def _village(actor: Any, village: Any, action: str, what: str) -> Any:
    if village is None or getattr(village, "kind", None) != UnitKind.VILLAGE:
        raise ActionError("请选择村（社区）", "village")
    if not _may(actor, action, village):
        raise ActionError(f"{village.name}不在您的管辖范围内，不能{what}", "village")
    return village


def _day(value: Any, label: str, field: str, *, latest: dt.date | None = None) -> dt.date:
    if not isinstance(value, dt.date):
        raise ActionError(f"请填写{label}", field)
    latest = latest or timezone.localdate()
    if value > latest:
        too_late = "不能晚于今天" if latest == timezone.localdate() else f"不能晚于 {latest:%Y-%m-%d}"
        raise ActionError(f"{label}{too_late}", field)
    if value < EARLIEST:
        raise ActionError(f"{label}不能早于 2000 年", field)
    return value


def _int(value: Any, label: str, field: str, low: int, high: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise ActionError(f"{label}应为 {low} 到 {high} 之间的整数", field)
    return value


def _days(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value < 1:
        raise ActionError("完成时限不能早于开始日期：请填写至少 1 个工作日", "days")
    return _int(value, "整改时限（工作日）", "days", 1, MAX_DAYS)


def _due(village: Any, start: dt.date, days: int) -> dt.date:
    """The due date: the `days`-th working day after the start, by the village's calendar."""
    return workdays.deadline_for(village, dt.datetime.combine(start, dt.time()), days).date()


def _move(actor: Any, item: Item, move: Move, facts: Facts | None = None) -> tuple[State, Any]:
    """Check the move against the stored state and the actor's roles over the village; (new state, role)."""
    try:
        role = WORKFLOW.check_any(State(item.state), move, village_roles(actor, item.village), facts)
    except TransitionError as exc:
        raise ActionError(exc.message) from None
    return WORKFLOW.target(State(item.state), move), role


def _locked_item(actor: Any, item_id: int, action: str) -> Item:
    return access_item(actor, item_id, action, Item.objects.select_for_update().select_related("village"))


def do_designate(
    actor: Any,
    *,
    village: Any,
    year: Any,
    criteria: Sequence[str],
    decided_on: Any,
    decided_by: str,
    county_leader: str,
    town_leader: str,
    first_secretary: str,
    twinned_unit: str,
    other_reason: str = "",
) -> Designation:
    """List a village branch as weak (软弱涣散) for a year, with the criteria it hit and its “四个一” pairing."""
    _require_actor(actor)
    village = _village(actor, village, Action.MANAGE, "确定它为软弱涣散村党组织")
    year = _int(year, "年度", "year", 2000, timezone.localdate().year + 1)
    chosen = []
    for code in criteria:
        found = Criterion.lookup(code)
        if found is None:
            raise ActionError("排查情形不在清单中", "criteria")
        if found not in chosen:
            chosen.append(found)
    if not chosen:
        raise ActionError("请至少选择一项排查情形", "criteria")
    other = clean_text(other_reason, "其他情形说明", "other_reason", limit=200, required=Criterion.OTHER in chosen)
    decided_on = _day(decided_on, "确定日期", "decided_on")
    if decided_on.year not in (year - 1, year):
        raise ActionError(f"确定日期应在 {year - 1} 年或 {year} 年内", "decided_on")
    decided_by = clean_text(decided_by, "确定单位", "decided_by", limit=50)
    pairing = {
        "county_leader": clean_text(county_leader, "联系县领导", "county_leader", limit=50),
        "town_leader": clean_text(town_leader, "包村乡镇领导", "town_leader", limit=50),
        "first_secretary": clean_text(first_secretary, "驻村第一书记", "first_secretary", limit=50),
        "twinned_unit": clean_text(twinned_unit, "结对帮扶单位", "twinned_unit", limit=100),
    }
    with transaction.atomic(durable=True):
        taken = Designation.objects.unscoped("one designation per village and year, whoever can see it")
        if taken.filter(village=village, year=year).exists():
            raise ActionError(f"{village.name}已列为{year}年软弱涣散村党组织", "year")
        try:
            with transaction.atomic():  # a simultaneous designation of the same village and year loses here
                designation = Designation.objects.create(
                    village=village,
                    year=year,
                    criteria=[c.value for c in chosen],
                    other_reason=other,
                    decided_on=decided_on,
                    decided_by=decided_by,
                    recorded_by=person(actor),
                    **pairing,
                )
        except IntegrityError:
            raise ActionError(f"{village.name}已列为{year}年软弱涣散村党组织", "year") from None
        after = audit.snapshot(designation, DESIGNATION_FIELDS) | pairing
        audit.record(actor=actor, action="designation.create", obj=designation, unit=village, after=after)
    return designation


def do_open_item(
    actor: Any,
    *,
    village: Any,
    source: str,
    problem: str,
    target: str,
    measure: str,
    steps: str,
    responsible: str,
    start_on: Any,
    days: Any,
    designation: Designation | None = None,
) -> Item:
    """Put a problem on a village's ledger with its “三精准” and “三明确”; the due date is counted in working days."""
    with transaction.atomic(durable=True):
        return open_item(
            actor,
            village=village,
            source=source,
            problem=problem,
            target=target,
            measure=measure,
            steps=steps,
            responsible=responsible,
            start_on=start_on,
            days=days,
            designation=designation,
        )


def open_item(
    actor: Any,
    *,
    village: Any,
    source: str,
    problem: str,
    target: str,
    measure: str,
    steps: str,
    responsible: str,
    start_on: Any,
    days: Any,
    designation: Designation | None = None,
    origin: Any = None,
    origin_label: str = "",
) -> Item:
    """Building block of `do_open_item` for the apps that raise problems (an inspection's findings, a star warning,
    an enterprise request): the same checks, step and audit row, inside the caller's durable transaction. `origin` is
    the record the problem was found on (the item links to it), `origin_label` how lists name it."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError(
            "ledgers.actions.open_item() runs inside the calling do_*'s transaction.atomic(durable=True)"
        )
    _require_actor(actor)
    village = _village(actor, village, Action.MANAGE, "为它登记整改事项")
    found = Source.lookup(source)
    if found is None:
        raise ActionError("请选择事项来源", "source")
    if designation is not None:
        if designation.village_id != village.pk:
            raise ActionError("软弱涣散整顿须是本村的", "designation")
        found = Source.WEAK_BRANCH
    if (origin is None) != (not origin_label):
        raise TypeError("open_item() takes origin and origin_label together")
    start_on = _day(start_on, "开始日期", "start_on", latest=timezone.localdate() + AHEAD)
    days = _days(days)
    text = {
        "problem": clean_text(problem, "问题", "problem", limit=200),
        "target": clean_text(target, "目标", "target", limit=200),
        "measure": clean_text(measure, "措施", "measure", limit=2000, lines=True),
        "steps": clean_text(steps, "步骤", "steps", limit=2000, lines=True),
        "responsible": clean_text(responsible, "责任人", "responsible", limit=50),
    }
    if designation is None and found is Source.WEAK_BRANCH:  # the village's rectification under way, if any
        designation = (
            Designation.objects.unscoped("the village's scope was checked above")
            .filter(village=village, state=DesignationState.OPEN)
            .order_by("-year")
            .first()
        )
    if designation is not None:
        designation = access_designation(actor, designation.pk, Action.MANAGE, Designation.objects.select_for_update())
        if designation.state != DesignationState.OPEN:
            raise ActionError("这次软弱涣散整顿已销号，不能再添加事项", "designation")
    item = Item.objects.create(
        village=village,
        designation=designation,
        source=found,
        start_on=start_on,
        days=days,
        due_on=_due(village, start_on, days),
        created_by=person(actor),
        origin=origin,
        origin_label=origin_label[:100],
        **text,
    )
    record_step(ItemStep, item=item, actor=actor, action="open", label="登记", to_state=State.OPEN,
                data={"due_on": item.due_on.isoformat()})  # fmt: skip
    after = audit.snapshot(item, ["source", "problem", *ITEM_FIELDS])
    if origin_label:
        after["origin"] = item.origin_label
    audit.record(actor=actor, action="ledger_item.open", obj=item, unit=village, after=after)
    return item


def do_record_progress(actor: Any, item_id: int, *, acted_on: Any, note: str, photos: Sequence[Any] = ()) -> Progress:
    """Record what was done on an item on the day it was done, with photos as evidence."""
    _require_actor(actor)
    if len(photos) > MAX_PHOTOS:
        raise ActionError(f"一次最多上传 {MAX_PHOTOS} 张照片", "photos")
    acted_on = _day(acted_on, "完成日期", "acted_on")
    note = clean_text(note, "进展情况", "note", limit=2000, lines=True)
    with transaction.atomic(durable=True):
        item = _locked_item(actor, item_id, Action.CHANGE)
        if item.state != State.OPEN:
            raise ActionError(f"这项整改{item.state_label}，不能再登记进度", "note")
        if acted_on < item.start_on:
            raise ActionError(f"完成日期不能早于开始日期（{item.start_on:%Y-%m-%d}）", "acted_on")
        progress = Progress.objects.create(item=item, acted_on=acted_on, note=note, recorded_by=person(actor))
        stored = []
        for upload in photos:
            checked = check_image(upload, getattr(upload, "name", "") or "photo")
            photo = ProgressPhoto(progress=progress, uploaded_by=person(actor))
            photo.fill_from(checked)
            photo.save()
            stored.append(photo.original_name)
        audit.record(
            actor=actor,
            action="ledger_item.progress",
            obj=item,
            unit=item.village,
            after={"acted_on": acted_on.isoformat(), "note": note, "photos": stored},
        )
    return progress


def _workers(item: Item) -> set[int]:
    """Accounts that worked the item: recorded its progress, or asked for its acceptance."""
    recorders = Progress.objects.unscoped("the item was fetched through access()").filter(item=item)
    submitters = ItemStep.objects.unscoped("the item was fetched through access()").filter(
        item=item, action=Move.SUBMIT
    )
    ids = set(recorders.values_list("recorded_by_id", flat=True)) | set(submitters.values_list("actor_id", flat=True))
    return {pk for pk in ids if pk is not None}


def work_item(actor: Any, item_id: int, *, acted_on: dt.date, note: str, submit: bool = False) -> Item | None:
    """Building block for the apps whose own record carries the work of an item they opened (an enterprise
    request's hand-over, answer and solving): a progress entry on the item for each step, and, with `submit`, the
    item asked for acceptance (提请验收) — so it leaves the overdue lists, and someone who did not work it still
    accepts and closes it (four eyes). Runs inside the caller's durable transaction; an item that is no longer
    being worked (submitted, accepted, closed by hand meanwhile) is left as it is (None)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError(
            "ledgers.actions.work_item() runs inside the calling do_*'s transaction.atomic(durable=True)"
        )
    _require_actor(actor)
    item = _locked_item(actor, item_id, Action.CHANGE)
    if item.state != State.OPEN:
        return None
    note = clean_text(note, "进展情况", "note", limit=2000, lines=True)
    Progress.objects.create(item=item, acted_on=max(acted_on, item.start_on), note=note, recorded_by=person(actor))
    audit.record(actor=actor, action="ledger_item.progress", obj=item, unit=item.village,
                 after={"acted_on": acted_on.isoformat(), "note": note, "photos": []})  # fmt: skip
    if submit:
        new, role = _move(actor, item, Move.SUBMIT)
        _change(actor, item, Move.SUBMIT, new, role, reason=note[:500])
        notify.acceptance_waiting(item, _workers(item))
    return item


def do_submit(actor: Any, item_id: int, *, reason: str = "") -> Item:
    """The village asks for acceptance once the work is done (提请验收)."""
    _require_actor(actor)
    reason = clean_text(reason, "说明", "reason", limit=500, required=False)
    with transaction.atomic(durable=True):
        item = _locked_item(actor, item_id, Action.CHANGE)
        new, role = _move(actor, item, Move.SUBMIT)
        if not Progress.objects.unscoped("the item was fetched through access()").filter(item=item).exists():
            raise ActionError("还没有登记整改进度，不能提请验收")
        _change(actor, item, Move.SUBMIT, new, role, reason=reason)
        notify.acceptance_waiting(item, _workers(item))
    return item


def _change(
    actor: Any, item: Item, move: Move, new: State, role: Any, *, reason: str = "", data: Any = None, **fields: Any
) -> None:
    before = audit.snapshot(item, ITEM_FIELDS)
    old = item.state
    item.state = new
    for name, value in fields.items():
        setattr(item, name, value)
    item.save(update_fields=["state", *fields])
    record_step(
        ItemStep, item=item, actor=actor, action=move, role=role, from_state=old, to_state=new, reason=reason,
        data=data or {},
    )  # fmt: skip
    audit.record(
        actor=actor,
        action=f"ledger_item.{move.value}",
        obj=item,
        unit=item.village,
        before=before,
        after=audit.snapshot(item, ITEM_FIELDS) | (data or {}),
    )


def do_accept(
    actor: Any,
    item_id: int,
    *,
    method: str,
    score: Any,
    accepted_on: Any,
    panel: str,
    satisfied: Any = 0,
    dissatisfied: Any = 0,
    note: str = "",
) -> Acceptance:
    """Accept an item by a hearing, a democratic rating or a site check (four eyes: not by anyone who worked it,
    nor by anyone holding a role on the village): a score of 70 passes unless more than half are dissatisfied."""
    _require_actor(actor)
    found = Method.lookup(method)
    if found is None:
        raise ActionError("请选择验收方式（听证、民主评议或实地查看）", "method")
    score = _int(score, "验收得分", "score", 0, 100)
    satisfied = _int(satisfied, "满意人数", "satisfied", 0, MAX_VOTERS)
    dissatisfied = _int(dissatisfied, "不满意人数", "dissatisfied", 0, MAX_VOTERS)
    if found is Method.RATING and satisfied + dissatisfied == 0:
        raise ActionError("民主评议请填写满意和不满意的人数", "satisfied")
    accepted_on = _day(accepted_on, "验收日期", "accepted_on")
    panel = clean_text(panel, "验收人员", "panel", limit=100)
    note = clean_text(note, "验收意见", "note", limit=2000, required=False, lines=True)
    passed = passes(score, satisfied, dissatisfied)
    move = Move.PASS if passed else Move.FAIL
    with transaction.atomic(durable=True):
        item = _locked_item(actor, item_id, Action.REVIEW)
        me = getattr(person(actor), "pk", None)
        facts = Facts(
            worked_on_it=me is not None and me in _workers(item), of_the_village=of_the_village(actor, item.village)
        )
        new, role = _move(actor, item, move, facts)
        if accepted_on < item.start_on:
            raise ActionError(f"验收日期不能早于开始日期（{item.start_on:%Y-%m-%d}）", "accepted_on")
        acceptance = Acceptance.objects.create(
            item=item,
            method=found,
            score=score,
            satisfied=satisfied,
            dissatisfied=dissatisfied,
            passed=passed,
            accepted_on=accepted_on,
            panel=panel,
            note=note,
            accepted_by=person(actor),
        )
        data = {"method": found.value, "score": score, "satisfied": satisfied, "dissatisfied": dissatisfied}
        _change(actor, item, move, new, role, reason=note, data=data)
    return acceptance


def do_reopen(actor: Any, item_id: int, *, start_on: Any, days: Any, reason: str = "") -> Item:
    """After a failed acceptance the item is worked again, with a new deadline (重新整改)."""
    _require_actor(actor)
    start_on = _day(start_on, "重新整改开始日期", "start_on", latest=timezone.localdate() + AHEAD)
    days = _days(days)
    reason = clean_text(reason, "说明", "reason", limit=500, required=False)
    with transaction.atomic(durable=True):
        item = _locked_item(actor, item_id, Action.MANAGE)
        new, role = _move(actor, item, Move.REOPEN)
        due = _due(item.village, start_on, days)
        if start_on < item.start_on:
            raise ActionError(f"重新整改的开始日期不能早于原开始日期（{item.start_on:%Y-%m-%d}）", "start_on")
        _change(actor, item, Move.REOPEN, new, role, reason=reason, data={"new_due_on": due.isoformat()},
                start_on=start_on, days=days, due_on=due, rounds=item.rounds + 1)  # fmt: skip
    return item


def do_close_item(actor: Any, item_id: int, *, on: Any = None) -> Item:
    """Close (销号) an item that passed its acceptance."""
    _require_actor(actor)
    closed_on = _day(on or timezone.localdate(), "销号日期", "on")
    with transaction.atomic(durable=True):
        item = _locked_item(actor, item_id, Action.MANAGE)
        new, role = _move(actor, item, Move.CLOSE)
        accepted = (
            Acceptance.objects.unscoped("the item was fetched through access()")
            .filter(item=item, passed=True)
            .order_by("-accepted_on")
            .values_list("accepted_on", flat=True)
            .first()
        )
        if accepted and closed_on < accepted:
            raise ActionError(f"销号日期不能早于验收通过的日期（{accepted:%Y-%m-%d}）", "on")
        _change(actor, item, Move.CLOSE, new, role, closed_on=closed_on, next_follow_up=next_follow_up(closed_on, None))
    return item


def do_close_designation(actor: Any, designation_id: int, *, on: Any = None) -> Designation:
    """Close the whole rectification (整顿销号): only once every one of its items is closed."""
    _require_actor(actor)
    closed_on = _day(on or timezone.localdate(), "整顿销号日期", "on")
    with transaction.atomic(durable=True):
        designation = access_designation(
            actor, designation_id, Action.MANAGE, Designation.objects.select_for_update().select_related("village")
        )
        if designation.state != DesignationState.OPEN:
            raise ActionError("这次软弱涣散整顿已销号")
        items = Item.objects.unscoped("the designation was fetched through access()").filter(designation=designation)
        if not items.exists():
            raise ActionError("还没有整改事项，不能整顿销号")
        open_count = items.exclude(state=State.CLOSED).count()
        if open_count:
            raise ActionError(f"还有 {open_count} 项整改未销号，不能整顿销号")
        last = items.order_by("-closed_on").values_list("closed_on", flat=True).first()
        if last and closed_on < last:
            raise ActionError(f"整顿销号日期不能早于最后一项整改的销号日期（{last:%Y-%m-%d}）", "on")
        before = audit.snapshot(designation, ["state"])
        designation.state, designation.closed_on = DesignationState.CLOSED, closed_on
        designation.save(update_fields=["state", "closed_on"])
        audit.record(
            actor=actor,
            action="designation.close",
            obj=designation,
            unit=designation.village,
            before=before,
            after=audit.snapshot(designation, ["state", "closed_on"]),
        )
    return designation


def do_follow_up(
    actor: Any,
    item_id: int,
    *,
    visited_on: Any,
    visitors: str,
    finding: str,
    recurred: bool = False,
    reopen: bool = False,
    days: Any = None,
) -> FollowUp:
    """A visit to a closed item in the year after its closure (一年回访). If the problem came back, the town may
    open a new item from the visit in the same step, linked to it."""
    _require_actor(actor)
    visited_on = _day(visited_on, "回访日期", "visited_on")
    visitors = clean_text(visitors, "回访人员", "visitors", limit=100)
    finding = clean_text(finding, "回访情况", "finding", limit=2000, lines=True)
    if reopen and not recurred:
        raise ActionError("问题没有反弹，不需要登记新的整改事项", "reopen")
    if reopen:
        days = _days(days)
    with transaction.atomic(durable=True):
        item = _locked_item(actor, item_id, Action.CHANGE)
        if item.state != State.CLOSED or item.closed_on is None:
            raise ActionError("这项整改尚未销号，销号后再回访", "visited_on")
        if visited_on < item.closed_on:
            raise ActionError(f"回访日期不能早于销号日期（{item.closed_on:%Y-%m-%d}）", "visited_on")
        if reopen and not _may(actor, Action.MANAGE, item.village):
            raise ActionError("问题反弹的，请由乡镇据此登记新的整改事项", "reopen")
        follow = FollowUp.objects.create(
            item=item, visited_on=visited_on, visitors=visitors, finding=finding, recurred=recurred,
            recorded_by=person(actor),
        )  # fmt: skip
        if reopen:
            follow.reopened_as = open_item(
                actor,
                village=item.village,
                source=item.source,
                problem=f"问题反弹：{item.problem}"[:200],
                target=item.target,
                measure=item.measure,
                steps=item.steps,
                responsible=item.responsible,
                start_on=visited_on,
                days=days,
                origin=follow,
                origin_label=f"{visited_on:%Y-%m-%d} 回访发现问题反弹",
            )
            follow.save(update_fields=["reopened_as"])
        last = (
            FollowUp.objects.unscoped("the item was fetched through access()")
            .filter(item=item)
            .order_by("-visited_on")
            .values_list("visited_on", flat=True)
            .first()
        )
        before = audit.snapshot(item, ["next_follow_up"])
        item.next_follow_up = next_follow_up(item.closed_on, last)
        item.save(update_fields=["next_follow_up"])
        after = audit.snapshot(item, ["next_follow_up"]) | {
            "visited_on": visited_on.isoformat(),
            "recurred": recurred,
            "new_item": follow.reopened_as_id,
        }
        audit.record(actor=actor, action="ledger_item.follow_up", obj=item, unit=item.village, before=before,
                     after=after)  # fmt: skip
    return follow


def do_gaps_to_items(
    actor: Any,
    plan: Any,
    *,
    star_name: str,
    gaps: Sequence[Any],
    measure: str,
    steps: str,
    responsible: str,
    start_on: Any,
    days: Any,
) -> list[Item]:
    """The town turns the chosen gaps of a village's star plan (一星一案) into ledger items in one step, each linked
    to the plan; a gap already on the ledger from this plan is refused."""
    _require_actor(actor)
    offered = split_gaps(plan.gaps)
    chosen: list[str] = []
    for raw in gaps:
        index = int(raw) if isinstance(raw, int) or (isinstance(raw, str) and raw.isdigit()) else -1
        if not 0 <= index < len(offered):
            raise ActionError("所选短板不在创星计划中", "gaps")
        if offered[index] not in chosen:
            chosen.append(offered[index])
    if not chosen:
        raise ActionError("请至少选择一项短板", "gaps")
    label = f"{plan.year}年{star_name or plan.star_code}创星计划"[:100]
    with transaction.atomic(durable=True):
        taken = set(
            Item.objects.unscoped("the items already opened from this plan, whoever can see them")
            .filter(origin_type=ContentType.objects.get_for_model(plan), origin_id=plan.pk)
            .values_list("problem", flat=True)
        )
        if repeated := [g for g in chosen if g in taken]:
            raise ActionError(f"“{repeated[0]}”已转为整改事项", "gaps")
        return [
            open_item(
                actor,
                village=plan.village,
                source=Source.STAR_GAP,
                problem=gap,
                target=f"补齐短板，达到“{star_name or plan.star_code}”创建标准"[:200],
                measure=measure,
                steps=steps,
                responsible=responsible,
                start_on=start_on,
                days=days,
                origin=plan,
                origin_label=label,
            )
            for gap in chosen
        ]
