"""The one scoping mechanism: which records a user may see and change.

A membership (user, unit, role) covers the unit's whole subtree, and a subtree is every unit whose `prefix`
starts with the root's prefix. Every scoped model names the paths to unit prefixes (`scope_fields`) and gets
`restrict(user, action)` from `ScopedQuerySet`; single objects are fetched with `access()`, which answers 404 for
"missing" and "not yours" alike, and 403 when the object is visible but the action is not allowed.

The safety net (pretix's scopes, in our terms): with `XINGYAO_SCOPE_GUARD` on (tests and DEBUG), reading or
bulk-writing a scoped model's rows through a queryset that was never `restrict()`ed, `within()`-narrowed or
`unscoped("why")` raises `ScopeError` naming the model and the call site. Related managers
(`assessment.values.all()`) start unmarked, so they fail too: read through `restrict()` or a restricted `Prefetch`.
Creating rows needs no mark; reads made by test code itself (tests/, conftest, core/testing) are not checked.
"""

from __future__ import annotations

import os
import sys
from functools import reduce
from operator import or_
from typing import TYPE_CHECKING, Any, Self, TypeVar

import django
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import Http404

from xingyao.core.actors import is_system
from xingyao.core.roles import ROLE_ACTIONS, Action, Role

if TYPE_CHECKING:
    from xingyao.accounts.models import User

M = TypeVar("M", bound=models.Model)


def held_roles(user: Any) -> tuple[tuple[str, str], ...]:
    """(role, unit prefix) of each membership the user holds on an active unit; one query, cached on the user."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return ()
    held: tuple[tuple[str, str], ...] | None = getattr(user, "_held_roles", None)
    if held is None:
        mine = user.memberships.unscoped("a user's own roles are what his scope is made of")
        held = tuple(mine.filter(unit__active=True).values_list("role", "unit__prefix"))
        user._held_roles = held
    return held


def roles_over(user: Any, prefix: str) -> list[Role]:
    """The roles `user` holds over the unit whose prefix is given (memberships on it or above it), in the order
    held, from the cached memberships without a query; what a record's workflow table is asked with. The system
    and a superuser act as a county admin."""
    if is_system(user) or (getattr(user, "is_superuser", False) and user.is_active):
        return [Role.COUNTY_ADMIN]
    found: list[Role] = []
    for role, held in held_roles(user):
        known = Role.lookup(role)
        if known and known not in found and prefix.startswith(held):
            found.append(known)
    return found


def scope_prefixes(user: Any, action: str) -> tuple[str, ...]:
    """Unit prefixes under which `user` may perform `action`; cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return ()
    cache: dict[str, tuple[str, ...]] | None = getattr(user, "_scope_cache", None)
    if cache is None:
        cache = {}
        grants: dict[str, set[str]] = {}
        for role, prefix in held_roles(user):
            for granted in ROLE_ACTIONS.get(role, ()):
                grants.setdefault(granted, set()).add(prefix)
        for granted, prefixes in grants.items():
            # Drop prefixes covered by a shorter one: fewer OR terms, same rows.
            ordered = sorted(prefixes, key=len)
            kept: list[str] = []
            for p in ordered:
                if not any(p.startswith(k) for k in kept):
                    kept.append(p)
            cache[granted] = tuple(kept)
        user._scope_cache = cache
    return cache.get(action, ())


def holds(user: Any, action: str) -> bool:
    """Whether `user` may perform `action` anywhere at all (menus, pages that list work across units)."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return True
    return bool(scope_prefixes(user, action))


def forget_scope(user: Any) -> None:
    """Drop the cached roles and prefixes after memberships change."""
    for attr in ("_scope_cache", "_held_roles"):
        if hasattr(user, attr):
            delattr(user, attr)


def covers(user: Any, action: str, prefix: str) -> bool:
    """Whether `user` may perform `action` on the unit with this prefix."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return True
    return any(prefix.startswith(p) for p in scope_prefixes(user, action))


def near(user: Any, action: str, prefix: str) -> bool:
    """Whether the unit with this prefix lies inside the user's scope or above it (a county whose rules apply to
    him): the single-unit form of `scope_view_from_below`."""
    if covers(user, action, prefix):
        return True
    return any(p.startswith(prefix) for p in scope_prefixes(user, action))


def ancestor_prefixes(prefix: str) -> list[str]:
    """Every proper prefix of `prefix`, shortest first: among them are the prefixes of all the unit's ancestors."""
    return [prefix[:n] for n in range(1, len(prefix))]


def in_subtree(path: str, prefix: str) -> Q:
    """Rows whose unit at `path` (`"village"`, `"award__village"`) lies in the subtree with this prefix; for a
    condition that pairs one path with something else (a state per role), where `within()` would take every path."""
    return Q(**{f"{path}__prefix__startswith": prefix})


class ScopeError(RuntimeError):
    """A scoped model was read without restrict(), within() or unscoped(reason): a scope was forgotten."""


_DJANGO_DIR = os.path.dirname(django.__file__) + os.sep
_TEST_MARKERS = (f"{os.sep}tests{os.sep}", f"{os.sep}conftest.py", f"core{os.sep}testing.py")


def _call_site() -> tuple[str, bool]:
    """`file:line` of the first caller outside Django and this module, and whether that caller is test code."""
    frame = sys._getframe(2)
    while frame is not None:
        name = frame.f_code.co_filename
        if not name.startswith(_DJANGO_DIR) and name != __file__:
            return f"{name}:{frame.f_lineno}", any(m in name for m in _TEST_MARKERS)
        frame = frame.f_back  # type: ignore[assignment]
    return "?", False


def _under(prefixes: tuple[str, ...]) -> Q:
    return reduce(or_, (Q(prefix__startswith=p) for p in prefixes))


class ScopedQuerySet(models.QuerySet[M]):
    """A queryset that knows how to cut itself down to a user's scope.

    The model declares `scope_fields`: paths that end in a unit's `prefix` (`"prefix"` for the unit itself,
    `"village__prefix"`, `"event__department__prefix"`, `"team__department__prefix"` across a many-to-many).
    A row is in scope when any path leads to a unit in the user's subtree. A model whose records are rules for
    everyone below their owner (a county's criteria) sets `scope_view_from_below = True`: viewing is then also
    allowed when the owning unit lies above the user's own.

    Each queryset carries how it was scoped (`_scope_mark`), kept through chaining, and checked by the guard.
    """

    _scope_mark: str | None = None

    def _clone(self) -> Self:
        clone = super()._clone()  # type: ignore[misc]
        clone._scope_mark = self._scope_mark
        return clone  # type: ignore[no-any-return]

    def _marked(self, how: str) -> Self:
        clone = self._chain()  # type: ignore[attr-defined]
        clone._scope_mark = how
        return clone  # type: ignore[no-any-return]

    def _check_scope(self, operation: str) -> None:
        if self._scope_mark is not None or not getattr(self.model, "scope_fields", None):
            return
        if not getattr(settings, "XINGYAO_SCOPE_GUARD", False) or self.query.is_empty():
            return
        site, in_tests = _call_site()
        if in_tests:
            return
        raise ScopeError(
            f"{self.model._meta.label}: {operation} on a queryset that was never restrict()ed, within()-narrowed "
            f"or unscoped(reason), at {site}"
        )

    def _fetch_all(self) -> None:
        if self._result_cache is None:
            self._check_scope("read")
        super()._fetch_all()  # type: ignore[misc]

    def count(self) -> int:
        if self._result_cache is None:
            self._check_scope("count()")
        return super().count()

    def exists(self) -> bool:
        if self._result_cache is None:
            self._check_scope("exists()")
        return super().exists()

    def aggregate(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        self._check_scope("aggregate()")
        return super().aggregate(*args, **kwargs)

    def iterator(self, chunk_size: int | None = None) -> Any:
        self._check_scope("iterator()")
        return super().iterator(chunk_size)

    def update(self, **kwargs: Any) -> int:
        self._check_scope("update()")
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        self._check_scope("delete()")
        return super().delete()

    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> int:
        """Writes the objects the caller already holds, as create() does: no mark needed."""
        return super(ScopedQuerySet, self._marked("bulk_update")).bulk_update(objs, fields, batch_size)

    def __or__(self, other: Any) -> Self:
        combined = super().__or__(other)
        combined._scope_mark = self._scope_mark if getattr(other, "_scope_mark", None) else None
        return combined

    def __and__(self, other: Any) -> Self:
        combined = super().__and__(other)
        combined._scope_mark = self._scope_mark or getattr(other, "_scope_mark", None)
        return combined

    def restrict(self, user: User | Any, action: str = Action.VIEW) -> Self:
        """Only the rows `user` may perform `action` on."""
        return self._restricted(user, action)._marked(f"restrict:{action}")

    def _restricted(self, user: User | Any, action: str) -> Self:
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        prefixes = scope_prefixes(user, action)
        if not prefixes:
            return self.none()
        units = apps.get_model("places", "Unit")._base_manager.filter(_under(prefixes))
        from_below = action == Action.VIEW and getattr(self.model, "scope_view_from_below", False)
        if from_below:
            # A unit's ancestors are exactly the units whose prefix is a proper prefix of one of the user's.
            above = {a for p in prefixes for a in ancestor_prefixes(p)}
            units = apps.get_model("places", "Unit")._base_manager.filter(_under(prefixes) | Q(prefix__in=above))
        condition = Q()
        for field in self.model.scope_fields:  # type: ignore[attr-defined]
            condition |= self._in_units(field.removesuffix("__prefix"), prefixes, units, from_below)
        return self.filter(condition)

    def within(self, unit: Any) -> Self:
        """Only the rows whose scope paths lead into `unit`'s subtree: "within this village/town/county"."""
        units = apps.get_model("places", "Unit")._base_manager.filter(prefix__startswith=unit.prefix)
        condition = Q()
        for field in self.model.scope_fields:  # type: ignore[attr-defined]
            condition |= self._in_units(field.removesuffix("__prefix"), (unit.prefix,), units, False)
        return self.filter(condition)._marked(self._scope_mark or "within")

    def unscoped(self, reason: str) -> Self:
        """Deliberately every row, with the reason said (public pages, system jobs, an object already accessed)."""
        if not reason.strip():
            raise ValueError("unscoped() needs a reason")
        return self._marked(f"unscoped:{reason}")

    def _in_units(self, path: str, prefixes: tuple[str, ...], units: Any, from_below: bool) -> Q:
        if path == "prefix":  # the unit table itself: a plain indexed prefix filter
            return _under(prefixes) if not from_below else Q(pk__in=units.values("pk"))
        # `fk_id IN (units under the prefixes)`: a hashed semi-join the planner runs before touching the rows, so a
        # worklist over millions of records still reads its newest rows by index and stops after one page.
        head, _, rest = path.partition("__")
        field = self.model._meta.get_field(head)
        if not rest and isinstance(field, models.ForeignKey):
            return Q(**{f"{field.attname}__in": units.values("pk")})
        # Longer or many-to-many paths: match the primary keys, so a row is never repeated per related row.
        matching = self.model._base_manager.filter(**{f"{path}__in": units.values("pk")}).values("pk")
        return Q(pk__in=matching)


def access(queryset: models.QuerySet[M], user: Any, value: Any, action: str = Action.VIEW, field: str = "pk") -> M:
    """One object in `user`'s scope, or 404 (missing or not yours); 403 when visible but `action` is not allowed.
    The system itself (`core.actors.SYSTEM`: the demo, a command, a job) reaches every object."""
    scoped: ScopedQuerySet[M] = queryset  # type: ignore[assignment]
    try:
        if is_system(user):
            return scoped.unscoped("the system itself acts (the demo, a command, a job)").get(**{field: value})
        obj = scoped.restrict(user, Action.VIEW).get(**{field: value})
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if action != Action.VIEW and not scoped.restrict(user, action).filter(pk=obj.pk).exists():
        if not scoped.restrict(user, Action.VIEW).filter(pk=obj.pk).exists():
            raise Http404  # removed between the two reads (a simultaneous delete): missing now, not forbidden
        raise PermissionDenied
    return obj
