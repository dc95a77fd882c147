"""Dispute mediation cases (矛盾纠纷): parties, the joint team, sessions, outcome and agreement documents."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from xingyao.core.fields import actor_field
from xingyao.core.history import HistoryStep
from xingyao.core.scoping import ScopedQuerySet
from xingyao.core.uploads import StoredFile
from xingyao.disputes.figures import Outcome
from xingyao.disputes.workflow import Status


class DisputeType(models.TextChoices):
    MARRIAGE = "marriage", "婚姻家庭"
    NEIGHBOURS = "neighbours", "邻里纠纷"
    LAND = "land", "土地承包"
    HOMESTEAD = "homestead", "宅基地"
    LABOUR = "labour", "劳资纠纷"
    DEBT = "debt", "债权债务"
    DAMAGES = "damages", "损害赔偿"
    TRAFFIC = "traffic", "交通事故"
    WATER = "water", "山林水利"
    CONTRACT = "contract", "合同纠纷"
    OTHER = "other", "其他"


class Risk(models.TextChoices):
    RED = "red", "红色（重大）"
    ORANGE = "orange", "橙色（较大）"
    YELLOW = "yellow", "黄色（一般）"


OUTCOME_CHOICES = Outcome.choices()


class Side(models.TextChoices):
    APPLICANT = "applicant", "申请人"
    RESPONDENT = "respondent", "被申请人"


class Dispute(models.Model):
    """One dispute case from registration through triage and mediation to its outcome."""

    # The village's scope, and every department on the case's joint team (matched by id, never repeated per member).
    scope_fields = ("village__prefix", "team__prefix")

    number = models.CharField("案件编号", max_length=32, unique=True)
    village = models.ForeignKey("places.Unit", verbose_name="村（社区）", on_delete=models.PROTECT, related_name="+")
    type = models.CharField("纠纷类型", max_length=16, choices=DisputeType.choices)
    summary = models.CharField("纠纷概要", max_length=80)
    description = models.TextField("基本情况", max_length=2000)
    risk = models.CharField("风险等级", max_length=8, choices=Risk.choices, default=Risk.YELLOW)
    status = models.CharField("状态", max_length=16, choices=Status.choices(), default=Status.REGISTERED)
    received_on = models.DateField("受理日期", default=timezone.localdate)
    closed_on = models.DateField("结案日期", null=True, blank=True)
    outcome = models.CharField("调处结果", max_length=16, choices=OUTCOME_CHOICES, blank=True)
    mediated = models.BooleanField("已开展调解", default=False)
    lead_department = models.ForeignKey(
        "places.Unit", verbose_name="主办单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    team: models.ManyToManyField = models.ManyToManyField(
        "places.Unit", verbose_name="联合调解（警司访+）", through="DisputeTeamMember", related_name="+"
    )
    petition_beyond_village = models.BooleanField("越级上访", default=False)
    amount = models.DecimalField("涉及金额（元）", max_digits=12, decimal_places=2, null=True, blank=True)
    result_note = models.TextField("调处情况", max_length=2000, blank=True)
    event = models.ForeignKey(
        "grid.Event", verbose_name="来源事件", null=True, blank=True, on_delete=models.SET_NULL, related_name="disputes"
    )
    registered_by = actor_field("登记人")
    created_at = models.DateTimeField("登记时间", default=timezone.now)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "矛盾纠纷"
        verbose_name_plural = "矛盾纠纷"
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["village", "received_on"], name="dispute_village_received_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(type__in=DisputeType.values), name="dispute_type_valid"),
            models.CheckConstraint(condition=Q(risk__in=Risk.values), name="dispute_risk_valid"),
            models.CheckConstraint(condition=Q(status__in=Status.values()), name="dispute_status_valid"),
            models.CheckConstraint(
                condition=Q(outcome="") | Q(outcome__in=[o.value for o in Outcome]), name="dispute_outcome_valid"
            ),
            models.CheckConstraint(
                condition=(Q(status=Status.CLOSED) & ~Q(outcome="") & Q(closed_on__isnull=False))
                | (~Q(status=Status.CLOSED) & Q(outcome="") & Q(closed_on__isnull=True)),
                name="dispute_closed_iff_outcome",
            ),
        ]

    def __str__(self) -> str:
        # Never the summary: it is free text that often names the parties, and __str__ ends up in audit rows.
        return f"{self.number}（{self.get_type_display()}）"

    def get_absolute_url(self) -> str:
        return reverse("disputes:dispute", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status != Status.CLOSED


class DisputeTeamMember(models.Model):
    """A department of the joint mediation team (派出所, 司法所, 信访办 …) on one case."""

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="team_members")
    department = models.ForeignKey("places.Unit", verbose_name="部门", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "联合调解成员单位"
        verbose_name_plural = "联合调解成员单位"
        constraints = [models.UniqueConstraint(fields=["dispute", "department"], name="dispute_team_unique")]

    def __str__(self) -> str:
        return str(self.department)


class Party(models.Model):
    """A party to a dispute; name and phone are personal data, shown masked to roles without the right."""

    dispute = models.ForeignKey(Dispute, verbose_name="案件", on_delete=models.CASCADE, related_name="parties")
    side = models.CharField("身份", max_length=16, choices=Side.choices, default=Side.APPLICANT)
    name = models.CharField("姓名", max_length=30)
    phone = models.CharField("联系电话", max_length=20, blank=True)

    class Meta:
        verbose_name = "当事人"
        verbose_name_plural = "当事人"
        ordering = ["dispute", "side", "id"]
        constraints = [models.CheckConstraint(condition=Q(side__in=Side.values), name="party_side_valid")]

    def __str__(self) -> str:
        return f"{self.get_side_display()}（{self.pk}）"  # never the name: __str__ ends up in logs and audit rows


class MediationSession(models.Model):
    """One mediation meeting of the joint team."""

    dispute = models.ForeignKey(Dispute, verbose_name="案件", on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField("调解日期")
    place = models.CharField("地点", max_length=100, blank=True)
    mediators = models.CharField("调解人员", max_length=200)
    note = models.TextField("调解情况", max_length=2000)
    recorded_by = actor_field("记录人")
    created_at = models.DateTimeField("记录时间", default=timezone.now)

    class Meta:
        verbose_name = "调解记录"
        verbose_name_plural = "调解记录"
        ordering = ["held_on", "id"]

    def __str__(self) -> str:
        return f"{self.held_on} {self.mediators}"


class DisputeStep(HistoryStep):
    """One line of a case's history."""

    dispute = models.ForeignKey(Dispute, verbose_name="案件", on_delete=models.CASCADE, related_name="steps")

    class Meta(HistoryStep.Meta):
        verbose_name = "案件流转记录"
        verbose_name_plural = "案件流转记录"


class AgreementDocument(StoredFile):
    """The signed mediation agreement (or another case document); fetched only through its case."""

    dispute = models.ForeignKey(Dispute, verbose_name="案件", on_delete=models.CASCADE, related_name="documents")
    uploaded_by = actor_field("上传人")

    file_route = "disputes:document"

    class Meta(StoredFile.Meta):
        verbose_name = "调解协议书"
        verbose_name_plural = "调解协议书"
