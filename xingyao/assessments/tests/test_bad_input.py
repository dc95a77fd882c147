"""Bad input is refused with a Chinese message and nothing changes."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from xingyao.assessments.models import Assessment, Evidence, IndicatorValue
from xingyao.assessments.tests import fixtures as f
from xingyao.assessments.workflow import State
from xingyao.core.models import AuditEntry


def _values(a: Assessment) -> list:
    return list(IndicatorValue.objects.filter(assessment=a).order_by("id").values_list("self_value", "town_value"))


def test_a_value_of_the_wrong_type_or_out_of_range_is_refused_on_the_form(world, login):
    a = f.assessment(world)
    before, audits = _values(a), AuditEntry.objects.count()
    data = {
        f"v_{f.indicator(a, 'branch.2.1').pk}": "十二次",
        f"v_{f.indicator(a, 'ecology.2.1').pk}": "130",
        f"v_{f.indicator(a, 'ecology.3.1').pk}": "25",
        f"v_{f.indicator(a, 'branch.1.2').pk}": "true",
    }
    response = login("maoqiao").post(f"/assessments/{a.pk}/values/", data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "「全年落实“三会一课”次数」应为数字" in page
    assert "「卫生厕所改造普及率」应在 0% 到 100% 之间" in page
    assert "「游园广场、花坛、墙绘建设」得分应在 0 到 20 之间" in page
    assert "有 3 项填写有误，未保存任何修改" in page
    assert _values(a) == before and AuditEntry.objects.count() == audits


def test_a_wrong_value_over_the_api_answers_400_in_chinese(world, api):
    a = f.assessment(world)
    response = api("maoqiao").post(
        f"/api/v1/assessments/{a.pk}/values",
        {"values": {"industry.2.2": "gold", "branch.1.2": True}},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "「特色产品品牌建设」的选项「gold」无效" in response.json()["detail"]
    assert f.value(a, "branch.1.2").self_value is None


def test_submitting_without_the_required_evidence_is_refused(world, login):
    a = f.assessment(world)
    f.fill(a)
    f.attach_evidence(a)
    Evidence.objects.filter(assessment=a, indicator__code="branch.1.2").delete()
    client = login("maoqiao")
    client.post(f"/assessments/{a.pk}/do/submit/")
    a.refresh_from_db()
    assert a.state == State.DRAFT
    page = client.get(f"/assessments/{a.pk}/").content.decode()
    assert "不能提交：「“两委”班子结构合理、团结干事」需上传佐证材料 1 份，现有 0 份" in page


def test_submitting_an_empty_assessment_is_refused(world, api):
    a = f.assessment(world)
    response = api("maoqiao").post(
        f"/api/v1/assessments/{a.pk}/transitions", {"action": "submit"}, content_type="application/json"
    )
    assert response.status_code == 400 and "尚未填写任何指标" in response.json()["detail"]


def test_a_file_that_is_not_what_its_name_says_is_refused(world, login):
    a = f.assessment(world)
    client = login("maoqiao")
    civility = f.indicator(a, "civility.1.1")
    fake_photo = SimpleUploadedFile("服务中心.jpg", b"%PDF-1.7 not a photo", content_type="image/jpeg")
    client.post(f"/assessments/{a.pk}/evidence/", {"indicator": civility.pk, "file": fake_photo})
    fake_pdf = SimpleUploadedFile("会议记录.pdf", f.jpeg(), content_type="application/pdf")
    response = client.post(f"/assessments/{a.pk}/evidence/", {"indicator": civility.pk, "file": fake_pdf}, follow=True)
    page = response.content.decode()
    assert "「服务中心.jpg」不是有效的图片文件" in page
    assert "「会议记录.pdf」的内容与扩展名 .pdf 不符" in page
    assert not Evidence.objects.filter(assessment=a).exists()


def test_a_transition_not_allowed_from_the_current_state_is_refused(world, api):
    a = f.submittable(world)
    response = api("xian").post(
        f"/api/v1/assessments/{a.pk}/transitions", {"action": "award"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "当前状态「草稿」不能执行「授星」"
    assert Assessment.objects.get(pk=a.pk).state == State.DRAFT


def test_a_transition_not_allowed_for_the_role_is_refused(world, login, api):
    a = f.submittable(world)
    # The town administrator may edit the village's record but submitting is the village's own act.
    response = api("zhen").post(
        f"/api/v1/assessments/{a.pk}/transitions", {"action": "submit"}, content_type="application/json"
    )
    assert response.status_code == 400 and response.json()["detail"] == "您的角色无权执行此操作"
    # A village clerk holds no review right at all: refused before the workflow is asked.
    submitted = f.at_state(world, State.SUBMITTED, village="庄营村")
    assert login("zhuangying").post(f"/assessments/{submitted.pk}/do/town_approve/").status_code == 403
    # The town reviewer may not approve for the county.
    twice = f.at_state(world, State.TOWN_REVIEWED)
    response = api("zhen_shenhe").post(
        f"/api/v1/assessments/{twice.pk}/transitions", {"action": "county_approve"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert Assessment.objects.get(pk=twice.pk).state == State.TOWN_REVIEWED


def test_sending_back_without_a_reason_is_refused(world, login):
    a = f.at_state(world, State.SUBMITTED)
    client = login("zhen_shenhe")
    page = client.post(f"/assessments/{a.pk}/do/send_back/", {"reason": "  "}, follow=True).content.decode()
    assert "退回必须填写理由" in page
    assert Assessment.objects.get(pk=a.pk).state == State.SUBMITTED


def test_a_locked_assessment_cannot_be_edited(world, login, api):
    a = f.at_state(world, State.COUNTY_APPROVED)
    before = _values(a)
    client = login("maoqiao")
    road = f.indicator(a, "ecology.1.1")
    page = client.post(f"/assessments/{a.pk}/values/", {f"v_{road.pk}": "5"}, follow=True).content.decode()
    assert "评定已县级已审定，已锁定，不能修改" in page
    response = api("xian").post(
        f"/api/v1/assessments/{a.pk}/values", {"values": {"ecology.1.1": "5"}}, content_type="application/json"
    )
    assert response.status_code == 400 and "已锁定" in response.json()["detail"]
    upload = client.post(
        f"/assessments/{a.pk}/evidence/", {"indicator": road.pk, "file": f.photo()}, follow=True
    ).content.decode()
    assert "已锁定" in upload
    assert _values(a) == before and a.evidence.filter(original_name="现场.jpg").count() == 0


def test_evidence_cannot_be_removed_once_submitted(world, login):
    a = f.at_state(world, State.SUBMITTED)
    evidence = a.evidence.first()
    page = login("maoqiao").post(f"/assessments/evidence/{evidence.pk}/delete/", follow=True).content.decode()
    assert "只有草稿状态可以删除佐证材料" in page
    assert Evidence.objects.filter(pk=evidence.pk).exists()


def test_a_correction_of_the_records_needs_an_explanation(world, login):
    a = f.assessment(world)
    v = f.value(a, "industry.2.1")
    v.derived_value = "420"
    v.save()
    client = login("maoqiao")
    field = f"v_{v.indicator_id}"
    page = client.post(f"/assessments/{a.pk}/values/", {field: "650"}).content.decode()
    assert "「特色产业种植面积」与系统数据（420 亩）不一致，请填写更正说明" in page
    client.post(f"/assessments/{a.pk}/values/", {field: "650", f"n_{v.indicator_id}": "新流转 230 亩未入台账"})
    v.refresh_from_db()
    assert (v.self_value, v.correction_note) == ("650", "新流转 230 亩未入台账")
    assert "新流转 230 亩未入台账" in login("zhen_shenhe").get(f"/assessments/{a.pk}/").content.decode()


def test_an_objection_outside_the_publicity_period_is_refused(world, client):
    a = f.at_state(world, State.COUNTY_APPROVED)
    url = f"/public/{world.unit('新野县').code}/2023/objection/{a.pk}/"
    assert client.get(url).status_code == 404
    a = f.at_state(world, State.PUBLICIZED, publicity_start=dt.date(2020, 1, 1), publicity_days=7)
    page = client.post(url, {"content": "有问题", "contact": "138"}).content.decode()
    assert "该村不在公示期内，不能提出异议" in page
    assert not a.objections.exists()


def test_unknown_transition_is_not_found(world, login):
    a = f.assessment(world)
    assert login("maoqiao").post(f"/assessments/{a.pk}/do/explode/").status_code == 404


def test_a_value_for_an_unknown_indicator_is_refused(world, api):
    a = f.assessment(world)
    response = api("maoqiao").post(
        f"/api/v1/assessments/{a.pk}/values", {"values": {"nope.1": 1}}, content_type="application/json"
    )
    assert response.status_code == 400 and response.json()["detail"] == "未知指标：nope.1"
