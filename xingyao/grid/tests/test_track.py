"""A resident follows his report by its 受理编号 and 查询码: the state and the town's public reply, never staff notes,
names, phones or other people's reports; unknown numbers and wrong codes answer alike; guessing is rate-limited."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache

from xingyao.grid import actions, public
from xingyao.grid.models import Event
from xingyao.grid.tests import factories as f
from xingyao.grid.tests.test_public import resident
from xingyao.grid.workflow import State


@pytest.fixture
def link(world):
    cache.clear()
    f.categories(world)
    return actions.do_rotate_resident_link(world.user("zhen"), world.unit("毛桥村"))


def _report(world, client, link) -> tuple[Event, str]:
    page = client.post(f"/grid/r/{link.token}/", resident(world)).content.decode()
    event = Event.objects.get()
    href = re.search(r'href="(/grid/track/\?[^"]+)"', page).group(1).replace("&amp;", "&")
    return event, href


def _main(response) -> str:
    text = response.content.decode()
    return text[text.index("<main") : text.index("</main>")]


def test_the_receipt_links_to_a_page_showing_the_state(world, client, link):
    event, href = _report(world, client, link)
    receipt_code = public.track_code(event)
    assert href == f"/grid/track/?n={event.number}&c={receipt_code}"
    page = _main(client.get(href))
    assert event.number in page and "待受理" in page and "等待网格员受理" in page and "路灯" in page


def test_the_page_shows_the_public_reply_and_no_staff_field(world, client, link, login):
    event, href = _report(world, client, link)
    zhen = login("zhen")
    steps = [
        ("accept", {}),
        ("dispatch", {"department": world.unit("溧河铺派出所").pk, "deadline_days": 3, "reason": "请派出所赵卫东跟进"}),
    ]
    for move, data in steps:
        assert zhen.post(f"/grid/{event.pk}/act/", {"action": move, **data}).status_code == 302
    Event.objects.filter(pk=event.pk).update(state=State.VERIFIED)
    close = {"action": "close", "reason": "内部：张大爷多次反映，注意安抚", "reply": "路灯已修复，感谢您的反映。"}
    assert zhen.post(f"/grid/{event.pk}/act/", close).status_code == 302
    page = _main(client.get(href))
    assert "已办结" in page and "路灯已修复，感谢您的反映。" in page
    for staff_only in (
        "张大爷",  # the resident's own name: not shown to whoever holds the link
        "张**",
        "13712345678",
        "137****5678",
        "主街东段路灯不亮已经一周",  # the description
        "主街东段",  # the address
        "内部",  # the closing note
        "赵卫东",  # the dispatch note and any staff name
        "溧河铺派出所",
        "刘洋",  # the town admin who acted
    ):
        assert staff_only not in page, staff_only


def test_a_reply_is_only_taken_when_closing(world, login):
    event = f.event(world, state=State.REPORTED, unit="毛桥村第1网格")
    response = login("zhen").post(f"/grid/{event.pk}/act/", {"action": "accept", "reply": "已受理"})
    assert response.status_code == 400 and "答复居民只能在办结时填写" in response.content.decode()


def test_unknown_numbers_wrong_codes_and_staff_events_answer_alike(world, client, link):
    event, _ = _report(world, client, link)
    staff = f.event(world)  # reported by the grid worker: no resident holds a code for it
    code = public.track_code(event)
    answers = [
        client.get("/grid/track/", {"n": event.number, "c": "AAAAAAAA"}),  # wrong code
        client.get("/grid/track/", {"n": "20010101-999999", "c": code}),  # unknown number
        client.get("/grid/track/", {"n": f"20010101-{event.pk:06d}", "c": code}),  # right id, wrong date
        client.get("/grid/track/", {"n": staff.number, "c": public.track_code(staff)}),  # not a resident's report
        client.get("/grid/track/", {"n": "x" * 30, "c": "<script>"}),
    ]
    assert {r.status_code for r in answers} == {404}
    assert len({_main(r).split("</p>")[1] for r in answers}) == 1  # the same message after the intro
    assert client.get("/grid/track/", {"n": event.number, "c": code.lower()}).status_code == 200


def test_guessing_numbers_is_rate_limited(world, client, link):
    _, href = _report(world, client, link)
    statuses = [
        client.get("/grid/track/", {"n": f"20231207-{n:06d}", "c": "ABCDEFGH"}).status_code
        for n in range(public.LOOKUP_LIMIT + 2)
    ]
    assert statuses[: public.LOOKUP_LIMIT] == [404] * public.LOOKUP_LIMIT
    assert statuses[public.LOOKUP_LIMIT :] == [429, 429]
    limited = client.get(href)  # even the right number waits now: guessing cost the address its quota
    assert limited.status_code == 429 and "查询过于频繁" in limited.content.decode()


def test_the_empty_form_needs_no_login_and_counts_nothing(world, client):
    for _ in range(public.LOOKUP_LIMIT + 3):
        response = client.get("/grid/track/")
        assert response.status_code == 200
    assert 'name="n"' in response.content.decode() and 'name="c"' in response.content.decode()
