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


def result_of(job: Job) -> JobFile:
    return JobFile.objects.unscoped("a test reads the job's file").get(job=job, purpose=JobFile.RESULT)


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


def run_started(response: Any, monkeypatch: Any) -> Job:
    """A view answered by starting a job: check it sent the user to the job's page, run the worker, the job."""
    assert response.status_code == 302, response.status_code
    location = response["Location"]
    assert location.startswith("/jobs/"), location
    work_off(monkeypatch)
    return Job.objects.unscoped("a test reads the job it started").get(pk=int(location.split("/")[2]))


def result_cells(job: Job) -> str:
    """Every cell of a job's result workbook, as one text."""
    import io

    from openpyxl import load_workbook

    stored = JobFile.objects.unscoped("a test reads the job's file").get(job=job, purpose=JobFile.RESULT)
    with stored.file.open("rb") as handle:
        book = load_workbook(io.BytesIO(handle.read()), read_only=True)
    return " ".join(str(v) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for v in row)
