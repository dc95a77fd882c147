from django import forms

from xingyao.places.codes import Kind


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
