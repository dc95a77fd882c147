"""A town admin posts on his grids only people he already administers, or new accounts in his subtree."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from xingyao.accounts.models import Membership, User
from xingyao.core.models import AuditEntry
from xingyao.core.sheets import ImportFailed
from xingyao.grid import actions
from xingyao.grid.models import GridPost


def _sheet(rows: list[tuple[str, ...]]) -> io.BytesIO:
    book = Workbook()
    book.active.append(["网格代码", "姓名", "手机号", "岗位", "登录名"])
    for row in rows:
        book.active.append(list(row))
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def _post(client, world, username: str, **extra: str):  # type: ignore[no-untyped-def]
    grid = world.unit("毛桥村第1网格")
    data = {"grid": grid.pk, "username": username, "post": "worker", **extra}
    return client.post(f"/grid/people/{world.unit('溧河铺镇').code}/add/", data, follow=True)


def test_a_town_admin_cannot_post_a_user_of_another_town_on_his_grid(world, login):
    stranger = world.user("shidong")  # 施东村's clerk, in 施庵镇
    zhen = login("zhen")
    page = _post(zhen, world, "shidong").content.decode()
    assert "辖区外的用户" in page
    assert list(Membership.objects.unscoped("test").filter(user=stranger).values_list("role", flat=True)) == [
        "village_clerk"
    ]
    assert not GridPost.objects.unscoped("test").exists()
    assert zhen.get(f"/accounts/users/{stranger.pk}/").status_code == 404  # his name, phone and tokens stay hidden


def test_a_town_admin_cannot_import_a_user_of_another_town(world):
    upload = _sheet([(world.unit("毛桥村第1网格").code, "施小东", "13800000011", "网格员", "shidong")])
    with pytest.raises(ImportFailed) as failed:
        actions.do_import_workers(world.user("zhen"), upload, "x.xlsx", "网格初始密码2023")
    assert [(e.column, "辖区外" in e.message) for e in failed.value.errors] == [("登录名", True)]
    assert Membership.objects.unscoped("test").filter(user=world.user("shidong")).count() == 1
    assert not GridPost.objects.unscoped("test").exists()


def test_a_town_admin_posts_his_own_people_and_new_accounts_through_accounts(world, login):
    zhen = login("zhen")
    _post(zhen, world, "maoqiao")  # 毛桥村's clerk: inside 溧河铺镇
    _post(zhen, world, "13800000012", full_name="毛新人", phone="13800000012", password="网格初始密码2023")
    posted = set(GridPost.objects.unscoped("test").values_list("membership__user__username", flat=True))
    assert posted == {"maoqiao", "13800000012"}
    new = User.objects.unscoped("test").get(username="13800000012")
    assert new.check_password("网格初始密码2023")
    actions_written = list(AuditEntry.objects.unscoped("test").values_list("action", flat=True))
    assert actions_written.count("membership.create") == 2 and "user.create" in actions_written


def test_a_new_account_whose_post_is_refused_is_not_created(world, login):
    zhen = login("zhen")
    actions.do_assign_post(world.user("zhen"), grid=world.unit("毛桥村第1网格"), user=world.user("wangge"), post="head")
    page = _post(
        zhen, world, "13800000013", full_name="毛二", phone="13800000013", password="网格初始密码2023", post="head"
    ).content.decode()
    assert "已有网格长" in page
    assert not User.objects.unscoped("test").filter(username="13800000013").exists()
