"""Background jobs' pages: my jobs, one job (its progress fragment polled every second), its result file."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from xingyao.core import jobs
from xingyao.core.http import AuthedRequest
from xingyao.core.models import Job, JobState
from xingyao.core.uploads import serve_file
from xingyao.core.views_helpers import paginate, run_action

BIG_EXPORT = "数据较多，已转为后台导出：完成后在本页下载"
WAITING_LONG = dt.timedelta(minutes=1)  # queued this long: the worker is probably not running


def start_job(request: HttpRequest, fallback: str, note: str = "", **job: Any) -> HttpResponse:
    """Start a job (`core.jobs.do_start_job` arguments) and go to its page; refused, back to `fallback` with why."""
    started = run_action(request, lambda: jobs.do_start_job(request.user, **job))
    if not started or started.value is None:
        return redirect(fallback)
    if note:
        messages.info(request, note)
    return redirect(started.value)


def _context(request: AuthedRequest, job: Job) -> dict[str, object]:
    job = jobs.fail_if_stale(job)
    waiting_long = job.state == JobState.QUEUED and timezone.now() - job.created_at > WAITING_LONG
    return {"job": job, "file": jobs.result_file(request.user, job), "waiting_long": waiting_long}


@login_required
def job_list(request: AuthedRequest) -> HttpResponse:
    page = paginate(request, jobs.my_jobs(request.user).order_by("-created_at", "-id"))
    return render(request, "core/jobs.html", {"page": page})


@login_required
def job_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    job = jobs.access_job(request.user, pk)
    return render(request, "core/job.html", _context(request, job))


@login_required
def job_progress(request: AuthedRequest, pk: int) -> HttpResponse:
    """The status block alone, for HTMX polling; once the job has ended it carries no trigger, so polling stops."""
    job = jobs.access_job(request.user, pk)
    return render(request, "core/_job_status.html", _context(request, job))


@login_required
def job_file(request: AuthedRequest, pk: int) -> FileResponse:
    return serve_file(jobs.access_result_file(request.user, pk), download=True)
