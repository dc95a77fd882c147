"""Background jobs of the ledgers: a big ledger import (core/jobs.py)."""

from __future__ import annotations

from xingyao.core import jobs
from xingyao.core.jobs import JobKind, JobRun, Outcome
from xingyao.ledgers.imports import do_import_items

IMPORT_ITEMS = "ledgers.import_items"


def _import(job: JobRun) -> Outcome:
    stored = job.input()
    job.progress(0, None)
    with stored.file.open("rb") as upload:
        # Every row is checked, then all are written in the import's own transaction, or none.
        count = do_import_items(job.user, upload, stored.original_name)
    return Outcome(f"导入完成：登记整改事项 {count} 项")


def register() -> None:
    jobs.register(JobKind(IMPORT_ITEMS, "导入整顿台账", _import))
