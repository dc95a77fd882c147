"""The results and rankings sheets a town or county hands upward: their layout, their scope, their queries."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from xingyao.assessments.models import Assessment, StarAward
from xingyao.assessments.tests import fixtures as f
from xingyao.assessments.workflow import State
from xingyao.core.models import Job
from xingyao.core.testing import every, read_table
from xingyao.core.tests.jobs import result_cells, run_started
from xingyao.places.codes import Kind

STARS = ["支部过硬星", "产业兴旺星", "生态宜居星", "平安法治星", "文明幸福星"]


def _results(client, unit_code: str, year: int = 2023):  # type: ignore[no-untyped-def]
    return client.get(f"/assessments/overview/{unit_code}/{year}/results.xlsx")


def test_the_results_sheet_has_the_towns_title_a_row_per_village_points_and_pass_per_star_and_totals(world, login):
    f.at_state(world, State.COUNTY_APPROVED, "毛桥村")
    f.fill(f.assessment(world, "庄营村"), skip=("branch.1.1",))
    response = _results(login("zhen"), world.unit("溧河铺镇").code)
    assert response.status_code == 200
    table = read_table(response.content)
    assert table.above[0] == "溧河铺镇2023年度“五星”支部创建评定结果汇总表"
    assert "单位：溧河铺镇" in table.above[1] and "统计期间：2023年度" in table.above[1]
    assert table.header[:4] == ["序号", "乡镇", "村（社区）", "村代码"]
    assert [h for h in table.header if h.endswith("达标") and h != "自评达标星数"] == [f"{s}达标" for s in STARS]
    rows = table.by("村（社区）")
    assert set(rows) == {"毛桥村", "庄营村"}
    maoqiao = every(Assessment).get(village__name="毛桥村")
    assert rows["毛桥村"]["状态"] == "县级已审定" and rows["毛桥村"]["评定星数"] == maoqiao.star_count == 5
    # points per star add up to the assessment's total; the star the village left unmet fails
    per_star = sum(Decimal(str(rows["毛桥村"][f"{s}得分"])) for s in STARS)
    assert per_star == maoqiao.points
    assert rows["庄营村"]["支部过硬星达标"] == "未达标" and rows["毛桥村"]["支部过硬星达标"] == "达标"
    assert table.total("评定星数") == sum(r["评定星数"] for r in rows.values())
    assert table.total("支部过硬星达标") == "达标 1，未达标 1"
    assert table.totals is not None and table.totals[0] == "合计"


def test_a_sheet_is_printed_a4_landscape_with_its_header_frozen_and_repeated_and_a_chinese_file_name(world, login):
    f.at_state(world, State.COUNTY_APPROVED, "毛桥村")
    response = _results(login("zhen"), world.unit("溧河铺镇").code)
    assert response["Content-Disposition"] == f"attachment; filename*=UTF-8''{quote('溧河铺镇2023年度评定结果.xlsx')}"
    import io

    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert ws.freeze_panes == "A4" and ws.print_title_rows == "$1:$3"
    assert "A1" in str(ws.merged_cells) and ws["A1"].font.bold
    # a column of Chinese names is wider than its two-character header alone would make it
    assert ws.column_dimensions["B"].width >= 2 * len("溧河铺镇") + 2


def test_the_town_admin_of_another_town_sees_none_of_this_towns_villages_in_any_cell(world, login):
    for name, town in (("甲标记村", "溧河铺镇"), ("乙标记村", "施庵镇")):
        world.new_unit(town, name, Kind.VILLAGE)
        f.assessment(world, name)
    theirs = response_cells(_results(login("shian"), world.unit("施庵镇").code))
    assert "乙标记村" in theirs and "甲标记村" not in theirs and "毛桥村" not in theirs
    mine = response_cells(_results(login("zhen"), world.unit("溧河铺镇").code))
    assert "甲标记村" in mine and "乙标记村" not in mine
    assert _results(login("shian"), world.unit("溧河铺镇").code).status_code == 404
    county = response_cells(_results(login("xian"), world.unit("新野县").code))
    assert "甲标记村" in county and "乙标记村" in county


def response_cells(response) -> str:  # type: ignore[no-untyped-def]
    from xingyao.core.testing import response_text

    assert response.status_code == 200, response.status_code
    return response_text(response)


@pytest.mark.parametrize(
    "path",
    [
        "/assessments/overview/999999999999/2023/results.xlsx",  # no such unit
        "/assessments/overview/{village}/2023/results.xlsx",  # a village is no area
        "/assessments/overview/{town}/1999/results.xlsx",  # a year out of range
        "/assessments/rankings/{town}/2101/rankings.xlsx",
        "/assessments/rankings/%00/2023/rankings.xlsx",
    ],
)
def test_bad_units_and_years_are_a_chinese_404_never_a_500(world, login, path):
    path = path.format(village=world.unit("毛桥村").code, town=world.unit("溧河铺镇").code)
    response = login("zhen").get(path)
    assert response.status_code in (400, 404) and "spreadsheetml" not in response["Content-Type"]
    assert any(words in response.content.decode() for words in ("页面不存在", "请求有误", "不允许的控制字符"))


def _queries(world, login, unit: str, url: str) -> int:  # type: ignore[no-untyped-def]
    client = login("xian")
    client.get(url)  # the scope and the session are cached after the first request
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_results_and_rankings_take_as_many_queries_for_many_villages_as_for_few(world, login):
    county = world.unit("新野县").code
    urls = [f"/assessments/overview/{county}/2023/results.xlsx", f"/assessments/rankings/{county}/2023/rankings.xlsx"]
    f.at_state(world, State.AWARDED, "毛桥村")
    StarAward.objects.create(village=world.unit("毛桥村"), year=2023, star_code="branch", star_name="支部过硬星")
    few = [_queries(world, login, "新野县", url) for url in urls]
    for n in range(6):
        name = f"新村{n}"
        world.new_unit("溧河铺镇" if n % 2 else "施庵镇", name, Kind.VILLAGE)
        f.at_state(world, State.AWARDED if n % 3 == 0 else State.COUNTY_APPROVED, name)
    many = [_queries(world, login, "新野县", url) for url in urls]
    assert many == few


def test_a_results_sheet_with_more_rows_than_a_request_writes_goes_to_the_worker(world, login, settings, monkeypatch):
    settings.XINGYAO_JOB_EXPORT_ROWS = 1
    f.assessment(world, "毛桥村")
    f.assessment(world, "庄营村")
    job = run_started(_results(login("zhen"), world.unit("溧河铺镇").code), monkeypatch)
    assert job.state == "done" and job.unit == world.unit("溧河铺镇")
    cells = result_cells(job)
    assert "溧河铺镇2023年度“五星”支部创建评定结果汇总表" in cells and "毛桥村" in cells and "庄营村" in cells
    assert every(Job).count() == 1


def test_the_rankings_sheet_lists_the_pages_rows_in_order_with_the_change_on_last_year(world, login):
    for village, year, stars, points in (("毛桥村", 2022, 0, 120), ("毛桥村", 2023, 3, 350), ("庄营村", 2023, 4, 400)):
        a = f.at_state(world, State.COUNTY_APPROVED, village, year)
        every(Assessment).filter(pk=a.pk).update(star_count=stars, points=Decimal(points))
    response = login("zhen").get(f"/assessments/rankings/{world.unit('溧河铺镇').code}/2023/rankings.xlsx")
    table = read_table(response.content)
    assert table.above[0] == "溧河铺镇2023年度“五星”支部创建星级排名表"
    assert table.header[0] == "镇内排名" and "县内排名" not in table.header
    assert table.column("村（社区）") == ["庄营村", "毛桥村"] and table.column("镇内排名") == [1, 2]
    assert table.column("较上年") == ["上年无结果", "升 3 星"]
    assert table.total("星数") == 7 and table.totals is not None and table.totals[0] == "合计"
    county_url = f"/assessments/rankings/{world.unit('新野县').code}/2023/rankings.xlsx"
    county = read_table(login("xian").get(county_url).content)
    assert county.header[:2] == ["县内排名", "镇内排名"]


def test_the_download_buttons_are_on_the_overview_and_rankings_pages(world, login):
    town = world.unit("溧河铺镇").code
    client = login("zhen")
    overview = client.get(f"/assessments/overview/{town}/2023/").content.decode()
    ranking = client.get(f"/assessments/rankings/{town}/2023/").content.decode()
    assert f'href="/assessments/overview/{town}/2023/results.xlsx" hx-boost="false"' in overview
    assert f'href="/assessments/rankings/{town}/2023/rankings.xlsx" hx-boost="false"' in ranking
