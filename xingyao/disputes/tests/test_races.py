"""Simultaneous requests on one case, and simultaneous registrations in one village. PostgreSQL only (see
core/tests/races.py): the losers get the workflow's Chinese refusal (400), never a 500."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.utils import timezone

from xingyao.core.models import AuditEntry
from xingyao.core.tests.races import THREADS, concurrent, one_winner, race, statuses
from xingyao.disputes.models import Dispute, DisputeStep, DisputeTeamMember, MediationSession
from xingyao.disputes.tests.test_disputes import register_form
from xingyao.grid.tests import factories as f

pytestmark = concurrent


def clients(world: Any, *usernames: str, count: int = THREADS) -> list[Client]:
    """`count` logged-in clients, taking the personas in turn; all logged in before the race starts."""
    made = []
    for index in range(count):
        client = Client()
        client.force_login(world.user(usernames[index % len(usernames)]))
        made.append(client)
    return made


def audit_rows(case: Dispute, action: str) -> int:
    return AuditEntry.objects.filter(action=action, object_type="disputes.dispute", object_id=str(case.pk)).count()


def test_simultaneous_closing_records_one_outcome(world):
    case = f.dispute(world, status="mediating", team=("溧河铺派出所",))
    town = clients(world, "zhen")
    closing = {"outcome": "mediated", "closed_on": timezone.localdate().isoformat(), "result_note": "双方达成协议"}

    refused = one_winner(race(lambda i: town[i].post(f"/disputes/{case.pk}/outcome/", closing)))

    assert all("案件已结案，不能结案" in r.content.decode() for r in refused)
    assert DisputeStep.objects.filter(dispute=case, action="close").count() == 1
    assert audit_rows(case, "dispute.close") == 1


def test_a_session_recorded_while_closing_is_refused_cleanly(world):
    case = f.dispute(world, status="triaged", team=("溧河铺派出所",))
    people = clients(world, "zhen", "paichusuo")  # the town closes, the police station records sessions
    today = timezone.localdate().isoformat()
    closing = {"outcome": "withdrawn", "closed_on": today, "result_note": "申请人撤回"}
    session = {"held_on": today, "place": "村委会", "mediators": "派出所赵卫东", "note": "释法明理"}

    def attempt(i: int) -> Any:
        if i % 2 == 0:
            return people[i].post(f"/disputes/{case.pk}/outcome/", closing)
        return people[i].post(f"/disputes/{case.pk}/session/", session)

    responses = race(attempt)

    assert set(statuses(responses)) <= {302, 400}
    closes, sessions = responses[0::2], responses[1::2]
    assert [r.status_code for r in closes].count(302) == 1
    recorded = [r for r in sessions if r.status_code == 302]
    assert all("案件已结案，不能记录调解" in r.content.decode() for r in sessions if r.status_code == 400)
    case.refresh_from_db()
    assert (case.status, case.outcome) == ("closed", "withdrawn")
    assert MediationSession.objects.filter(dispute=case).count() == len(recorded)
    assert DisputeStep.objects.filter(dispute=case, action="session").count() == len(recorded)
    assert audit_rows(case, "dispute.session") == len(recorded)
    assert audit_rows(case, "dispute.close") == 1


def test_simultaneous_triage_leaves_one_team(world):
    case = f.dispute(world)
    town = clients(world, "zhen")
    lead, member = world.unit("溧河铺司法所"), world.unit("溧河铺派出所")
    team = {"risk": "red", "lead_department": lead.pk, "team": [member.pk]}

    responses = race(lambda i: town[i].post(f"/disputes/{case.pk}/triage/", team))

    # Triage may be redone while the case is open: every request goes through, one after the other.
    assert statuses(responses) == {302: THREADS}
    assert sorted(DisputeTeamMember.objects.filter(dispute=case).values_list("department_id", flat=True)) == sorted(
        [lead.pk, member.pk]
    )
    assert DisputeStep.objects.filter(dispute=case, action="triage").count() == THREADS
    assert DisputeStep.objects.filter(dispute=case, action="triage", from_state="registered").count() == 1
    assert audit_rows(case, "dispute.triage") == THREADS


def test_twenty_simultaneous_registrations_in_one_village_get_distinct_numbers(world):
    town = clients(world, "zhen", count=20)

    responses = race(lambda i: town[i].post("/disputes/new/", register_form(world, summary=f"第{i}起纠纷")), 20)

    assert statuses(responses) == {302: 20}
    numbers = list(Dispute.objects.values_list("number", flat=True))
    assert len(numbers) == 20 and len(set(numbers)) == 20
    assert sorted(int(n[-3:]) for n in numbers) == list(range(1, 21))
    assert AuditEntry.objects.filter(action="dispute.register").count() == 20
