"""Screenshots of the generated briefing for the docs: the PDF's first page and, where LibreOffice is installed,
the DOCX's first page (converted to PDF by `libreoffice --headless --convert-to pdf`).

Loads the whole demo into a throw-away SQLite database, generates 溧河铺镇's 2023 briefing up to 2023-09-19 as the
town administrator (as one click on the page does), and writes small PNGs under docs/screenshots/.

    .venv/bin/python scripts/screenshots_briefing.py
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
RESOLUTION = "45"  # dots per inch: an A4 page ≈ 370 × 525 px, small enough for the repository


def _first_page_png(pdf: Path, name: str) -> Path:
    target = OUT / name
    stem = pdf.parent / f"{pdf.stem}-page"
    subprocess.run(  # noqa: S603 - our own file, a fixed tool
        ["/usr/bin/pdftoppm", "-r", RESOLUTION, "-png", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(stem)],
        check=True,
    )
    shutil.move(f"{stem}.png", target)
    return target


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="xingyao-briefing-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{work / 'demo.sqlite3'}"
    os.environ["XINGYAO_MEDIA_ROOT"] = str(work / "media")
    os.environ["XINGYAO_AUDIT_ANCHOR"] = str(work / "anchors.jsonl")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xingyao.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from xingyao.accounts.models import User
    from xingyao.briefings import actions, render
    from xingyao.briefings.compose import Span
    from xingyao.briefings.models import PeriodKind
    from xingyao.demo.steps import STEPS
    from xingyao.places.models import Unit

    call_command("migrate", verbosity=0)
    for _title, step in STEPS:
        step()
    town = Unit.objects.unscoped("the screenshot script's own demo database").get(name="溧河铺镇")
    span = Span(PeriodKind.UP_TO, 2023, None, dt.date(2023, 9, 19))
    briefing = actions.do_generate_briefing(User.objects.get(username="zhen"), town, span)
    OUT.mkdir(parents=True, exist_ok=True)
    pdf = work / "briefing.pdf"
    pdf.write_bytes(render.pdf_bytes(briefing))
    print("PDF:", _first_page_png(pdf, "briefing-pdf-page1.png"))
    docx = work / "briefing.docx"
    docx.write_bytes(render.docx_bytes(briefing))
    office = shutil.which("libreoffice") or shutil.which("soffice")
    if office is None:
        print("DOCX: skipped — LibreOffice is not installed here, so the Word file cannot be drawn to a picture")
    else:
        subprocess.run(  # noqa: S603 - our own file, the installed office suite
            [office, "--headless", "--convert-to", "pdf", "--outdir", str(work / "docx"), str(docx)],
            check=True,
            timeout=180,
        )
        print("DOCX:", _first_page_png(work / "docx" / "briefing.pdf", "briefing-docx-page1.png"))
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
