"""Background jobs of the assessments: a year's rescoring of every village under a unit (core/jobs.py)."""

from __future__ import annotations

from xingyao.assessments.actions import do_rescore_year
from xingyao.core import jobs
from xingyao.core.jobs import JobKind, JobRun, Outcome

RESCORE = "assessments.rescore"


def _rescore(run: JobRun) -> Outcome:
    # One transaction of the action's own: every village's score changes, or none does.
    summary = do_rescore_year(run.user, int(run.params["year"]), run.job.unit)
    return Outcome("\n".join(summary.lines()))


def register() -> None:
    jobs.register(JobKind(RESCORE, "重新计分", _rescore))
