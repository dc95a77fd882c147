"""The assessments API: scoped lists, detail with values and explained score, values, transitions."""

from __future__ import annotations

from xingyao.assessments.models import Assessment
from xingyao.assessments.tests import fixtures as f
from xingyao.assessments.workflow import State


def test_list_holds_only_assessments_in_scope(world, api):
    f.assessment(world)
    f.assessment(world, "庄营村")
    f.assessment(world, "施东村")

    def names(who: str) -> list[str]:
        return sorted(i["village_name"] for i in api(who).get("/api/v1/assessments?year=2023").json()["items"])

    assert names("maoqiao") == ["毛桥村"]
    assert names("zhen") == ["庄营村", "毛桥村"]
    assert names("xian") == ["庄营村", "施东村", "毛桥村"]
    by_unit = api("xian").get(f"/api/v1/assessments?unit={world.unit('施庵镇').code}").json()
    assert [i["village_name"] for i in by_unit["items"]] == ["施东村"]


def test_detail_gives_each_value_and_the_reasons_a_star_failed(world, api):
    a = f.assessment(world)
    f.fill(a, skip=("safety.3.1",))
    body = api("maoqiao").get(f"/api/v1/assessments/{a.pk}").json()
    assert body["state"] == "draft" and body["editable_column"] == "self_value"
    assert body["available_actions"] == ["submit"]
    safety = next(s for s in body["stars"] if s["code"] == "safety")
    assert safety["passed"] is False
    assert {"code": "veto", "subject": "safety.3.1", "message": "一票否决：「零上访」未达标"} in safety["reasons"]
    value = next(v for v in body["values"] if v["code"] == "branch.2.1")
    assert value["self_value"] == "12" and value["effective_value"] == "12" and value["met"] is True
    assert body["steps"][0]["action"] == "create"


def test_values_and_transitions_walk_the_cycle_over_the_api(world, api):
    a = f.submittable(world)
    maoqiao, zhen_shenhe = api("maoqiao"), api("zhen_shenhe")
    response = maoqiao.post(
        f"/api/v1/assessments/{a.pk}/transitions", {"action": "submit"}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["state"] == "submitted"
    response = zhen_shenhe.post(
        f"/api/v1/assessments/{a.pk}/values",
        {"values": {"ecology.1.1": "800"}, "notes": {"ecology.1.1": "实测 800 米"}},
        content_type="application/json",
    )
    assert response.json() == {"changed": 1, "column": "town_value", "star_count": 4}
    response = zhen_shenhe.post(
        f"/api/v1/assessments/{a.pk}/transitions", {"action": "town_approve"}, content_type="application/json"
    )
    assert response.json()["state"] == "town_reviewed"
    assert Assessment.objects.get(pk=a.pk).state == State.TOWN_REVIEWED


def test_an_unknown_action_over_the_api_is_refused(world, api):
    a = f.assessment(world)
    response = api("maoqiao").post(
        f"/api/v1/assessments/{a.pk}/transitions", {"action": "explode"}, content_type="application/json"
    )
    assert response.status_code == 400 and response.json()["detail"] == "未知的操作"


def test_the_api_and_the_page_lock_and_open_columns_by_the_workflows_one_rule(world, api, login):
    """What each persona may fill at each stage is `workflow.value_column`, and `locked` is `workflow.is_locked`."""
    from xingyao.assessments import workflow as wf

    personas = {"maoqiao": "village_clerk", "zhen": "town_admin", "zhen_shenhe": "town_reviewer"}
    personas |= {"xian": "county_admin", "xian_shenhe": "county_reviewer"}
    seen = set()
    for state in State:
        a = f.at_state(world, state)
        for who, role in personas.items():
            body = api(who).get(f"/api/v1/assessments/{a.pk}").json()
            assert body["locked"] is wf.is_locked(state), (state, who)
            assert body["editable_column"] == wf.value_column(state, [role]), (state, who)
            seen.add(body["editable_column"])
    assert seen == {None, "self_value", "town_value", "county_value"}
    # The county fills its own column while it reviews, and not once it has signed.
    a = f.at_state(world, State.TOWN_REVIEWED)
    road = f.indicator(a, "ecology.1.1")
    login("xian_shenhe").post(f"/assessments/{a.pk}/values/", {f"v_{road.pk}": "900"})
    assert f.value(a, "ecology.1.1").county_value == "900"
    Assessment.objects.filter(pk=a.pk).update(state=State.COUNTY_APPROVED)
    response = api("xian").post(
        f"/api/v1/assessments/{a.pk}/values", {"values": {"ecology.1.1": "950"}}, content_type="application/json"
    )
    assert response.status_code == 400 and "已锁定" in response.json()["detail"]
    assert f.value(a, "ecology.1.1").county_value == "900"
