"""Writing and verifying the audit chain. Call `record()` inside the transaction of the change it describes."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from xingyao.core.models import AuditEntry

GENESIS = "0" * 64
_LOCK_KEY = 7_464_021  # an arbitrary constant naming the audit chain's advisory lock


def snapshot(obj: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """A JSON-able picture of a model instance's concrete fields (foreign keys by id)."""
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        if getattr(field, "audit_exclude", False) or field.name in {"password"}:
            continue
        data[field.attname] = jsonable(getattr(obj, field.attname))
    return data


def jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if hasattr(value, "name") and hasattr(value, "storage"):  # a FieldFile
        return value.name or None
    return value


def diff(before: dict[str, Any] | None, after: dict[str, Any] | None) -> tuple[dict | None, dict | None]:
    """Keep only the keys that changed, so a row says what happened and no more."""
    if before is None or after is None:
        return before, after
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def _lock_chain() -> None:
    # One writer at a time extends the chain; SQLite already serialises writers.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])


def record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    unit: Any = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    object_type: str | None = None,
    object_id: str | None = None,
    object_repr: str | None = None,
) -> AuditEntry:
    """Append one audit row; must run inside the transaction of the change it records."""
    if not connection.in_atomic_block:
        raise RuntimeError("audit.record() must run inside transaction.atomic()")
    _lock_chain()
    last = (
        AuditEntry.objects.unscoped("the hash chain runs through every row")
        .order_by("-id")
        .values_list("hash", flat=True)
        .first()
    )
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    entry = AuditEntry(
        at=timezone.now(),
        actor=actor_obj,
        actor_name=actor_obj.get_username() if actor_obj else "系统",
        unit=unit if unit is not None else getattr(obj, "unit", None),
        object_type=object_type or (obj._meta.label_lower if obj is not None else ""),
        object_id=object_id or (str(obj.pk) if obj is not None else ""),
        object_repr=(object_repr if object_repr is not None else str(obj) if obj is not None else "")[:200],
        action=action,
        before=jsonable(before),
        after=jsonable(after),
        prev_hash=last or GENESIS,
    )
    entry.hash = entry.compute_hash()
    entry.save()
    return entry


@dataclass(frozen=True)
class ChainReport:
    count: int
    broken_id: int | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_id is None


def _entries(batch: int = 2000) -> Iterator[AuditEntry]:
    last_id = 0
    while True:
        rows = list(
            AuditEntry.objects.unscoped("the hash chain runs through every row")
            .filter(id__gt=last_id)
            .order_by("id")[:batch]
        )
        if not rows:
            return
        yield from rows
        last_id = rows[-1].id


def verify_chain() -> ChainReport:
    """Walk the chain from the first row; name the first row whose link or content does not hold."""
    prev = GENESIS
    count = 0
    with transaction.atomic():
        for entry in _entries():
            if entry.prev_hash != prev:
                return ChainReport(count, entry.id, "与上一条记录的链接不符（记录被删除、插入或改动）")
            if entry.compute_hash() != entry.hash:
                return ChainReport(count, entry.id, "内容与哈希不符（记录被改动）")
            prev = entry.hash
            count += 1
    return ChainReport(count)
