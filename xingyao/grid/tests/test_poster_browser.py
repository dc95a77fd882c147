"""The residents' QR poster printed from the browser: one A4 page per village, nothing of the site's chrome."""

import pytest

from xingyao.conftest import sign_in
from xingyao.grid.actions import do_rotate_resident_link

pytestmark = pytest.mark.browser


def _pages(pdf: bytes) -> int:
    return pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")


def test_a_town_prints_its_villages_posters_one_a4_page_each(page, browser_world):
    w = browser_world
    for name in ("毛桥村", "庄营村"):
        do_rotate_resident_link(w.user("zhen"), w.unit(name))
    sign_in(page, "zhen")
    page.goto(f"/grid/people/{w.unit('溧河铺镇').code}/")
    page.click("text=各村居民上报二维码海报")
    page.wait_for_selector(".poster svg")
    assert page.locator(".poster").count() == 2
    page.emulate_media(media="print")
    assert not page.locator(".topbar").is_visible() and not page.locator(".no-print").first.is_visible()
    assert page.locator(".poster svg").first.is_visible()
    assert _pages(page.pdf(format="A4")) == 2

    page.emulate_media(media="screen")  # page.pdf() prints with whatever media is emulated: back to print below
    page.goto(f"/grid/links/{w.unit('毛桥村').code}/")
    page.click("text=打印海报（A4）")
    page.wait_for_selector(".poster svg")
    page.emulate_media(media="print")
    assert _pages(page.pdf(format="A4")) == 1
