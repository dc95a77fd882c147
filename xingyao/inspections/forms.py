"""Forms for inspections: planning a round, scoring a visit, turning problems into ledger items, an import."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from xingyao.core.roles import Action
from xingyao.inspections.models import SheetItem
from xingyao.places.codes import Kind as UnitKind
from xingyao.places.forms import UnitMultiPickerField, UnitPickerField

DATE = forms.DateInput(attrs={"type": "date"})


class RoundForm(forms.Form):
    unit = UnitPickerField(label="组织单位（乡镇或县）", kinds=(UnitKind.TOWN, UnitKind.COUNTY), action=Action.MANAGE)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(label="季度", choices=[(q, f"第{q}季度") for q in range(1, 5)], coerce=int)
    route = UnitMultiPickerField(
        label="观摩路线（按观摩顺序选择村）", kinds=(UnitKind.VILLAGE,), help_text="按到达的先后顺序逐个选择"
    )
    starts_on = forms.DateField(label="开始日期", widget=DATE)
    ends_on = forms.DateField(label="结束日期", widget=DATE)
    team = forms.CharField(
        label="观摩组成员",
        max_length=1000,
        help_text="姓名之间用顿号或换行分隔",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, user: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit = self.fields["unit"]
        assert isinstance(unit, UnitPickerField)
        unit.limit_to(user, units=units)
        first_two = list(units[:2])
        if len(first_two) == 1:  # a town's administrator organises his own town's round
            unit.widget = forms.HiddenInput()  # type: ignore[assignment]
            unit.initial = first_two[0].pk
        route = self.fields["route"]
        assert isinstance(route, UnitMultiPickerField)
        route.limit_to(user, within=first_two[0] if len(first_two) == 1 else None)
        today = timezone.localdate()
        self.fields["year"].initial = today.year
        self.fields["quarter"].initial = (today.month - 1) // 3 + 1


class ScoreForm(forms.Form):
    """A field per item of the round's sheet (0 to its maximum), the day, praise, problems and comments."""

    visited_on = forms.DateField(label="观摩日期", widget=DATE)
    praise = forms.CharField(label="亮点", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    problems = forms.CharField(
        label="存在问题",
        required=False,
        max_length=4000,
        help_text="每行一个问题",
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    comments = forms.CharField(label="点评", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, items: list[SheetItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        scored = {}
        for item in items:
            scored[f"item_{item.pk}"] = forms.DecimalField(
                label=f"{item.star_label}·{item.name}（满分 {item.max_points}）",
                min_value=0,
                max_value=item.max_points,
                max_digits=4,
                decimal_places=1,
                widget=forms.NumberInput(attrs={"step": "0.5", "min": 0, "max": item.max_points}),
            )
        self.fields = {**scored, **self.fields}

    def scores(self) -> dict[int, Any]:
        return {i.pk: self.cleaned_data.get(f"item_{i.pk}") for i in self.items}

    def item_fields(self) -> list[Any]:
        return [self[f"item_{i.pk}"] for i in self.items]


class ToItemsForm(forms.Form):
    problem_ids = forms.TypedMultipleChoiceField(label="问题", choices=[], coerce=int)
    target = forms.CharField(label="目标", max_length=200, initial="问题整改到位，下次观摩复查通过")
    measure = forms.CharField(
        label="措施",
        max_length=2000,
        initial="对照观摩点评意见制定整改方案，落实到人",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    steps = forms.CharField(
        label="步骤",
        max_length=2000,
        initial="村“两委”研究整改方案；组织实施；完成后提请验收",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    responsible = forms.CharField(label="责任人", max_length=50)
    start_on = forms.DateField(label="开始日期", widget=DATE)
    days = forms.IntegerField(label="时限（工作日）", min_value=1, max_value=365, initial=20)

    def __init__(self, *args: Any, problems: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["problem_ids"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = [(p.pk, p.text) for p in problems]
        field.widget = forms.CheckboxSelectMultiple(choices=field.choices)


class ImportForm(forms.Form):
    file = forms.FileField(label="观摩评分表（.xlsx 或 .csv）")


class SheetForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
