import re

import pytest

from xingyao.conftest import sign_in
from xingyao.grid.models import Event
from xingyao.grid.tests import factories as f
from xingyao.grid.workflow import State

pytestmark = pytest.mark.browser


def _photo(name: str) -> dict:
    return {"name": name, "mimeType": "image/png", "buffer": f.png()}


def _counts(page) -> dict[str, str]:
    page.goto("/grid/")
    cards = page.locator(".counts .stat").all_inner_texts()
    return {text.split("\n")[-1].split(" ")[0]: text.split("\n")[0] for text in cards}


def _switch(page, username: str) -> None:
    page.context.clear_cookies()
    sign_in(page, username)


def test_an_event_from_a_phone_to_closure_by_four_people(page, browser_world):
    page.on("dialog", lambda dialog: dialog.accept())  # each irreversible step asks; these people mean it
    f.categories(browser_world)
    sign_in(page, "zhen")
    before = _counts(page)
    assert before["待受理"] == "0" and before["累计上报"] == "0"

    _switch(page, "wangge")
    page.goto("/grid/new/")
    page.select_option("#id_category", label="垃圾乱堆乱放")
    page.fill("#id_title", "村口垃圾堆放未清运")
    page.fill("#id_description", "村口路边垃圾堆放三天未清运，有异味。")
    page.set_input_files("#id_photos", files=[_photo("现场.png")])
    page.get_by_role("button", name="提交上报").click()
    page.wait_for_selector("text=已上报")  # kept on the phone first, sent, then the event's page
    assert re.search(r"/grid/\d+/$", page.url)
    event = Event.objects.get()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    _switch(page, "zhen")
    assert _counts(page)["待受理"] == "0"  # the grid's own worker reported it: accepted on submit
    page.goto(f"/grid/{event.pk}/")
    page.wait_for_selector("#d-department")
    page.fill("#d-department", "派出所")  # the department picker searches the event's town and county
    page.click("text=溧河铺派出所（部门 · 溧河铺镇）")
    page.get_by_role("button", name="派遣", exact=True).click()
    page.wait_for_selector("text=已派遣")

    _switch(page, "paichusuo")
    assert page.text_content(".notice-link .badge") == "1"  # the dispatch told him
    page.goto("/grid/?tab=todo")
    page.click(f"text={event.title}")
    page.get_by_role("button", name="开始处置").click()
    page.wait_for_selector("#r-feedback")
    page.fill("#r-feedback", "已联系保洁公司清运，现场已清理干净。")
    page.set_input_files("#p-after", files=[_photo("处置后.png")])
    page.get_by_role("button", name="反馈结果").click()
    page.wait_for_selector("text=已反馈")

    _switch(page, "zhen")
    page.goto(f"/grid/{event.pk}/")
    page.get_by_role("button", name="核查通过").click()
    page.wait_for_selector("text=已核查")
    page.get_by_role("button", name="办结", exact=True).click()
    page.wait_for_selector("text=已办结")
    event.refresh_from_db()
    assert event.state == State.CLOSED
    assert sorted(event.photos.values_list("stage", flat=True)) == ["after", "report"]
    after = _counts(page)
    assert (after["待受理"], after["办理中"], after["今日上报"], after["今日办结"]) == ("0", "0", "1", "1")
    assert (after["累计上报"], after["累计办结"]) == ("1", "1")

    page.goto("/grid/map/")
    page.wait_for_selector("#event-map canvas")
    assert not page.console_errors
