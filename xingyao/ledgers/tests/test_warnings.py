"""Star warnings (预警) through the pages, the API and the database: raised once from a dispute, a grid event and an
overdue item, each with a ledger item opened by the system; decided only by the county, through the star's own
step; listed with a query count that does not grow with the villages."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from xingyao.assessments.models import StarAward, StarChange
from xingyao.core.models import AuditEntry
from xingyao.core.testing import every, read_table
from xingyao.grid.models import Event
from xingyao.grid.tests import factories as gf
from xingyao.ledgers.models import Item, ItemStep, StarWarning
from xingyao.ledgers.tests import factories as f
from xingyao.ledgers.warnings import raise_warning
from xingyao.ledgers.workflow import Source, State, WarningKind, WarningState
from xingyao.stars.tests.fixtures import published_set

pytestmark = pytest.mark.django_db


def _close_with_petition(world, login, **changes):  # type: ignore[no-untyped-def]
    case = gf.dispute(world, status="mediating", team=("溧河铺司法所", "溧河铺派出所"), received_on=dt.date(2023, 6, 1))
    data = {"outcome": "failed", "closed_on": "2023-06-20", "result_note": "调解不成，当事人到县信访局上访"}
    response = login("zhen").post(f"/disputes/{case.pk}/outcome/", data | {"petition_beyond_village": "on"} | changes)
    assert response.status_code == 302
    return case


def test_a_dispute_closed_with_a_petition_beyond_the_village_warns_its_safety_star_and_opens_an_item(world, login):
    published_set(world)
    award = f.award(world, "毛桥村", star_code="safety", year=2023)
    case = _close_with_petition(world, login)
    warning = every(StarWarning).get()
    assert (warning.kind, warning.year, warning.star_code, warning.award) == ("petition", 2023, "safety", award)
    assert warning.origin == case and warning.state == WarningState.OPEN
    item = warning.item
    assert item.source == Source.WARNING and item.origin == warning and item.created_by is None
    assert item.start_on == dt.date(2023, 6, 1) and item.state == State.OPEN
    assert every(ItemStep).get(item=item).actor_name == "系统"
    assert every(AuditEntry).filter(action="star_warning.raise", object_id=str(warning.pk)).count() == 1
    # The page links the incident and the item; the star's status is untouched: nothing is decided automatically.
    page = login("zhen").get(f"/ledgers/warnings/{warning.pk}/").content.decode()
    assert f"/disputes/{case.pk}/" in page and f"/ledgers/{item.pk}/" in page and "平安法治星" in page
    assert every(StarAward).get(pk=award.pk).status == "active"


def test_a_dispute_is_warned_about_once_however_often_its_warning_is_raised(world, login):
    case = _close_with_petition(world, login)
    with transaction.atomic(durable=True):
        again = raise_warning(
            "petition", village=case.village, happened_on=case.received_on, origin=case, origin_label="再次"
        )
    assert again == every(StarWarning).get() and every(Item).count() == 1


def test_a_dispute_closed_without_a_petition_raises_nothing(world, login):
    case = gf.dispute(world, status="mediating", team=("溧河铺司法所",))
    data = {"outcome": "mediated", "closed_on": str(case.received_on), "result_note": "达成协议"}
    assert login("zhen").post(f"/disputes/{case.pk}/outcome/", data).status_code == 302
    assert not every(StarWarning).exists() and not every(Item).exists()


def test_a_casualty_accident_reported_through_the_api_raises_one_warning_even_after_its_acceptance(world, api):
    gf.categories(world)
    body = {"unit_code": world.unit("毛桥村第1网格").code, "category_code": "AQSC-SW", "title": "厂房坍塌一人受伤",
            "description": "养殖场厂房坍塌，一人受伤送医。"}  # fmt: skip
    response = api("wangge").post("/api/v1/grid/events", body, content_type="application/json")
    assert response.status_code == 201, response.content
    event_id = response.json()["id"]
    warning = every(StarWarning).get()
    assert warning.kind == WarningKind.ACCIDENT and warning.origin_id == event_id
    assert warning.village == world.unit("毛桥村") and warning.item.source == Source.WARNING
    # The grid's own worker reported it, so it was accepted on submit: the acceptance raises nothing more.
    assert every(Event).get(pk=event_id).state == "accepted"
    assert every(StarWarning).count() == 1 and every(Item).count() == 1


def test_a_criminal_case_from_a_resident_is_warned_about_when_staff_accept_it_and_a_plain_event_never(world, api):
    case = gf.event(world, category="ZAYH-XS", reporter=None)
    plain = gf.event(world, title="路灯不亮")
    assert not every(StarWarning).exists()
    for event in (case, plain):
        response = api("wangge").post(
            f"/api/v1/grid/events/{event.pk}/transitions", {"action": "accept"}, content_type="application/json"
        )
        assert response.status_code == 200, response.content
    warning = every(StarWarning).get()
    assert warning.kind == WarningKind.CASE and warning.origin == case


def test_an_overdue_red_item_is_warned_about_once_when_the_list_is_opened_and_by_the_daily_command(world, login):
    published_set(world)
    overdue = f.item(world, due_on=dt.date(2023, 5, 5))
    f.item(world, problem="预警登记的事项", source=Source.WARNING, due_on=dt.date(2023, 5, 5))  # already warned
    f.item(world, problem="已销号", state=State.CLOSED, due_on=dt.date(2023, 5, 5))
    client = login("zhen")
    page = client.get("/ledgers/warnings/").content.decode()
    warning = every(StarWarning).get()
    assert warning.kind == WarningKind.OVERDUE and warning.item == overdue and warning.origin == overdue
    assert warning.happened_on == dt.date(2023, 5, 6) and warning.star_code == "branch"
    assert "党群服务中心面积不足" in page and "整改事项超期" in page
    client.get("/ledgers/warnings/")
    out = io.StringIO()
    call_command("raise_overdue_warnings", stdout=out)
    assert out.getvalue().strip() == "新发出星级预警 0 条" and every(StarWarning).count() == 1


def test_the_daily_command_raises_the_warnings_nobody_opened_a_list_for(world):
    f.item(world, due_on=dt.date(2023, 5, 5))
    f.item(world, "庄营村", due_on=dt.date(2023, 5, 5))
    out = io.StringIO()
    call_command("raise_overdue_warnings", stdout=out)
    assert out.getvalue().strip() == "新发出星级预警 2 条"
    assert every(AuditEntry).filter(action="star_warning.raise").count() == 2


def test_the_county_turns_a_warning_into_a_star_warning_with_the_step_recorded_and_published(world, login):
    warning = f.warning(world)
    data = {"decision": "warn", "reason": "一人死亡事故，警示平安法治星", "file": gf.pdf_upload("事故通报.pdf")}
    response = login("xian").post(f"/ledgers/warnings/{warning.pk}/decide/", data)
    assert response.status_code == 302
    warning.refresh_from_db()
    award = every(StarAward).get(pk=warning.award_id)
    change = every(StarChange).get(award=award)
    assert warning.state == WarningState.WARNED and award.status == "warned" and warning.star_change == change
    assert change.reason == "一人死亡事故，警示平安法治星" and change.evidence.count() == 1
    assert warning.decided_by == world.user("xian") and warning.decided_at is not None
    actions = set(every(AuditEntry).filter(actor=world.user("xian")).values_list("action", flat=True))
    assert {"star.warn", "star_warning.decide"} <= actions
    # Decided once: a second decision is refused, and the star's page shows its step.
    again = login("xian").post(f"/ledgers/warnings/{warning.pk}/decide/", {"decision": "dismiss", "reason": "重复"})
    assert again.status_code == 400 and "已转警示" in again.content.decode()
    assert "一人死亡事故" in login("xian").get(f"/assessments/stars/{award.pk}/").content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"decision": "warn", "reason": "警示"}, "警示须上传佐证材料"),
        ({"decision": "dismiss", "reason": ""}, "请检查处理的填写内容"),
        ({"decision": "remove-all", "reason": "摘星"}, "请检查处理的填写内容"),
    ],
)
def test_a_bad_decision_changes_nothing(world, login, data, message):
    warning = f.warning(world)
    response = login("xian").post(f"/ledgers/warnings/{warning.pk}/decide/", data)
    assert response.status_code == 400 and message in response.content.decode()
    warning.refresh_from_db()
    assert warning.state == WarningState.OPEN and every(StarAward).get().status == "active"
    assert not every(StarChange).exists()


def test_a_village_without_the_star_can_only_have_its_warning_checked_and_let_be(world, login):
    warning = f.warning(world, award=None)
    data = {"decision": "suspend", "reason": "暂停", "file": gf.pdf_upload()}
    response = login("xian").post(f"/ledgers/warnings/{warning.pk}/decide/", data)
    assert response.status_code == 400 and "没有获评这颗星" in response.content.decode()
    response = login("xian").post(
        f"/ledgers/warnings/{warning.pk}/decide/", {"decision": "dismiss", "reason": "经核实非本村责任"}
    )
    assert response.status_code == 302
    warning.refresh_from_db()
    assert warning.state == WarningState.DISMISSED and warning.reason == "经核实非本村责任"


def test_the_town_sees_warnings_but_only_the_county_decides(world, login):
    warning = f.warning(world)
    page = login("zhen").get(f"/ledgers/warnings/{warning.pk}/").content.decode()
    assert "县级处理" not in page
    response = login("zhen").post(f"/ledgers/warnings/{warning.pk}/decide/", {"decision": "dismiss", "reason": "x"})
    assert response.status_code == 403
    assert "县级处理" in login("xian").get(f"/ledgers/warnings/{warning.pk}/").content.decode()


def test_the_warning_list_filters_exports_and_answers_the_api_in_the_users_scope(world, login, api):
    f.warning(world, origin_label="毛桥村的事故")
    f.warning(world, "庄营村", origin_label="庄营村的事故", state=WarningState.DISMISSED)
    client = login("zhen")
    page = client.get("/ledgers/warnings/?state=open").content.decode()
    assert "毛桥村的事故" in page and "庄营村的事故" not in page
    assert client.get("/ledgers/warnings/?state=bogus").status_code == 400
    table = read_table(client.get("/ledgers/warnings.xlsx").content)
    assert table.header[:5] == ["序号", "村（社区）", "年度", "预警类型", "预警事由"] and len(table.rows) == 2
    assert table.above[0] == "星级预警清单" and table.total("状态") == "已核实不处理 1，待处理 1"
    body = api("maoqiao").get("/api/v1/ledgers/warnings").json()
    assert [w["origin_label"] for w in body["items"]] == ["毛桥村的事故"]
    assert body["items"][0]["award_status"] == "有效" and body["items"][0]["star_name"] == "平安法治星"


def test_the_home_page_lists_open_warnings_for_the_town_and_the_county(world, login):
    f.warning(world)
    for who in ("zhen", "xian"):
        assert "星级预警待处理" in login(who).get("/home/").content.decode()
    assert "星级预警待处理" not in login("maoqiao").get("/home/").content.decode()


def _count(client, path):  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_the_warning_list_takes_the_same_queries_for_three_villages_as_for_one(world, login):
    client = login("xian")
    f.warning(world, "毛桥村", origin_label="第一条")
    few = _count(client, "/ledgers/warnings/")
    for name in ("庄营村", "施东村"):
        f.warning(world, name, origin_label=f"{name}事故")
    f.warning(world, "毛桥村", origin_label="第二条", award=None)
    many = _count(client, "/ledgers/warnings/")
    api_few = _count(client, "/api/v1/ledgers/warnings")
    assert many == few, (few, many)
    # measured: 7 for the page (session, user, overdue check, count, rows, the inbox badge), 5 for the API
    assert many <= 7 and api_few <= 5
