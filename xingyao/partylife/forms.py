"""Forms for Party life: a meeting with its attendance, photos, a new applicant, a stage step."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from xingyao.core.forms import PhotosField
from xingyao.core.roles import Action
from xingyao.partylife.actions import AbsenceIn
from xingyao.partylife.workflow import Kind, Move
from xingyao.places.codes import Kind as UnitKind
from xingyao.places.forms import UnitPickerField

DATE = forms.DateInput(attrs={"type": "date"})


def _one_village(form: forms.Form, user: Any, villages: Any) -> None:
    """The picker offers the user's branches; a clerk of one village gets it filled in and hidden."""
    field = form.fields["village"]
    assert isinstance(field, UnitPickerField)
    field.limit_to(user, units=villages)
    first_two = list(villages[:2])
    if len(first_two) == 1:
        form.fields["village"].widget = forms.HiddenInput()
        field.initial = first_two[0].pk


class MeetingForm(forms.Form):
    village = UnitPickerField(label="村（社区）党组织", kinds=(UnitKind.VILLAGE,), action=Action.CHANGE)
    kind = forms.ChoiceField(label="会议类型", choices=Kind.choices())
    held_on = forms.DateField(label="会议日期", widget=DATE)
    topic = forms.CharField(label="主题", max_length=100)
    place = forms.CharField(label="地点", max_length=100, required=False, initial="村党群服务中心")
    led_by = forms.CharField(label="主持人", max_length=50)
    expected = forms.IntegerField(label="应到人数", min_value=1, max_value=2000)
    present = forms.IntegerField(label="实到人数", min_value=0, max_value=2000)
    absences = forms.CharField(
        label="缺席党员及原因",
        required=False,
        max_length=3000,
        help_text="每行一人：姓名 原因，如“王小明 外出务工”",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    minutes = forms.CharField(
        label="会议记录", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )
    photos = PhotosField(label="照片（签到表、会议现场）", help_text="可拍照或从相册选择，最多 9 张")
    # Made by the phone when the form opens: a record kept offline and sent twice is stored once.
    client_id = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, user: Any, villages: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _one_village(self, user, villages)
        self.fields["held_on"].initial = timezone.localdate()

    def absence_list(self) -> list[AbsenceIn]:
        rows = []
        for line in (self.cleaned_data.get("absences") or "").splitlines():
            line = line.strip().replace("，", " ").replace(",", " ").replace("\u3000", " ")
            if line:
                name, _, reason = line.partition(" ")
                rows.append(AbsenceIn(name.strip(), reason.strip() or "未说明"))
        return rows


class PhotosForm(forms.Form):
    photos = PhotosField(label="补充照片", required=True)


class CandidateForm(forms.Form):
    village = UnitPickerField(label="村（社区）党组织", kinds=(UnitKind.VILLAGE,), action=Action.CHANGE)
    name = forms.CharField(label="姓名", max_length=30)
    applied_on = forms.DateField(label="递交入党申请日期", widget=DATE)
    note = forms.CharField(label="备注", max_length=200, required=False)

    def __init__(self, *args: Any, user: Any, villages: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _one_village(self, user, villages)


class AdvanceForm(forms.Form):
    move = forms.ChoiceField(choices=Move.choices(), widget=forms.HiddenInput)
    on = forms.DateField(label="日期", widget=DATE)
    reason = forms.CharField(label="说明", max_length=500, required=False)
