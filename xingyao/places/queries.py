"""The read side of the unit tree: scoped fetches for pages and the API."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q

from xingyao.core.roles import Action
from xingyao.core.scoping import access
from xingyao.places.codes import Kind, near_codes
from xingyao.places.models import Unit, UnitQuerySet


def access_unit(user: Any, code: str, action: str = Action.VIEW) -> Unit:
    """The unit with this code if `user` may see it (404 otherwise), 403 if he may not do `action`."""
    return access(Unit.objects.select_related("parent"), user, code, action, field="code")


def top_units(user: Any) -> UnitQuerySet:
    """The highest units a user sees: the roots of his scope."""
    visible = Unit.objects.restrict(user)
    if user.is_superuser:
        return visible.filter(parent__isnull=True)
    unit_ids = user.memberships.values("unit_id")
    return visible.filter(pk__in=unit_ids).distinct()


def own_unit(user: Any, kinds: tuple[str, ...]) -> Unit | None:
    """The highest unit of these kinds on which the user holds a role (a town admin's town), else None."""
    order = {kind: n for n, kind in enumerate(Kind)}
    units = [u for u in top_units(user).filter(kind__in=kinds) if u.active]
    return min(units, key=lambda u: (order[Kind(u.kind)], u.code), default=None)


def children_of(user: Any, unit: Unit) -> UnitQuerySet:
    """Visible children with how many children each has, in one query."""
    return (
        Unit.objects.restrict(user)
        .filter(parent=unit)
        .annotate(child_count=Count("children", filter=Q(children__active=True)))
        .order_by("code")
    )


def subtree_counts(unit: Unit) -> dict[str, int]:
    """How many units of each kind lie below `unit`."""
    rows = Unit.objects.subtree(unit).exclude(pk=unit.pk).values("kind").annotate(n=Count("id"))
    found = {row["kind"]: row["n"] for row in rows}
    return {Kind(k).label: found[k] for k in Kind if k in found}


def search_units(user: Any, text: str, limit: int | None = 20) -> UnitQuerySet:
    text = text.strip()
    qs = Unit.objects.restrict(user)
    if not text:
        return qs.none()
    found = qs.filter(Q(name__contains=text) | Q(code__startswith=text)).order_by("code")
    return found[:limit] if limit is not None else found  # type: ignore[return-value]


PICKER_LIMIT = 20


def picker_queryset(
    user: Any, *, action: str, kinds: list[str] | tuple[str, ...], within: Unit | None = None, near: Unit | None = None
) -> UnitQuerySet:
    """Every unit a picker may offer: active, of `kinds`, that the user may `action` on, inside `within`, and
    (`near`) hanging directly on `near`'s town or county — the departments that serve it, as `departments_near`.

    The search endpoint and the form field read the same set, so what is offered is what is accepted."""
    units = Unit.objects.restrict(user, action).filter(active=True)
    if within is not None:
        units = units.within(within)
    if near is not None:
        units = units.filter(parent__code__in=near_codes(near.code))
    if kinds:
        units = units.filter(kind__in=kinds)
    return units


def picker_units(
    user: Any,
    text: str,
    *,
    action: str,
    kinds: list[str],
    within: Unit | None = None,
    near: Unit | None = None,
) -> list[Unit]:
    """What a unit picker offers for `text`: by name or code, a few only."""
    text = text.strip()
    if not text:
        return []
    units = picker_queryset(user, action=action, kinds=kinds, within=within, near=near)
    matches = units.filter(Q(name__contains=text) | Q(code__startswith=text))
    return list(matches.select_related("parent").order_by("code")[:PICKER_LIMIT])


def departments_near(unit: Unit) -> UnitQuerySet:
    """The active departments of the unit's town and county: those that may handle its events and cases.

    Not narrowed to anyone's scope: callers `restrict()` to whom may dispatch, or say why not."""
    return Unit.objects.filter(kind=Kind.DEPARTMENT, active=True, parent__code__in=near_codes(unit.code))
