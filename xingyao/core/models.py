"""Core models: the append-only audit chain and the working-day override table."""

import hashlib
import hmac
import json
from typing import Any

from django.db import models

from xingyao.core.fields import actor_field
from xingyao.core.scoping import ScopedQuerySet


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
