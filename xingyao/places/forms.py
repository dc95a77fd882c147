from typing import Any
from urllib.parse import urlencode

from django import forms
from django.urls import reverse

from xingyao.core.roles import Action
from xingyao.places.codes import Kind
from xingyao.places.models import Unit
from xingyao.places.queries import picker_queryset


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
        self.within = ""  # a unit code to search below, set by the field's limit_to()
        self.near = ""  # a unit code whose own and higher units' departments are offered
        self.choices: Any = None  # ModelChoiceField hands its widget the choices; their queryset names the value

    def search_url(self) -> str:
        params = {"action": self.action, **({"kind": ",".join(self.kinds)} if self.kinds else {})}
        params |= {key: code for key, code in (("within", self.within), ("near", self.near)) if code}
        return f"{reverse('places:unit_search')}?{urlencode(params)}"

    def _units(self) -> Any:
        return getattr(self.choices, "queryset", None)

    def get_context(self, name: str, value: Any, attrs: Any) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        units = self._units()
        chosen = find_unit(units, value) if units is not None else None
        typed = "" if value is None or chosen else str(value)
        context["widget"].update(
            url=self.search_url(),
            chosen=picker_label(chosen) if chosen else "",
            label=chosen.name if chosen else ("" if typed.isdigit() else typed),
            value=chosen.pk if chosen else "",
        )
        return context

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        return data.get(name) or (data.get(f"{name}__q") or "").strip() or None


class UnitMultiPicker(UnitPicker):
    """Several units: each chosen one is a removable chip with its own hidden input; the box adds more."""

    template_name = "places/widgets/unit_multi_picker.html"
    allow_multiple_selected = True

    def get_context(self, name: str, value: Any, attrs: Any) -> dict[str, Any]:
        context = forms.Widget.get_context(self, name, value, attrs)
        units = self._units()
        values = [v for v in (value or []) if v not in (None, "")]
        found = [(v, find_unit(units, v) if units is not None else None) for v in values]
        chosen = list({u.pk: u for _, u in found if u is not None}.values())
        context["widget"].update(
            url=self.search_url(),
            chosen=[{"pk": u.pk, "name": u.name, "label": picker_label(u)} for u in chosen],
            label=next((str(v) for v, u in found if u is None and not str(v).isdigit()), ""),
        )
        return context

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        values = list(data.getlist(name)) if hasattr(data, "getlist") else list(data.get(name) or [])
        typed = (data.get(f"{name}__q") or "").strip()
        return [*values, typed] if typed else values

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return False  # an empty list is a choice too


def picker_label(unit: Unit) -> str:
    """How a search result reads: 毛桥村（村/社区 · 溧河铺镇）."""
    parent = f" · {unit.parent.name}" if unit.parent_id and unit.parent else ""
    return f"{unit.name}（{unit.kind_label}{parent}）"


def find_unit(units: Any, value: Any) -> Unit | None:
    """The unit `value` names inside `units`: its id, its code, or a name only one of them has; else None."""
    if value in (None, ""):
        return None
    text = str(value).strip()
    found = units.filter(pk=int(text)).first() if text.isdigit() and len(text) < 12 else None
    if found is None:
        found = units.filter(code=text).select_related("parent").first()
    if found is None:
        named = list(units.filter(name=text).select_related("parent")[:2])
        found = named[0] if len(named) == 1 else None
    return found


class _Limited:
    """What a picker field offers and accepts, set once by the form: the same set the search endpoint returns."""

    widget: UnitPicker
    queryset: Any

    def limit_to(self, user: Any, *, within: Unit | None = None, near: Unit | None = None, units: Any = None) -> None:
        """Search and accept the units `user` may pick here (or exactly `units`, a narrower restricted set)."""
        self.widget.within = within.code if within is not None else ""
        self.widget.near = near.code if near is not None else ""
        self.queryset = (
            units
            if units is not None
            else picker_queryset(user, action=self.widget.action, kinds=self.widget.kinds, within=within, near=near)
        )


INVALID_UNIT = "所选单位不存在或不在您的管辖范围内，请从搜索结果中选择"


class UnitPickerField(_Limited, forms.ModelChoiceField):
    """One unit, chosen by searching; the server accepts only ids (or codes) inside the form's `queryset`,
    which the form sets through `limit_to()` (or from `Unit.objects.restrict(user, action)`)."""

    default_error_messages = {"invalid_choice": INVALID_UNIT}

    def __init__(self, *, kinds: tuple[str, ...] = (), action: str = Action.VIEW, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", Unit.objects.none())
        kwargs.setdefault("widget", UnitPicker(kinds=kinds, action=action))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Unit | None:
        if value in self.empty_values:
            return None
        found = find_unit(self.queryset if self.queryset is not None else Unit.objects.none(), value)
        if found is None:
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return found

    def validate(self, value: Any) -> None:
        forms.Field.validate(self, value)


class UnitMultiPickerField(_Limited, forms.ModelMultipleChoiceField):
    """Several units, chosen by searching; each must lie inside the form's `queryset`. Cleans to a list."""

    default_error_messages = {"invalid_choice": INVALID_UNIT, "invalid_pk_value": INVALID_UNIT}

    def __init__(self, *, kinds: tuple[str, ...] = (), action: str = Action.VIEW, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", Unit.objects.none())
        kwargs.setdefault("widget", UnitMultiPicker(kinds=kinds, action=action))
        super().__init__(**kwargs)

    def clean(self, value: Any) -> list[Unit]:  # type: ignore[override]
        values = [v for v in (value or []) if v not in self.empty_values]
        if self.required and not values:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        units = self.queryset if self.queryset is not None else Unit.objects.none()
        found = [find_unit(units, v) for v in values]
        if any(u is None for u in found):
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return list({u.pk: u for u in found if u is not None}.values())


class UnitFilterForm(forms.Form):
    """A list's unit filter (`?village=<id>`): a picker instead of a list of every village in scope.

    Its only job is to show the chosen unit and to say, in Chinese, when the asked one is not the user's."""

    def __init__(self, data: Any, *, user: Any, name: str, label: str, kinds: tuple[str, ...]) -> None:
        super().__init__(data)
        field = UnitPickerField(label=label, kinds=kinds, required=False)
        field.widget.attrs["id"] = f"f-{name}"
        field.limit_to(user)
        self.fields[name] = field
        self.name = name

    @classmethod
    def village(cls, request: Any) -> "UnitFilterForm":
        """The usual filter of a village list: `?village=` from the request, among the user's villages."""
        return cls(request.GET, user=request.user, name="village", label="村（社区）", kinds=(Kind.VILLAGE,))

    def unit(self) -> Unit | None:
        return self.cleaned_data.get(self.name) if self.is_valid() else None

    def params(self, data: Any) -> Any:
        """The list's parameters with the unit as its id, also when it was typed (a code or a name, no JavaScript)."""
        unit = self.unit()
        if unit is None or str(data.get(self.name) or "") == str(unit.pk):
            return data
        params = data.copy()
        params[self.name] = str(unit.pk)
        return params


class WorkdayOverrideForm(forms.Form):
    day = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}))
    is_workday = forms.TypedChoiceField(
        label="该日为", choices=[("0", "休息日"), ("1", "工作日")], coerce=lambda v: v == "1"
    )
    note = forms.CharField(label="说明", max_length=100, required=False)
