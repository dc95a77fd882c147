"""Reading and writing spreadsheets with errors named by sheet, row and column."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException


@dataclass(frozen=True)
class CellError:
    sheet: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"工作表「{self.sheet}」第 {self.row} 行" if self.sheet else f"第 {self.row} 行"
        if self.column:
            where += f"「{self.column}」列"
        return f"{where}：{self.message}"


class ImportFailed(Exception):
    """An import that wrote nothing; `errors` lists every problem found."""

    def __init__(self, errors: Sequence[CellError]) -> None:
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = list(errors)


@dataclass
class SheetRows:
    """A sheet's data rows keyed by header, with the sheet name and 1-based row numbers."""

    sheet: str
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def read_table(
    upload: IO[bytes], *, filename: str, required: Sequence[str], optional: Sequence[str] = (), sheet: str | None = None
) -> SheetRows:
    """Read the first (or the named) sheet of an .xlsx file, or a UTF-8 CSV; check the header row."""
    name = filename.lower()
    if name.endswith(".csv"):
        raw = upload.read()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = raw.decode("gb18030")
            except UnicodeDecodeError:
                raise ImportFailed(
                    [CellError("", 1, "", "文件编码无法识别，请保存为 UTF-8 或 GBK 编码的 CSV")]
                ) from None
        reader = csv.reader(io.StringIO(text))
        table = [[_clean(c) for c in row] for row in reader]
        sheet_name = ""
    else:
        try:
            book = load_workbook(upload, read_only=True, data_only=True)
        except (InvalidFileException, KeyError, OSError, ValueError) as exc:
            raise ImportFailed([CellError("", 1, "", f"不是有效的 Excel（.xlsx）文件：{type(exc).__name__}")]) from None
        except Exception:  # zipfile.BadZipFile and friends: the upload is not a workbook at all
            raise ImportFailed([CellError("", 1, "", "不是有效的 Excel（.xlsx）文件")]) from None
        if sheet is not None and sheet not in book.sheetnames:
            raise ImportFailed([CellError(sheet, 1, "", f"缺少工作表「{sheet}」")])
        ws = book[sheet] if sheet is not None else book.worksheets[0]
        sheet_name = ws.title
        table = [[_clean(c) for c in row] for row in ws.iter_rows(values_only=True)]
        book.close()
    return _rows_from_table(table, sheet_name, required, optional)


def _rows_from_table(table: list[list[Any]], sheet: str, required: Sequence[str], optional: Sequence[str]) -> SheetRows:
    if not table or not any(c not in (None, "") for c in table[0]):
        raise ImportFailed([CellError(sheet, 1, "", "缺少表头行")])
    header = [str(c).strip() if c is not None else "" for c in table[0]]
    missing = [col for col in required if col not in header]
    if missing:
        raise ImportFailed([CellError(sheet, 1, col, "缺少此列") for col in missing])
    known = set(required) | set(optional)
    unknown = [h for h in header if h and h not in known]
    if unknown:
        raise ImportFailed([CellError(sheet, 1, h, "无法识别的列名") for h in unknown])
    result = SheetRows(sheet)
    for number, row in enumerate(table[1:], start=2):
        if not any(c not in (None, "") for c in row):
            continue
        values = {h: (row[i] if i < len(row) else None) for i, h in enumerate(header) if h}
        result.rows.append((number, values))
    return result


def write_workbook(
    sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]]]],
) -> bytes:
    """An .xlsx with one sheet per (title, header, rows); header bold and frozen.

    Rows are streamed (openpyxl's write-only mode keeps no cell objects), so memory and time grow with the rows
    written, not with their square.
    """
    book = Workbook(write_only=True)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="FDE9D9")
    for title, header, rows in sheets:
        ws = book.create_sheet(title)
        for i, col in enumerate(header, start=1):
            ws.column_dimensions[get_column_letter(i)].width = max(10, min(40, len(str(col)) * 2 + 4))
        ws.freeze_panes = "A2"
        head = []
        for col in header:
            cell = WriteOnlyCell(ws, value=str(col))
            cell.font, cell.fill = bold, fill
            head.append(cell)
        ws.append(head)
        for row in rows:
            ws.append([_literal(ws, value) for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _literal(ws: Any, value: Any) -> Any:
    # A user-written "=…" must stay text, never become a formula in someone's Excel.
    if isinstance(value, str) and value.startswith("="):
        cell = WriteOnlyCell(ws, value=value)
        cell.data_type = "s"
        return cell
    return value
