import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook

from xingyao.core.models import AuditEntry
from xingyao.grid.models import Event, EventPhoto, EventStep
from xingyao.grid.tests import factories as f
from xingyao.grid.workflow import State

TOWN_SQUARE = {
    "type": "Polygon",
    "coordinates": [[[112.30, 32.45], [112.42, 32.45], [112.42, 32.56], [112.30, 32.56], [112.30, 32.45]]],
}


def report_form(world, **overrides):
    data = {
        "unit": world.unit("毛桥村第1网格").pk,
        "category": f.categories(world)["HJWS-LJ"].pk,
        "title": "村口垃圾堆放未清运",
        "description": "村口路边生活垃圾堆放三天未清运。",
        "address": "毛桥村东头",
        "latitude": "",
        "longitude": "",
    }
    return data | overrides


def test_grid_worker_reports_an_event_with_photos_from_his_grid(world, login):
    client = login("wangge")
    page = client.get("/grid/new/").content.decode()
    assert 'accept="image/*"' in page and 'capture="environment"' in page and "multiple" in page
    data = report_form(world, photos=[f.photo_upload("a.png"), f.photo_upload("b.png", colour="blue")])
    response = client.post("/grid/new/", data)
    assert response.status_code == 302
    event = Event.objects.get()
    # He is that grid's worker: his own report is accepted on submit (grid's workflow, his grid worker role).
    assert (event.state, event.source, event.unit, event.village) == (
        State.ACCEPTED,
        "patrol",
        world.unit("毛桥村第1网格"),
        world.unit("毛桥村"),
    )
    assert event.reporter == world.user("wangge")
    assert event.photos.count() == 2
    assert list(EventStep.objects.filter(event=event).values_list("action", "role")) == [
        ("report", ""),
        ("accept", "grid_worker"),
    ]
    assert AuditEntry.objects.filter(action="event.report", object_id=str(event.pk)).exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"photos": [SimpleUploadedFile("x.png", b"<script>alert(1)</script>", content_type="image/png")]},
            "不是有效的图片",
        ),
        ({"latitude": "39.90", "longitude": "116.40"}, "不在溧河铺镇范围内"),
        ({"latitude": "32.50", "longitude": ""}, "定位信息不完整"),
        ({"title": "  "}, "这个字段是必填项"),
    ],
)
def test_bad_report_shows_a_chinese_message_and_writes_nothing(world, login, overrides, message):
    town = world.unit("溧河铺镇")
    town.geometry = TOWN_SQUARE
    town.save()
    data = report_form(world, **overrides)
    before = AuditEntry.objects.count()
    response = login("wangge").post("/grid/new/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Event.objects.exists() and not EventPhoto.objects.exists()
    assert AuditEntry.objects.count() == before


def test_a_photo_over_the_size_limit_is_refused(world, login, monkeypatch):
    monkeypatch.setattr("xingyao.core.uploads.MAX_IMAGE_BYTES", 100)
    response = login("wangge").post("/grid/new/", report_form(world, photos=[f.photo_upload(width=400, height=300)]))
    assert response.status_code == 400
    assert "超过" in response.content.decode()
    assert not Event.objects.exists()


def test_a_location_inside_the_town_is_kept(world, login):
    town = world.unit("溧河铺镇")
    town.geometry = TOWN_SQUARE
    town.save()
    response = login("wangge").post("/grid/new/", report_form(world, latitude="32.5012", longitude="112.3601"))
    assert response.status_code == 302
    assert str(Event.objects.get().latitude) == "32.501200"


def test_village_clerk_cannot_report_into_another_village(world, api):
    response = api("zhuangying").post(
        "/api/v1/grid/events",
        {"unit_code": world.unit("毛桥村第1网格").code, "category_code": "HJWS-LJ", "title": "x", "description": "y"},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert not Event.objects.exists()


def _act(client, event, action, **data):
    return client.post(f"/grid/{event.pk}/act/", {"action": action, **data})


def test_an_event_goes_from_the_field_to_closure_with_history_and_counts(world, login):
    f.categories(world)
    wangge, zhen, paichusuo, reviewer = login("wangge"), login("zhen"), login("paichusuo"), login("zhen_shenhe")
    wangge.post("/grid/new/", report_form(world, category=f.categories(world)["ZAYH-KY"].pk))
    event = Event.objects.get()
    assert event.state == State.ACCEPTED  # the grid's own worker reported it
    department = world.unit("溧河铺派出所")
    page = zhen.get(f"/grid/{event.pk}/").content.decode()
    # The category's default department is already chosen in the picker.
    assert f'name="department" value="{department.pk}" data-picker-value' in page and "已选：溧河铺派出所" in page
    assert _act(zhen, event, "dispatch", department=department.pk, deadline_days=3).status_code == 302
    event.refresh_from_db()
    assert event.state == State.DISPATCHED and event.due_at and event.warn_at <= event.due_at
    assert _act(paichusuo, event, "start_handling", photos=[f.photo_upload()]).status_code == 302
    no_photo = _act(paichusuo, event, "give_feedback", reason="已处置")
    assert no_photo.status_code == 400 and "处置后照片" in no_photo.content.decode()
    assert _act(paichusuo, event, "give_feedback", reason="已劝离", photos=[f.photo_upload()]).status_code == 302
    assert _act(reviewer, event, "verify").status_code == 302
    assert _act(zhen, event, "close").status_code == 302
    event.refresh_from_db()
    assert event.state == State.CLOSED and event.closed_at
    assert list(event.steps.values_list("action", flat=True)) == [
        "report",
        "accept",
        "dispatch",
        "start_handling",
        "give_feedback",
        "verify",
        "close",
    ]
    assert set(event.photos.values_list("stage", flat=True)) == {"before", "after"}
    assert AuditEntry.objects.filter(object_type="grid.event", object_id=str(event.pk)).count() == 6
    counts = zhen.get("/grid/").context["counts"]
    assert (counts["reported_today"], counts["closed_today"], counts["closed"], counts["to_accept"]) == (1, 1, 1, 0)


def test_a_transition_out_of_order_is_refused_and_changes_nothing(world, login):
    event = f.event(world)
    response = _act(login("zhen"), event, "close")
    assert response.status_code == 400
    assert "不能办结" in response.content.decode()
    event.refresh_from_db()
    assert event.state == State.REPORTED and not event.steps.exists()


def test_the_handler_may_not_verify_his_own_work(world, login):
    event = f.event(world, state=State.FEEDBACK)
    from xingyao.accounts.models import Membership

    Membership.objects.create(user=world.user("paichusuo"), unit=world.unit("溧河铺镇"), role="town_reviewer")
    response = _act(login("paichusuo"), event, "verify")
    assert response.status_code == 400
    assert "核查人不能是该事件的处置人" in response.content.decode()


def test_department_handler_sees_only_events_dispatched_to_his_department(world, login, api):
    ours = f.event(world, state=State.DISPATCHED, title="派出所的事件")
    theirs = f.event(world, state=State.DISPATCHED, department="溧河铺司法所", title="司法所的事件")
    waiting = f.event(world, title="尚未派遣的事件")
    client, token = login("paichusuo"), api("paichusuo")
    assert client.get(f"/grid/{ours.pk}/").status_code == 200
    for event in (theirs, waiting):
        assert client.get(f"/grid/{event.pk}/").status_code == 404
        assert token.get(f"/api/v1/grid/events/{event.pk}").status_code == 404
        # Acting on an event that is not his: the same 404, nothing written.
        assert _act(client, event, "start_handling").status_code == 404
    assert [e["title"] for e in token.get("/api/v1/grid/events").json()["items"]] == ["派出所的事件"]
    book = load_workbook(io.BytesIO(client.get("/grid/ledger.xlsx").content))
    titles = [row[7] for row in book.active.iter_rows(min_row=2, values_only=True)]
    assert titles == ["派出所的事件"]
    theirs.refresh_from_db()
    assert theirs.state == State.DISPATCHED and not theirs.steps.exists()


def test_village_clerk_cannot_see_another_villages_events_by_page_api_or_export(world, login, api):
    event = f.event(world, title="毛桥村的事件")
    client = login("zhuangying")
    assert client.get(f"/grid/{event.pk}/").status_code == 404
    assert api("zhuangying").get(f"/api/v1/grid/events/{event.pk}").status_code == 404
    assert api("zhuangying").get("/api/v1/grid/events").json()["items"] == []
    assert "毛桥村的事件" not in client.get("/grid/").content.decode()
    book = load_workbook(io.BytesIO(client.get("/grid/ledger.xlsx").content))
    assert book.active.max_row == 1
    photo = f.stored_photo(event)
    assert client.get(f"/grid/photos/{photo.pk}/").status_code == 404


def test_sending_back_takes_the_event_away_from_the_department(world, login):
    event = f.event(world, state=State.HANDLING)
    client = login("paichusuo")
    response = _act(client, event, "send_back", reason="不属于派出所职责，应由村镇建设办处理")
    assert response.status_code == 302 and response["Location"] == "/grid/"
    event.refresh_from_db()
    assert event.state == State.ACCEPTED and event.department is None and event.due_at is None
    assert client.get(f"/grid/{event.pk}/").status_code == 404


def test_an_approved_extension_moves_the_deadline(world, login):
    event = f.event(world, state=State.HANDLING)
    due = event.due_at
    assert _act(login("paichusuo"), event, "request_extension", extra_days=2, reason="等待配件").status_code == 302
    assert _act(login("zhen"), event, "approve_extension").status_code == 302
    event.refresh_from_db()
    assert event.extended_days == 2 and event.due_at > due and event.pending_extension_days is None


def test_leader_raises_supervision_by_hand_but_cannot_handle(world, login, api):
    event = f.event(world, state=State.DISPATCHED)
    leader = login("lingdao")
    assert _act(leader, event, "start_handling").status_code == 403
    response = leader.post(f"/grid/{event.pk}/supervise/", {"level": "red", "reason": "群众多次反映，限三日内办结"})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.manual_level == "red"
    assert event.steps.filter(action="supervise").exists()
    listed = api("zhen").get("/api/v1/grid/events?level=red").json()["items"]
    assert [e["id"] for e in listed] == [event.pk] and listed[0]["level"] == "red"
    assert login("zhen_shenhe").post(f"/grid/{event.pk}/supervise/", {"level": "red", "reason": "x"}).status_code == 403


def test_overdue_events_turn_red_and_are_listed_by_sql(world, login):
    long_ago = timezone.now() - dt.timedelta(days=30)
    late = f.event(world, state=State.HANDLING, reported_at=long_ago, title="超期事件")
    fresh = f.event(world, state=State.DISPATCHED, days=20, title="新派遣事件")
    done = f.event(world, state=State.CLOSED, department="溧河铺派出所", reported_at=long_ago, title="已办结")
    response = login("zhen").get("/grid/?tab=overdue")
    titles = [e.title for e in response.context["page"].object_list]
    assert titles == ["超期事件"]
    assert response.context["counts"]["overdue"] == 1
    levels = {e.title: e.level.value for e in login("zhen").get("/grid/").context["page"].object_list}
    assert levels == {"超期事件": "red", "新派遣事件": "normal", "已办结": "normal"}
    assert fresh.pk and done.pk and late.pk


def test_sql_supervision_levels_agree_with_the_pure_rule(world):
    from xingyao.grid.queries import RANK_LEVEL, level_q, with_level
    from xingyao.grid.workflow import supervision_level

    now = timezone.now()
    events = [
        f.event(world, state=state, reported_at=now - dt.timedelta(days=back), days=days)
        for state in (State.DISPATCHED, State.HANDLING, State.FEEDBACK)
        for back in (0, 2, 5, 9, 20)
        for days in (1, 5, 10)
    ]
    rows = {e.pk: e for e in with_level(Event.objects.all(), now)}
    for event in events:
        expected = supervision_level(
            timezone.localtime(now),
            timezone.localtime(event.due_at),
            event.state,
            allowed_workdays=event.deadline_days,
        )
        assert RANK_LEVEL[rows[event.pk].level_rank] == expected, (event.state, event.reported_at)
        assert Event.objects.filter(level_q(expected.value, now), pk=event.pk).exists()


def test_worklist_takes_the_same_number_of_queries_for_more_events(world, login, django_assert_max_num_queries):
    client = login("zhen")
    for _ in range(3):
        f.event(world, state=State.DISPATCHED)
    client.get("/grid/")  # warm the session
    with django_assert_max_num_queries(12) as few:
        client.get("/grid/?tab=all")
    for _ in range(25):
        f.event(world, state=State.HANDLING)
        f.event(world, unit="毛桥村")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/grid/?tab=all")
    assert len(response.context["page"].object_list) == 30


def test_reporting_takes_the_same_number_of_queries_for_more_photos(world, login, django_assert_max_num_queries):
    client = login("wangge")
    client.get("/grid/new/")
    with django_assert_max_num_queries(40) as one:
        client.post("/grid/new/", report_form(world, photos=[f.photo_upload()]))
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.post("/grid/new/", report_form(world, photos=[f.photo_upload() for _ in range(5)]))
    assert Event.objects.count() == 2 and EventPhoto.objects.count() == 6


def test_mark_duplicate_closes_the_copy_and_links_the_original(world, login):
    original = f.event(world, state=State.ACCEPTED)
    copy = f.event(world)
    response = _act(login("zhen"), copy, "mark_duplicate", duplicate_of=original.number)
    assert response.status_code == 302
    copy.refresh_from_db()
    assert copy.state == State.CLOSED and copy.duplicate_of == original


def test_api_walks_an_event_through_dispatch(world, api):
    f.categories(world)
    created = api("wangge").post(
        "/api/v1/grid/events",
        {
            "unit_code": world.unit("毛桥村第1网格").code,
            "category_code": "ZAYH-KY",
            "title": "可疑人员",
            "description": "陌生人挨家推销",
        },
        content_type="application/json",
    )
    assert created.status_code == 201
    pk = created.json()["id"]
    assert Event.objects.get(pk=pk).state == State.ACCEPTED  # his own grid: accepted on submit
    zhen = api("zhen")
    bad = zhen.post(
        f"/api/v1/grid/events/{pk}/transitions",
        {"action": "dispatch", "department_code": world.unit("施庵派出所").code},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "部门" in bad.json()["detail"]
    good = zhen.post(
        f"/api/v1/grid/events/{pk}/transitions",
        {"action": "dispatch", "department_code": world.unit("溧河铺派出所").code, "deadline_days": 2},
        content_type="application/json",
    )
    assert good.status_code == 200 and good.json()["state"] == "dispatched"
    upload = api("paichusuo").post(f"/api/v1/grid/events/{pk}/photos", {"files": [f.photo_upload()], "stage": "before"})
    assert upload.status_code == 201 and upload.json()[0]["stage"] == "before"
    figures = zhen.get("/api/v1/grid/figures").json()
    assert figures["in_progress"] == 1 and figures["total"] == 1


def test_a_duplicate_must_point_to_an_event_the_user_can_see(world, login):
    foreign = f.event(world, unit="庄营村第1网格")
    copy = f.event(world)
    response = _act(login("wangge"), copy, "mark_duplicate", duplicate_of=foreign.number)
    assert response.status_code == 400 and "原事件不存在或不在您的辖区内" in response.content.decode()
    copy.refresh_from_db()
    assert copy.state == State.REPORTED and copy.duplicate_of is None
