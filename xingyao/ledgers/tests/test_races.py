"""Simultaneous requests on one ledger item and one village's designation. PostgreSQL only (see
core/tests/races.py): the losers get the Chinese refusal (400), never a 500, and one row is written."""

from __future__ import annotations

from typing import Any

from django.test import Client

from xingyao.core.models import AuditEntry
from xingyao.core.tests.races import THREADS, concurrent, one_winner, race
from xingyao.ledgers.models import Acceptance, Designation, ItemStep
from xingyao.ledgers.tests import factories as f
from xingyao.ledgers.tests.routes import _designation_form
from xingyao.ledgers.workflow import State

pytestmark = concurrent


def clients(world: Any, username: str) -> list[Client]:
    made = []
    for _ in range(THREADS):
        client = Client()
        client.force_login(world.user(username))
        made.append(client)
    return made


def test_simultaneous_acceptances_record_one(world):
    item = f.item(world, state=State.SUBMITTED)
    f.progress(world, item)
    town = clients(world, "zhen_shenhe")
    form = {"method": "site", "score": "90", "satisfied": "0", "dissatisfied": "0", "accepted_on": "2023-05-08",
            "panel": "镇纪委"}  # fmt: skip

    refused = one_winner(race(lambda i: town[i].post(f"/ledgers/{item.pk}/accept/", form)))

    assert all("这项整改已验收，不能验收通过" in r.content.decode() for r in refused)
    assert Acceptance.objects.unscoped("test").filter(item=item).count() == 1
    assert ItemStep.objects.unscoped("test").filter(item=item, action="pass").count() == 1


def test_simultaneous_designations_of_one_village_and_year_make_one(world):
    town = clients(world, "zhen")
    data = _designation_form(world)

    refused = one_winner(race(lambda i: town[i].post("/ledgers/weak/new/", data)))

    assert all("毛桥村已列为2023年软弱涣散村党组织" in r.content.decode() for r in refused)
    assert Designation.objects.unscoped("test").count() == 1
    assert AuditEntry.objects.filter(action="designation.create").count() == 1


def test_simultaneous_openings_of_the_warning_list_raise_one_warning_per_overdue_item(world):
    from xingyao.ledgers.models import StarWarning

    f.item(world)  # due 2023-05-05, still worked: red
    town = clients(world, "zhen")

    responses = race(lambda i: town[i].get("/ledgers/warnings/"))

    assert [getattr(r, "status_code", r) for r in responses] == [200] * THREADS
    assert StarWarning.objects.unscoped("test").count() == 1
    assert AuditEntry.objects.filter(action="star_warning.raise").count() == 1


def test_simultaneous_decisions_on_one_warning_record_one(world):
    from xingyao.ledgers.models import StarWarning

    warning = f.warning(world)
    county = clients(world, "xian")
    data = {"decision": "dismiss", "reason": "经核实不处理"}

    refused = one_winner(race(lambda i: county[i].post(f"/ledgers/warnings/{warning.pk}/decide/", data)))

    assert all("已核实不处理，不能再处理" in r.content.decode() for r in refused)
    assert StarWarning.objects.unscoped("test").get().state == "dismissed"
    assert AuditEntry.objects.filter(action="star_warning.decide").count() == 1
