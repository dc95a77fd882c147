"""Excel ledgers from column specs: a sheet is a title and columns, a column a header and a value getter, and a
personal column says how it looks to a viewer who does not work the record (core.privacy's rule, per row).

    EVENTS = Sheet("网格事件台账", [
        Column("事件编号", lambda e: e.number),
        Column("联系电话", lambda e: e.contact_phone, personal=phone_for),
    ], sees=may_see_contact)
    xlsx_response(EVENTS.workbook(user, events), "网格事件台账.xlsx")

Rows are read in chunks and written in openpyxl's write-only mode, so a 50 000-row ledger takes memory for one
chunk, not for the sheet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone

from xingyao.core.sheets import CellError, write_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_ROWS = 50_000  # a ledger beyond this is a database dump, not a sheet someone reads
# A background job watching a ledger being written (core.jobs sets it): told the rows written, every 500.
rows_written: ContextVar[Callable[[int], None] | None] = ContextVar("rows_written", default=None)


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    """An .xlsx download with a UTF-8 file name (RFC 6266)."""
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


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

    def rows(self, user: Any, records: Iterable[Any]) -> Iterator[list[Any]]:
        """The cells of each record as `user` may see them."""
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
            yield cells

    def workbook(self, user: Any, records: Iterable[Any]) -> bytes:
        """The .xlsx of these (already scoped) records."""
        return write_workbook([(self.title, self.header, self.rows(user, records))])


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
