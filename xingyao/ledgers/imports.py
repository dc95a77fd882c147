"""Importing items into the rectification ledger (整顿台账) from a sheet in the layout the ledger export writes.

Every row is checked before anything is written (village code in the importer's scope, “三精准” and “三明确”
filled, a start date and a time limit in working days), every bad cell is named by sheet, row and column, and the
items go in with `bulk_create` in one durable transaction with one audit row per county.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import IO, Any

from django.db import transaction
from django.utils import timezone

from xingyao.core import audit, calendar
from xingyao.core.actors import actor_name, is_system, person
from xingyao.core.actors import require_actor as _require_actor
from xingyao.core.roles import Action
from xingyao.core.scoping import covers
from xingyao.core.sheets import CellError, ImportFailed, read_table
from xingyao.core.validators import cell_problem, clean_text
from xingyao.ledgers.actions import AHEAD, EARLIEST
from xingyao.ledgers.models import Designation, Item, ItemStep
from xingyao.ledgers.queries import overrides_by_village
from xingyao.ledgers.workflow import MAX_DAYS, DesignationState, Source, State
from xingyao.places.actions import units_by_code
from xingyao.places.codes import Kind, county_code

VILLAGE = "村（社区）代码"
TEXTS = {  # column: (label in messages, model field, limit, several lines)
    "问题": ("问题", "problem", 200, False),
    "目标": ("目标", "target", 200, False),
    "措施（三精准）": ("措施", "measure", 2000, True),
    "步骤": ("步骤", "steps", 2000, True),
    "责任人（三明确）": ("责任人", "responsible", 50, False),
}
START, DAYS, SOURCE = "开始日期", "时限（工作日）", "来源"
REQUIRED = [VILLAGE, *TEXTS, START, DAYS]
OPTIONAL = ["村（社区）", SOURCE]
SOURCES = {label: value for value, label in Source.choices()}


@dataclass
class _Row:
    number: int
    code: str
    source: str
    start_on: dt.date
    days: int
    text: dict[str, str]


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip().replace("/", "-").replace(".", "-"))
    except ValueError:
        return None


def _days(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    text = str(value).strip()
    return int(text) if text.isdigit() else None


def _read(sheet: str, number: int, values: dict[str, Any], errors: list[CellError]) -> _Row | None:
    def bad(column: str, message: str) -> None:
        errors.append(CellError(sheet, number, column, message))

    before = len(errors)
    code = str(values.get(VILLAGE) or "").strip()
    if not code:
        bad(VILLAGE, "请填写村（社区）代码")
    text: dict[str, str] = {}
    for column, (label, name, limit, lines) in TEXTS.items():
        raw = values.get(column)
        problem = cell_problem(clean_text, "" if raw is None else str(raw), label, name, limit=limit, lines=lines)
        if problem:
            bad(column, problem)
        else:
            text[name] = clean_text(str(raw), label, name, limit=limit, lines=lines)
    source_label = str(values.get(SOURCE) or "").strip()
    source = SOURCES.get(source_label, "") if source_label else Source.STAR_GAP.value
    if not source:
        bad(SOURCE, f"来源「{source_label[:20]}」不在清单中（{'、'.join(SOURCES)}）")
    start_on = _date(values.get(START))
    if start_on is None:
        bad(START, "请填写开始日期，格式如 2023-03-06")
    elif not EARLIEST <= start_on <= timezone.localdate() + AHEAD:
        bad(START, "开始日期应在 2000 年之后、一年之内")
    days = _days(values.get(DAYS))
    if days is None or days > MAX_DAYS:
        bad(DAYS, f"时限应为 1 到 {MAX_DAYS} 之间的整数（工作日）")
    elif days < 1:
        bad(DAYS, "完成时限不能早于开始日期：请填写至少 1 个工作日")
    if len(errors) > before or start_on is None or days is None:
        return None
    return _Row(number, code, source, start_on, days, text)


def do_import_items(actor: Any, upload: IO[bytes], filename: str) -> int:
    """Open every row of the sheet as a ledger item, or none; how many were opened."""
    _require_actor(actor)
    table = read_table(upload, filename=filename, required=REQUIRED, optional=OPTIONAL)
    errors: list[CellError] = []
    rows = [row for number, values in table.rows if (row := _read(table.sheet, number, values, errors))]
    villages = units_by_code({r.code for r in rows}, "the villages an import names, checked against scope below")
    for row in rows:
        village = villages.get(row.code)
        if village is None or village.kind != Kind.VILLAGE:
            errors.append(CellError(table.sheet, row.number, VILLAGE, "没有这个代码的村（社区）"))
        elif not (is_system(actor) or covers(actor, Action.MANAGE, village.prefix)):
            errors.append(CellError(table.sheet, row.number, VILLAGE, f"{village.name}不在您的管辖范围内"))
    if not table.rows:
        errors.append(CellError(table.sheet, 0, "", "表中没有整改事项"))
    if errors:
        raise ImportFailed(
            sorted(errors, key=lambda e: (e.row, REQUIRED.index(e.column) if e.column in REQUIRED else 99))
        )
    used = {r.code: villages[r.code] for r in rows}
    calendars = overrides_by_village(used.values())
    counties = units_by_code({county_code(code) for code in used}, "the county whose audit chain records the import")
    now = timezone.now()
    with transaction.atomic(durable=True):
        open_designations = dict(
            Designation.objects.unscoped("the importer's scope over each village was checked above")
            .filter(village__in=list(used.values()), state=DesignationState.OPEN)
            .order_by("village_id", "year")
            .values_list("village_id", "id")
        )
        items = Item.objects.bulk_create(
            [
                Item(
                    village=used[r.code],
                    designation_id=open_designations.get(used[r.code].pk) if r.source == Source.WEAK_BRANCH else None,
                    source=r.source,
                    start_on=r.start_on,
                    days=r.days,
                    due_on=_due(r.start_on, r.days, calendars[used[r.code].pk]),
                    created_by=person(actor),
                    created_at=now,
                    **r.text,
                )
                for r in rows
            ],
            batch_size=1000,
        )
        ItemStep.objects.bulk_create(
            [
                ItemStep(
                    item=item,
                    at=now,
                    actor=person(actor),
                    actor_name=actor_name(actor),
                    action="open",
                    action_label="导入",
                    to_state=State.OPEN,
                    data={"due_on": item.due_on.isoformat()},
                )
                for item in items
            ],
            batch_size=1000,
        )
        per_county: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for item in items:
            per_county[county_code(item.village.code)][item.village.name] += 1
        for code, by_village in sorted(per_county.items()):
            audit.record_many(
                actor=actor,
                action="ledger_item.import",
                model=Item,
                unit=counties.get(code),
                summary=f"导入整顿台账 {sum(by_village.values())} 项",
                after={"file": filename[:100], "items": sum(by_village.values()), "villages": dict(by_village)},
            )
    return len(items)


def _due(start: dt.date, days: int, overrides: Any) -> dt.date:
    return calendar.deadline(dt.datetime.combine(start, dt.time()), days, overrides).date()
