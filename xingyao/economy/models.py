"""Industry records (产业兴旺): investment projects with their milestones and weekly follow-ups, specialty
industries (一村一品) with their area by village and year, cooperatives with their buyer contracts, and each
village's collective income (村集体经济) from the township's 经管站 ledger."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from xingyao.core.fields import actor_field
from xingyao.core.history import HistoryStep
from xingyao.core.scoping import ScopedQuerySet
from xingyao.core.uploads import StoredFile
from xingyao.economy.workflow import Brand, Level, RequestState, Satisfaction, Stage


class Project(models.Model):
    """An investment project (招商引资项目) a town follows from the first lead to production."""

    # The town's project; the village where it lands sees it too.
    scope_fields = ("town__prefix", "village__prefix")

    town = models.ForeignKey("places.Unit", verbose_name="乡镇", on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey(
        "places.Unit", verbose_name="落地村（社区）", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField("项目名称", max_length=100)
    investor = models.CharField("投资方", max_length=100)
    sector = models.CharField("行业", max_length=50)
    amount = models.DecimalField("计划投资（万元）", max_digits=12, decimal_places=2)
    land_mu = models.DecimalField("用地（亩）", default=0, max_digits=10, decimal_places=2)
    jobs = models.PositiveIntegerField("预计带动就业（人）", default=0)
    leader = models.CharField("包联镇领导", max_length=50)
    stage = models.CharField("阶段", max_length=16, choices=Stage.choices(), default=Stage.LEAD)
    registered_on = models.DateField("登记日期")
    negotiating_on = models.DateField("进入洽谈日期", null=True, blank=True)
    signed_on = models.DateField("签约日期", null=True, blank=True)
    started_on = models.DateField("开工日期", null=True, blank=True)
    producing_on = models.DateField("投产日期", null=True, blank=True)
    dropped_on = models.DateField("终止日期", null=True, blank=True)
    follow_up_due = models.DateField("下次跟进日期", null=True, blank=True)
    note = models.CharField("备注", max_length=500, blank=True)
    recorded_by = actor_field("登记人")
    created_at = models.DateTimeField("录入时间", default=timezone.now)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "招商引资项目"
        verbose_name_plural = "招商引资项目"
        ordering = ["-registered_on", "-id"]
        indexes = [models.Index(fields=["stage", "follow_up_due"], name="project_stage_follow_idx")]
        constraints = [
            models.UniqueConstraint(fields=["town", "name"], name="project_name_unique_in_town"),
            models.CheckConstraint(condition=Q(stage__in=Stage.values()), name="project_stage_valid"),
            models.CheckConstraint(condition=Q(amount__gte=0) & Q(land_mu__gte=0), name="project_amounts_positive"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("economy:project", args=[self.pk])

    @property
    def stage_label(self) -> str:
        return Stage(self.stage).label


class ProjectStep(HistoryStep):
    """One line of a project's history: registered, moved on, dropped."""

    scope_fields = ("project__town__prefix", "project__village__prefix")

    project = models.ForeignKey(Project, verbose_name="项目", on_delete=models.CASCADE, related_name="steps")

    objects = ScopedQuerySet.as_manager()

    class Meta(HistoryStep.Meta):
        verbose_name = "项目进展记录"
        verbose_name_plural = "项目进展记录"


class Milestone(models.Model):
    """A milestone of a project (签约仪式, 土地摘牌, 主体完工 …): the day it happened, separate from the entry time."""

    scope_fields = ("project__town__prefix", "project__village__prefix")

    project = models.ForeignKey(Project, verbose_name="项目", on_delete=models.CASCADE, related_name="milestones")
    stage = models.CharField("达到阶段", max_length=16, choices=Stage.choices(), blank=True)
    title = models.CharField("节点", max_length=100)
    acted_on = models.DateField("节点日期")
    note = models.TextField("说明", max_length=2000, blank=True)
    recorded_by = actor_field("登记人")
    entered_at = models.DateTimeField("录入时间", default=timezone.now)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "项目节点"
        verbose_name_plural = "项目节点"
        ordering = ["acted_on", "id"]

    def __str__(self) -> str:
        return f"{self.acted_on} {self.title}"


class MilestonePhoto(StoredFile):
    """A photo of a milestone (the signing, the site, the line running)."""

    scope_fields = ("milestone__project__town__prefix", "milestone__project__village__prefix")

    milestone = models.ForeignKey(Milestone, verbose_name="节点", on_delete=models.CASCADE, related_name="photos")
    uploaded_by = actor_field("上传人")

    file_route = "economy:photo"
    objects = ScopedQuerySet.as_manager()

    class Meta(StoredFile.Meta):
        verbose_name = "项目照片"
        verbose_name_plural = "项目照片"


class FollowUp(models.Model):
    """A weekly follow-up note of the leader in charge (“二分之一”工作法): what was done, what comes next."""

    scope_fields = ("project__town__prefix", "project__village__prefix")

    project = models.ForeignKey(Project, verbose_name="项目", on_delete=models.CASCADE, related_name="follow_ups")
    acted_on = models.DateField("跟进日期")
    note = models.TextField("跟进情况", max_length=2000)
    next_step = models.CharField("下一步", max_length=200, blank=True)
    recorded_by = actor_field("登记人")
    entered_at = models.DateTimeField("录入时间", default=timezone.now)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "项目周跟进"
        verbose_name_plural = "项目周跟进"
        ordering = ["-acted_on", "-id"]

    def __str__(self) -> str:
        return f"{self.acted_on} {self.note[:20]}"


class Cooperative(models.Model):
    """A farmers' cooperative (专业合作社) seated in a village: members, crops, area."""

    scope_fields = ("village__prefix",)

    village = models.ForeignKey("places.Unit", verbose_name="所在村", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("合作社名称", max_length=100)
    leader = models.CharField("理事长", max_length=50, blank=True)
    members = models.PositiveIntegerField("成员（户）", default=0)
    crops = models.CharField("主营作物", max_length=100)
    area_mu = models.DecimalField("经营面积（亩）", default=0, max_digits=10, decimal_places=2)
    created_at = models.DateTimeField("录入时间", default=timezone.now)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "专业合作社"
        verbose_name_plural = "专业合作社"
        ordering = ["village__code", "name"]
        constraints = [models.UniqueConstraint(fields=["village", "name"], name="cooperative_name_unique_in_village")]

    def __str__(self) -> str:
        return self.name


class BuyerContract(models.Model):
    """A cooperative's supply contract with a buyer (订单农业), e.g. organic wheat for a grain trader."""

    scope_fields = ("cooperative__village__prefix",)

    cooperative = models.ForeignKey(
        Cooperative, verbose_name="合作社", on_delete=models.CASCADE, related_name="contracts"
    )
    buyer = models.CharField("收购方", max_length=100)
    product = models.CharField("产品", max_length=50)
    year = models.PositiveSmallIntegerField("年度")
    area_mu = models.DecimalField("订单面积（亩）", default=0, max_digits=10, decimal_places=2)
    tons = models.DecimalField("订单数量（吨）", max_digits=10, decimal_places=1, default=0)
    signed_on = models.DateField("签订日期")
    note = models.CharField("备注", max_length=200, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "订单合同"
        verbose_name_plural = "订单合同"
        ordering = ["-year", "id"]

    def __str__(self) -> str:
        return f"{self.year} {self.buyer} {self.product}"


class Industry(models.Model):
    """A specialty industry (一村一品) of a town: product, brand, the industry Party branch and its “双绑” model,
    leading enterprises, markets; its area, households and jobs by village and year are `IndustryArea` rows."""

    scope_fields = ("town__prefix", "village__prefix", "areas__village__prefix")

    town = models.ForeignKey("places.Unit", verbose_name="乡镇", on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey("places.Unit", verbose_name="主产村", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("产业名称", max_length=50)
    product = models.CharField("产品", max_length=50)
    brand = models.CharField("品牌", max_length=50, blank=True)
    brand_level = models.CharField("品牌情况", max_length=16, choices=Brand.choices(), default=Brand.NONE)
    party_branch = models.CharField("产业联合党支部", max_length=100, blank=True)
    binding_model = models.CharField("“双绑”模式", max_length=100, blank=True)
    enterprises = models.CharField("龙头企业", max_length=200, blank=True)
    markets = models.CharField("销售市场与收购方", max_length=300, blank=True)
    cooperatives = models.ManyToManyField(Cooperative, verbose_name="参与合作社", blank=True, related_name="industries")
    created_at = models.DateTimeField("录入时间", default=timezone.now)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "特色产业"
        verbose_name_plural = "特色产业"
        ordering = ["town__code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["town", "name"], name="industry_name_unique_in_town"),
            models.CheckConstraint(condition=Q(brand_level__in=Brand.values()), name="industry_brand_valid"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("economy:industry", args=[self.pk])

    @property
    def brand_label(self) -> str:
        return Brand(self.brand_level).label


class IndustryArea(models.Model):
    """A specialty industry in one village and year: area planted (亩), households and jobs."""

    scope_fields = ("village__prefix",)

    industry = models.ForeignKey(Industry, verbose_name="特色产业", on_delete=models.CASCADE, related_name="areas")
    village = models.ForeignKey("places.Unit", verbose_name="村（社区）", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    area_mu = models.DecimalField("面积（亩）", max_digits=10, decimal_places=2)
    households = models.PositiveIntegerField("种植户数", default=0)
    jobs = models.PositiveIntegerField("带动就业（人）", default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "特色产业面积"
        verbose_name_plural = "特色产业面积"
        ordering = ["-year", "village__code"]
        constraints = [
            models.UniqueConstraint(fields=["industry", "village", "year"], name="industry_area_once_per_year"),
            models.CheckConstraint(condition=Q(area_mu__gte=0), name="industry_area_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.area_mu} 亩"


class Income(models.Model):
    """A village's collective income (村集体经济收入) for a year, as the township's 经管站 ledger has it (元)."""

    scope_fields = ("village__prefix",)

    village = models.ForeignKey("places.Unit", verbose_name="村（社区）", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    operating = models.DecimalField("经营性收入（元）", max_digits=14, decimal_places=2)
    assets = models.DecimalField("资产收益（元）", max_digits=14, decimal_places=2)
    total = models.GeneratedField(
        expression=F("operating") + F("assets"),
        output_field=models.DecimalField(max_digits=15, decimal_places=2),
        db_persist=True,
        verbose_name="合计（元）",
    )
    source = models.CharField("台账来源", max_length=100, default="乡镇经管站台账")
    note = models.CharField("备注", max_length=200, blank=True)
    recorded_by = actor_field("登记人")
    created_at = models.DateTimeField("录入时间", default=timezone.now)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "村集体经济收入"
        verbose_name_plural = "村集体经济收入"
        ordering = ["-year", "village__code"]
        constraints = [
            models.UniqueConstraint(fields=["village", "year"], name="income_once_per_village_year"),
            models.CheckConstraint(condition=Q(operating__gte=0) & Q(assets__gte=0), name="income_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.year}年 {self.total} 元"


class RequestRhythm(models.Model):
    """A county's deadlines for enterprise requests in working days (default “13710”)."""

    scope_fields = ("county__prefix",)
    scope_view_from_below = True  # every town and village of the county works by it

    county = models.OneToOneField("places.Unit", verbose_name="县", on_delete=models.PROTECT, related_name="+")
    handover_days = models.PositiveSmallIntegerField("交办（工作日）", default=1)
    answer_days = models.PositiveSmallIntegerField("首次答复（工作日）", default=3)
    solve_days = models.PositiveSmallIntegerField("办结（工作日）", default=7)
    hard_days = models.PositiveSmallIntegerField("疑难诉求办结（工作日）", default=22)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "企业诉求办理时限"
        verbose_name_plural = "企业诉求办理时限"
        constraints = [
            models.CheckConstraint(
                condition=Q(handover_days__lte=F("answer_days"))
                & Q(answer_days__lte=F("solve_days"))
                & Q(solve_days__lte=F("hard_days"))
                & Q(handover_days__gte=1),
                name="request_rhythm_in_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.handover_days}-{self.answer_days}-{self.solve_days}-{self.hard_days}"


class Enterprise(models.Model):
    """An enterprise the “万人助万企” campaign pairs with an official (包联干部)."""

    scope_fields = ("village__prefix",)

    village = models.ForeignKey(
        "places.Unit", verbose_name="所在村（社区）", on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField("企业名称", max_length=100)
    sector = models.CharField("行业", max_length=50, blank=True)
    contact = models.CharField("联系人", max_length=30)
    phone = models.CharField("联系电话", max_length=20, blank=True)
    official = models.CharField("包联干部", max_length=50)
    created_at = models.DateTimeField("录入时间", default=timezone.now)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "包联企业"
        verbose_name_plural = "包联企业"
        ordering = ["village__code", "name"]
        constraints = [models.UniqueConstraint(fields=["village", "name"], name="enterprise_name_unique_in_village")]

    def __str__(self) -> str:
        return self.name


class EnterpriseRequest(models.Model):
    """An enterprise's request (诉求), worked on the problem ledger: its item carries progress and acceptance,
    this record the “13710” deadlines, the escalation and the enterprise's satisfaction."""

    scope_fields = ("enterprise__village__prefix",)

    enterprise = models.ForeignKey(Enterprise, verbose_name="企业", on_delete=models.PROTECT, related_name="requests")
    item = models.OneToOneField(
        "ledgers.Item", verbose_name="台账事项", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    content = models.TextField("诉求内容", max_length=2000)
    hard = models.BooleanField("疑难诉求", default=False)
    official = models.CharField("包联干部", max_length=50)
    state = models.CharField("状态", max_length=16, choices=RequestState.choices(), default=RequestState.RECEIVED)
    level = models.CharField("办理层级", max_length=10, choices=Level.choices(), default=Level.VILLAGE)
    received_on = models.DateField("受理日期")
    handover_due = models.DateField("交办时限")
    answer_due = models.DateField("答复时限")
    solve_due = models.DateField("办结时限")
    handed_over_on = models.DateField("交办日期", null=True, blank=True)
    answered_on = models.DateField("答复日期", null=True, blank=True)
    solved_on = models.DateField("办结日期", null=True, blank=True)
    satisfaction = models.CharField("企业评价", max_length=16, choices=Satisfaction.choices(), blank=True)
    outcome = models.TextField("办理结果", max_length=2000, blank=True)
    recorded_by = actor_field("登记人")
    created_at = models.DateTimeField("录入时间", default=timezone.now)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "企业诉求"
        verbose_name_plural = "企业诉求"
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["state", "solve_due"], name="request_state_due_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=RequestState.values()), name="request_state_valid"),
            models.CheckConstraint(condition=Q(level__in=Level.values()), name="request_level_valid"),
            models.CheckConstraint(condition=Q(solve_due__gte=F("received_on")), name="request_due_after_received"),
        ]

    def __str__(self) -> str:
        return self.content[:30]

    def get_absolute_url(self) -> str:
        return reverse("economy:request", args=[self.pk])

    @property
    def state_label(self) -> str:
        return RequestState(self.state).label

    @property
    def level_label(self) -> str:
        return Level(self.level).label

    @property
    def satisfaction_label(self) -> str:
        return Satisfaction(self.satisfaction).label if self.satisfaction else ""


class RequestStep(HistoryStep):
    """One line of a request's history: received, handed over, answered, escalated, solved."""

    scope_fields = ("request__enterprise__village__prefix",)

    request = models.ForeignKey(EnterpriseRequest, verbose_name="诉求", on_delete=models.CASCADE, related_name="steps")

    objects = ScopedQuerySet.as_manager()

    class Meta(HistoryStep.Meta):
        verbose_name = "企业诉求办理记录"
        verbose_name_plural = "企业诉求办理记录"
