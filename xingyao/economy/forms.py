"""Forms for the industry records: a project, its stage steps, milestones and follow-ups; industries and their
areas; cooperatives and contracts; collective income; imports."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from xingyao.core.forms import PhotosField
from xingyao.core.roles import Action
from xingyao.economy.models import Enterprise
from xingyao.economy.workflow import Brand, Level, Move, RequestMove, Satisfaction
from xingyao.places.codes import Kind as UnitKind
from xingyao.places.forms import ImportForm, UnitPickerField

DATE = forms.DateInput(attrs={"type": "date"})
__all__ = ["ImportForm"]


def _limit(form: forms.Form, name: str, user: Any, units: Any) -> None:
    """The picker offers these units; a user with only one gets it filled in and hidden."""
    field = form.fields[name]
    assert isinstance(field, UnitPickerField)
    field.limit_to(user, units=units)
    first_two = list(units[:2])
    if len(first_two) == 1:
        form.fields[name].widget = forms.HiddenInput()
        field.initial = first_two[0].pk


class ProjectForm(forms.Form):
    town = UnitPickerField(label="乡镇", kinds=(UnitKind.TOWN,), action=Action.MANAGE)
    village = UnitPickerField(
        label="落地村（社区）",
        kinds=(UnitKind.VILLAGE,),
        required=False,
        help_text="项目在镇区或产业园、不落在某个村时留空",
    )
    name = forms.CharField(label="项目名称", max_length=100)
    investor = forms.CharField(label="投资方", max_length=100)
    sector = forms.CharField(label="行业", max_length=50)
    amount = forms.DecimalField(label="计划投资（万元）", max_digits=14, decimal_places=2)
    land_mu = forms.DecimalField(label="用地（亩）", required=False, max_digits=14, decimal_places=2)
    jobs = forms.IntegerField(label="预计带动就业（人）", min_value=0, max_value=100000, required=False)
    leader = forms.CharField(label="包联镇领导", max_length=50)
    registered_on = forms.DateField(label="登记日期", widget=DATE)
    note = forms.CharField(label="备注", max_length=500, required=False)

    def __init__(self, *args: Any, user: Any, towns: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit(self, "town", user, towns)
        village = self.fields["village"]
        assert isinstance(village, UnitPickerField)
        village.limit_to(user)
        self.fields["registered_on"].initial = timezone.localdate()


class AdvanceForm(forms.Form):
    move = forms.ChoiceField(choices=Move.choices(), widget=forms.HiddenInput)
    acted_on = forms.DateField(label="日期", widget=DATE)
    title = forms.CharField(label="节点", max_length=100, required=False)
    note = forms.CharField(label="说明", max_length=2000, required=False)
    reason = forms.CharField(label="原因", max_length=500, required=False)
    photos = PhotosField(label="照片")


class MilestoneForm(forms.Form):
    title = forms.CharField(label="节点", max_length=100, help_text="如“土地摘牌”“厂房主体完工”")
    acted_on = forms.DateField(label="节点日期", widget=DATE)
    note = forms.CharField(label="说明", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    photos = PhotosField(label="照片")


class FollowUpForm(forms.Form):
    acted_on = forms.DateField(label="跟进日期", widget=DATE)
    note = forms.CharField(label="跟进情况", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    next_step = forms.CharField(label="下一步", max_length=200, required=False)


class IndustryForm(forms.Form):
    village = UnitPickerField(label="主产村", kinds=(UnitKind.VILLAGE,), action=Action.CHANGE)
    name = forms.CharField(label="产业名称", max_length=50, help_text="如“孙楼娃娃菜”")
    product = forms.CharField(label="产品", max_length=50)
    brand = forms.CharField(label="品牌", max_length=50, required=False, help_text="如“高山”")
    brand_level = forms.ChoiceField(label="品牌情况", choices=Brand.choices())
    party_branch = forms.CharField(label="产业联合党支部", max_length=100, required=False)
    binding_model = forms.CharField(
        label="“双绑”模式", max_length=100, required=False, help_text="如“党支部+龙头企业+合作社+农户”"
    )
    enterprises = forms.CharField(label="龙头企业", max_length=200, required=False)
    markets = forms.CharField(label="销售市场与收购方", max_length=300, required=False)

    def __init__(self, *args: Any, user: Any, villages: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit(self, "village", user, villages)


class AreaForm(forms.Form):
    village = UnitPickerField(label="村（社区）", kinds=(UnitKind.VILLAGE,), action=Action.CHANGE)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    area_mu = forms.DecimalField(label="面积（亩）", max_digits=14, decimal_places=2)
    households = forms.IntegerField(label="种植户数", min_value=0, max_value=10000, required=False)
    jobs = forms.IntegerField(label="带动就业（人）", min_value=0, max_value=100000, required=False)

    def __init__(self, *args: Any, user: Any, villages: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit(self, "village", user, villages)
        self.fields["year"].initial = timezone.localdate().year


class CooperativeForm(forms.Form):
    village = UnitPickerField(label="所在村", kinds=(UnitKind.VILLAGE,), action=Action.CHANGE)
    name = forms.CharField(label="合作社名称", max_length=100)
    leader = forms.CharField(label="理事长", max_length=50, required=False)
    members = forms.IntegerField(label="成员（户）", min_value=0, max_value=100000, required=False)
    crops = forms.CharField(label="主营作物", max_length=100)
    area_mu = forms.DecimalField(label="经营面积（亩）", required=False, max_digits=14, decimal_places=2)

    def __init__(self, *args: Any, user: Any, villages: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit(self, "village", user, villages)


class ContractForm(forms.Form):
    buyer = forms.CharField(label="收购方", max_length=100)
    product = forms.CharField(label="产品", max_length=50)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    area_mu = forms.DecimalField(label="订单面积（亩）", required=False, max_digits=14, decimal_places=2)
    tons = forms.DecimalField(label="订单数量（吨）", required=False, max_digits=14, decimal_places=2)
    signed_on = forms.DateField(label="签订日期", widget=DATE)
    note = forms.CharField(label="备注", max_length=200, required=False)


class IncomeForm(forms.Form):
    village = UnitPickerField(label="村（社区）", kinds=(UnitKind.VILLAGE,), action=Action.CHANGE)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    operating = forms.DecimalField(label="经营性收入（元）", max_digits=14, decimal_places=2)
    assets = forms.DecimalField(label="资产收益（元）", max_digits=14, decimal_places=2)
    source = forms.CharField(label="台账来源", max_length=100, required=False, initial="乡镇经管站台账")
    note = forms.CharField(label="备注", max_length=200, required=False)

    def __init__(self, *args: Any, user: Any, villages: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit(self, "village", user, villages)
        self.fields["year"].initial = timezone.localdate().year


class EnterpriseForm(forms.Form):
    village = UnitPickerField(label="所在村（社区）", kinds=(UnitKind.VILLAGE,), action=Action.MANAGE)
    name = forms.CharField(label="企业名称", max_length=100)
    sector = forms.CharField(label="行业", max_length=50, required=False)
    contact = forms.CharField(label="联系人", max_length=30)
    phone = forms.CharField(label="联系电话", max_length=20, required=False)
    official = forms.CharField(label="包联干部", max_length=50)

    def __init__(self, *args: Any, user: Any, villages: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit(self, "village", user, villages)


class RequestForm(forms.Form):
    enterprise: forms.ModelChoiceField = forms.ModelChoiceField(label="企业", queryset=Enterprise.objects.none())
    content = forms.CharField(label="诉求内容", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    received_on = forms.DateField(label="受理日期", widget=DATE)
    hard = forms.BooleanField(label="疑难诉求（一个月内办结）", required=False)
    official = forms.CharField(label="包联干部", max_length=50, required=False, help_text="留空为企业的包联干部")

    def __init__(self, *args: Any, enterprises: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["enterprise"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = enterprises
        self.fields["received_on"].initial = timezone.localdate()


class RequestStepForm(forms.Form):
    move = forms.ChoiceField(choices=RequestMove.choices(), widget=forms.HiddenInput)
    acted_on = forms.DateField(label="日期", widget=DATE)
    note = forms.CharField(label="办理情况", max_length=2000, required=False)
    satisfaction = forms.ChoiceField(label="企业评价", choices=[("", "—"), *Satisfaction.choices()], required=False)


class EscalateForm(forms.Form):
    level = forms.ChoiceField(label="提级到", choices=[(v, label) for v, label in Level.choices() if v != "village"])
    reason = forms.CharField(label="提级原因", max_length=500)


class RhythmForm(forms.Form):
    handover_days = forms.IntegerField(label="交办（工作日）", min_value=1, max_value=66)
    answer_days = forms.IntegerField(label="首次答复（工作日）", min_value=1, max_value=66)
    solve_days = forms.IntegerField(label="办结（工作日）", min_value=1, max_value=66)
    hard_days = forms.IntegerField(label="疑难诉求办结（工作日）", min_value=1, max_value=66)
