"""The read side of inspections: scoped fetches, the round list, a round's ranking and the villages' trends."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q

from xingyao.core.filters import Params
from xingyao.core.roles import Action
from xingyao.core.scoping import access, ancestor_prefixes, covers
from xingyao.inspections.models import Problem, Round, Score, ScoreSheet, SheetItem, Visit
from xingyao.inspections.workflow import Star, State, ranks
from xingyao.places.codes import Kind as UnitKind
from xingyao.places.models import Unit
from xingyao.places.queries import access_unit

FILTERS = {
    "year": "年度",
    "quarter": "季度（1–4）",
    "state": "状态",
    "unit": "乡镇、村或县的单位代码（其观摩）",
}
VISIT_FILTERS = {
    "round": "观摩编号",
    "village": "村（页面的村选择，单位编号）",
    "unit": "村、乡镇或县的单位代码（其下全部点位）",
    "year": "年度",
    "scored": "是否已评分（1 已评分，0 未评分）",
}
API_VISIT_FILTERS = {k: v for k, v in VISIT_FILTERS.items() if k != "village"}


def access_round(user: Any, pk: Any, action: str = Action.VIEW, queryset: Any = None) -> Round:
    """One round in the user's scope: its organiser's subtree, or a village on its route (404 otherwise)."""
    base = Round.objects.select_related("unit", "sheet") if queryset is None else queryset
    return access(base, user, pk, action)  # type: ignore[no-any-return]


def access_visit(user: Any, pk: Any, action: str = Action.VIEW, queryset: Any = None) -> Visit:
    base = (
        Visit.objects.select_related("village", "round", "round__unit", "scored_by") if queryset is None else queryset
    )
    return access(base, user, pk, action)  # type: ignore[no-any-return]


def access_sheet(user: Any, pk: Any, action: str = Action.VIEW) -> ScoreSheet:
    return access(ScoreSheet.objects.select_related("county"), user, pk, action)  # type: ignore[no-any-return]


def sheet_for(unit: Unit, year: int) -> ScoreSheet | None:
    """The score sheet of the unit's county for the year (the county's own, or the nearest above it)."""
    found = list(
        ScoreSheet.objects.unscoped("a county's score sheet is the rule every town in it scores by")
        .filter(county__prefix__in=[*ancestor_prefixes(unit.prefix), unit.prefix], year=year)
        .select_related("county")
    )
    return max(found, key=lambda s: len(s.county.prefix)) if found else None


def sheet_items(sheet: ScoreSheet) -> list[SheetItem]:
    return list(
        SheetItem.objects.unscoped("the items of a sheet fetched through its round or access()")
        .filter(sheet=sheet)
        .order_by("order", "id")
    )


def visible_sheets(user: Any) -> Any:
    return ScoreSheet.objects.restrict(user).select_related("county").annotate(item_count=Count("items"))


def organised_units(user: Any) -> Any:
    """The towns and counties whose rounds the user may plan."""
    return Unit.objects.restrict(user, Action.MANAGE).filter(kind__in=[UnitKind.TOWN, UnitKind.COUNTY], active=True)


def round_list(user: Any, params: Any) -> Any:
    """The rounds behind the page and the API: scoped, filtered, with the route's and the scored visits' counts
    annotated (one query for any number of rows)."""
    p = Params(params)
    year, quarter = p.year(), p.integer("quarter", "季度", low=1, high=4)
    state, unit = p.choice("state", "状态", State.values()), p.raw("unit")
    qs = Round.objects.restrict(user).select_related("unit")
    if year:
        qs = qs.filter(year=year)
    if quarter:
        qs = qs.filter(quarter=quarter)
    if state:
        qs = qs.filter(state=state)
    if unit:
        qs = qs.within(access_unit(user, unit))
    return qs.annotate(
        stops=Count("visits", distinct=True),
        scored=Count("visits", filter=Q(visits__total__isnull=False), distinct=True),
    ).order_by("-year", "-quarter", "unit__code", "id")


def visit_list(user: Any, params: Any) -> Any:
    """Visits as the user may see them (a village clerk his own), filtered; one query with their round."""
    p = Params(params)
    round_id, village, unit, year = p.integer("round", "观摩"), p.integer("village", "村"), p.raw("unit"), p.year()
    scored = p.choice("scored", "是否已评分", ["0", "1"])
    qs = Visit.objects.restrict(user).select_related("village", "round", "round__unit")
    if round_id:
        qs = qs.filter(round_id=round_id)
    if village:
        qs = qs.filter(village_id=village)
    if unit:
        qs = qs.within(access_unit(user, unit))
    if year:
        qs = qs.filter(round__year=year)
    if scored:
        qs = qs.filter(total__isnull=scored == "0")
    return qs.order_by("-round__year", "-round__quarter", "round_id", "order", "id")


def round_visits(user: Any, rnd: Round) -> list[Visit]:
    """The visits of a round the user may see, in route order, with their problems (two queries)."""
    return list(
        Visit.objects.restrict(user)
        .filter(round=rnd)
        .select_related("village")
        .prefetch_related(Prefetch("problems", queryset=Problem.objects.restrict(user).select_related("item")))
        .order_by("order", "id")
    )


def visit_scores(user: Any, visits: Sequence[Visit]) -> dict[tuple[int, int], Decimal]:
    """{(visit id, item id): points} for these visits (one query)."""
    rows = Score.objects.restrict(user).filter(visit__in=[v.pk for v in visits])
    return {(s.visit_id, s.item_id): s.points for s in rows}


@dataclass
class RankRow:
    visit: Visit
    rank: int | None
    stars: list[Decimal | None]
    points: list[Decimal | None] = field(default_factory=list)  # per sheet item, for the 观摩评分表

    @property
    def village(self) -> Unit:
        return self.visit.village

    @property
    def problems(self) -> list[str]:
        return [p.text for p in self.visit.problems.all()]


def sees_whole(user: Any, rnd: Round) -> bool:
    """Whether the user sees every village of the round (its organiser's subtree): ranks are the round's own;
    otherwise they rank only the villages he sees."""
    return covers(user, Action.VIEW, rnd.unit.prefix)


def ranking(user: Any, rnd: Round, *, with_items: bool = False) -> list[RankRow]:
    """横向比速度: the round's visits the user may see, by total (highest first), with the points per star and,
    for the sheet, per item. Three queries for any number of villages (four with the items)."""
    visits = round_visits(user, rnd)
    visits.sort(key=lambda v: (v.total is None, -(v.total or 0), v.order))
    places = ranks([v.total for v in visits])
    scores = visit_scores(user, visits) if with_items else {}
    items = sheet_items(rnd.sheet) if with_items else []
    rows = []
    for visit, place in zip(visits, places, strict=True):
        stars = [_dec(visit.star_scores.get(s.value)) if visit.scored else None for s in Star]
        rows.append(RankRow(visit, place, stars, [scores.get((visit.pk, i.pk)) for i in items]))
    return rows


def _dec(value: Any) -> Decimal | None:
    return Decimal(str(value)) if value is not None else None


@dataclass
class TrendLine:
    village: Unit
    totals: list[Decimal | None]  # per round of the trend, None where the village was not visited or scored
    stars: dict[str, list[Decimal | None]]


@dataclass
class Trend:
    rounds: list[Round]
    lines: list[TrendLine]


def trend(user: Any, unit: Unit, year: int) -> Trend:
    """纵向比质效: each village's totals (and points per star) across the year's rounds, in date order; the
    villages of `unit` the user may see. One query for any number of villages and rounds."""
    visits = list(
        Visit.objects.restrict(user)
        .within(unit)
        .filter(round__year=year, total__isnull=False)
        .select_related("village", "round", "round__unit")
        .order_by("round__starts_on", "round_id", "village__code")
    )
    rounds: dict[int, Round] = {}
    villages: dict[int, Unit] = {}
    for v in visits:
        rounds.setdefault(v.round_id, v.round)
        villages.setdefault(v.village_id, v.village)
    order = list(rounds)
    found = {(v.village_id, v.round_id): v for v in visits}
    lines = []
    for village in sorted(villages.values(), key=lambda u: u.code):
        stops = [found.get((village.pk, r)) for r in order]
        lines.append(
            TrendLine(
                village,
                [v.total if v else None for v in stops],
                {s.value: [_dec(v.star_scores.get(s.value)) if v else None for v in stops] for s in Star},
            )
        )
    return Trend(list(rounds.values()), lines)
