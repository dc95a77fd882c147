"""Star plans (创星计划): a village's page, a town's targets against standing, the API, bad input."""

from __future__ import annotations

import datetime as dt

import pytest

from xingyao.assessments.models import StarAward
from xingyao.core.errors import ActionError
from xingyao.places.codes import Kind
from xingyao.places.models import Unit
from xingyao.stars import actions
from xingyao.stars.models import StarPlan
from xingyao.stars.tests.fixtures import draft_set, published_set

PLAN = {"strengths": "区位好", "gaps": "阵地不足", "measures": "建党群服务中心", "responsible": "毛德胜"}


def _plan(world, village: str | Unit, star_code: str, year: int = 2023) -> StarPlan:  # type: ignore[no-untyped-def]
    unit = world.unit(village) if isinstance(village, str) else village
    return actions.do_create_plan(world.user("zhen"), unit, year, star_code, deadline=dt.date(year, 11, 30), **PLAN)


def _villages(world, n: int) -> list[Unit]:  # type: ignore[no-untyped-def]
    town = world.unit("溧河铺镇")
    return [
        Unit.objects.create(code=f"{town.code[:9]}{300 + i}", name=f"测试{i}村", kind=Kind.VILLAGE, parent=town)
        for i in range(n)
    ]


def test_a_village_clerk_makes_one_plan_per_target_star_through_the_page(world, login) -> None:
    published_set(world)
    client = login("maoqiao")
    code = world.unit("毛桥村").code
    response = client.post(f"/stars/plans/{code}/2023/new/branch/", {**PLAN, "deadline": "2023-06-30"}, follow=True)
    page = response.content.decode()
    assert "已制定「支部过硬星」创星方案" in page and "建党群服务中心" in page
    plan = StarPlan.objects.get()
    assert (plan.village, plan.year, plan.star_code, plan.created_by) == (
        world.unit("毛桥村"),
        2023,
        "branch",
        world.user("maoqiao"),
    )
    again = client.post(f"/stars/plans/{code}/2023/new/branch/", {**PLAN, "deadline": "2023-06-30"})
    assert "已有「支部过硬星」的创星方案" in again.content.decode()
    assert StarPlan.objects.count() == 1


def test_plans_need_a_published_set_a_known_star_and_a_deadline_in_the_year(world) -> None:
    draft_set(world, 2023)
    with pytest.raises(ActionError, match="评定标准尚未发布"):
        _plan(world, "毛桥村", "branch")
    published_set(world, 2024)
    with pytest.raises(ActionError, match="没有编码为「moon」的星"):
        _plan(world, "毛桥村", "moon", 2024)
    with pytest.raises(ActionError, match="完成时限不能早于 2024 年"):
        actions.do_create_plan(
            world.user("zhen"), world.unit("毛桥村"), 2024, "branch", deadline=dt.date(2023, 1, 1), **PLAN
        )
    with pytest.raises(ActionError, match="请填写创建措施"):
        actions.do_create_plan(
            world.user("zhen"),
            world.unit("毛桥村"),
            2024,
            "branch",
            deadline=dt.date(2024, 5, 1),
            **{**PLAN, "measures": " "},
        )
    with pytest.raises(ActionError, match="不能为该村"):
        actions.do_create_plan(
            world.user("zhuangying"), world.unit("毛桥村"), 2024, "branch", deadline=dt.date(2024, 5, 1), **PLAN
        )
    assert not StarPlan.objects.exists()


def test_the_village_page_shows_plans_beside_stars_held(world, login, django_assert_max_num_queries) -> None:
    published_set(world)
    _plan(world, "毛桥村", "branch")
    _plan(world, "毛桥村", "ecology")
    StarAward.objects.create(village=world.unit("毛桥村"), year=2023, star_code="branch", star_name="支部过硬星")
    client = login("maoqiao")
    # 14: the plans and stars, the ledger items opened from the plans (one query for all), the inbox badge
    with django_assert_max_num_queries(14):
        page = client.get(f"/stars/plans/{world.unit('毛桥村').code}/2023/").content.decode()
    assert "目标 2 星" in page and "本年已评定 1 星" in page
    assert page.count("修改方案") == 2 and page.count("制定创星方案") == 3


def test_the_town_page_counts_targets_and_standing_per_level_and_per_star(world, login) -> None:
    published_set(world)
    extra = _villages(world, 3)
    for star in ("branch", "industry", "ecology"):
        _plan(world, "毛桥村", star)
    for star in ("branch", "ecology"):
        _plan(world, "庄营村", star)
        StarAward.objects.create(village=world.unit("庄营村"), year=2022, star_code=star, star_name=star)
    _plan(world, extra[0], "branch")
    StarAward.objects.create(village=world.unit("毛桥村"), year=2023, star_code="branch", star_name="支部过硬星")
    response = login("zhen").get(f"/stars/plans/{world.unit('溧河铺镇').code}/2023/")
    summary = {title: (dict(levels), dict(per_star)) for title, levels, per_star in response.context["summary"]}
    target_levels, target_stars = summary["创星目标"]
    assert (target_levels["三星"], target_levels["二星"], target_levels["一星"], target_levels["无星"]) == (1, 1, 1, 2)
    assert (target_stars["支部过硬星"], target_stars["生态宜居星"], target_stars["产业兴旺星"]) == (3, 2, 1)
    assert summary["上年评定"][0]["二星"] == 1 and summary["本年评定"][1]["支部过硬星"] == 1
    assert sum(target_levels.values()) == 5
    page = response.content.decode()
    assert "3 个村已制定创星计划" in page


def test_the_town_page_query_count_does_not_grow_with_villages(world, login, django_assert_max_num_queries) -> None:
    published_set(world)
    client = login("zhen")
    url = f"/stars/plans/{world.unit('溧河铺镇').code}/2023/"
    for village in _villages(world, 12):
        _plan(world, village, "branch")
    with django_assert_max_num_queries(12):
        page = client.get(url).content.decode()
    assert "14 个村，12 个村已制定创星计划" in page


def test_the_plans_menu_sends_each_user_to_his_own_unit(world, login) -> None:
    published_set(world)
    assert login("maoqiao").get("/stars/plans/")["Location"] == f"/stars/plans/{world.unit('毛桥村').code}/2023/"
    assert login("zhen").get("/stars/plans/")["Location"] == f"/stars/plans/{world.unit('溧河铺镇').code}/2023/"
    assert login("xian").get("/stars/plans/")["Location"] == f"/stars/plans/{world.unit('新野县').code}/2023/"


def test_plans_through_the_api(world, api) -> None:
    published_set(world)
    client = api("maoqiao")
    payload = {"village_code": world.unit("毛桥村").code, "year": 2023, "star_code": "ecology", "measures": "修环村路"}
    payload |= {"responsible": "毛德胜", "deadline": "2023-09-30"}
    created = client.post("/api/v1/plans", payload, content_type="application/json")
    assert created.status_code == 201 and created.json()["star_code"] == "ecology"
    plan_id = created.json()["id"]
    update = {"measures": "修环村路 1500 米", "responsible": "毛德胜", "deadline": "2022-09-30"}
    refused = client.put(f"/api/v1/plans/{plan_id}", update, content_type="application/json")
    assert refused.status_code == 400 and refused.json()["detail"] == "完成时限不能早于 2023 年"
    update["deadline"] = "2023-10-31"
    assert client.put(f"/api/v1/plans/{plan_id}", update, content_type="application/json").status_code == 200
    listed = api("zhen").get(f"/api/v1/plans?unit={world.unit('溧河铺镇').code}&year=2023").json()
    assert [(p["village_name"], p["measures"]) for p in listed] == [("毛桥村", "修环村路 1500 米")]
    assert api("zhuangying").get(f"/api/v1/plans?unit={world.unit('毛桥村').code}&year=2023").status_code == 404


# --- the 创星计划 table handed upward ----------------------------------------------------------------------------


def _export(client, unit: str):  # type: ignore[no-untyped-def]
    from xingyao.core.testing import read_table

    response = client.get(f"/stars/plans/{unit}/2023/plans.xlsx")
    assert response.status_code == 200
    return read_table(response.content)


def test_the_plans_table_sets_each_villages_targets_against_its_stars_with_totals(world, login) -> None:
    published_set(world)
    for star in ("branch", "industry"):
        _plan(world, "毛桥村", star)
    StarAward.objects.create(village=world.unit("毛桥村"), year=2023, star_code="branch", star_name="支部过硬星")
    StarAward.objects.create(village=world.unit("庄营村"), year=2023, star_code="ecology", star_name="生态宜居星")
    table = _export(login("zhen"), world.unit("溧河铺镇").code)
    assert table.above[0] == "溧河铺镇2023年“五星”支部创建创星目标与评定情况表"
    rows = table.by("村（社区）")
    assert (rows["毛桥村"]["目标星数"], rows["毛桥村"]["本年获评星数"], rows["毛桥村"]["目标完成情况"]) == (
        2,
        1,
        "差 1 星",
    )
    assert rows["毛桥村"]["支部过硬星"] == "目标，已获评" and rows["毛桥村"]["产业兴旺星"] == "目标，未获评"
    assert rows["庄营村"]["生态宜居星"] == "已获评（非目标）" and rows["庄营村"]["目标完成情况"] == "未定目标"
    assert table.total("目标星数") == 2 and table.total("本年获评星数") == 2
    assert table.total("目标完成情况") == "差 1 星 1，未定目标 1"


def test_the_plans_table_shows_no_village_of_another_town_and_takes_no_more_queries_for_more_villages(
    world, login, django_assert_max_num_queries
) -> None:
    published_set(world)
    client = login("zhen")
    town = world.unit("溧河铺镇").code
    _export(client, town)
    for village in _villages(world, 12):
        _plan(world, village, "branch")
    with django_assert_max_num_queries(12):
        table = _export(client, town)
    assert len(table.rows) == 14 and "施东村" not in table.column("村（社区）")
    assert "施东村" in _export(login("shian"), world.unit("施庵镇").code).column("村（社区）")
    assert login("shian").get(f"/stars/plans/{town}/2023/plans.xlsx").status_code == 404
    assert login("zhen").get(f"/stars/plans/{world.unit('毛桥村').code}/2023/plans.xlsx").status_code == 404
    assert f'href="/stars/plans/{town}/2023/plans.xlsx"' in client.get(f"/stars/plans/{town}/2023/").content.decode()
