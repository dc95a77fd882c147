import json

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from xingyao.accounts.actions import do_add_membership
from xingyao.core import audit
from xingyao.core.actors import SYSTEM
from xingyao.core.models import AuditEntry

on_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")


def as_attacker(sql: str, params: list | None = None) -> None:
    """Raw SQL past the append-only triggers, as someone who owns the tables (or is superuser) could."""
    with transaction.atomic(), audit.append_only_suspended(), connection.cursor() as cursor:
        cursor.execute(sql, params or [])


def rehash(rows: list[AuditEntry], key: bytes) -> None:
    """Rewrite the links and hashes of `rows` (one chain, in order) as a forger with `key` would."""
    prev = AuditEntry.objects.filter(chain=rows[0].chain, seq__lt=rows[0].seq).order_by("-seq").first()
    prev_hash = prev.hash if prev else audit.GENESIS
    for row in rows:
        row.prev_hash = prev_hash
        row.hash = row.compute_hash(key)
        as_attacker(
            "UPDATE core_auditentry SET prev_hash = %s, hash = %s, action = %s WHERE id = %s",
            [row.prev_hash, row.hash, row.action, row.id],
        )
        prev_hash = row.hash


def verify(capsys) -> tuple[int, str, str]:
    code = 0
    try:
        call_command("audit", "verify")
    except SystemExit as exited:
        code = int(exited.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def chain(world):
    """Four rows on 新野县's chain (grid memberships), oldest first."""
    for user in ("zhuangying", "maoqiao"):
        for grid in ("毛桥村第1网格", "庄营村第1网格"):
            do_add_membership(world.user("zhen"), world.user(user), world.unit(grid), "grid_worker")
    return list(AuditEntry.objects.filter(chain=audit.chain_of(world.unit("新野县"))).order_by("seq"))


def test_every_action_extends_the_chain_and_verify_passes(world, capsys):
    do_add_membership(world.user("zhen"), world.user("maoqiao"), world.unit("毛桥村第1网格"), "grid_worker")
    entry = AuditEntry.objects.latest("id")
    assert entry.action == "membership.create" and entry.actor == world.user("zhen")
    assert entry.unit == world.unit("毛桥村第1网格")
    assert entry.after["role"] == "grid_worker"
    call_command("audit", "verify")
    assert "审计链完好" in capsys.readouterr().out


def test_each_county_has_its_own_chain_and_rows_without_a_unit_go_to_the_global_one(world):
    do_add_membership(world.user("zhen"), world.user("maoqiao"), world.unit("毛桥村第1网格"), "grid_worker")
    tanghe = world.unit("唐河县")
    with transaction.atomic():
        audit.record(actor=SYSTEM, action="test.tanghe", object_type="t", object_id="1", unit=tanghe)
        audit.record(actor=SYSTEM, action="test.global", object_type="t", object_id="2")
    xinye = AuditEntry.objects.get(action="membership.create")
    assert xinye.chain == world.unit("新野县").code[:6]
    there = AuditEntry.objects.get(action="test.tanghe")
    assert there.chain == tanghe.code[:6] != xinye.chain
    assert AuditEntry.objects.get(action="test.global").chain == audit.GLOBAL_CHAIN
    for chain in (xinye.chain, there.chain, audit.GLOBAL_CHAIN):
        seqs = list(AuditEntry.objects.filter(chain=chain).order_by("seq").values_list("seq", flat=True))
        assert seqs == list(range(1, len(seqs) + 1))
    assert {r.chain for r in audit.verify_chains()} >= {xinye.chain, there.chain, audit.GLOBAL_CHAIN}
    assert all(r.ok for r in audit.verify_chains())


def test_the_database_refuses_to_change_or_delete_audit_rows(chain):
    for sql in ("UPDATE core_auditentry SET action = 'forged'", "DELETE FROM core_auditentry"):
        with pytest.raises(DatabaseError, match="审计记录只能追加"), transaction.atomic(), connection.cursor() as c:
            c.execute(sql)
    assert AuditEntry.objects.count() >= len(chain)
    assert not AuditEntry.objects.filter(action="forged").exists()


@on_postgres
def test_postgres_refuses_to_truncate_the_audit_table(chain):
    with pytest.raises(DatabaseError, match="审计记录只能追加"), transaction.atomic(), connection.cursor() as c:
        c.execute("SET CONSTRAINTS ALL IMMEDIATE")  # TRUNCATE waits for nothing pending from the fixture's inserts
        c.execute("TRUNCATE core_auditentry CASCADE")


@on_postgres
def test_recording_locks_only_its_own_countys_chain(world):
    with transaction.atomic():
        audit.record(actor=SYSTEM, action="x", object_type="t", object_id="1", unit=world.unit("毛桥村"))
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT classid::bigint, objid::bigint FROM pg_locks"
                " WHERE locktype = 'advisory' AND pid = pg_backend_pid()"
            )
            held = cursor.fetchall()
    assert held == [(audit._LOCK_CLASS, int(world.unit("新野县").code[:6]))]


def test_verify_names_the_row_that_was_altered_in_the_database(chain, capsys):
    as_attacker("UPDATE core_auditentry SET action = %s WHERE id = %s", ["membership.delete", chain[0].id])
    code, _out, err = verify(capsys)
    assert code == 1
    assert f"第 {chain[0].id} 号记录内容与哈希不符" in err


def test_verify_notices_a_deleted_row(chain, capsys):
    as_attacker("DELETE FROM core_auditentry WHERE id = %s", [chain[1].id])
    code, _out, err = verify(capsys)
    assert code == 1
    assert f"第 {chain[2].id} 号记录与上一条记录的链接不符" in err


def test_verify_notices_rows_deleted_from_the_end_of_a_chain_through_the_anchor(chain, capsys):
    call_command("audit", "anchor")
    assert verify(capsys)[0] == 0
    as_attacker("DELETE FROM core_auditentry WHERE id IN (%s, %s)", [chain[-1].id, chain[-2].id])
    code, _out, err = verify(capsys)
    assert code == 1
    assert f"只有 {len(chain) - 2} 条，少于" in err and f"锚定的 {len(chain)} 条" in err


def test_verify_notices_a_truncated_table_through_the_anchor(chain, capsys):
    call_command("audit", "anchor")
    as_attacker("DELETE FROM core_auditentry")
    code, _out, err = verify(capsys)
    assert code == 1
    assert "只有 0 条" in err and "整表被截断" in err


def test_verify_notices_rows_deleted_from_the_end_and_then_written_again(chain, world, capsys):
    call_command("audit", "anchor")
    as_attacker("DELETE FROM core_auditentry WHERE id = %s", [chain[-1].id])
    do_add_membership(world.user("zhen"), world.user("wangge"), world.unit("庄营村第1网格"), "grid_worker")
    code, _out, err = verify(capsys)
    assert code == 1
    assert "锚定的链头不符" in err


def test_verify_notices_a_row_rewritten_and_every_later_row_rehashed_without_the_key(chain, capsys):
    chain[1].action = "membership.delete"
    rehash(chain[1:], b"a guessed key")
    code, _out, err = verify(capsys)
    assert code == 1
    assert f"第 {chain[1].id} 号记录内容与哈希不符" in err


def test_verify_notices_a_chain_rehashed_with_the_key_itself_through_the_anchor(chain, capsys):
    call_command("audit", "anchor")
    chain[0].action = "membership.delete"
    rehash(chain, audit.audit_key())
    code, _out, err = verify(capsys)
    assert code == 1
    assert f"第 {chain[-1].id} 号记录与" in err and "锚定的链头不符" in err


def test_verify_refuses_an_anchor_file_with_a_forged_line(chain, capsys, settings):
    call_command("audit", "anchor")
    path = settings.XINGYAO_AUDIT_ANCHOR
    line = json.loads(path.read_text().splitlines()[0])
    path.write_text(json.dumps({**line, "count": 1}) + "\n")
    code, _out, err = verify(capsys)
    assert code == 1
    assert "锚点文件第 1 行格式或签名不符" in err


def test_verify_appends_the_heads_it_verified_to_the_anchor_file(chain, capsys, settings):
    assert verify(capsys)[0] == 0
    anchors, problems = audit.read_anchors()
    assert not problems
    county = chain[0].chain
    assert anchors[county][len(chain)].head.hash == chain[-1].hash


def test_flush_wipes_the_audit_chains_and_keeps_their_old_anchors_aside(transactional_db, settings, capsys):
    with transaction.atomic():
        audit.record(actor=SYSTEM, action="x", object_type="t", object_id="1")
    call_command("audit", "anchor")
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEntry.objects.exists()
    assert not settings.XINGYAO_AUDIT_ANCHOR.exists()
    assert len(list(settings.XINGYAO_AUDIT_ANCHOR.parent.glob("anchors.jsonl.flushed-*"))) == 1
    assert verify(capsys)[0] == 0


def test_audit_rows_cannot_be_changed_or_deleted_through_the_orm(world):
    do_add_membership(world.user("zhen"), world.user("maoqiao"), world.unit("毛桥村第1网格"), "grid_worker")
    entry = AuditEntry.objects.latest("id")
    entry.action = "forged"
    with pytest.raises(RuntimeError):
        entry.save()
    with pytest.raises(RuntimeError):
        entry.delete()


def test_recording_outside_a_transaction_is_refused(transactional_db):
    with pytest.raises(RuntimeError):
        audit.record(actor=SYSTEM, action="x", object_type="t", object_id="1")


def test_a_failed_action_leaves_no_audit_row(world):
    count = AuditEntry.objects.count()
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        audit.record(actor=SYSTEM, action="x", object_type="t", object_id="1")
        1 / 0  # noqa: B018
    assert AuditEntry.objects.count() == count


def test_audit_page_shows_only_the_admins_subtree(world, login):
    do_add_membership(world.user("zhen"), world.user("maoqiao"), world.unit("毛桥村第1网格"), "grid_worker")
    from xingyao.places.actions import do_create_unit

    do_create_unit(
        world.user("shian"),
        code=world.unit("施东村").code + "009",
        name="施东村第9网格",
        kind="grid",
        parent=world.unit("施东村"),
    )
    page = login("zhen").get("/audit/").content.decode()
    assert "乡镇管理员 刘洋 授予角色「" in page
    assert "membership.create" not in page
    assert "施东村第9网格" not in page
    assert "施东村第9网格" in login("shian").get("/audit/").content.decode()


def test_the_migration_splits_the_old_single_chain_by_county_and_signs_it(transactional_db):
    import hashlib

    from django.db.migrations.executor import MigrationExecutor
    from django.utils import timezone

    old_state, new_state = [("core", "0001_audit_chain_workdays")], [("core", "0003_audit_append_only_triggers")]
    executor = MigrationExecutor(connection)
    executor.migrate(old_state)
    apps = executor.loader.project_state(old_state).apps
    Unit, OldEntry = apps.get_model("places", "Unit"), apps.get_model("core", "AuditEntry")
    county = Unit.objects.create(code="411329000000", prefix="411329", name="新野县", kind="county")
    other = Unit.objects.create(code="411328000000", prefix="411328", name="唐河县", kind="county")
    prev = audit.GENESIS
    for n, unit in enumerate([county, other, None, county]):
        row = OldEntry(at=timezone.now(), unit=unit, object_type="t", object_id=str(n), action="x", prev_hash=prev)
        body = json.dumps(
            {
                "at": row.at.isoformat(timespec="microseconds"),
                **{"actor": None, "actor_name": "", "unit": row.unit_id, "object_type": "t", "object_id": str(n)},
                **{"object_repr": "", "action": "x", "before": None, "after": None},
            },
            sort_keys=True,
            ensure_ascii=False,
            separators=(",", ":"),
        )
        row.hash = prev = hashlib.sha256((prev + body).encode()).hexdigest()
        row.save()
    MigrationExecutor(connection).migrate(new_state)
    reports = {r.chain: r for r in audit.verify_chains({})}
    assert {c: (r.count, r.ok) for c, r in reports.items()} == {"": (1, True), "411328": (1, True), "411329": (2, True)}
    latest = MigrationExecutor(connection)  # the later migrations (core.Counter …) back for the tests after this one
    latest.migrate(latest.loader.graph.leaf_nodes())
