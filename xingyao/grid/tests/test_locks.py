"""What the locked actions answer one request at a time: duplicates that would form a cycle are refused, and an
action handed an event as a page loaded it acts on what is stored now (the losers' messages in test_races)."""

from __future__ import annotations

import pytest

from xingyao.core.errors import ActionError
from xingyao.core.models import AuditEntry
from xingyao.grid import actions
from xingyao.grid.models import Event, EventStep
from xingyao.grid.tests import factories as f
from xingyao.grid.workflow import State


def mark(client, event, original):
    return client.post(f"/grid/{event.pk}/act/", {"action": "mark_duplicate", "duplicate_of": original.number})


def test_two_events_cannot_be_duplicates_of_each_other(world, login):
    zhen = login("zhen")
    first, second = f.event(world, title="村口有可疑车辆"), f.event(world, title="村口又见可疑车辆")
    assert mark(zhen, first, second).status_code == 302
    refused = mark(zhen, second, first)
    assert refused.status_code == 400
    assert "原事件已（直接或经其他事件）被标记为与本事件重复，不能互相标记为重复" in refused.content.decode()
    assert Event.objects.get(pk=second.pk).state == State.REPORTED  # the issue stays open
    assert not EventStep.objects.filter(event=second, action="mark_duplicate").exists()


def test_a_cycle_through_other_duplicates_is_refused(world, login):
    zhen = login("zhen")
    a, b, c = (f.event(world, title=t) for t in ("积水一", "积水二", "积水三"))
    assert mark(zhen, a, b).status_code == 302  # a → b
    assert mark(zhen, b, c).status_code == 302  # b → c, so a → b → c
    refused = mark(zhen, c, a)
    assert refused.status_code == 400 and "不能互相标记为重复" in refused.content.decode()
    assert Event.objects.get(pk=c.pk).state == State.REPORTED


def test_an_event_cannot_be_its_own_duplicate_nor_of_a_number_that_is_not_one(world, api, login):
    event = f.event(world)
    url = f"/api/v1/grid/events/{event.pk}/transitions"
    own = api("zhen").post(url, {"action": "mark_duplicate", "duplicate_of": event.pk}, content_type="application/json")
    assert own.status_code == 400 and own.json()["detail"] == "不能把事件标记为与自身重复"
    page = login("zhen")
    for bad in ("20250301-abc", "9" * 30):
        answer = page.post(f"/grid/{event.pk}/act/", {"action": "mark_duplicate", "duplicate_of": bad})
        assert answer.status_code == 400 and "原事件不存在或不在您的辖区内" in answer.content.decode()
    assert Event.objects.get(pk=event.pk).state == State.REPORTED


def test_supervision_acts_on_the_stored_level_not_the_loaded_one(world):
    event = f.event(world, state=State.DISPATCHED)
    as_loaded = Event.objects.get(pk=event.pk)  # the second leader's page, loaded before the first one acted
    leader = world.user("lingdao")
    actions.do_supervise(leader, event, "red", "群众多次反映")
    with pytest.raises(ActionError, match=r"^该事件已是红色督办$"):
        actions.do_supervise(leader, as_loaded, "red", "群众多次反映")
    assert EventStep.objects.filter(event=event, action="supervise").count() == 1
    assert AuditEntry.objects.filter(action="event.supervise").count() == 1


def test_photos_for_an_event_closed_meanwhile_are_refused(world):
    event = f.event(world, state=State.VERIFIED, department="溧河铺派出所")
    as_loaded = Event.objects.get(pk=event.pk)
    actions.do_transition(world.user("zhen"), event, "close")
    with pytest.raises(ActionError, match=r"^事件已办结，不能再上传照片$"):
        actions.do_add_photos(world.user("zhen"), as_loaded, [f.photo_upload()], "report")
    assert not event.photos.exists()
