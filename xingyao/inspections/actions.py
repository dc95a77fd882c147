"""Every change to inspections: durable, audited, refused in Chinese with nothing written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import IO, Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from xingyao.core import audit
from xingyao.core.actors import is_system, person, require_actor
from xingyao.core.errors import ActionError
from xingyao.core.history import record_step
from xingyao.core.roles import Action
from xingyao.core.scoping import covers, roles_over
from xingyao.core.sheets import CellError, ImportFailed, read_table
from xingyao.core.validators import clean_text
from xingyao.core.workflow import TransitionError
from xingyao.inspections.models import Problem, Round, RoundStep, Score, ScoreSheet, SheetItem, Visit
from xingyao.inspections.queries import access_round, access_visit, sheet_for, sheet_items
from xingyao.inspections.workflow import (
    DEFAULT_SHEET,
    MAX_ITEM_POINTS,
    WORKFLOW,
    Facts,
    Move,
    Star,
    State,
    points,
    star_scores,
)
from xingyao.ledgers.actions import open_item
from xingyao.ledgers.queries import of_the_village
from xingyao.ledgers.workflow import Source
from xingyao.places.codes import Kind as UnitKind

MAX_ROUTE = 60  # villages on one round's route: a town has a few dozen
MAX_PROBLEMS = 20  # problems pointed out at one village
MAX_ROUND_DAYS = 31  # a round's team is out at most a month
EARLIEST_YEAR = 2000
ROUND_FIELDS = ["state", "year", "quarter", "starts_on", "ends_on"]


def _int(value: Any, label: str, field: str, low: int, high: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise ActionError(f"{label}应为 {low} 到 {high} 之间的整数", field)
    return value


def _day(value: Any, label: str, field: str) -> dt.date:
    if not isinstance(value, dt.date):
        raise ActionError(f"请填写{label}", field)
    if value.year < EARLIEST_YEAR:
        raise ActionError(f"{label}不能早于 {EARLIEST_YEAR} 年", field)
    return value


def _may(actor: Any, action: str, unit: Any) -> bool:
    return is_system(actor) or covers(actor, action, unit.prefix)


def _move(actor: Any, rnd: Round, move: Move, facts: Facts | None = None) -> tuple[State, Any]:
    """Check the move against the stored state and the actor's roles over the round's organiser; (new state, role)."""
    try:
        role = WORKFLOW.check_any(State(rnd.state), move, roles_over(actor, rnd.unit.prefix), facts)
    except TransitionError as exc:
        raise ActionError(exc.message) from None
    return WORKFLOW.target(State(rnd.state), move), role


# --- score sheets -------------------------------------------------------------------------------------------


def do_create_sheet(
    actor: Any,
    *,
    county: Any,
    year: Any,
    name: str = "",
    items: Sequence[tuple[str, str, Any]] = tuple(DEFAULT_SHEET),
) -> ScoreSheet:
    """The county's score sheet for a year: (star, item, max points) lines, by default the county's usual sheet."""
    require_actor(actor)
    if county is None or getattr(county, "kind", None) != UnitKind.COUNTY:
        raise ActionError("观摩评分表由县制定，请选择县", "county")
    if not _may(actor, Action.ADMIN, county):
        raise ActionError(f"您不是{county.name}的管理员，不能制定观摩评分表", "county")
    year = _int(year, "年度", "year", EARLIEST_YEAR, timezone.localdate().year + 1)
    name = clean_text(name or f"{year}年{county.name}“五星”支部创建观摩评分表", "名称", "name", limit=100)
    lines = []
    seen = set()
    for star, item_name, top in items:
        found = Star.lookup(star)
        if found is None:
            raise ActionError("评分项目的星不在“五星”之中", "items")
        item_name = clean_text(item_name, "评分项目", "items", limit=50)
        if item_name in seen:
            raise ActionError(f"评分项目「{item_name}」重复", "items")
        seen.add(item_name)
        lines.append((found, item_name, _int(top, f"「{item_name}」的满分", "items", 1, MAX_ITEM_POINTS)))
    if not lines:
        raise ActionError("评分表至少要有一个评分项目", "items")
    with transaction.atomic(durable=True):
        taken = ScoreSheet.objects.unscoped("one sheet per county and year, whoever can see it")
        if taken.filter(county=county, year=year).exists():
            raise ActionError(f"{county.name}{year}年的观摩评分表已制定", "year")
        try:
            with transaction.atomic():
                sheet = ScoreSheet.objects.create(county=county, year=year, name=name, created_by=person(actor))
        except IntegrityError:
            raise ActionError(f"{county.name}{year}年的观摩评分表已制定", "year") from None
        SheetItem.objects.bulk_create(
            SheetItem(sheet=sheet, star=star, name=item_name, max_points=top, order=n)
            for n, (star, item_name, top) in enumerate(lines, start=1)
        )
        after = {"year": year, "name": name, "items": [f"{s.label}·{n}（{t}分）" for s, n, t in lines]}
        audit.record(actor=actor, action="score_sheet.create", obj=sheet, unit=county, after=after)
    return sheet


# --- rounds -------------------------------------------------------------------------------------------------


def do_plan_round(
    actor: Any,
    *,
    unit: Any,
    year: Any,
    quarter: Any,
    route: Sequence[Any],
    starts_on: Any,
    ends_on: Any,
    team: str,
) -> Round:
    """Plan a town's (or the county's) round for a quarter: the route of villages in order, the team, the dates.
    One round per unit and quarter."""
    require_actor(actor)
    if unit is None or getattr(unit, "kind", None) not in (UnitKind.TOWN, UnitKind.COUNTY):
        raise ActionError("观摩由乡镇或县组织，请选择乡镇或县", "unit")
    if not _may(actor, Action.MANAGE, unit):
        raise ActionError(f"{unit.name}不在您的管辖范围内，不能组织它的观摩", "unit")
    year = _int(year, "年度", "year", EARLIEST_YEAR, timezone.localdate().year + 1)
    quarter = _int(quarter, "季度", "quarter", 1, 4)
    starts_on, ends_on = _day(starts_on, "开始日期", "starts_on"), _day(ends_on, "结束日期", "ends_on")
    if starts_on.year != year:
        raise ActionError(f"开始日期应在 {year} 年内", "starts_on")
    if ends_on < starts_on:
        raise ActionError("结束日期不能早于开始日期", "ends_on")
    if (ends_on - starts_on).days >= MAX_ROUND_DAYS:
        raise ActionError(f"一轮观摩不能超过 {MAX_ROUND_DAYS} 天", "ends_on")
    team = clean_text(team, "观摩组成员", "team", limit=1000, lines=True)
    villages = list({v.pk: v for v in route if v is not None}.values())
    if not villages:
        raise ActionError("请选择观摩路线上的村", "route")
    if len(villages) > MAX_ROUTE:
        raise ActionError(f"一轮观摩最多 {MAX_ROUTE} 个村", "route")
    for village in villages:
        if village.kind != UnitKind.VILLAGE:
            raise ActionError(f"{village.name}不是村（社区），不能列入观摩路线", "route")
        if not village.prefix.startswith(unit.prefix) or not _may(actor, Action.VIEW, village):
            raise ActionError(f"{village.name}不在{unit.name}，不能列入它的观摩路线", "route")
    sheet = sheet_for(unit, year)
    if sheet is None:
        raise ActionError(f"本县尚未制定 {year} 年的观摩评分表，请先由县里制定", "year")
    taken = f"{unit.name}{year}年第{quarter}季度已安排观摩，一个季度只组织一次"
    with transaction.atomic(durable=True):
        if (
            Round.objects.unscoped("one round per unit and quarter")
            .filter(unit=unit, year=year, quarter=quarter)
            .exists()
        ):
            raise ActionError(taken, "quarter")
        try:
            with transaction.atomic():  # a simultaneous plan of the same quarter loses here
                rnd = Round.objects.create(
                    unit=unit, sheet=sheet, year=year, quarter=quarter, starts_on=starts_on, ends_on=ends_on,
                    team=team, created_by=person(actor),
                )  # fmt: skip
        except IntegrityError:
            raise ActionError(taken, "quarter") from None
        Visit.objects.bulk_create(Visit(round=rnd, village=v, order=n) for n, v in enumerate(villages, start=1))
        route_names = [v.name for v in villages]
        record_step(RoundStep, round=rnd, actor=actor, action="plan", label="安排观摩", to_state=State.PLANNED,
                    data={"route": route_names})  # fmt: skip
        after = audit.snapshot(rnd, ROUND_FIELDS) | {"route": route_names, "team": team}
        audit.record(actor=actor, action="inspection_round.plan", obj=rnd, unit=unit, after=after)
    return rnd


def _locked_round(actor: Any, round_id: int, action: str) -> Round:
    return access_round(actor, round_id, action, Round.objects.select_for_update().select_related("unit", "sheet"))


def _unscored(rnd: Round) -> int:
    return (
        Visit.objects.unscoped("the round was fetched through access()").filter(round=rnd, total__isnull=True).count()
    )


def do_round_move(actor: Any, round_id: int, move: str, *, reason: str = "") -> Round:
    """Open a round for scoring (开始评分), finish it once every village is scored (结束评分), or reopen it."""
    require_actor(actor)
    try:
        step = WORKFLOW.coerce_action(Move, move)
    except TransitionError as exc:
        raise ActionError(exc.message) from None
    if step is Move.SCORE:
        raise ActionError("评分请在观摩点位上进行")
    reason = clean_text(reason, "说明", "reason", limit=500, required=False)
    with transaction.atomic(durable=True):
        rnd = _locked_round(actor, round_id, Action.MANAGE)
        new, role = _move(actor, rnd, step, Facts(unscored=_unscored(rnd) if step is Move.FINISH else 0))
        before = audit.snapshot(rnd, ["state"])
        rnd.state = new
        rnd.save(update_fields=["state"])
        record_step(RoundStep, round=rnd, actor=actor, action=step, role=role, from_state=before["state"],
                    to_state=new, reason=reason)  # fmt: skip
        audit.record(actor=actor, action=f"inspection_round.{step.value}", obj=rnd, unit=rnd.unit, before=before,
                     after=audit.snapshot(rnd, ["state"]))  # fmt: skip
    return rnd


# --- scoring a visit ----------------------------------------------------------------------------------------


def clean_problems(problems: Iterable[str]) -> list[str]:
    """Problems as listed (one per entry, or several lines in one), trimmed, without blanks or repeats."""
    found: list[str] = []
    for entry in problems:
        for line in str(entry or "").replace("\r", "\n").split("\n"):
            text = clean_text(line.strip().lstrip("0123456789.、)） ").strip(), "问题", "problems", limit=200,
                              required=False)  # fmt: skip
            if text and text not in found:
                found.append(text)
    if len(found) > MAX_PROBLEMS:
        raise ActionError(f"一个村最多列 {MAX_PROBLEMS} 个问题", "problems")
    return found


def score_values(items: Sequence[SheetItem], scores: Mapping[int, Any]) -> dict[int, Decimal]:
    """Every item of the sheet scored, each within 0 and its maximum; ActionError names the first that is not."""
    unknown = set(scores) - {i.pk for i in items}
    if unknown:
        raise ActionError("评分项目不在本轮观摩的评分表中", "scores")
    values = {}
    for item in items:
        try:
            values[item.pk] = points(scores.get(item.pk), item.name, item.max_points)
        except ValueError as exc:
            raise ActionError(str(exc), f"item_{item.pk}") from None
    return values


def _score(
    actor: Any,
    rnd: Round,
    visit: Visit,
    items: Sequence[SheetItem],
    values: Mapping[int, Decimal],
    *,
    visited_on: dt.date,
    praise: str,
    problems: Sequence[str],
    comments: str,
) -> dict[str, Any]:
    """Store a visit's scores, texts and problems (inside the caller's transaction); the audit's `after`."""
    Score.objects.unscoped("the visit was fetched through access()").filter(visit=visit).delete()
    Score.objects.bulk_create(Score(visit=visit, item=i, points=values[i.pk]) for i in items)
    by_star = star_scores((i.star, values[i.pk]) for i in items)
    kept = Problem.objects.unscoped("the visit was fetched through access()").filter(visit=visit)
    turned = [p.text for p in kept.filter(item__isnull=False)]
    kept.filter(item__isnull=True).delete()
    new = [text for text in problems if text not in turned]
    Problem.objects.bulk_create(
        Problem(visit=visit, text=text, order=n) for n, text in enumerate(new, start=len(turned) + 1)
    )
    visit.visited_on, visit.praise, visit.comments = visited_on, praise, comments
    visit.total = sum(values.values(), Decimal(0))
    visit.star_scores = {k: str(v) for k, v in by_star.items()}
    visit.scored_by, visit.scored_at = person(actor), timezone.now()
    visit.save(update_fields=["visited_on", "praise", "comments", "total", "star_scores", "scored_by", "scored_at"])
    return {
        "village": visit.village.name,
        "visited_on": visited_on.isoformat(),
        "total": str(visit.total),
        "scores": {i.name: str(values[i.pk]) for i in items},
        "problems": [*turned, *new],
    }


def _visit_day(rnd: Round, value: Any) -> dt.date:
    day = _day(value, "观摩日期", "visited_on")
    if not rnd.starts_on <= day <= rnd.ends_on:
        raise ActionError(f"观摩日期应在本轮观摩的日期内（{rnd.starts_on:%Y-%m-%d} 至 {rnd.ends_on:%Y-%m-%d}）",
                          "visited_on")  # fmt: skip
    if day > timezone.localdate():
        raise ActionError("观摩日期不能晚于今天", "visited_on")
    return day


def do_score_visit(
    actor: Any,
    visit_id: int,
    *,
    scores: Mapping[int, Any],
    visited_on: Any,
    praise: str = "",
    problems: Sequence[str] = (),
    comments: str = "",
) -> Visit:
    """Score one village of the route, item by item, with praise, problems and comments (点评). Only someone
    holding a town or county role over the round scores, never anyone holding a role on the village itself; a
    visit may be scored again while the round is open for scoring (problems already turned into items stay)."""
    require_actor(actor)
    praise = clean_text(praise, "亮点", "praise", limit=2000, required=False, lines=True)
    comments = clean_text(comments, "点评", "comments", limit=2000, lines=True)
    problem_list = clean_problems(problems)
    with transaction.atomic(durable=True):
        found = access_visit(actor, visit_id, Action.REVIEW, Visit.objects.select_related("village"))
        rnd = _locked_round(actor, found.round_id, Action.VIEW)
        visit = Visit.objects.unscoped("fetched through access() above").select_for_update().get(pk=found.pk)
        visit.village = found.village
        _, role = _move(actor, rnd, Move.SCORE, Facts(of_the_village=of_the_village(actor, visit.village)))
        items = sheet_items(rnd.sheet)
        values = score_values(items, scores)
        day = _visit_day(rnd, visited_on)
        before = {"total": str(visit.total) if visit.total is not None else None}
        after = _score(actor, rnd, visit, items, values, visited_on=day, praise=praise, problems=problem_list,
                       comments=comments)  # fmt: skip
        record_step(RoundStep, round=rnd, actor=actor, action=Move.SCORE, role=role, from_state=rnd.state,
                    to_state=rnd.state, data={"village": visit.village.name, "total": after["total"]})  # fmt: skip
        audit.record(actor=actor, action="inspection_visit.score", obj=visit, unit=visit.village, before=before,
                     after=after)  # fmt: skip
    return visit


# --- problems become ledger items ---------------------------------------------------------------------------


def do_problems_to_items(
    actor: Any,
    visit_id: int,
    *,
    problem_ids: Sequence[int],
    target: str,
    measure: str,
    steps: str,
    responsible: str,
    start_on: Any,
    days: Any,
) -> list[Any]:
    """Turn chosen problems of a scored visit into items on the village's rectification ledger (转为整改事项), in
    one step: each item links back to the visit, each problem to its item."""
    require_actor(actor)
    wanted = sorted({int(pk) for pk in problem_ids})
    if not wanted:
        raise ActionError("请选择要转为整改事项的问题", "problem_ids")
    with transaction.atomic(durable=True):
        visit = access_visit(
            actor, visit_id, Action.MANAGE, Visit.objects.select_related("village", "round", "round__unit")
        )
        if not visit.scored:
            raise ActionError("这个村还没有评分，不能转为整改事项")
        chosen = list(
            Problem.objects.unscoped("the visit was fetched through access()")
            .select_for_update()
            .filter(visit=visit, pk__in=wanted)
            .order_by("order", "id")
        )
        if len(chosen) != len(wanted):
            raise ActionError("所选问题不属于这个观摩点位", "problem_ids")
        done = [p.text for p in chosen if p.item_id]
        if done:
            raise ActionError(f"问题「{done[0]}」已转为整改事项", "problem_ids")
        opened = []
        for problem in chosen:
            item = open_item(
                actor,
                village=visit.village,
                source=Source.INSPECTION,
                problem=problem.text,
                target=target,
                measure=measure,
                steps=steps,
                responsible=responsible,
                start_on=start_on,
                days=days,
                origin=visit,
                origin_label=visit.label,
            )
            problem.item = item
            problem.save(update_fields=["item"])
            opened.append(item)
        audit.record(
            actor=actor,
            action="inspection_visit.to_items",
            obj=visit,
            unit=visit.village,
            after={"problems": [p.text for p in chosen], "items": [i.pk for i in opened]},
        )
    return opened


# --- importing a round's scores (观摩评分表) ---------------------------------------------------------------

VILLAGE, CODE, TOTAL, RANK, PRAISE, PROBLEMS, COMMENTS, DAY = (
    "村（社区）", "村代码", "总分", "名次", "亮点", "问题", "点评", "观摩日期",
)  # fmt: skip
OPTIONAL = ["序号", CODE, TOTAL, RANK, PRAISE, PROBLEMS, DAY]


def _cell_day(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        return None


def do_import_scores(actor: Any, round_id: int, upload: IO[bytes], *, filename: str) -> int:
    """Score a round's villages from its 观摩评分表 (the layout the export gives): one row per village, a column per
    sheet item. Every cell is checked first; on any error nothing is written and each error names its sheet, row
    and column. Returns the number of villages scored."""
    require_actor(actor)
    rnd = access_round(actor, round_id, Action.REVIEW)
    items = sheet_items(rnd.sheet)
    table = read_table(upload, filename=filename, required=[VILLAGE, *[i.header for i in items], COMMENTS],
                       optional=OPTIONAL)  # fmt: skip
    visits = list(
        Visit.objects.unscoped("the round was fetched through access(); each row is checked against the actor")
        .filter(round=rnd)
        .select_related("village")
    )
    by_code = {v.village.code: v for v in visits}
    by_name = {v.village.name: v for v in visits}
    errors: list[CellError] = []
    rows: list[tuple[Visit, dict[int, Decimal], dt.date, str, list[str], str]] = []
    seen: set[int] = set()

    def bad(row: int, column: str, message: str) -> None:
        errors.append(CellError(table.sheet, row, column, message))

    for number, cells in table.rows:
        code, name = str(cells.get(CODE) or "").strip(), str(cells.get(VILLAGE) or "").strip()
        visit = by_code.get(code) if code else by_name.get(name)
        if visit is None or not _may(actor, Action.VIEW, visit.village):
            bad(number, CODE if code else VILLAGE, f"「{code or name}」不在本轮观摩的路线上")
            continue
        if visit.pk in seen:
            bad(number, VILLAGE, f"{visit.village.name}重复出现")
            continue
        seen.add(visit.pk)
        if of_the_village(actor, visit.village):
            bad(number, VILLAGE, "您在本村任职，不能给本村的观摩打分")
        values: dict[int, Decimal] = {}
        for item in items:
            try:
                values[item.pk] = points(cells.get(item.header), item.name, item.max_points)
            except ValueError as exc:
                bad(number, item.header, str(exc))
        raw_day = cells.get(DAY)
        day = _cell_day(raw_day) if raw_day not in (None, "") else rnd.starts_on
        if day is None or not rnd.starts_on <= day <= rnd.ends_on:
            bad(number, DAY, f"观摩日期应在 {rnd.starts_on:%Y-%m-%d} 至 {rnd.ends_on:%Y-%m-%d} 之间")
        texts = {}
        for column, limit, required in ((PRAISE, 2000, False), (COMMENTS, 2000, True)):
            try:
                texts[column] = clean_text(cells.get(column), column, None, limit=limit, required=required, lines=True)
            except ActionError as exc:
                bad(number, column, exc.message)
        try:
            problems = clean_problems([str(cells.get(PROBLEMS) or "").replace("；", "\n").replace(";", "\n")])
        except ActionError as exc:
            bad(number, PROBLEMS, exc.message)
            problems = []
        if day is not None and len(values) == len(items) and len(texts) == 2:
            rows.append((visit, values, day, texts[PRAISE], problems, texts[COMMENTS]))
    if not table.rows:
        errors.append(CellError(table.sheet, 0, "", "表中没有数据行"))
    if errors:
        raise ImportFailed(errors)
    with transaction.atomic(durable=True):
        rnd = _locked_round(actor, rnd.pk, Action.REVIEW)
        _, role = _move(actor, rnd, Move.SCORE)
        locked = {v.pk: v for v in Visit.objects.unscoped("checked row by row above").select_for_update()
                  .filter(pk__in=[r[0].pk for r in rows]).select_related("village")}  # fmt: skip
        scored = []
        for visit, values, day, praise, problems, comments in rows:
            after = _score(actor, rnd, locked[visit.pk], items, values, visited_on=day, praise=praise,
                           problems=problems, comments=comments)  # fmt: skip
            scored.append(f"{after['village']} {after['total']}")
        record_step(RoundStep, round=rnd, actor=actor, action="import", label="导入评分", role=role,
                    from_state=rnd.state, to_state=rnd.state, data={"villages": len(scored)})  # fmt: skip
        audit.record(actor=actor, action="inspection_round.import", obj=rnd, unit=rnd.unit,
                     after={"file": filename[:100], "scored": scored})  # fmt: skip
    return len(rows)
