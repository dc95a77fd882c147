from typing import cast

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from xingyao.core.roles import Action, Role
from xingyao.places.codes import Kind
from xingyao.places.forms import UnitPickerField


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "账号或密码不正确",
        "inactive": "账号或密码不正确",
    }


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(label="原密码", widget=forms.PasswordInput)
    new_password = forms.CharField(label="新密码", widget=forms.PasswordInput, min_length=8)
    new_password2 = forms.CharField(label="再次输入新密码", widget=forms.PasswordInput)

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean() or {}
        if data.get("new_password") and data.get("new_password") != data.get("new_password2"):
            self.add_error("new_password2", "两次输入的新密码不一致")
        return data


# Roles are granted on any kind of unit but a micro-grid (see accounts.queries.assignable_units).
GRANT_KINDS = tuple(k.value for k in Kind if k is not Kind.MICROGRID)
# No role is preselected: an admin who forgets to choose must not grant one by accident.
ROLE_CHOICES = [("", "请选择角色"), *Role.choices()]


def _unit_field() -> UnitPickerField:
    return UnitPickerField(label="单位", kinds=GRANT_KINDS, action=Action.ADMIN)


class UserCreateForm(forms.Form):
    username = forms.CharField(label="登录名", max_length=150)
    full_name = forms.CharField(label="姓名", max_length=50)
    phone = forms.CharField(label="手机号", max_length=20, required=False)
    password = forms.CharField(label="初始密码", widget=forms.PasswordInput, min_length=8)
    unit = _unit_field()
    role = forms.ChoiceField(label="角色", choices=ROLE_CHOICES)

    def __init__(self, *args, units=None, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["unit"]).queryset = units


class MembershipForm(forms.Form):
    unit = _unit_field()
    role = forms.ChoiceField(label="角色", choices=ROLE_CHOICES)

    def __init__(self, *args, units=None, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["unit"]).queryset = units


class ResetPasswordForm(forms.Form):
    password = forms.CharField(label="新密码", widget=forms.PasswordInput, min_length=8)


class TokenForm(forms.Form):
    name = forms.CharField(label="用途", max_length=100)


class UserEditForm(forms.Form):
    full_name = forms.CharField(label="姓名", max_length=50)
    phone = forms.CharField(label="手机号", max_length=20, required=False)
