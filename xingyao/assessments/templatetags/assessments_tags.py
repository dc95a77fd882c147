"""The unit page's 年度评星 panel, through a template tag so the places app needs only one include line."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import template

from xingyao.assessments.models import Assessment, StarAward
from xingyao.assessments.queries import RESULT_STATES, assessment_year
from xingyao.assessments.workflow import State
from xingyao.core.roles import Action
from xingyao.core.scoping import covers
from xingyao.places.codes import Kind
from xingyao.places.models import Unit

register = template.Library()


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
