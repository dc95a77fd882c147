"""A phone that sends the same kept report several times at once (a flaky signal): PostgreSQL only (see
core/tests/races.py). Every arrival answers with the one event the first created; nothing else is written."""

from __future__ import annotations

import uuid

from django.test import Client

from xingyao.core.models import AuditEntry, Submission
from xingyao.core.tests.races import THREADS, concurrent, race, statuses
from xingyao.core.tests.test_offline import JSON, _report
from xingyao.grid.models import Event

pytestmark = concurrent


def test_simultaneous_arrivals_of_one_kept_report_store_one_event(world):
    phones = []
    for _ in range(THREADS):
        phone = Client()
        phone.force_login(world.user("wangge"))
        phones.append(phone)
    report = _report(world, client_id=str(uuid.uuid4()))

    answers = race(lambda i: phones[i].post("/grid/new/", report, **JSON))

    assert statuses(answers) == {201: THREADS}
    assert len({a.json()["number"] for a in answers}) == 1
    assert Event.objects.unscoped("test").count() == 1
    assert AuditEntry.objects.unscoped("test").filter(action="event.report").count() == 1
    assert Submission.objects.count() == 1
