"""Lists on a 390 px phone, reached by clicking the menu: no page scrolls sideways, table rows are cards with each
value under its column's name, filters fold behind "筛选" and what is filtered shows as a chip that clears it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from xingyao.conftest import sign_in
from xingyao.home.tests import fixtures as hf
from xingyao.home.tests.test_browser import _click, _menu, _watch

pytestmark = pytest.mark.browser

ROW = ".table-wrap > table > tbody > tr"


@pytest.mark.parametrize("username", ["zhen", "maoqiao", "xian"])
def test_every_list_reached_from_the_menu_reads_as_cards_on_a_phone(page, browser_world, username):
    hf.busy(browser_world)
    failures = _watch(page)
    sign_in(page, username)
    cards = 0
    for key, _label in _menu(page):
        _click(page, f"nav.menu a[data-key='{key}']")
        assert not failures, (username, key, failures)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, (username, key, page.url)
        rows = page.locator(ROW)
        if rows.count():
            first = rows.first
            assert first.evaluate("row => getComputedStyle(row).display") == "block", (key, "rows are cards")
            labelled = first.locator("td[data-label]")
            assert labelled.count() >= 1, (key, "cells carry their column's name")
            cards += 1
        for form in page.locator("form.filters").all():
            expect(form).to_be_hidden()  # folded behind 筛选 on a phone
        if not page.locator("nav.menu").count():  # the public board: the residents' site, not the staff menu
            assert "/public/" in page.url, (username, key, page.url)
            page.goto("/home/")  # back to the staff site, as a bookmark would
    assert cards, f"{username} met no list with rows"
    assert not page.console_errors, page.console_errors


def test_a_filter_shows_as_a_chip_that_clears_it(page, browser_world):
    work = hf.busy(browser_world)
    sign_in(page, "zhen")
    _click(page, "nav.menu a[data-key='grid.events']")
    expect(page.locator(".filter-chip")).to_have_count(0)
    page.click(".filter-fold > summary")
    page.select_option("#f-state", "reported")
    chip = page.locator(".filter-chip")
    expect(chip).to_have_text("状态：待受理 ×")
    expect(page.locator("#event-table")).to_contain_text(work.reported.title)
    expect(page.locator("#event-table")).not_to_contain_text(work.dispatched.title)
    page.click(".filter-chip button")
    expect(page.locator(".filter-chip")).to_have_count(0)
    expect(page.locator("#event-table")).to_contain_text(work.dispatched.title)
    assert page.locator("#f-state").input_value() == ""


def test_a_cards_folded_columns_open_when_the_card_is_tapped(page, browser_world):
    hf.busy(browser_world)
    sign_in(page, "zhen")
    _click(page, "nav.menu a[data-key='grid.events']")
    card = page.locator(ROW).first
    folded = card.locator("td[data-label='承办部门']")
    expect(folded).to_be_hidden()
    card.locator("td[data-label='状态']").click()
    expect(folded).to_be_visible()
