"""Briefings on the test world: the 公文 DOCX, the PDF drawn to pages, bad input, issuing, scope and the county job."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Length, Pt
from PIL import Image

from xingyao.briefings import render
from xingyao.briefings.compose import NO_DATA, all_facts
from xingyao.briefings.jobs import COUNTY_BRIEFING
from xingyao.briefings.models import Briefing, State
from xingyao.briefings.tests import factories as f
from xingyao.core.models import AuditEntry
from xingyao.core.testing import every
from xingyao.core.tests.jobs import run_started
from xingyao.livability.tests import factories as lf

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(world):  # type: ignore[no-untyped-def]
    lf.work(world, "毛桥村", kind="drain", quantity=1234, place="毛桥村排水沟")
    lf.work(world, "庄营村", kind="flower_bed", quantity=7, place="庄营村花池")
    lf.work(world, "施东村", kind="drain", quantity=900, place="施东村排水沟")  # another town's
    lf.activity(world, "毛桥村", kind="show", title="“庆八一·感党恩”文艺汇演")
    return world


def _east_asian(run_or_style) -> str:  # type: ignore[no-untyped-def]
    return run_or_style.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))


def test_the_docx_has_the_official_document_page_setup_and_fonts(records, login) -> None:
    briefing = f.generated(records)
    response = login("zhen").get(f"/briefings/{briefing.pk}/briefing.docx")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    document = Document(io.BytesIO(response.content))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = [section.top_margin, section.bottom_margin, section.left_margin, section.right_margin]
    assert [round(m.mm) for m in margins] == [37, 35, 28, 26]
    assert round(Length(section.page_width - section.left_margin - section.right_margin).mm) == 156
    normal = document.styles["Normal"]
    assert _east_asian(normal) == "仿宋_GB2312" and normal.font.size == Pt(16)
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "linesAndChars" and int(grid.get(qn("w:linePitch"))) == 579
    paragraphs = [p for p in document.paragraphs if p.text]
    title = paragraphs[0].runs[0]
    assert paragraphs[0].text == "溧河铺镇“五星”支部创建工作情况通报"
    assert _east_asian(title) == "方正小标宋简体" and title.font.size == Pt(22)
    assert _east_asian(paragraphs[1].runs[0]) == "楷体_GB2312"  # the period line
    headings = [p for p in paragraphs if p.text.startswith(("一、", "二、", "三、", "四、", "五、"))]
    assert [p.text[:2] for p in headings] == ["一、", "二、", "三、", "四、", "五、"]
    assert all(_east_asian(p.runs[0]) == "黑体" for p in headings)
    body = next(p for p in paragraphs if "修建下水管网" in p.text)
    assert _east_asian(body.runs[0]) == "仿宋_GB2312" and body.runs[0].font.size == Pt(16)
    assert body.paragraph_format.first_line_indent == Pt(32)
    footer = section.footer.paragraphs[0]
    assert footer.text.startswith("— ") and footer.text.endswith(" —")
    assert "PAGE" in "".join(t.text for t in footer._p.iter(qn("w:instrText")))
    assert document.core_properties.comments.endswith(briefing.digest)


def test_the_pdf_renders_to_pages_that_are_not_blank(records, login, tmp_path: Path) -> None:
    briefing = f.generated(records)
    response = login("zhen").get(f"/briefings/{briefing.pk}/briefing.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    (tmp_path / "b.pdf").write_bytes(response.content)
    subprocess.run(
        ["/usr/bin/pdftoppm", "-r", "40", "-png", str(tmp_path / "b.pdf"), str(tmp_path / "page")], check=True
    )
    pages = sorted(tmp_path.glob("page*.png"))
    assert pages
    for page in pages:
        image = Image.open(page).convert("L")
        dark = image.histogram()[:128]
        dark = sum(dark)
        assert dark > image.width * image.height * 0.005, f"{page.name} looks blank"
        assert image.width < image.height  # portrait A4


def test_a_failed_pdf_says_so_in_chinese_and_the_docx_still_comes(records, login, monkeypatch) -> None:
    import weasyprint

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise OSError("font cache is broken")

    monkeypatch.setattr(weasyprint, "HTML", broken)
    briefing = f.generated(records)
    client = login("zhen")
    response = client.get(f"/briefings/{briefing.pk}/briefing.pdf")
    page = response.content.decode()
    assert response.status_code == 503 and "PDF 版生成失败" in page and "font cache" not in page
    assert f"/briefings/{briefing.pk}/briefing.docx" in page
    assert client.get(f"/briefings/{briefing.pk}/briefing.docx").status_code == 200


def test_script_in_the_next_steps_is_escaped_in_html_and_plain_text_in_docx(records, login) -> None:
    briefing = f.generated(records)
    client = login("zhen")
    typed = "下一步<script>alert('x')</script>继续推进"
    assert client.post(f"/briefings/{briefing.pk}/next-steps/", {"next_steps": typed}).status_code == 302
    page = client.get(f"/briefings/{briefing.pk}/").content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    document = Document(io.BytesIO(client.get(f"/briefings/{briefing.pk}/briefing.docx").content))
    assert any(p.text == typed for p in document.paragraphs)
    assert "<script>" not in render.print_html(every(Briefing).get(pk=briefing.pk)).split("<body>")[1]


def test_a_period_without_records_says_so_per_section_not_zeros(records, login) -> None:
    briefing = f.generated(records, year=2019)
    text = "\n".join(b.text for b in render.blocks(briefing))
    assert text.count(NO_DATA) == 4  # every section but 平安法治, which states the town's standing grids only
    safety = next(s for s in briefing.content["sections"] if s["key"] == "safety")
    assert list(safety["facts"]) == ["grid.grids"] and "划分网格2个" in text
    assert "0个" not in text and "0起" not in text and "0米" not in text and "0次" not in text


def test_the_briefing_counts_the_towns_records_only(records) -> None:
    briefing = f.generated(records)
    facts = all_facts(briefing.content)
    assert (
        facts["livability.drain_metres"]["value"] == "1234" and facts["livability.drain_metres"]["text"] == "1000余米"
    )
    assert len(facts["livability.drain_metres"]["ids"]) == 1
    assert "1000余米" in "".join(b.text for b in render.blocks(briefing)) and "施东" not in str(briefing.content)


def test_a_town_outside_scope_is_not_found_and_cannot_be_posted(records, login) -> None:
    lihepu = records.unit("溧河铺镇")
    shian = login("shian")
    assert shian.get(f"/briefings/new/?unit={lihepu.code}").status_code == 404
    response = shian.post("/briefings/new/", {"unit": lihepu.pk, "period": "year", "year": "2023"})
    assert response.status_code == 400 and "不在您的管辖范围内" in response.content.decode()
    assert not every(Briefing).exists()
    assert login("zhen").get(f"/briefings/new/?unit={lihepu.code}").status_code == 200


def test_a_bad_period_is_refused_in_chinese(records, login) -> None:
    lihepu = records.unit("溧河铺镇")
    client = login("zhen")
    for data, words in [
        ({"period": "quarter", "year": "2023"}, "季度"),
        ({"period": "up_to", "year": "2023"}, "截止日期"),
        ({"period": "up_to", "year": "2023", "until": "2022-12-31"}, "所选年度"),
        ({"period": "decade", "year": "2023"}, "选择"),
    ]:
        response = client.post("/briefings/new/", {"unit": lihepu.pk, **data})
        assert response.status_code == 400 and words in response.content.decode(), data


def test_issuing_asks_first_records_the_digest_and_freezes_the_briefing(records, login) -> None:
    briefing = f.generated(records)
    client = login("zhen")
    page = client.get(f"/briefings/{briefing.pk}/").content.decode()
    assert 'data-confirm="签发后' in page
    assert client.post(f"/briefings/{briefing.pk}/issue/").status_code == 302
    briefing.refresh_from_db()
    assert briefing.state == State.ISSUED and briefing.issued_at is not None
    issued = every(AuditEntry).get(action="briefing.issue", object_id=str(briefing.pk))
    generated = every(AuditEntry).get(action="briefing.generate", object_id=str(briefing.pk))
    assert issued.after["digest"] == briefing.digest == generated.after["digest"]
    refused = client.post(f"/briefings/{briefing.pk}/next-steps/", {"next_steps": "改一改"})
    assert refused.status_code == 400 and "不能再修改" in refused.content.decode()
    briefing.refresh_from_db()
    assert briefing.next_steps != "改一改"


def test_the_county_briefing_gathers_its_towns_as_a_background_job(records, login, monkeypatch) -> None:
    county = records.unit("新野县")
    response = login("xian").post("/briefings/new/", {"unit": county.pk, "period": "year", "year": "2023"})
    job = run_started(response, monkeypatch)
    assert job.kind == COUNTY_BRIEFING and job.state == "done", job.summary
    assert "汇总 2 个乡镇" in job.summary
    briefing = every(Briefing).get(unit=county)
    rows = next(s["rows"] for s in briefing.content["sections"] if s["key"] == "towns")
    assert [r["name"] for r in rows] == ["施庵镇", "溧河铺镇"] or [r["name"] for r in rows] == ["溧河铺镇", "施庵镇"]
    facts = all_facts(briefing.content)
    assert facts["livability.drain_metres"]["value"] == str(1234 + 900)
    from xingyao.core.models import JobFile

    stored = JobFile.objects.unscoped("a test reads the job's file").get(job=job, purpose=JobFile.RESULT)
    document = Document(stored.file.open("rb"))
    texts = [p.text for p in document.paragraphs]
    assert "六、各乡镇情况" in texts and "溧河铺镇" in texts


def test_the_menu_offers_briefings_to_town_and_county_roles_only(world, login) -> None:
    assert "/briefings/" in login("zhen").get("/home/").content.decode()
    assert "/briefings/" in login("xian").get("/home/").content.decode()
    assert 'href="/briefings/"' not in login("maoqiao").get("/home/").content.decode()


def test_the_page_fits_a_phone_and_prints_as_a_document(records) -> None:
    css = (Path(__file__).parents[1] / "static" / "briefings" / "briefing.css").read_text()
    assert "@media print" in css and "37mm 26mm 35mm 28mm" in css and "max-width: 420px" in css


def test_the_generation_is_dated_and_the_until_day_is_kept(records) -> None:
    briefing = f.generated(records, kind="up_to", until=dt.date(2023, 3, 31))
    assert briefing.first_day == dt.date(2023, 1, 1) and briefing.last_day == dt.date(2023, 3, 31)
    assert "drain" not in str(briefing.content) and all_facts(briefing.content).get("livability.drain_metres") is None


def test_the_list_and_the_briefing_page_take_a_bounded_number_of_queries(records, login, django_assert_max_num_queries):
    for _ in range(12):
        f.snapshot(records, "溧河铺镇", "标记")
    briefing = f.generated(records)
    client = login("zhen")
    with django_assert_max_num_queries(12):
        assert client.get("/briefings/").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(f"/briefings/{briefing.pk}/").status_code == 200
