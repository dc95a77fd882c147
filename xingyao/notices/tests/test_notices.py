"""Messages tell whoever must act next, and nobody else; the reminder, muting, the badge and outside delivery."""

from __future__ import annotations

import datetime as dt
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from xingyao.assessments.tests import fixtures as assessments
from xingyao.assessments.workflow import State as AssessmentState
from xingyao.grid.models import Event, Source
from xingyao.grid.tests import factories as grid
from xingyao.grid.workflow import State as EventState
from xingyao.ledgers.tests import factories as ledgers
from xingyao.notices.models import Channel, Kind, Muting, Notice
from xingyao.notices.tests import factories as f


def inbox_of(world, username: str) -> list[Notice]:
    return list(Notice.objects.filter(recipient=world.user(username)))


def _dispatch(client, event: Event, department) -> int:
    data = {"action": "dispatch", "department": department.pk, "deadline_days": 3}
    return client.post(f"/grid/{event.pk}/act/", data).status_code


def test_dispatching_an_event_puts_a_message_in_the_department_handlers_inbox_and_nowhere_else(world, login):
    event = grid.event(world, state=EventState.ACCEPTED, title="村口有可疑车辆徘徊")
    assert _dispatch(login("zhen"), event, world.unit("溧河铺派出所")) == 302
    (notice,) = Notice.objects.all()
    assert notice.recipient == world.user("paichusuo")
    assert (notice.kind, notice.link) == (Kind.EVENT_DISPATCHED, f"/grid/{event.pk}/")
    assert event.number in notice.title and "溧河铺派出所" in notice.title
    assert "村口有可疑车辆徘徊" in notice.body and "3 个工作日" in notice.body
    page = login("paichusuo").get("/notices/").content.decode()
    assert event.number in page
    for other in ("zhen", "wangge", "maoqiao", "zhengfawei"):
        assert event.number not in login(other).get("/notices/").content.decode()


def test_sending_an_assessment_back_tells_the_village_clerk_with_the_reason(world, login):
    a = assessments.at_state(world, AssessmentState.SUBMITTED)
    response = login("zhen_shenhe").post(f"/assessments/{a.pk}/do/send_back/", {"reason": "道路长度与台账不符"})
    assert response.status_code == 302
    (notice,) = inbox_of(world, "maoqiao")
    assert notice.kind == Kind.ASSESSMENT_SENT_BACK and "毛桥村2023年度" in notice.title
    assert "退回理由：道路长度与台账不符" in notice.body and notice.link == f"/assessments/{a.pk}/"
    assert Notice.objects.count() == 1  # not the other village's clerk, not the reviewer who sent it


def test_an_objection_tells_the_towns_reviewers_without_who_objected(world, client):
    a = assessments.at_state(world, AssessmentState.PUBLICIZED)
    url = f"/public/{world.unit('新野县').code}/2023/objection/{a.pk}/"
    response = client.post(url, {"content": "广场并未建成", "contact": "13712345678", "name": "毛有理"})
    assert response.status_code == 200
    (notice,) = Notice.objects.all()
    assert notice.recipient == world.user("zhen_shenhe") and notice.kind == Kind.OBJECTION_FILED
    text = notice.title + notice.body
    for private in ("13712345678", "毛有理", "广场并未建成", "137****5678", "毛**"):
        assert private not in text


def test_asking_for_acceptance_tells_the_towns_acceptors_but_not_the_village(world, login):
    item = ledgers.item(world)
    ledgers.progress(world, item)
    assert login("maoqiao").post(f"/ledgers/{item.pk}/submit/").status_code == 302
    told = {n.recipient.username for n in Notice.objects.select_related("recipient")}
    assert told == {"zhen", "zhen_shenhe"}
    assert {n.kind for n in Notice.objects.all()} == {Kind.ACCEPTANCE_WAITING}


def _due_tomorrow(world, title: str, today: dt.date) -> Event:
    event = grid.event(world, state=EventState.DISPATCHED, department="溧河铺派出所", title=title)
    due = timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=1), dt.time(17, 30)))
    Event.objects.filter(pk=event.pk).update(due_at=due)
    return event


def test_the_reminder_lists_tomorrows_deadlines_once_per_person(world):
    today = timezone.localdate()
    first, second = _due_tomorrow(world, "路灯损坏", today), _due_tomorrow(world, "井盖缺失", today)
    late = grid.event(world, state=EventState.DISPATCHED, department="溧河铺派出所", title="占道经营")
    Event.objects.filter(pk=late.pk).update(due_at=timezone.now() - dt.timedelta(days=2))
    ledgers.item(world, problem="文化广场未建成", due_on=today + dt.timedelta(days=1))
    ledgers.item(world, village="庄营村", problem="道路未硬化", due_on=today + dt.timedelta(days=9))
    call_command("remind", date=today.isoformat())
    call_command("remind", date=today.isoformat())  # the cron job ran twice: still one message each
    (handler,) = inbox_of(world, "paichusuo")
    assert handler.kind == Kind.REMINDER
    assert "网格事件明天到期（2 件）" in handler.body and first.number in handler.body and second.number in handler.body
    assert "网格事件已超期（1 件）" in handler.body and late.number in handler.body
    (clerk,) = inbox_of(world, "maoqiao")
    assert "整改事项明天到期（1 件）" in clerk.body and "文化广场未建成" in clerk.body
    assert "道路未硬化" not in clerk.body
    assert inbox_of(world, "zhuangying") == []  # nothing of his is due
    assert Notice.objects.count() == 2


def test_a_muted_kind_stays_out_of_his_inbox(world, login):
    client = login("paichusuo")
    assert client.post("/notices/muting/", {"muted": [Kind.EVENT_DISPATCHED.value]}).status_code == 302
    assert Muting.objects.filter(user=world.user("paichusuo"), kind=Kind.EVENT_DISPATCHED).exists()
    assert _dispatch(login("zhen"), grid.event(world, state=EventState.ACCEPTED), world.unit("溧河铺派出所")) == 302
    assert inbox_of(world, "paichusuo") == []
    client.post("/notices/muting/", {})  # unmuted again
    assert _dispatch(login("zhen"), grid.event(world, state=EventState.ACCEPTED), world.unit("溧河铺派出所")) == 302
    assert len(inbox_of(world, "paichusuo")) == 1


def test_an_unknown_kind_cannot_be_muted(world, login):
    response = login("maoqiao").post("/notices/muting/", {"muted": ["everything"]})
    assert response.status_code == 400 and not Muting.objects.exists()


def test_opening_a_message_reads_it_and_the_badge_counts_down(world, login):
    client = login("maoqiao")
    one, _two = f.notice(world, title="第一条"), f.notice(world, title="第二条")
    assert '<span class="badge" aria-label="未读 2 条">2</span>' in client.get("/home/").content.decode()
    page = client.get(f"/notices/{one.pk}/").content.decode()
    assert "第一条" in page and "去办理" not in page
    one.refresh_from_db()
    assert one.read_at is not None
    assert "未读 1 条" in client.get("/home/").content.decode()
    assert client.post("/notices/read-all/").status_code == 302
    assert 'class="badge"' not in client.get("/home/").content.decode()
    assert not Notice.objects.filter(read_at=None).exists()


def test_another_persons_message_is_not_found(world, login):
    theirs = f.notice(world, "zhuangying", title="庄营村的消息")
    assert login("maoqiao").get(f"/notices/{theirs.pk}/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_badge_costs_one_query_whatever_the_number_of_messages(world, login):
    client = login("maoqiao")
    client.get("/home/")

    def notice_queries() -> int:
        with CaptureQueriesContext(connection) as seen:
            assert client.get("/home/").status_code == 200
        return sum("notices_notice" in q["sql"] for q in seen.captured_queries), len(seen.captured_queries)

    few = notice_queries()
    for n in range(150):
        f.notice(world, title=f"消息 {n}")
    many = notice_queries()
    assert few[0] == many[0] == 1
    assert few[1] == many[1]
    assert "99+" in client.get("/home/").content.decode()


def test_the_inbox_lists_only_his_messages_in_a_constant_number_of_queries(world, login, django_assert_max_num_queries):
    client = login("maoqiao")
    for n in range(30):
        f.notice(world, title=f"消息 {n}")
    f.notice(world, "zhuangying", title="别人的消息")
    with django_assert_max_num_queries(8):
        page = client.get("/notices/").content.decode()
    assert "消息 29" in page and "别人的消息" not in page


# ---- outside delivery -------------------------------------------------------------------------------------


class _Hook(BaseHTTPRequestHandler):
    received: list[bytes] = []

    def do_POST(self) -> None:
        _Hook.received.append(self.rfile.read(int(self.headers["Content-Length"])))
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b'{"errcode":0}')

    def log_message(self, *args) -> None:  # quiet
        pass


@pytest.fixture
def hook(settings):
    settings.XINGYAO_WEBHOOK_PRIVATE_OK = True  # the test's endpoint listens on this machine
    _Hook.received = []
    server = HTTPServer(("127.0.0.1", 0), _Hook)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/cgi-bin/webhook/send?key=robot-key-9876", _Hook.received
    server.shutdown()
    server.server_close()


def test_a_configured_webhook_receives_the_message_without_any_personal_field(
    world, login, hook, django_capture_on_commit_callbacks, settings
):
    settings.XINGYAO_SITE_URL = "https://xingyao.example.gov.cn"
    url, received = hook
    f.channel(world, url=url)
    f.channel(world, "唐河县", "唐河县的群", url=url)  # another county's robot hears nothing of 新野县
    event = grid.event(
        world,
        state=EventState.ACCEPTED,
        source=Source.RESIDENT,
        contact_name="张三丰",
        contact_phone="13812345678",
        title="门前积水",
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert _dispatch(login("zhen"), event, world.unit("溧河铺派出所")) == 302
    (body,) = received
    sent = json.loads(body)
    text = sent["text"]["content"]
    assert sent["msgtype"] == "text" and event.number in text and "事件派遣" in text
    assert f"https://xingyao.example.gov.cn/grid/{event.pk}/" in text
    for private in ("张三丰", "张**", "13812345678", "138****5678", "门前积水", "赵卫东"):
        assert private not in body.decode()


def test_an_sms_gateway_gets_the_recipients_own_phones(world, login, hook, django_capture_on_commit_callbacks):
    url, received = hook
    handler = world.user("paichusuo")
    handler.phone = "13900001111"
    handler.save()
    f.channel(world, kind="sms", url=url)
    with django_capture_on_commit_callbacks(execute=True):
        _dispatch(login("zhen"), grid.event(world, state=EventState.ACCEPTED), world.unit("溧河铺派出所"))
    (body,) = received
    assert json.loads(body)["phones"] == ["13900001111"]


def test_a_dead_webhook_is_logged_and_never_fails_the_step(
    world, login, django_capture_on_commit_callbacks, caplog, settings
):
    settings.XINGYAO_WEBHOOK_PRIVATE_OK = True
    f.channel(world, url="http://127.0.0.1:9/hook")  # nothing listens on the discard port
    event = grid.event(world, state=EventState.ACCEPTED)
    with django_capture_on_commit_callbacks(execute=True):
        assert _dispatch(login("zhen"), event, world.unit("溧河铺派出所")) == 302
    event.refresh_from_db()
    assert event.state == EventState.DISPATCHED and len(inbox_of(world, "paichusuo")) == 1
    assert "notice delivery to channel" in caplog.text and "127.0.0.1:9/…hook" in caplog.text


def test_the_channel_page_never_shows_the_secret_url(world, login):
    f.channel(world)
    page = login("xian").get("/notices/channels/").content.decode()
    assert "县综治中心工作群" in page and "https://qyapi.weixin.qq.com/…1234" in page
    assert "secret-robot-key" not in page


def test_a_county_admin_adds_a_channel_only_for_his_county_and_a_bad_url_is_refused(world, login):
    form = {"county": world.unit("新野县").pk, "kind": "wecom", "name": "群", "url": "ftp://example.org/x"}
    client = login("xian")
    response = client.post("/notices/channels/new/", form)
    assert response.status_code == 400 and "https://" in response.content.decode()
    other = login("tanghe").post("/notices/channels/new/", form | {"url": "https://example.org/hook"})
    assert other.status_code == 400 and not Channel.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:5432/",
        "http://169.254.169.254/latest/meta-data/",  # a cloud's metadata service
        "http://10.0.0.8/hook",
        "http://[::1]:8000/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://localhost:6379/",
        "https://db.internal/hook",
    ],
)
def test_a_channel_cannot_point_the_server_at_its_own_network(world, login, url):
    form = {"county": world.unit("新野县").pk, "kind": "wecom", "name": "群", "url": url}
    response = login("xian").post("/notices/channels/new/", form)
    assert response.status_code == 400 and "不能是内网或本机地址" in response.content.decode()
    assert not Channel.objects.exists()


def test_a_name_that_resolves_to_this_machine_at_delivery_gets_nothing(
    world, login, hook, django_capture_on_commit_callbacks, caplog, settings
):
    """A name checked as public when saved may resolve to the inside later (DNS rebinding): the connection checks
    the address it reached before sending."""
    url, received = hook
    settings.XINGYAO_WEBHOOK_PRIVATE_OK = False
    f.channel(world, url=url)  # as if its name had resolved to a public address when it was saved
    event = grid.event(world, state=EventState.ACCEPTED)
    with django_capture_on_commit_callbacks(execute=True):
        assert _dispatch(login("zhen"), event, world.unit("溧河铺派出所")) == 302
    assert received == [] and "non-public address 127.0.0.1" in caplog.text
