"""Party life through its pages and the API: recording meetings, bad input, photos, member development, the
township's month table and the metrics that feed 支部过硬星."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from xingyao.core import metrics
from xingyao.core.models import AuditEntry
from xingyao.core.testing import every
from xingyao.partylife.models import Absence, Candidate, CandidateStep, Meeting, MeetingPhoto
from xingyao.partylife.tests import factories as f
from xingyao.partylife.workflow import Kind, Stage

pytestmark = pytest.mark.django_db


def _form(world, **changes):  # type: ignore[no-untyped-def]
    data = {
        "village": world.unit("毛桥村").pk,
        "kind": "committee",
        "held_on": "2023-03-05",
        "topic": "三月支委会",
        "led_by": "毛德胜",
        "expected": "7",
        "present": "6",
        "absences": "毛小兵 外出务工",
    }
    return data | changes


def test_a_clerk_records_a_meeting_with_its_absentee_and_photo_and_sees_it(world, login):
    client = login("maoqiao")
    response = client.post("/partylife/new/", _form(world, photos=f.photo()))
    assert response.status_code == 302
    meeting = every(Meeting).get()
    assert (meeting.kind, meeting.expected, meeting.present) == ("committee", 7, 6)
    assert [(a.name, a.reason) for a in every(Absence)] == [("毛小兵", "外出务工")]
    page = client.get(response["Location"]).content.decode()
    assert "三月支委会" in page and "毛小兵：外出务工" in page and "应到 7 人，实到 6 人，缺席 1 人" in page
    assert "与会议日期不符" not in page  # taken the day of the meeting
    entry = every(AuditEntry).get(action="meeting.record")
    assert entry.actor == world.user("maoqiao") and entry.after["photos"] == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"present": "8"}, "实到人数（8）不能多于应到人数（7）"),
        ({"held_on": "2999-01-01"}, "会议日期不能晚于今天"),
        ({"absences": "甲 病假\n乙 外出\n丙 请假"}, "缺席名单有 3 人，多于缺席人数 1 人"),
        ({"topic": "三月\x07支委会"}, "主题含有不可见的控制字符"),
        ({"kind": "party"}, "选择一个有效的选项"),
    ],
)
def test_bad_meetings_are_refused_in_chinese_with_nothing_written(world, login, changes, message):
    response = login("maoqiao").post("/partylife/new/", _form(world, **changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not every(Meeting).exists() and not every(AuditEntry).filter(action="meeting.record").exists()


def test_a_clerk_cannot_record_for_another_village(world, login, api):
    page = login("maoqiao").post("/partylife/new/", _form(world, village=world.unit("庄营村").pk))
    assert page.status_code == 400 and "不在您的管辖范围内" in page.content.decode()
    payload = {
        "village_code": world.unit("庄营村").code,
        "kind": "committee",
        "held_on": "2023-03-05",
        "topic": "越权登记",
        "led_by": "毛德胜",
        "expected": 7,
        "present": 6,
    }
    assert (
        api("maoqiao").post("/api/v1/partylife/meetings", payload, content_type="application/json").status_code == 404
    )
    assert not every(Meeting).exists()


def test_the_api_refuses_more_present_than_expected_in_chinese(world, api):
    payload = {
        "village_code": world.unit("毛桥村").code,
        "kind": "theme_day",
        "held_on": "2023-03-05",
        "topic": "主题党日",
        "led_by": "毛德胜",
        "expected": 5,
        "present": 9,
    }
    response = api("maoqiao").post("/api/v1/partylife/meetings", payload, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"] == "实到人数（9）不能多于应到人数（5）"
    assert not every(Meeting).exists()


def test_a_photo_taken_years_before_the_meeting_is_kept_and_flagged(world, login):
    meeting = f.meeting(world, held_on=dt.date(2023, 3, 5))
    client = login("maoqiao")
    response = client.post(f"/partylife/{meeting.pk}/photos/", {"photos": [f.photo(taken="2019:06:01 09:00:00")]})
    assert response.status_code == 302
    photo = every(MeetingPhoto).get()
    assert photo.date_mismatch and photo.taken_at.year == 2019
    page = client.get(f"/partylife/{meeting.pk}/").content.decode()
    assert "拍摄于 2019-06-01，与会议日期不符" in page
    assert client.get(f"/partylife/photos/{photo.pk}/").status_code == 200


def test_a_file_that_is_not_a_photo_is_refused_and_nothing_is_stored(world, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    meeting = f.meeting(world)
    fake = SimpleUploadedFile("签到表.jpg", b"not an image at all", content_type="image/jpeg")
    response = login("maoqiao").post(f"/partylife/{meeting.pk}/photos/", {"photos": [fake]})
    assert response.status_code == 400
    assert "图片" in response.content.decode()
    assert not every(MeetingPhoto).exists()


def test_member_development_runs_from_applicant_to_full_member_with_the_town_deciding_the_last_two(world, login):
    candidate = f.candidate(world, applied_on=dt.date(2022, 3, 1))
    clerk, town = login("maoqiao"), login("zhen")
    url = f"/partylife/members/{candidate.pk}/advance/"
    assert clerk.post(url, {"move": "make_activist", "on": "2022-09-01"}).status_code == 302
    assert clerk.post(url, {"move": "make_prospect", "on": "2023-03-01"}).status_code == 302
    refused = clerk.post(url, {"move": "admit", "on": "2023-06-01"})
    assert refused.status_code == 400 and "村级填报员（村两委）无权接收为预备党员" in refused.content.decode()
    early = town.post(url, {"move": "admit", "on": "2023-01-01"})
    assert early.status_code == 400 and "日期不能早于成为发展对象的日期（2023-03-01）" in early.content.decode()
    wrong = town.post(url, {"move": "confirm", "on": "2023-07-01"})
    assert wrong.status_code == 400 and "此人目前是发展对象，不能转为正式党员" in wrong.content.decode()
    assert town.post(url, {"move": "admit", "on": "2023-06-01"}).status_code == 302
    candidate.refresh_from_db()
    assert candidate.stage == Stage.PROBATIONARY and candidate.probationary_on == dt.date(2023, 6, 1)
    steps = list(every(CandidateStep).filter(candidate=candidate).values_list("action", "role"))
    assert steps == [("make_activist", "village_clerk"), ("make_prospect", "village_clerk"), ("admit", "town_admin")]
    assert every(AuditEntry).filter(action="candidate.advance").count() == 3


def test_the_leader_reads_candidates_but_cannot_advance_them(world, login):
    candidate = f.candidate(world)
    leader = login("lingdao")
    assert "王小红" in leader.get("/partylife/members/").content.decode()
    assert (
        leader.post(
            f"/partylife/members/{candidate.pk}/advance/", {"move": "make_activist", "on": "2023-03-01"}
        ).status_code
        == 403
    )
    candidate.refresh_from_db()
    assert candidate.stage == Stage.APPLICANT


def test_the_month_table_shows_which_branches_skipped_a_month(world, login):
    for month in (1, 2, 4):
        f.meeting(world, "毛桥村", kind=Kind.COMMITTEE, held_on=dt.date(2023, month, 5))
        f.meeting(world, "毛桥村", kind=Kind.THEME_DAY, held_on=dt.date(2023, month, 10))
    page = login("zhen").get("/partylife/months/?year=2023").content.decode()
    row = page[page.index("毛桥村") : page.index("</tr>", page.index("毛桥村"))]
    assert row.count('title="支委会">支1') == 3 and row.count('title="支委会">缺支') == 9
    assert "庄营村" in page and "施东村" not in page  # the town's villages only


def test_the_month_table_leaves_months_not_yet_due_empty(world, login):
    year = timezone.localdate().year
    page = login("zhen").get(f"/partylife/months/?year={year}").content.decode()
    row = page[page.index("毛桥村") : page.index("</tr>", page.index("毛桥村"))]
    assert row.count("缺支") == timezone.localdate().month


def test_the_metrics_count_meetings_theme_days_with_photos_attendance_and_development(world):
    f.kept_year(world, "毛桥村", 2023)
    f.meeting(world, "毛桥村", kind=Kind.THEME_DAY, held_on=dt.date(2023, 6, 20), expected=10, present=5)  # no photo
    f.meeting(world, "毛桥村", kind=Kind.LECTURE, held_on=dt.date(2022, 6, 20))  # another year
    f.candidate(world, "庄营村", name="庄新", stage=Stage.PROBATIONARY, activist_on=dt.date(2021, 1, 1),
                prospect_on=dt.date(2022, 1, 1), probationary_on=dt.date(2023, 5, 1))  # fmt: skip
    reader = metrics.unscoped("a test reads every village")
    maoqiao, zhuangying, town = world.unit("毛桥村"), world.unit("庄营村"), world.unit("溧河铺镇")
    keys = [
        "partylife.three_meetings_count",
        "partylife.theme_days_count",
        "partylife.attendance_rate",
        "partylife.meetings_count",
        "partylife.development_count",
        "partylife.new_members_count",
    ]
    values = reader.values(keys, [maoqiao, zhuangying, town], 2023)
    assert values[(maoqiao.pk, "partylife.three_meetings_count")] == 12
    assert values[(maoqiao.pk, "partylife.theme_days_count")] == 12  # the 13th has no photo
    assert values[(maoqiao.pk, "partylife.meetings_count")] == 25
    # 24 meetings of 20 expected / 18 present, and one of 10 / 5: 437 of 490.
    assert str(values[(maoqiao.pk, "partylife.attendance_rate")]) == "89.2"
    assert values[(maoqiao.pk, "partylife.development_count")] == 1
    assert values[(zhuangying.pk, "partylife.new_members_count")] == 1
    assert values[(town.pk, "partylife.development_count")] == 2  # the town adds up its villages


def test_the_metrics_take_the_same_queries_for_one_village_or_all(world, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for name in ("毛桥村", "庄营村", "施东村"):
        f.meeting(world, name)
        f.candidate(world, name, stage=Stage.ACTIVIST, activist_on=dt.date(2023, 2, 1))
    reader = metrics.unscoped("a test reads every village")
    keys = ["partylife.three_meetings_count", "partylife.theme_days_count", "partylife.development_count"]
    with CaptureQueriesContext(connection) as one:
        reader.values(keys, [world.unit("毛桥村")], 2023)
    with CaptureQueriesContext(connection) as many:
        reader.values(keys, [world.unit(n) for n in ("毛桥村", "庄营村", "施东村")], 2023)
    assert len(one) == len(many) == 3  # two meeting queries, one candidate query


def test_the_meeting_list_takes_a_fixed_number_of_queries(world, login, django_assert_max_num_queries):
    for day in range(1, 21):
        f.meeting(world, held_on=dt.date(2023, 1, day))
    client = login("zhen")
    with django_assert_max_num_queries(12):
        page = client.get("/partylife/?year=2023")
    assert page.content.decode().count("学习党的二十大精神") == 20


def test_a_bad_filter_is_a_chinese_400(world, login):
    client = login("zhen")
    assert "月份应为 1 到 12 之间的整数" in client.get("/partylife/?year=2023&month=13").content.decode()
    response = client.get("/partylife/?month=3")
    assert response.status_code == 400 and "按月份筛选时请同时选择年度" in response.content.decode()


def test_the_clerk_is_reminded_of_this_months_meetings(world, login):
    home = login("maoqiao").get("/home/").content.decode()
    assert "本月支委会、主题党日待登记" in home
    today = timezone.localdate()
    f.meeting(world, kind=Kind.COMMITTEE, held_on=today)
    f.meeting(world, kind=Kind.THEME_DAY, held_on=today)
    assert "本月支委会、主题党日待登记" not in login("maoqiao").get("/home/").content.decode()


def test_the_assessment_takes_branch_values_from_the_records(world):
    from xingyao.assessments.tests import fixtures as af

    f.kept_year(world, "庄营村", 2023)
    a = af.assessment(world, "庄营村", party_life=False)  # records made above
    assert af.value(a, "branch.2.1").derived_value == "12"
    assert af.value(a, "branch.2.2").derived_value == "12"
    assert af.value(a, "branch.3.1").derived_value == "1"
    bare = af.assessment(world, "施东村", party_life=False)
    assert af.value(bare, "branch.2.1").derived_value == "0"


def test_candidates_through_the_api(world, api):
    client = api("maoqiao")
    made = client.post(
        "/api/v1/partylife/candidates",
        {"village_code": world.unit("毛桥村").code, "name": "李春燕", "applied_on": "2023-04-01"},
        content_type="application/json",
    )
    assert made.status_code == 201 and made.json()["stage_label"] == "入党申请人"
    pk = made.json()["id"]
    step = client.post(
        f"/api/v1/partylife/candidates/{pk}/advance",
        {"move": "make_activist", "on": "2023-03-01"},
        content_type="application/json",
    )
    assert step.status_code == 400 and "日期不能早于成为入党申请人的日期" in step.json()["detail"]
    assert every(Candidate).get().stage == Stage.APPLICANT
