"""On a 390 px phone: from the menu to the briefing, its figures lead to their records, and issuing asks first."""

from __future__ import annotations

import pytest

from xingyao.briefings.models import Briefing
from xingyao.briefings.tests import factories as f
from xingyao.conftest import sign_in
from xingyao.livability.tests import factories as lf

pytestmark = pytest.mark.browser


def test_a_town_official_reads_the_briefing_on_a_phone_follows_a_figure_and_issues_it(page, browser_world):
    lf.work(browser_world, "毛桥村", kind="drain", quantity=1234, place="毛桥村排水沟")
    briefing = f.generated(browser_world)
    sign_in(page, "zhen")
    page.click("nav.menu a[data-key='briefings.list']")
    page.wait_for_url("**/briefings/")
    page.click(f"text={briefing.title}")
    page.wait_for_url(f"**/briefings/{briefing.pk}/")
    page.wait_for_load_state("networkidle")  # the page's stylesheet, loaded after a boosted swap
    wide = page.evaluate(
        "[...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right > 391)"
        ".map(e => e.tagName + '.' + e.className + ':' + Math.round(e.getBoundingClientRect().right)).slice(0, 8)"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, wide
    assert page.text_content("a.figure:has-text('1000余米')")

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="签发通报").click()
    page.wait_for_selector("text=通报已签发")
    assert Briefing.objects.unscoped("a test").get(pk=briefing.pk).issued

    page.click("a.figure:has-text('1000余米')")
    page.wait_for_url("**/livability/**")
    assert page.text_content("body") and "毛桥村排水沟" in page.text_content("body")
    assert not page.console_errors
