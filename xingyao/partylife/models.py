"""Party life (组织生活) of a village branch: its meetings with attendance and photos, and member development."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from xingyao.core.fields import actor_field
from xingyao.core.history import HistoryStep
from xingyao.core.scoping import ScopedQuerySet
from xingyao.core.uploads import StoredFile
from xingyao.partylife.workflow import Kind, Stage


class Meeting(models.Model):
    """One meeting of a village Party branch: “三会一课”, a 主题党日, an 组织生活会 or a 民主评议."""

    scope_fields = ("village__prefix",)

    village = models.ForeignKey("places.Unit", verbose_name="村（社区）", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("类型", max_length=16, choices=Kind.choices())
    held_on = models.DateField("日期")
    place = models.CharField("地点", max_length=100, blank=True)
    topic = models.CharField("主题", max_length=100)
    led_by = models.CharField("主持人", max_length=50)
    expected = models.PositiveIntegerField("应到人数")
    present = models.PositiveIntegerField("实到人数")
    minutes = models.TextField("会议记录", max_length=5000, blank=True)
    recorded_by = actor_field("记录人")
    created_at = models.DateTimeField("录入时间", default=timezone.now)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "组织生活"
        verbose_name_plural = "组织生活"
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["village", "held_on"], name="meeting_village_held_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=Kind.values()), name="meeting_kind_valid"),
            models.CheckConstraint(condition=Q(present__lte=F("expected")), name="meeting_present_le_expected"),
        ]

    def __str__(self) -> str:
        return f"{self.held_on} {Kind(self.kind).label} {self.topic}"

    def get_absolute_url(self) -> str:
        return reverse("partylife:meeting", args=[self.pk])

    @property
    def kind_label(self) -> str:
        return Kind(self.kind).label

    @property
    def absent(self) -> int:
        return self.expected - self.present


class Absence(models.Model):
    """A member who missed the meeting, and why (请假、外出务工、病假 …)."""

    meeting = models.ForeignKey(Meeting, verbose_name="会议", on_delete=models.CASCADE, related_name="absences")
    name = models.CharField("姓名", max_length=30)
    reason = models.CharField("缺席原因", max_length=100)

    class Meta:
        verbose_name = "缺席党员"
        verbose_name_plural = "缺席党员"
        ordering = ["meeting", "id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.reason}）"


class MeetingPhoto(StoredFile):
    """A photo of the meeting (签到表, the room); fetched only through its meeting. A photo whose EXIF time lies
    far from the meeting date is kept and flagged for the reviewer."""

    scope_fields = ("meeting__village__prefix",)

    meeting = models.ForeignKey(Meeting, verbose_name="会议", on_delete=models.CASCADE, related_name="photos")
    date_mismatch = models.BooleanField("拍摄日期与会议日期不符", default=False)
    uploaded_by = actor_field("上传人")

    file_route = "partylife:photo"
    objects = ScopedQuerySet.as_manager()

    class Meta(StoredFile.Meta):
        verbose_name = "会议照片"
        verbose_name_plural = "会议照片"


class Candidate(models.Model):
    """A person on the way to Party membership in a village branch, with the date of each stage reached."""

    scope_fields = ("village__prefix",)

    village = models.ForeignKey("places.Unit", verbose_name="村（社区）", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("姓名", max_length=30)
    stage = models.CharField("阶段", max_length=16, choices=Stage.choices(), default=Stage.APPLICANT)
    applied_on = models.DateField("递交入党申请日期")
    activist_on = models.DateField("确定为入党积极分子日期", null=True, blank=True)
    prospect_on = models.DateField("列为发展对象日期", null=True, blank=True)
    probationary_on = models.DateField("接收为预备党员日期", null=True, blank=True)
    full_on = models.DateField("转为正式党员日期", null=True, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)
    created_at = models.DateTimeField("录入时间", default=timezone.now)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "发展党员"
        verbose_name_plural = "发展党员"
        ordering = ["village", "applied_on", "id"]
        constraints = [models.CheckConstraint(condition=Q(stage__in=Stage.values()), name="candidate_stage_valid")]

    def __str__(self) -> str:
        return f"{self.name}（{Stage(self.stage).label}）"

    @property
    def stage_label(self) -> str:
        return Stage(self.stage).label


class CandidateStep(HistoryStep):
    """One line of a candidate's history: which stage, when decided, by whom."""

    scope_fields = ("candidate__village__prefix",)

    candidate = models.ForeignKey(Candidate, verbose_name="发展对象", on_delete=models.CASCADE, related_name="steps")

    objects = ScopedQuerySet.as_manager()

    class Meta(HistoryStep.Meta):
        verbose_name = "发展党员记录"
        verbose_name_plural = "发展党员记录"
