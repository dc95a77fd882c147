"""A phone that sends the same kept note several times at once (a flaky signal): PostgreSQL only (see
core/tests/races.py). Every arrival answers as done; the note, its photo and its audit row are written once."""

from __future__ import annotations

import uuid

from django.test import Client

from xingyao.core.models import AuditEntry, Submission
from xingyao.core.tests.races import THREADS, concurrent, race, statuses
from xingyao.grid.models import EventPhoto, EventStep
from xingyao.grid.tests import factories as gf

pytestmark = concurrent


def test_simultaneous_arrivals_of_one_kept_note_write_it_once(world):
    event = gf.event(world, state="accepted")
    phones = []
    for _ in range(THREADS):
        phone = Client()
        phone.force_login(world.user("wangge"))
        phones.append(phone)
    note = {"text": "现场复查：车辆已离开", "client_id": str(uuid.uuid4())}

    answers = race(
        lambda i: phones[i].post(
            f"/grid/{event.pk}/note/", note | {"photos": gf.photo_upload()}, HTTP_ACCEPT="application/json"
        )
    )

    assert statuses(answers) == {201: THREADS}
    assert EventStep.objects.unscoped("test").filter(action="note").count() == 1
    assert EventPhoto.objects.unscoped("test").count() == 1
    assert AuditEntry.objects.unscoped("test").filter(action="event.note").count() == 1
    assert Submission.objects.count() == 1
