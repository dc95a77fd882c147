"""Writing and verifying the audit chains. Call `record()` inside the transaction of the change it describes.

Three things make a chain hard to rewrite quietly:
- every row's hash is an HMAC under `XINGYAO_AUDIT_KEY`, kept outside the database, so a rewritten row cannot be
  re-hashed (nor the rows after it) by someone who only has the database;
- each chain's head (its length and last hash, signed) is appended daily to a file outside the database
  (`XINGYAO_AUDIT_ANCHOR`), so rows cut from the end, or a whole chain re-hashed with the key, no longer match;
- database triggers (migration `0003_audit_append_only_triggers`) refuse UPDATE, DELETE and TRUNCATE on the table.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import decimal
import fcntl
import hashlib
import hmac
import json
import os
import uuid
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, models
from django.db.models import Max, Q
from django.utils import timezone

from xingyao.core.actors import require_actor
from xingyao.core.models import AuditEntry
from xingyao.places.codes import Kind, county_prefix

GENESIS = "0" * 64
GLOBAL_CHAIN = ""  # rows with no unit, or a unit above any county (province, city)
_LOCK_CLASS = 7_464_021  # an arbitrary constant naming the audit chains' advisory locks (the key's first half)


def audit_key() -> bytes:
    return settings.XINGYAO_AUDIT_KEY.encode()


def chain_of(unit: Any) -> str:
    """The chain a unit's rows go to: its county's 6-digit prefix; the global chain above counties."""
    if unit is None or unit.kind in (Kind.PROVINCE, Kind.CITY):
        return GLOBAL_CHAIN
    return county_prefix(unit.code)


def chain_label(chain: str) -> str:
    return chain or "全局"


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


def _lock_chain(chain: str) -> None:
    # One writer at a time extends a chain; writers in other counties go on in parallel. The lock ends with the
    # transaction. SQLite already serialises writers.
    if connection.vendor == "postgresql":
        key = int(chain) if chain.isdigit() else zlib.crc32(chain.encode()) & 0x7FFFFFFF
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_LOCK_CLASS, key])


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
    """Append one audit row to its county's chain; must run inside the transaction of the change it records."""
    if not connection.in_atomic_block:
        raise RuntimeError("audit.record() must run inside transaction.atomic()")
    require_actor(actor)  # the system itself is core.actors.SYSTEM, never None
    unit = unit if unit is not None else getattr(obj, "unit", None)
    chain = chain_of(unit)
    _lock_chain(chain)
    last = (
        AuditEntry.objects.unscoped("a chain links to its own last row, whoever writes")
        .filter(chain=chain)
        .order_by("-seq")
        .values_list("seq", "hash")
        .first()
    )
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    entry = AuditEntry(
        at=timezone.now(),
        actor=actor_obj,
        actor_name=actor_obj.get_username() if actor_obj else getattr(actor, "name", None) or "系统",
        unit=unit,
        object_type=object_type or (obj._meta.label_lower if obj is not None else ""),
        object_id=object_id or (str(obj.pk) if obj is not None else ""),
        object_repr=(object_repr if object_repr is not None else str(obj) if obj is not None else "")[:200],
        action=action,
        before=jsonable(before),
        after=jsonable(after),
        chain=chain,
        seq=last[0] + 1 if last else 1,
        prev_hash=last[1] if last else GENESIS,
    )
    entry.hash = entry.compute_hash(audit_key())
    entry.save()
    return entry


def record_many(
    *,
    actor: Any,
    action: str,
    model: type[models.Model],
    unit: Any,
    summary: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    """One row for a bulk write of `model`'s records (an import, a seed, a generated data set): no single object,
    `summary` says in words what was written, `before`/`after` list it."""
    return record(
        actor=actor,
        action=action,
        unit=unit,
        object_type=model._meta.label_lower,
        object_id="",
        object_repr=summary,
        before=before,
        after=after,
    )


# --- anchors: signed chain heads in an append-only file outside the database ---


@dataclass(frozen=True)
class Head:
    chain: str
    count: int
    hash: str


@dataclass(frozen=True)
class Anchor:
    at: str
    head: Head


def _sign(key: bytes, fields: dict[str, Any]) -> str:
    body = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hmac.new(key, b"anchor\n" + body.encode(), hashlib.sha256).hexdigest()


def chain_heads() -> list[Head]:
    """Every chain's length and last hash, in two queries."""
    rows = AuditEntry.objects.unscoped("anchoring covers every chain")
    ends = rows.order_by().values("chain").annotate(n=Max("seq"))
    wanted = Q(pk__in=[])
    for end in ends:
        wanted |= Q(chain=end["chain"], seq=end["n"])
    heads = rows.filter(wanted).order_by("chain").values_list("chain", "seq", "hash")
    return [Head(chain, seq, digest) for chain, seq, digest in heads]


def anchor_path() -> Path:
    return Path(settings.XINGYAO_AUDIT_ANCHOR)


def write_anchors(heads: Iterable[Head], path: Path | None = None) -> int:
    """Append one signed line per chain head; the file is only ever appended to."""
    path = path or anchor_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = audit_key()
    at = timezone.now().isoformat(timespec="seconds")
    lines = []
    for head in heads:
        fields = {"at": at, "chain": head.chain, "count": head.count, "head": head.hash}
        lines.append(json.dumps({**fields, "sig": _sign(key, fields)}, ensure_ascii=False) + "\n")
    # O_APPEND plus an exclusive lock: a cron run and an operator's verify never interleave their lines.
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    with os.fdopen(fd, "a", encoding="utf-8") as out:
        fcntl.flock(out, fcntl.LOCK_EX)
        out.writelines(lines)
        out.flush()
        os.fsync(out.fileno())
    return len(lines)


def read_anchors(path: Path | None = None) -> tuple[dict[str, dict[int, Anchor]], list[str]]:
    """The anchored heads by chain and count, and a problem for each line that is malformed or not signed by us."""
    path = path or anchor_path()
    anchors: dict[str, dict[int, Anchor]] = {}
    problems: list[str] = []
    if not path.exists():
        return anchors, problems
    key = audit_key()
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            try:
                data = json.loads(line)
                fields = {"at": data["at"], "chain": data["chain"], "count": int(data["count"]), "head": data["head"]}
                good = hmac.compare_digest(str(data["sig"]), _sign(key, fields))
            except (ValueError, KeyError, TypeError):
                good = False
            if not good:
                problems.append(f"锚点文件第 {number} 行格式或签名不符（被改动，或不是用本系统的密钥写的）")
                continue
            head = Head(fields["chain"], fields["count"], fields["head"])
            anchors.setdefault(head.chain, {})[head.count] = Anchor(fields["at"], head)
    return anchors, problems


# --- verifying ---


@dataclass(frozen=True)
class ChainReport:
    chain: str
    count: int
    head: str = GENESIS
    broken_id: int | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return not self.problem

    @property
    def label(self) -> str:
        return chain_label(self.chain)


class _Walk:
    """One chain's state while its rows stream past in order."""

    def __init__(self, chain: str, anchored: dict[int, Anchor]) -> None:
        self.chain, self.anchored = chain, anchored
        self.count, self.prev = 0, GENESIS
        self.broken_id: int | None = None
        self.problem = ""

    def step(self, entry: AuditEntry, key: bytes) -> None:
        if self.problem:
            return
        if entry.seq != self.count + 1 or entry.prev_hash != self.prev:
            self._break(entry.id, "与上一条记录的链接不符（记录被删除、插入或改动）")
        elif not hmac.compare_digest(entry.compute_hash(key), entry.hash):
            self._break(entry.id, "内容与哈希不符（记录被改动，或链被不知道密钥的人重算过）")
        elif entry.seq in self.anchored and self.anchored[entry.seq].head.hash != entry.hash:
            when = self.anchored[entry.seq].at
            self._break(entry.id, f"与 {when} 锚定的链头不符（此处及以前的记录被改写后重算）")
        else:
            self.count, self.prev = entry.seq, entry.hash

    def _break(self, entry_id: int, problem: str) -> None:
        self.broken_id, self.problem = entry_id, problem

    def report(self) -> ChainReport:
        if not self.problem and self.anchored:
            longest = max(self.anchored)
            if longest > self.count:
                when = self.anchored[longest].at
                self.problem = f"只有 {self.count} 条，少于 {when} 锚定的 {longest} 条（链尾的记录被删除或整表被截断）"
        return ChainReport(self.chain, self.count, self.prev, self.broken_id, self.problem)


def _entries() -> Iterator[AuditEntry]:
    # One ordered pass over the (chain, seq) index, streamed: memory stays flat however long the chains are.
    rows = AuditEntry.objects.unscoped("verifying walks every row of every chain")
    return rows.order_by("chain", "seq").iterator(chunk_size=2000)


def verify_chains(anchors: dict[str, dict[int, Anchor]] | None = None) -> list[ChainReport]:
    """Walk every chain once from its first row; each report names the first row that does not hold, or a chain
    that is shorter than its anchor."""
    if anchors is None:
        anchors, _problems = read_anchors()
    key = audit_key()
    reports: list[ChainReport] = []
    walk: _Walk | None = None
    for entry in _entries():
        if walk is None or entry.chain != walk.chain:
            if walk is not None:
                reports.append(walk.report())
            walk = _Walk(entry.chain, anchors.get(entry.chain, {}))
        walk.step(entry, key)
    if walk is not None:
        reports.append(walk.report())
    seen = {r.chain for r in reports}
    # A chain that was anchored and has no row left at all was deleted whole.
    reports += [_Walk(chain, anchored).report() for chain, anchored in anchors.items() if chain not in seen]
    return sorted(reports, key=lambda r: r.chain)


# Tables the database keeps append-only with triggers: the audit chain's, and those an app registers from its
# `ready()` (assessments' published notices). `append_only_suspended` lifts all of them together.
_APPEND_ONLY_TABLES: list[str] = [AuditEntry._meta.db_table]


def register_append_only(model: type[models.Model]) -> None:
    """Name a model whose table has append-only triggers of its own (created by its app's migration)."""
    if model._meta.db_table not in _APPEND_ONLY_TABLES:
        _APPEND_ONLY_TABLES.append(model._meta.db_table)


@contextlib.contextmanager
def append_only_suspended() -> Iterator[None]:
    """Lift the append-only triggers (the audit table's and the registered ones) for the enclosing transaction
    (`flush`, tests playing the attacker).

    On PostgreSQL this needs the tables' owner: the application role of a production deployment, which does not
    own its tables (README), cannot. Must run inside transaction.atomic() so the guard comes back even on error.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("append_only_suspended() must run inside transaction.atomic()")
    tables = list(_APPEND_ONLY_TABLES)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # ALTER TABLE refuses while deferred foreign-key checks of this transaction are pending: run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for table in tables:
                cursor.execute(f'ALTER TABLE "{table}" DISABLE TRIGGER USER')
            yield
            for table in tables:
                cursor.execute(f'ALTER TABLE "{table}" ENABLE TRIGGER USER')
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        elif connection.vendor == "sqlite":
            triggers = []
            for table in tables:
                cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [table])
                triggers += cursor.fetchall()
            for name, _sql in triggers:
                cursor.execute(f'DROP TRIGGER "{name}"')
            yield
            for _name, sql in triggers:
                cursor.execute(sql)
        else:
            yield
