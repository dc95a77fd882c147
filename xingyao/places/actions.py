"""State changes on the unit tree: create, edit, import. Each writes audit rows in its transaction."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import groupby
from typing import IO, Any

from django.db import transaction

from xingyao.core import audit
from xingyao.core.errors import ActionError
from xingyao.core.roles import Action
from xingyao.core.scoping import covers
from xingyao.core.sheets import CellError, ImportFailed, read_table
from xingyao.places.codes import (
    CodeError,
    Kind,
    check_code,
    county_code,
    infer_kind,
    parent_code,
    parse_kind,
    prefix_of,
)
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


BATCH = 2000  # rows per INSERT/UPDATE statement and codes per lookup (well inside SQLite's variable limit)


def units_by_code(codes: Iterable[str], why: str) -> dict[str, Unit]:
    """The units with these codes, in lookups of BATCH codes each (a query per BATCH codes, not per code)."""
    wanted = sorted(set(codes))
    found: dict[str, Unit] = {}
    for i in range(0, len(wanted), BATCH):
        for unit in Unit.objects.unscoped(why).filter(code__in=wanted[i : i + BATCH]):
            found[unit.code] = unit
    return found


def _apply(actor: Any, rows: list[_Row], sheet: str, errors: list[CellError], filename: str) -> ImportResult:
    """Check every row against the database and each other, then write all or nothing: new units level by level
    in bulk, changed ones in one bulk update, and one audit row per audit chain (county) touched."""
    seen: dict[str, int] = {}
    for row in rows:
        if row.code in seen:
            errors.append(CellError(sheet, row.number, "代码", f"代码「{row.code}」与第 {seen[row.code]} 行重复"))
        seen.setdefault(row.code, row.number)
    wanted_codes = {r.code for r in rows} | {r.parent_code for r in rows if r.parent_code}
    existing = units_by_code(wanted_codes, "an import checks its codes against the whole tree")
    kinds = {code: Kind(u.kind) for code, u in existing.items()} | {r.code: r.kind for r in rows}
    for row in rows:
        # Scope first: a code outside the admin's subtree gets this one answer whether or not it exists, and
        # nothing about what exists there (its parent, its name or level).
        if not covers(actor, Action.ADMIN, prefix_of(row.code, row.kind)):
            errors.append(CellError(sheet, row.number, "代码", "该单位不在您的辖区内"))
            continue
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
    if errors:
        raise ImportFailed(sorted(errors, key=lambda e: e.row))

    created: list[Unit] = []
    changed: list[tuple[Unit, dict[str, Any], dict[str, Any]]] = []
    unchanged = 0
    ids = {code: u.pk for code, u in existing.items()}
    # Parents before children: one level (prefix length) at a time, so each level's parents have their ids.
    ordered = sorted(rows, key=lambda r: (len(prefix_of(r.code, r.kind)), r.code))
    with transaction.atomic(durable=True):
        for _length, level in groupby(ordered, key=lambda r: len(prefix_of(r.code, r.kind))):
            fresh = []
            for row in level:
                parent_id = ids.get(row.parent_code) if row.parent_code else None
                old = existing.get(row.code)
                if old is None:
                    fresh.append(
                        Unit(
                            code=row.code,
                            prefix=prefix_of(row.code, row.kind),
                            name=row.name,
                            kind=row.kind,
                            parent_id=parent_id,
                            households=row.households,
                        )
                    )
                    continue
                before: dict[str, Any] = {}
                after: dict[str, Any] = {}
                if old.name != row.name:
                    before["name"], after["name"] = old.name, row.name
                    old.name = row.name
                if row.households is not None and old.households != row.households:
                    before["households"], after["households"] = old.households, row.households
                    old.households = row.households
                if parent_id is not None and old.parent_id != parent_id:
                    before["parent_id"], after["parent_id"] = old.parent_id, parent_id
                    old.parent_id = parent_id
                if after:
                    changed.append((old, before, after))
                else:
                    unchanged += 1
            Unit.objects.bulk_create(fresh, batch_size=BATCH)
            ids.update((u.code, u.pk) for u in fresh)
            existing.update((u.code, u) for u in fresh)
            created += fresh
        if changed:
            Unit.objects.bulk_update([u for u, _b, _a in changed], ["name", "households", "parent"], batch_size=BATCH)
        _audit_import(actor, filename, created, changed, existing)
    return ImportResult(len(created), len(changed), unchanged)


def _audit_import(
    actor: Any,
    filename: str,
    created: list[Unit],
    changed: list[tuple[Unit, dict[str, Any], dict[str, Any]]],
    units: dict[str, Unit],
) -> None:
    """One audit row per chain the import touched (a county's, or the global one above counties), listing the
    units it created and what it changed, so each county's chain tells what the import did there."""
    per_chain: dict[str, tuple[list[Unit], list[tuple[Unit, dict[str, Any], dict[str, Any]]]]] = {}
    for unit in created:
        per_chain.setdefault(audit.chain_of(unit), ([], []))[0].append(unit)
    for item in changed:
        per_chain.setdefault(audit.chain_of(item[0]), ([], []))[1].append(item)
    for chain, (new, edited) in sorted(per_chain.items()):
        touched = [*new, *(u for u, _b, _a in edited)]
        # The row's unit: the county of a county chain (created by this import or already there), else the
        # highest unit touched above counties.
        where = units.get(county_code(touched[0].code)) if chain else None
        where = where or min(touched, key=lambda u: (len(u.prefix), u.code))
        after: dict[str, Any] = {"file": filename}
        before: dict[str, Any] | None = None
        if new:
            after["created"] = {u.code: u.name for u in new}
        if edited:
            before = {"updated": {u.code: b for u, b, _a in edited}}
            after["updated"] = {u.code: a for u, _b, a in edited}
        audit.record_many(
            actor=actor,
            action="unit.import",
            model=Unit,
            unit=where,
            summary=f"{filename}（{where.name}：新增 {len(new)}，更新 {len(edited)}）",
            before=before,
            after=after,
        )


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
    roots = [r for r in rows if r.kind in (Kind.PROVINCE, Kind.CITY, Kind.COUNTY) and r.parent_code not in codes]
    present = units_by_code(
        (r.parent_code for r in roots if r.parent_code), "an import checks its codes against the whole tree"
    )
    for row in roots:
        if row.parent_code not in present:
            row.parent_code = None
    return _apply(actor, rows, table.sheet, errors, filename)


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
    return _apply(actor, rows, table.sheet, errors, filename)
