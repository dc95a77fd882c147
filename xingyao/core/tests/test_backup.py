import hashlib
import json
import shutil
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection

from xingyao.accounts.actions import do_add_membership
from xingyao.core import backup
from xingyao.core.models import AuditEntry
from xingyao.demo.testing import build_world

pytestmark = pytest.mark.skipif(
    connection.vendor == "postgresql" and not (shutil.which("pg_dump") and shutil.which("pg_restore")),
    reason="backup on PostgreSQL needs pg_dump and pg_restore (Debian: postgresql-client), not installed here",
)
PHOTO = b"\xff\xd8\xff\xe0 not really a photo, but bytes to check" * 100


@pytest.fixture
def deployment(transactional_db, settings):
    """A world with audited changes, an uploaded file and an anchor; not wrapped in a transaction, like a real
    database (pg_dump and SQLite's backup see only what is committed)."""
    world = build_world()
    for grid in ("毛桥村第1网格", "庄营村第1网格"):
        do_add_membership(world.user("zhen"), world.user("maoqiao"), world.unit(grid), "grid_worker")
    name = default_storage.save("evidence/2023/毛桥村.jpg", ContentFile(PHOTO))
    call_command("audit", "anchor")
    return world, Path(settings.MEDIA_ROOT) / name


def wipe(media: Path) -> None:
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(media)
    media.mkdir()


def verify_ok(capsys) -> bool:
    try:
        call_command("audit", "verify")
    except SystemExit:
        return False
    finally:
        capsys.readouterr()
    return True


def test_backup_wipe_and_restore_bring_back_every_row_the_audit_chain_and_the_files(deployment, tmp_path, capsys):
    _world, photo = deployment
    counts, heads = backup.live_counts_and_heads()
    assert counts["core_auditentry"] >= 2 and counts["accounts_membership"] > 0 and heads
    call_command("backup", str(tmp_path / "b"))
    manifest = json.loads((tmp_path / "b" / "manifest.json").read_text())
    assert manifest["tables"] == counts and manifest["audit_heads"] == heads
    assert [f["sha256"] for f in manifest["media"]["files"]] == [hashlib.sha256(PHOTO).hexdigest()]

    media = Path(photo.parents[2])
    wipe(media)
    assert not AuditEntry.objects.exists() and not photo.exists()

    call_command("restore", str(tmp_path / "b"))
    assert "都与备份清单一致" in capsys.readouterr().out
    assert backup.live_counts_and_heads() == (counts, heads)
    assert hashlib.sha256(photo.read_bytes()).hexdigest() == hashlib.sha256(PHOTO).hexdigest()
    assert verify_ok(capsys)
    assert AuditEntry.objects.filter(action="membership.create").count() == 2


def test_restore_refuses_a_database_that_has_data_unless_forced(deployment, tmp_path, capsys):
    call_command("backup", str(tmp_path / "b"))
    with pytest.raises(CommandError, match="已有数据"):
        call_command("restore", str(tmp_path / "b"))
    call_command("restore", str(tmp_path / "b"), force=True)
    assert verify_ok(capsys)


def test_restore_refuses_a_backup_whose_file_was_altered_and_touches_nothing(deployment, tmp_path):
    world, _photo = deployment
    call_command("backup", str(tmp_path / "b"))
    copied = next((tmp_path / "b" / "media").rglob("*.jpg"))
    copied.write_bytes(PHOTO + b"!")
    do_add_membership(world.user("zhen"), world.user("zhuangying"), world.unit("毛桥村第1网格"), "grid_worker")
    before = backup.live_counts_and_heads()
    with pytest.raises(CommandError, match="校验和不符"):
        call_command("restore", str(tmp_path / "b"), force=True)
    assert backup.live_counts_and_heads() == before


def test_restore_refuses_a_manifest_edited_to_match(deployment, tmp_path):
    call_command("backup", str(tmp_path / "b"))
    path = tmp_path / "b" / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest["tables"]["core_auditentry"] += 1
    path.write_text(json.dumps(manifest))
    with pytest.raises(CommandError, match="签名不符"):
        call_command("restore", str(tmp_path / "b"), force=True)


def test_backup_refuses_a_directory_that_is_not_empty(deployment, tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "other").write_text("x")
    with pytest.raises(CommandError, match="不是空的"):
        call_command("backup", str(tmp_path / "b"))


def test_restoring_an_older_backup_says_which_audit_rows_it_lost(deployment, tmp_path, capsys):
    world, _photo = deployment
    call_command("backup", str(tmp_path / "b"))
    do_add_membership(world.user("zhen"), world.user("zhuangying"), world.unit("毛桥村第1网格"), "grid_worker")
    call_command("audit", "anchor")
    capsys.readouterr()
    call_command("restore", str(tmp_path / "b"), force=True)
    out = capsys.readouterr().out
    assert "注意：审计链 411329" in out and "备份之后写入的审计记录不在恢复的数据库里" in out
