"""The yearly assessment of a village, its values, evidence and steps; 公示 objections; awarded stars."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models
from django.utils import timezone

from xingyao.assessments.workflow import (
    MAX_PUBLICITY_DAYS,
    MIN_PUBLICITY_DAYS,
    Decision,
    StarAction,
    StarStatus,
    State,
)
from xingyao.assessments.workflow import Action as WAction
from xingyao.core.fields import actor_field
from xingyao.core.history import HistoryStep
from xingyao.core.scoping import ScopedQuerySet
from xingyao.core.uploads import StoredFile

STATE_CHOICES = [(s.value, s.label) for s in State]
STAR_STATUS_CHOICES = [(s.value, s.label) for s in StarStatus]
# The award itself opens a star's history; the other steps are the star-management actions.
AWARD = "award"
STAR_CHANGE_CHOICES = [(AWARD, "授星"), *[(a.value, a.label) for a in StarAction]]


class Assessment(models.Model):
    """A village's assessment for one year against its county's published criteria set."""

    # The village's subtree, and the county department that reviews one of the set's stars (分星部门审核).
    scope_fields = ("village__prefix", "criteria_set__stars__review_department__prefix")

    village = models.ForeignKey("places.Unit", verbose_name="村", on_delete=models.PROTECT, related_name="assessments")
    year = models.PositiveSmallIntegerField("年度")
    criteria_set = models.ForeignKey(
        "stars.CriteriaSet", verbose_name="评定标准", on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField("状态", max_length=20, choices=STATE_CHOICES, default=State.DRAFT.value)
    state_since = models.DateTimeField("进入当前状态", default=timezone.now)
    due_date = models.DateField("办理期限", null=True, blank=True)
    publicity_start = models.DateField("公示开始", null=True, blank=True)
    publicity_days = models.PositiveSmallIntegerField("公示天数", null=True, blank=True)
    # The score as last computed from the values: what lists, rankings and the public page show.
    star_count = models.PositiveSmallIntegerField("星数", default=0)
    points = models.DecimalField("总分", max_digits=10, decimal_places=2, default=0)
    passed_stars = models.JSONField("达标星", default=list, blank=True)
    scored_at = models.DateTimeField("计分时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "年度评定"
        verbose_name_plural = "年度评定"
        ordering = ["-year", "village__code"]
        constraints = [
            models.UniqueConstraint(fields=["village", "year"], name="assessment_one_per_village_year"),
            models.CheckConstraint(
                condition=models.Q(state__in=[s.value for s in State]), name="assessment_state_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(publicity_start__isnull=True, publicity_days__isnull=True)
                | models.Q(
                    publicity_start__isnull=False,
                    publicity_days__gte=MIN_PUBLICITY_DAYS,
                    publicity_days__lte=MAX_PUBLICITY_DAYS,
                ),
                name="assessment_publicity_complete",
            ),
        ]
        indexes = [models.Index(fields=["year", "state"], name="assessment_year_state_idx")]

    def __str__(self) -> str:
        return f"{self.village} {self.year}年度评定"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("assessments:detail", args=[self.pk])

    @property
    def unit(self) -> models.Model:
        return self.village

    @property
    def state_enum(self) -> State:
        return State(self.state)

    @property
    def state_label(self) -> str:
        return State(self.state).label

    @property
    def publicity_end(self) -> dt.date | None:
        if self.publicity_start is None or self.publicity_days is None:
            return None
        return self.publicity_start + dt.timedelta(days=self.publicity_days - 1)


class IndicatorValue(models.Model):
    """One indicator's values: the village's, the town's and the county's, and what the records say."""

    # A reviewing department reads the values of the stars it reviews.
    scope_fields = ("assessment__village__prefix", "indicator__star__review_department__prefix")

    assessment = models.ForeignKey(Assessment, verbose_name="评定", on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey("stars.Indicator", verbose_name="指标", on_delete=models.PROTECT, related_name="+")
    self_value = models.JSONField("村级自评", null=True, blank=True)
    town_value = models.JSONField("乡镇初审", null=True, blank=True)
    county_value = models.JSONField("县级审定", null=True, blank=True)
    derived_value = models.JSONField("系统数据", null=True, blank=True)
    derived_at = models.DateTimeField("系统数据时间", null=True, blank=True)
    correction_note = models.TextField("更正说明", blank=True)
    town_note = models.TextField("乡镇意见", blank=True)
    county_note = models.TextField("县级意见", blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "指标值"
        verbose_name_plural = "指标值"
        ordering = ["assessment", "indicator__star__order", "indicator__section__order", "indicator__order"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "indicator"], name="indicator_value_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.assessment} {self.indicator_id}"


class StepLog(HistoryStep):
    """One step of an assessment's cycle: who, when, from which state to which, and why.

    `data` holds the values as they stood at this step: a reviewer sees what changed since his last.
    """

    # A department reviewing one of the set's stars sees the record's history (its snapshots cut to its stars).
    scope_fields = ("assessment__village__prefix", "assessment__criteria_set__stars__review_department__prefix")

    assessment = models.ForeignKey(Assessment, verbose_name="评定", on_delete=models.CASCADE, related_name="steps")

    objects = ScopedQuerySet.as_manager()

    class Meta(HistoryStep.Meta):
        verbose_name = "流程记录"
        verbose_name_plural = "流程记录"

    def __str__(self) -> str:
        return f"{self.assessment} {self.action}"

    @property
    def from_label(self) -> str:
        return State(self.from_state).label if self.from_state else ""

    @property
    def to_label(self) -> str:
        return State(self.to_state).label


STEP_LABELS = {"create": "创建", **{a.value: a.label for a in WAction}}


class Evidence(StoredFile):
    """A photo or document behind one indicator of an assessment."""

    scope_fields = ("assessment__village__prefix", "indicator__star__review_department__prefix")

    assessment = models.ForeignKey(Assessment, verbose_name="评定", on_delete=models.CASCADE, related_name="evidence")
    indicator = models.ForeignKey("stars.Indicator", verbose_name="指标", on_delete=models.PROTECT, related_name="+")
    caption = models.CharField("说明", max_length=200, blank=True)
    uploaded_by = actor_field("上传人", blank=False)

    objects = ScopedQuerySet.as_manager()
    file_route = "assessments:evidence_file"

    class Meta:
        verbose_name = "佐证材料"
        verbose_name_plural = "佐证材料"
        ordering = ["id"]


DECISION_CHOICES = [(d.value, d.label) for d in Decision]


class StarReview(models.Model):
    """A department's decision on one star of an assessment (分星部门审核); a send-back returns the whole record."""

    scope_fields = ("assessment__village__prefix", "department__prefix")

    assessment = models.ForeignKey(
        Assessment, verbose_name="评定", on_delete=models.CASCADE, related_name="star_reviews"
    )
    star_code = models.CharField("星编码", max_length=32)
    department = models.ForeignKey("places.Unit", verbose_name="审核部门", on_delete=models.PROTECT, related_name="+")
    decision = models.CharField("审核结果", max_length=16, choices=DECISION_CHOICES)
    reason = models.TextField("理由", blank=True)
    actor = actor_field("审核人", blank=False)
    at = models.DateTimeField("时间", default=timezone.now)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "分星部门审核"
        verbose_name_plural = "分星部门审核"
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(decision__in=[d.value for d in Decision]), name="star_review_decision_valid"
            ),
        ]
        indexes = [models.Index(fields=["assessment", "star_code"], name="star_review_star_idx")]

    def __str__(self) -> str:
        return f"{self.assessment} {self.star_code} {self.get_decision_display()}"

    @property
    def unit(self) -> models.Model:
        return self.assessment.village


class ObjectionStatus(models.TextChoices):
    OPEN = "open", "待处理"
    UPHELD = "upheld", "异议成立"
    DISMISSED = "dismissed", "异议不成立"


class Objection(models.Model):
    """An objection filed from the public notice page; it pauses the village's award until decided."""

    scope_fields = ("assessment__village__prefix",)

    assessment = models.ForeignKey(Assessment, verbose_name="评定", on_delete=models.CASCADE, related_name="objections")
    content = models.TextField("异议内容")
    contact = models.CharField("联系方式", max_length=100)
    name = models.CharField("姓名", max_length=50, blank=True)
    filed_at = models.DateTimeField("提交时间", default=timezone.now)
    status = models.CharField(
        "处理状态", max_length=16, choices=ObjectionStatus.choices, default=ObjectionStatus.OPEN.value
    )
    decision = models.TextField("处理意见", blank=True)
    decided_by = actor_field("处理人")
    decided_at = models.DateTimeField("处理时间", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "异议"
        verbose_name_plural = "异议"
        ordering = ["-filed_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ObjectionStatus.values), name="objection_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment} 异议"

    @property
    def is_open(self) -> bool:
        return self.status == ObjectionStatus.OPEN


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
    assessment = models.ForeignKey(
        Assessment, verbose_name="评定", null=True, blank=True, on_delete=models.PROTECT, related_name="awards"
    )

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


class StarChange(HistoryStep):
    """One step in an awarded star's history: who, when, from, to and why; published on the public page."""

    scope_fields = ("award__village__prefix",)

    award = models.ForeignKey(StarAward, verbose_name="授星", on_delete=models.CASCADE, related_name="changes")
    # The public notice names the step by its choice label.
    action = models.CharField("操作", max_length=32, choices=STAR_CHANGE_CHOICES)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "星级动态管理记录"
        verbose_name_plural = "星级动态管理记录"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.award} {self.get_action_display()}"

    @property
    def to_label(self) -> str:
        return StarStatus(self.to_state).label


class StarChangeEvidence(StoredFile):
    """A photo or document behind a star-management step."""

    scope_fields = ("change__award__village__prefix",)

    change = models.ForeignKey(StarChange, verbose_name="记录", on_delete=models.CASCADE, related_name="evidence")

    objects = ScopedQuerySet.as_manager()
    file_route = "assessments:star_evidence_file"

    class Meta:
        verbose_name = "动态管理佐证"
        verbose_name_plural = "动态管理佐证"
        ordering = ["id"]


class PaperNotice(StoredFile):
    """A paper notice (纸质公示) posted on the village's board, with its date and a photo. It records what was done
    beside the online notice and shortens nothing: the objection window runs from the day the online notice opens.
    """

    scope_fields = ("assessment__village__prefix",)

    assessment = models.ForeignKey(
        Assessment, verbose_name="评定", on_delete=models.CASCADE, related_name="paper_notices"
    )
    posted_on = models.DateField("张贴日期")
    recorded_by = actor_field("登记人")

    objects = ScopedQuerySet.as_manager()
    file_route = "assessments:paper_notice_file"

    class Meta:
        verbose_name = "纸质公示"
        verbose_name_plural = "纸质公示"
        ordering = ["posted_on", "id"]


class NoticeKind(models.TextChoices):
    PUBLICITY = "publicity", "评定结果公示"
    AWARD = "award", "授星公告"
    STAR_CHANGE = "star_change", "星级动态管理公告"


class AppendOnlyQuerySet(ScopedQuerySet["PublishedNotice"]):
    """A published notice is never rewritten or withdrawn through the ORM (the database refuses it too)."""

    def update(self, **kwargs: Any) -> int:
        raise RuntimeError("已发布的公告只能追加，不能修改")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise RuntimeError("已发布的公告只能追加，不能删除")


class PublishedNotice(models.Model):
    """A notice as it was published on the public site (公示 opened, stars awarded, a star changed): its content
    frozen as canonical JSON, whose SHA-256 the audit chain holds. Append-only, in the ORM and in the database."""

    scope_fields = ("village__prefix",)

    kind = models.CharField("公告类型", max_length=16, choices=NoticeKind.choices)
    village = models.ForeignKey("places.Unit", verbose_name="村", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    assessment = models.ForeignKey(
        Assessment, verbose_name="评定", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    star_change = models.ForeignKey(
        StarChange, verbose_name="动态管理记录", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField("发布时间", default=timezone.now)
    # The canonical JSON text itself (sorted keys, no spaces): hashing the stored text needs no re-serialising,
    # which a jsonb column would make depend on the database's key order.
    content = models.TextField("发布内容")
    digest = models.CharField("内容摘要（SHA-256）", max_length=64)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = "已发布公告"
        verbose_name_plural = "已发布公告"
        ordering = ["published_at", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=NoticeKind.values), name="published_notice_kind_valid"),
        ]
        indexes = [models.Index(fields=["year", "kind"], name="published_notice_year_idx")]

    def __str__(self) -> str:
        return f"{self.village} {self.year} {self.get_kind_display()}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise RuntimeError("已发布的公告只能追加，不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise RuntimeError("已发布的公告只能追加，不能删除")

    @property
    def unit(self) -> models.Model:
        return self.village
