from __future__ import annotations

from typing import Any

from django import forms

from xingyao.core.roles import Action
from xingyao.places.codes import Kind
from xingyao.places.forms import UnitPickerField
from xingyao.stars.exports import format_choices, parse_choices
from xingyao.stars.models import Indicator, UnitKind


class CriteriaSetCreateForm(forms.Form):
    county = UnitPickerField(label="制定单位", kinds=(Kind.COUNTY,), action=Action.ADMIN)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    unit_kind = forms.ChoiceField(label="适用对象", choices=UnitKind.choices, initial=UnitKind.VILLAGE)
    name = forms.CharField(label="名称", max_length=200)
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    dept_review = forms.BooleanField(label="启用分星部门审核", required=False)
    publicity_days = forms.IntegerField(label="公示天数", min_value=1, max_value=30, initial=7)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        """The counties the user administers are searched; when there is only one it is already chosen."""
        super().__init__(*args, **kwargs)
        field = self.fields["county"]
        assert isinstance(field, UnitPickerField)
        field.limit_to(user)
        only = list(field.queryset[:2])
        if len(only) == 1:
            field.initial = only[0].pk


class CriteriaSetEditForm(forms.Form):
    name = forms.CharField(label="名称", max_length=200)
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    dept_review = forms.BooleanField(label="启用分星部门审核", required=False)
    publicity_days = forms.IntegerField(label="公示天数", min_value=1, max_value=30)


class CopyForm(forms.Form):
    year = forms.IntegerField(label="新年度", min_value=2000, max_value=2100)


class ImportForm(forms.Form):
    file = forms.FileField(label="文件", help_text="Excel（.xlsx），含“指标”和“星级规则”两个工作表")


class StarForm(forms.Form):
    name = forms.CharField(label="名称", max_length=50)
    min_points = forms.DecimalField(label="最低分", required=False, min_value=0, max_digits=8, decimal_places=2)
    require_all_required = forms.BooleanField(label="必备指标须全部达标", required=False)
    prerequisites = forms.MultipleChoiceField(
        label="前置星", required=False, widget=forms.CheckboxSelectMultiple, help_text="须先评上这些星"
    )
    review_department = UnitPickerField(
        label="审核部门",
        kinds=(Kind.DEPARTMENT,),
        action=Action.ADMIN,
        required=False,
        help_text="开启分星部门审核后，由该部门在乡镇初审后审核本星；留空为不需部门审核",
    )

    def __init__(self, *args: Any, others: list[tuple[str, str]], user: Any, county: Any, **kwargs: Any) -> None:
        """Review departments are searched among the county's own departments (not its towns')."""
        super().__init__(*args, **kwargs)
        self.fields["prerequisites"].choices = others  # type: ignore[attr-defined]
        field = self.fields["review_department"]
        assert isinstance(field, UnitPickerField)
        field.limit_to(user, near=county)


class ChoicesField(forms.CharField):
    """Options typed as “good:好=20；较好=14”, cleaned to [[value, label, points], ...]."""

    def prepare_value(self, value: Any) -> Any:
        return format_choices(value) if isinstance(value, list) else value

    def clean(self, value: Any) -> list[list[Any]]:
        text = super().clean(value)
        try:
            return [[c["value"], c["label"], c["points"]] for c in parse_choices(text or "")]
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None


class IndicatorForm(forms.Form):
    code = forms.CharField(label="指标编号", max_length=32)
    name = forms.CharField(label="指标内容", max_length=300)
    section = forms.CharField(
        label="板块",
        max_length=100,
        help_text="填写已有板块名称，或新的板块名称",
        widget=forms.TextInput(attrs={"list": "section-names"}),
    )
    kind = forms.ChoiceField(label="类型", choices=Indicator.KIND_CHOICES)
    points = forms.DecimalField(label="分值", min_value=0, max_digits=8, decimal_places=2)
    required = forms.BooleanField(label="必备", required=False)
    veto = forms.BooleanField(label="一票否决", required=False)
    threshold = forms.DecimalField(label="达标值", required=False, min_value=0, max_digits=14, decimal_places=2)
    comparison = forms.ChoiceField(label="比较", choices=Indicator.COMPARISON_CHOICES)
    unit = forms.CharField(label="单位", max_length=20, required=False)
    choices = ChoicesField(label="选项", required=False, help_text="如：good:好=20；fair:较好=14；poor:差=0")
    min_score = forms.DecimalField(label="最低分", required=False, min_value=0, max_digits=8, decimal_places=2)
    max_score = forms.DecimalField(label="最高分", required=False, min_value=0, max_digits=8, decimal_places=2)
    evidence_count = forms.IntegerField(label="佐证数量", min_value=0, max_value=100, initial=1)
    data_source = forms.CharField(
        label="数据来源",
        max_length=100,
        required=False,
        help_text="如 disputes.success_rate；未接入的来源也可先填写",
        widget=forms.TextInput(attrs={"list": "source-keys"}),
    )
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    order = forms.IntegerField(label="顺序", min_value=0, required=False)

    @staticmethod
    def initial_for(indicator: Indicator) -> dict[str, Any]:
        return {
            "code": indicator.code,
            "name": indicator.name,
            "section": indicator.section.name,
            "kind": indicator.kind,
            "points": indicator.points,
            "required": indicator.required,
            "veto": indicator.veto,
            "threshold": indicator.threshold,
            "comparison": indicator.comparison,
            "unit": indicator.unit,
            "choices": indicator.choices,
            "min_score": indicator.min_score,
            "max_score": indicator.max_score,
            "evidence_count": indicator.evidence_count,
            "data_source": indicator.data_source or "",
            "note": indicator.note,
            "order": indicator.order,
        }


class PlanForm(forms.Form):
    strengths = forms.CharField(label="优势", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    gaps = forms.CharField(label="差距与短板", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    measures = forms.CharField(label="创建措施", widget=forms.Textarea(attrs={"rows": 4}))
    responsible = forms.CharField(label="责任人", max_length=100)
    deadline = forms.DateField(label="完成时限", widget=forms.DateInput(attrs={"type": "date"}))
