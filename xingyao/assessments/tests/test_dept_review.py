"""Per-star department review (分星部门审核): pages, API, scoping and refusals."""

from __future__ import annotations

from xingyao.accounts.models import Membership, User
from xingyao.assessments.actions import do_review_star, do_transition
from xingyao.assessments.models import Assessment, IndicatorValue, StarReview, StepLog
from xingyao.assessments.queries import dept_queue, queue_base
from xingyao.assessments.tests import fixtures as f
from xingyao.assessments.workflow import State
from xingyao.core.models import AuditEntry
from xingyao.core.roles import Action, Role
from xingyao.core.tasks import tasks_for
from xingyao.places.codes import Kind
from xingyao.places.models import Unit
from xingyao.stars.models import Star


def _state(a: Assessment) -> str:
    return Assessment.objects.get(pk=a.pk).state


def test_town_then_both_departments_then_county_through_the_pages(world, login):
    f.dept_review_on(world)
    a = f.at_state(world, State.SUBMITTED)
    login("zhen_shenhe").post(f"/assessments/{a.pk}/do/town_approve/")
    assert _state(a) == State.TOWN_REVIEWED
    county = login("xian_shenhe")
    county.post(f"/assessments/{a.pk}/do/county_approve/")
    assert _state(a) == State.TOWN_REVIEWED  # the departments come first
    zhengfa, nongye = login("zhengfawei"), login("nongye")
    page = zhengfa.get("/assessments/queue/").content.decode()
    assert "待部门审核" in page and "毛桥村" in page
    detail = zhengfa.get(f"/assessments/{a.pk}/").content.decode()
    assert "分星部门审核" in detail and "县委政法委" in detail and "县农业农村局" in detail
    assert f"/assessments/{a.pk}/stars/safety/review/" in detail
    assert f"/assessments/{a.pk}/stars/industry/review/" not in detail  # not his star
    assert zhengfa.post(f"/assessments/{a.pk}/stars/safety/review/", {"decision": "approve"}).status_code == 302
    assert _state(a) == State.TOWN_REVIEWED
    assert "毛桥村" not in zhengfa.get("/assessments/queue/").content.decode()  # done for his department
    assert dept_queue(world.user("nongye")).count() == 1
    nongye.post(f"/assessments/{a.pk}/stars/industry/review/", {"decision": "approve"})
    assert _state(a) == State.DEPT_REVIEWED
    done = county.get(f"/assessments/{a.pk}/").content.decode()
    assert done.count("已通过") == 2 and "郑法为" in done and "农业兴" in done
    county.post(f"/assessments/{a.pk}/do/county_approve/")
    assert _state(a) == State.COUNTY_APPROVED
    steps = list(StepLog.objects.filter(assessment=a).values_list("action", flat=True))
    assert steps[-3:] == ["town_approve", "dept_approve", "county_approve"]
    reviews = StarReview.objects.filter(assessment=a).values_list("star_code", "department__name", "decision")
    assert set(reviews) == {("safety", "县委政法委", "approve"), ("industry", "县农业农村局", "approve")}
    audited = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"assessment.star_review.approve", "assessment.dept_approve"} <= audited


def test_a_department_sends_the_whole_record_back_and_a_new_round_starts(world, login):
    a = f.in_dept_review(world)
    do_review_star(world.user("nongye"), a, "industry", "approve")
    zhengfa = login("zhengfawei")
    zhengfa.post(f"/assessments/{a.pk}/stars/safety/review/", {"decision": "send_back", "reason": ""})
    assert _state(a) == State.TOWN_REVIEWED  # a reason is required
    zhengfa.post(f"/assessments/{a.pk}/stars/safety/review/", {"decision": "send_back", "reason": "调解台账不实"})
    assert _state(a) == State.DRAFT
    step = StepLog.objects.filter(assessment=a).last()
    assert step is not None and step.action == "send_back" and "调解台账不实" in step.reason
    # Resubmitted and approved by the town: the earlier approval no longer counts.
    a = Assessment.objects.get(pk=a.pk)
    do_transition(world.user("maoqiao"), a, "submit")
    do_transition(world.user("zhen_shenhe"), a, "town_approve")
    do_review_star(world.user("zhengfawei"), a, "safety", "approve")
    assert _state(a) == State.TOWN_REVIEWED
    do_review_star(world.user("nongye"), a, "industry", "approve")
    assert _state(a) == State.DEPT_REVIEWED


def test_approving_a_star_of_another_department_or_twice_is_refused(world, login, api):
    a = f.in_dept_review(world)
    page = login("zhengfawei")
    assert page.post(f"/assessments/{a.pk}/stars/industry/review/", {"decision": "approve"}).status_code == 403
    assert not StarReview.objects.filter(assessment=a).exists()
    response = api("zhengfawei").post(
        f"/api/v1/assessments/{a.pk}/star-reviews",
        {"star_code": "industry", "decision": "approve"},
        content_type="application/json",
    )
    assert response.status_code == 403
    response = api("zhengfawei").post(
        f"/api/v1/assessments/{a.pk}/star-reviews",
        {"star_code": "branch", "decision": "approve"},
        content_type="application/json",
    )
    assert response.status_code == 400 and "无需部门审核" in response.json()["detail"]
    ok = api("zhengfawei").post(
        f"/api/v1/assessments/{a.pk}/star-reviews",
        {"star_code": "safety", "decision": "approve"},
        content_type="application/json",
    )
    assert ok.status_code == 200
    body = ok.json()
    assert {r["star_code"]: r["status"] for r in body["star_reviews"]}["safety"] == "已通过"
    again = api("zhengfawei").post(
        f"/api/v1/assessments/{a.pk}/star-reviews",
        {"star_code": "safety", "decision": "approve"},
        content_type="application/json",
    )
    assert again.status_code == 400 and "无需重复审核" in again.json()["detail"]
    back = api("zhengfawei").post(
        f"/api/v1/assessments/{a.pk}/star-reviews",
        {"star_code": "safety", "decision": "send_back"},
        content_type="application/json",
    )
    assert back.status_code == 400 and back.json()["detail"] == "退回必须填写理由"
    # The county reviewer holds no department: the generic step is refused.
    forced = api("xian_shenhe").post(
        f"/api/v1/assessments/{a.pk}/transitions", {"action": "dept_approve"}, content_type="application/json"
    )
    assert forced.status_code == 400


def test_department_handlers_see_only_assessments_their_department_reviews(world, login):
    a = f.in_dept_review(world)
    other = f.at_state(world, State.TOWN_REVIEWED, "庄营村")
    zhengfa = world.user("zhengfawei")
    assert set(Assessment.objects.restrict(zhengfa, Action.HANDLE)) == {a, other}
    # A department of the same county that reviews no star of the set.
    idle = Unit.objects.create(
        code=f"{world.unit('新野县').code}B09", name="县文广旅局", kind=Kind.DEPARTMENT, parent=world.unit("新野县")
    )
    wen = User.objects.create_user("wenguang", password="x", full_name="文广")
    Membership.objects.create(user=wen, unit=idle, role=Role.DEPT_HANDLER)
    client = login("zhengfawei")
    client.force_login(wen)
    assert client.get(f"/assessments/{a.pk}/").status_code == 404
    assert not dept_queue(wen).exists()
    # Another county's department handler.
    tanghe = Unit.objects.get(code="411328000000")
    far = Unit.objects.create(code="411328000000B01", name="唐河县政法委", kind=Kind.DEPARTMENT, parent=tanghe)
    stranger = User.objects.create_user("tanghe_zf", password="x", full_name="唐政")
    Membership.objects.create(user=stranger, unit=far, role=Role.DEPT_HANDLER)
    client.force_login(stranger)
    assert client.get(f"/assessments/{a.pk}/").status_code == 404
    # A town department (派出所) and village clerks are unchanged.
    assert login("paichusuo").get(f"/assessments/{a.pk}/").status_code == 404
    assert login("zhuangying").get(f"/assessments/{a.pk}/").status_code == 404
    assert login("shidong").get(f"/assessments/{a.pk}/").status_code == 404
    assert set(Assessment.objects.restrict(world.user("maoqiao"))) == {a}
    # The handler reads his stars' values and files, not the others'.
    seen = IndicatorValue.objects.restrict(zhengfa).filter(assessment=a)
    assert set(seen.values_list("indicator__star__code", flat=True)) == {"safety"}
    # He may not write the village's values or take the county's steps.
    assert login("zhengfawei").post(f"/assessments/{a.pk}/do/county_approve/").status_code == 403


def test_home_task_and_county_queue_wait_for_the_departments(world, login):
    a = f.in_dept_review(world)
    labels = {t.label: t.count for t in tasks_for(world.user("zhengfawei"))}
    assert labels.get("待部门审核") == 1
    assert a not in queue_base(world.user("xian_shenhe"))
    do_review_star(world.user("zhengfawei"), a, "safety", "approve")
    do_review_star(world.user("nongye"), a, "industry", "approve")
    assert a in queue_base(world.user("xian_shenhe"))
    assert "待部门审核" not in {t.label for t in tasks_for(world.user("zhengfawei"))}


def test_the_step_is_skipped_when_no_star_names_a_department(world, login):
    f.dept_review_on(world)
    Star.objects.update(review_department=None)
    a = f.at_state(world, State.TOWN_REVIEWED)
    login("xian_shenhe").post(f"/assessments/{a.pk}/do/county_approve/")
    assert _state(a) == State.COUNTY_APPROVED
    assert "分星部门审核" not in login("xian").get(f"/assessments/{a.pk}/").content.decode()
