"""Background jobs of the unit tree: big division and grid imports, big unit exports (core/jobs.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet

from xingyao.core import jobs
from xingyao.core.jobs import JobKind, JobRun, Outcome
from xingyao.core.sheets import write_workbook
from xingyao.places import actions
from xingyao.places.codes import Kind
from xingyao.places.models import Unit
from xingyao.places.queries import access_unit, top_units

IMPORT_DIVISIONS, IMPORT_GRIDS, EXPORT_UNITS = "places.import_divisions", "places.import_grids", "places.export_units"
IMPORT_KINDS = {"divisions": IMPORT_DIVISIONS, "grids": IMPORT_GRIDS}
TITLES = {"divisions": "区划代码", "grids": "网格"}


def job_unit(user: Any, code: str = "") -> Unit:
    """Where a job started from a list belongs: the unit the list is narrowed to, else the user's highest unit."""
    if code:
        return access_unit(user, code)
    unit = top_units(user).order_by("code").first()
    if unit is None:
        raise ValueError("a user who can list records has a unit")
    return unit


def unit_table(user: Any, unit: Unit, what: str) -> tuple[str, list[str], QuerySet[Unit], Any]:
    """The export of a unit's subtree: title, header, the scoped units, and how a unit becomes a row."""
    kinds = (
        [Kind.GRID, Kind.MICROGRID]
        if what == "grids"
        else [Kind.PROVINCE, Kind.CITY, Kind.COUNTY, Kind.TOWN, Kind.VILLAGE]
    )
    units = Unit.objects.restrict(user).subtree(unit).filter(kind__in=kinds).select_related("parent").order_by("code")
    if what == "grids":
        header = ["网格代码", "网格名称", "所属单位代码", "层级", "户数"]

        def grid_row(u: Unit) -> list[Any]:
            return [u.code, u.name, u.parent.code if u.parent else "", u.kind_label, u.households or ""]

        return TITLES[what], header, units, grid_row
    return TITLES[what], ["代码", "名称", "层级"], units, lambda u: [u.code, u.name, u.kind_label]


def _export_units(run: JobRun) -> Outcome:
    unit = access_unit(run.user, run.params["code"])
    title, header, units, row = unit_table(run.user, unit, run.params["what"])
    total = units.count()
    rows: Iterator[list[Any]] = (row(u) for u in run.counted(units.iterator(chunk_size=2000), total))
    content = write_workbook([(title, header, rows)])
    return Outcome(f"已导出 {total} 个单位", content, f"{unit.name}-{title}.xlsx")


def _importer(what: str) -> Any:
    function = actions.do_import_divisions if what == "divisions" else actions.do_import_grids

    def run(job: JobRun) -> Outcome:
        stored = job.input()
        job.progress(0, None)
        with stored.file.open("rb") as upload:
            # The import checks every row, then writes all of them in its own transaction, or raises and writes none.
            result = function(job.user, upload, stored.original_name)
        return Outcome(f"导入完成：新增 {result.created}，更新 {result.updated}，未变 {result.unchanged}")

    return run


def register() -> None:
    jobs.register(
        JobKind(IMPORT_DIVISIONS, "导入区划代码", _importer("divisions")),
        JobKind(IMPORT_GRIDS, "导入网格", _importer("grids")),
        JobKind(EXPORT_UNITS, "导出单位", _export_units),
    )
