"""The public notice (公示) starts no earlier than the day it is opened here; a paper notice posted earlier is
recorded as such and shortens nothing: the award waits for the online notice's objection window."""

import datetime as dt

import pytest
from django.utils import timezone

from xingyao.assessments import actions
from xingyao.assessments.models import Assessment, PaperNotice
from xingyao.assessments.tests import fixtures as f
from xingyao.assessments.workflow import PUBLISH_IN_PAST, State
from xingyao.core.errors import ActionError
from xingyao.core.models import AuditEntry


def _state(a: Assessment) -> str:
    return Assessment.objects.get(pk=a.pk).state


@pytest.mark.parametrize("days_ago", [1, 10])
def test_opening_a_notice_that_started_in_the_past_is_refused_on_the_page(world, login, days_ago):
    a = f.at_state(world, State.COUNTY_APPROVED)
    start = timezone.localdate() - dt.timedelta(days=days_ago)
    response = login("xian").post(
        f"/assessments/{a.pk}/do/publish/", {"start": start.isoformat(), "days": 7}, follow=True
    )
    assert PUBLISH_IN_PAST in response.content.decode()
    assert _state(a) == State.COUNTY_APPROVED
    assert not AuditEntry.objects.filter(action="assessment.publish").exists()


def test_opening_a_notice_in_the_past_is_refused_for_the_whole_town_and_over_the_api(world, login, api):
    a = f.at_state(world, State.COUNTY_APPROVED)
    start = (timezone.localdate() - dt.timedelta(days=10)).isoformat()
    town = world.unit("溧河铺镇").code
    page = login("xian").post(f"/assessments/overview/{town}/2023/publicity/", {"start": start, "days": 7}, follow=True)
    assert PUBLISH_IN_PAST in page.content.decode()
    response = api("xian").post(
        f"/api/v1/assessments/{a.pk}/transitions",
        {"action": "publish", "publicity_start": start, "publicity_days": 7},
        content_type="application/json",
    )
    assert response.status_code == 400 and response.json()["detail"] == PUBLISH_IN_PAST
    assert _state(a) == State.COUNTY_APPROVED


def test_a_notice_opened_today_or_later_is_accepted(world):
    a = f.at_state(world, State.COUNTY_APPROVED)
    start = timezone.localdate() + dt.timedelta(days=2)
    actions.do_transition(world.user("xian"), a, "publish", publicity_start=start, publicity_days=7)
    a.refresh_from_db()
    assert (a.state, a.publicity_start, a.publicity_end) == (State.PUBLICIZED, start, start + dt.timedelta(days=6))


def test_the_award_waits_for_the_window_to_pass(world, login):
    a = f.at_state(world, State.COUNTY_APPROVED)
    today = timezone.localdate()
    actions.do_transition(world.user("xian"), a, "publish", publicity_start=today, publicity_days=7)
    xian = login("xian")
    page = xian.post(f"/assessments/{a.pk}/do/award/", follow=True).content.decode()
    assert "公示期未满，不能授星" in page and _state(a) == State.PUBLICIZED
    last_day = today + dt.timedelta(days=6)
    with pytest.raises(ActionError, match="公示期未满"):
        actions.do_transition(world.user("xian"), a, "award", today=last_day)
    assert _state(a) == State.PUBLICIZED
    actions.do_transition(world.user("xian"), a, "award", today=last_day + dt.timedelta(days=1))
    assert _state(a) == State.AWARDED


def test_a_paper_notice_posted_earlier_is_recorded_with_its_photo_and_shortens_nothing(world, login):
    a = f.at_state(world, State.COUNTY_APPROVED)
    xian = login("xian")
    posted = timezone.localdate() - dt.timedelta(days=10)
    response = xian.post(f"/assessments/{a.pk}/paper-notice/", {"posted_on": posted.isoformat(), "photo": f.photo()})
    assert response.status_code == 302
    notice = PaperNotice.objects.get(assessment=a)
    assert notice.posted_on == posted and notice.is_image and notice.sha256
    assert notice.original_name.startswith("纸质公示-毛桥村-")
    entry = AuditEntry.objects.get(action="assessment.paper_notice")
    assert entry.after["posted_on"] == posted.isoformat()
    # The online notice still starts today at the earliest, and the award still waits for its window.
    xian.post(f"/assessments/{a.pk}/do/publish/", {"start": timezone.localdate().isoformat(), "days": 7})
    assert _state(a) == State.PUBLICIZED
    xian.post(f"/assessments/{a.pk}/do/award/")
    assert _state(a) == State.PUBLICIZED
    page = xian.get(f"/assessments/{a.pk}/").content.decode()
    assert f"{posted:%Y-%m-%d} 张贴" in page and f"/assessments/paper-notices/{notice.pk}/" in page
    photo = xian.get(f"/assessments/paper-notices/{notice.pk}/")
    assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg"


@pytest.mark.parametrize(
    ("posted", "upload", "message"),
    [
        (None, True, "请填写纸质公示的张贴日期"),
        (1, True, "张贴日期不能晚于今天"),
        (-400, True, "张贴日期不能早于一年前"),
        (-1, False, "请上传纸质公示的照片"),
    ],
)
def test_a_paper_notice_needs_a_past_date_and_a_photo(world, posted, upload, message):
    a = f.at_state(world, State.COUNTY_APPROVED)
    day = None if posted is None else timezone.localdate() + dt.timedelta(days=posted)
    with pytest.raises(ActionError, match=message):
        actions.do_record_paper_notice(world.user("xian"), a, posted_on=day, upload=f.photo() if upload else None)
    assert not PaperNotice.objects.exists()


def test_a_paper_notice_is_not_a_photo_of_anything(world, login):
    a = f.at_state(world, State.COUNTY_APPROVED)
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("notice.jpg", b"not an image", content_type="image/jpeg")
    page = login("xian").post(
        f"/assessments/{a.pk}/paper-notice/",
        {"posted_on": timezone.localdate().isoformat(), "photo": fake},
        follow=True,
    )
    assert "不是有效的图片文件" in page.content.decode()
    assert not PaperNotice.objects.exists()


@pytest.mark.parametrize("state", [State.DRAFT, State.AWARDED])
def test_a_paper_notice_is_recorded_only_between_county_approval_and_the_award(world, state):
    a = f.at_state(world, state)
    with pytest.raises(ActionError, match="县级审定后、授星前"):
        actions.do_record_paper_notice(world.user("xian"), a, posted_on=timezone.localdate(), upload=f.photo())


def test_the_town_cannot_record_a_paper_notice(world, login):
    a = f.at_state(world, State.COUNTY_APPROVED)
    page = login("zhen").get(f"/assessments/{a.pk}/").content.decode()
    assert "登记纸质公示" not in page
    with pytest.raises(ActionError):
        actions.do_record_paper_notice(world.user("zhen"), a, posted_on=timezone.localdate(), upload=f.photo())
