"""Background jobs on the django-tasks-db backend, with its worker run in this process: queued → running → done
with progress and a result; failures marked failed in Chinese with nothing written; a dead worker's job failed;
only the user who started a job sees it."""

from __future__ import annotations

import datetime as dt
import signal

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from xingyao.core import jobs
from xingyao.core.errors import ActionError
from xingyao.core.jobs import JobKind, Outcome, _store, do_start_job
from xingyao.core.models import Job, JobFile, JobState, WorkdayOverride
from xingyao.core.testing import every
from xingyao.core.tests.jobs import job_by, result_of, work_off


@pytest.fixture
def kind():  # type: ignore[no-untyped-def]
    """Register a job kind for one test: `kind(run)` → its key."""
    added: list[str] = []

    def make(run, secret=()):  # type: ignore[no-untyped-def]
        key = f"test.kind{len(added)}"
        jobs.register(JobKind(key, "测试任务", run, secret=secret))
        added.append(key)
        return key

    yield make
    for key in added:
        jobs.KINDS.pop(key, None)


def _job(pk: int) -> Job:
    return every(Job).get(pk=pk)


def test_a_job_goes_from_queued_through_running_to_done_with_progress_and_a_file(world, kind, monkeypatch) -> None:
    seen = []

    def run(job):  # type: ignore[no-untyped-def]
        seen.append(_job(job.job.pk).state)
        job.progress(1, 3)
        row = _job(job.job.pk)
        seen.append((row.done, row.total))
        job.progress(3, 3)
        return Outcome("共处理 3 条", b"PK\x03\x04 content", "结果.xlsx")

    job = do_start_job(world.user("maoqiao"), kind=kind(run), unit=world.unit("毛桥村"))
    assert _job(job.pk).state == JobState.QUEUED
    task = DBTaskResult.objects.get(id=job.task_id)
    assert task.status == TaskResultStatus.READY

    work_off(monkeypatch)

    assert seen == [JobState.RUNNING, (1, 3)]
    done = _job(job.pk)
    assert (done.state, done.done, done.total, done.summary) == (JobState.DONE, 3, 3, "共处理 3 条")
    assert done.started_at and done.finished_at and done.heartbeat_at
    result = every(JobFile).get(job=done, purpose=JobFile.RESULT)
    assert result.file.read() == b"PK\x03\x04 content"
    assert DBTaskResult.objects.get(id=job.task_id).status == TaskResultStatus.SUCCESSFUL


def test_the_job_page_polls_until_the_job_ends_then_offers_the_file(world, kind, login, monkeypatch) -> None:
    key = kind(lambda j: Outcome("已导出 2 行", b"xlsx", "台账.xlsx"))
    job = do_start_job(world.user("maoqiao"), kind=key, unit=world.unit("毛桥村"))
    client = login("maoqiao")
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "排队中" in page and 'hx-trigger="every 1s"' in page and f"/jobs/{job.pk}/progress/" in page

    work_off(monkeypatch)

    fragment = client.get(f"/jobs/{job.pk}/progress/").content.decode()
    assert "已完成" in fragment and "已导出 2 行" in fragment and "hx-trigger" not in fragment
    url = result_of(job).get_absolute_url()
    assert url == f"/jobs/files/{result_of(job).pk}/" and url in fragment
    download = client.get(url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"xlsx"
    assert "attachment" in download["Content-Disposition"]
    assert "测试任务" in client.get("/jobs/").content.decode()


def test_a_job_that_raises_midway_is_failed_in_chinese_and_writes_nothing(world, kind, login, monkeypatch) -> None:
    unit = world.unit("毛桥村")

    def run(job):  # type: ignore[no-untyped-def]
        with transaction.atomic():
            WorkdayOverride.objects.create(unit=unit, day=dt.date(2030, 1, 2), is_workday=False)
            raise RuntimeError("disk full")

    job = do_start_job(world.user("maoqiao"), kind=kind(run), unit=unit)
    work_off(monkeypatch)

    failed = _job(job.pk)
    assert failed.state == JobState.FAILED and failed.summary == jobs.INTERNAL
    assert not every(WorkdayOverride).filter(day=dt.date(2030, 1, 2)).exists()
    page = login("maoqiao").get(f"/jobs/{job.pk}/").content.decode()
    assert "失败" in page and "未写入任何数据" in page and "disk full" not in page and "RuntimeError" not in page


def test_a_refused_action_ends_the_job_with_its_own_message(world, kind, monkeypatch) -> None:
    def run(job):  # type: ignore[no-untyped-def]
        raise ActionError("该年度尚未开展评定")

    job = do_start_job(world.user("maoqiao"), kind=kind(run), unit=world.unit("毛桥村"))
    work_off(monkeypatch)
    assert _job(job.pk).summary == "该年度尚未开展评定（未写入任何数据）"


def test_a_worker_stopped_midway_fails_the_job_and_its_transaction_is_rolled_back(world, kind, monkeypatch) -> None:
    """SystemExit is what the worker raises on a second Ctrl-C or SIGTERM while a task runs."""
    unit = world.unit("毛桥村")

    def run(job):  # type: ignore[no-untyped-def]
        with transaction.atomic():
            WorkdayOverride.objects.create(unit=unit, day=dt.date(2030, 1, 3), is_workday=False)
            raise SystemExit(1)

    job = do_start_job(world.user("maoqiao"), kind=kind(run), unit=unit)
    work_off(monkeypatch)

    assert _job(job.pk).state == JobState.FAILED and _job(job.pk).summary == jobs.INTERRUPTED
    assert not every(WorkdayOverride).filter(day=dt.date(2030, 1, 3)).exists()
    assert DBTaskResult.objects.get(id=job.task_id).status == TaskResultStatus.FAILED


def _killed(world, kind) -> Job:  # type: ignore[no-untyped-def]
    """A job whose worker was killed (kill -9) mid-run: left running, its heartbeat stopped long ago."""
    job = do_start_job(world.user("maoqiao"), kind=kind(lambda j: Outcome("不应执行")), unit=world.unit("毛桥村"))
    long_ago = timezone.now() - dt.timedelta(minutes=10)
    every(Job).filter(pk=job.pk).update(state=JobState.RUNNING, started_at=long_ago, heartbeat_at=long_ago)
    DBTaskResult.objects.filter(id=job.task_id).update(status=TaskResultStatus.RUNNING)
    return job


def test_the_next_worker_fails_the_job_a_killed_worker_left_running(world, kind, monkeypatch) -> None:
    recent = job_by(world, "maoqiao", "毛桥村", state=JobState.RUNNING, heartbeat_at=timezone.now())
    job = _killed(world, kind)
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)

    failed = _job(job.pk)
    assert failed.state == JobState.FAILED and failed.summary == jobs.INTERRUPTED
    assert DBTaskResult.objects.get(id=job.task_id).status == TaskResultStatus.FAILED
    assert _job(recent.pk).state == JobState.RUNNING  # a beating job belongs to a live worker


def test_a_stale_running_job_shows_as_failed_on_its_page(world, kind, login) -> None:
    job = _killed(world, kind)
    fragment = login("maoqiao").get(f"/jobs/{job.pk}/progress/").content.decode()
    assert "失败" in fragment and "后台程序在任务执行中停止" in fragment and "hx-trigger" not in fragment
    assert _job(job.pk).state == JobState.FAILED


def test_a_job_already_ended_is_not_run_again(world, kind, monkeypatch) -> None:
    calls = []
    job = do_start_job(
        world.user("maoqiao"), kind=kind(lambda j: calls.append(1) or Outcome("完成")), unit=world.unit("毛桥村")
    )
    every(Job).filter(pk=job.pk).update(state=JobState.FAILED, summary=jobs.INTERRUPTED)
    work_off(monkeypatch)
    assert calls == [] and _job(job.pk).state == JobState.FAILED


def test_secret_parameters_leave_the_database_when_the_worker_claims_the_job(world, kind, monkeypatch) -> None:
    got = []

    def run(job):  # type: ignore[no-untyped-def]
        got.append((job.secrets, dict(_job(job.job.pk).params)))
        return Outcome("完成")

    key = kind(run, secret=("initial_password",))
    job = do_start_job(
        world.user("maoqiao"), kind=key, unit=world.unit("毛桥村"), params={"code": "1", "initial_password": "Pw-9x!"}
    )
    work_off(monkeypatch)
    assert got == [({"initial_password": "Pw-9x!"}, {"code": "1"})]
    assert _job(job.pk).params == {"code": "1"}


def test_a_user_may_have_only_a_few_unfinished_jobs(world, kind) -> None:
    key = kind(lambda j: Outcome("完成"))
    for _ in range(jobs.MAX_OPEN_JOBS):
        do_start_job(world.user("maoqiao"), kind=key, unit=world.unit("毛桥村"))
    with pytest.raises(ActionError, match="尚未完成"):
        do_start_job(world.user("maoqiao"), kind=key, unit=world.unit("毛桥村"))


def test_a_job_outside_the_users_scope_is_refused(world, kind) -> None:
    with pytest.raises(ActionError, match="管辖范围"):
        do_start_job(world.user("maoqiao"), kind=kind(lambda j: Outcome("")), unit=world.unit("庄营村"))


def test_only_the_user_who_started_a_job_sees_it(world, login) -> None:
    """The county leader sees 毛桥村's records, but not the clerk's job or its file: it was made for him. Nor is
    a job's uploaded input served to anyone, its starter included."""
    from xingyao.core.tests.jobs import finished_job

    job = finished_job(world, "maoqiao", "毛桥村")
    for username in ("lingdao", "zhuangying"):
        client = login(username)
        for path in (f"/jobs/{job.pk}/", f"/jobs/{job.pk}/progress/", result_of(job).get_absolute_url()):
            assert client.get(path).status_code == 404, (username, path)
        assert "测试导出" not in client.get("/jobs/").content.decode()
    upload = _store(job, JobFile.INPUT, b"name,phone", "people.csv", "text/csv")
    assert login("maoqiao").get(upload.get_absolute_url()).status_code == 404
    assert login("maoqiao").get(result_of(job).get_absolute_url()).status_code == 200
