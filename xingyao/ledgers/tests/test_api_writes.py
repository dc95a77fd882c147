"""The ledger's writes over the API: the same do_* as the pages, the same four-eyes rule, the same refusals."""

from __future__ import annotations

import pytest

from xingyao.core.models import AuditEntry
from xingyao.core.testing import every
from xingyao.ledgers.models import Acceptance, Item, Progress

pytestmark = pytest.mark.django_db

JSON = "application/json"


def _item(world):  # type: ignore[no-untyped-def]
    return {
        "village_code": world.unit("毛桥村").code,
        "source": "weak_branch",
        "problem": "环形路未硬化",
        "target": "硬化 1500 米环形路",
        "measure": "争取一事一议资金",
        "steps": "测量、招标、施工",
        "responsible": "毛德胜",
        "start_on": "2023-03-06",
        "days": 40,
    }


def test_an_item_goes_from_opening_to_closure_over_the_api_with_four_eyes(world, api):
    town, clerk, county = api("zhen"), api("maoqiao"), api("xian")
    opened = town.post("/api/v1/ledgers/items", _item(world), content_type=JSON)
    assert opened.status_code == 201, opened.content
    pk = opened.json()["id"]
    assert opened.json()["due_on"] == "2023-05-04" and opened.json()["state"] == "open"
    progress = clerk.post(f"/api/v1/ledgers/items/{pk}/progress", {"acted_on": "2023-04-10", "note": "路基完成"},
                          content_type=JSON)  # fmt: skip
    assert progress.status_code == 201 and every(Progress).filter(item_id=pk).count() == 1
    assert clerk.post(f"/api/v1/ledgers/items/{pk}/submit", {}, content_type=JSON).json()["state"] == "submitted"
    acceptance = {"method": "site", "score": 90, "accepted_on": "2023-04-28", "panel": "县委组织部 赵某"}
    # The clerk may not accept at all; the county, who did not work it and holds no role on the village, may.
    assert clerk.post(f"/api/v1/ledgers/items/{pk}/accept", acceptance, content_type=JSON).status_code == 403
    accepted = county.post(f"/api/v1/ledgers/items/{pk}/accept", acceptance, content_type=JSON)
    assert accepted.status_code == 200 and accepted.json()["state"] == "accepted"
    closed = town.post(f"/api/v1/ledgers/items/{pk}/close", {"on": "2023-04-30"}, content_type=JSON)
    assert closed.status_code == 200 and closed.json()["state"] == "closed"
    actions = list(every(AuditEntry).filter(object_id=str(pk)).order_by("id").values_list("action", flat=True))
    assert actions == ["ledger_item.open", "ledger_item.progress", "ledger_item.submit", "ledger_item.pass",
                       "ledger_item.close"]  # fmt: skip


def test_the_one_who_worked_an_item_cannot_accept_it_over_the_api(world, api):
    town = api("zhen")
    pk = town.post("/api/v1/ledgers/items", _item(world), content_type=JSON).json()["id"]
    town.post(f"/api/v1/ledgers/items/{pk}/progress", {"acted_on": "2023-04-10", "note": "路基完成"}, content_type=JSON)
    town.post(f"/api/v1/ledgers/items/{pk}/submit", {}, content_type=JSON)
    refused = town.post(
        f"/api/v1/ledgers/items/{pk}/accept",
        {"method": "site", "score": 90, "accepted_on": "2023-04-28", "panel": "镇纪委"},
        content_type=JSON,
    )
    assert refused.status_code == 400 and "不能验收自己的工作" in refused.json()["detail"]
    assert not every(Acceptance).exists() and every(Item).get().state == "submitted"


def test_a_failed_acceptance_reopens_over_the_api_with_a_new_deadline(world, api):
    town, county = api("zhen"), api("xian")
    pk = town.post("/api/v1/ledgers/items", _item(world), content_type=JSON).json()["id"]
    api("maoqiao").post(f"/api/v1/ledgers/items/{pk}/progress", {"acted_on": "2023-04-10", "note": "路基"},
                        content_type=JSON)  # fmt: skip
    api("maoqiao").post(f"/api/v1/ledgers/items/{pk}/submit", {}, content_type=JSON)
    failed = county.post(
        f"/api/v1/ledgers/items/{pk}/accept",
        {"method": "rating", "score": 80, "satisfied": 10, "dissatisfied": 20, "accepted_on": "2023-04-28",
         "panel": "村民代表"},
        content_type=JSON,
    )  # fmt: skip
    assert failed.json()["state"] == "failed"
    reopened = town.post(f"/api/v1/ledgers/items/{pk}/reopen", {"start_on": "2023-05-04", "days": 10},
                         content_type=JSON)  # fmt: skip
    assert reopened.status_code == 200 and reopened.json()["state"] == "open" and every(Item).get().rounds == 2


@pytest.mark.parametrize(
    ("changes", "status", "message"),
    [
        ({"days": 0}, 400, "完成时限不能早于开始日期"),
        ({"village_code": "411329999999"}, 404, ""),
        ({"source": "nothing"}, 400, "请选择事项来源"),
        ({"problem": "x" * 201}, 400, "格式不正确"),
    ],
)
def test_bad_items_over_the_api_write_nothing(world, api, changes, status, message):
    response = api("zhen").post("/api/v1/ledgers/items", _item(world) | changes, content_type=JSON)
    assert response.status_code == status, response.content
    assert message in response.json().get("detail", "") if message else True
    assert not every(Item).exists()


def test_a_town_outside_cannot_open_an_item_for_the_village(world, api):
    response = api("shian").post("/api/v1/ledgers/items", _item(world), content_type=JSON)
    assert response.status_code == 404 and not every(Item).exists()
