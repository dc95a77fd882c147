"""The audit page speaks Chinese: registered phrases, model names and choices, never keys or Python values."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from xingyao.accounts.actions import do_add_membership, do_create_user
from xingyao.core import audit, audit_text
from xingyao.core.models import AuditEntry
from xingyao.core.workdays import do_set_workday_override

RAW = ("True", "False", "None", "{'", "_id", "membership.", "user.", "workday.", "grid_worker", "is_active")


def test_admin_changes_read_as_sentences_with_roles_names_and_labels(world, login):
    zhen = world.user("zhen")
    grid = world.unit("毛桥村第1网格")
    new = do_create_user(
        zhen, username="xiaoli", full_name="李小丽", phone="", password="pass-word-1", unit=grid, role="grid_worker"
    )
    do_add_membership(zhen, world.user("maoqiao"), grid, "grid_worker")
    with transaction.atomic():  # as do_set_user_active writes it, placed in the town so its admin sees it
        audit.record(
            actor=zhen,
            action="user.deactivate",
            obj=new,
            unit=grid,
            before={"is_active": True},
            after={"is_active": False},
        )
    do_set_workday_override(zhen, world.unit("溧河铺镇"), dt.date(2024, 2, 18), True, "春节调休")

    page = login("zhen").get("/audit/").content.decode()
    assert "乡镇管理员 刘洋 新建用户「李小丽（xiaoli）」" in page
    assert "乡镇管理员 刘洋 授予角色「" in page
    assert "角色：网格员" in page and "单位：毛桥村第1网格" in page
    assert "乡镇管理员 刘洋 停用账号「李小丽（xiaoli）」" in page
    assert "账号状态 由 正常 改为 已停用" in page
    assert "乡镇管理员 刘洋 设置工作日调整「2024-02-18 工作日」" in page
    assert "是否工作日：是" in page and "ID：" not in page
    for raw in RAW:
        assert raw not in page.split("<table", 1)[1], raw


def test_the_filter_offers_kinds_of_record_by_name_and_narrows_to_one(world, login):
    do_set_workday_override(world.user("zhen"), world.unit("溧河铺镇"), dt.date(2024, 2, 18), True, "调休")
    do_add_membership(world.user("zhen"), world.user("maoqiao"), world.unit("毛桥村第1网格"), "grid_worker")
    client = login("zhen")
    page = client.get("/audit/").content.decode()
    assert '<option value="workday.">工作日调整</option>' in page
    only = client.get("/audit/?action=workday.").content.decode()
    assert "设置工作日调整" in only and "授予角色" not in only


def test_a_unit_the_viewer_cannot_see_stays_a_number_and_unknown_keys_stay_unnamed(world, login):
    outside = world.unit("施东村")
    with transaction.atomic():
        audit.record(
            actor=world.user("zhen"),
            action="membership.create",
            object_type="accounts.membership",
            object_id="1",
            object_repr="某人",
            unit=world.unit("毛桥村"),
            after={"unit_id": outside.pk, "mystery": {"a": [1, True]}},
        )
    page = login("zhen").get("/audit/").content.decode()
    assert f"单位：编号 {outside.pk}" in page
    assert "施东村" not in page
    assert "其他信息：a：1、是" in page


def test_an_unregistered_action_falls_back_to_verb_and_model_name():
    assert audit_text.action_label("unit.create", "places.unit") == "新建单位"
    assert audit_text.action_label("nothing.known") == "操作"


def test_the_page_is_described_in_a_fixed_number_of_queries(world, login, django_assert_max_num_queries):
    zhen = world.user("zhen")
    for n in range(12):
        do_set_workday_override(zhen, world.unit("溧河铺镇"), dt.date(2024, 3, 1 + n), n % 2 == 0, f"第{n}次")
    assert AuditEntry.objects.count() >= 12
    client = login("zhen")
    with django_assert_max_num_queries(12):
        assert client.get("/audit/").status_code == 200
