"""The briefing's forms: what to generate (unit and period), and the town's 下一步."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from xingyao.briefings.actions import NEXT_STEPS_MAX
from xingyao.briefings.models import PeriodKind
from xingyao.core.roles import Action
from xingyao.places.codes import Kind as UnitKind
from xingyao.places.forms import UnitPickerField


class GenerateForm(forms.Form):
    unit = UnitPickerField(label="乡镇或县", kinds=(UnitKind.TOWN, UnitKind.COUNTY), action=Action.MANAGE)
    period = forms.ChoiceField(label="通报期间", choices=PeriodKind.choices(), initial=PeriodKind.UP_TO)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(
        label="季度（按季度通报时选择）",
        choices=[("", "—")] + [(str(n), f"第{n}季度") for n in range(1, 5)],
        coerce=int,
        empty_value=None,
        required=False,
    )
    until = forms.DateField(
        label="截止日期（截至某日通报时填写）", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].limit_to(user)  # type: ignore[attr-defined]
        today = timezone.localdate()
        self.fields["year"].initial = today.year
        self.fields["until"].initial = today


class NextStepsForm(forms.Form):
    next_steps = forms.CharField(
        label="下一步工作（签发前可修改，按纯文本排版）",
        max_length=NEXT_STEPS_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
