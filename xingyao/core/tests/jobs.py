"""Jobs for tests: made directly in the database, and the worker run in this process."""

from __future__ import annotations

import signal
from typing import Any

from django_tasks_db.management.commands import db_worker

from xingyao.core.jobs import _store
from xingyao.core.models import Job, JobFile, JobState


def job_by(w: Any, username: str, unit: str, label: str = "测试任务", **fields: Any) -> Job:
    return Job.objects.create(kind="test.job", label=label, started_by=w.user(username), unit=w.unit(unit), **fields)


def finished_job(w: Any, username: str, unit: str, label: str = "测试导出") -> Job:
    job = job_by(w, username, unit, label, state=JobState.DONE, summary="已导出 1 行")
    _store(job, JobFile.RESULT, b"PK\x03\x04 not really a workbook", "结果.xlsx", "application/octet-stream")
    return job


def work_off(monkeypatch: Any) -> None:
    """Run django-tasks-db's worker in this process until no task is ready (`db_worker --batch`).

    Its connection housekeeping would close the test's transaction, so it is switched off; its signal handlers
    are put back afterwards.
    """
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        db_worker.Worker(
            queue_names=["default"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="test-worker",
            excluded_queue_names=[],
        ).run()
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
