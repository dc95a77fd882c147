"""State changes on the unit tree: create, edit, import. Each writes audit rows in its transaction."""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO, Any

from django.db import transaction

from xingyao.core import audit
from xingyao.core.errors import ActionError
from xingyao.core.roles import Action
from xingyao.core.scoping import covers
from xingyao.core.sheets import CellError, ImportFailed, read_table
from xingyao.places.codes import CodeError, Kind, check_code, infer_kind, parent_code, parse_kind, prefix_of
from xingyao.places.models import Unit

UNIT_FIELDS = ["code", "name", "kind", "parent", "households", "active"]
DIVISION_COLUMNS = ("代码", "名称", "层级")
GRID_COLUMNS = ("网格代码", "网格名称", "所属单位代码")
GRID_OPTIONAL = ("层级", "户数")


def _check_admin(actor: Any, unit: Unit | None) -> None:
    if unit is None:
        if not actor.is_superuser:
            raise ActionError("只有系统管理员可以创建顶级单位")
        return
    if not covers(actor, Action.ADMIN, unit.prefix):
        raise ActionError("您只能在本辖区内维护单位")


def do_create_unit(
    actor: Any, *, code: str, name: str, kind: str, parent: Unit | None, households: int | None = None
) -> Unit:
    """Add one unit under `parent` after checking its code against the parent's."""
    _check_admin(actor, parent)
    code, name = code.strip(), name.strip()
    if not name:
        raise ActionError("请填写名称", "name")
    try:
        check_code(code, Kind(kind), parent.code if parent else None, Kind(parent.kind) if parent else None)
    except CodeError as exc:
        raise ActionError(str(exc), "code") from None
    if Unit.objects.unscoped("a code is unique in the whole tree").filter(code=code).exists():
        raise ActionError(f"代码「{code}」已存在", "code")
    with transaction.atomic():
        unit = Unit.objects.create(code=code, name=name, kind=kind, parent=parent, households=households)
        audit.record(actor=actor, action="unit.create", obj=unit, unit=unit, after=audit.snapshot(unit, UNIT_FIELDS))
    return unit


def do_update_unit(
    actor: Any, unit: Unit, *, name: str, households: int | None, active: bool, geometry: Any = None
) -> Unit:
    """Rename a unit, set its households, geometry or active flag; the code never changes."""
    _check_admin(actor, unit)
    if not name.strip():
        raise ActionError("请填写名称", "name")
    before = audit.snapshot(unit, [*UNIT_FIELDS, "geometry"])
    with transaction.atomic():
        unit.name, unit.households, unit.active = name.strip(), households, active
        if geometry is not None:
            unit.geometry = geometry
        unit.save()
        b, a = audit.diff(before, audit.snapshot(unit, [*UNIT_FIELDS, "geometry"]))
        if a:
            audit.record(actor=actor, action="unit.update", obj=unit, unit=unit, before=b, after=a)
    return unit


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int


@dataclass
class _Row:
    number: int
    code: str
    name: str
    kind: Kind
    parent_code: str | None
    households: int | None = None


def _apply(actor: Any, rows: list[_Row], sheet: str, errors: list[CellError]) -> ImportResult:
    """Check every row against the database and each other, then write all or nothing."""
    seen: dict[str, int] = {}
    for row in rows:
        if row.code in seen:
            errors.append(CellError(sheet, row.number, "代码", f"代码「{row.code}」与第 {seen[row.code]} 行重复"))
        seen.setdefault(row.code, row.number)
    wanted_codes = {r.code for r in rows} | {r.parent_code for r in rows if r.parent_code}
    existing = {
        u.code: u
        for u in Unit.objects.unscoped("an import checks its codes against the whole tree").filter(
            code__in=wanted_codes
        )
    }
    kinds = {code: Kind(u.kind) for code, u in existing.items()} | {r.code: r.kind for r in rows}
    for row in rows:
        parent_kind = kinds.get(row.parent_code) if row.parent_code else None
        if row.parent_code and parent_kind is None:
            errors.append(CellError(sheet, row.number, "上级", f"上级单位「{row.parent_code}」不存在"))
            continue
        try:
            check_code(row.code, row.kind, row.parent_code, parent_kind)
        except CodeError as exc:
            errors.append(CellError(sheet, row.number, "代码", str(exc)))
            continue
        old = existing.get(row.code)
        if old is not None and old.kind != row.kind:
            errors.append(
                CellError(sheet, row.number, "层级", f"已存在的单位「{old.name}」层级为{old.kind_label}，不能改变")
            )
        # The code extends the parent's, so the new unit's own prefix says whose subtree it falls in.
        if not covers(actor, Action.ADMIN, prefix_of(row.code, row.kind)):
            errors.append(CellError(sheet, row.number, "代码", "该单位不在您的辖区内"))
    if errors:
        raise ImportFailed(sorted(errors, key=lambda e: e.row))

    created = updated = unchanged = 0
    # Parents before children: sort by code length, then code.
    ordered = sorted(rows, key=lambda r: (len(prefix_of(r.code, r.kind)), r.code))
    with transaction.atomic():
        for row in ordered:
            parent = existing.get(row.parent_code) if row.parent_code else None
            old = existing.get(row.code)
            if old is None:
                unit = Unit.objects.create(
                    code=row.code, name=row.name, kind=row.kind, parent=parent, households=row.households
                )
                audit.record(
                    actor=actor, action="unit.import", obj=unit, unit=unit, after=audit.snapshot(unit, UNIT_FIELDS)
                )
                existing[row.code] = unit
                created += 1
                continue
            before = audit.snapshot(old, UNIT_FIELDS)
            old.name = row.name
            if row.households is not None:
                old.households = row.households
            if parent is not None and old.parent_id != parent.pk:
                old.parent = parent
            b, a = audit.diff(before, audit.snapshot(old, UNIT_FIELDS))
            if a:
                old.save()
                audit.record(actor=actor, action="unit.import", obj=old, unit=old, before=b, after=a)
                updated += 1
            else:
                unchanged += 1
    return ImportResult(created, updated, unchanged)


def _text(values: dict[str, Any], column: str) -> str:
    value = values.get(column)
    return "" if value is None else str(value).strip()


def do_import_divisions(actor: Any, upload: IO[bytes], filename: str) -> ImportResult:
    """Import the national division-code list (columns 代码, 名称, 层级); parents follow from the codes."""
    table = read_table(upload, filename=filename, required=DIVISION_COLUMNS)
    rows: list[_Row] = []
    errors: list[CellError] = []
    for number, values in table.rows:
        code, name, level = _text(values, "代码"), _text(values, "名称"), _text(values, "层级")
        if not name:
            errors.append(CellError(table.sheet, number, "名称", "名称不能为空"))
            continue
        try:
            kind = parse_kind(level) if level else infer_kind(code)
            if kind not in (Kind.PROVINCE, Kind.CITY, Kind.COUNTY, Kind.TOWN, Kind.VILLAGE):
                raise CodeError("区划代码表只能包含 省/市/县/镇/村")
            if infer_kind(code) != kind:
                raise CodeError(f"代码「{code}」与层级「{level}」不符")
        except CodeError as exc:
            errors.append(CellError(table.sheet, number, "代码" if "代码" in str(exc) else "层级", str(exc)))
            continue
        rows.append(_Row(number, code, name, kind, parent_code(code, kind)))
    codes = {r.code for r in rows}
    # A root row (e.g. the county itself, or a city above it) need not have its parent in the file or database.
    present = codes | set(
        Unit.objects.unscoped("an import checks its codes against the whole tree")
        .filter(code__in={r.parent_code for r in rows if r.parent_code})
        .values_list("code", flat=True)
    )
    for row in rows:
        if row.parent_code and row.parent_code not in present and row.kind in (Kind.PROVINCE, Kind.CITY, Kind.COUNTY):
            row.parent_code = None
    return _apply(actor, rows, table.sheet, errors)


def do_import_grids(actor: Any, upload: IO[bytes], filename: str) -> ImportResult:
    """Import grids and micro-grids (网格代码, 网格名称, 所属单位代码, optional 层级 and 户数)."""
    table = read_table(upload, filename=filename, required=GRID_COLUMNS, optional=GRID_OPTIONAL)
    rows: list[_Row] = []
    errors: list[CellError] = []
    for number, values in table.rows:
        code, name, parent = _text(values, "网格代码"), _text(values, "网格名称"), _text(values, "所属单位代码")
        level = _text(values, "层级")
        if not name:
            errors.append(CellError(table.sheet, number, "网格名称", "名称不能为空"))
        if not parent:
            errors.append(CellError(table.sheet, number, "所属单位代码", "所属单位代码不能为空"))
        households: int | None = None
        raw_households = values.get("户数")
        if raw_households not in (None, ""):
            try:
                households = int(str(raw_households))
                if households < 0:
                    raise ValueError
            except (TypeError, ValueError):
                errors.append(CellError(table.sheet, number, "户数", f"户数「{raw_households}」应为非负整数"))
        try:
            kind = parse_kind(level) if level else (Kind.MICROGRID if len(code) == 18 else Kind.GRID)
            if kind not in (Kind.GRID, Kind.MICROGRID):
                raise CodeError("层级只能是 网格 或 微网格")
        except CodeError as exc:
            errors.append(CellError(table.sheet, number, "层级", str(exc)))
            continue
        if name and parent:
            rows.append(_Row(number, code, name, kind, parent, households))
    return _apply(actor, rows, table.sheet, errors)
