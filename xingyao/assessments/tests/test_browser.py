"""The whole yearly cycle in a browser: fill with a photo, send back, correct, approve, 公示, objection, award."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from xingyao.assessments.models import Assessment, Objection
from xingyao.assessments.tests import fixtures as f
from xingyao.conftest import sign_in

pytestmark = pytest.mark.browser


def _as(page, username: str | None) -> None:  # type: ignore[no-untyped-def]
    page.context.clear_cookies()
    if username:
        sign_in(page, username)


def _button(page, name: str):  # type: ignore[no-untyped-def]
    return page.get_by_role("button", name=name, exact=True)


def test_a_village_goes_from_self_assessment_to_public_stars(page, browser_world, tmp_path):
    page.on("dialog", lambda dialog: dialog.accept())  # each irreversible step asks; these people mean it
    w = browser_world
    a = f.assessment(w)
    f.fill(a, skip=("civility.1.1",))
    f.attach_evidence(a, tuple(c for c in a.values.values_list("indicator__code", flat=True) if c != "civility.1.1"))
    service_centre = f.indicator(a, "civility.1.1")
    road = f.indicator(a, "ecology.1.1")
    photo = tmp_path / "党群服务中心.jpg"
    photo.write_bytes(f.jpeg())
    detail = f"/assessments/{a.pk}/"

    # 毛桥村 finds its draft on the home page, fills the last indicator, adds a photo and submits.
    _as(page, "maoqiao")
    page.click("text=待填报年度评定")
    page.wait_for_url(f"**{detail}")
    page.click("text=填写自评")
    page.select_option(f"#id_v_{service_centre.pk}", "true")
    _button(page, "保存").click()
    page.wait_for_url(f"**{detail}")
    row = page.locator(f"#ind-{service_centre.pk}")
    row.locator("summary", has_text="上传佐证").click()
    row.locator("input[type=file]").set_input_files(str(photo))
    row.get_by_role("button", name="上传", exact=True).click()
    page.locator(f"#ind-{service_centre.pk} .thumbs img").wait_for()
    page.reload()
    assert "拍摄于 2023-09-19 10:30" in page.text_content("#evidence")
    _button(page, "提交").click()
    page.wait_for_selector("#state:has-text('村级已提交')")

    # The town reviewer sends it back with a reason.
    _as(page, "zhen_shenhe")
    page.goto("/assessments/queue/")
    page.click("text=毛桥村")
    page.fill("#id_reason", "环村路长度请按竣工验收单填写")
    _button(page, "退回村级修改").click()
    page.wait_for_selector("#state:has-text('草稿')")

    # The village sees why, corrects the road and submits again.
    _as(page, "maoqiao")
    page.goto(detail)
    assert "环村路长度请按竣工验收单填写" in page.text_content("#steps")
    page.click("text=填写自评")
    page.fill(f"#id_v_{road.pk}", "1500")
    page.fill(f"#id_n_{road.pk}", "按竣工验收单，环村路 1500 米")  # departs from the works ledger: a note says why
    _button(page, "保存").click()
    page.wait_for_url(f"**{detail}")
    _button(page, "提交").click()
    page.wait_for_selector("#state:has-text('村级已提交')")

    # The town sees what changed since it sent the record back, and approves; then the county approves.
    _as(page, "zhen_shenhe")
    page.goto(detail)
    assert "有 1 项指标发生变化" in page.text_content("#changed")
    _button(page, "初审通过").click()
    page.wait_for_selector("#state:has-text('乡镇已初审')")
    _as(page, "xian_shenhe")
    page.goto(detail)
    _button(page, "县级审定").click()
    page.wait_for_selector("#state:has-text('县级已审定')")

    # The county opens the public notice.
    _as(page, "xian")
    page.goto(detail)
    page.fill("#id_start", timezone.localdate().isoformat())
    page.fill("#id_days", "7")
    _button(page, "开始公示").click()
    page.wait_for_selector("#state:has-text('公示中')")

    # Anyone with the link sees it and files an objection.
    _as(page, None)
    page.goto(f"/public/{w.unit('新野县').code}/2023/")
    assert "溧河铺镇毛桥村拟授予 5 星" in page.text_content("#publicized")
    page.get_by_role("link", name="提出异议").click()
    page.fill("#id_content", "环村路东段尚未硬化")
    page.fill("#id_contact", "13700000000")
    _button(page, "提交异议").click()
    page.wait_for_selector("#received")
    assert Objection.objects.filter(assessment=a, status="open").count() == 1

    # The county records its decision.
    _as(page, "xian")
    page.goto(detail)
    assert "环村路东段尚未硬化" in page.text_content("#objections")
    page.select_option("#id_upheld", "0")
    page.fill("#id_decision", "经现场核实，东段已于12月硬化")
    _button(page, "记录处理结果").click()
    page.wait_for_selector("text=异议已处理")
    assert Objection.objects.get(assessment=a).status == "dismissed"

    # The star count shows on the village page and in the ranking.
    page.goto(f"/units/{w.unit('毛桥村').code}/")
    assert page.text_content("#unit-star-count") == "5"
    page.goto(f"/assessments/rankings/{w.unit('溧河铺镇').code}/2023/")
    row = page.locator(f"tr[data-village='{w.unit('毛桥村').code}']")
    assert "5 星" in row.inner_text()
    assert Assessment.objects.get(pk=a.pk).state == "publicized"

    # The notice period runs out (moved back a week rather than waiting one); the county awards the stars.
    Assessment.objects.filter(pk=a.pk).update(publicity_start=timezone.localdate() - dt.timedelta(days=7))
    page.goto(f"/assessments/overview/{w.unit('新野县').code}/2023/")
    page.once("dialog", lambda dialog: dialog.accept())
    _button(page, "公示期满授星").click()
    page.wait_for_selector("text=已为 1 个村授星")
    assert Assessment.objects.get(pk=a.pk).state == "awarded"
    page.goto(f"/units/{w.unit('毛桥村').code}/")
    assert page.text_content("#unit-star-count") == "5"
    page.goto(f"/public/{w.unit('新野县').code}/2023/")
    assert "毛桥村" in page.text_content("main")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert not page.console_errors


def test_a_clerk_uploads_three_photos_at_once_and_sees_them_without_the_page_moving(page, browser_world, tmp_path):
    a = f.assessment(browser_world)
    cleanup = f.indicator(a, "ecology.2.2")
    photos = []
    for n, color in enumerate(("red", "blue", "green"), 1):
        path = tmp_path / f"清运{n}.jpg"
        path.write_bytes(f.jpeg(color))
        photos.append(str(path))
    _as(page, "maoqiao")
    page.click("text=待填报年度评定")
    row = page.locator(f"#ind-{cleanup.pk}")
    row.locator("summary", has_text="上传佐证").click()
    row.scroll_into_view_if_needed()
    before = page.evaluate("window.scrollY")
    assert before > 0, "the row is well down the page"
    row.locator("input[type=file]").set_input_files(photos)
    button = row.get_by_role("button", name="上传", exact=True)
    button.click()
    page.locator(f"#ind-{cleanup.pk} .thumbs img").nth(2).wait_for()
    assert page.locator(f"#ind-{cleanup.pk} .thumbs img").count() == 3
    assert page.evaluate("window.scrollY") == before, "the page stayed where it was"
    assert f"3/{cleanup.evidence_count}" in page.locator(f"#ind-{cleanup.pk}").inner_text()
    page.wait_for_function(  # the three thumbnails load (served in scope, made on first view)
        "(id) => [...document.querySelectorAll(`#ind-${id} .thumbs img`)].every((i) => i.complete && i.naturalWidth)",
        arg=cleanup.pk,
    )
    assert a.evidence.count() == 3
    assert not page.console_errors, page.console_errors


def test_a_large_phone_photo_is_made_smaller_before_it_is_sent_and_keeps_its_time_and_orientation(
    page, browser_world, tmp_path
):
    import io
    import random

    from PIL import Image

    a = f.assessment(browser_world)
    cleanup = f.indicator(a, "ecology.2.2")
    noise = random.Random(7).randbytes(2400 * 1600 * 3)  # noise compresses badly: a few MB, like a phone photo
    exif = Image.Exif()
    exif[0x0112] = 6  # taken holding the phone upright: the pixels lie on their side
    exif.get_ifd(0x8769)[0x9003] = "2023:08:01 08:15:00"
    out = io.BytesIO()
    Image.frombytes("RGB", (2400, 1600), noise).save(out, format="JPEG", quality=92, exif=exif)
    original = tmp_path / "IMG_2048.jpg"
    original.write_bytes(out.getvalue())
    sent: list[int] = []
    page.on("request", lambda r: sent.append(len(r.post_data_buffer or b"")) if r.method == "POST" else None)
    _as(page, "maoqiao")
    page.goto(f"/assessments/{a.pk}/")
    row = page.locator(f"#ind-{cleanup.pk}")
    row.locator("summary", has_text="上传佐证").click()
    row.locator("input[type=file]").set_input_files(str(original))
    row.get_by_role("button", name="上传", exact=True).click()
    page.locator(f"#ind-{cleanup.pk} .thumbs img").wait_for()
    assert sent and sent[-1] < len(out.getvalue()) * 0.8, (sent, len(out.getvalue()))
    evidence = a.evidence.get()
    assert timezone.localtime(evidence.taken_at).strftime("%Y-%m-%d %H:%M") == "2023-08-01 08:15"
    with evidence.file.open("rb") as stored, Image.open(stored) as image:
        assert image.height > image.width, "upright, turned once and only once"
