from typing import Any
from urllib.parse import urlencode

from django import forms
from django.urls import reverse

from xingyao.core.roles import Action
from xingyao.places.codes import Kind
from xingyao.places.models import Unit


class UnitCreateForm(forms.Form):
    code = forms.CharField(label="代码", max_length=24, help_text="村及以上为 12 位区划代码；网格为村代码加 3 位序号")
    name = forms.CharField(label="名称", max_length=100)
    kind = forms.ChoiceField(label="层级", choices=[(k.value, k.label) for k in Kind if k not in (Kind.PROVINCE,)])
    households = forms.IntegerField(label="户数", required=False, min_value=0)


class UnitEditForm(forms.Form):
    name = forms.CharField(label="名称", max_length=100)
    households = forms.IntegerField(label="户数", required=False, min_value=0)
    active = forms.BooleanField(label="启用", required=False)


class ImportForm(forms.Form):
    file = forms.FileField(label="文件", help_text="Excel（.xlsx）或 CSV")


class UnitPicker(forms.Widget):
    """A search box that finds units as one types (`places:unit_search`) and keeps the chosen id in a hidden input.

    Without JavaScript the box still works: a typed code (or an exact, unique name) is resolved by the field.
    """

    template_name = "places/widgets/unit_picker.html"

    def __init__(self, kinds: tuple[str, ...] = (), action: str = Action.VIEW, attrs: Any = None) -> None:
        super().__init__(attrs)
        self.kinds = kinds
        self.action = action
        self.within = ""  # a unit code to search below, set by the form when it knows one
        self.choices: Any = None  # ModelChoiceField hands its widget the choices; their queryset names the value

    def get_context(self, name: str, value: Any, attrs: Any) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        params = {"action": self.action, **({"kind": ",".join(self.kinds)} if self.kinds else {})}
        if self.within:
            params["within"] = self.within
        chosen = None
        units = getattr(self.choices, "queryset", None)
        if value not in (None, "") and units is not None and str(value).isdigit():
            chosen = units.filter(pk=value).select_related("parent").first()
        context["widget"].update(
            url=f"{reverse('places:unit_search')}?{urlencode(params)}",
            chosen=picker_label(chosen) if chosen else "",
            label=chosen.name if chosen else ("" if value is None or str(value).isdigit() else value),
            value=chosen.pk if chosen else "",
        )
        return context

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        return data.get(name) or (data.get(f"{name}__q") or "").strip() or None


def picker_label(unit: Unit) -> str:
    """How a search result reads: 毛桥村（村/社区 · 溧河铺镇）."""
    parent = f" · {unit.parent.name}" if unit.parent_id and unit.parent else ""
    return f"{unit.name}（{unit.kind_label}{parent}）"


class UnitPickerField(forms.ModelChoiceField):
    """One unit, chosen by searching; the server accepts only ids (or codes) inside the form's `queryset`,
    which the form sets from `Unit.objects.restrict(user, action)`."""

    default_error_messages = {"invalid_choice": "所选单位不存在或不在您的管辖范围内，请从搜索结果中选择"}

    def __init__(self, *, kinds: tuple[str, ...] = (), action: str = Action.VIEW, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", Unit.objects.none())
        kwargs.setdefault("widget", UnitPicker(kinds=kinds, action=action))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Unit | None:
        if value in self.empty_values:
            return None
        text = str(value).strip()
        units = self.queryset if self.queryset is not None else Unit.objects.none()
        found = units.filter(pk=int(text)).first() if text.isdigit() and len(text) < 12 else None
        if found is None:
            found = units.filter(code=text).first()
        if found is None:
            named = list(units.filter(name=text)[:2])
            found = named[0] if len(named) == 1 else None
        if found is None:
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return found

    def validate(self, value: Any) -> None:
        forms.Field.validate(self, value)


class WorkdayOverrideForm(forms.Form):
    day = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}))
    is_workday = forms.TypedChoiceField(
        label="该日为", choices=[("0", "休息日"), ("1", "工作日")], coerce=lambda v: v == "1"
    )
    note = forms.CharField(label="说明", max_length=100, required=False)
