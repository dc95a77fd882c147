"""List pages keep the same number of queries however many assessments they show."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from xingyao.assessments.models import Objection
from xingyao.assessments.tests import fixtures as f
from xingyao.assessments.workflow import State


def _count(client, url: str) -> int:  # type: ignore[no-untyped-def]
    client.get(url)  # warm the session and the user's scope
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_reviewer_queue_does_not_grow_with_its_items(world, login, django_assert_max_num_queries):
    client = login("xian")
    f.at_state(world, State.TOWN_REVIEWED)
    one = _count(client, "/assessments/queue/")
    f.at_state(world, State.TOWN_REVIEWED, village="庄营村")
    Objection.objects.create(assessment=f.at_state(world, State.PUBLICIZED, village="施东村"), content="x", contact="1")
    with django_assert_max_num_queries(one):
        page = client.get("/assessments/queue/").content.decode()
    assert page.count('name="ids"') == 2 and "异议 1" in page


def test_the_county_overview_does_not_grow_with_its_villages(world, login, django_assert_max_num_queries):
    client = login("xian")
    url = f"/assessments/overview/{world.unit('新野县').code}/2023/"
    f.assessment(world)
    one = _count(client, url)
    f.at_state(world, State.SUBMITTED, village="庄营村")
    f.at_state(world, State.AWARDED, village="施东村")
    with django_assert_max_num_queries(one):
        page = client.get(url).content.decode()
    assert "施庵镇" in page and "庄营村" in page


def test_the_public_notice_does_not_grow_with_its_villages(world, client, django_assert_max_num_queries):
    url = f"/public/{world.unit('新野县').code}/2023/"
    f.award(world)
    one = _count(client, url)
    f.at_state(world, State.PUBLICIZED, village="庄营村")
    f.award(world, village="施东村", star_code="safety")
    with django_assert_max_num_queries(one):
        page = client.get(url).content.decode()
    assert "庄营村" in page and "施东村" in page
    assert one <= 8
