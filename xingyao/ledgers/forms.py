"""Forms for the ledgers: a new item, progress with photos, an acceptance, reopening, a designation."""

from __future__ import annotations

from typing import Any

from django import forms

from xingyao.core.forms import PhotosField
from xingyao.core.roles import Action
from xingyao.ledgers.workflow import MAX_DAYS, Criterion, Decision, Method, Source
from xingyao.places.codes import Kind as UnitKind
from xingyao.places.forms import UnitPickerField

DATE = forms.DateInput(attrs={"type": "date"})
ROWS = {"rows": 3}


def _villages(form: forms.Form, user: Any, villages: Any) -> None:
    field = form.fields["village"]
    assert isinstance(field, UnitPickerField)
    field.limit_to(user, units=villages)


class ItemForm(forms.Form):
    village = UnitPickerField(label="村（社区）", kinds=(UnitKind.VILLAGE,), action=Action.MANAGE)
    source = forms.ChoiceField(label="来源", choices=Source.choices())
    problem = forms.CharField(label="问题", max_length=200)
    target = forms.CharField(label="目标", max_length=200)
    measure = forms.CharField(label="措施", max_length=2000, widget=forms.Textarea(attrs=ROWS))
    steps = forms.CharField(label="步骤", max_length=2000, widget=forms.Textarea(attrs=ROWS))
    responsible = forms.CharField(label="责任人", max_length=50)
    start_on = forms.DateField(label="开始日期", widget=DATE)
    days = forms.IntegerField(
        label="时限（工作日）", min_value=-MAX_DAYS, max_value=MAX_DAYS, help_text="按工作日计算完成时限，节假日顺延"
    )

    def __init__(self, *args: Any, user: Any, villages: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _villages(self, user, villages)


class ProgressForm(forms.Form):
    acted_on = forms.DateField(label="完成日期", widget=DATE)
    note = forms.CharField(label="进展情况", max_length=2000, widget=forms.Textarea(attrs=ROWS))
    photos = PhotosField(label="现场照片", help_text="可拍照或从相册选择，最多 9 张")


class ReasonForm(forms.Form):
    reason = forms.CharField(label="说明", max_length=500, required=False)


class AcceptanceForm(forms.Form):
    method = forms.ChoiceField(label="验收方式", choices=Method.choices())
    score = forms.IntegerField(label="验收得分（0–100，70 分及以上为通过）", min_value=-1000, max_value=1000)
    satisfied = forms.IntegerField(label="满意人数", min_value=0, max_value=10000, initial=0)
    dissatisfied = forms.IntegerField(label="不满意人数", min_value=0, max_value=10000, initial=0)
    accepted_on = forms.DateField(label="验收日期", widget=DATE)
    panel = forms.CharField(label="验收人员", max_length=100)
    note = forms.CharField(label="验收意见", max_length=2000, required=False, widget=forms.Textarea(attrs=ROWS))


class ReopenForm(forms.Form):
    start_on = forms.DateField(label="重新整改开始日期", widget=DATE)
    days = forms.IntegerField(label="新的时限（工作日）", min_value=-MAX_DAYS, max_value=MAX_DAYS)
    reason = forms.CharField(label="说明", max_length=500, required=False)


class DesignationForm(forms.Form):
    village = UnitPickerField(label="村（社区）", kinds=(UnitKind.VILLAGE,), action=Action.MANAGE)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    criteria = forms.MultipleChoiceField(
        label="排查情形", choices=Criterion.choices(), widget=forms.CheckboxSelectMultiple
    )
    other_reason = forms.CharField(label="其他情形说明", max_length=200, required=False)
    decided_on = forms.DateField(label="确定日期", widget=DATE)
    decided_by = forms.CharField(label="确定单位", max_length=50, initial="乡镇党委")
    county_leader = forms.CharField(label="联系县领导", max_length=50)
    town_leader = forms.CharField(label="包村乡镇领导", max_length=50)
    first_secretary = forms.CharField(label="驻村第一书记", max_length=50)
    twinned_unit = forms.CharField(label="结对帮扶单位", max_length=100)

    def __init__(self, *args: Any, user: Any, villages: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _villages(self, user, villages)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label="处理方式", choices=Decision.choices(), widget=forms.RadioSelect)
    reason = forms.CharField(label="处理意见", max_length=2000, widget=forms.Textarea(attrs=ROWS))
    file = forms.FileField(
        label="佐证材料（照片或文件）", required=False, help_text="警示、暂停、摘星须上传佐证材料，并在公示页面公布"
    )


class FollowUpForm(forms.Form):
    visited_on = forms.DateField(label="回访日期", widget=DATE)
    visitors = forms.CharField(label="回访人员", max_length=100)
    finding = forms.CharField(label="回访情况", max_length=2000, widget=forms.Textarea(attrs=ROWS))
    recurred = forms.BooleanField(label="问题反弹", required=False)
    reopen = forms.BooleanField(label="问题反弹的，据此登记新的整改事项", required=False)
    days = forms.IntegerField(
        label="新事项时限（工作日）", min_value=-MAX_DAYS, max_value=MAX_DAYS, required=False, initial=20
    )


class GapsForm(forms.Form):
    """Which gaps of a star plan become ledger items, with the “三明确” they share."""

    gaps = forms.MultipleChoiceField(label="转为整改事项的短板", widget=forms.CheckboxSelectMultiple)
    measure = forms.CharField(label="措施", max_length=2000, widget=forms.Textarea(attrs=ROWS))
    steps = forms.CharField(label="步骤", max_length=2000, widget=forms.Textarea(attrs=ROWS))
    responsible = forms.CharField(label="责任人", max_length=50)
    start_on = forms.DateField(label="开始日期", widget=DATE)
    days = forms.IntegerField(label="时限（工作日）", min_value=-MAX_DAYS, max_value=MAX_DAYS)

    def __init__(self, *args: Any, gaps: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["gaps"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(str(n), text) for n, text in enumerate(gaps)]


class ImportForm(forms.Form):
    file = forms.FileField(label="文件", help_text="Excel（.xlsx）或 CSV")
