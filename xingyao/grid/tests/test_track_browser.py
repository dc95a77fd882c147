"""On a phone (390×844), a resident reports, keeps his receipt and checks his report by its number, clicking."""

import pytest

from xingyao.grid import actions
from xingyao.grid.models import Event
from xingyao.grid.tests import factories as f

pytestmark = pytest.mark.browser


def test_a_resident_checks_his_report_by_its_number(page, browser_world):
    f.categories(browser_world)
    link = actions.do_rotate_resident_link(browser_world.user("zhen"), browser_world.unit("毛桥村"))
    page.goto(f"/grid/r/{link.token}/")
    page.select_option("#id_category", index=1)
    page.fill("#id_description", "主街东段路灯不亮已经一周")
    page.fill("#id_contact_name", "张大爷")
    page.fill("#id_contact_phone", "13712345678")
    page.get_by_role("button", name="提交").click()
    page.wait_for_selector("text=已收到，谢谢您")
    event = Event.objects.get()
    receipt = page.text_content("main")
    assert event.number in receipt
    code = receipt.split("查询码：")[1].strip()[:8]

    page.get_by_role("link", name="查看办理进展").click()
    page.wait_for_selector(".track-state")
    assert page.text_content(".track-state") == "待受理"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    # Days later, from the form on the tracking page: a mistyped code first, then the right one.
    page.goto("/grid/track/")
    page.fill("#t-number", event.number)
    page.fill("#t-code", "WRONGCOD")
    page.get_by_role("button", name="查询").click()
    page.wait_for_selector("text=没有查到这条反映")
    page.console_errors.clear()  # that answer is a 404 on purpose (as for an unknown number), which Chromium logs
    page.fill("#t-code", code.lower())
    page.get_by_role("button", name="查询").click()
    page.wait_for_selector(".track-state")
    main = page.text_content("main")
    assert event.number in main and "等待网格员受理" in main
    assert "张大爷" not in main and "13712345678" not in main and "主街东段" not in main
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert not page.console_errors
