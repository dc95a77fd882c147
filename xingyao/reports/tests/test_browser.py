"""From the dashboard to the records, by clicking: a chart's table row on a phone, a chart's bar on a desktop."""

from __future__ import annotations

import pytest

from xingyao.conftest import sign_in
from xingyao.grid.tests import factories as gf

pytestmark = pytest.mark.browser

CHART = "section.dash-chart:has(h3:text('网格事件分类统计'))"


def _open_dashboard(page, world) -> None:  # type: ignore[no-untyped-def]
    gf.event(world, title="村东路灯不亮")
    gf.event(world, unit="施东村", title="施东村的事件")  # another town's: never on 溧河铺镇's pages
    sign_in(page, "zhen")
    page.click("nav.menu a[data-key='reports.dashboard']")
    page.wait_for_url("**/reports/**")
    page.wait_for_selector(f"{CHART} canvas")


def test_on_a_phone_the_tables_row_opens_the_records_behind_it(page, browser_world):
    _open_dashboard(page, browser_world)
    table = page.locator(f"{CHART} table")
    chart = page.locator(f"{CHART} .chart")
    assert table.bounding_box()["y"] < chart.bounding_box()["y"], "a phone shows the table first"
    table.get_by_role("link", name="1").click()
    page.wait_for_url("**/grid/?**category=**")
    main = page.text_content("main") or ""
    assert "村东路灯不亮" in main
    assert "施东村的事件" not in main
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert not page.console_errors, page.console_errors


def test_on_a_desktop_a_click_on_the_charts_bar_opens_the_records_behind_it(page, browser_world):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.emulate_media(reduced_motion="reduce")  # the bars are drawn at once, where the click lands
    _open_dashboard(page, browser_world)
    page.locator(f"{CHART} .chart").scroll_into_view_if_needed()
    x, y = page.locator(f"{CHART} .chart").evaluate(
        """(element) => {
            const chart = window.echarts.getInstanceByDom(element);
            const [x, y] = chart.convertToPixel({ seriesIndex: 0 }, [0, 0.5]);
            const box = element.getBoundingClientRect();
            return [box.left + x, box.top + y];
        }"""
    )
    page.mouse.click(x, y)
    page.wait_for_url("**/grid/?**category=**")
    assert "村东路灯不亮" in (page.text_content("main") or "")
    assert not page.console_errors, page.console_errors
