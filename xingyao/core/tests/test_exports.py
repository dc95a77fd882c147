"""Ledgers from column specs: masks by the record's rule, row by row; user text never becomes a formula."""

import datetime as dt
import io
from dataclasses import dataclass

from openpyxl import load_workbook

from xingyao.core.exports import Column, Sheet
from xingyao.core.privacy import name_for, phone_for


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
