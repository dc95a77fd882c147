"""The read side of criteria and plans: scoped fetches for pages, the API and the assessments app; the plans
overview."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import connections
from django.db.models import QuerySet
from django.http import Http404

from xingyao.core import metrics
from xingyao.core.roles import Action
from xingyao.core.scoping import access, ancestor_prefixes
from xingyao.places.codes import is_community
from xingyao.places.models import Unit
from xingyao.stars.models import CriteriaSet, Indicator, Star, StarPlan, Status, UnitKind


def unit_kind_of(unit: Unit) -> str:
    """Whether a village-level unit is a rural village or an urban community, read from its division code."""
    if is_community(unit.code):
        return UnitKind.COMMUNITY
    return UnitKind.VILLAGE


def _ancestor_prefixes(unit: Unit) -> list[str]:
    return ancestor_prefixes(unit.prefix)


def criteria_for(village: Unit, year: int, unit_kind: str | None = None) -> CriteriaSet | None:
    """The published set of the village's county for that year and kind of unit (nearest owner wins).

    Given a town and a `unit_kind`, the set its villages of that kind are rated on."""
    found = list(
        CriteriaSet.objects.unscoped("published criteria are the rules every village below works to")
        .filter(
            county__prefix__in=_ancestor_prefixes(village),
            year=year,
            unit_kind=unit_kind or unit_kind_of(village),
            status=Status.PUBLISHED,
        )
        .select_related("county")
    )
    if not found:
        return None
    return max(found, key=lambda s: len(s.county.prefix))


def access_criteria_set(user: Any, pk: Any, action: str = Action.VIEW) -> CriteriaSet:
    """A criteria set the user may read (404 otherwise); 403 when he may not do `action` (edits: county admins)."""
    return access(CriteriaSet.objects.select_related("county"), user, pk, action)


def visible_criteria_sets(user: Any) -> QuerySet[CriteriaSet]:
    return CriteriaSet.objects.restrict(user).select_related("county").order_by("-year", "county__code", "unit_kind")


def _access_part(queryset: QuerySet[Any], user: Any, pk: Any, action: str) -> Any:
    """A star or indicator whose set the user may read; `action` is checked against that set."""
    try:
        obj = queryset.filter(criteria_set__in=CriteriaSet.objects.restrict(user)).get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if action != Action.VIEW and not CriteriaSet.objects.restrict(user, action).filter(pk=obj.criteria_set_id).exists():
        raise PermissionDenied
    return obj


def access_indicator(user: Any, pk: Any, action: str = Action.VIEW) -> Indicator:
    """An indicator of a set the user may read (404 otherwise); 403 when he may not do `action` on the set."""
    return _access_part(Indicator.objects.select_related("criteria_set__county", "star", "section"), user, pk, action)


def access_star(user: Any, pk: Any, action: str = Action.VIEW) -> Star:
    """A star of a set the user may read (404 otherwise); 403 when he may not do `action` on the set."""
    return _access_part(Star.objects.select_related("criteria_set__county"), user, pk, action)


def access_plan(user: Any, pk: Any, action: str = Action.VIEW) -> StarPlan:
    """A star plan of a village in the user's scope (404 otherwise); 403 when he may not do `action` there."""
    return access(StarPlan.objects.select_related("village"), user, pk, action)


def plans_of(user: Any, village_ids: list[int], year: int) -> QuerySet[StarPlan]:
    """The visible plans of these villages for a year, in one query."""
    return StarPlan.objects.restrict(user).filter(village_id__in=village_ids, year=year).order_by("village__code", "id")


def derived_values(
    criteria_set: CriteriaSet, villages: list[Unit], year: int, reader: metrics.Reader
) -> dict[tuple[int, str], Any]:
    """Every bound indicator's value from the records, keyed (village id, indicator code): one query for the
    bindings, then the metrics' tallies once however many villages or indicators share them."""
    bindings: dict[str, list[str]] = {}
    for code, key in (
        criteria_set.indicators.exclude(data_source__isnull=True)
        .exclude(data_source="")
        .values_list("code", "data_source")
    ):
        bindings.setdefault(str(key), []).append(code)
    by_key = reader.values(bindings, villages, year)
    return {(unit_id, code): value for (unit_id, key), value in by_key.items() for code in bindings.get(key, ())}


def published_bindings(database: str) -> list[metrics.Binding]:
    """Every data-source key a published criteria set binds, for the metrics system check."""
    if Indicator._meta.db_table not in connections[database].introspection.table_names():
        return []  # `migrate` runs the checks before it creates the tables
    rows = (
        Indicator.objects.using(database)
        .filter(criteria_set__status=Status.PUBLISHED)
        .exclude(data_source__isnull=True)
        .exclude(data_source="")
        .order_by("criteria_set_id", "order", "id")
        .values_list("criteria_set_id", "criteria_set__name", "code", "name", "data_source")
    )
    return [
        metrics.Binding(
            holder=f"评定标准「{set_name}」(criteria set #{set_id})",
            item=f"指标 {code}「{name}」(indicator {code})",
            key=str(key),
        )
        for set_id, set_name, code, name, key in rows
    ]


# --- which stars a village holds, and the plans overview ----------------------------------------------------------

HeldStars = Callable[[Iterable[int], int], dict[int, set[str]]]
_held_stars: list[HeldStars] = []


def register_held_stars(reader: HeldStars) -> None:
    """Which stars a village holds is decided by the assessments (awards, removals), a layer above; that app
    registers its reader here in `AppConfig.ready()` so plans can show it without importing it."""
    _held_stars[:] = [reader]


def held_stars(village_ids: Iterable[int], year: int) -> dict[int, set[str]]:
    """The star codes each village holds in `year`, from the registered reader."""
    if not _held_stars:
        raise ImproperlyConfigured("没有应用登记“已获星级”的查询（xingyao.assessments 未安装？）")
    return _held_stars[0](village_ids, year)


STAR_LEVELS = ["五星", "四星", "三星", "二星", "一星", "无星"]


@dataclass(frozen=True)
class VillageRow:
    """One village on the overview: its target stars, the stars it holds this year and last, and per-star cells."""

    village: Unit
    target: set[str]
    held: set[str]
    before: set[str]
    cells: list[tuple[bool, bool]]


def _level_label(count: int) -> str:
    return STAR_LEVELS[5 - count] if 0 <= count <= 5 else f"{count}星"


@dataclass(frozen=True)
class PlansOverview:
    """Targets against standing for every village below a unit: rows per village, and per-level and per-star
    counts for last year's awards, this year's targets and this year's awards."""

    criteria_set: CriteriaSet | None
    stars: list[Star]
    rows: list[VillageRow]
    summary: list[tuple[str, list[tuple[str, int]], list[tuple[str, int]]]]

    @property
    def planned(self) -> int:
        return sum(1 for r in self.rows if r.target)


def plans_overview(user: Any, unit: Unit, year: int) -> PlansOverview:
    """Targets against current standing for every village below `unit` that `user` sees, per village and per star."""
    criteria_set = criteria_for(unit, year, UnitKind.VILLAGE)
    stars = list(criteria_set.stars.all()) if criteria_set else []
    villages = list(Unit.objects.restrict(user).subtree(unit).villages().select_related("parent").order_by("code"))
    ids = [v.pk for v in villages]
    targets: dict[int, set[str]] = {i: set() for i in ids}
    for plan in plans_of(user, ids, year):
        targets[plan.village_id].add(plan.star_code)
    held = held_stars(ids, year)
    held_before = held_stars(ids, year - 1)
    rows = [
        VillageRow(
            village=v,
            target=targets[v.pk],
            held=held.get(v.pk, set()),
            before=held_before.get(v.pk, set()),
            cells=[(s.code in targets[v.pk], s.code in held.get(v.pk, set())) for s in stars],
        )
        for v in villages
    ]

    def levels(sets: list[set[str]]) -> list[tuple[str, int]]:
        counts = Counter(len(s) for s in sets)
        return [(_level_label(n), counts.get(n, 0)) for n in range(5, -1, -1)]

    def per_star(sets: list[set[str]]) -> list[tuple[str, int]]:
        return [(s.name, sum(1 for held_codes in sets if s.code in held_codes)) for s in stars]

    summary = [
        ("上年评定", levels([r.before for r in rows]), per_star([r.before for r in rows])),
        ("创星目标", levels([r.target for r in rows]), per_star([r.target for r in rows])),
        ("本年评定", levels([r.held for r in rows]), per_star([r.held for r in rows])),
    ]
    return PlansOverview(criteria_set, stars, rows, summary)
