"""The case page offers exactly the steps the workflow allows each role in each status, and no other."""

from __future__ import annotations

import re

import pytest

from xingyao.grid.tests import factories as f

# What each step's form posts to on the case page.
FORMS = {"triage": "triage", "session": "session", "close": "outcome", "document": "documents"}
IN_CHARGE = {
    "registered": {"triage", "close", "document"},
    "triaged": {"triage", "session", "close", "document"},
    "mediating": {"triage", "session", "close", "document"},
    "closed": {"document"},
}
ON_TEAM = {  # a department on the joint team: it mediates and closes, it does not triage (nor acts before it)
    "registered": set(),
    "triaged": {"session", "close", "document"},
    "mediating": {"session", "close", "document"},
    "closed": {"document"},
}
NOTHING = {status: set() for status in IN_CHARGE}


def _forms_on(page: str, pk: int) -> set[str]:
    posted = set(re.findall(rf'action="/disputes/{pk}/(\w+)/"', page))
    return {step for step, path in FORMS.items() if path in posted}


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("zhen", IN_CHARGE),  # the town admin, in charge of his villages' cases
        ("xian", IN_CHARGE),  # the county admin
        ("paichusuo", ON_TEAM),
        ("lingdao", NOTHING),  # a leader only looks
        ("maoqiao", NOTHING),  # the village clerk sees his village's cases
        ("zhen_shenhe", NOTHING),  # the town reviewer reviews stars, not cases
    ],
)
def test_each_role_sees_exactly_the_steps_it_may_take(world, login, username, expected):
    client = login(username)
    for status, steps in expected.items():
        outcome = "mediated" if status == "closed" else ""
        case = f.dispute(world, status=status, outcome=outcome, team=("溧河铺派出所",))
        response = client.get(f"/disputes/{case.pk}/")
        assert response.status_code == 200, (username, status)
        assert _forms_on(response.content.decode(), case.pk) == steps, (username, status)


def test_a_department_not_on_the_team_is_offered_nothing_once_it_leaves(world, login):
    case = f.dispute(world, status="mediating", team=("溧河铺司法所", "溧河铺派出所"))
    client = login("paichusuo")
    assert _forms_on(client.get(f"/disputes/{case.pk}/").content.decode(), case.pk) == ON_TEAM["mediating"]
    case.team_members.filter(department__name="溧河铺派出所").delete()
    assert client.get(f"/disputes/{case.pk}/").status_code == 404  # off the team, the case is out of his sight
