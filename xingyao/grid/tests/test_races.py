"""Simultaneous requests on one event: exactly one wins, with one history step and one audit row; the others get
the workflow's Chinese refusal (400), never a 500. PostgreSQL only (see core/tests/races.py)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from xingyao.core.models import AuditEntry
from xingyao.core.tests.races import THREADS, concurrent, one_winner, race
from xingyao.grid.models import Event, EventCategory, EventStep
from xingyao.grid.tests import factories as f
from xingyao.grid.workflow import State

pytestmark = concurrent


def clients(world: Any, username: str) -> list[Client]:
    """One logged-in client per thread, logged in before the race starts."""
    made = []
    for _ in range(THREADS):
        client = Client()
        client.force_login(world.user(username))
        made.append(client)
    return made


def department(world: Any) -> dict[str, Any]:
    return {"department": world.unit("溧河铺派出所").pk, "deadline_days": 3}


# action, the state it starts from, who takes it, what the form carries, what else the event needs, and what the
# losers are told once the winner has moved the event on
TRANSITIONS = [
    ("accept", State.REPORTED, "zhen", lambda w: {}, {}, "不能受理"),
    ("dispatch", State.ACCEPTED, "zhen", department, {}, "不能派遣"),
    ("start_handling", State.DISPATCHED, "paichusuo", lambda w: {}, {}, "不能开始处置"),
    (
        "give_feedback",
        State.HANDLING,
        "paichusuo",
        lambda w: {"reason": "已劝离"},
        {"after_photo": True},
        "不能反馈结果",
    ),
    ("verify", State.FEEDBACK, "zhen", lambda w: {}, {}, "不能核查通过"),
    ("close", State.VERIFIED, "zhen", lambda w: {}, {}, "不能办结"),
    ("send_back", State.DISPATCHED, "zhen", lambda w: {"reason": "派错部门"}, {}, "不能退回重派"),
    ("return_for_rework", State.FEEDBACK, "zhen", lambda w: {"reason": "未处置到位"}, {}, "不能退回重办"),
    (
        "request_extension",
        State.HANDLING,
        "paichusuo",
        lambda w: {"extra_days": 2, "reason": "等配件"},
        {},
        "已有待审批的延期申请",
    ),
    ("approve_extension", State.HANDLING, "zhen", lambda w: {}, {"pending_extension_days": 2}, "没有待审批的延期申请"),
    (
        "reject_extension",
        State.HANDLING,
        "zhen",
        lambda w: {"reason": "不必延期"},
        {"pending_extension_days": 2},
        "没有待审批的延期申请",
    ),
    ("mark_urgent", State.ACCEPTED, "zhen", lambda w: {}, {}, "事件已标记为紧急"),
    ("mark_legacy", State.ACCEPTED, "zhen", lambda w: {"reason": "多年未决"}, {}, "事件已标记为历史遗留"),
    ("mark_duplicate", State.REPORTED, "zhen", None, {}, "不能标记重复"),
]


@pytest.mark.parametrize(
    ("action", "state", "who", "form", "extra", "refusal"), TRANSITIONS, ids=[t[0] for t in TRANSITIONS]
)
def test_simultaneous_transitions_have_one_winner(world, action, state, who, form, extra, refusal):
    extra = dict(extra)
    after_photo = extra.pop("after_photo", False)
    event = f.event(world, state=state, **extra)
    if after_photo:
        f.stored_photo(event, "after")
    data = form(world) if form else {"duplicate_of": f.event(world, title="同一辆车又来了").number}
    posters = clients(world, who)

    responses = race(lambda i: posters[i].post(f"/grid/{event.pk}/act/", {"action": action, **data}))

    refused = one_winner(responses)
    assert all(refusal in r.content.decode() for r in refused), refused[0].content.decode()
    assert EventStep.objects.filter(event=event, action=action).count() == 1
    assert AuditEntry.objects.filter(action=f"event.{action}", object_id=str(event.pk)).count() == 1


def test_simultaneous_transitions_through_the_api_have_one_winner(world):
    event = f.event(world, state=State.REPORTED)
    callers = [Client(HTTP_AUTHORIZATION=f"Bearer {world.token('zhen')}") for _ in range(THREADS)]

    responses = race(
        lambda i: callers[i].post(
            f"/api/v1/grid/events/{event.pk}/transitions", {"action": "accept"}, content_type="application/json"
        )
    )

    refused = one_winner(responses, ok=200)
    assert all("不能受理" in r.json()["detail"] for r in refused)
    assert EventStep.objects.filter(event=event, action="accept").count() == 1
    assert AuditEntry.objects.filter(action="event.accept", object_id=str(event.pk)).count() == 1


def test_simultaneous_supervision_writes_one_step(world):
    event = f.event(world, state=State.DISPATCHED)
    leaders = clients(world, "lingdao")

    responses = race(
        lambda i: leaders[i].post(f"/grid/{event.pk}/supervise/", {"level": "red", "reason": "群众多次反映"})
    )

    refused = one_winner(responses)
    assert all("该事件已是红色督办" in r.content.decode() for r in refused)
    assert EventStep.objects.filter(event=event, action="supervise").count() == 1
    assert AuditEntry.objects.filter(action="event.supervise", object_id=str(event.pk)).count() == 1


def test_two_events_marked_duplicates_of_each_other_at_once_leave_one_open(world):
    first = f.event(world, state=State.REPORTED, title="村口有可疑车辆")
    second = f.event(world, state=State.REPORTED, title="村口又见可疑车辆")
    town = clients(world, "zhen")
    pairs = [(first, second), (second, first)] * (THREADS // 2)

    responses = race(
        lambda i: town[i].post(
            f"/grid/{pairs[i][0].pk}/act/", {"action": "mark_duplicate", "duplicate_of": pairs[i][1].number}
        )
    )

    refused = one_winner(responses)
    assert Event.objects.filter(state=State.CLOSED).count() == 1
    assert Event.objects.exclude(state=State.CLOSED).count() == 1  # the issue stays in the worklists
    assert EventStep.objects.filter(action="mark_duplicate").count() == 1
    assert AuditEntry.objects.filter(action="event.mark_duplicate").count() == 1
    for response in refused:  # the cycle refused, or the event already closed by the winner
        text = response.content.decode()
        assert "不能互相标记为重复" in text or "不能标记重复" in text, text


def test_the_same_category_added_at_once_is_added_once(world):
    parent = f.categories(world)["MDJF-LL"]
    county = clients(world, "xian")
    form = {"code": "MDJF-LL-SX", "name": "宅前屋后纠纷", "parent": parent.pk, "deadline_days": 5, "active": "on"}

    responses = race(lambda i: county[i].post(f"/grid/categories/new/{world.unit('新野县').code}/", form))

    refused = one_winner(responses, refused=200)  # the form again, with the reason
    assert all("分类代码「MDJF-LL-SX」已存在" in r.content.decode() for r in refused)
    assert EventCategory.objects.filter(code="MDJF-LL-SX").count() == 1
    assert AuditEntry.objects.filter(action="category.save", after__code="MDJF-LL-SX").count() == 1


def test_twenty_simultaneous_resident_reports_from_one_address_let_five_through(world):
    from xingyao.grid import actions
    from xingyao.grid.tests.test_public import resident

    f.categories(world)
    link = actions.do_rotate_resident_link(world.user("zhen"), world.unit("毛桥村"))
    residents = [Client(REMOTE_ADDR="203.0.113.7") for _ in range(20)]

    responses = race(lambda i: residents[i].post(f"/grid/r/{link.token}/", resident(world)), 20)

    received = [r for r in responses if "已收到" in r.content.decode()]
    assert len(received) == actions.RESIDENT_LIMIT
    assert all("提交过于频繁" in r.content.decode() for r in responses if r not in received)
    assert Event.objects.filter(source="resident").count() == actions.RESIDENT_LIMIT
