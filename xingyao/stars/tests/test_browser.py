"""Editing a draft's indicator inline with HTMX, under the Content-Security-Policy, on a phone."""

import pytest

from xingyao.conftest import sign_in
from xingyao.stars.tests.fixtures import draft_set

pytestmark = pytest.mark.browser


def test_county_admin_edits_an_indicator_in_place_and_the_row_shows_the_new_points(page, browser_world):
    criteria_set = draft_set(browser_world)
    indicator = criteria_set.indicators.get(code="branch.1.2")
    sign_in(page, "xian")
    page.goto(f"/stars/criteria/{criteria_set.pk}/")
    row = page.locator(f"#indicator-{indicator.pk}")
    row.get_by_role("button", name="编辑").click()
    form = page.locator(f"#indicator-{indicator.pk} form")
    form.locator("input[name=points]").fill("15")
    form.get_by_role("button", name="保存").click()
    page.wait_for_selector(f"#indicator-{indicator.pk} >> text=15")
    assert page.url.endswith(f"/stars/criteria/{criteria_set.pk}/")
    indicator.refresh_from_db()
    assert indicator.points == 15
    assert not page.console_errors
