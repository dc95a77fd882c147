"""Excel imports of the industry records in the townships' layout (the ledgers' own columns): all rows or none.

Each import reads the sheet with `core.sheets.read_table`, checks every cell with the actions' own rules (errors
named by sheet, row and column), looks units and existing records up in batches (never a query per row), writes
with bulk_create/bulk_update in one durable transaction and records one audit row per county chain it touched."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import IO, Any

from django.db import transaction

from xingyao.core import audit
from xingyao.core.actors import person, require_actor
from xingyao.core.errors import ActionError
from xingyao.core.roles import Action
from xingyao.core.scoping import covers
from xingyao.core.sheets import CellError, ImportFailed, read_table
from xingyao.economy import actions
from xingyao.economy.models import Income, Industry, IndustryArea, Project, ProjectStep
from xingyao.economy.workflow import FOLLOW_UP_DAYS, INTRODUCED, STAGE_DATES, UNDER_WAY, Stage
from xingyao.places.actions import BATCH, units_by_code
from xingyao.places.codes import Kind as UnitKind
from xingyao.places.codes import town_code
from xingyao.places.models import Unit

# Columns of the app's own ledgers that an import reads past (so an exported ledger can be filled in and re-imported).
SHOWN_ONLY = ["序号", "乡镇", "落地村", "村（社区）", "合计（元）", "品牌"]
PROJECT_COLUMNS = ["项目名称", "乡镇代码", "投资方", "行业", "计划投资（万元）", "包联镇领导", "登记日期"]
PROJECT_OPTIONAL = [
    "落地村代码",
    "用地（亩）",
    "预计带动就业（人）",
    "阶段",
    "签约日期",
    "开工日期",
    "投产日期",
    "备注",
]
AREA_COLUMNS = ["产业名称", "村代码", "年度", "面积（亩）"]
AREA_OPTIONAL = ["种植户数", "带动就业（人）"]
INCOME_COLUMNS = ["村代码", "年度", "经营性收入（元）", "资产收益（元）"]
INCOME_OPTIONAL = ["台账来源", "备注"]
PROJECT_HOWTO = (
    f"每行一个项目。必填列：{'、'.join(PROJECT_COLUMNS)}；可选列：{'、'.join(PROJECT_OPTIONAL)}。"
    "阶段填“线索、洽谈、签约、开工、投产”之一，签约及以后须填签约日期。同一乡镇的项目名称不能重复。"
)
AREA_HOWTO = (
    f"每行一个村一年的特色产业面积。必填列：{'、'.join(AREA_COLUMNS)}；可选列：{'、'.join(AREA_OPTIONAL)}。"
    "产业名称须是本镇已登记的特色产业；同一产业、村和年度已有的面积会被更新。"
)
INCOME_HOWTO = (
    f"每行一个村一年的集体经济收入（元），以乡镇经管站台账为准。必填列：{'、'.join(INCOME_COLUMNS)}；"
    f"可选列：{'、'.join(INCOME_OPTIONAL)}。同一村和年度已有的收入会被更新。"
)
# Rows per UPDATE: bulk_update writes a CASE of one WHEN per row for each field, which the database walks for every
# row it updates, so its cost grows with the square of the batch; a few hundred keeps it linear in practice.
UPDATE_BATCH = 250
STAGE_NAMES = {s.label: s for s in Stage if s is not Stage.DROPPED}


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int


class _Row:
    """One sheet row being checked: its cell errors go to the shared list, named by sheet, row and column."""

    def __init__(self, sheet: str, number: int, values: dict[str, Any], errors: list[CellError]) -> None:
        self.sheet, self.number, self.values, self.errors = sheet, number, values, errors
        self.bad = False

    def text(self, column: str) -> str:
        value = self.values.get(column)
        return "" if value is None else str(value).strip()

    def check(self, column: str, clean: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """The cleaned value, or None with the action's Chinese refusal noted against the cell."""
        try:
            return clean(*args, **kwargs)
        except ActionError as exc:
            self.fail(column, exc.message)
            return None

    def fail(self, column: str, message: str) -> None:
        self.errors.append(CellError(self.sheet, self.number, column, message))
        self.bad = True

    def integer(self, column: str) -> Any:
        value = self.values.get(column)
        if value is None or value == "":
            return 0
        if isinstance(value, str) and value.strip().isdigit():
            return int(value.strip())
        return value if isinstance(value, int) else str(value)

    def date(self, column: str, required: bool = False) -> dt.date | None:
        value = self.values.get(column)
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            return self.check(column, actions.day, value, column, column)
        text = "" if value is None else str(value).strip()
        if not text:
            if required:
                self.fail(column, f"请填写{column}")
            return None
        try:
            parsed = dt.date.fromisoformat(text.replace("/", "-").replace(".", "-"))
        except ValueError:
            self.fail(column, f"{column}应为日期（年-月-日）")
            return None
        return self.check(column, actions.day, parsed, column, column)


def _village(row: _Row, column: str, units: dict[str, Unit], actor: Any, action: str = Action.CHANGE) -> Unit | None:
    code = row.text(column)
    unit = units.get(code)
    # Unknown and out of scope alike: one answer, so a sheet cannot probe other towns' villages.
    if unit is None or unit.kind != UnitKind.VILLAGE or not covers(actor, action, unit.prefix):
        row.fail(column, "村代码不存在或不在您的辖区内")
        return None
    return unit


def _audit(actor: Any, action: str, model: Any, filename: str, touched: Iterable[tuple[Unit, str]]) -> None:
    """One audit row per county chain: the file and what it wrote there."""
    per_chain: dict[str, tuple[Unit, list[str]]] = {}
    for unit, what in touched:
        per_chain.setdefault(audit.chain_of(unit), (unit, []))[1].append(what)
    for _chain, (unit, done) in sorted(per_chain.items()):
        audit.record_many(
            actor=actor,
            action=action,
            model=model,
            unit=unit,
            summary=f"{filename}（{len(done)} 行）",
            after={"file": filename, "rows": done[:1000], "count": len(done)},
        )


def _read(upload: IO[bytes], filename: str, required: list[str], optional: list[str]) -> Any:
    return read_table(upload, filename=filename, required=required, optional=[*optional, *SHOWN_ONLY])


def do_import_projects(actor: Any, upload: IO[bytes], filename: str) -> ImportResult:
    """Import a town's project ledger: one row per project, new projects only (a name the town already has is
    refused), with the stage reached and its dates."""
    require_actor(actor)
    table = _read(upload, filename, PROJECT_COLUMNS, PROJECT_OPTIONAL)
    sheet, errors = table.sheet, list[CellError]()
    codes = {str(v.get("乡镇代码") or "").strip() for _, v in table.rows}
    codes |= {str(v.get("落地村代码") or "").strip() for _, v in table.rows} - {""}
    units = units_by_code(codes, "each row's town and village are checked against the actor's scope below")
    projects: list[Project] = []
    seen: dict[tuple[int, str], int] = {}
    for number, values in table.rows:
        row = _Row(sheet, number, values, errors)
        town = units.get(row.text("乡镇代码"))
        if town is None or town.kind != UnitKind.TOWN or not covers(actor, Action.MANAGE, town.prefix):
            row.fail("乡镇代码", "乡镇代码不存在或不在您的辖区内")
            town = None
        village = None
        if row.text("落地村代码"):
            village = _village(row, "落地村代码", units, actor, Action.VIEW)
            if village is not None and town is not None and town_code(village.code) != town.code:
                row.fail("落地村代码", f"该村不在{town.name}")
        fields = {}
        for name, (column, check) in actions.PROJECT_CHECKS.items():
            value = row.integer(column) if name == "jobs" else row.text(column)
            checked = row.check(column, check, value)
            if checked is not None or name == "note":
                fields[name] = checked if checked is not None else ""
        registered = row.date("登记日期", required=True)
        stage = Stage.LEAD
        if row.text("阶段"):
            found = STAGE_NAMES.get(row.text("阶段"))
            if found is None:
                row.fail("阶段", "阶段应为 线索、洽谈、签约、开工、投产 之一")
            else:
                stage = found
        dates = {
            "signed_on": row.date("签约日期"),
            "started_on": row.date("开工日期"),
            "producing_on": row.date("投产日期"),
        }
        if stage in INTRODUCED and dates["signed_on"] is None and not row.bad:
            row.fail("签约日期", f"阶段为{stage.label}的项目须填签约日期")
        if registered and any(d and d < registered for d in dates.values()):
            row.fail("签约日期", "签约、开工、投产日期不能早于登记日期")
        if town is not None and "name" in fields:
            key = (town.pk, fields["name"])
            if key in seen:
                row.fail("项目名称", f"与第 {seen[key]} 行重复：同一乡镇的项目名称不能重复")
            seen.setdefault(key, number)
        if row.bad or town is None:
            continue
        assert registered is not None
        kept = {STAGE_DATES[s]: dates.get(STAGE_DATES[s]) for s in (Stage.SIGNED, Stage.STARTED, Stage.PRODUCING)}
        projects.append(
            Project(
                town=town,
                village=village,
                stage=stage,
                registered_on=registered,
                recorded_by=person(actor),
                follow_up_due=registered + dt.timedelta(days=FOLLOW_UP_DAYS) if stage in UNDER_WAY else None,
                **fields,
                **{k: v for k, v in kept.items() if v},
            )
        )
    town_ids = sorted({p.town_id for p in projects})
    names = sorted({p.name for p in projects})
    taken: set[tuple[int, str]] = set()
    for i in range(0, len(names), BATCH):
        taken |= set(
            Project.objects.unscoped("a project name is unique in its town")
            .filter(town_id__in=town_ids, name__in=names[i : i + BATCH])
            .values_list("town_id", "name")
        )
    for (town_id, name), number in seen.items():
        if (town_id, name) in taken:
            errors.append(CellError(sheet, number, "项目名称", f"本乡镇已有名为「{name}」的招商项目"))
    if errors:
        raise ImportFailed(sorted(errors, key=lambda e: (e.row, e.column)))
    with transaction.atomic(durable=True):
        made = Project.objects.bulk_create(projects, batch_size=BATCH)
        ProjectStep.objects.bulk_create(
            [
                ProjectStep(
                    project=p,
                    actor=person(actor),
                    actor_name=getattr(actor, "full_name", "") or "系统",
                    action="import",
                    action_label="导入",
                    to_state=p.stage,
                    data={"file": filename},
                )
                for p in made
            ],
            batch_size=BATCH,
        )
        _audit(actor, "project.import", Project, filename, ((p.village or p.town, p.name) for p in made))
    return ImportResult(len(made), 0)


def do_import_areas(actor: Any, upload: IO[bytes], filename: str) -> ImportResult:
    """Import specialty-industry areas: one row per industry, village and year (created, or updated)."""
    require_actor(actor)
    table = _read(upload, filename, AREA_COLUMNS, AREA_OPTIONAL)
    sheet, errors = table.sheet, list[CellError]()
    units = units_by_code((str(v.get("村代码") or "").strip() for _, v in table.rows), "checked against scope below")
    towns = sorted({town_code(u.code) for u in units.values()})
    industries = {
        (i.town.code, i.name): i
        for i in Industry.objects.unscoped("an industry is found by its town and name; the village is checked")
        .filter(town__code__in=towns)
        .select_related("town")
    }
    rows: dict[tuple[int, int, int], tuple[int, dict[str, Any], Industry, Unit]] = {}
    for number, values in table.rows:
        row = _Row(sheet, number, values, errors)
        village = _village(row, "村代码", units, actor)
        industry = None
        if village is not None:
            industry = industries.get((town_code(village.code), row.text("产业名称")))
            if industry is None:
                row.fail("产业名称", f"本镇没有名为「{row.text('产业名称')}」的特色产业，请先登记")
        year = row.check("年度", actions.year_of, row.integer("年度"))
        checked = {}
        for column, name in (("面积（亩）", "area_mu"), ("种植户数", "households"), ("带动就业（人）", "jobs")):
            args = {"area_mu": 0, "households": 0, "jobs": 0} | {
                name: row.text(column) if name == "area_mu" else row.integer(column)
            }
            found = row.check(column, actions.area_fields, **args)
            if found is not None:
                checked[name] = found[name]
        if row.bad or village is None or industry is None:
            continue
        key = (industry.pk, village.pk, year)
        if key in rows:
            row.fail("年度", f"与第 {rows[key][0]} 行重复：同一产业、村和年度只填一行")
            continue
        rows[key] = (number, checked, industry, village)
    if errors:
        raise ImportFailed(sorted(errors, key=lambda e: (e.row, e.column)))
    existing: dict[tuple[int, int, int], IndustryArea] = {}
    village_ids = sorted({k[1] for k in rows})
    for i in range(0, len(village_ids), BATCH):
        for a in (
            IndustryArea.objects.unscoped("the rows' villages were checked")
            .filter(village_id__in=village_ids[i : i + BATCH])
            .select_related("industry", "village")
        ):
            existing[(a.industry_id, a.village_id, a.year)] = a
    new, changed = [], []
    for key, (_number, checked, industry, village) in rows.items():
        if key in existing:
            area = existing[key]
            for name, value in checked.items():
                setattr(area, name, value)
            changed.append(area)
        else:
            new.append(IndustryArea(industry=industry, village=village, year=key[2], **checked))
    with transaction.atomic(durable=True):
        IndustryArea.objects.bulk_create(new, batch_size=BATCH)
        IndustryArea.objects.bulk_update(changed, ["area_mu", "households", "jobs"], batch_size=UPDATE_BATCH)
        _audit(
            actor,
            "industry.import",
            IndustryArea,
            filename,
            ((a.village, f"{a.industry.name} {a.village.name} {a.year}") for a in [*new, *changed]),
        )
    return ImportResult(len(new), len(changed))


def do_import_incomes(actor: Any, upload: IO[bytes], filename: str) -> ImportResult:
    """Import the 经管站 ledger of collective income: one row per village and year (created, or updated)."""
    require_actor(actor)
    table = _read(upload, filename, INCOME_COLUMNS, INCOME_OPTIONAL)
    sheet, errors = table.sheet, list[CellError]()
    units = units_by_code((str(v.get("村代码") or "").strip() for _, v in table.rows), "checked against scope below")
    rows: dict[tuple[int, int], tuple[int, dict[str, Any], Unit]] = {}
    for number, values in table.rows:
        row = _Row(sheet, number, values, errors)
        village = _village(row, "村代码", units, actor)
        year = row.check("年度", actions.year_of, row.integer("年度"))
        fields = {
            "operating": row.check("经营性收入（元）", actions.yuan, row.text("经营性收入（元）"), "经营性收入", None),
            "assets": row.check("资产收益（元）", actions.yuan, row.text("资产收益（元）"), "资产收益", None),
            "source": row.check(
                "台账来源", actions.clean_text, row.text("台账来源"), "台账来源", None, limit=100, required=False
            )
            or "乡镇经管站台账",
            "note": row.check("备注", actions.clean_text, row.text("备注"), "备注", None, limit=200, required=False),
        }
        if row.bad or village is None:
            continue
        key = (village.pk, year)
        if key in rows:
            row.fail("年度", f"与第 {rows[key][0]} 行重复：同一村和年度只填一行")
            continue
        rows[key] = (number, fields, village)
    if errors:
        raise ImportFailed(sorted(errors, key=lambda e: (e.row, e.column)))
    existing: dict[tuple[int, int], Income] = {}
    village_ids = sorted({k[0] for k in rows})
    for i in range(0, len(village_ids), BATCH):
        for income in (
            Income.objects.unscoped("the rows' villages were checked")
            .filter(village_id__in=village_ids[i : i + BATCH])
            .select_related("village")
        ):
            existing[(income.village_id, income.year)] = income
    new, changed = [], []
    for key, (_number, fields, village) in rows.items():
        if key in existing:
            income = existing[key]
            for name, value in fields.items():
                setattr(income, name, value)
            income.recorded_by = person(actor)
            changed.append(income)
        else:
            new.append(Income(village=village, year=key[1], recorded_by=person(actor), **fields))
    with transaction.atomic(durable=True):
        Income.objects.bulk_create(new, batch_size=BATCH)
        Income.objects.bulk_update(
            changed, ["operating", "assets", "source", "note", "recorded_by"], batch_size=UPDATE_BATCH
        )
        _audit(
            actor,
            "income.import",
            Income,
            filename,
            ((i.village, f"{i.village.name} {i.year}") for i in [*new, *changed]),
        )
    return ImportResult(len(new), len(changed))
