"""Simultaneous requests on inspections. PostgreSQL only (see core/tests/races.py): the losers get the Chinese
refusal (400), never a 500, and one row is written."""

from __future__ import annotations

from typing import Any

from django.test import Client

from xingyao.core.models import AuditEntry
from xingyao.core.tests.races import THREADS, concurrent, one_winner, race
from xingyao.inspections.models import Round, Visit
from xingyao.inspections.tests import factories as f
from xingyao.inspections.tests.routes import _plan_form
from xingyao.inspections.workflow import State
from xingyao.ledgers.models import Item

pytestmark = concurrent


def clients(world: Any, username: str) -> list[Client]:
    made = []
    for _ in range(THREADS):
        client = Client()
        client.force_login(world.user(username))
        made.append(client)
    return made


def test_simultaneous_plans_of_one_towns_quarter_make_one_round(world):
    town = clients(world, "zhen")
    data = _plan_form(world)

    refused = one_winner(race(lambda i: town[i].post("/inspections/new/", data)))

    assert all("溧河铺镇2023年第3季度已安排观摩，一个季度只组织一次" in r.content.decode() for r in refused)
    assert Round.objects.unscoped("test").count() == 1
    assert Visit.objects.unscoped("test").count() == 2
    assert AuditEntry.objects.filter(action="inspection_round.plan").count() == 1


def test_simultaneous_conversions_of_one_problem_open_one_item(world):
    visit = f.score(world, f.visit(world), problems=["墙绘破损"])
    problem = visit.problems.unscoped("test").get()
    town = clients(world, "zhen")
    form = {"problem_ids": [problem.pk], "target": "t", "measure": "m", "steps": "s", "responsible": "r",
            "start_on": "2023-05-15", "days": "20"}  # fmt: skip

    refused = one_winner(race(lambda i: town[i].post(f"/inspections/visits/{visit.pk}/items/", form)))

    assert all(r.status_code == 400 for r in refused)
    assert Item.objects.unscoped("test").count() == 1


def test_simultaneous_finishes_of_a_round_finish_it_once(world):
    rnd = f.round_(world, route=("毛桥村",), state=State.SCORING)
    f.score(world, f.visit(world))
    town = clients(world, "zhen")

    responses = race(lambda i: town[i].post(f"/inspections/{rnd.pk}/finish/"))

    assert all(r.status_code == 302 for r in responses)  # a button: the refusal is flashed on the redirect
    assert Round.objects.unscoped("test").get().state == State.FINISHED
    assert AuditEntry.objects.filter(action="inspection_round.finish").count() == 1
