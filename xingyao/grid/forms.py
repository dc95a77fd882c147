from __future__ import annotations

from typing import Any

from django import forms

from xingyao.core.forms import PhotosField, set_choices
from xingyao.core.roles import Action
from xingyao.grid.models import DEPARTMENT_TYPES, Post, ZeroKind
from xingyao.grid.workflow import Level
from xingyao.places.codes import Kind
from xingyao.places.forms import UnitPicker, UnitPickerField


def _grouped(groups: list[tuple[str, list[tuple[int, str]]]]) -> list[Any]:
    return [("", "请选择分类"), *[(group, options) for group, options in groups]]


class ReportForm(forms.Form):
    unit = UnitPickerField(label="所在网格", action=Action.REPORT)
    category = forms.TypedChoiceField(label="事件分类", coerce=int)
    title = forms.CharField(
        label="事件标题", max_length=60, widget=forms.TextInput(attrs={"placeholder": "一句话说明"})
    )
    description = forms.CharField(label="事件描述", max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))
    address = forms.CharField(label="地点", max_length=200, required=False)
    latitude = forms.CharField(required=False, widget=forms.HiddenInput)
    longitude = forms.CharField(required=False, widget=forms.HiddenInput)
    photos = PhotosField(label="现场照片", help_text="可拍照或从相册选择，最多 6 张")
    # Made by the phone when the form opens: a report kept offline and sent twice is stored once.
    client_id = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, user: Any, units: Any, categories: list[Any], **kwargs: Any) -> None:
        """`units`: where the user reports (`reportable_units`); a grid worker's own grids or a clerk's villages."""
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, UnitPickerField)
        first_two = list(units[:2])
        field.widget.kinds = tuple(sorted({u.kind for u in first_two}))
        if field.widget.kinds == (Kind.VILLAGE,):
            field.label = "所在村（社区）"
        field.limit_to(user, units=units)
        set_choices(self.fields["category"], _grouped(categories))
        if len(first_two) == 1:  # one grid: nothing to choose, the report goes there
            self.fields["unit"].widget = forms.HiddenInput()
            field.initial = first_two[0].pk


class MoveForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(label="说明", max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    deadline_days = forms.IntegerField(label="办理时限（工作日）", required=False, min_value=0, max_value=60)
    extra_days = forms.IntegerField(label="延期（工作日）", required=False, min_value=1, max_value=60)
    duplicate_of = forms.CharField(label="原事件编号", max_length=30, required=False)
    photos = PhotosField(label="照片")
    reply = forms.CharField(label="答复居民", max_length=500, required=False)
    # Made by the phone when the page opens: a step kept offline and sent twice is taken once.
    client_id = forms.UUIDField(required=False, widget=forms.HiddenInput)


class NoteForm(forms.Form):
    """What a worker found on the spot: a note, photos and where he stood (kept on the phone without signal)."""

    text = forms.CharField(label="情况说明", max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))
    photos = PhotosField(label="现场照片", help_text="可拍照或从相册选择，最多 6 张")
    latitude = forms.CharField(required=False, widget=forms.HiddenInput)
    longitude = forms.CharField(required=False, widget=forms.HiddenInput)
    client_id = forms.UUIDField(required=False, widget=forms.HiddenInput)


class DispatchForm(forms.Form):
    """The department an event goes to: searched among its town's and county's departments the user dispatches to."""

    department = UnitPickerField(label="承办部门", kinds=(Kind.DEPARTMENT,), action=Action.MANAGE)

    def __init__(self, *args: Any, user: Any, event: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["department"]
        assert isinstance(field, UnitPickerField)
        field.widget.attrs["id"] = "d-department"
        field.limit_to(user, near=event.unit)


class SuperviseForm(forms.Form):
    level = forms.ChoiceField(label="督办等级", choices=[(lv.value, lv.label) for lv in Level])
    reason = forms.CharField(label="督办意见", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class CategoryForm(forms.Form):
    code = forms.CharField(label="分类代码", max_length=32, help_text="如 MDJF-LL；设定后不能修改")
    name = forms.CharField(label="名称", max_length=50)
    parent = forms.TypedChoiceField(label="上级分类", coerce=int, required=False, empty_value=None)
    department_type = forms.ChoiceField(
        label="默认承办部门", required=False, choices=[("", "—"), *[(d, d) for d in DEPARTMENT_TYPES]]
    )
    deadline_days = forms.IntegerField(label="办理时限（工作日）", min_value=0, max_value=60, initial=5)
    zero_kind = forms.ChoiceField(label="计入“三零”", choices=ZeroKind.choices, required=False)
    active = forms.BooleanField(label="启用", required=False, initial=True)

    def __init__(self, *args: Any, parents: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self.fields["parent"], [("", "（一级分类）"), *[(c.pk, c.full_name) for c in parents]])


class WorkerImportForm(forms.Form):
    file = forms.FileField(label="文件", help_text="Excel（.xlsx）或 CSV")
    initial_password = forms.CharField(
        label="新账号的初始密码",
        required=False,
        widget=forms.PasswordInput,
        help_text="只用于表中尚无账号的人员；登录名默认为手机号",
    )


class PostAddForm(forms.Form):
    grid = UnitPickerField(label="网格", kinds=(Kind.GRID, Kind.MICROGRID), action=Action.ADMIN)
    username = forms.CharField(label="登录名", max_length=150, help_text="已有账号填其登录名；新人员建议用手机号")
    full_name = forms.CharField(label="姓名", max_length=50, required=False)
    phone = forms.CharField(label="手机号", max_length=20, required=False)
    password = forms.CharField(label="初始密码（新账号）", required=False, widget=forms.PasswordInput)
    post = forms.ChoiceField(label="岗位", choices=Post.choices)

    def __init__(self, *args: Any, grids: Any, unit: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["grid"]
        assert isinstance(field, UnitPickerField) and isinstance(field.widget, UnitPicker)
        field.queryset = grids
        field.widget.within = unit.code


class ResidentForm(forms.Form):
    """What a resident can tell from his phone: no unit to pick (he rarely knows his grid); the place in words."""

    category = forms.TypedChoiceField(label="问题类别", coerce=int)
    description = forms.CharField(
        label="反映的问题",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": "请说明时间、地点和情况"}),
    )
    address = forms.CharField(label="地点", max_length=100, required=False)
    contact_name = forms.CharField(label="称呼（可不填）", max_length=20, required=False)
    contact_phone = forms.CharField(label="联系电话（可不填，仅工作人员可见）", max_length=20, required=False)
    photos = PhotosField(label="照片（最多 3 张）")
    # A field people never see (hidden by the stylesheet): only robots fill it in.
    website = forms.CharField(label="网址", required=False)

    def __init__(self, *args: Any, categories: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self.fields["category"], _grouped(categories))
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})
