import json
from decimal import Decimal

from xingyao.grid.models import EventCategory
from xingyao.grid.tests import factories as f


def test_town_map_draws_village_geometry_and_event_points(world, login):
    village = world.unit("毛桥村")
    village.geometry = {
        "type": "Polygon",
        "coordinates": [[[112.3, 32.5], [112.31, 32.5], [112.31, 32.51], [112.3, 32.5]]],
    }
    village.save()
    f.event(world, latitude=Decimal("32.505"), longitude=Decimal("112.305"), title="<b>路灯</b>")
    response = login("zhen").get("/grid/map/")
    page = response.content.decode()
    assert 'src="/static/grid/map.js"' in page and "<script>" not in page.replace('<script src="', "")
    data = json.loads(page.split('id="map-data" type="application/json">')[1].split("</script>")[0])
    assert data["geo"]["features"][0]["properties"]["name"] == "毛桥村"
    assert data["points"][0]["value"] == [112.305, 32.505]
    assert (
        "<b>" not in page.split('id="map-data" type="application/json">')[1].split("</script>")[0]
    )  # json_script escapes markup


def test_county_admin_adds_a_third_level_category_and_the_code_stays(world, login):
    parent = f.categories(world)["MDJF-LL"]
    client = login("xian")
    response = client.post(
        f"/grid/categories/new/{world.unit('新野县').code}/",
        {
            "code": "mdjf-ll-sx",
            "name": "宅前屋后纠纷",
            "parent": parent.pk,
            "department_type": "司法所",
            "deadline_days": 5,
            "active": "on",
        },
    )
    assert response.status_code == 302
    created = EventCategory.objects.get(code="MDJF-LL-SX")
    assert created.level == 3 and created.full_name == "矛盾纠纷 / 邻里纠纷 / 宅前屋后纠纷"
    renamed = client.post(
        f"/grid/categories/{created.pk}/edit/",
        {"code": "OTHER", "name": "x", "parent": parent.pk, "deadline_days": 5},
    )
    assert renamed.status_code == 200 and "不能修改" in renamed.content.decode()
    assert login("zhen").get(f"/grid/categories/new/{world.unit('新野县').code}/").status_code == 403


def test_filters_swap_only_the_table_when_htmx_asks(world, login):
    f.event(world, title="路灯不亮", category="GGSS-LD")
    f.event(world, title="可疑车辆")
    response = login("zhen").get("/grid/?q=路灯", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="event-table")
    page = response.content.decode()
    assert "<html" not in page and "路灯不亮" in page and "可疑车辆" not in page


def test_unit_page_links_to_grid_people_and_the_zero_tally(world, login):
    page = login("maoqiao").get(f"/units/{world.unit('毛桥村').code}/").content.decode()
    assert f"/grid/people/{world.unit('毛桥村').code}/" in page and "/disputes/zero/" in page


def test_home_page_lists_grid_tasks(world, login):
    f.event(world)
    tasks = {t.label: t.count for t in login("wangge").get("/home/").context["tasks"]}
    assert tasks["网格事件待办"] == 1
