"""The unit picker in a browser: type, choose from the results, save."""

from __future__ import annotations

import pytest

from xingyao.accounts.models import Membership
from xingyao.conftest import sign_in

pytestmark = pytest.mark.browser


def test_town_admin_finds_a_grid_by_typing_and_creates_a_user_there(page, browser_world):
    sign_in(page, "zhen")
    page.goto("/accounts/users/new/")
    page.fill("#id_username", "xiaoli")
    page.fill("#id_full_name", "李小丽")
    page.fill("#id_password", "pass-word-2023")
    page.fill("#id_unit", "第1网")
    page.click("text=毛桥村第1网格（网格 · 毛桥村）")
    assert "已选：毛桥村第1网格" in page.text_content("[data-picker-chosen]")
    page.fill("#id_unit", "施")  # typing again forgets the choice; the other town is never offered
    page.wait_for_selector("text=没有找到，请换个名称或代码")
    page.fill("#id_unit", "毛桥村第1")
    page.click("text=毛桥村第1网格（网格 · 毛桥村）")
    page.select_option("#id_role", "grid_worker")
    page.get_by_role("button", name="保存").click()
    page.wait_for_selector("text=已创建用户")
    grid = browser_world.unit("毛桥村第1网格")
    assert Membership.objects.filter(user__username="xiaoli", unit=grid, role="grid_worker").exists()
    assert not page.console_errors
