"""The dispute figures and “三零” tables a town or county hands upward: every village a row, rates from the parts,
by type and by month, the user's scope only, a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xingyao.core.testing import read_table, response_text
from xingyao.grid.tests import factories as f
from xingyao.places.codes import Kind

IN_2024 = dt.date(2024, 3, 5)


def _cases(world) -> None:  # type: ignore[no-untyped-def]
    f.dispute(world, received_on=IN_2024, status="closed", outcome="mediated")
    f.dispute(world, received_on=IN_2024, status="closed", outcome="pre_litigation", type="land")
    f.dispute(world, received_on=dt.date(2024, 5, 2), status="closed", outcome="failed")
    f.dispute(world, village="庄营村", received_on=dt.date(2024, 5, 9), petition_beyond_village=True)
    f.dispute(world, received_on=dt.date(2023, 12, 31), status="closed", outcome="mediated")  # before the period


def test_the_figures_table_has_a_row_per_village_type_and_month_and_rates_from_the_summed_parts(world, login):
    _cases(world)
    town = world.unit("溧河铺镇").code
    response = login("zhen").get(f"/disputes/figures.xlsx?unit={town}&since=2024-01-01&until=2024-06-30")
    assert response.status_code == 200
    filename = quote("溧河铺镇矛盾纠纷统计20240101-20240630.xlsx")
    assert response["Content-Disposition"] == f"attachment; filename*=UTF-8''{filename}"
    villages = read_table(response.content, "各村统计")
    assert villages.above[0] == "溧河铺镇矛盾纠纷排查调处情况统计表"
    assert "统计期间：2024-01-01 至 2024-06-30" in villages.above[1]
    rows = villages.by("村（社区）")
    assert set(rows) == {"毛桥村", "庄营村"}  # every village of the town, with cases or not
    assert (rows["毛桥村"]["受理（件）"], rows["毛桥村"]["调解成功（件）"], rows["毛桥村"]["其中诉前调解（件）"]) == (
        3,
        2,
        1,
    )
    assert rows["毛桥村"]["调解成功率（%）"] == pytest.approx(66.7)
    assert villages.total("受理（件）") == 4 and villages.total("调解成功（件）") == 2
    assert Decimal(str(villages.total("调解成功率（%）"))) == Decimal("66.7")  # 2 of 3 concluded, not a mean of rates
    by_type = read_table(response.content, "按纠纷类型").by("纠纷类型")
    assert by_type["土地承包"]["受理（件）"] == 1 and by_type["邻里纠纷"]["受理（件）"] == 3
    months = read_table(response.content, "按月份")
    assert months.column("月份") == [f"2024年{m}月" for m in range(1, 7)]
    assert months.column("受理（件）") == [0, 0, 2, 0, 2, 0] and months.total("受理（件）") == 4


def test_the_zero_table_counts_each_village_and_says_who_reached_the_three_zeros(world, login):
    _cases(world)
    response = login("zhen").get(f"/disputes/zero.xlsx?unit={world.unit('溧河铺镇').code}&year=2024")
    table = read_table(response.content)
    assert table.above[0] == "溧河铺镇2024年“三零”创建情况统计表"
    rows = table.by("村（社区）")
    assert rows["庄营村"]["越级上访（起）"] == 1 and rows["庄营村"]["零上访"] == "否"
    assert rows["毛桥村"]["实现“三零”"] == "实现" and rows["庄营村"]["实现“三零”"] is None
    assert (
        table.total("越级上访（起）") == 1 and table.total("零上访") == "是 1，否 1" and table.total("实现“三零”") == 1
    )


def test_another_towns_admin_sees_none_of_this_towns_villages_in_either_table(world, login):
    world.new_unit("溧河铺镇", "甲标记村", Kind.VILLAGE)
    world.new_unit("施庵镇", "乙标记村", Kind.VILLAGE)
    for path in ("/disputes/figures.xlsx?year=2024", "/disputes/zero.xlsx?year=2024"):
        theirs = login("shian").get(path)
        assert theirs.status_code == 200
        assert "乙标记村" in response_text(theirs) and "甲标记村" not in response_text(theirs)
        assert "毛桥村" not in response_text(theirs)
    town = world.unit("溧河铺镇").code
    assert login("shian").get(f"/disputes/figures.xlsx?unit={town}").status_code == 404
    assert login("shian").get(f"/disputes/zero.xlsx?unit={town}").status_code == 404


@pytest.mark.parametrize(
    "query, message",
    [
        ("since=2024-06-01&until=2024-01-01", "起始日期不能晚于截止日期"),
        ("since=2024-13-01", "起始日期"),
        ("year=99999", "年"),
        ("unit=%00", "不允许的控制字符"),
    ],
)
def test_bad_periods_are_a_chinese_400(world, login, query, message):
    for path in ("/disputes/figures.xlsx", "/disputes/zero.xlsx"):
        if "since" in query and "zero" in path:
            continue
        response = login("zhen").get(f"{path}?{query}")
        assert response.status_code == 400 and message in response.content.decode(), (path, query)


def test_an_unknown_unit_is_a_404(world, login):
    for path in ("/disputes/figures.xlsx", "/disputes/zero.xlsx"):
        assert login("zhen").get(f"{path}?unit=999999999999").status_code == 404


def _queries(client, url: str) -> int:  # type: ignore[no-untyped-def]
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_both_tables_take_as_many_queries_for_many_villages_as_for_few(world, login):
    _cases(world)
    client = login("xian")
    urls = ["/disputes/figures.xlsx?year=2024", "/disputes/zero.xlsx?year=2024"]
    few = [_queries(client, url) for url in urls]
    for n in range(6):
        name = f"新村{n}"
        world.new_unit("溧河铺镇" if n % 2 else "施庵镇", name, Kind.VILLAGE)
        f.dispute(world, village=name, received_on=IN_2024, petition_beyond_village=bool(n % 2))
    assert [_queries(client, url) for url in urls] == few


def test_the_download_buttons_carry_the_pages_unit_and_period(world, login):
    town = world.unit("溧河铺镇").code
    client = login("zhen")
    page = client.get(f"/disputes/figures/?unit={town}&since=2024-01-01&until=2024-06-30").content.decode()
    assert f'href="/disputes/figures.xlsx?unit={town}&amp;since=2024-01-01&amp;until=2024-06-30"' in page
    zero = client.get(f"/disputes/zero/?unit={town}&year=2024").content.decode()
    assert f'href="/disputes/zero.xlsx?unit={town}&amp;year=2024"' in zero
