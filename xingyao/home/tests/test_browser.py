"""Every persona walks his menu on a phone by clicking only (hx-boost swaps the body): each page answers with
content, the grid worker's report carries a location, the map draws, and the 达标 colours show."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from xingyao.conftest import sign_in
from xingyao.grid.models import Event
from xingyao.grid.tests import factories as gf
from xingyao.home.tests import fixtures as hf
from xingyao.home.tests.test_menu import EXPECTED

pytestmark = pytest.mark.browser

PERSONAS = ["xian", "xian_shenhe", "lingdao", "zhen", "zhen_shenhe", "maoqiao", "wangge", "paichusuo", "zhengfawei"]
HERE = {"latitude": 32.5201, "longitude": 112.3602}


def _watch(page) -> list[str]:  # type: ignore[no-untyped-def]
    """Failed page and HTMX requests (an error answer is not swapped in: the page would look unchanged)."""
    failures: list[str] = []
    page.on(
        "response",
        lambda r: (
            failures.append(f"{r.status} {r.url}")
            if r.status >= 400 and r.request.resource_type in ("document", "xhr", "fetch")
            else None
        ),
    )
    return failures


def _click(page, selector: str) -> None:  # type: ignore[no-untyped-def]
    """Click a link and wait until htmx has swapped the new page in."""
    page.evaluate(
        "() => { window.__settled = false;"
        " document.addEventListener('htmx:afterSettle', () => { window.__settled = true; }, { once: true }); }"
    )
    page.click(selector)
    page.wait_for_function("() => window.__settled === true")


def _menu(page) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    links = page.locator("nav.menu a[data-key]")
    return [(a.get_attribute("data-key"), a.inner_text()) for a in links.all() if a.get_attribute("data-key") != "home"]


@pytest.mark.parametrize("username", PERSONAS)
def test_each_persona_walks_his_menu_by_clicking(page, browser_world, username):
    hf.busy(browser_world)
    failures = _watch(page)
    sign_in(page, username)
    menu = _menu(page)
    assert menu, f"{username} has no menu"
    assert [key for key, _ in menu] == [a.get_attribute("data-key") for a in page.locator("#work a.tile").all()], (
        "the home page offers the menu's work as tiles"
    )
    for key, label in menu:
        _click(page, f"nav.menu a[data-key='{key}']")
        main = page.text_content("main") or ""
        assert not failures, (username, key, failures)
        assert page.locator("main h1").count() >= 1, (username, key)
        assert "页面不存在" not in main and "无权访问" not in main, (username, key)
        expected = EXPECTED.get((username, key))
        if expected:
            assert expected in main, (username, key, label, page.url)
        if not page.locator("nav.menu").count():  # the public board: the residents' site, not the staff menu
            assert "/public/" in page.url, (username, key, page.url)
            page.goto("/home/")  # back to the staff site, as a bookmark would
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert not page.console_errors, page.console_errors


def test_the_grid_worker_reports_with_his_location_reached_by_click(page, browser_world):
    gf.categories(browser_world)
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation(HERE)
    sign_in(page, "wangge")
    assert page.locator("#work a.tile").first.inner_text() == "上报事件"
    _click(page, "#work a.tile.first")
    page.click("#locate")
    page.wait_for_function("() => document.getElementById('id_latitude').value !== ''")
    assert "已定位" in page.text_content("#locate-status")
    page.select_option("#id_category", label="垃圾乱堆乱放")
    page.fill("#id_title", "村口垃圾堆放未清运")
    page.fill("#id_description", "村口路边垃圾堆放三天未清运。")
    page.set_input_files("#id_photos", files=[{"name": "现场.png", "mimeType": "image/png", "buffer": gf.png()}])
    page.get_by_role("button", name="提交上报").click()
    page.wait_for_selector("text=已上报")
    event = Event.objects.get()
    assert (event.latitude, event.longitude) == (Decimal("32.520100"), Decimal("112.360200"))
    assert not page.console_errors, page.console_errors


def test_the_map_draws_when_reached_by_click(page, browser_world):
    hf.busy(browser_world)
    sign_in(page, "zhen")
    _click(page, "nav.menu a[data-key='grid.events']")  # a page without ECharts first
    _click(page, "nav.menu a[data-key='grid.map']")
    canvas = page.wait_for_selector("#event-map canvas")
    box = canvas.bounding_box()
    assert box and box["width"] > 0 and box["height"] > 0
    # Away and back again: drawn afresh, no second set of listeners failing.
    _click(page, "nav.menu a[data-key='grid.events']")
    _click(page, "nav.menu a[data-key='grid.map']")
    assert page.wait_for_selector("#event-map canvas").bounding_box()["width"] > 0  # type: ignore[index]
    assert not page.console_errors, page.console_errors


def test_the_pass_colours_show_on_an_assessment_reached_by_click(page, browser_world):
    hf.busy(browser_world)
    sign_in(page, "maoqiao")
    _click(page, "#work a.tile.first")  # 我的评定
    marks = page.locator("main .pass, main .fail")
    assert marks.count() > 0
    # The stylesheet in the swapped body loads after the swap settles: wait for it (up to Playwright's timeout)
    # rather than read the colour at once, which on a busy machine is still the body's ink.
    colours = re.compile(r"rgb\(27, 127, 59\)|rgb\(179, 38, 30\)")  # assessments.css
    expect(marks.first).to_have_css("color", colours)
