"""A grid worker in a field without signal: his report, with its photo and location, waits on the phone as
"待上传" and arrives once when the signal returns."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from xingyao.conftest import sign_in
from xingyao.grid.models import Event, EventPhoto, EventStep
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
    page.evaluate("navigator.serviceWorker.ready")  # installed: it kept the report form for the fields
    assert page.evaluate("caches.match('/grid/new/').then((r) => !!r)")
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


@pytest.mark.service_worker
def test_a_note_made_offline_on_his_event_arrives_once_with_its_photo(page, browser_world):
    event = gf.event(browser_world, state="accepted", title="村口路灯不亮")
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation(HERE)
    sign_in(page, "wangge")
    _click(page, "#work a.tile[data-key='grid.events']")
    _click(page, "nav.tabs a[href='?tab=progress']")
    # The phone keeps the events of his list, opened or not, for the fields without signal, and says so.
    expect(page.locator("[data-kept-note]")).to_have_text("已存到手机：1 条事件没有信号时也能打开")
    assert page.evaluate("(url) => caches.match(url).then((r) => !!r)", f"/grid/{event.pk}/")

    page.context.set_offline(True)
    _click(page, f"#event-table a[href='/grid/{event.pk}/'] >> nth=0")  # read without signal
    expect(page.locator("h1")).to_have_text("村口路灯不亮")
    page.fill("#id_text", "夜间复查：路灯仍不亮，已拍照。")
    page.set_input_files("#id_photos", files=[{"name": "复查.png", "mimeType": "image/png", "buffer": gf.png()}])
    page.click("#locate")
    page.wait_for_function("() => document.getElementById('id_latitude').value !== ''")
    page.get_by_role("button", name="提交补充情况").click()
    expect(page.locator(".offline-said")).to_contain_text("已保存在手机上")
    expect(page.locator("[data-outbox]")).to_contain_text("待上传 1 条")
    expect(page.locator("[data-outbox]")).to_contain_text(f"事件 {event.number} · 补充情况")
    assert not EventStep.objects.filter(action="note").exists()

    page.context.set_offline(False)  # the signal returns: the page sends what it kept
    expect(page.locator("[data-outbox]")).to_be_hidden()
    step = EventStep.objects.get(action="note")
    assert step.event_id == event.pk and step.reason == "夜间复查：路灯仍不亮，已拍照。"
    assert step.data == {"latitude": "32.520100", "longitude": "112.360200"}
    assert EventPhoto.objects.filter(event=event, step=step, stage="note").count() == 1

    page.reload()  # every later page opened with signal sends again what is kept: nothing is left
    expect(page.locator("h1")).to_have_text("村口路灯不亮")
    assert EventStep.objects.filter(action="note").count() == 1
    assert not page.console_errors, page.console_errors


@pytest.mark.service_worker
def test_a_step_kept_offline_on_an_event_taken_over_meanwhile_shows_as_refused(page, browser_world):
    event = gf.event(browser_world, state="reported", reporter=None, source="resident", title="河边有人钓鱼")
    sign_in(page, "wangge")
    _click(page, "#work a.tile[data-key='grid.events']")
    page.evaluate("navigator.serviceWorker.ready")
    _click(page, f"#event-table a[href='/grid/{event.pk}/'] >> nth=0")
    page.context.set_offline(True)
    page.get_by_role("button", name="受理", exact=True).click()
    expect(page.locator("[data-outbox]")).to_contain_text(f"事件 {event.number} · 受理")
    Event.objects.filter(pk=event.pk).update(state="accepted", accepted_at=event.reported_at)  # the town took it

    page.context.set_offline(False)
    outbox = page.locator("[data-outbox]")
    expect(outbox).to_contain_text("未能上传：事件当前为“已受理”，网格员不能受理")
    assert not EventStep.objects.filter(event=event, action="accept").exists()
    page.reload()  # not sent again by itself: it waits, with its reason, for him to read and delete it
    expect(outbox).to_contain_text("未能上传")
    page.once("dialog", lambda dialog: dialog.accept())
    outbox.get_by_role("button", name="删除").click()
    expect(outbox).to_be_hidden()
    assert not EventStep.objects.filter(event=event, action="accept").exists()
