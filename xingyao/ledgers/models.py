"""Rectification ledgers (整顿台账): weak-branch designations, their items with progress and acceptance."""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from xingyao.core.fields import actor_field
from xingyao.core.history import HistoryStep
from xingyao.core.scoping import ScopedQuerySet
from xingyao.core.uploads import StoredFile
from xingyao.ledgers.workflow import Criterion, DesignationState, Method, Source, State


class Designation(models.Model):
    """A village branch listed as weak (软弱涣散村党组织) for a year: why, who decided, its “四个一” pairing.
    The whole rectification closes (整顿销号) once every one of its items is closed."""

    scope_fields = ("village__prefix",)

    village = models.ForeignKey("places.Unit", verbose_name="村（社区）", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    criteria = models.JSONField("排查情形", default=list)
    other_reason = models.CharField("其他情形说明", max_length=200, blank=True)
    decided_on = models.DateField("确定日期")
    decided_by = models.CharField("确定单位", max_length=50)
    county_leader = models.CharField("联系县领导", max_length=50)
    town_leader = models.CharField("包村乡镇领导", max_length=50)
    first_secretary = models.CharField("驻村第一书记", max_length=50)
    twinned_unit = models.CharField("结对帮扶单位", max_length=100)
    state = models.CharField("状态", max_length=10, choices=DesignationState.choices(), default=DesignationState.OPEN)
    closed_on = models.DateField("整顿销号日期", null=True, blank=True)
    recorded_by = actor_field("登记人")
    created_at = models.DateTimeField("登记时间", default=timezone.now)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "软弱涣散村党组织"
        verbose_name_plural = "软弱涣散村党组织"
        ordering = ["-year", "village__code"]
        constraints = [
            models.UniqueConstraint(fields=["village", "year"], name="designation_one_per_village_year"),
            models.CheckConstraint(condition=Q(state__in=DesignationState.values()), name="designation_state_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.year}年 软弱涣散村党组织"

    def get_absolute_url(self) -> str:
        return reverse("ledgers:designation", args=[self.pk])

    @property
    def state_label(self) -> str:
        return DesignationState(self.state).label

    @property
    def criteria_labels(self) -> list[str]:
        return [c.label for code in self.criteria if (c := Criterion.lookup(code))]


class Item(models.Model):
    """One problem on a village's ledger: “三精准” (problem, target, measure) and “三明确” (time limit, steps,
    responsible person), its due date counted in working days from the start."""

    scope_fields = ("village__prefix",)

    village = models.ForeignKey("places.Unit", verbose_name="村（社区）", on_delete=models.PROTECT, related_name="+")
    designation = models.ForeignKey(
        Designation, verbose_name="软弱涣散整顿", null=True, blank=True, on_delete=models.PROTECT, related_name="items"
    )
    source = models.CharField("来源", max_length=16, choices=Source.choices())
    problem = models.CharField("问题", max_length=200)
    target = models.CharField("目标", max_length=200)
    measure = models.TextField("措施", max_length=2000)
    steps = models.TextField("步骤", max_length=2000)
    responsible = models.CharField("责任人", max_length=50)
    start_on = models.DateField("开始日期")
    days = models.PositiveSmallIntegerField("时限（工作日）")
    due_on = models.DateField("完成时限")
    state = models.CharField("状态", max_length=10, choices=State.choices(), default=State.OPEN)
    rounds = models.PositiveSmallIntegerField("整改轮次", default=1)
    closed_on = models.DateField("销号日期", null=True, blank=True)
    created_by = actor_field("登记人")
    created_at = models.DateTimeField("登记时间", default=timezone.now)
    # Where the problem was found, when another record raised it (an inspection visit, a star warning, an enterprise
    # request): the link to that record and a label that lists show without reading it.
    origin_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    origin_id = models.PositiveBigIntegerField(null=True, blank=True)
    origin = GenericForeignKey("origin_type", "origin_id")
    origin_label = models.CharField("问题出处", max_length=100, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "整改事项"
        verbose_name_plural = "整改事项"
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=State.values()), name="ledger_item_state_valid"),
            models.CheckConstraint(condition=Q(source__in=Source.values()), name="ledger_item_source_valid"),
            models.CheckConstraint(condition=Q(due_on__gte=F("start_on")), name="ledger_item_due_after_start"),
            models.CheckConstraint(
                condition=Q(origin_type__isnull=True, origin_id__isnull=True)
                | Q(origin_type__isnull=False, origin_id__isnull=False),
                name="ledger_item_origin_whole",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "due_on"], name="ledger_item_state_due_idx"),
            models.Index(fields=["origin_type", "origin_id"], name="ledger_item_origin_idx"),
        ]

    def __str__(self) -> str:
        return self.problem

    def get_absolute_url(self) -> str:
        return reverse("ledgers:item", args=[self.pk])

    @property
    def state_label(self) -> str:
        return State(self.state).label

    @property
    def source_label(self) -> str:
        return Source(self.source).label

    @property
    def origin_url(self) -> str:
        """The page of the record that raised this item. Read through the generic relation (the base manager, one
        query): only the link is shown here, and the page it leads to checks the reader's scope itself."""
        origin = self.origin if self.origin_type_id else None
        return origin.get_absolute_url() if origin is not None else ""


class Progress(models.Model):
    """What was done on an item, on which day (the action date), entered when (the entry time), by whom."""

    scope_fields = ("item__village__prefix",)

    item = models.ForeignKey(Item, verbose_name="整改事项", on_delete=models.CASCADE, related_name="progress")
    acted_on = models.DateField("完成日期")
    note = models.TextField("进展情况", max_length=2000)
    recorded_by = actor_field("登记人")
    entered_at = models.DateTimeField("录入时间", default=timezone.now)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "整改进度"
        verbose_name_plural = "整改进度"
        ordering = ["acted_on", "id"]

    def __str__(self) -> str:
        return f"{self.acted_on} {self.note[:20]}"


class ProgressPhoto(StoredFile):
    """A photo of the work (before, during, after); fetched only through its item's scope."""

    scope_fields = ("progress__item__village__prefix",)

    progress = models.ForeignKey(Progress, verbose_name="整改进度", on_delete=models.CASCADE, related_name="photos")
    uploaded_by = actor_field("上传人")

    file_route = "ledgers:photo"
    objects = ScopedQuerySet.as_manager()

    class Meta(StoredFile.Meta):
        verbose_name = "整改照片"
        verbose_name_plural = "整改照片"


class Acceptance(models.Model):
    """One acceptance of an item (验收), by someone who did not work it and holds no role on its village."""

    scope_fields = ("item__village__prefix",)

    item = models.ForeignKey(Item, verbose_name="整改事项", on_delete=models.CASCADE, related_name="acceptances")
    method = models.CharField("验收方式", max_length=10, choices=Method.choices())
    score = models.PositiveSmallIntegerField("得分")
    satisfied = models.PositiveIntegerField("满意", default=0)
    dissatisfied = models.PositiveIntegerField("不满意", default=0)
    passed = models.BooleanField("验收通过")
    accepted_on = models.DateField("验收日期")
    panel = models.CharField("验收人员", max_length=100)
    note = models.TextField("验收意见", max_length=2000, blank=True)
    accepted_by = actor_field("验收人")
    created_at = models.DateTimeField("录入时间", default=timezone.now)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "验收记录"
        verbose_name_plural = "验收记录"
        ordering = ["accepted_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(score__lte=100), name="acceptance_score_le_100"),
            models.CheckConstraint(condition=Q(method__in=Method.values()), name="acceptance_method_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.accepted_on} {self.method_label} {self.score}分"

    @property
    def method_label(self) -> str:
        return Method(self.method).label


class ItemStep(HistoryStep):
    """One line of an item's history: opened, submitted, accepted or failed, reopened, closed."""

    scope_fields = ("item__village__prefix",)

    item = models.ForeignKey(Item, verbose_name="整改事项", on_delete=models.CASCADE, related_name="history")

    objects = ScopedQuerySet.as_manager()

    class Meta(HistoryStep.Meta):
        verbose_name = "整改事项记录"
        verbose_name_plural = "整改事项记录"
