"""Forms: the kinds a person mutes, a county's outside delivery channel."""

from __future__ import annotations

from typing import Any

from django import forms

from xingyao.core.roles import Action
from xingyao.notices.models import ChannelKind, Kind
from xingyao.places.codes import Kind as UnitKind
from xingyao.places.forms import UnitPickerField


class MutingForm(forms.Form):
    muted = forms.MultipleChoiceField(
        label="不接收以下消息",
        choices=Kind.choices(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="勾选的类别不再发送到您的消息箱，也不会推送给您；已收到的消息不受影响。",
    )


class ChannelForm(forms.Form):
    county = UnitPickerField(label="县", kinds=(UnitKind.COUNTY,), action=Action.ADMIN)
    kind = forms.ChoiceField(label="推送方式", choices=ChannelKind.choices())
    name = forms.CharField(label="名称", max_length=40, help_text="如：县综治中心工作群")
    url = forms.CharField(
        label="推送地址",
        max_length=500,
        widget=forms.PasswordInput(render_value=False),
        help_text="群机器人的 Webhook 地址或短信网关地址。保存后只显示开头和末尾几位，请妥善保管原地址。",
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["county"]
        assert isinstance(field, UnitPickerField)
        field.limit_to(user)
