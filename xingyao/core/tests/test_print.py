"""Print: every page links the print stylesheet, which drops the site's chrome and controls on paper (A4)."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

from xingyao.assessments.tests import fixtures as af
from xingyao.assessments.workflow import State
from xingyao.grid.actions import do_rotate_resident_link
from xingyao.grid.tests import factories as gf

PRINT_CSS = 'href="/static/xingyao/print.css"'


def _print_rules() -> str:
    css = (Path(settings.BASE_DIR) / "static" / "xingyao" / "print.css").read_text(encoding="utf-8")
    found = re.search(r"@media print \{(.*)\n\}", css, re.S)
    assert found, "print.css holds its rules in @media print"
    return found.group(1)


def test_the_public_notice_rankings_poster_and_case_file_link_the_print_stylesheet(world, client, login):
    af.award(world)
    af.at_state(world, State.COUNTY_APPROVED, village="庄营村")
    do_rotate_resident_link(world.user("zhen"), world.unit("毛桥村"))
    case = gf.dispute(world)
    town = world.unit("溧河铺镇").code
    pages = {
        "public notice": client.get(f"/public/{world.unit('新野县').code}/2023/"),
        "public town board": client.get(f"/public/{town}/"),
        "rankings": login("zhen").get(f"/assessments/rankings/{town}/2023/"),
        "QR poster": login("maoqiao").get(f"/grid/links/{world.unit('毛桥村').code}/poster/"),
        "case file": login("zhen").get(f"/disputes/{case.pk}/"),
    }
    for name, response in pages.items():
        assert response.status_code == 200, name
        assert PRINT_CSS in response.content.decode(), name


def test_on_paper_the_chrome_and_the_controls_are_dropped_and_tables_stay_tables():
    rules = _print_rules()
    assert re.search(r"@page \{ size: A4;", rules)
    hidden = re.search(r"([^{}]+)\{ display: none !important; \}", rules)
    assert hidden
    for selector in (".topbar", ".menu", "form", "button", ".no-print", ".messages", ".filters"):
        assert selector in hidden.group(1), selector
    assert "display: table !important" in rules and "display: table-cell !important" in rules
    assert ".poster" in rules and "break-after: page" in rules


def test_the_case_file_prints_its_record_and_leaves_its_forms_off_the_paper(world, login):
    case = gf.dispute(world)
    page = login("zhen").get(f"/disputes/{case.pk}/").content.decode()
    work = page.split('<section class="no-print">', 1)
    assert len(work) == 2, "the 办理 forms sit in a no-print section"
    assert "<form" not in work[0].split("</main>")[0].split('<main id="main">', 1)[-1]
    assert '<p class="print-only">矛盾纠纷案卷' in page and "调解记录" in work[1] and "流转记录" in work[1]
