"""Forms for 人居环境 and 文明幸福: a work with before/after photos, toilet coverage, a service centre, a service,
an activity, an honour, the county's room list, photos added later."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from xingyao.core.forms import PhotosField
from xingyao.core.roles import Action
from xingyao.livability.actions import PhotoIn
from xingyao.livability.vocabulary import (
    DEFAULT_ROOMS,
    MAX_ATTENDANCE,
    MAX_HOUSEHOLDS,
    MAX_PROMISED_DAYS,
    ActivityKind,
    HonourLevel,
    Measure,
    Outcome,
    PhotoStage,
    ServiceMode,
    WorkKind,
)
from xingyao.places.codes import Kind as UnitKind
from xingyao.places.forms import UnitPickerField

DATE = forms.DateInput(attrs={"type": "date"})


def _village_field() -> UnitPickerField:
    return UnitPickerField(label="村（社区）", kinds=(UnitKind.VILLAGE,), action=Action.CHANGE)


class VillageForm(forms.Form):
    """A form about one village: the picker offers the user's villages; a clerk of one gets it filled in."""

    def __init__(self, *args: Any, user: Any, villages: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["village"]
        assert isinstance(field, UnitPickerField)
        field.limit_to(user, units=villages)
        first_two = list(villages[:2])
        if len(first_two) == 1:
            self.fields["village"].widget = forms.HiddenInput()
            field.initial = first_two[0].pk


class WorkForm(VillageForm):
    village = _village_field()
    kind = forms.ChoiceField(label="类型", choices=WorkKind.choices())
    quantity = forms.DecimalField(label="数量", max_digits=12, decimal_places=2)
    measure = forms.ChoiceField(
        label="单位",
        choices=Measure.choices(),
        help_text="道路、管网按米；墙绘按平方米；花池、广场按座；改厕按户；清洁行动按次",
    )
    place = forms.CharField(label="名称或位置", max_length=100, help_text="如“村委会至小学道路”")
    started_on = forms.DateField(label="开工日期", widget=DATE)
    finished_on = forms.DateField(label="完工日期", widget=DATE, required=False)
    cost = forms.DecimalField(label="投资（万元）", max_digits=14, decimal_places=2, required=False)
    note = forms.CharField(label="备注", max_length=300, required=False)
    spot = forms.CharField(label="拍摄位置", max_length=100, required=False, help_text="整治前后照片请在同一位置拍摄")
    before = PhotosField(label="整治前照片")
    after = PhotosField(label="整治后照片")
    # Made by the phone when the form opens: a work recorded offline and sent twice is stored once.
    client_id = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def photos(self) -> list[PhotoIn]:
        spot = self.cleaned_data.get("spot") or ""
        return [PhotoIn(f, PhotoStage.BEFORE, spot) for f in self.cleaned_data.get("before") or []] + [
            PhotoIn(f, PhotoStage.AFTER, spot) for f in self.cleaned_data.get("after") or []
        ]


class PhotosForm(forms.Form):
    stage = forms.ChoiceField(label="阶段", choices=PhotoStage.choices(), initial=PhotoStage.AFTER)
    spot = forms.CharField(label="拍摄位置", max_length=100, required=False)
    photos = PhotosField(label="照片", required=True)

    def photo_list(self) -> list[PhotoIn]:
        data = self.cleaned_data
        return [PhotoIn(f, data["stage"], data.get("spot") or "") for f in data["photos"]]


class ToiletForm(VillageForm):
    village = _village_field()
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    households = forms.IntegerField(label="农户总数", min_value=1, max_value=MAX_HOUSEHOLDS)
    covered = forms.IntegerField(label="已改造卫生厕所户数", min_value=0, max_value=MAX_HOUSEHOLDS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year


class CentreForm(VillageForm):
    village = _village_field()
    name = forms.CharField(label="名称", max_length=100, initial="党群服务中心")
    area = forms.DecimalField(label="建筑面积（平方米）", max_digits=8, decimal_places=1, min_value=0)
    rooms = forms.MultipleChoiceField(label="已设置的功能室", widget=forms.CheckboxSelectMultiple, required=False)
    built_on = forms.DateField(label="建成日期", widget=DATE, required=False)
    rebuilt_on = forms.DateField(label="重建日期", widget=DATE, required=False)
    upgraded_on = forms.DateField(label="提升改造日期", widget=DATE, required=False)
    note = forms.CharField(label="备注", max_length=300, required=False)
    photos = PhotosField(label="照片")

    def __init__(self, *args: Any, rooms: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["rooms"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(r, r) for r in rooms]


class ServiceForm(VillageForm):
    village = _village_field()
    mode = forms.ChoiceField(label="办理方式", choices=ServiceMode.choices())
    matter = forms.CharField(label="事项", max_length=100, help_text="如“代办城乡居民医保缴费”")
    requested_on = forms.DateField(label="受理日期", widget=DATE)
    promised_days = forms.IntegerField(label="承诺时限（天）", min_value=0, max_value=MAX_PROMISED_DAYS, initial=1)
    outcome = forms.ChoiceField(label="办理结果", choices=Outcome.choices(), initial=Outcome.OPEN)
    finished_on = forms.DateField(label="办结日期", widget=DATE, required=False)


class FinishForm(forms.Form):
    outcome = forms.ChoiceField(
        label="办理结果", choices=[(o.value, o.label) for o in Outcome if o is not Outcome.OPEN]
    )
    finished_on = forms.DateField(label="办结日期", widget=DATE)


class ActivityForm(VillageForm):
    village = _village_field()
    kind = forms.ChoiceField(label="类型", choices=ActivityKind.choices())
    title = forms.CharField(label="名称", max_length=100, help_text="如“庆八一·感党恩”文艺汇演")
    held_on = forms.DateField(label="日期", widget=DATE)
    organiser = forms.CharField(label="组织单位", max_length=100)
    attendance = forms.IntegerField(label="参加人数", min_value=0, max_value=MAX_ATTENDANCE)
    note = forms.CharField(label="备注", max_length=300, required=False)
    photos = PhotosField(label="照片")


class HonourForm(VillageForm):
    village = _village_field()
    name = forms.CharField(label="荣誉名称", max_length=100, initial="文明村")
    level = forms.ChoiceField(label="命名级别", choices=HonourLevel.choices())
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    conferred_by = forms.CharField(label="命名单位", max_length=100, required=False)


class RoomsForm(forms.Form):
    rooms = forms.CharField(
        label="功能室（每行一个）",
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=1000,
        initial="\n".join(DEFAULT_ROOMS),
        help_text="默认“一厅五室”：便民服务大厅；党员活动室、综治调解室、图书阅览室、文体活动室、卫生室",
    )
