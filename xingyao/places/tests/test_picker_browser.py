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


def test_the_event_list_follows_a_village_picked_in_its_filter(page, browser_world):
    from xingyao.grid.tests import factories as f

    f.categories(browser_world)
    f.event(browser_world, title="毛桥的事")
    f.event(browser_world, unit="庄营村第1网格", title="庄营的事")
    sign_in(page, "zhen")
    page.goto("/grid/")
    page.click(".filter-fold > summary")  # on a phone the filters fold behind 筛选
    page.fill("#f-village", "庄营")
    page.click("#f-village-results >> text=庄营村（村/社区 · 溧河铺镇）")
    page.wait_for_url("**/grid/?*village=*")
    page.wait_for_selector("#event-table >> text=庄营的事")
    assert "毛桥的事" not in page.text_content("#event-table")
    page.fill("#f-village", "")  # emptied: every village again
    page.wait_for_selector("#event-table >> text=毛桥的事")
    assert not page.console_errors


def test_a_town_triages_a_case_choosing_the_lead_and_the_joint_team_by_typing(page, browser_world):
    from xingyao.grid.tests import factories as f

    case = f.dispute(browser_world)
    sign_in(page, "zhen")
    page.goto(f"/disputes/{case.pk}/")
    page.fill("#id_lead_department", "司法")
    page.click("#id_lead_department-results >> text=溧河铺司法所（部门 · 溧河铺镇）")
    # The joint team starts as every department that serves the case; take one off, then add it back.
    page.click("[aria-label='移除溧河铺派出所']")
    assert "溧河铺派出所" not in page.text_content("[data-picker-chips]")
    page.fill("#id_team", "派出")
    page.click("#id_team-results >> text=溧河铺派出所（部门 · 溧河铺镇）")
    page.get_by_role("button", name="分流").click()
    page.wait_for_selector("text=已分流")
    case.refresh_from_db()
    assert case.lead_department == browser_world.unit("溧河铺司法所")
    assert "溧河铺派出所" in set(case.team_members.values_list("department__name", flat=True))
    assert not page.console_errors
