"""Rankings: villages by stars then points, in the town and the county, against last year, in two queries."""

from __future__ import annotations

from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from xingyao.assessments.models import Assessment, StarAward
from xingyao.assessments.queries import rankings
from xingyao.assessments.tests import fixtures as f
from xingyao.assessments.workflow import State


def _result(world, village: str, year: int, stars: int, points: int, state: State = State.COUNTY_APPROVED):  # type: ignore[no-untyped-def]
    a = f.at_state(world, state, village, year)
    Assessment.objects.filter(pk=a.pk).update(star_count=stars, points=Decimal(points))
    return a


def test_villages_are_ranked_by_stars_then_points_with_the_change_from_last_year(world, login):
    _result(world, "毛桥村", 2022, 0, 120)
    _result(world, "毛桥村", 2023, 3, 350)
    _result(world, "庄营村", 2022, 4, 420)
    _result(world, "庄营村", 2023, 3, 380)
    _result(world, "施东村", 2023, 4, 400)
    page = login("xian").get(f"/assessments/rankings/{world.unit('新野县').code}/2023/").content.decode()
    assert page.index("施东村") < page.index("庄营村") < page.index("毛桥村")
    assert "↑3" in page and "↓1" in page
    rows = {r.village: r for r in rankings(world.user("xian"), world.unit("新野县"), 2023)}
    assert (rows["施东村"].county_rank, rows["施东村"].town_rank, rows["施东村"].change) == (1, 1, None)
    assert (rows["庄营村"].county_rank, rows["庄营村"].town_rank, rows["庄营村"].change) == (2, 1, -1)
    assert (rows["毛桥村"].county_rank, rows["毛桥村"].town_rank, rows["毛桥村"].change) == (3, 2, 3)


def test_equal_stars_and_points_share_a_place_and_ranking_takes_two_queries(world, django_assert_num_queries):
    _result(world, "毛桥村", 2023, 3, 350, State.AWARDED)
    _result(world, "庄营村", 2023, 3, 350, State.AWARDED)
    StarAward.objects.bulk_create(
        StarAward(village=world.unit(v), year=2023, star_code=c, star_name=c)
        for v in ("毛桥村", "庄营村")
        for c in ("branch", "industry", "ecology")
    )
    user = world.user("zhen")
    rankings(user, world.unit("溧河铺镇"), 2023)  # the user's scope is cached after the first call
    with django_assert_num_queries(2):
        rows = rankings(user, world.unit("溧河铺镇"), 2023)
    assert [r.town_rank for r in rows] == [1, 1]


def test_an_awarded_village_ranks_by_the_stars_it_still_holds(world):
    a = _result(world, "毛桥村", 2023, 5, 480, State.AWARDED)
    for code in ("branch", "industry"):
        StarAward.objects.create(village=a.village, year=2023, star_code=code, star_name=code, assessment=a)
    StarAward.objects.create(village=a.village, year=2023, star_code="safety", star_name="s", status="removed")
    rows = rankings(world.user("zhen"), world.unit("溧河铺镇"), 2023)
    assert rows[0].stars == 2


def test_a_village_sees_only_itself_and_drafts_are_left_out(world):
    _result(world, "毛桥村", 2023, 3, 350)
    _result(world, "庄营村", 2023, 4, 400)
    f.assessment(world, "施东村")
    assert [r.village for r in rankings(world.user("maoqiao"), world.unit("溧河铺镇"), 2023)] == ["毛桥村"]
    assert [r.village for r in rankings(world.user("xian"), world.unit("新野县"), 2023)] == ["庄营村", "毛桥村"]


def test_the_ranking_page_takes_the_same_queries_for_two_or_three_villages(world, login, django_assert_num_queries):
    _result(world, "毛桥村", 2023, 3, 350, State.AWARDED)
    client = login("xian")
    url = f"/assessments/rankings/{world.unit('新野县').code}/2023/"
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as two:
        client.get(url)
    _result(world, "庄营村", 2023, 4, 400, State.AWARDED)
    _result(world, "施东村", 2022, 4, 400, State.AWARDED)
    _result(world, "施东村", 2023, 4, 400, State.AWARDED)
    with django_assert_num_queries(len(two)):
        response = client.get(url)
    assert response.content.decode().count('data-village="') == 3


def test_rankings_over_the_api(world, api):
    _result(world, "毛桥村", 2023, 3, 350)
    rows = api("zhen").get(f"/api/v1/assessments/rankings/{world.unit('溧河铺镇').code}/2023").json()
    assert rows == [
        {
            "county_rank": 1,
            "town_rank": 1,
            "village_code": world.unit("毛桥村").code,
            "village": "毛桥村",
            "town": "溧河铺镇",
            "stars": 3,
            "points": "350.00",
            "last_stars": None,
            "change": None,
            "state": "county_approved",
            "assessment_id": rows[0]["assessment_id"],
        }
    ]
