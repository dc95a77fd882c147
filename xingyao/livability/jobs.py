"""Background jobs of 人居环境 and 文明幸福: big imports of works and activities (core/jobs.py)."""

from __future__ import annotations

from typing import Any

from xingyao.core import jobs
from xingyao.core.jobs import JobKind, JobRun, Outcome
from xingyao.livability import actions

IMPORT_WORKS, IMPORT_ACTIVITIES = "livability.import_works", "livability.import_activities"


def _importer(function: Any) -> Any:
    def run(job: JobRun) -> Outcome:
        stored = job.input()
        job.progress(0, None)
        with stored.file.open("rb") as upload:
            # Every row is checked, then all are written in the import's own transaction, or none.
            result = function(job.user, upload, stored.original_name)
        return Outcome(f"导入完成：新增 {result.created} 条，涉及 {result.villages} 个村")

    return run


def register() -> None:
    jobs.register(
        JobKind(IMPORT_WORKS, "导入人居环境工程", _importer(actions.do_import_works)),
        JobKind(IMPORT_ACTIVITIES, "导入文化和服务活动", _importer(actions.do_import_activities)),
    )
