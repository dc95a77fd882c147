"""Quarterly inspections (一季度一观摩): the county's score sheets, the rounds, one visit per village of the route
with its scores, praise, problems and comments."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from xingyao.core.fields import actor_field
from xingyao.core.history import HistoryStep
from xingyao.core.scoping import ScopedQuerySet
from xingyao.inspections.workflow import Star, State, round_label
from xingyao.places.codes import Kind as UnitKind


class ScoreSheet(models.Model):
    """The county's score sheet (观摩评分表) for a year: items grouped by star, each with its maximum points."""

    scope_fields = ("county__prefix",)
    scope_view_from_below = True  # the county's sheet is read by every town and village in it

    county = models.ForeignKey("places.Unit", verbose_name="县", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    name = models.CharField("名称", max_length=100)
    created_by = actor_field("制定人")
    created_at = models.DateTimeField("制定时间", default=timezone.now)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "观摩评分表"
        verbose_name_plural = "观摩评分表"
        ordering = ["-year", "county__code"]
        constraints = [models.UniqueConstraint(fields=["county", "year"], name="score_sheet_one_per_county_year")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("inspections:sheet", args=[self.pk])


class SheetItem(models.Model):
    """One line of a score sheet: under which star, what is looked at, the most points it gives."""

    scope_fields = ("sheet__county__prefix",)
    scope_view_from_below = True

    sheet = models.ForeignKey(ScoreSheet, verbose_name="评分表", on_delete=models.CASCADE, related_name="items")
    star = models.CharField("星", max_length=10, choices=Star.choices())
    name = models.CharField("评分项目", max_length=50)
    max_points = models.PositiveSmallIntegerField("满分")
    order = models.PositiveSmallIntegerField("顺序", default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "评分项目"
        verbose_name_plural = "评分项目"
        ordering = ["sheet", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "name"], name="sheet_item_name_unique"),
            models.CheckConstraint(condition=Q(star__in=Star.values()), name="sheet_item_star_valid"),
            models.CheckConstraint(condition=Q(max_points__gte=1, max_points__lte=100), name="sheet_item_max_1_100"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.max_points}分）"

    @property
    def star_label(self) -> str:
        return Star(self.star).label

    @property
    def header(self) -> str:
        """The item's column in the 观摩评分表."""
        return f"{self.name}（{self.max_points}分）"


class Round(models.Model):
    """One quarter's inspection by a town (or the county): the route of villages in order, the team, the dates."""

    # The organising unit's subtree, and every village on the route (a village sees the rounds that visit it).
    scope_fields = ("unit__prefix", "visits__village__prefix")

    unit = models.ForeignKey("places.Unit", verbose_name="组织单位", on_delete=models.PROTECT, related_name="+")
    sheet = models.ForeignKey(ScoreSheet, verbose_name="评分表", on_delete=models.PROTECT, related_name="rounds")
    year = models.PositiveSmallIntegerField("年度")
    quarter = models.PositiveSmallIntegerField("季度")
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    team = models.TextField("观摩组成员", max_length=1000)
    state = models.CharField("状态", max_length=10, choices=State.choices(), default=State.PLANNED)
    created_by = actor_field("登记人")
    created_at = models.DateTimeField("登记时间", default=timezone.now)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "观摩"
        verbose_name_plural = "观摩"
        ordering = ["-year", "-quarter", "unit__code"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "quarter"], name="round_one_per_unit_quarter"),
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="round_quarter_1_4"),
            models.CheckConstraint(condition=Q(state__in=State.values()), name="round_state_valid"),
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="round_ends_after_start"),
        ]

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        return reverse("inspections:round", args=[self.pk])

    @property
    def county_wide(self) -> bool:
        return self.unit.kind == UnitKind.COUNTY

    @property
    def label(self) -> str:
        return round_label(self.year, self.quarter, self.county_wide)

    @property
    def state_label(self) -> str:
        return State(self.state).label

    @property
    def team_names(self) -> list[str]:
        return [
            n for n in self.team.replace("，", "、").replace(",", "、").replace("\n", "、").split("、") if n.strip()
        ]


class Visit(models.Model):
    """The team's stop at one village of the route: the score per sheet item (total and per star kept with it),
    praise (亮点), comments (点评); problems are listed one by one."""

    scope_fields = ("village__prefix",)

    round = models.ForeignKey(Round, verbose_name="观摩", on_delete=models.CASCADE, related_name="visits")
    village = models.ForeignKey("places.Unit", verbose_name="村（社区）", on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField("路线顺序")
    visited_on = models.DateField("观摩日期", null=True, blank=True)
    total = models.DecimalField("总分", max_digits=5, decimal_places=1, null=True, blank=True)
    star_scores = models.JSONField("分星得分", default=dict, blank=True)
    praise = models.TextField("亮点", max_length=2000, blank=True)
    comments = models.TextField("点评", max_length=2000, blank=True)
    scored_by = actor_field("评分人")
    scored_at = models.DateTimeField("评分时间", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "观摩点位"
        verbose_name_plural = "观摩点位"
        ordering = ["round", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "village"], name="visit_one_per_round_village"),
            models.CheckConstraint(condition=Q(total__gte=0), name="visit_total_not_negative"),
        ]
        indexes = [models.Index(fields=["village", "visited_on"], name="visit_village_day_idx")]

    def __str__(self) -> str:
        return f"{self.round} {self.village.name}"

    def get_absolute_url(self) -> str:
        return reverse("inspections:visit", args=[self.pk])

    @property
    def label(self) -> str:
        """“2023年第二季度观摩 毛桥村”: how a ledger item names the visit it came from."""
        return f"{self.round.label} {self.village.name}"

    @property
    def scored(self) -> bool:
        return self.total is not None


class Score(models.Model):
    """The points a visit earned on one item of the sheet (0 to the item's maximum, checked by the action)."""

    scope_fields = ("visit__village__prefix",)

    visit = models.ForeignKey(Visit, verbose_name="观摩点位", on_delete=models.CASCADE, related_name="scores")
    item = models.ForeignKey(SheetItem, verbose_name="评分项目", on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField("得分", max_digits=4, decimal_places=1)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "观摩得分"
        verbose_name_plural = "观摩得分"
        ordering = ["visit", "item__order", "item_id"]
        constraints = [
            models.UniqueConstraint(fields=["visit", "item"], name="score_one_per_visit_item"),
            models.CheckConstraint(condition=Q(points__gte=0, points__lte=100), name="score_points_0_100"),
        ]

    def __str__(self) -> str:
        return f"{self.points}"


class Problem(models.Model):
    """One problem the team pointed out at a village; once turned into a ledger item (转为整改事项) it links to it."""

    scope_fields = ("visit__village__prefix",)

    visit = models.ForeignKey(Visit, verbose_name="观摩点位", on_delete=models.CASCADE, related_name="problems")
    text = models.CharField("问题", max_length=200)
    order = models.PositiveSmallIntegerField("顺序", default=0)
    item = models.OneToOneField(
        "ledgers.Item", verbose_name="整改事项", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "观摩问题"
        verbose_name_plural = "观摩问题"
        ordering = ["visit", "order", "id"]

    def __str__(self) -> str:
        return self.text


class RoundStep(HistoryStep):
    """One line of a round's history: planned, opened for scoring, a village scored, finished, reopened."""

    scope_fields = ("round__unit__prefix", "round__visits__village__prefix")

    round = models.ForeignKey(Round, verbose_name="观摩", on_delete=models.CASCADE, related_name="history")

    objects = ScopedQuerySet.as_manager()

    class Meta(HistoryStep.Meta):
        verbose_name = "观摩记录"
        verbose_name_plural = "观摩记录"
