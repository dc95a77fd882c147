"""Background jobs of the grid: the big event ledger and big grid-people imports (core/jobs.py)."""

from __future__ import annotations

from django.utils import timezone

from xingyao.core import jobs
from xingyao.core.exports import MAX_ROWS
from xingyao.core.jobs import JobKind, JobRun, Outcome, as_query
from xingyao.grid import actions, exports
from xingyao.grid.queries import worklist
from xingyao.places.queries import access_unit

EXPORT_EVENTS, IMPORT_WORKERS = "grid.export_events", "grid.import_workers"


def _export_events(run: JobRun) -> Outcome:
    """The same rows the worklist shows the user for the same parameters, masked as for him."""
    rows = worklist(run.user, as_query(run.params["query"]))
    total = min(rows.count(), MAX_ROWS)
    with run.ledger_progress(total):
        content = exports.event_ledger(run.user, rows)
    return Outcome(f"已导出 {total} 件事件", content, f"网格事件台账-{timezone.localdate():%Y%m%d}.xlsx")


def _import_workers(run: JobRun) -> Outcome:
    access_unit(run.user, run.params["code"], "admin")  # still his to manage when the worker gets to it
    stored = run.input()
    with stored.file.open("rb") as upload:
        # All rows or none, in the import's own transaction.
        result = actions.do_import_workers(
            run.user, upload, stored.original_name, run.secrets.get("initial_password", "")
        )
    return Outcome(
        f"导入完成：新建账号 {result.users_created}，配备岗位 {result.posts_assigned}，未变 {result.unchanged}"
    )


def register() -> None:
    jobs.register(
        JobKind(EXPORT_EVENTS, "导出网格事件台账", _export_events),
        JobKind(IMPORT_WORKERS, "导入网格人员", _import_workers, secret=("initial_password",)),
    )
