"""A grid worker in a field without signal: his report, with its photo and location, waits on the phone as
"待上传" and arrives once when the signal returns."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from xingyao.conftest import sign_in
from xingyao.grid.models import Event, EventPhoto
from xingyao.grid.tests import factories as gf
from xingyao.home.tests.test_browser import HERE, _click

pytestmark = pytest.mark.browser


@pytest.mark.service_worker
def test_a_report_made_offline_arrives_once_with_its_photo_and_location(page, browser_world):
    gf.categories(browser_world)
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation(HERE)
    sign_in(page, "wangge")
    _click(page, "#work a.tile.first")  # 上报事件
    page.evaluate("navigator.serviceWorker.ready")
    kept = "(url) => caches.keys().then((k) => caches.open(k[0])).then((c) => c.match(url)).then((r) => !!r)"
    page.wait_for_function(kept, arg="/grid/new/")  # the phone keeps the report form for the fields
    page.context.set_offline(True)
    page.click("#locate")
    page.wait_for_function("() => document.getElementById('id_latitude').value !== ''")
    page.select_option("#id_category", label="垃圾乱堆乱放")
    page.fill("#id_title", "田间机井房垃圾堆放")
    page.fill("#id_description", "机井房旁垃圾堆放，无信号处拍照记录。")
    page.set_input_files("#id_photos", files=[{"name": "现场.png", "mimeType": "image/png", "buffer": gf.png()}])
    page.get_by_role("button", name="提交上报").click()
    expect(page.locator(".offline-said")).to_contain_text("已保存在手机上")
    expect(page.locator("[data-outbox]")).to_contain_text("待上传 1 条")
    expect(page.locator("[data-outbox]")).to_contain_text("田间机井房垃圾堆放")
    assert not Event.objects.exists()

    page.context.set_offline(False)  # the signal returns: the page sends what it kept
    expect(page.locator("[data-outbox]")).to_be_hidden()
    event = Event.objects.get()
    assert event.title == "田间机井房垃圾堆放"
    assert (event.latitude, event.longitude) == (Decimal("32.520100"), Decimal("112.360200"))
    assert EventPhoto.objects.filter(event=event).count() == 1

    page.reload()  # every later page opened with signal sends again what is kept: nothing is left
    expect(page.locator("h1")).to_have_text("上报事件")
    assert Event.objects.count() == 1
    assert not page.console_errors, page.console_errors
