"""Lists: one filter behind page, API and export; one pagination; a bad parameter is a Chinese 400, never a 500."""

import io

import pytest
from openpyxl import load_workbook

from xingyao.assessments.tests import fixtures as af
from xingyao.grid.tests import factories as f


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/grid/?state=bogus", "状态「bogus」不是可选的值"),
        ("/grid/?tab=mine", "列表「mine」不是可选的值"),
        ("/grid/?since=2024-13-01", "开始日期应为 年-月-日 格式的日期"),
        ("/grid/?village=abc", "村应为 1 到"),
        ("/grid/ledger.xlsx?level=purple", "督办等级「purple」不是可选的值"),
        ("/disputes/?risk=black", "风险等级「black」不是可选的值"),
        ("/disputes/?year=1800", "年度应为 2000 到 2100 之间的整数"),
        ("/disputes/ledger.xlsx?status=lost", "状态「lost」不是可选的值"),
        ("/disputes/?q=" + "纠" * 51, "搜索词不能超过 50 个字"),
    ],
)
def test_a_page_or_export_asked_with_a_bad_parameter_says_why_in_chinese(world, login, path, message):
    response = login("zhen").get(path)
    assert response.status_code == 400
    assert message in response.content.decode()


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/api/v1/grid/events?state=bogus", "状态「bogus」不是可选的值"),
        ("/api/v1/disputes?outcome=won", "调处结果「won」不是可选的值"),
        ("/api/v1/assessments?state=done", "状态「done」不是可选的值"),
        ("/api/v1/assessments?year=abc", "年度应为 2000 到 2100 之间的整数"),
        ("/api/v1/grid/events?limit=501", "limit 不能大于 500"),
        ("/api/v1/grid/events?limit=0", "limit 不能小于 1"),
        ("/api/v1/disputes?offset=-1", "offset 不能小于 0"),
        ("/api/v1/memberships?limit=abc", "limit 应为整数"),
    ],
)
def test_the_api_answers_a_bad_parameter_with_400_and_the_reason(world, api, path, message):
    response = api("zhen").get(path)
    assert response.status_code == 400
    assert message in response.json()["detail"]


def test_every_api_list_pages_the_same_way(world, api):
    for n in range(3):
        f.event(world, title=f"路灯{n}")
        f.dispute(world, summary=f"纠纷{n}")
    client = api("zhen")
    lists = [("/api/v1/grid/events", {}), ("/api/v1/disputes", {}), ("/api/v1/memberships", {})]
    for path, params in [*lists, ("/api/v1/units/search", {"q": "村"})]:
        first = client.get(path, {**params, "limit": 2}).json()
        rest = client.get(path, {**params, "limit": 2, "offset": 2}).json()
        assert set(first) == {"count", "limit", "offset", "items"}, path
        assert first["count"] == rest["count"] >= 3 and len(first["items"]) == 2, path
        assert (rest["offset"], len(rest["items"])) == (2, min(2, first["count"] - 2)), path
        ids = [i.get("id", i.get("code")) for i in first["items"] + rest["items"]]
        assert len(set(ids)) == len(ids), path  # no row twice across pages


def test_page_api_and_ledger_list_the_same_disputes(world, login, api):
    f.dispute(world, summary="高风险的纠纷", risk="red")
    f.dispute(world, summary="低风险的纠纷", risk="yellow")
    page = login("zhen").get("/disputes/?risk=red").content.decode()
    listed = [d["summary"] for d in api("zhen").get("/api/v1/disputes?risk=red").json()["items"]]
    book = load_workbook(io.BytesIO(login("zhen").get("/disputes/ledger.xlsx?risk=red").content))
    cells = [row[6] for row in book.active.iter_rows(min_row=2, values_only=True)]
    assert "高风险的纠纷" in page and "低风险的纠纷" not in page
    assert listed == cells == ["高风险的纠纷"]


def test_the_assessment_list_filters_by_state_on_the_page_and_the_api(world, login, api):
    af.assessment(world, "毛桥村")
    af.assessment(world, "庄营村")
    town = world.unit("溧河铺镇")
    drafts = api("zhen").get(f"/api/v1/assessments?unit={town.code}&year=2023&state=draft").json()
    assert sorted(i["village_name"] for i in drafts["items"]) == ["庄营村", "毛桥村"]
    assert api("zhen").get(f"/api/v1/assessments?unit={town.code}&state=submitted").json()["count"] == 0
    page = login("zhen").get(f"/assessments/overview/{town.code}/2023/?state=submitted").content.decode()
    assert "毛桥村</a>" not in page
    assert "毛桥村</a>" in login("zhen").get(f"/assessments/overview/{town.code}/2023/").content.decode()


def test_the_api_narrows_a_list_to_a_unit_by_its_code(world, api):
    f.event(world, title="毛桥村的事件")
    f.event(world, title="庄营村的事件", unit="庄营村第1网格")
    f.dispute(world, summary="毛桥村的纠纷")
    f.dispute(world, summary="庄营村的纠纷", village="庄营村")
    client, village = api("zhen"), world.unit("庄营村").code
    events = client.get("/api/v1/grid/events", {"unit": village}).json()["items"]
    disputes = client.get("/api/v1/disputes", {"unit": village}).json()["items"]
    assert [e["title"] for e in events] == ["庄营村的事件"]
    assert [d["summary"] for d in disputes] == ["庄营村的纠纷"]
    assert client.get("/api/v1/disputes", {"unit": world.unit("施东村").code}).status_code == 404
