"""Criteria sets through the API: the list, and one set's stars → sections → indicators."""

from __future__ import annotations

from xingyao.stars.tests.fixtures import draft_set, published_set


def test_a_village_clerk_lists_his_countys_sets_and_another_county_sees_none(world, api) -> None:
    published_set(world)
    draft_set(world)
    years = [s["year"] for s in api("maoqiao").get("/api/v1/criteria").json()]
    assert years == [2024, 2023]
    assert [s["status"] for s in api("maoqiao").get("/api/v1/criteria?year=2023").json()] == ["published"]
    assert api("tanghe").get("/api/v1/criteria").json() == []


def test_a_sets_detail_nests_stars_sections_and_indicators(world, api, django_assert_max_num_queries) -> None:
    criteria_set = published_set(world)
    client = api("maoqiao")
    with django_assert_max_num_queries(8):
        body = client.get(f"/api/v1/criteria/{criteria_set.pk}").json()
    assert body["county_code"] == world.unit("新野县").code and body["status"] == "published"
    assert [s["code"] for s in body["stars"]] == ["branch", "industry", "ecology", "safety", "civility"]
    assert body["stars"][1]["prerequisites"] == ["branch"]
    indicators = [i for s in body["stars"] for sec in s["sections"] for i in sec["indicators"]]
    assert len(indicators) == 29
    first = indicators[0]
    assert first["code"] == "branch.1.1" and first["choices"][0] == ["good", "好", 20]
    bound = [i for i in indicators if i["data_source"]]
    assert len(bound) == 27
    assert api("tanghe").get(f"/api/v1/criteria/{criteria_set.pk}").status_code == 404
