"""The unit page's 年度评星 panel, through a template tag so the places app needs only one include line."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import template

from xingyao.assessments import workflow as wf
from xingyao.assessments.models import Assessment, StarAward
from xingyao.assessments.queries import RESULT_STATES, assessment_year
from xingyao.assessments.workflow import State
from xingyao.core.roles import Action
from xingyao.core.scoping import covers
from xingyao.places.codes import Kind
from xingyao.places.models import Unit

register = template.Library()

# What each step leads to, asked before the button takes it (none of these can be undone by the one who clicks).
CONFIRM_TEXT: dict[str, str] = {
    wf.Action.SUBMIT: "提交后本村不能再修改，将交乡镇初审。确定提交？",
    wf.Action.TOWN_APPROVE: (
        "初审通过后本评定交县级审定（开启分星部门审核的，先交各星审核部门），乡镇不能再修改初审值。确定初审通过？"
    ),
    wf.Action.DEPT_APPROVE: "审核通过后交县级审定，不能撤回。确定审核通过？",
    wf.Action.COUNTY_APPROVE: "审定后评定结果锁定，下一步开始公示。确定审定？",
    wf.Action.SEND_BACK: "退回后本评定回到草稿，由村级修改后重新提交、逐级审核。确定退回？",
    wf.Action.PUBLISH: "开始公示后评定结果向社会公开，公示期内群众可提出异议。确定开始公示？",
    wf.Action.AWARD: "授星后结果正式生效并在公示页面公布。确定授星？",
}


@register.filter
def confirm_text(action: str) -> str:
    """The question a workflow button asks before it runs (empty: no question)."""
    return CONFIRM_TEXT.get(str(action), "")


@dataclass
class Panel:
    unit: Unit
    year: int | None
    assessments: list[Assessment] = field(default_factory=list)
    awards: list[StarAward] = field(default_factory=list)
    can_start: bool = False
    is_village: bool = False
    is_area: bool = False

    @property
    def current(self) -> Assessment | None:
        return next((a for a in self.assessments if a.year == self.year), None)

    @property
    def result(self) -> Assessment | None:
        """The latest assessment whose result the county has signed."""
        return next((a for a in self.assessments if a.state in RESULT_STATES), None)

    @property
    def held(self) -> list[StarAward]:
        result = self.result
        return [w for w in self.awards if result and w.year == result.year and w.held]

    @property
    def star_count(self) -> int:
        result = self.result
        if result is None:
            return 0
        return len(self.held) if result.state == State.AWARDED else result.star_count


@register.simple_tag(takes_context=True)
def unit_stars(context: Any, unit: Unit) -> Panel:
    """What the unit page shows about stars: a village's assessments and stars, an area's links."""
    user = context["request"].user
    panel = Panel(unit=unit, year=assessment_year(unit))
    if unit.kind == Kind.VILLAGE:
        panel.is_village = True
        panel.assessments = list(
            Assessment.objects.restrict(user).filter(village=unit).select_related("criteria_set").order_by("-year")[:3]
        )
        panel.awards = list(StarAward.objects.restrict(user).filter(village=unit).order_by("-year", "order"))
        panel.can_start = bool(panel.year and panel.current is None and covers(user, Action.CHANGE, unit.prefix))
    elif unit.kind in (Kind.PROVINCE, Kind.CITY, Kind.COUNTY, Kind.TOWN):
        panel.is_area = True
    return panel
