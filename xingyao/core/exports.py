"""Excel ledgers from column specs: a sheet is a title and columns, a column a header and a value getter, and a
personal column says how it looks to a viewer who does not work the record (core.privacy's rule, per row).

    EVENTS = Sheet("网格事件台账", [
        Column("事件编号", lambda e: e.number),
        Column("联系电话", lambda e: e.contact_phone, personal=phone_for),
    ], sees=may_see_contact)
    xlsx_response(EVENTS.workbook(user, events), "网格事件台账.xlsx")

Rows are read in chunks and written in openpyxl's write-only mode, so a 50 000-row ledger takes memory for one
chunk, not for the sheet.

What officials hand upward has the layout of their hand-kept 台账: `heading=Heading("…汇总表", [("单位", …),
("年度", …)])` puts the title and a line of facts above the header, and a column's `total` fills the 合计 row
below the last one (SUM, COUNT, TALLY, or a function of the summed columns, for a rate).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone

from xingyao.core.sheets import CellError, Heading, Part, write_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_ROWS = 50_000  # a ledger beyond this is a database dump, not a sheet someone reads
# A background job watching a ledger being written (core.jobs sets it): told the rows written, every 500.
rows_written: ContextVar[Callable[[int], None] | None] = ContextVar("rows_written", default=None)


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    """An .xlsx download with a UTF-8 file name (RFC 6266 with RFC 5987's filename*)."""
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def unit_heading(title: str, unit_name: str, period: str) -> Heading:
    """The usual lines above a summary handed upward: its title, then 单位, the year or period, and the time taken."""
    return Heading(
        title, [("单位", unit_name), ("统计期间", period), ("导出时间", f"{timezone.localtime():%Y-%m-%d %H:%M}")]
    )


def _never(user: Any, obj: Any) -> bool:
    return False


@dataclass(frozen=True)
class Column:
    """One column: its header, how to read the value from a record, how it looks to a viewer who may not see it."""

    header: str
    value: Callable[[Any], Any]
    # (shown, raw value) → cell for personal data: core.privacy.name_for / phone_for, or a function of its own
    # for a cell that joins several people. None: not personal, shown to everyone who may export.
    personal: Callable[[bool, Any], Any] | None = None
    # The column's cell in the 合计 row: SUM, COUNT, TALLY, or a function of the SUM columns' totals by header
    # (a rate from its parts). None: empty.
    total: str | Callable[[Mapping[str, Any]], Any] | None = None


SUM = "sum"  # the numbers added up
COUNT = "count"  # how many rows have something in it
TALLY = "tally"  # how many rows have each value: "已销号 5，整改中 7"
TOTAL_LABEL = "合计"


class _Totals:
    """The 合计 row of a sheet, added up while its rows stream by."""

    def __init__(self, sheet: Sheet) -> None:
        self.sheet = sheet
        self.sums: dict[str, Any] = {c.header: 0 for c in sheet.columns if c.total == SUM}
        self.counts: dict[str, Counter[Any]] = {c.header: Counter() for c in sheet.columns if c.total in (COUNT, TALLY)}

    def add(self, cells: Sequence[Any]) -> None:
        for column, value in zip(self.sheet.columns, cells[1:] if self.sheet.numbered else cells, strict=False):
            if column.total == SUM and isinstance(value, int | float | Decimal) and not isinstance(value, bool):
                self.sums[column.header] += value
            elif column.total in (COUNT, TALLY) and value not in (None, ""):
                self.counts[column.header][value] += 1

    def row(self) -> list[Any]:
        cells: list[Any] = [TOTAL_LABEL] if self.sheet.numbered else []
        for column in self.sheet.columns:
            if column.total == SUM:
                cells.append(self.sums[column.header])
            elif column.total == COUNT:
                cells.append(sum(self.counts[column.header].values()))
            elif column.total == TALLY:
                cells.append("，".join(f"{value} {n}" for value, n in self.counts[column.header].items()))
            elif callable(column.total):
                cells.append(cell(column.total(self.sums)))
            else:
                cells.append("")
        if not self.sheet.numbered and cells and cells[0] == "":
            cells[0] = TOTAL_LABEL
        return cells


@dataclass(frozen=True)
class Sheet:
    """A ledger's layout: title, columns, and the record's contact rule (`sees(user, record)`)."""

    title: str
    columns: Sequence[Column]
    sees: Callable[[Any, Any], bool] = _never  # no rule given: personal columns are always masked
    numbered: bool = True  # a 序号 column first, as hand-kept ledgers have
    max_rows: int = MAX_ROWS
    chunk_size: int = 2000
    header: list[str] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "header", (["序号"] if self.numbered else []) + [c.header for c in self.columns])

    @property
    def totalled(self) -> bool:
        return any(c.total is not None for c in self.columns)

    def rows(self, user: Any, records: Iterable[Any], totals: _Totals | None = None) -> Iterator[list[Any]]:
        """The cells of each record as `user` may see them (added to `totals` on the way)."""
        if isinstance(records, QuerySet):
            # In chunks: prefetches run once per chunk, and no more than a chunk of rows is held at once.
            # One more than the cap: whether the ledger was cut is read, not guessed.
            records = records[: self.max_rows + 1].iterator(chunk_size=self.chunk_size)
        personal = any(c.personal for c in self.columns)
        report = rows_written.get()
        for number, record in enumerate(records, start=1):
            if number > self.max_rows:
                yield [truncated_note(self.max_rows)]
                break
            if report is not None and number % 500 == 0:
                report(number)
            shown = self.sees(user, record) if personal else True
            cells = [number] if self.numbered else []
            for column in self.columns:
                raw = column.value(record)
                cells.append(column.personal(shown, raw) if column.personal else cell(raw))
            if totals is not None:
                totals.add(cells)
            yield cells

    def part(self, user: Any, records: Iterable[Any], heading: Heading | None = None) -> Part:
        """This ledger as one sheet of a workbook: the heading above, the 合计 row below when a column has a total."""
        totals = _Totals(self) if self.totalled else None
        return Part(self.title, self.header, self.rows(user, records, totals), heading, totals.row if totals else None)

    def workbook(self, user: Any, records: Iterable[Any], heading: Heading | None = None) -> bytes:
        """The .xlsx of these (already scoped) records."""
        return write_workbook([self.part(user, records, heading)])


def truncated_note(max_rows: int) -> str:
    """The last row of a ledger cut at its cap: the file says it is not complete."""
    return f"（仅导出前 {max_rows:,} 行，其余未导出；请缩小筛选范围后分批导出）"


def cell(value: Any) -> Any:
    """A value as a cell: local times to the minute, yes/no as 是/空, None as empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else ""
    if isinstance(value, dt.datetime):
        return f"{timezone.localtime(value) if timezone.is_aware(value) else value:%Y-%m-%d %H:%M}"
    return value


ERRORS = Sheet(
    "导入错误",
    [
        Column("工作表", lambda e: e.sheet),
        Column("行", lambda e: e.row or ""),
        Column("列", lambda e: e.column),
        Column("问题", lambda e: e.message),
    ],
    max_rows=1_000_000,  # every error of a file within the import caps
)


def error_workbook(errors: Iterable[CellError]) -> bytes:
    """Every error of a failed import as an .xlsx, streamed like any ledger."""
    return ERRORS.workbook(None, errors)
