"""Reading and writing spreadsheets with errors named by sheet, row and column.

Reading is bounded before it starts: a file larger than `XINGYAO_IMPORT_MAX_BYTES`, an .xlsx whose parts unpack to
more than `XINGYAO_IMPORT_MAX_UNPACKED_BYTES` (a zip bomb is refused from its directory, before anything is unpacked)
or a sheet with more than `XINGYAO_IMPORT_MAX_ROWS` data rows is refused with a Chinese message. An .xlsx is read by
python-calamine (a compiled reader, ~20× openpyxl), falling back to openpyxl's read-only mode for a workbook calamine
cannot open; a CSV is parsed line by line as it is read.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from django.conf import settings
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from python_calamine import CalamineError, CalamineWorkbook

SHOWN_ERRORS = 200  # a page lists this many; the downloadable error sheet has them all


@dataclass(frozen=True, slots=True)
class CellError:
    sheet: str
    row: int  # 0: the file as a whole
    column: str
    message: str

    def __str__(self) -> str:
        if not self.row:
            return f"工作表「{self.sheet}」：{self.message}" if self.sheet else self.message
        where = f"工作表「{self.sheet}」第 {self.row} 行" if self.sheet else f"第 {self.row} 行"
        if self.column:
            where += f"「{self.column}」列"
        return f"{where}：{self.message}"


class ImportFailed(Exception):
    """An import that wrote nothing; `errors` lists every problem found, `shown` the first SHOWN_ERRORS."""

    def __init__(self, errors: Sequence[CellError]) -> None:
        self.errors = list(errors)
        lines = [str(e) for e in self.errors[:SHOWN_ERRORS]]
        if len(self.errors) > SHOWN_ERRORS:
            lines.append(f"……共 {len(self.errors):,} 处错误")
        super().__init__("\n".join(lines))

    @property
    def count(self) -> int:
        return len(self.errors)

    @property
    def shown(self) -> list[CellError]:
        return self.errors[:SHOWN_ERRORS]


@dataclass
class SheetRows:
    """A sheet's data rows keyed by header, with the sheet name and 1-based row numbers."""

    sheet: str
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    max_unpacked: int
    max_rows: int


def limits() -> Limits:
    """The import caps in force (settings; read at call time so tests and deployments may change them)."""
    return Limits(
        settings.XINGYAO_IMPORT_MAX_BYTES, settings.XINGYAO_IMPORT_MAX_UNPACKED_BYTES, settings.XINGYAO_IMPORT_MAX_ROWS
    )


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size < 1024**3 else f"{size / 1024**3:.1f} GB"


def _refuse(message: str, sheet: str = "") -> ImportFailed:
    return ImportFailed([CellError(sheet, 0, "", message)])


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _size_of(upload: IO[bytes]) -> int:
    size = getattr(upload, "size", None)
    if isinstance(size, int):
        return size
    upload.seek(0, io.SEEK_END)
    size = upload.tell()
    upload.seek(0)
    return size


def read_table(
    upload: IO[bytes], *, filename: str, required: Sequence[str], optional: Sequence[str] = (), sheet: str | None = None
) -> SheetRows:
    """Read the first (or the named) sheet of an .xlsx file, or a UTF-8/GBK CSV; check the header row.

    Raises ImportFailed for a file over the caps, one that is not a workbook, or a header that does not fit."""
    caps = limits()
    size = _size_of(upload)
    if size > caps.max_bytes:
        raise _refuse(f"文件过大（{_megabytes(size)}），导入文件不能超过 {_megabytes(caps.max_bytes)}；请分批导入")
    upload.seek(0)
    if filename.lower().endswith(".csv"):
        for encoding in ("utf-8-sig", "gb18030"):
            upload.seek(0)
            try:
                return _collect(_csv_lines(upload, encoding), "", required, optional, caps.max_rows)
            except UnicodeDecodeError:
                continue
            except csv.Error:  # a NUL byte, a field over csv's size limit: not a table
                raise _refuse(
                    "CSV 文件格式有误（含有无法识别的字符或过长的单元格），请用 Excel 另存为 CSV 后再导入"
                ) from None
        raise _refuse("文件编码无法识别，请保存为 UTF-8 或 GBK 编码的 CSV")
    _check_zip(upload, caps)
    upload.seek(0)
    try:
        book = CalamineWorkbook.from_filelike(upload)
    except CalamineError:
        return _read_with_openpyxl(upload, required, optional, sheet, caps.max_rows)
    except Exception:  # a zip that is no workbook: calamine's own errors are not all CalamineError
        raise _refuse("不是有效的 Excel（.xlsx）文件") from None
    try:
        if sheet is not None and sheet not in book.sheet_names:
            raise ImportFailed([CellError(sheet, 0, "", f"缺少工作表「{sheet}」")])
        if not book.sheet_names:
            raise _refuse("工作簿中没有工作表")
        ws = book.get_sheet_by_name(sheet) if sheet is not None else book.get_sheet_by_index(0)
        if ws.height > caps.max_rows + 1:
            raise _too_many(ws.name, caps.max_rows)
        first_row = ws.start[0] + 1 if ws.start else 1  # calamine's range starts at the first used cell
        lines = ((number, row) for number, row in enumerate(ws.iter_rows(), start=first_row))
        return _collect(lines, ws.name, required, optional, caps.max_rows)
    finally:
        book.close()


def _too_many(sheet: str, max_rows: int) -> ImportFailed:
    return _refuse(f"数据超过 {max_rows:,} 行，不能一次导入；请分批导入", sheet)


def _csv_lines(upload: IO[bytes], encoding: str) -> Iterator[tuple[int, list[Any]]]:
    """CSV records as they are read, numbered as Excel numbers the rows it opens the file into. Decoded line by
    line (a newline byte never sits inside a UTF-8 or GB18030 character), so the file is never held whole as text."""
    decoder = codecs.getincrementaldecoder(encoding)()

    def text_lines() -> Iterator[str]:
        for raw in iter(upload.readline, b""):
            yield decoder.decode(raw)
        tail = decoder.decode(b"", final=True)
        if tail:
            yield tail

    return enumerate(csv.reader(text_lines()), start=1)


def _check_zip(upload: IO[bytes], caps: Limits) -> None:
    """Refuse an .xlsx that is not a zip, or whose parts would unpack to more than the cap: first from the sizes
    its directory declares (nothing unpacked), then by streaming each part through a counter, so a directory that
    lies is caught too (zipfile stops at the declared size and checks the CRC)."""
    try:
        archive = zipfile.ZipFile(upload)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _refuse("不是有效的 Excel（.xlsx）文件") from None
    with archive:
        members = archive.infolist()
        declared = sum(m.file_size for m in members)
        if declared > caps.max_unpacked or len(members) > 10_000:
            raise _refuse(
                f"文件解压后过大（{_megabytes(declared)}），超过 {_megabytes(caps.max_unpacked)}，"
                "可能是异常或恶意文件，已拒绝"
            )
        if not any(m.filename.startswith("xl/") for m in members):
            raise _refuse("不是有效的 Excel（.xlsx）文件")
        try:
            for member in members:
                with archive.open(member) as part:
                    while part.read(1 << 20):
                        pass
        except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError, RuntimeError):
            raise _refuse("不是有效的 Excel（.xlsx）文件（压缩包损坏或已加密）") from None


def _read_with_openpyxl(
    upload: IO[bytes], required: Sequence[str], optional: Sequence[str], sheet: str | None, max_rows: int
) -> SheetRows:
    upload.seek(0)
    try:
        book = load_workbook(upload, read_only=True, data_only=True)
    except Exception:  # InvalidFileException, KeyError, BadZipFile and friends: not a workbook at all
        raise _refuse("不是有效的 Excel（.xlsx）文件") from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise ImportFailed([CellError(sheet, 0, "", f"缺少工作表「{sheet}」")])
        ws = book[sheet] if sheet is not None else book.worksheets[0]
        lines = enumerate(ws.iter_rows(values_only=True), start=1)
        return _collect(lines, ws.title, required, optional, max_rows)
    finally:
        book.close()


def _blank(row: Sequence[Any]) -> bool:
    return not any(c not in (None, "") for c in row)


def _title_line(row: Sequence[Any], required: Sequence[str]) -> bool:
    """A line above the header: one filled cell (a merged title), and not the header itself."""
    filled = [str(c).strip() for c in row if c not in (None, "")]
    return len(filled) == 1 and not (required and filled[0] in required)


def _collect(
    lines: Iterable[tuple[int, Sequence[Any]]],
    sheet: str,
    required: Sequence[str],
    optional: Sequence[str],
    max_rows: int,
) -> SheetRows:
    """Check the header (the first line) and key each following non-blank line by it, up to `max_rows` lines."""
    lines = iter(lines)
    first = next(lines, None)
    for _ in range(TITLE_LINES):  # an exported ledger's title and facts lines, kept when it was filled in
        if first is None or not _title_line(first[1], required):
            break
        first = next(lines, None)
    if first is None or _blank(first[1]):
        raise ImportFailed([CellError(sheet, 1, "", "缺少表头行")])
    header = [str(c).strip() if c is not None else "" for c in first[1]]
    missing = [col for col in required if col not in header]
    if missing:
        raise ImportFailed([CellError(sheet, 1, col, "缺少此列") for col in missing])
    known = set(required) | set(optional)
    unknown = [h for h in header if h and h not in known]
    if unknown:
        raise ImportFailed([CellError(sheet, 1, h, "无法识别的列名") for h in unknown])
    columns = [(i, h) for i, h in enumerate(header) if h]
    width = len(header)
    result = SheetRows(sheet)
    append = result.rows.append
    for number, row in lines:
        if _blank(row):
            continue
        if len(result.rows) >= max_rows:
            raise _too_many(sheet, max_rows)
        if len(row) < width:
            row = [*row, *([None] * (width - len(row)))]
        append((number, {h: _clean(row[i]) for i, h in columns}))
    return result


# --- writing ------------------------------------------------------------------------------------------------

TITLE_LINES = 3  # title lines above a header that an import skips (a ledger exported with its heading, filled in)
WIDTH_SAMPLE = 200  # rows looked at for the column widths before the sheet streams on
MIN_WIDTH, MAX_WIDTH = 8, 40  # a column's width, in Excel's characters (a Chinese character takes two)


@dataclass(frozen=True)
class Heading:
    """The lines above a ledger's header, as hand-kept 台账 have them: the title, and one line of facts such as
    单位、年度、统计期间 (merged across the header's width)."""

    title: str
    facts: Sequence[tuple[str, Any]] = ()

    @property
    def lines(self) -> list[str]:
        facts = "\u3000\u3000".join(f"{label}：{value}" for label, value in self.facts if value not in (None, ""))
        return [self.title, *([facts] if facts else [])]


@dataclass(frozen=True)
class Part:
    """One sheet of a workbook: its name, header, rows, and optionally the heading above and the totals row below
    (`totals()` is called once the rows are written, so it may add up what went by)."""

    name: str
    header: Sequence[str]
    rows: Iterable[Sequence[Any]]
    heading: Heading | None = None
    totals: Callable[[], Sequence[Any]] | None = None


def display_width(value: Any) -> int:
    """How many Latin characters' room a value takes: a Chinese (wide) character takes two."""
    text = value if isinstance(value, str) else "" if value is None else str(value)
    line = max(text.split("\n"), key=len) if "\n" in text else text
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)


def write_workbook(sheets: Sequence[Part | tuple[str, Sequence[str], Iterable[Sequence[Any]]]]) -> bytes:
    """An .xlsx with one sheet per part (or (name, header, rows)); header bold and frozen, printed A4 landscape
    fitted to the page's width with the header repeated on every page and page numbers at the foot; column widths
    from the header and the first rows, counting a Chinese character as two.

    Rows are streamed (openpyxl's write-only mode keeps no cell objects and never looks back at the sheet), so
    memory and time grow with the rows written, not with their square; only the first WIDTH_SAMPLE rows are held
    to measure the widths.
    """
    book = Workbook(write_only=True)
    for part in sheets:
        _write_part(book, part if isinstance(part, Part) else Part(*part))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


_BOLD = Font(bold=True)
_FILL = PatternFill("solid", fgColor="FDE9D9")
_TITLE = Font(bold=True, size=16)
_CENTRE = Alignment(horizontal="center", vertical="center")


def _write_part(book: Workbook, part: Part) -> None:
    ws = book.create_sheet(part.name[:31])
    rows = iter(part.rows)
    sample = list(itertools.islice(rows, WIDTH_SAMPLE))
    width = len(part.header)
    for i, col in enumerate(part.header):
        room = max([display_width(col), *(display_width(r[i]) for r in sample if i < len(r))])
        ws.column_dimensions[get_column_letter(i + 1)].width = max(MIN_WIDTH, min(MAX_WIDTH, room + 2))
    above = part.heading.lines if part.heading else []
    header_row = len(above) + 1
    last = get_column_letter(max(width, 1))
    _print_setup(ws, header_row)
    for n, line in enumerate(above, start=1):
        cell = _styled(ws, line, _TITLE if n == 1 else Font())
        cell.alignment = _CENTRE if n == 1 else Alignment(horizontal="left")
        ws.append([cell])
        if width > 1:
            ws.merged_cells.add(f"A{n}:{last}{n}")
    ws.append([_styled(ws, str(col), _BOLD, _FILL) for col in part.header])
    append = ws.append
    for row in itertools.chain(sample, rows):
        append([_literal(ws, value) if isinstance(value, str) and value[:1] == "=" else value for value in row])
    if part.totals is not None:
        append([_styled(ws, value, _BOLD) for value in part.totals()])


def _print_setup(ws: Any, header_row: int) -> None:
    """A4 landscape, as wide as the page, the lines down to the header on every printed page, numbered pages."""
    ws.freeze_panes = f"A{header_row + 1}"
    ws.print_title_rows = f"1:{header_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"  # A4 in the sheet's own numbering
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def _styled(ws: Any, value: Any, font: Font, fill: PatternFill | None = None) -> Any:
    cell = _literal(ws, value) if isinstance(value, str) and value[:1] == "=" else WriteOnlyCell(ws, value=value)
    cell.font = font
    if fill is not None:
        cell.fill = fill
    return cell


def _literal(ws: Any, value: str) -> Any:
    # A user-written "=…" must stay text, never become a formula in someone's Excel.
    cell = WriteOnlyCell(ws, value=value)
    cell.data_type = "s"
    return cell
