import pytest
from django.core.management import call_command
from django.db import connection, transaction

from xingyao.accounts.actions import do_add_membership
from xingyao.core import audit
from xingyao.core.models import AuditEntry


def test_every_action_extends_the_chain_and_verify_passes(world, capsys):
    do_add_membership(world.user("zhen"), world.user("maoqiao"), world.unit("毛桥村第1网格"), "grid_worker")
    entry = AuditEntry.objects.latest("id")
    assert entry.action == "membership.create" and entry.actor == world.user("zhen")
    assert entry.unit == world.unit("毛桥村第1网格")
    assert entry.after["role"] == "grid_worker"
    call_command("audit", "verify")
    assert "审计链完好" in capsys.readouterr().out


def test_verify_names_the_row_that_was_altered_in_the_database(world, capsys):
    for name in ("毛桥村第1网格", "庄营村第1网格"):
        do_add_membership(world.user("zhen"), world.user("zhuangying"), world.unit(name), "grid_worker")
    first = AuditEntry.objects.order_by("id").first()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditentry SET action = %s WHERE id = %s", ["membership.delete", first.id])
    with pytest.raises(SystemExit) as exited:
        call_command("audit", "verify")
    assert exited.value.code == 1
    assert f"第 {first.id} 号记录" in capsys.readouterr().err


def test_verify_notices_a_deleted_row(world, capsys):
    for name in ("毛桥村第1网格", "庄营村第1网格"):
        do_add_membership(world.user("zhen"), world.user("zhuangying"), world.unit(name), "grid_worker")
    first, second = AuditEntry.objects.order_by("id")[:2]
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditentry WHERE id = %s", [first.id])
    with pytest.raises(SystemExit):
        call_command("audit", "verify")
    assert f"第 {second.id} 号记录" in capsys.readouterr().err


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
        audit.record(actor=None, action="x", object_type="t", object_id="1")


def test_a_failed_action_leaves_no_audit_row(world):
    count = AuditEntry.objects.count()
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        audit.record(actor=None, action="x", object_type="t", object_id="1")
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
