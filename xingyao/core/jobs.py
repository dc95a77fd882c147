"""Background jobs with progress: big exports and imports, a year's rescoring (not `core.tasks`, the home page's
to-do counts).

An app lists its kinds of job in its `jobs.py` and registers them from `AppConfig.ready()`:

    jobs.register(JobKind("grid.export_events", "导出网格事件台账", run=_export_events))

A view starts one with `do_start_job(user, kind=..., unit=..., params=..., upload=...)`: one transaction writes the
`Job` row, its uploaded input, the audit row and the django-tasks task (the database backend keeps the task in
the same database, so a job is queued with its task or not at all), and the view redirects to the job's page
(`/jobs/<id>/`), which polls a fragment every second.

`xingyao db_worker` runs `run_job`: it claims the job (queued → running) in a short transaction, calls the kind's
`run(JobRun)`, and ends the job (done with its summary and result file, or failed with Chinese errors) in another.
Progress (`JobRun.progress`) and the heartbeat (a thread, every XINGYAO_JOB_HEARTBEAT_SECONDS) are short writes of
their own (on SQLite, the demo's database, a beat waits while the job's own write transaction holds the lock, so
XINGYAO_JOB_STALE_SECONDS must exceed the longest write; PostgreSQL has no such wait).

The real work runs in one transaction — a `do_*` action's own, or for an export the transaction that stores the
file and marks the job done — so a worker killed midway leaves nothing half-written; its job keeps `running` with
a heartbeat that stops, and is marked failed when the next worker starts or when its page is looked at after
XINGYAO_JOB_STALE_SECONDS (`fail_stale_jobs`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import IO, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import DatabaseError, connections, transaction
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone
from django_tasks import task

from xingyao.core import audit, exports
from xingyao.core.actors import require_actor
from xingyao.core.errors import ActionError
from xingyao.core.models import Job, JobFile, JobState
from xingyao.core.roles import Action
from xingyao.core.scoping import access, covers
from xingyao.core.sheets import SHOWN_ERRORS, CellError, ImportFailed

logger = logging.getLogger(__name__)

ERRORS_SHOWN = SHOWN_ERRORS  # errors kept on the job and shown on its page; the whole list goes in a sheet
MAX_OPEN_JOBS = 3  # unfinished jobs a user may have started in the last OPEN_WINDOW
OPEN_WINDOW = dt.timedelta(minutes=30)
MAX_INPUT_BYTES = 50 * 1024 * 1024
MAX_PARAMS = 30  # query parameters kept for an export job; each value at most 200 characters
PROGRESS_EVERY = 0.5  # seconds between progress writes

INTERNAL = "任务执行出错，未写入任何数据。请稍后重试；如仍出错请联系系统管理员。"
INTERRUPTED = "后台程序在任务执行中停止（重启或被终止），任务未完成，未写入任何数据。请重新发起。"
INACTIVE = "发起人的账号已停用，任务未执行"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Outcome:
    """What a finished job reports: a Chinese summary, and a result file when there is one."""

    summary: str
    content: bytes | None = None
    filename: str = ""
    content_type: str = XLSX


@dataclass(frozen=True)
class JobKind:
    """One kind of job: app-qualified key, Chinese name, the function that does it.

    `secret` names parameters (an initial password) that are wiped from the job as soon as a worker claims it.
    """

    key: str
    label: str
    run: Callable[[JobRun], Outcome]
    secret: tuple[str, ...] = ()


KINDS: dict[str, JobKind] = {}


def register(*kinds: JobKind) -> None:
    for kind in kinds:
        KINDS[kind.key] = kind


@dataclass
class JobRun:
    """What a job's function gets: the job, the user who started it (acting as himself), its parameters."""

    job: Job
    user: Any
    params: dict[str, Any]
    secrets: dict[str, Any] = field(default_factory=dict)
    _last: float = 0.0

    def progress(self, done: int, total: int | None = None) -> None:
        """Record how far the job got, in a short write of its own (call it outside the work's transaction)."""
        now = time.monotonic()
        if now - self._last < PROGRESS_EVERY and done != total:
            return
        self._last = now
        changes: dict[str, Any] = {"done": done, "heartbeat_at": timezone.now()}
        if total is not None:
            changes["total"] = total
        try:
            _jobs("a worker writes its own job's progress").filter(pk=self.job.pk, state=JobState.RUNNING).update(
                **changes
            )
        except DatabaseError:  # progress is for the eyes: a busy database (SQLite) must not fail the work
            logger.info("progress of job %s skipped: database busy", self.job.pk)

    def counted(self, rows: Iterable[Any], total: int) -> Iterator[Any]:
        """Yield `rows`, recording progress as they pass."""
        self.progress(0, total)
        number = 0
        for number, row in enumerate(rows, start=1):
            if number % 500 == 0:
                self.progress(number, total)
            yield row
        self.progress(number, total)

    @contextmanager
    def ledger_progress(self, total: int) -> Iterator[None]:
        """Progress while a `core.exports.Sheet` writes `total` rows."""
        self.progress(0, total)
        token = exports.rows_written.set(lambda n: self.progress(n, total))
        try:
            yield
        finally:
            exports.rows_written.reset(token)

    def input(self) -> JobFile:
        """The job's uploaded file (an import's sheet): `.file.open("rb")`, `.original_name`."""
        stored = JobFile.objects.unscoped("the worker reads its own job's upload").filter(
            job_id=self.job.pk, purpose=JobFile.INPUT
        )
        found = stored.first()
        if found is None:
            raise ActionError("任务的上传文件已不存在")
        return found


def _jobs(why: str) -> QuerySet[Job]:
    return Job.objects.unscoped(why)  # type: ignore[attr-defined,no-any-return]


# ---- starting a job (views)


def export_is_big(rows: QuerySet[Any]) -> bool:
    """Whether an export has more rows than a request should write (XINGYAO_JOB_EXPORT_ROWS)."""
    return int(rows.count()) > settings.XINGYAO_JOB_EXPORT_ROWS


def upload_is_big(upload: Any) -> bool:
    """Whether an import's file is large enough to run as a job (XINGYAO_JOB_IMPORT_BYTES)."""
    return int(getattr(upload, "size", 0) or 0) > settings.XINGYAO_JOB_IMPORT_BYTES


def query_params(data: QueryDict) -> dict[str, list[str]]:
    """A request's query parameters as a job keeps them (bounded), for `as_query` in the worker."""
    kept: dict[str, list[str]] = {}
    for key, values in list(data.lists())[:MAX_PARAMS]:
        kept[key[:50]] = [str(v)[:200] for v in values[:10]]
    return kept


def as_query(params: Mapping[str, Sequence[str]]) -> QueryDict:
    query = QueryDict(mutable=True)
    for key, values in params.items():
        query.setlist(key, list(values))
    return query


def do_start_job(
    actor: Any,
    *,
    kind: str,
    unit: Any,
    params: Mapping[str, Any] | None = None,
    upload: IO[bytes] | None = None,
    filename: str = "",
    label: str = "",
) -> Job:
    """Queue a job of `kind` at `unit` for `actor`; with `upload`, the file is stored for the worker to read."""
    require_actor(actor)
    spec = KINDS[kind]  # an unregistered kind is a programming error, not bad input
    if not getattr(actor, "is_authenticated", False):
        raise ActionError("后台任务须由登录的用户发起")
    if not covers(actor, Action.VIEW, unit.prefix):
        raise ActionError("该单位不在您的管辖范围内")
    content = _read_input(upload) if upload is not None else None
    with transaction.atomic(durable=True):
        recent = _jobs("a user's own unfinished jobs, to bound them").filter(
            started_by=actor,
            state__in=[JobState.QUEUED, JobState.RUNNING],
            created_at__gte=timezone.now() - OPEN_WINDOW,
        )
        if recent.count() >= MAX_OPEN_JOBS:
            raise ActionError(f"您已有 {MAX_OPEN_JOBS} 个后台任务尚未完成，请等它们完成后再发起")
        job = Job.objects.create(
            kind=kind, label=(label or spec.label)[:100], started_by=actor, unit=unit, params=dict(params or {})
        )
        if content is not None:
            _store(job, JobFile.INPUT, content, filename or "upload", _content_type(filename))
        audit.record(actor=actor, action="job.start", obj=job, unit=unit, after={"kind": kind, "label": job.label})
        result = run_job.enqueue(job.pk)
        job.task_id = str(result.id)
        job.save(update_fields=["task_id"])
    return job


def _read_input(upload: IO[bytes]) -> bytes:
    data = upload.read(MAX_INPUT_BYTES + 1)
    if len(data) > MAX_INPUT_BYTES:
        raise ActionError(f"文件超过 {MAX_INPUT_BYTES // (1024 * 1024)} MB", "file")
    if not data:
        raise ActionError("文件是空的", "file")
    return data


def _content_type(filename: str) -> str:
    return "text/csv" if filename.lower().endswith(".csv") else XLSX


def _store(job: Job, purpose: str, content: bytes, name: str, content_type: str) -> JobFile:
    digest = hashlib.sha256(content).hexdigest()
    suffix = "." + name.rsplit(".", 1)[-1].lower()[:5] if "." in name else ""
    stored = JobFile(
        job=job,
        purpose=purpose,
        original_name=name[:200],
        content_type=content_type,
        size=len(content),
        sha256=digest,
    )
    stored.file.save(f"job-{digest[:16]}{suffix}", ContentFile(content), save=False)
    stored.save()
    return stored


# ---- reading jobs (views)


def access_job(user: Any, pk: Any) -> Job:
    """A job the user started, inside his scope; 404 for anyone else's."""
    mine = Job.objects.select_related("unit").filter(started_by_id=getattr(user, "pk", None))
    return access(mine, user, pk)


def my_jobs(user: Any) -> QuerySet[Job]:
    return Job.objects.restrict(user).filter(started_by_id=user.pk).select_related("unit")  # type: ignore[attr-defined,no-any-return]


def access_result_file(user: Any, pk: Any) -> JobFile:
    """A result file of a job the user started, inside his scope; 404 for anyone else's, and for any input."""
    mine = JobFile.objects.filter(job__started_by_id=getattr(user, "pk", None), purpose=JobFile.RESULT)
    return access(mine, user, pk)


def result_file(user: Any, job: Job) -> JobFile | None:
    files = JobFile.objects.restrict(user).filter(job=job, purpose=JobFile.RESULT)  # type: ignore[attr-defined]
    found: JobFile | None = files.first()
    return found


# ---- a worker that died


def _stale_before() -> dt.datetime:
    return timezone.now() - dt.timedelta(seconds=settings.XINGYAO_JOB_STALE_SECONDS)


def fail_stale_jobs() -> int:
    """Mark failed every running job whose heartbeat stopped (its worker died); returns how many."""
    with transaction.atomic(durable=True):
        stale = list(
            _jobs("the system fails jobs whose worker stopped, wherever they are")
            .select_for_update()
            .filter(state=JobState.RUNNING, heartbeat_at__lt=_stale_before())
        )
        for job in stale:
            _mark_failed(job, INTERRUPTED)
        _fail_tasks([job.task_id for job in stale])
    if stale:
        logger.warning("marked %d background job(s) failed: their worker stopped", len(stale))
    return len(stale)


def fail_if_stale(job: Job) -> Job:
    """The job as its page shows it: a running job whose heartbeat stopped is marked failed first."""
    if job.state == JobState.RUNNING and job.heartbeat_at and job.heartbeat_at < _stale_before():
        try:
            fail_stale_jobs()
        except DatabaseError:  # SQLite busy with a job's write: show the job as it is; the next poll tries again
            return job
        job.refresh_from_db()
    return job


def _fail_tasks(task_ids: list[str]) -> None:
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    ids = [t for t in task_ids if t]
    if ids:
        DBTaskResult.objects.filter(id__in=ids, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.FAILED, finished_at=timezone.now()
        )


def _mark_failed(job: Job, summary: str, errors: Sequence[str] = (), error_count: int = 0) -> None:
    job.state = JobState.FAILED
    job.summary = summary
    job.errors = list(errors[:ERRORS_SHOWN])
    job.error_count = error_count or len(errors)
    job.finished_at = timezone.now()
    job.save(update_fields=["state", "summary", "errors", "error_count", "finished_at"])


# ---- the worker's side


class _Heartbeat(threading.Thread):
    """Writes the running job's heartbeat every few seconds while its function works (its own connection)."""

    def __init__(self, job_id: int) -> None:
        super().__init__(name=f"job-{job_id}-heartbeat", daemon=True)
        self.job_id = job_id
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopped.wait(settings.XINGYAO_JOB_HEARTBEAT_SECONDS):
                try:
                    _jobs("a worker beats for its own job").filter(pk=self.job_id, state=JobState.RUNNING).update(
                        heartbeat_at=timezone.now()
                    )
                except DatabaseError:  # SQLite: the job's own write holds the lock; the next beat tries again
                    logger.info("heartbeat of job %s skipped: database busy", self.job_id)
        finally:
            connections.close_all()  # this thread's connections only

    def stop(self) -> None:
        self.stopped.set()
        self.join(timeout=5)


def _claim(job_id: int) -> tuple[Job, dict[str, Any]] | None:
    """queued → running, in a short transaction; the kind's secret parameters leave the database here."""
    with transaction.atomic(durable=True):
        job = _jobs("the worker claims the job it was given").select_for_update().filter(pk=job_id).first()
        if job is None or job.state != JobState.QUEUED:
            return None
        kind = KINDS.get(job.kind)
        secrets = {k: job.params.pop(k) for k in (kind.secret if kind else ()) if k in job.params}
        now = timezone.now()
        job.state, job.started_at, job.heartbeat_at = JobState.RUNNING, now, now
        job.save(update_fields=["state", "started_at", "heartbeat_at", "params"])
    return job, secrets


@task()
def run_job(job_id: int) -> str:
    """The django-task behind every job: claim, run the kind's function, end done or failed."""
    claimed = _claim(job_id)
    if claimed is None:
        return "skipped"
    job, secrets = claimed
    beat = _Heartbeat(job.pk)
    beat.start()
    try:
        kind = KINDS.get(job.kind)
        if kind is None:
            raise ActionError("此类任务已不再提供")
        user = get_user_model().objects.filter(pk=job.started_by_id, is_active=True).first()
        if user is None:
            raise ActionError(INACTIVE)
        outcome = kind.run(JobRun(job=job, user=user, params=dict(job.params), secrets=secrets))
    except ImportFailed as exc:
        _end_failed(job, f"导入失败，共 {len(exc.errors)} 处错误，未写入任何数据", exc.errors)
    except ActionError as exc:
        _end_failed(job, exc.message if "未写入" in exc.message else f"{exc.message}（未写入任何数据）")
    except Exception:
        logger.exception("background job %s (%s) failed", job.pk, job.kind)
        _end_failed(job, INTERNAL)
    except BaseException:  # the worker is being stopped: say so now rather than when the heartbeat goes stale
        _end_failed(job, INTERRUPTED)
        raise
    else:
        _end_done(job, outcome)
    finally:
        beat.stop()
    return str(_jobs("the worker re-reads its own job").values_list("state", flat=True).get(pk=job.pk))


def _end_done(job: Job, outcome: Outcome) -> None:
    """Store the result file and mark the job done: one transaction, so both are there or neither."""
    with transaction.atomic(durable=True):
        locked = _jobs("the worker ends its own job").select_for_update().get(pk=job.pk)
        if outcome.content is not None:
            _store(locked, JobFile.RESULT, outcome.content, outcome.filename or "结果.xlsx", outcome.content_type)
        locked.state = JobState.DONE
        locked.summary = outcome.summary
        if locked.total is not None:
            locked.done = locked.total
        locked.finished_at = timezone.now()
        locked.save(update_fields=["state", "summary", "done", "finished_at"])


def _end_failed(job: Job, summary: str, errors: Sequence[CellError] = ()) -> None:
    with transaction.atomic(durable=True):
        locked = _jobs("the worker ends its own job").select_for_update().get(pk=job.pk)
        if errors:  # every error, in the same sheet an import page offers
            _store(locked, JobFile.RESULT, exports.error_workbook(errors), f"{locked.label}-错误清单.xlsx", XLSX)
        _mark_failed(locked, summary, [str(e) for e in errors[:ERRORS_SHOWN]], len(errors))
