"""Yearly criteria sets (stars → sections → indicators) and the villages' star plans (创星计划)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import Q
from django.urls import reverse

from xingyao.core.fields import actor_field
from xingyao.core.scoping import ScopedQuerySet
from xingyao.stars import scoring

KIND_LABELS = {
    scoring.Kind.BOOL: "是否",
    scoring.Kind.NUMBER: "数值",
    scoring.Kind.CHOICE: "选项",
    scoring.Kind.SCORE: "评分",
    scoring.Kind.EVIDENCE: "佐证",
}
COMPARISON_LABELS = {scoring.Comparison.AT_LEAST: "不低于", scoring.Comparison.AT_MOST: "不高于"}


class UnitKind(models.TextChoices):
    VILLAGE = "village", "农村（村党组织）"
    COMMUNITY = "community", "城市社区"


class Status(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"


class CriteriaSet(models.Model):
    """One county's rating standard for a year and a kind of unit; immutable once published."""

    scope_fields = ("county__prefix",)
    # Criteria are rules for everyone below the county: a village clerk reads his county's sets; only the
    # county's own administrators change them.
    scope_view_from_below = True

    county = models.ForeignKey("places.Unit", verbose_name="制定单位", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    unit_kind = models.CharField("适用对象", max_length=16, choices=UnitKind.choices, default=UnitKind.VILLAGE)
    name = models.CharField("名称", max_length=200)
    note = models.TextField("说明", blank=True)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    dept_review = models.BooleanField("启用分星部门审核", default=False)
    publicity_days = models.PositiveSmallIntegerField("公示天数", default=7)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "评定标准"
        verbose_name_plural = "评定标准"
        ordering = ["-year", "county__code", "unit_kind"]
        constraints = [
            models.UniqueConstraint(fields=["county", "year", "unit_kind"], name="criteria_set_one_per_year_kind"),
            models.CheckConstraint(condition=Q(unit_kind__in=UnitKind.values), name="criteria_set_unit_kind_valid"),
            models.CheckConstraint(condition=Q(status__in=Status.values), name="criteria_set_status_valid"),
            models.CheckConstraint(
                condition=Q(status=Status.DRAFT) | Q(published_at__isnull=False),
                name="criteria_set_published_has_date",
            ),
            models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100), name="criteria_set_year_range"),
            models.CheckConstraint(
                condition=Q(publicity_days__gte=1, publicity_days__lte=30), name="criteria_set_publicity_days_range"
            ),
        ]

    def __str__(self) -> str:
        return self.name if str(self.year) in self.name else f"{self.year}年 {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("stars:criteria_detail", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED

    @property
    def unit(self) -> Any:
        """The unit the audit chain files this set under."""
        return self.county

    def to_spec(self) -> scoring.CriteriaSpec:
        """The pure scoring view of this set (two queries)."""
        stars = tuple(s.to_spec() for s in self.stars.all())
        indicators = tuple(i.to_spec() for i in self.indicators.select_related("star", "section"))
        return scoring.CriteriaSpec(stars=stars, indicators=indicators)


class Star(models.Model):
    """One star of a set with its pass rule and prerequisite stars."""

    criteria_set = models.ForeignKey(
        CriteriaSet, verbose_name="评定标准", on_delete=models.CASCADE, related_name="stars"
    )
    code = models.CharField("编码", max_length=32)
    name = models.CharField("名称", max_length=50)
    order = models.PositiveSmallIntegerField("顺序")
    min_points = models.DecimalField("最低分", max_digits=8, decimal_places=2, null=True, blank=True)
    require_all_required = models.BooleanField("必备指标须全部达标", default=True)
    prerequisites = models.JSONField("前置星", default=list, blank=True)
    # The county department that reviews this star when the set's department review is on (分星部门审核).
    review_department = models.ForeignKey(
        "places.Unit", verbose_name="审核部门", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "星"
        verbose_name_plural = "星"
        ordering = ["criteria_set", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "code"], name="star_code_unique_in_set"),
            models.UniqueConstraint(fields=["criteria_set", "name"], name="star_name_unique_in_set"),
            models.CheckConstraint(condition=Q(min_points__isnull=True) | Q(min_points__gte=0), name="star_min_points"),
        ]

    def __str__(self) -> str:
        return self.name

    def to_spec(self) -> scoring.StarSpec:
        return star_spec(*(getattr(self, name) for name in STAR_SPEC_FIELDS))


# What a star's and an indicator's pure specs are made of, as `values_list` names them: a whole province's specs
# are built from rows (setscore) by the same functions `to_spec` uses, without a model instance per row.
STAR_SPEC_FIELDS = ("code", "name", "order", "min_points", "require_all_required", "prerequisites")
INDICATOR_SPEC_FIELDS = (
    "code",
    "star__code",
    "section__name",
    "name",
    "kind",
    "points",
    "required",
    "veto",
    "threshold",
    "comparison",
    "choices",
    "min_score",
    "max_score",
    "evidence_count",
    "unit",
    "data_source",
    "note",
)


def star_spec(
    code: str, name: str, order: int, min_points: Decimal | None, require_all_required: bool, prerequisites: Any
) -> scoring.StarSpec:
    return scoring.StarSpec(
        code=code,
        name=name,
        order=order,
        min_points=min_points,
        require_all_required=require_all_required,
        prerequisites=tuple(prerequisites or ()),
    )


def indicator_spec(
    code: str,
    star_code: str,
    section: str,
    name: str,
    kind: str,
    points: Decimal,
    required: bool,
    veto: bool,
    threshold: Decimal | None,
    comparison: str,
    choices: Any,
    min_score: Decimal,
    max_score: Decimal | None,
    evidence_count: int,
    unit: str,
    data_source: str | None,
    note: str,
) -> scoring.IndicatorSpec:
    return scoring.IndicatorSpec(
        code=code,
        star_code=star_code,
        section=section,
        name=name,
        kind=scoring.Kind(kind),
        points=points,
        required=required,
        veto=veto,
        threshold=threshold,
        comparison=scoring.Comparison(comparison),
        choices=tuple(scoring.Choice(str(v), str(label), Decimal(str(p))) for v, label, p in choices or ()),
        min_score=min_score,
        max_score=max_score,
        evidence_count=evidence_count,
        unit=unit,
        data_source=data_source or None,
        note=note,
    )


def county_departments(county: Any) -> models.QuerySet[Any]:
    """The departments that may review a star of `county`'s sets: active ones hanging under the county."""
    from xingyao.places.codes import Kind
    from xingyao.places.models import Unit

    return (
        Unit.objects.unscoped("a county's departments, to name the reviewer of its stars")
        .filter(kind=Kind.DEPARTMENT, active=True, parent=county)
        .order_by("code")
    )


class Section(models.Model):
    """A group of indicators under one star (板块)."""

    star = models.ForeignKey(Star, verbose_name="星", on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField("顺序")
    name = models.CharField("名称", max_length=100)

    class Meta:
        verbose_name = "板块"
        verbose_name_plural = "板块"
        ordering = ["star", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["star", "name"], name="section_name_unique_in_star")]

    def __str__(self) -> str:
        return self.name


class Indicator(models.Model):
    """One item of the standard: how it is measured, its points, and whether it is required or a veto."""

    KIND_CHOICES = [(k.value, label) for k, label in KIND_LABELS.items()]
    COMPARISON_CHOICES = [(c.value, label) for c, label in COMPARISON_LABELS.items()]

    criteria_set = models.ForeignKey(
        CriteriaSet, verbose_name="评定标准", on_delete=models.CASCADE, related_name="indicators"
    )
    star = models.ForeignKey(Star, verbose_name="星", on_delete=models.CASCADE, related_name="indicators")
    section = models.ForeignKey(Section, verbose_name="板块", on_delete=models.PROTECT, related_name="indicators")
    code = models.CharField("指标编号", max_length=32)
    name = models.CharField("指标内容", max_length=300)
    kind = models.CharField("类型", max_length=16, choices=KIND_CHOICES)
    points = models.DecimalField("分值", max_digits=8, decimal_places=2)
    required = models.BooleanField("必备", default=False)
    veto = models.BooleanField("一票否决", default=False)
    threshold = models.DecimalField("达标值", max_digits=14, decimal_places=2, null=True, blank=True)
    comparison = models.CharField(
        "比较", max_length=2, choices=COMPARISON_CHOICES, default=scoring.Comparison.AT_LEAST.value
    )
    unit = models.CharField("单位", max_length=20, blank=True)
    choices = models.JSONField("选项", default=list, blank=True)  # [[value, label, points], ...]
    min_score = models.DecimalField("最低分", max_digits=8, decimal_places=2, default=Decimal(0))
    max_score = models.DecimalField("最高分", max_digits=8, decimal_places=2, null=True, blank=True)
    evidence_count = models.PositiveSmallIntegerField("佐证数量", default=1)
    data_source = models.CharField("数据来源", max_length=100, null=True, blank=True)
    note = models.TextField("说明", blank=True)
    order = models.PositiveIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "指标"
        verbose_name_plural = "指标"
        ordering = ["criteria_set", "star__order", "section__order", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "code"], name="indicator_code_unique_in_set"),
            models.CheckConstraint(condition=Q(kind__in=[k.value for k in scoring.Kind]), name="indicator_kind_valid"),
            models.CheckConstraint(
                condition=Q(comparison__in=[c.value for c in scoring.Comparison]), name="indicator_comparison_valid"
            ),
            models.CheckConstraint(condition=Q(points__gte=0), name="indicator_points_not_negative"),
            models.CheckConstraint(
                condition=~Q(kind=scoring.Kind.NUMBER.value) | Q(threshold__isnull=False),
                name="indicator_number_has_threshold",
            ),
            models.CheckConstraint(
                condition=~Q(kind=scoring.Kind.EVIDENCE.value) | Q(evidence_count__gte=1),
                name="indicator_evidence_count_positive",
            ),
            models.CheckConstraint(condition=Q(min_score__gte=0), name="indicator_min_score_not_negative"),
            models.CheckConstraint(
                condition=Q(max_score__isnull=True) | Q(max_score__gte=models.F("min_score")),
                name="indicator_score_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(scoring.Kind(self.kind), self.kind)

    @property
    def rule_text(self) -> str:
        """How the indicator is met, in words: 不低于 12 次, 好 20 / 较好 14（14 分及以上达标）…"""
        fmt = scoring.fmt
        match self.kind:
            case scoring.Kind.NUMBER if self.threshold is not None:
                return f"{COMPARISON_LABELS[scoring.Comparison(self.comparison)]} {fmt(self.threshold)}{self.unit}"
            case scoring.Kind.CHOICE:
                options = " / ".join(f"{label} {fmt(Decimal(str(p)))}" for _v, label, p in self.choices or ())
                return options + (f"（{fmt(self.threshold)} 分及以上达标）" if self.threshold is not None else "")
            case scoring.Kind.SCORE:
                top = self.max_score if self.max_score is not None else self.points
                met = f"，{fmt(self.threshold)} 分及以上达标" if self.threshold is not None else ""
                return f"{fmt(self.min_score)}–{fmt(top)} 分{met}"
            case scoring.Kind.EVIDENCE:
                return f"佐证材料至少 {self.evidence_count} 份"
        return "达标为“是”"

    def to_spec(self) -> scoring.IndicatorSpec:
        """The pure scoring view; `star` and `section` should be selected with it."""
        return indicator_spec(
            self.code,
            self.star.code,
            self.section.name,
            *(getattr(self, name) for name in INDICATOR_SPEC_FIELDS[3:]),
        )


class StarPlan(models.Model):
    """A village's plan for one target star in one year (一村一策、一星一案)."""

    scope_fields = ("village__prefix",)

    village = models.ForeignKey("places.Unit", verbose_name="村", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    star_code = models.CharField("目标星", max_length=32)
    strengths = models.TextField("优势", blank=True)
    gaps = models.TextField("差距与短板", blank=True)
    measures = models.TextField("创建措施")
    responsible = models.CharField("责任人", max_length=100)
    deadline = models.DateField("完成时限")
    created_by = actor_field("填写人", blank=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "创星计划"
        verbose_name_plural = "创星计划"
        ordering = ["village__code", "year", "id"]
        constraints = [
            models.UniqueConstraint(fields=["village", "year", "star_code"], name="star_plan_one_per_star"),
            models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100), name="star_plan_year_range"),
        ]

    def __str__(self) -> str:
        return f"{self.year}年 {self.star_code}"

    def get_absolute_url(self) -> str:
        """The village's plans of the year (a ledger item opened from a plan's gap links here)."""
        return reverse("stars:plans", args=[self.village.code, self.year])

    @property
    def unit(self) -> Any:
        return self.village
