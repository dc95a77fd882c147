"""Posting people on grids is one durable transaction that uses accounts' building blocks, never its do_*.

Every `do_*` is `transaction.atomic(durable=True)`, so a `do_*` that calls another one raises RuntimeError:
if grid went back to calling `accounts.do_grant_role` / `do_create_user` inside its own transaction, the
posting tests below would fail.
"""

from __future__ import annotations

import io

import pytest
from django.db import transaction
from openpyxl import Workbook

from xingyao.accounts import actions as accounts
from xingyao.core.models import AuditEntry
from xingyao.core.roles import Role
from xingyao.grid import actions
from xingyao.grid.models import GridPost


def _audit_actions() -> list[str]:
    return sorted(AuditEntry.objects.unscoped("test").values_list("action", flat=True))


def test_accounts_do_star_refuse_to_run_inside_another_transaction(world):
    zhen, grid = world.user("zhen"), world.unit("毛桥村第1网格")
    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        accounts.do_grant_role(zhen, world.user("maoqiao"), grid, Role.GRID_WORKER)
    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        accounts.do_create_user(
            zhen, username="x1", full_name="", phone="", password="网格初始密码2023", unit=grid, role=Role.GRID_WORKER
        )


def test_grid_posting_actions_are_durable_themselves(world):
    zhen, grid = world.user("zhen"), world.unit("毛桥村第1网格")
    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        actions.do_assign_post(zhen, grid=grid, user=world.user("maoqiao"), post="worker")
    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        actions.do_post_person(zhen, grid=grid, post="worker", username="maoqiao")


def test_posting_a_new_account_writes_the_user_the_role_and_the_post_in_one_go(world):
    before = _audit_actions()
    post = actions.do_post_person(
        world.user("zhen"),
        grid=world.unit("毛桥村第1网格"),
        post="worker",
        username="13800000021",
        full_name="毛三",
        phone="13800000021",
        password="网格初始密码2023",
    )
    assert post.membership.user.username == "13800000021" and post.membership.role == Role.GRID_WORKER
    added = list(_audit_actions())
    for action in before:
        added.remove(action)
    assert sorted(added) == ["grid_post.assign", "membership.create", "user.create"]


def test_posting_an_existing_user_and_importing_go_through_the_same_blocks(world):
    zhen, grid = world.user("zhen"), world.unit("毛桥村第1网格")
    actions.do_post_person(zhen, grid=grid, post="adviser", username="maoqiao")
    book = Workbook()
    book.active.append(["网格代码", "姓名", "手机号", "岗位"])
    book.active.append([grid.code, "毛四", "13800000022", "网格员"])
    upload = io.BytesIO()
    book.save(upload)
    upload.seek(0)
    result = actions.do_import_workers(zhen, upload, "x.xlsx", "网格初始密码2023")
    assert (result.users_created, result.posts_assigned) == (1, 1)
    posted = dict(GridPost.objects.unscoped("test").values_list("membership__user__username", "post"))
    assert posted == {"maoqiao": "adviser", "13800000022": "worker"}
    assert {"grid_post.import", "grid_post.assign"} <= set(_audit_actions())
    # The import audits in bulk: one row per county chain naming the accounts it created and the posts it gave.
    summary = AuditEntry.objects.unscoped("test").get(action="grid_post.import")
    assert summary.after["users_created"] == ["13800000022"] and summary.after["count"] == 1


def test_building_blocks_refuse_a_stranger_like_the_actions(world):
    with transaction.atomic(), pytest.raises(Exception, match="辖区外"):
        accounts.grant_role(world.user("zhen"), world.user("shidong"), world.unit("毛桥村第1网格"), Role.GRID_WORKER)
