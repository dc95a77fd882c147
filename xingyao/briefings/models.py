"""A generated briefing (通报): a snapshot of its figures, their records and its text, as of generation.

The figures are never recomputed for a saved briefing: an issued briefing is reproduced from its snapshot, and
compared with what the records say today (`compare.py`). Its digest is recorded in the audit chain when it is
generated and when it is issued."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from xingyao.core.fields import actor_field
from xingyao.core.roles import Labelled
from xingyao.core.scoping import ScopedQuerySet


class PeriodKind(Labelled):
    YEAR = "year", "年度"
    QUARTER = "quarter", "季度"
    UP_TO = "up_to", "截至某日"


class State(Labelled):
    DRAFT = "draft", "待签发"
    ISSUED = "issued", "已签发"


class Briefing(models.Model):
    """One briefing of a town (or a county, gathering its towns) for a period, frozen as generated."""

    scope_fields = ("unit__prefix",)
    unit = models.ForeignKey("places.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    period_kind = models.CharField("期间", max_length=10, choices=PeriodKind.choices())
    year = models.PositiveSmallIntegerField("年度")
    quarter = models.PositiveSmallIntegerField("季度", null=True, blank=True)
    first_day = models.DateField("起始日期")
    last_day = models.DateField("截止日期")
    content = models.JSONField("内容与数据快照", default=dict)
    next_steps = models.TextField("下一步", max_length=2000, blank=True)
    digest = models.CharField("快照摘要（SHA-256）", max_length=64)
    state = models.CharField("状态", max_length=10, choices=State.choices(), default=State.DRAFT)
    generated_by = actor_field("生成人")
    generated_at = models.DateTimeField("生成时间", default=timezone.now)
    issued_by = actor_field("签发人")
    issued_at = models.DateTimeField("签发时间", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "工作通报"
        verbose_name_plural = "工作通报"
        ordering = ["-generated_at", "-id"]
        indexes = [models.Index(fields=["unit", "year"], name="briefing_unit_year_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(period_kind__in=PeriodKind.values()), name="briefing_period_valid"),
            models.CheckConstraint(condition=Q(state__in=State.values()), name="briefing_state_valid"),
            models.CheckConstraint(condition=Q(last_day__gte=models.F("first_day")), name="briefing_days_ordered"),
            models.CheckConstraint(
                condition=Q(period_kind="quarter", quarter__gte=1, quarter__lte=4)
                | (~Q(period_kind="quarter") & Q(quarter__isnull=True)),
                name="briefing_quarter_matches_period",
            ),
            models.CheckConstraint(
                condition=Q(state="draft", issued_at__isnull=True) | Q(state="issued", issued_at__isnull=False),
                name="briefing_issued_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("briefings:detail", args=[self.pk])

    @property
    def title(self) -> str:
        return str(self.content.get("title") or f"{self.unit.name}工作通报")

    @property
    def period_label(self) -> str:
        return period_label(PeriodKind(self.period_kind), self.year, self.quarter, self.last_day)

    @property
    def issued(self) -> bool:
        return self.state == State.ISSUED

    @property
    def state_label(self) -> str:
        return State(self.state).label


def period_label(kind: PeriodKind, year: int, quarter: int | None, last_day: dt.date) -> str:
    if kind is PeriodKind.QUARTER:
        return f"{year}年第{quarter}季度"
    if kind is PeriodKind.UP_TO:
        return f"截至{year}年{last_day.month}月{last_day.day}日"
    return f"{year}年"
