"""Simultaneous requests on one assessment: exactly one wins, with one step and one audit row; the others get the
workflow's Chinese refusal (400 from the API), never a 500. PostgreSQL only (see core/tests/races.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from xingyao.assessments.models import Assessment, Evidence, Objection, StarChange, StarReview, StepLog
from xingyao.assessments.tests import fixtures as f
from xingyao.assessments.workflow import State
from xingyao.core.models import AuditEntry
from xingyao.core.tests.races import THREADS, concurrent, one_winner, race, statuses

pytestmark = concurrent


def api_clients(world: Any, username: str) -> list[Client]:
    token = world.token(username)
    return [Client(HTTP_AUTHORIZATION=f"Bearer {token}") for _ in range(THREADS)]


def page_clients(world: Any, username: str) -> list[Client]:
    made = []
    for _ in range(THREADS):
        client = Client()
        client.force_login(world.user(username))
        made.append(client)
    return made


def audited(obj: Any, action: str) -> int:
    return AuditEntry.objects.filter(action=action, object_id=str(obj.pk)).count()


def _ended_notice() -> dict[str, Any]:
    return {"publicity_start": timezone.localdate() - dt.timedelta(days=10), "publicity_days": 7}


# action, the state it starts from, who takes it, what the request carries, what the assessment needs
TRANSITIONS = [
    ("submit", State.DRAFT, "maoqiao", {}, {}),
    ("town_approve", State.SUBMITTED, "zhen_shenhe", {}, {}),
    ("send_back", State.SUBMITTED, "zhen_shenhe", {"reason": "道路长度与台账不符"}, {}),
    ("county_approve", State.TOWN_REVIEWED, "xian_shenhe", {}, {}),
    ("publish", State.COUNTY_APPROVED, "xian", {"publicity_start": "today", "publicity_days": 7}, {}),
    ("award", State.PUBLICIZED, "xian", {}, "ended"),
]


@pytest.mark.parametrize(("action", "state", "who", "payload", "fields"), TRANSITIONS, ids=[t[0] for t in TRANSITIONS])
def test_simultaneous_transitions_have_one_winner(world, action, state, who, payload, fields):
    a = f.at_state(world, state, **(_ended_notice() if fields == "ended" else {}))
    body = {"action": action, **payload}
    if body.get("publicity_start") == "today":
        body["publicity_start"] = timezone.localdate().isoformat()
    callers = api_clients(world, who)

    responses = race(
        lambda i: callers[i].post(f"/api/v1/assessments/{a.pk}/transitions", body, content_type="application/json")
    )

    refused = one_winner(responses, ok=200)
    assert all(r.json()["detail"] for r in refused)
    assert StepLog.objects.filter(assessment=a, action=action).count() == 1
    assert audited(a, f"assessment.{action}") == 1


def test_simultaneous_star_reviews_approve_once(world):
    a = f.in_dept_review(world)
    callers = api_clients(world, "zhengfawei")
    body = {"star_code": "safety", "decision": "approve"}

    responses = race(
        lambda i: callers[i].post(f"/api/v1/assessments/{a.pk}/star-reviews", body, content_type="application/json")
    )

    refused = one_winner(responses, ok=200)
    assert all("该星已审核通过，无需重复审核" in r.json()["detail"] for r in refused)
    assert StarReview.objects.filter(assessment=a, star_code="safety").count() == 1
    assert AuditEntry.objects.filter(action="assessment.star_review.approve").count() == 1


def test_simultaneous_decisions_on_one_objection_record_one(world):
    objection = f.objection(world)
    county = page_clients(world, "xian")
    decision = {"upheld": "0", "decision": "经核实道路已修通"}

    responses = race(lambda i: county[i].post(f"/assessments/objections/{objection.pk}/decide/", decision))

    assert statuses(responses) == {302: THREADS}  # the page answers with a message either way
    assert Objection.objects.get(pk=objection.pk).status == "dismissed"
    assert audited(objection, "objection.decide") == 1
    assert StepLog.objects.filter(assessment=objection.assessment, action="objection_resolved").count() == 1


def test_simultaneous_upheld_objection_sends_back_once(world):
    objection = f.objection(world)
    county = page_clients(world, "xian")

    responses = race(
        lambda i: county[i].post(
            f"/assessments/objections/{objection.pk}/decide/", {"upheld": "1", "decision": "道路确未修通"}
        )
    )

    assert statuses(responses) == {302: THREADS}
    assert Assessment.objects.get(pk=objection.assessment_id).state == State.DRAFT
    assert StepLog.objects.filter(assessment=objection.assessment, action="send_back").count() == 1
    assert audited(objection.assessment, "assessment.send_back") == 1


def test_simultaneous_star_changes_change_it_once(world):
    award = f.award(world)
    county = page_clients(world, "xian")
    uploads = [f.photo("通报.jpg") for _ in range(THREADS)]

    responses = race(
        lambda i: county[i].post(
            f"/assessments/stars/{award.pk}/", {"action": "warn", "reason": "发生安全事故", "file": uploads[i]}
        )
    )

    assert set(statuses(responses)) <= {200, 302, 400}
    assert StarChange.objects.filter(award=award, action="warn").count() == 1
    assert audited(award, "star.warn") == 1


def test_simultaneous_evidence_removal_removes_it_once(world):
    a = f.assessment(world)
    f.attach_evidence(a, ("branch.1.1",))
    evidence = Evidence.objects.filter(assessment=a).first()
    village = page_clients(world, "maoqiao")

    responses = race(lambda i: village[i].post(f"/assessments/evidence/{evidence.pk}/delete/"))

    assert set(statuses(responses)) <= {302, 404}
    assert not Evidence.objects.filter(pk=evidence.pk).exists()
    assert audited(evidence, "assessment.evidence.remove") == 1


def test_evidence_added_while_submitting_is_refused_or_counted_before(world):
    a = f.submittable(world)
    indicator = f.indicator(a, "branch.1.1")
    village = page_clients(world, "maoqiao")
    uploads = [f.photo(f"现场{i}.jpg", color=("red", "blue", "green", "white")[i % 4]) for i in range(THREADS)]

    def attempt(i: int) -> Any:
        if i == 0:
            return village[i].post(f"/assessments/{a.pk}/do/submit/")
        return village[i].post(f"/assessments/{a.pk}/evidence/", {"indicator": indicator.pk, "file": uploads[i]})

    responses = race(attempt)

    assert 500 not in statuses(responses)
    a.refresh_from_db()
    assert a.state == State.SUBMITTED
    submitted_at = StepLog.objects.get(assessment=a, action="submit").at
    late = Evidence.objects.filter(assessment=a, uploaded_at__gt=submitted_at)
    assert not late.exists()  # nothing joined the record after the village submitted it
