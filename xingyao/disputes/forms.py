from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from xingyao.core.roles import Action
from xingyao.disputes.models import OUTCOME_CHOICES, DisputeType, Risk, Side
from xingyao.places.codes import Kind
from xingyao.places.forms import UnitMultiPickerField, UnitPickerField

PARTY_ROWS = 4


class RegisterForm(forms.Form):
    village = UnitPickerField(label="村（社区）", kinds=(Kind.VILLAGE,), action=Action.MANAGE)
    type = forms.ChoiceField(label="纠纷类型", choices=DisputeType.choices)
    risk = forms.ChoiceField(label="风险等级", choices=Risk.choices, initial=Risk.YELLOW)
    received_on = forms.DateField(label="受理日期", widget=forms.DateInput(attrs={"type": "date"}))
    summary = forms.CharField(label="纠纷概要", max_length=80)
    description = forms.CharField(label="基本情况", max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))
    amount = forms.DecimalField(label="涉及金额（元）", required=False, min_value=0, max_digits=12, decimal_places=2)
    petition_beyond_village = forms.BooleanField(label="当事人已越级上访（到镇及以上）", required=False)

    def __init__(self, *args: Any, villages: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["village"]
        assert isinstance(field, UnitPickerField)
        field.queryset = villages
        self.fields["received_on"].initial = timezone.localdate()
        for i in range(1, PARTY_ROWS + 1):
            side = Side.APPLICANT if i == 1 else Side.RESPONDENT
            self.fields[f"p{i}_side"] = forms.ChoiceField(label=f"当事人{i}", choices=Side.choices, initial=side)
            self.fields[f"p{i}_name"] = forms.CharField(label="姓名", max_length=30, required=i <= 2)
            self.fields[f"p{i}_phone"] = forms.CharField(label="联系电话", max_length=20, required=False)

    def party_rows(self) -> list[tuple[Any, Any, Any]]:
        return [(self[f"p{i}_side"], self[f"p{i}_name"], self[f"p{i}_phone"]) for i in range(1, PARTY_ROWS + 1)]

    def main_fields(self) -> list[Any]:
        return [
            self[name]
            for name in (
                "village",
                "type",
                "risk",
                "received_on",
                "summary",
                "description",
                "amount",
                "petition_beyond_village",
            )
        ]


class TriageForm(forms.Form):
    risk = forms.ChoiceField(label="风险等级", choices=Risk.choices)
    lead_department = UnitPickerField(label="主办单位", kinds=(Kind.DEPARTMENT,), action=Action.MANAGE)
    team = UnitMultiPickerField(
        label="联合调解单位（警司访+）", kinds=(Kind.DEPARTMENT,), action=Action.MANAGE, required=False
    )
    note = forms.CharField(label="分流意见", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, user: Any, dispute: Any, **kwargs: Any) -> None:
        """Departments are searched among those of the case's town and county that the user dispatches to."""
        super().__init__(*args, **kwargs)
        for name in ("lead_department", "team"):
            field = self.fields[name]
            assert isinstance(field, UnitPickerField | UnitMultiPickerField)
            field.limit_to(user, near=dispute.village)


class SessionForm(forms.Form):
    held_on = forms.DateField(label="调解日期", widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label="地点", max_length=100, required=False)
    mediators = forms.CharField(
        label="调解人员", max_length=200, help_text="如：派出所张警官、司法所李所长、村调委会王主任"
    )
    note = forms.CharField(label="调解情况", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(label="调处结果", choices=OUTCOME_CHOICES)
    closed_on = forms.DateField(label="结案日期", widget=forms.DateInput(attrs={"type": "date"}))
    result_note = forms.CharField(label="调处情况", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    petition_beyond_village = forms.BooleanField(label="当事人已越级上访（到镇及以上）", required=False)


class DocumentForm(forms.Form):
    file = forms.FileField(label="调解协议书", help_text="PDF、Word 或协议书照片")
