"""The ledgers through their pages and the API: bad input refused in Chinese with nothing written, four-eyes
acceptance on the page, supervision shown, the Excel ledger's columns, home tasks, query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from xingyao.accounts.models import Membership
from xingyao.core.models import AuditEntry
from xingyao.core.roles import Role
from xingyao.core.testing import every, read_table
from xingyao.ledgers.models import Acceptance, Designation, Item, Progress, ProgressPhoto
from xingyao.ledgers.tests import factories as f
from xingyao.ledgers.workflow import State
from xingyao.partylife.tests.factories import photo

pytestmark = pytest.mark.django_db


def _form(world, **changes):  # type: ignore[no-untyped-def]
    data = {
        "village": world.unit("毛桥村").pk,
        "source": "weak_branch",
        "problem": "党群服务中心面积不足",
        "target": "建成 430 平方米党群服务中心",
        "measure": "选址新建，一厅五室",
        "steps": "立项、施工、验收",
        "responsible": "毛德胜",
        "start_on": "2023-03-06",
        "days": "40",
    }
    return data | changes


def _acceptance(**changes):  # type: ignore[no-untyped-def]
    data = {"method": "hearing", "score": "85", "satisfied": "30", "dissatisfied": "2", "accepted_on": "2023-05-08",
            "panel": "镇纪委 刘某"}  # fmt: skip
    return data | changes


def test_the_town_opens_an_item_and_its_page_shows_the_due_date_and_the_three_and_three(world, login):
    client = login("zhen")
    response = client.post("/ledgers/new/", _form(world))
    assert response.status_code == 302
    item = every(Item).get()
    # 40 working days from Monday 2023-03-06: 19 in March, 20 in April (清明 off, Sunday 04-23 worked), and the
    # 40th is Thursday 05-04, after the 劳动节 holiday of 04-29 … 05-03.
    assert item.due_on == dt.date(2023, 5, 4)
    page = client.get(response["Location"]).content.decode()
    assert "2023-03-06 起 40 个工作日，至 2023-05-04" in page and "三精准" in page and "三明确" in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"days": "0"}, "完成时限不能早于开始日期"),
        ({"days": "-3"}, "完成时限不能早于开始日期"),
        ({"problem": "问题\x07"}, "问题含有不可见的控制字符"),
        ({"village": "999999"}, "不在您的管辖范围内"),
    ],
)
def test_bad_items_are_refused_on_the_form_with_nothing_written(world, login, changes, message):
    response = login("zhen").post("/ledgers/new/", _form(world, **changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not every(Item).exists() and not every(AuditEntry).filter(action="ledger_item.open").exists()


def test_a_village_outside_scope_is_refused(world, login):
    response = login("shian").post("/ledgers/new/", _form(world))
    assert response.status_code == 400 and "不在您的管辖范围内" in response.content.decode()
    assert login("maoqiao").get("/ledgers/new/").status_code == 403  # a clerk works items, the town opens them
    assert not every(Item).exists()


def test_the_village_records_progress_with_a_photo_and_asks_for_acceptance(world, login):
    item = f.item(world)
    client = login("maoqiao")
    posted = client.post(f"/ledgers/{item.pk}/progress/", {"acted_on": "2023-04-02", "note": "地基完工",
                                                          "photos": [photo()]})  # fmt: skip
    assert posted.status_code == 302
    page = client.get(f"/ledgers/{item.pk}/").content.decode()
    assert "2023-04-02" in page and "地基完工" in page and "录入于" in page
    assert client.get(every(ProgressPhoto).get().get_absolute_url()).status_code == 200
    assert "提请验收" in page and "提交验收" not in page  # a clerk does not accept
    assert client.post(f"/ledgers/{item.pk}/submit/").status_code == 302
    assert every(Item).get().state == State.SUBMITTED


def test_the_worker_is_refused_acceptance_on_the_page(world, login):
    item = f.item(world, state=State.SUBMITTED)
    f.progress(world, item, by="zhen")  # the town admin recorded the work himself
    client = login("zhen")
    assert "提交验收" not in client.get(f"/ledgers/{item.pk}/").content.decode()
    response = client.post(f"/ledgers/{item.pk}/accept/", _acceptance())
    assert response.status_code == 400 and "不能验收自己的工作" in response.content.decode()
    assert not every(Acceptance).exists() and every(Item).get().state == State.SUBMITTED


def test_the_village_itself_is_refused_acceptance(world, login):
    item = f.item(world, state=State.SUBMITTED)
    f.progress(world, item)
    reviewer = world.user("zhen_shenhe")
    Membership.objects.create(user=reviewer, unit=world.unit("毛桥村"), role=Role.VILLAGE_CLERK)
    response = login("zhen_shenhe").post(f"/ledgers/{item.pk}/accept/", _acceptance())
    assert response.status_code == 400 and "您在本村任职，不能验收本村的整改事项" in response.content.decode()
    assert login("maoqiao").post(f"/ledgers/{item.pk}/accept/", _acceptance()).status_code == 403
    assert not every(Acceptance).exists()


@pytest.mark.parametrize(
    ("score", "message"),
    [
        ("101", "验收得分应为 0 到 100 之间的整数"),
        ("-1", "验收得分应为 0 到 100 之间的整数"),
        ("七十", "请检查验收的填写内容"),
    ],
)
def test_a_score_outside_0_to_100_is_refused(world, login, score, message):
    item = f.item(world, state=State.SUBMITTED)
    f.progress(world, item)
    response = login("zhen_shenhe").post(f"/ledgers/{item.pk}/accept/", _acceptance(score=score))
    assert response.status_code == 400 and message in response.content.decode()
    assert not every(Acceptance).exists()


def test_more_than_half_dissatisfied_fails_and_the_town_reopens_with_a_new_deadline(world, login):
    item = f.item(world, state=State.SUBMITTED)
    f.progress(world, item)
    failed = login("zhen_shenhe").post(f"/ledgers/{item.pk}/accept/", _acceptance(satisfied="5", dissatisfied="6"))
    assert failed.status_code == 302 and every(Item).get().state == State.FAILED
    town = login("zhen")
    refused = town.post(f"/ledgers/{item.pk}/close/")
    assert refused.status_code == 400 and "须重新整改并验收通过" in refused.content.decode()
    assert town.post(f"/ledgers/{item.pk}/reopen/", {"start_on": "2023-05-09", "days": "10"}).status_code == 302
    item.refresh_from_db()
    assert (item.state, item.due_on, item.rounds) == (State.OPEN, dt.date(2023, 5, 23), 2)


def test_supervision_levels_show_on_the_list(world, login):
    today = timezone.localdate()
    f.item(world, problem="早已超期", start_on=today - dt.timedelta(days=60), due_on=today - dt.timedelta(days=3))
    f.item(world, problem="宽裕的事项", start_on=today, due_on=today + dt.timedelta(days=40))
    f.item(world, problem="今天到期", start_on=today - dt.timedelta(days=10), due_on=today)
    page = login("maoqiao").get("/ledgers/").content.decode()
    row = {
        name: page[page.index(name) : page.index("</tr>", page.index(name))]
        for name in ("早已超期", "宽裕的事项", "今天到期")
    }
    assert "红牌督办" in row["早已超期"] and "正常" in row["宽裕的事项"] and "黄牌督办" in row["今天到期"]
    assert "整改事项即将到期或已超期" in login("maoqiao").get("/home/").content.decode()


def test_the_acceptance_task_is_offered_to_who_may_accept(world, login):
    item = f.item(world, state=State.SUBMITTED)
    f.progress(world, item)
    assert "整改事项待验收" in login("zhen_shenhe").get("/home/").content.decode()
    f.progress(world, item, by="zhen")
    assert "整改事项待验收" not in login("zhen").get("/home/").content.decode()  # he worked it


def test_the_ledger_has_the_three_and_three_columns(world, login):
    item = f.item(world)
    f.progress(world, item)
    Acceptance.objects.create(item=item, method="site", score=90, passed=True, accepted_on=dt.date(2023, 5, 8),
                              panel="镇纪委")  # fmt: skip
    response = login("zhen").get("/ledgers/ledger.xlsx")
    table = read_table(response.content)
    for name in ("问题", "目标", "措施（三精准）", "时限", "步骤", "责任人（三明确）", "进度", "验收", "状态"):
        assert name in table.header
    cells = dict(zip(table.header, table.rows[0], strict=True))
    assert cells["验收"] == "2023-05-08 实地查看 90分 通过" and "主体完工" in cells["进度"]


def test_the_designation_closes_only_when_every_item_is_closed_on_the_page(world, login):
    designation = f.designation(world)
    f.item(world, designation=designation, state=State.CLOSED)
    f.item(world, designation=designation, state=State.ACCEPTED, problem="文化广场")
    client = login("zhen")
    page = client.get(f"/ledgers/weak/{designation.pk}/").content.decode()
    assert "组织生活不正常" in page and "县委副书记 张县" in page and "新野县自然资源局" in page
    refused = client.post(f"/ledgers/weak/{designation.pk}/close/")
    assert refused.status_code == 400 and "还有 1 项整改未销号，不能整顿销号" in refused.content.decode()
    assert every(Designation).get().state == "open"


def test_the_api_lists_items_and_shows_one_with_its_supervision(world, api):
    item = f.item(world)
    client = api("maoqiao")
    listed = client.get("/api/v1/ledgers/items?state=open").json()
    assert listed["count"] == 1 and listed["items"][0]["problem"] == "党群服务中心面积不足"
    one = client.get(f"/api/v1/ledgers/items/{item.pk}").json()
    assert one["supervision"] == "red" and one["supervision_label"] == "红牌督办"  # due 2023-05-05
    assert client.get("/api/v1/ledgers/items?state=nope").status_code == 400


def test_the_item_list_takes_a_fixed_number_of_queries(world, login, django_assert_max_num_queries):
    for n in range(25):
        item = f.item(world, "毛桥村" if n % 2 else "庄营村", problem=f"第{n}项问题")
        f.progress(world, item)
    for n in range(25):
        f.designation(world, "毛桥村" if n % 2 else "庄营村", year=2000 + n)
    client = login("zhen")
    with django_assert_max_num_queries(8):  # 7 measured, for 2 items as for 30
        page = client.get("/ledgers/")
    assert page.content.decode().count("项问题</a>") == 25
    with django_assert_max_num_queries(7):  # 6 measured
        weak = client.get("/ledgers/weak/")
    assert weak.content.decode().count("中共新野县委组织部") == 25


def test_a_bad_filter_is_a_chinese_400(world, login):
    response = login("zhen").get("/ledgers/?state=nope")
    assert response.status_code == 400 and "状态" in response.content.decode()
    assert not every(Progress).exists()
