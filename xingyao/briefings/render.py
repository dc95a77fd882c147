"""A saved briefing as HTML (every figure a link to its records), DOCX in 公文 layout and PDF.

公文 layout (GB/T 9704-2012): A4; margins 37 mm top, 35 mm bottom, 28 mm left, 26 mm right (a 156 × 225 mm text
block); the title in 方正小标宋简体 二号 (22 pt); the body in 仿宋_GB2312 三号 (16 pt), 22 lines of 28 characters;
first-level headings in 黑体, second-level in 楷体_GB2312; page numbers “— 1 —” in 四号 at the foot.

The DOCX names those fonts for east-Asian text (w:eastAsia), so Word and WPS use them where installed. The PDF is
drawn by WeasyPrint with the fonts installed on the server (Debian's fonts-noto-cjk), whose stand-ins are:
仿宋_GB2312 and 楷体_GB2312 → Noto Serif CJK SC; 方正小标宋简体 → Noto Serif CJK SC Bold; 黑体 → Noto Sans CJK SC.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from xingyao.briefings.models import Briefing

logger = logging.getLogger(__name__)

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
SUBHEADING_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"
LATIN_FONT = "Times New Roman"
TITLE_SIZE, BODY_SIZE, PAGE_NUMBER_SIZE = Pt(22), Pt(16), Pt(14)  # 二号, 三号, 四号
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
LINE_PITCH = Pt(28.95)  # 225 mm over 22 lines
# The character grid: 28 characters of 三号 across 156 mm, i.e. each pitch 0.207 pt narrower than 16 pt,
# expressed in 4096ths of a point (ECMA-376 w:docGrid/@w:charSpace).
CHAR_SPACE = round((156 / 25.4 * 72 / 28 - 16) * 4096)
NUMBERS = "一二三四五六七八九十"
PDF_FAILED = (
    "PDF 版生成失败（排版组件或字体出错），Word 版不受影响，请下载 Word 版；如需 PDF 请稍后重试或联系系统管理员。"
)
STAND_INS = (
    "仿宋_GB2312、楷体_GB2312 以 Noto Serif CJK SC 代替，方正小标宋简体以 Noto Serif CJK SC 粗体代替，"
    "黑体以 Noto Sans CJK SC 代替"
)


class PdfFailed(Exception):
    """WeasyPrint could not draw the briefing; `message` is for the user."""

    message = PDF_FAILED


@dataclass(frozen=True)
class Block:
    """One paragraph of the document: kind is title, date, body, heading, subheading or next."""

    kind: str
    text: str
    html: SafeString | str = ""


def _part_html(part: Any, facts: dict[str, Any]) -> SafeString:
    if isinstance(part, dict):
        fact = facts.get(part.get("f", ""), {})
        text = fact.get("text", "")
        if fact.get("url"):
            return format_html('<a class="figure" href="{}" title="{}">{}</a>', fact["url"], fact["label"], text)
        return format_html('<span class="figure">{}</span>', text)
    return format_html("{}", part)


def _part_text(part: Any, facts: dict[str, Any]) -> str:
    if isinstance(part, dict):
        return str(facts.get(part.get("f", ""), {}).get("text", ""))
    return str(part)


def blocks(briefing: Briefing) -> Iterator[Block]:
    """The document as paragraphs, the same for the page, the DOCX and the PDF."""
    content = briefing.content
    yield Block("title", briefing.title)
    yield Block("date", f"（{briefing.period_label}）")
    yield Block("body", content.get("opening", ""))
    for n, section in enumerate(content.get("sections", [])):
        facts = section.get("facts", {})
        yield Block("heading", f"{NUMBERS[n]}、{section['heading']}")
        if section.get("rows"):
            for row in section["rows"]:
                yield Block("subheading", row["name"])
                yield Block("body", row["text"], _part_html({"f": row["f"]}, facts))
            continue
        for paragraph in section.get("paragraphs", []):
            text = "".join(_part_text(p, facts) for p in paragraph)
            html = format_html_join("", "{}", ((_part_html(p, facts),) for p in paragraph))
            yield Block("body", text, html)
    yield Block("next", briefing.next_steps)


# --- DOCX ------------------------------------------------------------------------------------------------------


def _fonts(run_or_style: Any, east_asian: str, size: Any = None, bold: bool = False) -> None:
    """Name the font for Latin and east-Asian text alike (w:rFonts ascii/hAnsi/eastAsia), so WPS and Word agree."""
    font = run_or_style.font
    font.name = LATIN_FONT
    font.bold = bold
    if size is not None:
        font.size = size
    rpr = run_or_style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in ("w:ascii", "w:hAnsi"):
        fonts.set(qn(attribute), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), east_asian)


def _page_setup(document: Any) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    section.footer_distance = Mm(28)  # the page number sits about 7 mm below the text block
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(int(LINE_PITCH.pt * 20)))
    grid.set(qn("w:charSpace"), str(CHAR_SPACE))
    _page_numbers(section)


def _field(paragraph: Any, instruction: str) -> None:
    """A Word field (PAGE) in a run of its own, as begin / instruction / separate / result / end."""
    run = paragraph.add_run()
    _fonts(run, PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
    for kind, text in (("begin", None), ("instr", instruction), ("separate", None), ("text", "1"), ("end", None)):
        if kind == "instr":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        elif kind == "text":
            element = OxmlElement("w:t")
            element.text = text
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        run._r.append(element)


def _page_numbers(section: Any) -> None:
    """“— 1 —” centred at the foot (GB/T 9704 puts odd pages right and even left; centred reads the same on one
    side and is what most townships print)."""
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for text in ("— ", None, " —"):
        if text is None:
            _field(paragraph, " PAGE ")
        else:
            _fonts(paragraph.add_run(text), PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)


def _paragraph(document: Any, block: Block) -> None:
    paragraph = document.add_paragraph()
    layout = paragraph.paragraph_format
    layout.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    layout.line_spacing = LINE_PITCH
    layout.space_before = layout.space_after = Pt(0)
    font, size, align, indent = BODY_FONT, BODY_SIZE, WD_ALIGN_PARAGRAPH.JUSTIFY, True
    if block.kind == "title":
        font, size, align, indent = TITLE_FONT, TITLE_SIZE, WD_ALIGN_PARAGRAPH.CENTER, False
        layout.line_spacing = Pt(35)
    elif block.kind == "date":
        font, align, indent = SUBHEADING_FONT, WD_ALIGN_PARAGRAPH.CENTER, False
    elif block.kind == "heading":
        font = HEADING_FONT
    elif block.kind == "subheading":
        font = SUBHEADING_FONT
    paragraph.alignment = align
    if indent:
        layout.first_line_indent = Pt(32)  # two characters
    _fonts(paragraph.add_run(block.text), font, size)  # plain text: whatever was typed stays text


def docx_bytes(briefing: Briefing) -> bytes:
    """The briefing as a 公文-layout .docx."""
    document = Document()
    _page_setup(document)
    normal = document.styles["Normal"]
    _fonts(normal, BODY_FONT, BODY_SIZE)
    document.core_properties.title = briefing.title
    document.core_properties.subject = briefing.period_label
    document.core_properties.comments = f"快照摘要 SHA-256：{briefing.digest}"
    for block in blocks(briefing):
        if block.kind == "next":
            for line in block.text.splitlines() or [""]:
                if line.strip():
                    _paragraph(document, Block("body", line.strip()))
        else:
            _paragraph(document, block)
            if block.kind == "date":
                _paragraph(document, Block("body", ""))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --- PDF -------------------------------------------------------------------------------------------------------


def print_html(briefing: Briefing) -> str:
    return render_to_string(
        "briefings/print.html", {"briefing": briefing, "blocks": list(blocks(briefing)), "stand_ins": STAND_INS}
    )


def pdf_bytes(briefing: Briefing) -> bytes:
    """The briefing as PDF; `PdfFailed` with a Chinese message when WeasyPrint cannot draw it."""
    try:
        from weasyprint import HTML

        return bytes(HTML(string=print_html(briefing)).write_pdf())
    except Exception:
        logger.exception("briefing %s: PDF rendering failed", briefing.pk)
        raise PdfFailed from None


def filename(briefing: Briefing, suffix: str) -> str:
    return f"{briefing.unit.name}工作通报-{briefing.last_day:%Y%m%d}.{suffix}"
