"""The yearly cycle through the pages: fill, submit, send back, approve, publish, object, award."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from xingyao.assessments.actions import do_transition
from xingyao.assessments.models import Assessment, Objection, StarAward, StepLog
from xingyao.assessments.tests import fixtures as f
from xingyao.assessments.workflow import State
from xingyao.core.models import AuditEntry


def _state(a: Assessment) -> str:
    return Assessment.objects.get(pk=a.pk).state


def test_village_clerk_starts_the_year_from_the_village_page(world, login):
    f.published_set(world)
    client = login("maoqiao")
    page = client.get(f"/units/{world.unit('毛桥村').code}/")
    assert "开始 2023 年度自评" in page.content.decode()
    response = client.post(f"/assessments/start/{world.unit('毛桥村').code}/2023/")
    a = Assessment.objects.get(village=world.unit("毛桥村"), year=2023)
    assert response["Location"] == f"/assessments/{a.pk}/"
    assert a.state == State.DRAFT and a.values.count() == a.criteria_set.indicators.count()
    assert AuditEntry.objects.filter(action="assessment.create", object_id=str(a.pk)).exists()


def test_values_are_saved_from_the_form_and_the_score_explains_each_star(world, login):
    a = f.assessment(world)
    client = login("maoqiao")
    form = client.get(f"/assessments/{a.pk}/values/")
    assert form.status_code == 200 and "村党组织书记履职评价" in form.content.decode()
    meetings = f.indicator(a, "branch.2.1").pk
    # The records show 12 meetings; the village says 8 and must say why it departs from them.
    note = "四次会议记录补录有误"
    data = {f"v_{f.indicator(a, 'branch.1.1').pk}": "good", f"v_{meetings}": "8", f"n_{meetings}": note}
    assert client.post(f"/assessments/{a.pk}/values/", data).status_code == 302
    assert f.value(a, "branch.1.1").self_value == "good"
    assert f.value(a, "branch.2.1").self_value == "8"
    page = client.get(f"/assessments/{a.pk}/").content.decode()
    assert "必备指标未达标：「全年落实“三会一课”次数」" in page
    assert "一票否决：「软弱涣散村党组织整顿销号」未达标" in page
    assert "前置星 支部过硬星 未评上" in page


def test_whole_cycle_from_draft_to_award_leaves_steps_and_audit_rows(world, login):
    a = f.submittable(world)
    maoqiao, zhen_shenhe, xian = login("maoqiao"), login("zhen_shenhe"), login("xian")
    maoqiao.post(f"/assessments/{a.pk}/do/submit/")
    assert _state(a) == State.SUBMITTED
    zhen_shenhe.post(f"/assessments/{a.pk}/do/send_back/", {"reason": "道路长度与台账不符"})
    assert _state(a) == State.DRAFT
    maoqiao.post(f"/assessments/{a.pk}/do/submit/")
    zhen_shenhe.post(f"/assessments/{a.pk}/do/town_approve/")
    assert _state(a) == State.TOWN_REVIEWED
    login("xian_shenhe").post(f"/assessments/{a.pk}/do/county_approve/")
    assert _state(a) == State.COUNTY_APPROVED
    xian.post(f"/assessments/{a.pk}/do/publish/", {"start": timezone.localdate().isoformat(), "days": 7})
    assert _state(a) == State.PUBLICIZED
    xian.post(f"/assessments/{a.pk}/do/award/")
    assert _state(a) == State.PUBLICIZED  # the objection window has only just opened
    # Eight days later (the notice moved back instead of the clock forward): the window has passed.
    Assessment.objects.filter(pk=a.pk).update(publicity_start=timezone.localdate() - dt.timedelta(days=8))
    xian.post(f"/assessments/{a.pk}/do/award/")
    assert _state(a) == State.AWARDED
    assert StarAward.objects.filter(village=a.village, year=2023).count() == 5
    steps = list(StepLog.objects.filter(assessment=a).values_list("action", "reason"))
    assert ("send_back", "道路长度与台账不符") in steps
    assert [s for s, _ in steps] == [
        "create", "submit", "send_back", "submit", "town_approve", "county_approve", "publish", "award",
    ]  # fmt: skip
    audited = set(AuditEntry.objects.filter(object_id=str(a.pk)).values_list("action", flat=True))
    assert {"assessment.submit", "assessment.send_back", "assessment.award"} <= audited
    page = xian.get(f"/assessments/{a.pk}/").content.decode()
    assert "道路长度与台账不符" in page and "陈静" in page  # who sent it back and why


def test_reviewer_sees_what_changed_since_he_sent_it_back(world, login):
    a = f.at_state(world, State.SUBMITTED)
    do_transition(world.user("zhen_shenhe"), a, "send_back", reason="请核实道路长度")
    maoqiao = login("maoqiao")
    road = f.indicator(a, "ecology.1.1")
    maoqiao.post(f"/assessments/{a.pk}/values/", {f"v_{road.pk}": "1800", f"n_{road.pk}": "含新修的村北道路 800 米"})
    maoqiao.post(f"/assessments/{a.pk}/do/submit/")
    page = login("zhen_shenhe").get(f"/assessments/{a.pk}/").content.decode()
    assert "有 1 项指标发生变化" in page
    assert f'<tr class="changed" id="ind-{road.pk}">' in page


def test_reviewer_values_sit_beside_the_villages_and_the_latest_counts(world, login):
    a = f.at_state(world, State.SUBMITTED)
    road = f.indicator(a, "ecology.1.1")
    client = login("zhen_shenhe")
    client.post(f"/assessments/{a.pk}/values/", {f"v_{road.pk}": "600", f"n_{road.pk}": "现场丈量只有 600 米"})
    v = f.value(a, "ecology.1.1")
    assert (v.self_value, v.town_value, v.town_note) == ("1000", "600", "现场丈量只有 600 米")
    a.refresh_from_db()
    assert "ecology" not in a.passed_stars  # a required indicator now fails at the town's value
    page = client.get(f"/assessments/{a.pk}/").content.decode()
    assert "1000 米" in page and "600 米" in page and "必备指标未达标：「年内村内道路整修、拓宽」" in page


def test_an_open_objection_pauses_the_award_until_the_county_decides(world, login):
    objection = f.objection(world)
    a = objection.assessment
    Assessment.objects.filter(pk=a.pk).update(publicity_start=timezone.localdate() - dt.timedelta(days=10))
    xian = login("xian")
    xian.post(f"/assessments/{a.pk}/do/award/")
    assert _state(a) == State.PUBLICIZED
    page = xian.get(f"/assessments/{a.pk}/").content.decode()
    assert "有未处理的异议，暂停授星" in page and "该村道路并未修通" in page
    xian.post(f"/assessments/objections/{objection.pk}/decide/", {"upheld": "0", "decision": "经核实道路已修通"})
    assert Objection.objects.get(pk=objection.pk).status == "dismissed"
    xian.post(f"/assessments/{a.pk}/do/award/")
    assert _state(a) == State.AWARDED


def test_an_upheld_objection_sends_the_assessment_back_to_the_village(world, login):
    objection = f.objection(world)
    login("xian").post(f"/assessments/objections/{objection.pk}/decide/", {"upheld": "1", "decision": "道路确未修通"})
    a = Assessment.objects.get(pk=objection.assessment_id)
    assert a.state == State.DRAFT and a.publicity_start is None
    assert StepLog.objects.filter(assessment=a, action="send_back", reason="异议成立：道路确未修通").exists()


def test_objections_and_their_contacts_are_shown_only_to_the_county(world, login):
    objection = f.objection(world)
    url = f"/assessments/{objection.assessment_id}/"
    assert "13800000000" in login("xian").get(url).content.decode()
    for who in ("maoqiao", "zhen_shenhe", "lingdao"):
        assert "13800000000" not in login(who).get(url).content.decode()


def test_batch_approval_passes_clean_items_and_skips_those_with_remarks(world, login):
    clean = f.at_state(world, State.SUBMITTED)
    noted = f.at_state(world, State.SUBMITTED, village="庄营村")
    v = f.value(noted, "industry.2.1")
    v.correction_note = "系统面积未含新流转土地"
    v.save()
    client = login("zhen_shenhe")
    queue = client.get("/assessments/queue/").content.decode()
    assert f'value="{clean.pk}"' in queue and f'value="{noted.pk}"' not in queue
    assert "有备注或疑点，须逐条审核" in queue
    response = client.post("/assessments/queue/approve/", {"ids": [clean.pk, noted.pk]}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "已批量审核通过 1 件" in response.content.decode()
    assert _state(clean) == State.TOWN_REVIEWED and _state(noted) == State.SUBMITTED


def test_queue_is_ordered_by_deadline_and_home_page_counts_it(world, login):
    late = f.at_state(world, State.SUBMITTED, due_date=dt.date(2024, 1, 20))
    soon = f.at_state(world, State.SUBMITTED, village="庄营村", due_date=dt.date(2024, 1, 5))
    client = login("zhen_shenhe")
    queue = client.get("/assessments/queue/").content.decode()
    assert queue.index(f"/assessments/{soon.pk}/") < queue.index(f"/assessments/{late.pk}/")
    home = client.get("/home/").content.decode()
    assert "待审核年度评定" in home and '<span class="tag">2</span>' in home
    assert "待审核年度评定" not in login("shian").get("/home/").content.decode()


def test_village_clerk_home_page_links_to_his_draft(world, login):
    a = f.assessment(world)
    home = login("maoqiao").get("/home/").content.decode()
    assert "待填报年度评定" in home and f"/assessments/{a.pk}/" in home


def test_county_overview_shows_where_assessments_wait(world, login):
    f.at_state(world, State.SUBMITTED)
    f.assessment(world, "庄营村")
    page = login("xian").get(f"/assessments/overview/{world.unit('新野县').code}/2023/").content.decode()
    assert "溧河铺镇" in page and "最长 0 天" in page


def test_county_opens_publicity_for_every_approved_assessment(world, login):
    a = f.at_state(world, State.COUNTY_APPROVED)
    b = f.at_state(world, State.COUNTY_APPROVED, village="庄营村")
    login("xian").post(
        f"/assessments/overview/{world.unit('新野县').code}/2023/publicity/",
        {"start": timezone.localdate().isoformat(), "days": 5},
    )
    for item in (a, b):
        item.refresh_from_db()
        assert item.state == State.PUBLICIZED
        assert (item.publicity_start, item.publicity_days) == (timezone.localdate(), 5)


def test_a_star_can_be_warned_removed_with_evidence_and_is_published(world, login, client):
    award = f.award(world)
    xian = login("xian")
    xian.post(
        f"/assessments/stars/{award.pk}/",
        {"action": "warn", "reason": "发生一起亡人事故", "file": f.photo("通报.jpg")},
    )
    xian.post(
        f"/assessments/stars/{award.pk}/", {"action": "remove", "reason": "事故查实", "file": f.photo("决定.jpg")}
    )
    award.refresh_from_db()
    assert award.status == "removed"
    notice = client.get(f"/public/{world.unit('新野县').code}/2023/").content.decode()
    assert "支部过硬星：摘星" in notice and "事故查实" in notice
    assert AuditEntry.objects.filter(action="star.remove").exists()


def test_star_change_without_evidence_or_reason_is_refused(world, login):
    award = f.award(world)
    xian = login("xian")
    page = xian.post(f"/assessments/stars/{award.pk}/", {"action": "warn", "reason": "事故"}).content.decode()
    assert "这个字段是必填项" in page or "必填" in page
    award.refresh_from_db()
    assert award.status == "active" and award.changes.count() == 1


def test_breadcrumbs_link_the_town_only_for_those_who_may_open_it(world, login):
    a = f.assessment(world)
    town = world.unit("溧河铺镇")
    clerk_page = login("maoqiao").get(f"/assessments/{a.pk}/").content.decode()
    town_page = login("zhen").get(f"/assessments/{a.pk}/").content.decode()
    assert town.name in clerk_page and town.get_absolute_url() not in clerk_page
    assert f'href="{town.get_absolute_url()}"' in town_page
