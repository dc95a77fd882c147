"""万人助万企: an enterprise's request taken on the problem ledger with “13710” deadlines in working days, worked,
escalated and solved with the enterprise's satisfaction; supervision, figures and the home-page task."""

from __future__ import annotations

import datetime as dt

import pytest

from xingyao.core import metrics
from xingyao.core.errors import ActionError
from xingyao.core.testing import every
from xingyao.economy.models import EnterpriseRequest, RequestStep
from xingyao.economy.tests import factories as f
from xingyao.ledgers.models import Item

pytestmark = pytest.mark.django_db


def _take(client, world, **changes):  # type: ignore[no-untyped-def]
    data = {"enterprise_id": f.enterprise(world).pk, "content": "申请协调厂区道路硬化", "received_on": "2023-06-02"}
    return client.post("/api/v1/economy/requests", data | changes, content_type="application/json")


def test_a_request_gets_13710_deadlines_in_working_days_and_an_item_on_the_ledger(world, api):
    response = _take(api("zhen"), world)  # Friday 2 June 2023
    assert response.status_code == 201
    body = response.json()
    assert (body["handover_due"], body["answer_due"], body["solve_due"]) == ("2023-06-05", "2023-06-07", "2023-06-13")
    request = every(EnterpriseRequest).get()
    item = every(Item).get()
    assert request.item == item and item.source == "enterprise" and item.due_on == request.solve_due
    assert item.origin == request and item.origin_label.startswith("万人助万企")


def test_a_hard_request_has_a_month_and_a_county_may_set_its_own_rhythm(world, api, login):
    hard = _take(api("zhen"), world, hard=True).json()
    assert hard["solve_due"] == "2023-07-05"  # 22 working days: 端午 (22–24 June) off, Sunday 25 June worked
    data = {"handover_days": "2", "answer_days": "3", "solve_days": "5", "hard_days": "15"}
    assert login("xian").post("/economy/requests/rhythm/", data).status_code == 302
    faster = _take(api("zhen"), world, content="另一项诉求").json()
    assert (faster["handover_due"], faster["solve_due"]) == ("2023-06-06", "2023-06-09")
    refused = login("xian").post("/economy/requests/rhythm/", data | {"answer_days": "1"})
    assert refused.status_code == 400 and "交办 ≤ 首次答复 ≤ 办结 ≤ 疑难诉求办结" in refused.content.decode()
    assert login("zhen").get("/economy/requests/rhythm/").status_code == 403  # a county's rule


def test_a_request_is_handed_over_answered_and_solved_with_the_enterprises_satisfaction(world, api):
    client = api("zhen")
    rid = _take(client, world).json()["id"]
    url = f"/api/v1/economy/requests/{rid}/step"
    for move, day in [("hand_over", "2023-06-02"), ("answer", "2023-06-05")]:
        assert client.post(url, {"move": move, "acted_on": day}, content_type="application/json").status_code == 200
    unrated = client.post(url, {"move": "solve", "acted_on": "2023-06-09", "note": "已硬化"},
                          content_type="application/json")  # fmt: skip
    assert unrated.status_code == 400 and "企业的评价" in unrated.json()["detail"]
    solved = client.post(url, {"move": "solve", "acted_on": "2023-06-09", "note": "道路已硬化",
                               "satisfaction": "satisfied"}, content_type="application/json")  # fmt: skip
    assert solved.status_code == 200 and solved.json()["state"] == "solved"
    request = every(EnterpriseRequest).get()
    assert request.satisfaction == "satisfied" and request.outcome == "道路已硬化"
    assert [s.action for s in every(RequestStep).order_by("at", "id")] == ["receive", "hand_over", "answer", "solve"]


def test_a_step_before_the_request_or_out_of_order_is_refused(world, api):
    client = api("zhen")
    rid = _take(client, world).json()["id"]
    url = f"/api/v1/economy/requests/{rid}/step"
    early = client.post(url, {"move": "hand_over", "acted_on": "2023-05-30"}, content_type="application/json")
    assert early.status_code == 400 and "交办日期不能早于受理日期（2023-06-02）" in early.json()["detail"]
    skipped = client.post(url, {"move": "answer", "acted_on": "2023-06-05"}, content_type="application/json")
    assert skipped.status_code == 400 and skipped.json()["detail"] == "这项诉求待交办，不能首次答复"
    assert every(EnterpriseRequest).get().state == "received"


def test_escalation_goes_only_upwards_and_the_village_clerk_cannot_work_requests(world, login):
    request = f.request(world)
    client = login("zhen")
    url = f"/economy/requests/{request.pk}/escalate/"
    assert client.post(url, {"level": "town", "reason": "村里协调不了"}).status_code == 302
    down = client.post(url, {"level": "town", "reason": "再次"})
    assert down.status_code == 400 and "只能向上提级" in down.content.decode()
    assert client.post(url, {"level": "county", "reason": "涉及县直部门"}).status_code == 302
    assert every(EnterpriseRequest).get().level == "county"
    clerk = login("maoqiao")
    assert clerk.get(f"/economy/requests/{request.pk}/").status_code == 200  # his village's enterprise
    assert clerk.post(f"/economy/requests/{request.pk}/step/", {"move": "hand_over", "acted_on": "2023-06-01"}
                      ).status_code == 403  # fmt: skip


def test_the_list_shows_yellow_and_red_supervision_by_the_ledgers_rule(world, login, django_assert_max_num_queries):
    from django.utils import timezone

    today = timezone.localdate()
    f.request(world, content="早已超期的诉求", received_on=dt.date(2023, 6, 1), state="answered")
    f.request(world, content="今天到期的诉求", received_on=today, state="answered", solve_due=today)
    for n in range(10):
        f.request(world, content=f"已办结{n}", state="solved", solved_on=dt.date(2023, 6, 9))
    client = login("zhen")
    with django_assert_max_num_queries(12):
        page = client.get("/economy/requests/").content.decode()
    assert page.count("红牌督办") == 1 and page.count("黄牌督办") == 1
    assert "早已超期的诉求" in client.get("/economy/requests/?due=1").content.decode()
    assert "企业诉求临近“13710”时限" in client.get("/home/").content.decode()


def test_the_solved_and_on_time_rates_count_the_requests_received_in_the_period(world, api):
    f.request(world, content="按期", state="solved", solve_due=dt.date(2023, 6, 12), solved_on=dt.date(2023, 6, 9))
    f.request(world, content="超期", state="solved", solve_due=dt.date(2023, 6, 12), solved_on=dt.date(2023, 6, 20))
    f.request(world, content="未办结", state="answered")
    f.request(world, content="去年的", received_on=dt.date(2022, 6, 1), state="received", solve_due=dt.date(2022, 6, 9))
    reader = metrics.unscoped("a test reads the figures")
    town, village = world.unit("溧河铺镇"), world.unit("毛桥村")
    values = reader.values(
        ["economy.enterprise_requests_solved_rate", "economy.enterprise_requests_on_time_rate"], [town, village], 2023
    )
    assert str(values[(village.pk, "economy.enterprise_requests_solved_rate")]) == "66.7"
    assert str(values[(town.pk, "economy.enterprise_requests_on_time_rate")]) == "33.3"
    # a request taken through the API moves the figure
    _take(api("zhen"), world)
    moved = reader.compute("economy.enterprise_requests_solved_rate", [village], 2023)
    assert str(moved[village.pk]) == "50.0"


def test_the_api_list_is_paged_with_supervision(world, api):
    for n in range(3):
        f.request(world, content=f"诉求{n}")
    body = api("zhen").get("/api/v1/economy/requests?limit=2").json()
    assert body["count"] == 3 and len(body["items"]) == 2 and body["items"][0]["supervision"] == "red"
    assert api("zhen").get("/api/v1/economy/requests?state=lost").status_code == 400


def test_the_requests_ledger_item_carries_its_steps_and_waits_for_someone_else_to_accept_it_once_solved(world, api):
    from xingyao.ledgers.actions import do_accept
    from xingyao.ledgers.models import Progress

    client = api("zhen")
    rid = _take(client, world).json()["id"]
    url = f"/api/v1/economy/requests/{rid}/step"
    client.post(url, {"move": "hand_over", "acted_on": "2023-06-02"}, content_type="application/json")
    item = every(Item).get()
    assert item.state == "open" and [p.note for p in every(Progress)] == ["交办"]
    solved = client.post(url, {"move": "solve", "acted_on": "2023-06-09", "note": "道路已硬化",
                               "satisfaction": "satisfied"}, content_type="application/json")  # fmt: skip
    assert solved.status_code == 200
    item.refresh_from_db()
    assert item.state == "submitted"  # off the overdue lists, waiting for its acceptance
    assert every(Progress).order_by("id").last().note == "办结：道路已硬化（企业评价：满意）"
    site = {"method": "site", "score": 90, "accepted_on": dt.date(2023, 6, 10), "panel": "镇班子"}
    with pytest.raises(ActionError, match="不能验收自己的工作"):  # four eyes: the town admin who solved it
        do_accept(world.user("zhen"), item.pk, **site)
    do_accept(world.user("zhen_shenhe"), item.pk, **site)
    item.refresh_from_db()
    assert item.state == "accepted"
