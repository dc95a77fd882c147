import io

import pytest
from openpyxl import Workbook, load_workbook

from xingyao.core.models import AuditEntry
from xingyao.core.sheets import ImportFailed
from xingyao.places import actions
from xingyao.places.models import Unit


def xlsx(rows, title="网格") -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def test_village_page_lists_its_grids_and_people(world, login):
    response = login("maoqiao").get(f"/units/{world.unit('毛桥村').code}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "毛桥村第1网格" in page
    assert "毛德胜" in page and "村级填报员" in page
    assert "毛小兵" in page  # the grid worker of one of its grids


def test_village_user_cannot_see_another_village_by_page_or_api(world, login, api):
    code = world.unit("庄营村").code
    assert login("maoqiao").get(f"/units/{code}/").status_code == 404
    assert api("maoqiao").get(f"/api/v1/units/{code}").status_code == 404
    assert api("maoqiao").get(f"/api/v1/units/{code}/children").status_code == 404
    assert login("maoqiao").get(f"/units/{code}/export/grids.xlsx").status_code == 404


def test_outsider_town_gets_not_found_for_every_unit_of_the_other_town(world, login, api):
    lihepu = world.unit("溧河铺镇")
    shian = login("shian")
    shian_api = api("shian")
    codes = list(Unit.objects.subtree(lihepu).values_list("code", flat=True))
    assert len(codes) >= 8
    for code in codes:
        assert shian.get(f"/units/{code}/").status_code == 404, code
        assert shian_api.get(f"/api/v1/units/{code}").status_code == 404, code


def test_unknown_and_foreign_codes_look_the_same(world, login):
    client = login("maoqiao")
    assert client.get("/units/999999999999/").status_code == 404
    assert client.get(f"/units/{world.unit('庄营村').code}/").status_code == 404


def test_search_only_finds_units_in_scope(world, api):
    found = api("maoqiao").get("/api/v1/units/search", {"q": "村"}).json()["items"]
    names = {u["name"] for u in found}
    assert "毛桥村" in names
    assert "庄营村" not in names and "施东村" not in names


def test_town_admin_adds_a_grid_that_extends_the_village_code(world, login):
    village = world.unit("毛桥村")
    client = login("zhen")
    bad = client.post(
        f"/units/{village.code}/new/", {"code": world.unit("庄营村").code + "002", "name": "错", "kind": "grid"}
    )
    assert bad.status_code == 200
    assert "没有延续上级单位代码" in bad.content.decode()
    good = client.post(
        f"/units/{village.code}/new/", {"code": village.code + "002", "name": "毛桥村第2网格", "kind": "grid"}
    )
    assert good.status_code == 302
    grid = Unit.objects.get(code=village.code + "002")
    assert grid.parent == village and grid.prefix == grid.code
    assert AuditEntry.objects.filter(action="unit.create", object_id=str(grid.pk)).exists()


def test_unit_page_query_count_does_not_grow_with_children(world, login, django_assert_max_num_queries):
    village = world.unit("毛桥村")
    client = login("zhen")
    for i in range(2, 30):
        Unit.objects.create(code=f"{village.code}{i:03d}", name=f"网格{i}", kind="grid", parent=village)
    with django_assert_max_num_queries(12):
        response = client.get(f"/units/{village.code}/")
    assert response.content.decode().count("网格") >= 29


def test_grid_import_reports_every_error_by_sheet_row_and_column_and_writes_nothing(world):
    village = world.unit("毛桥村")
    other = world.unit("庄营村")
    before = Unit.objects.count()
    upload = xlsx(
        [
            ["网格代码", "网格名称", "所属单位代码", "户数"],
            [village.code + "005", "毛桥村第5网格", village.code, 40],
            [other.code + "006", "错挂网格", village.code, 30],
            [village.code + "005", "重复", village.code, 10],
            [village.code + "007", "", village.code, "很多"],
        ]
    )
    with pytest.raises(ImportFailed) as caught:
        actions.do_import_grids(world.user("zhen"), upload, "grids.xlsx")
    messages = [str(e) for e in caught.value.errors]
    assert any("第 3 行" in m and "没有延续" in m for m in messages), messages
    assert any("第 4 行" in m and "重复" in m for m in messages), messages
    assert any("第 5 行「网格名称」列" in m for m in messages), messages
    assert any("第 5 行「户数」列" in m for m in messages), messages
    assert all(m.startswith("工作表「网格」") for m in messages)
    assert Unit.objects.count() == before


def test_grid_import_refuses_a_missing_column_and_a_file_that_is_not_a_spreadsheet(world):
    with pytest.raises(ImportFailed, match="所属单位代码"):
        actions.do_import_grids(world.user("zhen"), xlsx([["网格代码", "网格名称"]]), "g.xlsx")
    with pytest.raises(ImportFailed, match="不是有效的 Excel"):
        actions.do_import_grids(world.user("zhen"), io.BytesIO(b"%PDF-1.4 not a sheet"), "g.xlsx")


def test_grid_import_outside_the_admins_town_is_refused(world):
    shidong = world.unit("施东村")
    upload = xlsx([["网格代码", "网格名称", "所属单位代码"], [shidong.code + "001", "越界", shidong.code]])
    with pytest.raises(ImportFailed, match="不在您的辖区内"):
        actions.do_import_grids(world.user("zhen"), upload, "g.xlsx")


def test_grid_import_through_the_page_creates_grids_and_microgrids(world, login):
    village = world.unit("毛桥村")
    upload = xlsx(
        [
            ["网格代码", "网格名称", "所属单位代码", "层级", "户数"],
            [village.code + "003003", "第3网格第3微网格", village.code + "003", "微网格", 25],
            [village.code + "003", "毛桥村第3网格", village.code, "网格", 80],
        ]
    )
    upload.name = "grids.xlsx"
    response = login("zhen").post(f"/units/{world.unit('溧河铺镇').code}/import/grids/", {"file": upload})
    assert response.status_code == 302
    micro = Unit.objects.get(code=village.code + "003003")
    assert micro.parent.code == village.code + "003" and micro.households == 25


def test_division_csv_import_builds_the_tree_from_codes(world):
    csv_text = "代码,名称,层级\n411329108000,王集镇,镇\n411329108201,王集村,村\n411329108202,李湾村,村\n"
    county_admin = world.user("xian")
    result = actions.do_import_divisions(county_admin, io.BytesIO(csv_text.encode()), "codes.csv")
    assert (result.created, result.updated) == (3, 0)
    assert Unit.objects.get(code="411329108202").parent.code == "411329108000"
    again = actions.do_import_divisions(county_admin, io.BytesIO(csv_text.encode()), "codes.csv")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)


def test_division_import_names_malformed_and_mismatched_codes(world):
    csv_text = "代码,名称,层级\n41132910800,短码,镇\n411329108201,某村,镇\n411329109201,孤村,村\n"
    with pytest.raises(ImportFailed) as caught:
        actions.do_import_divisions(world.user("xian"), io.BytesIO(csv_text.encode()), "codes.csv")
    text = "\n".join(str(e) for e in caught.value.errors)
    assert "第 2 行" in text and "12 位数字" in text
    assert "第 3 行" in text and "不符" in text
    assert "第 4 行" in text and "不存在" in text


def test_grid_export_round_trips_through_import(world, login):
    response = login("zhen").get(f"/units/{world.unit('溧河铺镇').code}/export/grids.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("网格代码", "网格名称", "所属单位代码", "层级", "户数")
    codes = {r[0] for r in rows[1:]}
    assert world.unit("毛桥村第1网格").code in codes and world.unit("庄营村第1网格").code in codes
    result = actions.do_import_grids(world.user("zhen"), io.BytesIO(response.content), "back.xlsx")
    assert result.created == 0 and result.updated == 0


def test_village_export_contains_only_what_the_user_sees(world, login):
    response = login("maoqiao").get(f"/units/{world.unit('毛桥村').code}/export/divisions.xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [r[1] for r in rows[1:]] == ["毛桥村"]


def test_an_unknown_kind_of_import_or_export_is_not_found(world, login):
    client = login("zhen")
    code = world.unit("溧河铺镇").code
    assert client.get(f"/units/{code}/import/households/").status_code == 404
    assert client.get(f"/units/{code}/export/households.xlsx").status_code == 404
    assert client.get(f"/units/{code}/import/grids/").status_code == 200
