"""core.sheets and core.exports: the reader's header checks and the ledger's cap, as the files show them."""

import io

import pytest
from openpyxl import load_workbook

from xingyao.core.exports import Column, Sheet, error_workbook
from xingyao.core.sheets import CellError, Heading, ImportFailed, Part, read_table, write_workbook


def cells(content: bytes) -> list[tuple]:
    return list(load_workbook(io.BytesIO(content), read_only=True).active.iter_rows(values_only=True))


def test_a_ledger_exactly_at_its_cap_has_no_note():
    ledger = Sheet("台账", [Column("名称", lambda r: r)], max_rows=3)
    assert len(cells(ledger.workbook(None, ["甲", "乙", "丙"]))) == 4


def test_the_error_sheet_lists_sheet_row_column_and_problem():
    rows = cells(error_workbook([CellError("人员", 3, "手机号", "格式有误"), CellError("", 0, "", "文件过大")]))
    assert rows == [
        ("序号", "工作表", "行", "列", "问题"),
        (1, "人员", 3, "手机号", "格式有误"),
        (2, None, None, None, "文件过大"),
    ]


def test_written_formulas_stay_text_and_read_back():
    content = write_workbook([("表", ["代码", "名称"], [["=1+1", "甲"], [7, "乙"]])])
    table = read_table(io.BytesIO(content), filename="x.xlsx", required=["代码", "名称"])
    assert table.sheet == "表" and table.rows == [(2, {"代码": "=1+1", "名称": "甲"}), (3, {"代码": 7, "名称": "乙"})]


def test_an_exported_ledger_filled_in_reads_back_below_its_title_lines_with_rows_numbered_as_excel_shows():
    part = Part("表", ["代码", "名称"], [["1", "甲"]], Heading("某镇台账", [("单位", "某镇")]))
    table = read_table(io.BytesIO(write_workbook([part])), filename="x.xlsx", required=["代码", "名称"])
    assert table.rows == [(4, {"代码": "1", "名称": "甲"})]


def test_a_lone_header_cell_is_the_header_not_a_title():
    content = write_workbook([Part("表", ["代码"], [["1"]], Heading("某镇台账"))])
    table = read_table(io.BytesIO(content), filename="x.xlsx", required=["代码"])
    assert table.rows == [(3, {"代码": "1"})]


def test_header_problems_are_named_by_column():
    content = write_workbook([("表", ["代码", "多余"], [["1", "2"]])])
    with pytest.raises(ImportFailed) as failed:
        read_table(io.BytesIO(content), filename="x.xlsx", required=["代码", "名称"])
    assert [str(e) for e in failed.value.errors] == ["工作表「表」第 1 行「名称」列：缺少此列"]


def test_not_a_workbook_gets_a_message():
    for raw in (b"not a zip at all", b"PK\x03\x04broken"):
        with pytest.raises(ImportFailed, match="不是有效的 Excel"):
            read_table(io.BytesIO(raw), filename="x.xlsx", required=["代码"])
