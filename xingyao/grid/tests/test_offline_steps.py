"""Steps a grid worker takes on his events without signal (a note with photos and the place, an acceptance), kept
on the phone and sent when the signal returns: taken once however often they arrive, and refused in Chinese when
the event has moved on meanwhile or is no longer his — never half-written."""

from __future__ import annotations

import uuid

import pytest
from django.db import transaction
from django.utils import timezone

from xingyao.accounts.models import Membership
from xingyao.core import offline
from xingyao.core.errors import ActionError
from xingyao.core.models import AuditEntry, Submission
from xingyao.core.testing import every
from xingyao.grid.actions import MoveInput, do_transition
from xingyao.grid.models import Event, EventPhoto, EventStep
from xingyao.grid.tests import factories as gf
from xingyao.grid.views import NOT_YOURS

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}


def _note(**changes):  # type: ignore[no-untyped-def]
    return {
        "text": "现场查看：可疑车辆仍停在村口，已拍照。",
        "latitude": "32.5201",
        "longitude": "112.3602",
        "client_id": str(uuid.uuid4()),
    } | changes


def test_a_note_sent_twice_under_one_phone_id_is_recorded_once_with_its_photo_and_place(world, login):
    event = gf.event(world, state="accepted")
    client = login("wangge")
    data = _note()
    answers = [client.post(f"/grid/{event.pk}/note/", data | {"photos": gf.photo_upload()}, **JSON) for _ in range(2)]
    assert [a.status_code for a in answers] == [201, 201]
    assert answers[0].json() == answers[1].json() == {"number": event.number, "url": event.get_absolute_url()}
    step = every(EventStep).get(action="note")
    assert step.reason == data["text"] and step.from_state == step.to_state == "accepted"
    assert step.data == {"latitude": "32.520100", "longitude": "112.360200"}
    assert every(EventPhoto).filter(step=step, stage="note").count() == 1
    assert every(EventPhoto).count() == 1
    assert every(AuditEntry).filter(action="event.note").count() == 1
    assert every(Submission).get().object_type == "grid.event:note"


def test_an_acceptance_replayed_is_taken_once_and_answered_as_done_after_the_event_moved_on(world, login):
    event = gf.event(world, state="reported", reporter=None, source="resident")
    client = login("wangge")
    data = {"action": "accept", "client_id": str(uuid.uuid4())}
    assert client.post(f"/grid/{event.pk}/act/", data, **JSON).status_code == 201
    # While the answer was lost, the town returned it to 待受理: the phone's repeat must not accept it again.
    do_transition(world.user("zhen"), event, "return_report", MoveInput(reason="请补充地点"))
    again = client.post(f"/grid/{event.pk}/act/", data, **JSON)
    assert again.status_code == 201, again.content
    assert every(EventStep).filter(event=event, action="accept").count() == 1
    assert every(Event).get(pk=event.pk).state == "reported"
    assert every(AuditEntry).filter(action="event.accept").count() == 1


def test_an_acceptance_made_offline_after_the_town_accepted_is_refused_in_chinese(world, login):
    event = gf.event(world, state="accepted")  # the town accepted it while the worker had no signal
    response = login("wangge").post(
        f"/grid/{event.pk}/act/", {"action": "accept", "client_id": str(uuid.uuid4())}, **JSON
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "事件当前为“已受理”，网格员不能受理"
    assert not every(EventStep).filter(event=event, action="accept").exists()
    assert not every(Submission).exists()  # refused, so not remembered: sent again, it is judged again


def test_a_note_for_an_event_closed_meanwhile_is_refused_and_writes_nothing(world, login):
    event = gf.event(world, state="closed", closed_at=timezone.now())
    response = login("wangge").post(f"/grid/{event.pk}/note/", _note(photos=gf.photo_upload()), **JSON)
    assert response.status_code == 400
    assert response.json()["detail"] == "事件已办结，不能再补充情况"
    assert not every(EventStep).filter(action="note").exists()
    assert not every(EventPhoto).exists() and not every(Submission).exists()


def test_a_note_for_a_grid_the_worker_no_longer_holds_is_refused_like_a_missing_event(world, login):
    event = gf.event(world, state="accepted")
    client = login("wangge")
    every(Membership).filter(user=world.user("wangge")).delete()
    gone = client.post(f"/grid/{event.pk}/note/", _note(), **JSON)
    missing = client.post("/grid/99999999/note/", _note(), **JSON)
    assert gone.status_code == missing.status_code == 404
    assert gone.json() == missing.json() == {"detail": NOT_YOURS}
    step = client.post(f"/grid/{event.pk}/act/", {"action": "accept", "client_id": str(uuid.uuid4())}, **JSON)
    assert step.status_code == 404 and step.json() == {"detail": NOT_YOURS}
    assert not every(EventStep).filter(action="note").exists() and not every(Submission).exists()


def test_a_phone_id_cannot_be_reused_for_another_event_or_by_another_person(world, login):
    first, second = gf.event(world, state="accepted"), gf.event(world, state="accepted", title="河道漂浮垃圾")
    data = _note()
    client = login("wangge")
    assert client.post(f"/grid/{first.pk}/note/", data, **JSON).status_code == 201
    elsewhere = client.post(f"/grid/{second.pk}/note/", data, **JSON)
    assert elsewhere.status_code == 400 and elsewhere.json()["detail"] == "提交编号无效，请刷新页面后重新填写"
    town = login("zhen").post(f"/grid/{first.pk}/note/", data, **JSON)
    assert town.status_code == 400
    assert every(EventStep).filter(action="note").count() == 1


def test_a_note_posted_from_the_page_without_a_script_shows_the_event(world, login):
    event = gf.event(world, state="accepted")
    client = login("wangge")
    page = client.get(f"/grid/{event.pk}/").content.decode()
    assert 'data-offline="grid.note"' in page and 'data-offline="grid.step"' not in page  # nothing to take now
    response = client.post(f"/grid/{event.pk}/note/", {"text": "已电话联系村民核实"})
    assert response.status_code == 302 and response["Location"] == event.get_absolute_url()
    assert "补充情况" in client.get(response["Location"]).content.decode()
    refused = client.post(f"/grid/{event.pk}/note/", {"text": ""})
    assert refused.status_code == 400 and "请填写情况说明" in refused.content.decode()
    closed = gf.event(world, state="closed", closed_at=timezone.now(), title="已处理的路灯")
    kept = client.post(f"/grid/{event.pk}/note/", {"text": "写了一半的说明", "latitude": "1", "longitude": "1"})
    assert kept.status_code == 400 and "写了一半的说明" in kept.content.decode()  # what he wrote stays on the form
    assert "补充情况" not in client.get(f"/grid/{closed.pk}/").content.decode()  # nothing to add to a closed one


def test_the_accept_button_of_a_residents_report_goes_through_the_phones_outbox(world, login):
    event = gf.event(world, state="reported", reporter=None, source="resident")
    page = login("wangge").get(f"/grid/{event.pk}/").content.decode()
    assert 'data-offline="grid.step"' in page and f"事件 {event.number} · 受理" in page


def test_the_worker_s_own_lists_have_the_phone_keep_the_events_they_link_to(world, login):
    gf.event(world, state="reported", reporter=None, source="resident")
    gf.event(world, state="accepted", title="河道漂浮垃圾")
    client = login("wangge")
    assert "data-keep-pages" in client.get("/grid/?tab=todo").content.decode()
    assert "data-keep-pages" in client.get("/grid/?tab=progress").content.decode()
    assert "data-keep-pages" not in client.get("/grid/?tab=all").content.decode()
    assert "data-keep-pages" not in login("zhen").get("/grid/?tab=todo").content.decode()  # a desk, not a field


def test_claim_step_binds_an_id_to_one_record_one_step_and_one_person(world):
    first, second = gf.event(world, state="accepted"), gf.event(world, state="accepted", title="河道漂浮垃圾")
    wangge, zhen = world.user("wangge"), world.user("zhen")
    key = uuid.uuid4()
    with transaction.atomic():
        assert offline.claim_step(wangge, key, first, "note") is False
    with transaction.atomic():
        assert offline.claim_step(wangge, key, first, "note") is True
    for actor, record, step in ((wangge, second, "note"), (wangge, first, "accept"), (zhen, first, "note")):
        with pytest.raises(ActionError, match="提交编号无效"), transaction.atomic():
            offline.claim_step(actor, key, record, step)
    with transaction.atomic():
        assert offline.claim_step(wangge, None, first, "note") is False  # sent from the page: nothing to claim
    assert every(Submission).count() == 1
