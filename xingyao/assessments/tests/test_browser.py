"""The whole yearly cycle in a browser: fill with a photo, send back, correct, approve, 公示, objection, award."""

from __future__ import annotations

import datetime as dt
import re

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
    page.select_option("#id_indicator", str(service_centre.pk))
    page.set_input_files("#id_file", str(photo))
    _button(page, "上传").click()
    page.wait_for_selector("text=已上传「党群服务中心.jpg」")
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
    assert re.search(r"毛桥村\s*溧河铺镇\s*5 星", page.text_content("#publicized"))
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
