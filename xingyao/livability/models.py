"""人居环境 and 文明幸福 records of a village: environment works with before/after photos, sanitary-toilet coverage,
the 党群服务中心 and its rooms, services handled there, cultural and service activities, and honours."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from xingyao.core.fields import actor_field
from xingyao.core.scoping import ScopedQuerySet
from xingyao.core.uploads import StoredFile
from xingyao.livability.vocabulary import (
    UNIT_OF,
    ActivityKind,
    HonourLevel,
    Measure,
    Outcome,
    PhotoStage,
    ServiceMode,
    WorkKind,
)

if TYPE_CHECKING:
    from xingyao.places.models import Unit

VILLAGE = "村（社区）"


def _village() -> models.ForeignKey[Unit, Unit]:
    return models.ForeignKey("places.Unit", verbose_name=VILLAGE, on_delete=models.PROTECT, related_name="+")


class Work(models.Model):
    """One environment work in a village: a road repaired or widened, drains, flower beds, a plaza, wall paintings,
    sanitary toilets or a clean-up campaign, with its quantity in the kind's own unit."""

    scope_fields = ("village__prefix",)

    village = _village()
    kind = models.CharField("类型", max_length=20, choices=WorkKind.choices())
    quantity = models.DecimalField("数量", max_digits=12, decimal_places=2)
    unit = models.CharField("单位", max_length=10, choices=Measure.choices())
    place = models.CharField("名称或位置", max_length=100)
    started_on = models.DateField("开工日期")
    finished_on = models.DateField("完工日期", null=True, blank=True)
    cost = models.DecimalField("投资（万元）", max_digits=12, decimal_places=2, null=True, blank=True)
    note = models.CharField("备注", max_length=300, blank=True)
    recorded_by = actor_field("登记人")
    created_at = models.DateTimeField("录入时间", default=timezone.now)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "人居环境工程"
        verbose_name_plural = "人居环境工程"
        ordering = ["-started_on", "-id"]
        indexes = [models.Index(fields=["village", "finished_on"], name="work_village_finished_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=WorkKind.values()), name="work_kind_valid"),
            models.CheckConstraint(
                condition=Q(*(Q(kind=k, unit=u) for k, u in UNIT_OF.items()), _connector=Q.OR),
                name="work_unit_matches_kind",
            ),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="work_quantity_positive"),
            models.CheckConstraint(
                condition=Q(finished_on__isnull=True) | Q(finished_on__gte=F("started_on")),
                name="work_finished_after_started",
            ),
            models.CheckConstraint(condition=Q(cost__isnull=True) | Q(cost__gte=0), name="work_cost_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.place}（{self.kind_label}）"

    def get_absolute_url(self) -> str:
        return reverse("livability:work", args=[self.pk])

    @property
    def kind_label(self) -> str:
        return WorkKind(self.kind).label

    @property
    def unit_label(self) -> str:
        return Measure(self.unit).label

    @property
    def quantity_text(self) -> str:
        return f"{self.quantity.normalize():f} {self.unit_label}"


class ToiletCoverage(models.Model):
    """A village's sanitary-toilet coverage in a year: households with a sanitary toilet out of all households."""

    scope_fields = ("village__prefix",)

    village = _village()
    year = models.PositiveSmallIntegerField("年度")
    households = models.PositiveIntegerField("农户总数")
    covered = models.PositiveIntegerField("已改造卫生厕所户数")
    recorded_by = actor_field("登记人")
    updated_at = models.DateTimeField("更新时间", default=timezone.now)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "卫生厕所普及情况"
        verbose_name_plural = "卫生厕所普及情况"
        ordering = ["-year", "village__code"]
        constraints = [
            models.UniqueConstraint(fields=["village", "year"], name="toilet_one_per_village_year"),
            models.CheckConstraint(condition=Q(covered__lte=F("households")), name="toilet_covered_le_households"),
            models.CheckConstraint(condition=Q(households__gt=0), name="toilet_households_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.year}年 {self.covered}/{self.households}"

    @property
    def rate(self) -> str:
        return f"{self.covered * 100 / self.households:.1f}%"


class RoomStandard(models.Model):
    """A county's list of the rooms a 党群服务中心 must have (一厅五室 unless it sets its own)."""

    scope_fields = ("county__prefix",)
    scope_view_from_below = True

    county = models.OneToOneField("places.Unit", verbose_name="县", on_delete=models.PROTECT, related_name="+")
    rooms = models.JSONField("功能室", default=list)
    updated_at = models.DateTimeField("更新时间", default=timezone.now)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "党群服务中心功能室标准"
        verbose_name_plural = "党群服务中心功能室标准"

    def __str__(self) -> str:
        return "、".join(self.rooms)


class Centre(models.Model):
    """A village's 党群服务中心: area, the rooms it has, when it was built, rebuilt or upgraded."""

    scope_fields = ("village__prefix",)

    village = models.OneToOneField("places.Unit", verbose_name=VILLAGE, on_delete=models.PROTECT, related_name="+")
    name = models.CharField("名称", max_length=100)
    area = models.DecimalField("建筑面积（平方米）", max_digits=8, decimal_places=1)
    rooms = models.JSONField("功能室", default=list)
    built_on = models.DateField("建成日期", null=True, blank=True)
    rebuilt_on = models.DateField("重建日期", null=True, blank=True)
    upgraded_on = models.DateField("提升改造日期", null=True, blank=True)
    note = models.CharField("备注", max_length=300, blank=True)
    updated_at = models.DateTimeField("更新时间", default=timezone.now)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "党群服务中心"
        verbose_name_plural = "党群服务中心"
        ordering = ["village__code"]
        constraints = [models.CheckConstraint(condition=Q(area__gt=0), name="centre_area_positive")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("livability:centre", args=[self.pk])

    def missing(self, standard: list[str]) -> list[str]:
        return [room for room in standard if room not in self.rooms]


class ServiceRequest(models.Model):
    """A service handled at a village's 党群服务中心 (代办、帮办), promised 就近办、马上办 or 一次办 in some days."""

    scope_fields = ("village__prefix",)

    village = _village()
    mode = models.CharField("办理方式", max_length=10, choices=ServiceMode.choices())
    matter = models.CharField("事项", max_length=100)
    requested_on = models.DateField("受理日期")
    promised_days = models.PositiveSmallIntegerField("承诺时限（天）")
    due_on = models.DateField("应办结日期")  # requested_on + promised_days, stored so on-time counts in the database
    outcome = models.CharField("办理结果", max_length=10, choices=Outcome.choices(), default=Outcome.OPEN)
    finished_on = models.DateField("办结日期", null=True, blank=True)
    recorded_by = actor_field("登记人")
    created_at = models.DateTimeField("录入时间", default=timezone.now)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "便民服务事项"
        verbose_name_plural = "便民服务事项"
        ordering = ["-requested_on", "-id"]
        indexes = [models.Index(fields=["village", "requested_on"], name="service_village_requested_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(mode__in=ServiceMode.values()), name="service_mode_valid"),
            models.CheckConstraint(
                condition=Q(outcome=Outcome.OPEN, finished_on__isnull=True)
                | (~Q(outcome=Outcome.OPEN) & Q(finished_on__gte=F("requested_on"))),
                name="service_finished_matches_outcome",
            ),
            models.CheckConstraint(condition=Q(due_on__gte=F("requested_on")), name="service_due_after_requested"),
        ]

    def __str__(self) -> str:
        return self.matter

    @property
    def days_taken(self) -> int | None:
        return (self.finished_on - self.requested_on).days if self.finished_on else None

    @property
    def on_time(self) -> bool:
        taken = self.days_taken
        return self.outcome == Outcome.DONE and taken is not None and taken <= self.promised_days


class Activity(models.Model):
    """A cultural or service activity in a village: 送戏下乡, a 文艺汇演, a free clinic, help for the elderly, 普法."""

    scope_fields = ("village__prefix",)

    village = _village()
    kind = models.CharField("类型", max_length=10, choices=ActivityKind.choices())
    title = models.CharField("名称", max_length=100)
    held_on = models.DateField("日期")
    organiser = models.CharField("组织单位", max_length=100)
    attendance = models.PositiveIntegerField("参加人数")
    note = models.CharField("备注", max_length=300, blank=True)
    recorded_by = actor_field("登记人")
    created_at = models.DateTimeField("录入时间", default=timezone.now)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "文化和服务活动"
        verbose_name_plural = "文化和服务活动"
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["village", "held_on"], name="activity_village_held_idx")]
        constraints = [models.CheckConstraint(condition=Q(kind__in=ActivityKind.values()), name="activity_kind_valid")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("livability:activity", args=[self.pk])

    @property
    def kind_label(self) -> str:
        return ActivityKind(self.kind).label


class Honour(models.Model):
    """An honour a village was named (文明村镇, 卫生村 …) with the level that named it and the year."""

    scope_fields = ("village__prefix",)

    village = _village()
    name = models.CharField("荣誉名称", max_length=100)
    level = models.CharField("命名级别", max_length=10, choices=HonourLevel.choices())
    year = models.PositiveSmallIntegerField("年度")
    conferred_by = models.CharField("命名单位", max_length=100, blank=True)
    recorded_by = actor_field("登记人")
    created_at = models.DateTimeField("录入时间", default=timezone.now)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "荣誉"
        verbose_name_plural = "荣誉"
        ordering = ["-year", "village__code", "id"]
        constraints = [
            models.UniqueConstraint(fields=["village", "name", "level", "year"], name="honour_once_per_year"),
            models.CheckConstraint(condition=Q(level__in=HonourLevel.values()), name="honour_level_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.year}年{HonourLevel(self.level).label}{self.name}"

    @property
    def level_label(self) -> str:
        return HonourLevel(self.level).label


class Photo(StoredFile):
    """A photo of a work (before or after, at the same spot), a service centre or an activity; it belongs to its
    village, so the same picture uploaded for another village is found by its digest and flagged."""

    scope_fields = ("village__prefix",)

    village = _village()
    work = models.ForeignKey(Work, on_delete=models.CASCADE, null=True, blank=True, related_name="photos")
    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, null=True, blank=True, related_name="photos")
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, null=True, blank=True, related_name="photos")
    stage = models.CharField("阶段", max_length=10, choices=PhotoStage.choices(), default=PhotoStage.SITE)
    spot = models.CharField("拍摄位置", max_length=100, blank=True)
    uploaded_by = actor_field("上传人")

    file_route = "livability:photo"
    objects = ScopedQuerySet.as_manager()

    class Meta(StoredFile.Meta):
        verbose_name = "照片"
        verbose_name_plural = "照片"
        constraints = [
            models.CheckConstraint(
                condition=Q(work__isnull=False, centre__isnull=True, activity__isnull=True)
                | Q(work__isnull=True, centre__isnull=False, activity__isnull=True)
                | Q(work__isnull=True, centre__isnull=True, activity__isnull=False),
                name="livability_photo_one_owner",
            )
        ]

    @property
    def stage_label(self) -> str:
        return PhotoStage(self.stage).label
