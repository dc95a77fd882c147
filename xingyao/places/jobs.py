"""Background jobs of the unit tree: big division and grid imports, big unit exports (core/jobs.py)."""

from __future__ import annotations

from typing import Any

from xingyao.core import jobs
from xingyao.core.jobs import JobKind, JobRun, Outcome
from xingyao.places import actions
from xingyao.places.exports import unit_ledger
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


def _export_units(run: JobRun) -> Outcome:
    unit = access_unit(run.user, run.params["code"])
    ledger, units = unit_ledger(run.user, unit, run.params["what"])
    total = min(units.count(), ledger.max_rows)
    with run.ledger_progress(total):
        content = ledger.workbook(run.user, units)
    return Outcome(f"已导出 {total} 个单位", content, f"{unit.name}-{ledger.title}.xlsx")


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
