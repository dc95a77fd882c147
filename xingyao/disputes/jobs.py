"""Background jobs of the dispute ledger: the big export (core/jobs.py)."""

from __future__ import annotations

from django.utils import timezone

from xingyao.core import jobs
from xingyao.core.exports import MAX_ROWS
from xingyao.core.jobs import JobKind, JobRun, Outcome, as_query
from xingyao.disputes import exports
from xingyao.disputes.queries import case_list

EXPORT_LEDGER = "disputes.export_ledger"


def _export_ledger(run: JobRun) -> Outcome:
    """The cases the list shows the user for the same parameters, parties masked as for him."""
    rows = case_list(run.user, as_query(run.params["query"]))
    total = min(rows.count(), MAX_ROWS)
    with run.ledger_progress(total):
        content = exports.dispute_ledger(run.user, rows)
    return Outcome(f"已导出 {total} 件纠纷", content, f"矛盾纠纷台账-{timezone.localdate():%Y%m%d}.xlsx")


def register() -> None:
    jobs.register(JobKind(EXPORT_LEDGER, "导出矛盾纠纷台账", _export_ledger))
