"""Core models: the append-only audit chain, the working-day override table, atomic counters and background
jobs."""

import hashlib
import hmac
import json
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from xingyao.core.fields import actor_field
from xingyao.core.roles import Labelled
from xingyao.core.scoping import ScopedQuerySet
from xingyao.core.uploads import StoredFile


class AuditEntry(models.Model):
    """One state change: who, when, where, what, before → after; chained by keyed hash to the row before it.

    Each county has its own chain (`chain` is the county's 6-digit prefix, "" for rows above or outside any county),
    so writers in different counties never wait for each other; `seq` numbers a chain's rows 1, 2, 3, …
    """

    at = models.DateTimeField("时间", db_index=True)
    actor = actor_field("操作人")
    actor_name = models.CharField("操作人账号", max_length=150, blank=True)
    unit = models.ForeignKey(
        "places.Unit", verbose_name="单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    object_type = models.CharField("对象类型", max_length=100)
    object_id = models.CharField("对象编号", max_length=64)
    object_repr = models.CharField("对象", max_length=200, blank=True)
    action = models.CharField("操作", max_length=64)
    before = models.JSONField("变更前", null=True, blank=True)
    after = models.JSONField("变更后", null=True, blank=True)
    chain = models.CharField("审计链", max_length=6, blank=True)
    seq = models.PositiveBigIntegerField("链内序号")
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    scope_fields = ("unit__prefix",)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "审计记录"
        verbose_name_plural = "审计记录"
        ordering = ["-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]
        constraints = [
            # A chain never forks: two writers that both missed the lock cannot both append the same position.
            models.UniqueConstraint(fields=["chain", "seq"], name="audit_chain_seq_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise RuntimeError("审计记录只能追加，不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("审计记录只能追加，不能删除")

    def payload(self) -> dict[str, Any]:
        """The fields the hash covers, in a canonical form."""
        return {
            "chain": self.chain,
            "seq": self.seq,
            "at": self.at.isoformat(timespec="microseconds"),
            "actor": self.actor_id,
            "actor_name": self.actor_name,
            "unit": self.unit_id,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "object_repr": self.object_repr,
            "action": self.action,
            "before": self.before,
            "after": self.after,
        }

    def compute_hash(self, key: bytes) -> str:
        """HMAC-SHA256 under the deployment's audit key, which lives outside the database: whoever can rewrite
        rows cannot re-hash the chain after them without it."""
        body = json.dumps(self.payload(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hmac.new(key, (self.prev_hash + body).encode(), hashlib.sha256).hexdigest()


class WorkdayOverride(models.Model):
    """A day whose working status in a county (or town) differs from the national calendar."""

    scope_fields = ("unit__prefix",)

    unit = models.ForeignKey("places.Unit", verbose_name="适用单位", on_delete=models.CASCADE, related_name="+")
    day = models.DateField("日期")
    is_workday = models.BooleanField("是否工作日")
    note = models.CharField("说明", max_length=100, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "工作日调整"
        verbose_name_plural = "工作日调整"
        ordering = ["day"]
        constraints = [models.UniqueConstraint(fields=["unit", "day"], name="workday_override_unique")]

    def __str__(self) -> str:
        return f"{self.day} {'工作日' if self.is_workday else '休息日'}"


class Counter(models.Model):
    """A named counter moved only by one atomic UPSERT (`core.locks`, `core.ratelimit`): the next case number of a
    village and year (the row stays locked until the registering transaction ends, so numbers never collide), or
    the requests a rate-limit key made in its window (`expires_at` ends the window)."""

    name = models.CharField("名称", max_length=200, primary_key=True)
    value = models.BigIntegerField("计数", default=0)
    expires_at = models.DateTimeField("失效时间", null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = "计数器"
        verbose_name_plural = "计数器"

    def __str__(self) -> str:
        return f"{self.name} = {self.value}"


class JobState(Labelled):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "进行中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


class Job(models.Model):
    """A background job (core/jobs.py): who started it where, what it is, how far it got, and how it ended.

    Seen only by the user who started it, inside his scope (`core.jobs.access_job`).
    """

    scope_fields = ("unit__prefix",)

    kind = models.CharField("类型", max_length=40)
    label = models.CharField("名称", max_length=100)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发起人", on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey("places.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    state = models.CharField("状态", max_length=10, choices=JobState.choices(), default=JobState.QUEUED)
    params = models.JSONField("参数", default=dict, blank=True)
    done = models.PositiveIntegerField("已完成", default=0)
    total = models.PositiveIntegerField("总数", null=True, blank=True)
    summary = models.TextField("结果", blank=True)
    errors = models.JSONField("错误", default=list, blank=True)  # the first ERRORS_SHOWN, as sentences
    error_count = models.PositiveIntegerField("错误数", default=0)
    task_id = models.CharField("任务编号", max_length=64, blank=True)
    created_at = models.DateTimeField("发起时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    heartbeat_at = models.DateTimeField("最近心跳", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "后台任务"
        verbose_name_plural = "后台任务"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["started_by", "state"]), models.Index(fields=["state", "heartbeat_at"])]
        constraints = [models.CheckConstraint(condition=models.Q(state__in=JobState.values()), name="job_state_valid")]

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("core:job", args=[self.pk])

    @property
    def finished(self) -> bool:
        return self.state in (JobState.DONE, JobState.FAILED)

    @property
    def state_label(self) -> str:
        return JobState(self.state).label

    @property
    def percent(self) -> int | None:
        if not self.total:
            return None
        return min(100, self.done * 100 // self.total)


class JobFile(StoredFile):
    """A job's uploaded input (an import's sheet) or its result (an export, an import's error list)."""

    INPUT, RESULT = "input", "result"

    scope_fields = ("job__unit__prefix",)
    file_route = "core:job_file"  # a result file, for the user who started the job (the input is never served)

    job = models.ForeignKey(Job, verbose_name="任务", on_delete=models.CASCADE, related_name="files")
    purpose = models.CharField("用途", max_length=10, choices=[(INPUT, "上传文件"), (RESULT, "结果文件")])

    objects = ScopedQuerySet.as_manager()

    class Meta(StoredFile.Meta):
        verbose_name = "任务文件"
        verbose_name_plural = "任务文件"
        constraints = [models.UniqueConstraint(fields=["job", "purpose"], name="job_file_one_per_purpose")]


class Submission(models.Model):
    """A form sent from a phone under a client-made id (an offline report replayed when the signal returns): the
    first arrival creates the record, every later one answers with it, so a report is stored exactly once."""

    client_id = models.UUIDField("客户端编号", primary_key=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="提交人", on_delete=models.CASCADE, related_name="+"
    )
    object_type = models.CharField("记录类型", max_length=100)
    object_id = models.CharField("记录编号", max_length=40)
    at = models.DateTimeField("提交时间", default=timezone.now)

    class Meta:
        verbose_name = "离线提交"
        verbose_name_plural = "离线提交"

    def __str__(self) -> str:
        return f"{self.object_type}#{self.object_id}"
