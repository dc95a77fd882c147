"""Row locks and counters for actions that run at the same time.

Every `do_*` that checks a record's state and then changes it reads the row under `SELECT … FOR UPDATE` inside
its transaction first (`relock`), so that of N simultaneous requests one wins and the others see what it wrote:
the workflow then refuses them with its usual Chinese message. Several rows are locked in id order
(`lock_in_order`), so two actions that need the same pair never wait for each other in a circle. Numbers come
from one counter row per series (`next_in_series`), incremented by a single UPSERT and held locked until the
registering transaction ends: no two registrations get the same number, and a rolled-back one leaves no gap.

SQLite has no row locks (it lets one writer in at a time); there these calls are plain reads.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from django.db import connection, models

M = TypeVar("M", bound=models.Model)

REREAD = "re-read of an object fetched through access()"


def _base(model: type[M], why: str) -> models.QuerySet[M]:
    queryset = model._default_manager.all()
    unscoped = getattr(queryset, "unscoped", None)
    return unscoped(why) if unscoped is not None else queryset


def relock(obj: M, why: str = REREAD) -> M:
    """Lock `obj`'s row until the transaction ends and reload its fields in place from what is stored now.

    Call it inside the action's transaction, before checking the state: a page loaded a minute ago, or a
    request that committed a moment ago, must not decide what this one may do. `FOR NO KEY UPDATE`: two actions
    on the row wait for each other, while rows that merely point to it (steps, photos) are still inserted freely."""
    if not connection.in_atomic_block:
        raise RuntimeError("relock() must run inside the transaction of the change")
    cached = {
        f: f.get_cached_value(obj)
        for f in obj._meta.concrete_fields
        if isinstance(f, models.ForeignKey) and f.is_cached(obj)
    }
    obj.refresh_from_db(from_queryset=_base(type(obj), why).select_for_update(no_key=True))
    for f, related in cached.items():  # the units, categories … it pointed to are not what the lock is about
        if getattr(obj, f.attname) == getattr(related, "pk", None):
            f.set_cached_value(obj, related)
    return obj


def lock_in_order(model: type[M], ids: Iterable[Any], why: str, *, related: tuple[str, ...] = ()) -> dict[Any, M]:
    """Lock several rows of `model` in ascending id order (the one order every action uses) and return them by id."""
    if not connection.in_atomic_block:
        raise RuntimeError("lock_in_order() must run inside the transaction of the change")
    queryset = (
        _base(model, why).select_for_update(of=("self",), no_key=True).filter(pk__in=sorted(set(ids))).order_by("pk")
    )
    if related:
        queryset = queryset.select_related(*related)
    return {row.pk: row for row in queryset}


# One statement each: a new series starts at `at_least`, an existing one goes up by one (and never below it).
_NEXT = (
    "INSERT INTO core_counter (name, value, expires_at) VALUES (%s, %s, NULL) "
    "ON CONFLICT (name) DO UPDATE SET value = {larger}(core_counter.value + 1, excluded.value) RETURNING value"
)
_NEXT_POSTGRESQL = _NEXT.format(larger="GREATEST")
_NEXT_SQLITE = _NEXT.format(larger="MAX")


def next_in_series(name: str, *, at_least: int = 1) -> int:
    """The next number of the series `name` (1, 2, 3, …, never below `at_least`), its counter row
    (`core.Counter`) locked until the caller's transaction ends. `at_least` lets a series continue numbers
    written before it had a counter."""
    if not connection.in_atomic_block:
        raise RuntimeError("next_in_series() must run inside the transaction that uses the number")
    sql = _NEXT_POSTGRESQL if connection.vendor == "postgresql" else _NEXT_SQLITE
    with connection.cursor() as cursor:
        cursor.execute(sql, [name, max(at_least, 1)])
        row: Any = cursor.fetchone()
    return int(row[0])
