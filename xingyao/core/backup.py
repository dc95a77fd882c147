"""Backup and restore of the whole deployment: the database, the uploaded files and a manifest that checks both.

A backup is a directory: `database.dump` (PostgreSQL, pg_dump's custom format) or `database.sqlite3` (SQLite's
online backup), `media/` (a copy of MEDIA_ROOT), and `manifest.json` — SHA-256 of every file, the number of rows
in every table and each audit chain's head, all taken from the same snapshot of the database, and signed with
the audit key so that a manifest edited to match altered files is refused too. The manifest is written last:
a directory without one is an unfinished backup.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from xingyao.core import audit

FORMAT = 1
MANIFEST = "manifest.json"
PG_FILE = "database.dump"
SQLITE_FILE = "database.sqlite3"
MEDIA_DIR = "media"
_CHUNK = 1 << 20
_HEADS_SQL = (
    "SELECT chain, seq, hash FROM core_auditentry a"
    " WHERE seq = (SELECT MAX(seq) FROM core_auditentry b WHERE b.chain = a.chain) ORDER BY chain"
)


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the operator."""


@dataclass
class RestoreReport:
    problems: list[str] = field(default_factory=list)  # the restored data differs from the manifest
    warnings: list[str] = field(default_factory=list)  # true, but not a failed restore (an older backup)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as data:
        while chunk := data.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _sign(manifest: dict[str, Any]) -> str:
    body = json.dumps({k: v for k, v in manifest.items() if k != "sig"}, sort_keys=True, ensure_ascii=False)
    return hmac.new(audit.audit_key(), b"backup\n" + body.encode(), hashlib.sha256).hexdigest()


def _pg_env() -> dict[str, str]:
    db = connection.settings_dict
    env = {**os.environ, "PGDATABASE": db["NAME"]}
    for var, value in (("PGHOST", db["HOST"]), ("PGPORT", db["PORT"]), ("PGUSER", db["USER"])):
        if value:
            env[var] = str(value)
    if db["PASSWORD"]:
        env["PGPASSWORD"] = db["PASSWORD"]
    if sslmode := db.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = sslmode
    return env


def _run(command: list[str]) -> None:
    tool = shutil.which(command[0])
    if tool is None:
        raise BackupError(f"找不到 {command[0]}：请安装 PostgreSQL 客户端（Debian：apt install postgresql-client）")
    done = subprocess.run([tool, *command[1:]], env=_pg_env(), capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"{command[0]} 失败：{done.stderr.strip()[-2000:]}")


def _counts_and_heads(cursor: Any, tables: list[str], quote: Any) -> tuple[dict[str, int], list[dict[str, Any]]]:
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 - names from the catalogue, quoted
        counts[table] = cursor.fetchone()[0]
    heads = []
    if "core_auditentry" in tables:
        cursor.execute(_HEADS_SQL)
        heads = [{"chain": chain, "count": seq, "head": digest} for chain, seq, digest in cursor.fetchall()]
    return counts, heads


def _sqlite_tables(db: sqlite3.Connection) -> list[str]:
    rows = db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    return [name for (name,) in rows]


def _media_root() -> Path | None:
    """Uploaded files live on this machine only with the file-system storage; S3 keeps its own copies."""
    backend = settings.STORAGES["default"]["BACKEND"]
    return Path(settings.MEDIA_ROOT) if backend == "django.core.files.storage.FileSystemStorage" else None


def _copy(source: Path, target: Path) -> str:
    """Copy one file, hashing it on the way; the checksum is of the bytes written."""
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    with source.open("rb") as src, target.open("wb") as dst:
        while chunk := src.read(_CHUNK):
            digest.update(chunk)
            dst.write(chunk)
    shutil.copystat(source, target)
    return digest.hexdigest()


def backup(target: Path) -> dict[str, Any]:
    """Write a complete backup into the empty (or new) directory `target` and return its manifest."""
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"备份目录 {target} 不是空的：请换一个目录")
    target.mkdir(parents=True, exist_ok=True)
    vendor = connection.vendor
    if vendor == "postgresql":
        database = target / PG_FILE
        # pg_dump reads the snapshot this transaction exported: the dump, the counts and the heads agree.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            _run(["pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={database}"])
            tables = connection.introspection.table_names(cursor)
            counts, heads = _counts_and_heads(cursor, tables, connection.ops.quote_name)
    elif vendor == "sqlite":
        if connection.in_atomic_block:
            raise BackupError("备份不能在事务中进行")
        database = target / SQLITE_FILE
        connection.ensure_connection()
        copy = sqlite3.connect(database)
        try:
            connection.connection.backup(copy)  # SQLite's online backup: a consistent copy while others write
            counts, heads = _counts_and_heads(copy.cursor(), _sqlite_tables(copy), lambda n: f'"{n}"')
        finally:
            copy.close()
    else:
        raise BackupError(f"不支持的数据库：{vendor}")
    media: list[dict[str, Any]] = []
    root = _media_root()
    if root is not None and root.is_dir():
        for path in sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink()):
            relative = path.relative_to(root).as_posix()
            digest = _copy(path, target / MEDIA_DIR / relative)
            media.append({"path": relative, "sha256": digest, "bytes": path.stat().st_size})
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "created": timezone.now().isoformat(timespec="seconds"),
        "vendor": vendor,
        "database": {"file": database.name, "sha256": sha256_of(database), "bytes": database.stat().st_size},
        "media": {"stored": root is not None, "files": media},
        "tables": counts,
        "audit_heads": heads,
    }
    manifest["sig"] = _sign(manifest)
    partial = target / (MANIFEST + ".partial")
    partial.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    partial.rename(target / MANIFEST)
    return manifest


def read_manifest(source: Path) -> dict[str, Any]:
    """The backup's manifest, after checking its signature and every file's checksum."""
    try:
        manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(f"{source} 里没有 {MANIFEST}：不是备份目录，或备份没有完成") from None
    except ValueError:
        raise BackupError(f"{source / MANIFEST} 不是有效的 JSON") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"备份格式 {manifest.get('format')} 不受支持（本版本为 {FORMAT}）")
    if not hmac.compare_digest(str(manifest.get("sig", "")), _sign(manifest)):
        raise BackupError("备份清单的签名不符：清单被改动，或备份来自使用另一把审计密钥的系统")
    bad = []
    files = [(source / manifest["database"]["file"], manifest["database"]["sha256"])]
    files += [(source / MEDIA_DIR / f["path"], f["sha256"]) for f in manifest["media"]["files"]]
    for path, expected in files:
        if not path.is_file():
            bad.append(f"缺少 {path}")
        elif sha256_of(path) != expected:
            bad.append(f"{path} 的校验和不符")
    if bad:
        raise BackupError("备份已损坏，没有恢复任何内容：" + "；".join(bad[:20]) + (" …" if len(bad) > 20 else ""))
    return manifest


def live_counts_and_heads() -> tuple[dict[str, int], list[dict[str, Any]]]:
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        return _counts_and_heads(cursor, tables, connection.ops.quote_name)


def database_has_data() -> bool:
    """Whether any of the project's own tables holds a row (Django's bookkeeping tables do not count)."""
    counts, _heads = live_counts_and_heads()
    ours = {m._meta.db_table for m in apps.get_models() if m.__module__.startswith("xingyao.")}
    return any(counts.get(table, 0) for table in ours)


def restore(source: Path, *, force: bool = False) -> RestoreReport:
    """Put a backup back: checksums first, then the database, then the files; then compare with the manifest."""
    manifest = read_manifest(source)
    vendor = connection.vendor
    if manifest["vendor"] != vendor:
        raise BackupError(f"这是 {manifest['vendor']} 数据库的备份，当前数据库是 {vendor}")
    if not force and database_has_data():
        raise BackupError("当前数据库已有数据：确认要用备份覆盖它时加 --force")
    if connection.in_atomic_block:
        raise BackupError("恢复不能在事务中进行")
    database = source / manifest["database"]["file"]
    if vendor == "postgresql":
        connection.close()  # pg_restore drops and recreates the tables: no open session of ours may hold them
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",  # all or nothing
                "--exit-on-error",
                f"--dbname={connection.settings_dict['NAME']}",
                str(database),
            ]
        )
    else:
        connection.ensure_connection()
        copy = sqlite3.connect(database)
        try:
            copy.backup(connection.connection)  # replaces every page of the live database in one step
        finally:
            copy.close()
    root = _media_root()
    if manifest["media"]["files"]:
        if root is None:
            raise BackupError("备份里有上传文件，但当前不是本地文件存储：数据库已恢复，文件请手工放回")
        for entry in manifest["media"]["files"]:
            _copy(source / MEDIA_DIR / entry["path"], root / entry["path"])
    return _compare(manifest)


def _compare(manifest: dict[str, Any]) -> RestoreReport:
    report = RestoreReport()
    counts, heads = live_counts_and_heads()
    for table, expected in manifest["tables"].items():
        if counts.get(table) != expected:
            report.problems.append(f"表 {table}：备份时 {expected} 行，恢复后 {counts.get(table)} 行")
    if heads != manifest["audit_heads"]:
        report.problems.append("恢复后的审计链头与备份清单不符")
    for chain in audit.verify_chains({}):
        if not chain.ok:
            report.problems.append(f"审计链 {chain.label}：第 {chain.broken_id} 号记录{chain.problem}")
    anchors, _problems = audit.read_anchors()
    for chain in audit.verify_chains(anchors):
        if not chain.ok and chain.broken_id is None:
            report.warnings.append(f"审计链 {chain.label} {chain.problem}：备份之后写入的审计记录不在恢复的数据库里")
    root = _media_root()
    if root is not None:
        for entry in manifest["media"]["files"]:
            if sha256_of(root / entry["path"]) != entry["sha256"]:
                report.problems.append(f"上传文件 {entry['path']} 恢复后校验和不符")
    return report
