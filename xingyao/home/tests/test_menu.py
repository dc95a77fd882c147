"""The menu per role: each persona sees the work he does, and every link he is shown answers with content."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from xingyao.core.menu import menu_for
from xingyao.core.scoping import held_roles
from xingyao.home.tests import fixtures as hf

PERSONAS = [
    "xian",
    "xian_shenhe",
    "lingdao",
    "zhen",
    "zhen_shenhe",
    "maoqiao",
    "zhuangying",
    "wangge",
    "paichusuo",
    "shian",
    "shidong",
    "zhengfawei",
    "nongye",
]

# What must show behind a persona's link when the test world gives him that work.
EXPECTED = {
    ("maoqiao", "assessments.mine"): "2023",
    ("maoqiao", "grid.events"): hf.REPORTED,
    ("maoqiao", "disputes.list"): hf.DISPUTE,
    ("maoqiao", "stars.plans"): "毛桥村",
    ("maoqiao", "grid.people"): "毛桥村第1网格",
    ("maoqiao", "grid.report"): "获取当前位置",
    ("wangge", "grid.report"): "获取当前位置",
    ("wangge", "grid.events"): hf.REPORTED,
    ("zhen", "assessments.queue"): "庄营村",
    ("zhen", "assessments.progress"): "庄营村",
    ("zhen", "assessments.rankings"): "毛桥村",
    ("zhen", "assessments.publicity"): "毛桥村",
    ("zhen", "grid.events"): hf.REPORTED,
    ("zhen", "grid.people"): "毛桥村第1网格",
    ("zhen", "disputes.list"): hf.DISPUTE,
    ("zhen", "disputes.zero"): "毛桥村",
    ("zhen", "reports.dashboard"): "庄营村",
    ("zhen_shenhe", "assessments.queue"): "庄营村",
    ("xian", "assessments.queue"): "庄营村",
    ("xian_shenhe", "assessments.queue"): "庄营村",
    ("lingdao", "assessments.rankings"): "毛桥村",
    ("lingdao", "assessments.progress"): "溧河铺镇",
    ("lingdao", "disputes.figures"): "毛桥村",
    ("zhengfawei", "assessments.dept_queue"): "施东村",
    ("nongye", "assessments.dept_queue"): "施东村",
    ("paichusuo", "grid.events"): hf.DISPATCHED,
}


def _keys(world, username: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [link.key for link in menu_for(world.user(username))]


def test_each_role_leads_with_its_own_work(world):
    assert _keys(world, "wangge")[0] == "grid.report"
    assert _keys(world, "maoqiao")[0] == "assessments.mine"
    assert _keys(world, "zhengfawei")[0] == "assessments.dept_queue"
    assert _keys(world, "zhen")[0] == "assessments.queue"
    assert _keys(world, "lingdao")[:3] == ["assessments.progress", "assessments.rankings", "disputes.figures"]


def test_no_role_is_offered_a_page_it_cannot_use(world):
    for username in ("wangge", "paichusuo", "zhengfawei"):
        assert "stars.plans" not in _keys(world, username)  # was a 404
    assert "assessments.queue" not in _keys(world, "maoqiao")  # was an empty review queue
    assert "assessments.queue" not in _keys(world, "lingdao")
    assert "assessments.dept_queue" not in _keys(world, "paichusuo")  # a town's 派出所 reviews no star
    assert "accounts.users" not in _keys(world, "lingdao")
    assert {"accounts.users", "core.audit", "grid.people", "assessments.publicity"} <= set(_keys(world, "zhen"))


def test_a_county_department_handler_is_offered_his_queue_not_empty_event_and_case_lists(world, login):
    for username in ("zhengfawei", "nongye"):  # county departments: their work is the star review
        keys = _keys(world, username)
        assert keys[0] == "assessments.dept_queue"
        assert "grid.events" not in keys and "disputes.list" not in keys, username
    assert {"grid.events", "disputes.list"} <= set(_keys(world, "paichusuo"))  # a town's 派出所 works both
    # An event dispatched to his department, or a case it joins, still reaches him: as a task on his home page.
    from xingyao.grid.tests import factories as gf

    gf.event(world, state="dispatched", department="县委政法委", title="县级部门承办的事件")
    gf.dispute(world, status="mediating", team=("县委政法委",))
    home = login("zhengfawei").get("/home/").content.decode()
    assert "网格事件待办" in home and "矛盾纠纷调处中" in home


def test_the_menu_costs_no_query_once_the_roles_are_read(world, django_assert_num_queries):
    for username in PERSONAS:
        user = world.user(username)
        held_roles(user)
        with django_assert_num_queries(0):
            menu_for(user)


@pytest.mark.parametrize("username", PERSONAS)
def test_every_menu_link_answers_with_content(world, username):
    hf.busy(world)
    client = Client()
    client.force_login(world.user(username))
    home = client.get("/home/")
    assert home.status_code == 200
    links = menu_for(world.user(username))
    assert links, f"{username} has an empty menu"
    for link in links:
        assert f'href="{link.url}"' in home.content.decode(), link.key  # in the menu and on the home page
        response = client.get(link.url, follow=True)
        assert response.status_code == 200, (username, link.key, response.redirect_chain)
        page = response.content.decode()
        assert "<h1" in page and "页面不存在" not in page, (username, link.key)
        expected = EXPECTED.get((username, link.key))
        if expected:
            assert expected in page, (username, link.key, response.redirect_chain)
    shown = {link.key for link in links}
    assert {key for user, key in EXPECTED if user == username} <= shown, "a link the role needs is missing"


@pytest.mark.parametrize("unit", ["溧河铺镇", "毛桥村", "毛桥村第1网格"])
def test_a_unit_pages_links_all_lead_somewhere(world, login, unit):
    """The “三零” link on a grid's page was a 404: every plain link in a unit page's body must answer."""
    hf.busy(world)
    client = login("zhen")
    page = client.get(world.unit(unit).get_absolute_url()).content.decode()
    main = page[page.index("<main") :]
    links = set(re.findall(r'<a [^>]*href="(/[^"]*)"', main))
    assert links
    for href in sorted(links):
        response = client.get(href.replace("&amp;", "&"))
        assert response.status_code in (200, 302), (unit, href, response.status_code)
