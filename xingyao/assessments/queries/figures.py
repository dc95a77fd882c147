"""Figures and rankings over many assessments."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from xingyao.assessments.models import (
    Assessment,
    StarAward,
)
from xingyao.assessments.queries.access import RESULT_STATES
from xingyao.assessments.workflow import StarStatus, State
from xingyao.places.models import Unit
from xingyao.stars import scoring


@dataclass
class RankRow:
    village_id: int
    village: str
    village_code: str
    town: str
    state: str
    stars: int
    points: Decimal
    assessment_id: int
    last_stars: int | None = None
    last_points: Decimal | None = None
    county_rank: int = 0
    town_rank: int = 0

    @property
    def state_label(self) -> str:
        return State(self.state).label

    @property
    def change(self) -> int | None:
        return None if self.last_stars is None else self.stars - self.last_stars

    @property
    def points_shown(self) -> str:
        return scoring.fmt(self.points)

    @property
    def drop(self) -> int:
        return -(self.change or 0)

    @property
    def stars_mark(self) -> str:
        return "★" * self.stars


def rankings(user: Any, unit: Unit, year: int) -> list[RankRow]:
    """Villages under `unit` by stars then points, ranked in the county and in their town, against last year.

    Two queries: the assessments of both years, and the stars still held after awards (dynamic management).
    """
    found = list(
        Assessment.objects.restrict(user)
        .within(unit)
        .filter(year__in=[year, year - 1], state__in=RESULT_STATES)
        .values(
            "id",
            "village_id",
            "village__name",
            "village__code",
            "village__parent__name",
            "year",
            "state",
            "star_count",
            "points",
        )
    )
    awarded = [(r["village_id"], r["year"]) for r in found if r["state"] == State.AWARDED]
    held: dict[tuple[int, int], int] = defaultdict(int)
    if awarded:
        for village_id, y in (
            StarAward.objects.unscoped("awarded stars of assessments read through restrict()")
            .filter(village_id__in={v for v, _ in awarded}, year__in=[year, year - 1])
            .exclude(status=StarStatus.REMOVED)
            .values_list("village_id", "year")
        ):
            held[(village_id, y)] += 1

    def stars_of(r: Any) -> int:
        return held[(r["village_id"], r["year"])] if r["state"] == State.AWARDED else r["star_count"]

    last = {r["village_id"]: r for r in found if r["year"] == year - 1}
    out = [
        RankRow(
            village_id=r["village_id"],
            village=r["village__name"],
            village_code=r["village__code"],
            town=r["village__parent__name"],
            state=r["state"],
            stars=stars_of(r),
            points=r["points"],
            assessment_id=r["id"],
            last_stars=stars_of(last[r["village_id"]]) if r["village_id"] in last else None,
            last_points=last[r["village_id"]]["points"] if r["village_id"] in last else None,
        )
        for r in found
        if r["year"] == year
    ]
    out.sort(key=lambda r: (-r.stars, -r.points, r.village_code))
    _rank(out, "county_rank")
    by_town: dict[str, list[RankRow]] = defaultdict(list)
    for row in out:
        by_town[row.town].append(row)
    for rows in by_town.values():
        _rank(rows, "town_rank")
    return out


def _rank(rows: list[RankRow], attr: str) -> None:
    """Competition ranking: equal stars and points share a place."""
    previous: tuple[int, Decimal] | None = None
    place = 0
    for n, row in enumerate(rows, start=1):
        key = (row.stars, row.points)
        if key != previous:
            place, previous = n, key
        setattr(row, attr, place)
