"""The yearly assessment of a village, its values, evidence and steps; 公示 objections; awarded stars."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from xingyao.assessments.workflow import StarAction, StarStatus
from xingyao.core.scoping import ScopedQuerySet
from xingyao.core.uploads import StoredFile

STAR_STATUS_CHOICES = [(s.value, s.label) for s in StarStatus]
# The award itself opens a star's history; the other steps are the star-management actions.
AWARD = "award"
STAR_CHANGE_CHOICES = [(AWARD, "授星"), *[(a.value, a.label) for a in StarAction]]


class StarAward(models.Model):
    """A star a village holds for a year, and its dynamic-management status (警示、暂停、摘星)."""

    scope_fields = ("village__prefix",)

    village = models.ForeignKey("places.Unit", verbose_name="村", on_delete=models.PROTECT, related_name="star_awards")
    year = models.PositiveSmallIntegerField("年度")
    star_code = models.CharField("星编码", max_length=32)
    star_name = models.CharField("星", max_length=50)
    order = models.PositiveSmallIntegerField("顺序", default=0)
    status = models.CharField("状态", max_length=16, choices=STAR_STATUS_CHOICES, default=StarStatus.ACTIVE.value)
    awarded_at = models.DateTimeField("授星时间", default=timezone.now)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "授星"
        verbose_name_plural = "授星"
        ordering = ["village__code", "year", "order"]
        constraints = [
            models.UniqueConstraint(fields=["village", "year", "star_code"], name="star_award_unique"),
            models.CheckConstraint(
                condition=models.Q(status__in=[s.value for s in StarStatus]), name="star_award_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["year", "status"], name="star_award_year_status_idx")]

    def __str__(self) -> str:
        return f"{self.village} {self.year} {self.star_name}"

    @property
    def status_label(self) -> str:
        return StarStatus(self.status).label

    @property
    def held(self) -> bool:
        return self.status != StarStatus.REMOVED


class StarChange(models.Model):
    """One step in an awarded star's history: who, when, from, to and why; published on the public page."""

    scope_fields = ("award__village__prefix",)

    award = models.ForeignKey(StarAward, verbose_name="授星", on_delete=models.CASCADE, related_name="changes")
    action = models.CharField("操作", max_length=16, choices=STAR_CHANGE_CHOICES)
    from_status = models.CharField("原状态", max_length=16, blank=True)
    to_status = models.CharField("新状态", max_length=16, choices=STAR_STATUS_CHOICES)
    reason = models.TextField("理由", blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField("时间", default=timezone.now)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "星级动态管理记录"
        verbose_name_plural = "星级动态管理记录"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.award} {self.get_action_display()}"

    @property
    def to_label(self) -> str:
        return StarStatus(self.to_status).label


class StarChangeEvidence(StoredFile):
    """A photo or document behind a star-management step."""

    scope_fields = ("change__award__village__prefix",)

    change = models.ForeignKey(StarChange, verbose_name="记录", on_delete=models.CASCADE, related_name="evidence")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "动态管理佐证"
        verbose_name_plural = "动态管理佐证"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name
