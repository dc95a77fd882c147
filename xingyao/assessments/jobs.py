"""Background jobs of the assessments: a year's rescoring of every village under a unit, and the results sheet of
a city or province, too many villages for one request (core/jobs.py)."""

from __future__ import annotations

from xingyao.assessments import exports
from xingyao.assessments.actions import do_rescore_year
from xingyao.core import jobs
from xingyao.core.jobs import JobKind, JobRun, Outcome

RESCORE = "assessments.rescore"
EXPORT_RESULTS = "assessments.export_results"


def _rescore(run: JobRun) -> Outcome:
    # One transaction of the action's own: every village's score changes, or none does.
    summary = do_rescore_year(run.user, int(run.params["year"]), run.job.unit)
    return Outcome("\n".join(summary.lines()))


def _export_results(run: JobRun) -> Outcome:
    """The results sheet the overview page offers, as the user who asked may see it."""
    unit, year = run.job.unit, int(run.params["year"])
    content = exports.results_workbook(run.user, unit, year)
    return Outcome(f"已导出{unit.name}{year}年度评定结果", content, exports.results_filename(unit, year))


def register() -> None:
    jobs.register(JobKind(RESCORE, "重新计分", _rescore))
    jobs.register(JobKind(EXPORT_RESULTS, "导出评定结果", _export_results))
