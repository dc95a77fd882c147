"""Ledgers from column specs: masks by the record's rule, row by row; user text never becomes a formula."""

import datetime as dt
import io
from dataclasses import dataclass

from openpyxl import load_workbook

from xingyao.core.exports import COUNT, SUM, TALLY, Column, Sheet
from xingyao.core.numbers import percent
from xingyao.core.privacy import name_for, phone_for
from xingyao.core.sheets import Heading
from xingyao.core.testing import read_table


@dataclass
class Row:
    title: str
    name: str
    phone: str
    mine: bool
    at: dt.datetime | None = None
    urgent: bool = False


SHEET = Sheet(
    "台账",
    [
        Column("标题", lambda r: r.title),
        Column("联系人", lambda r: r.name, personal=name_for),
        Column("联系电话", lambda r: r.phone, personal=phone_for),
        Column("时间", lambda r: r.at),
        Column("紧急", lambda r: r.urgent),
    ],
    sees=lambda user, r: r.mine,
)


def cells(content: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(content))["台账"]
    return [[c.value for c in row] for row in sheet.iter_rows()]


def test_personal_columns_are_masked_on_the_rows_the_viewer_does_not_work() -> None:
    rows = [Row("甲", "王大勇", "13812345678", mine=True), Row("乙", "李秀兰", "13900001111", mine=False)]
    table = cells(SHEET.workbook(None, rows))
    assert table[0] == ["序号", "标题", "联系人", "联系电话", "时间", "紧急"]
    assert table[1][:4] == [1, "甲", "王大勇", "13812345678"]
    assert table[2][:4] == [2, "乙", "李**", "139****1111"]


def test_without_a_rule_personal_columns_are_always_masked() -> None:
    sheet = Sheet("台账", [Column("联系电话", lambda r: r.phone, personal=phone_for)])
    assert cells(sheet.workbook(None, [Row("甲", "王大勇", "13812345678", mine=True)]))[1] == [1, "138****5678"]


def test_user_text_that_looks_like_a_formula_stays_text() -> None:
    table = cells(SHEET.workbook(None, [Row('=HYPERLINK("http://x")', "", "", mine=True)]))
    assert table[1][1] == '=HYPERLINK("http://x")'


def test_times_yes_and_empty_values_read_as_people_write_them() -> None:
    at = dt.datetime(2024, 3, 1, 8, 30, tzinfo=dt.UTC)
    table = cells(SHEET.workbook(None, [Row("甲", "", "", mine=True, at=at, urgent=True)]))
    assert table[1][4:] == ["2024-03-01 16:30", "是"]  # Asia/Shanghai
    table = cells(SHEET.workbook(None, [Row("甲", "", "", mine=True)]))
    assert table[1][4:] == [None, None]


def test_a_ledger_stops_at_its_row_limit() -> None:
    sheet = Sheet("台账", [Column("标题", lambda r: r.title)], max_rows=3)
    table = cells(sheet.workbook(None, [Row(str(i), "", "", mine=True) for i in range(10)]))
    assert [r[0] for r in table[1:4]] == [1, 2, 3]
    assert len(table) == 5 and "仅导出前 3 行" in table[4][0]  # the file says it was cut


# --- the layout of a hand-kept 台账: heading, 合计, print --------------------------------------------------------

TOTALLED = Sheet(
    "统计",
    [
        Column("村", lambda r: r[0]),
        Column("受理", lambda r: r[1], total=SUM),
        Column("成功", lambda r: r[2], total=SUM),
        Column("成功率（%）", lambda r: percent(r[2], r[1]), total=lambda sums: percent(sums["成功"], sums["受理"])),
        Column("状态", lambda r: r[3], total=TALLY),
        Column("反弹", lambda r: r[4], total=COUNT),
    ],
)


def test_the_totals_row_adds_counts_tallies_values_and_takes_a_rate_from_the_summed_parts() -> None:
    rows = [("甲村", 4, 1, "已销号", "是"), ("乙村", 1, 1, "整改中", ""), ("丙村", 0, 0, "已销号", "")]
    table = read_table(TOTALLED.workbook(None, rows, Heading("某镇统计表", [("单位", "某镇"), ("年度", "")])))
    assert table.above == ["某镇统计表", "单位：某镇"]  # an empty fact is left out
    assert table.column("成功率（%）") == [25, 100, None]
    # 2 of 5, not the average of the rows' rates
    assert table.totals == ["合计", None, 5, 2, 40, "已销号 2，整改中 1", 1]


def test_a_sheet_without_totals_or_heading_keeps_its_header_on_the_first_line() -> None:
    content = SHEET.workbook(None, [Row("标题甲", "张三", "13812345678", True)])
    assert cells(content)[0][:2] == ["序号", "标题"] and len(cells(content)) == 2


def test_the_title_and_the_totals_row_never_become_formulas() -> None:
    sheet = Sheet("台账", [Column("项", lambda r: r, total=TALLY)])
    ws = load_workbook(io.BytesIO(sheet.workbook(None, ["=1+1"], Heading("=HYPERLINK(1)"))))["台账"]
    assert ws["A1"].value == "=HYPERLINK(1)" and ws["A1"].data_type == "s"
    assert ws["B3"].value == "=1+1" and ws["B3"].data_type == "s"
    assert ws["B4"].value == "=1+1 1" and ws["B4"].data_type == "s" and ws["A4"].value == "合计"


def test_columns_are_wide_enough_for_their_chinese_text_and_the_sheet_prints_a4_landscape() -> None:
    sheet = Sheet("台账", [Column("村", lambda r: r), Column("编号", lambda r: "A1")])
    ws = load_workbook(io.BytesIO(sheet.workbook(None, ["溧河铺镇毛桥村村民委员会"])))["台账"]
    assert ws.column_dimensions["B"].width == 2 * 12 + 2 and ws.column_dimensions["C"].width == 8
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.freeze_panes == "A2" and ws.print_title_rows == "$1:$1" and "&P" in ws.oddFooter.center.text
