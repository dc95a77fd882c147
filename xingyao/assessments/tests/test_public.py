"""The public notice page: no login, no personal data, no inline scripts, objections escaped and rate-limited."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import transaction

from xingyao.assessments.actions import change_star
from xingyao.assessments.models import Objection, StarAward
from xingyao.assessments.tests import fixtures as f
from xingyao.assessments.workflow import State


@pytest.fixture(autouse=True)
def _fresh_rate_limit():  # type: ignore[no-untyped-def]
    cache.clear()
    yield
    cache.clear()


def _notice(world) -> str:  # type: ignore[no-untyped-def]
    return f"/public/{world.unit('新野县').code}/2023/"


def _objection_url(world, a) -> str:  # type: ignore[no-untyped-def]
    return f"/public/{world.unit('新野县').code}/2023/objection/{a.pk}/"


def test_anyone_sees_the_villages_under_publicity_with_their_stars(world, client):
    f.at_state(world, State.PUBLICIZED)
    f.at_state(world, State.SUBMITTED, village="庄营村")
    response = client.get(_notice(world))
    page = response.content.decode()
    assert response.status_code == 200
    assert "毛桥村" in page and "5 星" in page and "支部过硬星" in page and "提出异议" in page
    assert "庄营村" not in page  # not yet approved by the county


def test_the_public_page_carries_no_personal_data(world, client):
    a = f.at_state(world, State.PUBLICIZED)
    Objection.objects.create(assessment=a, content="举报内容", contact="13912345678", name="张三")
    page = client.get(_notice(world)).content.decode()
    for private in ("13912345678", "张三", "举报内容", "毛德胜", "maoqiao", "陈静", "李秀英"):
        assert private not in page
    assert "异议核查中，暂缓授星" in page


def test_the_public_page_forbids_inline_scripts_and_loads_nothing_from_elsewhere(world, client):
    f.at_state(world, State.PUBLICIZED)
    for url in (_notice(world), _objection_url(world, f.assessment(world))):
        response = client.get(url)
        directives = dict(d.strip().split(" ", 1) for d in response["Content-Security-Policy"].split(";"))
        assert directives["script-src"] == "'self'"
        html = response.content.decode()
        assert "<script>" not in html and " style=" not in html
        assert "http://" not in html and "https://" not in html


def test_an_objection_is_received_and_pauses_the_award(world, client):
    a = f.at_state(world, State.PUBLICIZED)
    response = client.post(_objection_url(world, a), {"content": "广场并未建成", "contact": "13700000000", "name": ""})
    assert response.status_code == 200 and "异议已收到" in response.content.decode()
    objection = Objection.objects.get(assessment=a)
    assert (objection.content, objection.contact, objection.name, objection.status) == (
        "广场并未建成",
        "13700000000",
        "",
        "open",
    )
    assert a.steps.filter(action="objection_opened").exists()


def test_a_script_in_an_objection_is_shown_as_text(world, client, login):
    a = f.at_state(world, State.PUBLICIZED)
    client.post(_objection_url(world, a), {"content": "<script>alert(1)</script>", "contact": "<b>x</b>"})
    page = login("xian").get(f"/assessments/{a.pk}/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page
    assert "&lt;b&gt;x&lt;/b&gt;" in page


def test_objections_are_rate_limited_per_address(world, client):
    a = f.at_state(world, State.PUBLICIZED)
    url = _objection_url(world, a)
    for n in range(5):
        assert client.post(url, {"content": f"第{n}条", "contact": "1"}).status_code == 200
    refused = client.post(url, {"content": "第6条", "contact": "1"})
    assert refused.status_code == 429 and "提交过于频繁" in refused.content.decode()
    assert Objection.objects.filter(assessment=a).count() == 5
    other = client.post(url, {"content": "另一地址", "contact": "1"}, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200


def test_a_bot_that_fills_the_hidden_field_is_thanked_and_ignored(world, client):
    a = f.at_state(world, State.PUBLICIZED)
    page = client.post(_objection_url(world, a), {"content": "广告", "contact": "1", "website": "http://spam"})
    assert "异议已收到" in page.content.decode()
    assert not Objection.objects.exists()


def test_an_objection_needs_content_and_a_contact(world, client):
    a = f.at_state(world, State.PUBLICIZED)
    page = client.post(_objection_url(world, a), {"content": "", "contact": ""}).content.decode()
    assert "这个字段是必填项" in page
    assert not Objection.objects.exists()


def test_results_after_award_list_the_stars_held_as_published(world, client):
    award = f.award(world)
    with transaction.atomic():
        change_star(world.user("xian"), award, "warn", reason="发生安全事故", upload=f.photo("通报.jpg"))
    page = client.get(_notice(world)).content.decode()
    assert "星级榜" in page and "支部过硬星（警示）" in page and "发生安全事故" in page


def test_a_status_changed_without_a_published_notice_does_not_reach_the_public_board(world, client):
    award = f.award(world)
    StarAward.objects.filter(pk=award.pk).update(status="removed")
    page = client.get(_notice(world)).content.decode()
    assert (
        "支部过硬星" in page and "（摘星）" not in page and "暂无警示、暂停、摘星或恢复" in page
    )  # only what was published


def test_an_unknown_county_or_a_village_of_another_county_is_not_found(world, client):
    a = f.at_state(world, State.PUBLICIZED)
    assert client.get("/public/411399000000/2023/").status_code == 404
    assert client.get(f"/public/{world.unit('毛桥村').code}/2023/").status_code == 404  # villages have no board
    assert client.get(f"/public/{world.unit('溧河铺镇').code}/2023/").status_code == 200  # towns have one
    assert client.get(f"/public/{world.unit('唐河县').code}/2023/objection/{a.pk}/").status_code == 404
