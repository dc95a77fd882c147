"""The download buttons in a browser: a click on a boosted page saves the file, it is not swapped into the page."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from xingyao.assessments.tests import fixtures as f
from xingyao.assessments.workflow import State
from xingyao.conftest import sign_in

pytestmark = pytest.mark.browser


def test_the_town_admin_clicks_through_to_the_rankings_and_downloads_the_sheet(page, browser_world):
    w = browser_world
    f.at_state(w, State.COUNTY_APPROVED, "毛桥村")
    sign_in(page, "zhen")
    page.goto(f"/assessments/overview/{w.unit('溧河铺镇').code}/2023/")
    page.get_by_role("link", name="排名", exact=True).click()  # a boosted click: only the body is swapped
    page.wait_for_url("**/rankings/**")
    with page.expect_download() as download:
        page.get_by_role("link", name="导出排名（Excel）").click()
    saved = download.value
    assert saved.suggested_filename == "溧河铺镇2023年度星级排名.xlsx"
    with open(saved.path(), "rb") as handle:
        sheet = load_workbook(io.BytesIO(handle.read())).active
    assert sheet["A1"].value == "溧河铺镇2023年度“五星”支部创建星级排名表"
    assert "毛桥村" in [c.value for c in sheet["C"]]
    assert "年度排名" in page.title()  # the page stayed as it was
