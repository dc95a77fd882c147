import io

import pytest
from openpyxl import Workbook, load_workbook

from xingyao.accounts.models import Membership, User
from xingyao.core.sheets import ImportFailed
from xingyao.grid import actions
from xingyao.grid.models import GridPost


def sheet(rows, header=("网格代码", "姓名", "手机号", "岗位", "登录名")) -> io.BytesIO:
    book = Workbook()
    book.active.append(list(header))
    for row in rows:
        book.active.append(list(row))
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "网格人员.xlsx"
    return out


def test_town_admin_imports_the_one_plus_one_plus_n_of_a_grid(world, login):
    grid = world.unit("毛桥村第1网格").code
    upload = sheet(
        [
            (grid, "毛建华", "13800000001", "网格长", ""),
            (grid, "刘志刚", "13800000002", "网格指导员", ""),
            (grid, "毛小兵", "13800000003", "网格员", "wangge"),
        ]
    )
    response = login("zhen").post(
        f"/grid/people/{world.unit('毛桥村').code}/import/", {"file": upload, "initial_password": "网格初始密码2023"}
    )
    assert response.status_code == 302
    posts = dict(GridPost.objects.values_list("membership__user__username", "post"))
    assert posts == {"13800000001": "head", "13800000002": "adviser", "wangge": "worker"}
    head = User.objects.get(username="13800000001")
    assert head.check_password("网格初始密码2023") and head.full_name == "毛建华"
    assert Membership.objects.filter(user=head, unit=world.unit("毛桥村第1网格"), role="grid_worker").exists()


def test_worker_import_reports_every_bad_row_and_writes_nothing(world):
    grid = world.unit("毛桥村第1网格").code
    upload = sheet(
        [
            (grid, "甲", "1380000000", "网格员", ""),
            ("411329107299001", "乙", "13800000005", "网格员", ""),
            (grid, "丙", "13800000006", "村长", ""),
            (grid, "丁", "13800000007", "网格长", ""),
            (grid, "戊", "13800000008", "网格长", ""),
            (world.unit("庄营村第1网格").code, "己", "13800000009", "网格员", ""),
        ]
    )
    with pytest.raises(ImportFailed) as failed:
        actions.do_import_workers(world.user("maoqiao"), upload, "x.xlsx", "网格初始密码2023")
    messages = [(e.row, e.column) for e in failed.value.errors]
    assert (2, "手机号") in messages and (3, "网格代码") in messages and (4, "岗位") in messages
    assert (6, "岗位") in messages  # a second 网格长 for the same grid
    assert any(e.row == 2 and e.column == "网格代码" for e in failed.value.errors)  # maoqiao administers nothing
    assert not User.objects.filter(username__startswith="138").exists() and not GridPost.objects.exists()


def test_a_grid_has_one_head_in_the_database_too(world):
    actions.do_assign_post(world.user("zhen"), grid=world.unit("毛桥村第1网格"), user=world.user("wangge"), post="head")
    with pytest.raises(Exception, match="已有网格长"):
        actions.do_assign_post(
            world.user("zhen"), grid=world.unit("毛桥村第1网格"), user=world.user("maoqiao"), post="head"
        )


def test_phones_of_grid_people_are_for_administrators_only(world, login):
    wangge = world.user("wangge")
    wangge.phone = "13912345678"
    wangge.save()
    actions.do_assign_post(world.user("zhen"), grid=world.unit("毛桥村第1网格"), user=wangge, post="worker")
    code = world.unit("毛桥村").code
    assert "13912345678" in login("zhen").get(f"/grid/people/{code}/").content.decode()
    page = login("maoqiao").get(f"/grid/people/{code}/").content.decode()
    assert "13912345678" not in page and "139****5678" in page
    book = load_workbook(io.BytesIO(login("maoqiao").get(f"/grid/people/{code}/export.xlsx").content))
    values = [str(v) for row in book.active.iter_rows(values_only=True) for v in row]
    assert "13912345678" not in values and "139****5678" in values


def test_exported_people_sheet_imports_back_unchanged(world, login):
    actions.do_assign_post(
        world.user("zhen"), grid=world.unit("毛桥村第1网格"), user=world.user("wangge"), post="worker"
    )
    User.objects.filter(username="wangge").update(phone="13912345678")
    content = login("zhen").get(f"/grid/people/{world.unit('溧河铺镇').code}/export.xlsx").content
    upload = io.BytesIO(content)
    result = actions.do_import_workers(world.user("zhen"), upload, "人员.xlsx", "")
    assert (result.users_created, result.posts_assigned, result.unchanged) == (0, 0, 1)
