"""The public 公示 page: listings, objections, star names and the assessment year."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q

from xingyao.assessments.models import (
    Assessment,
    ObjectionStatus,
    StarAward,
    StarChange,
)
from xingyao.assessments.queries.access import PUBLIC_STATES
from xingyao.assessments.workflow import State
from xingyao.core.scoping import ancestor_prefixes
from xingyao.places.models import Unit
from xingyao.stars.models import CriteriaSet, Star, Status


@dataclass
class PublicRow:
    assessment_id: int
    village: str
    town: str
    state: str
    stars: list[tuple[str, str]]
    publicity_start: dt.date | None
    publicity_end: dt.date | None
    open_objections: int
    accepting: bool

    @property
    def state_label(self) -> str:
        return State(self.state).label


def public_listing(county: Unit, year: int, today: dt.date) -> tuple[list[PublicRow], list[StarChange]]:
    """The county's 公示 list for a year, and the published star-management notices; no personal data."""
    items = list(
        Assessment.objects.within(county)
        .filter(year=year, state__in=PUBLIC_STATES)
        .select_related("village__parent")
        .annotate(open_n=Count("objections", filter=Q(objections__status=ObjectionStatus.OPEN)))
        .order_by("village__code")
    )
    names = star_names({a.criteria_set_id for a in items})
    awards: dict[int | None, list[StarAward]] = defaultdict(list)
    for award in StarAward.objects.unscoped("the public notice").filter(assessment__in=items).order_by("order"):
        awards[award.assessment_id].append(award)
    rows = []
    for a in items:
        if a.state == State.AWARDED:
            stars = [(w.star_name, w.status_label) for w in awards[a.pk] if w.held]
        else:
            stars = [(names.get((a.criteria_set_id, c), c), "拟授") for c in a.passed_stars]
        end = a.publicity_end
        rows.append(
            PublicRow(
                assessment_id=a.pk,
                village=a.village.name,
                town=a.village.parent.name if a.village.parent else "",
                state=a.state,
                stars=stars,
                publicity_start=a.publicity_start,
                publicity_end=end,
                open_objections=a.open_n,
                accepting=accepts_objections(a, today),
            )
        )
    changes = list(
        StarChange.objects.within(county)
        .filter(award__year=year)
        .exclude(action="award")
        .select_related("award__village")
        .order_by("-at", "-id")
    )
    return rows, changes


def accepts_objections(assessment: Assessment, today: dt.date) -> bool:
    """Objections are taken while the notice runs, both ends included."""
    end = assessment.publicity_end
    return (
        assessment.state == State.PUBLICIZED
        and assessment.publicity_start is not None
        and end is not None
        and assessment.publicity_start <= today <= end
    )


def star_names(criteria_set_ids: Iterable[int]) -> dict[tuple[int, str], str]:
    """Star names keyed by (criteria set, star code): one query."""

    return {
        (cs, code): name
        for cs, code, name in Star.objects.filter(criteria_set_id__in=set(criteria_set_ids)).values_list(
            "criteria_set_id", "code", "name"
        )
    }


def assessment_year(unit: Unit) -> int | None:
    """The latest year with a published criteria set over `unit` (the year to assess now)."""
    above = [*ancestor_prefixes(unit.prefix), unit.prefix]
    return (
        CriteriaSet.objects.unscoped("published criteria are the rules every village below works to")
        .filter(county__prefix__in=above, status=Status.PUBLISHED)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )
