"""Forms for values, evidence, workflow steps, objections and star management."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from xingyao.assessments import workflow as wf
from xingyao.assessments.models import IndicatorValue
from xingyao.stars import scoring
from xingyao.stars.models import Indicator

BOOL_CHOICES = [("", "—"), ("true", "是"), ("false", "否")]
NOTE_LABELS = {"self_value": "更正说明", "town_value": "乡镇意见", "county_value": "县级意见"}
NOTE_FIELDS = {"self_value": "correction_note", "town_value": "town_note", "county_value": "county_note"}


def _initial(spec: scoring.IndicatorSpec, raw: Any) -> str:
    if raw is None:
        return ""
    if spec.kind is scoring.Kind.BOOL:
        return "true" if raw is True else "false" if raw is False else str(raw)
    return str(raw)


class ValuesForm(forms.Form):
    """One column of an assessment: a field per indicator, named by its id, plus a note where it applies."""

    def __init__(self, *args: Any, column: str, values: list[IndicatorValue], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.column = column
        self.codes: dict[str, str] = {}
        self.groups: list[tuple[str, list[tuple[IndicatorValue, forms.BoundField, forms.BoundField | None]]]] = []
        for v in values:
            indicator: Indicator = v.indicator
            spec = indicator.to_spec()
            name, note = f"v_{indicator.pk}", f"n_{indicator.pk}"
            self.codes[name] = self.codes[note] = indicator.code
            if column == "self_value" and spec.kind is scoring.Kind.EVIDENCE:
                field: forms.Field | None = None  # the village's count is its uploaded files
            else:
                field = self._field(spec)
                field.initial = _initial(spec, getattr(v, column))
                self.fields[name] = field
            if column != "self_value" or indicator.data_source:
                self.fields[note] = forms.CharField(
                    label=NOTE_LABELS[column],
                    required=False,
                    max_length=2000,
                    initial=getattr(v, NOTE_FIELDS[column]),
                    widget=forms.Textarea(attrs={"rows": 2}),
                )
        self._values = values

    @staticmethod
    def _field(spec: scoring.IndicatorSpec) -> forms.Field:
        label = spec.name + (f"（{spec.unit}）" if spec.unit else "")
        match spec.kind:
            case scoring.Kind.BOOL:
                return forms.ChoiceField(label=label, choices=BOOL_CHOICES, required=False)
            case scoring.Kind.CHOICE:
                return forms.ChoiceField(
                    label=label, choices=[("", "—"), *[(c.value, c.label) for c in spec.choices]], required=False
                )
            case scoring.Kind.EVIDENCE:
                return forms.CharField(
                    label=f"{spec.name}（认定份数）",
                    required=False,
                    widget=forms.TextInput(attrs={"inputmode": "numeric"}),
                )
        # Text, not a number input: the scoring rules give the message for a wrong type, in one place.
        return forms.CharField(label=label, required=False, widget=forms.TextInput(attrs={"inputmode": "decimal"}))

    def rows(self) -> list[tuple[IndicatorValue, forms.BoundField | None, forms.BoundField | None]]:
        out = []
        for v in self._values:
            name, note = f"v_{v.indicator.pk}", f"n_{v.indicator.pk}"
            out.append((v, self[name] if name in self.fields else None, self[note] if note in self.fields else None))
        return out

    def raw_values(self) -> tuple[dict[str, Any], dict[str, str]]:
        """(values, notes) keyed by indicator code; a field left out of the request stays as it is."""
        values: dict[str, Any] = {}
        notes: dict[str, str] = {}
        for name, value in self.cleaned_data.items():
            if name not in self.data:
                continue
            code = self.codes[name]
            if name.startswith("v_"):
                values[code] = value
            else:
                notes[code] = value
        return values, notes

    def field_of(self, code: str) -> str | None:
        return next((n for n, c in self.codes.items() if c == code and n.startswith("v_") and n in self.fields), None)


MAX_FILES_AT_ONCE = 12  # an indicator asks for up to a dozen photos; the page's uploader sends one per request


class MultipleFilesInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFilesField(forms.FileField):
    """Several files from one input (`<input type=file multiple>`), each checked as a FileField checks one."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFilesInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if not files and self.required:
            raise forms.ValidationError("请选择要上传的照片或文件")
        if len(files) > MAX_FILES_AT_ONCE:
            raise forms.ValidationError(f"一次最多上传 {MAX_FILES_AT_ONCE} 个文件")
        return [super(MultipleFilesField, self).clean(f, initial) for f in files]


class EvidenceForm(forms.Form):
    """The upload on one indicator's row: the indicator is the row's, the files one or many."""

    indicator = forms.ModelChoiceField(
        label="所属指标", queryset=Indicator.objects.none(), widget=forms.HiddenInput, error_messages={
            "invalid_choice": "该指标不属于本次评定的标准", "required": "请在指标所在行上传佐证"}
    )  # fmt: skip
    file = MultipleFilesField(label="照片或文件（JPEG、PNG、HEIC、PDF、Word、Excel）")
    caption = forms.CharField(label="说明", required=False, max_length=200)

    def __init__(self, *args: Any, criteria_set_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: forms.ModelChoiceField = self.fields["indicator"]  # type: ignore[assignment]
        field.queryset = Indicator.objects.filter(criteria_set_id=criteria_set_id)


class ReasonForm(forms.Form):
    reason = forms.CharField(label="理由", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class StarReviewForm(forms.Form):
    decision = forms.ChoiceField(label="审核结果", choices=[(d.value, d.label) for d in wf.Decision])
    reason = forms.CharField(label="理由", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class PublicityForm(forms.Form):
    start = forms.DateField(label="公示开始日期", widget=forms.DateInput(attrs={"type": "date"}))
    days = forms.IntegerField(label="公示天数", min_value=wf.MIN_PUBLICITY_DAYS, max_value=wf.MAX_PUBLICITY_DAYS)

    def __init__(self, *args: Any, days: int = 7, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["start"].initial = timezone.localdate()
        self.fields["days"].initial = days


class PaperNoticeForm(forms.Form):
    posted_on = forms.DateField(label="纸质公示张贴日期", widget=forms.DateInput(attrs={"type": "date"}))
    photo = forms.FileField(label="张贴现场照片")  # checked (decoded, re-encoded) by the action


class DecisionForm(forms.Form):
    upheld = forms.TypedChoiceField(
        label="处理结果",
        choices=[("0", "异议不成立，继续公示"), ("1", "异议成立，退回村级重新评定")],
        coerce=lambda v: v == "1",
    )
    decision = forms.CharField(label="处理意见", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class StarChangeForm(forms.Form):
    action = forms.ChoiceField(label="操作")
    reason = forms.CharField(label="理由", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    file = forms.FileField(label="佐证材料（照片或文件）")

    def __init__(self, *args: Any, actions: tuple[wf.StarAction, ...], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [(a.value, a.label) for a in actions]  # type: ignore[attr-defined]


class ObjectionForm(forms.Form):
    content = forms.CharField(label="异议内容", max_length=2000, widget=forms.Textarea(attrs={"rows": 5}))
    contact = forms.CharField(label="联系方式（电话或地址，仅用于核实反馈，不公开）", max_length=100)
    name = forms.CharField(label="姓名（可不填）", max_length=50, required=False)
    # A field people never see: bots that fill every input give themselves away.
    website = forms.CharField(
        label="网址",
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
