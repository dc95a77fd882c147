"""A village clerk's field forms without signal: a Party-life meeting and an environment work, written where they
happened, wait on the phone as "待上传" with their photo and arrive once when the signal returns."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from xingyao.conftest import sign_in
from xingyao.grid.tests import factories as gf
from xingyao.home.tests.test_browser import _click
from xingyao.livability.models import Photo as WorkPhoto
from xingyao.livability.models import Work
from xingyao.partylife.models import Meeting, MeetingPhoto

pytestmark = pytest.mark.browser


def _meeting(page: Any) -> None:
    page.select_option("#id_kind", value="committee")
    page.fill("#id_held_on", "2023-03-05")
    page.fill("#id_topic", "3月支委会（无信号处登记）")
    page.fill("#id_led_by", "毛德胜")
    page.fill("#id_expected", "5")
    page.fill("#id_present", "5")
    page.set_input_files("#id_photos", files=[{"name": "签到表.png", "mimeType": "image/png", "buffer": gf.png()}])


def _work(page: Any) -> None:
    page.select_option("#id_kind", value="road_repair")
    page.fill("#id_quantity", "320")
    page.select_option("#id_measure", value="m")
    page.fill("#id_place", "村委会至小学道路")
    page.fill("#id_started_on", "2023-04-03")
    page.set_input_files("#id_after", files=[{"name": "完工.png", "mimeType": "image/png", "buffer": gf.png()}])


FORMS = {
    "meeting": ("partylife.list", "/partylife/new/", "3月支委会（无信号处登记）", _meeting, Meeting, MeetingPhoto),
    "work": ("livability.works", "/livability/new/", "", _work, Work, WorkPhoto),
}


@pytest.mark.service_worker
@pytest.mark.parametrize("name", FORMS)
def test_a_clerks_record_made_offline_arrives_once_with_its_photo(page, browser_world, name):
    tile, path, label, fill_in, model, photo = FORMS[name]
    sign_in(page, "maoqiao")
    _click(page, f"#work a.tile[data-key='{tile}']")
    _click(page, f"main a.button[href='{path}']")
    page.evaluate("navigator.serviceWorker.ready")  # installed: it kept the form for the fields
    assert page.evaluate("(url) => caches.match(url).then((r) => !!r)", path)

    page.context.set_offline(True)
    fill_in(page)
    page.locator("form[data-offline] button[type=submit]").click()
    expect(page.locator(".offline-said")).to_contain_text("已保存在手机上")
    expect(page.locator("[data-outbox]")).to_contain_text("待上传 1 条")
    # named by its topic, or else by the form's own name
    label = label or page.locator("form[data-offline]").get_attribute("data-offline-label") or "?"
    expect(page.locator("[data-outbox]")).to_contain_text(label)
    assert not model.objects.exists()

    page.context.set_offline(False)
    expect(page.locator("[data-outbox]")).to_be_hidden()
    record = model.objects.get()
    assert photo.objects.count() == 1
    page.reload()
    expect(page.locator("[data-outbox]")).to_be_hidden()
    assert model.objects.get() == record
    assert not page.console_errors, page.console_errors
