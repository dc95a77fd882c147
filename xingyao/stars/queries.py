"""The read side of criteria and plans: scoped fetches for pages, the API and the assessments app."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
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
