"""A year of follow-up visits after closure, star-plan gaps turned into items, and the ledger import: through the
pages and the database, with bad input refused in Chinese and nothing written."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from xingyao.core.models import AuditEntry
from xingyao.core.testing import every, read_table
from xingyao.ledgers.models import FollowUp, Item, ItemStep
from xingyao.ledgers.tests import factories as f
from xingyao.ledgers.workflow import Source, State, next_follow_up, split_gaps

pytestmark = pytest.mark.django_db


# --- follow-up visits -----------------------------------------------------------------------------------------


def _visit(**changes):  # type: ignore[no-untyped-def]
    return {"visited_on": "2023-08-10", "visitors": "镇组织办 刘某", "finding": "广场使用正常，群众满意"} | changes


def test_a_closed_item_is_visited_every_quarter_for_a_year_and_then_no_more():
    closed = dt.date(2023, 5, 10)
    assert next_follow_up(closed, None) == dt.date(2023, 8, 8)
    assert next_follow_up(closed, dt.date(2023, 8, 10)) == dt.date(2023, 11, 8)
    assert next_follow_up(closed, dt.date(2024, 3, 1)) is None  # the year's last quarter is covered


def test_the_village_records_a_follow_up_and_the_item_shows_it(world, login):
    item = f.closed(world)
    client = login("maoqiao")
    response = client.post(f"/ledgers/{item.pk}/follow-up/", _visit())
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.next_follow_up == dt.date(2023, 11, 8)
    page = client.get(f"/ledgers/{item.pk}/").content.decode()
    assert "一年回访" in page and "广场使用正常，群众满意" in page and "2023-11-08" in page
    assert every(AuditEntry).filter(action="ledger_item.follow_up", actor=world.user("maoqiao")).count() == 1


def test_a_problem_that_came_back_becomes_a_new_item_linked_to_the_visit(world, login):
    item = f.closed(world)
    data = _visit(finding="广场地面开裂", recurred="on", reopen="on", days="15")
    refused = login("maoqiao").post(f"/ledgers/{item.pk}/follow-up/", data)
    assert refused.status_code == 400 and "由乡镇据此登记" in refused.content.decode()
    assert not every(FollowUp).exists()
    assert login("zhen").post(f"/ledgers/{item.pk}/follow-up/", data).status_code == 302
    visit = every(FollowUp).get()
    new = visit.reopened_as
    assert visit.recurred and new.problem == "问题反弹：党群服务中心面积不足" and new.origin == visit
    assert new.start_on == dt.date(2023, 8, 10) and new.state == State.OPEN and new.days == 15
    page = login("zhen").get(f"/ledgers/{new.pk}/").content.decode()
    assert f"/ledgers/{item.pk}/#follow-up-{visit.pk}" in page


@pytest.mark.parametrize(
    ("state", "changes", "message"),
    [
        (State.OPEN, {}, "销号后再回访"),
        (State.CLOSED, {"visited_on": "2023-05-01"}, "回访日期不能早于销号日期"),
        (State.CLOSED, {"reopen": "on"}, "问题没有反弹"),
        (State.CLOSED, {"visitors": ""}, "请检查填写的内容"),
    ],
)
def test_bad_follow_ups_write_nothing(world, login, state, changes, message):
    item = f.closed(world, state=state)
    response = login("zhen").post(f"/ledgers/{item.pk}/follow-up/", _visit(**changes))
    assert response.status_code == 400 and message in response.content.decode()
    assert not every(FollowUp).exists()


def test_the_home_page_lists_follow_ups_due_and_the_ledger_carries_them(world, login):
    item = f.closed(world)
    f.closed(world, problem="已回访满一年", next_follow_up=None)
    client = login("maoqiao")
    assert "整改销号后待回访" in client.get("/home/").content.decode()
    due = client.get("/ledgers/?follow_up=due").content.decode()
    assert "党群服务中心面积不足" in due and "已回访满一年" not in due
    client.post(f"/ledgers/{item.pk}/follow-up/", _visit(finding="正常使用", recurred="on"))
    table = read_table(client.get("/ledgers/ledger.xlsx").content)
    row = table.by("问题")["党群服务中心面积不足"]
    assert row["回访情况（一年回访）"] == "2023-08-10 镇组织办 刘某：正常使用（问题反弹）"
    assert row["问题反弹"] == "是" and row["下次回访"] == "2023-11-08" and table.total("问题反弹") == 1


# --- star gaps → items ----------------------------------------------------------------------------------------


def test_gaps_are_read_one_per_line_without_their_numbering():
    text = "1. 党员活动室面积不足\n（2）党员老龄化；后备力量弱\n\n③ 集体经济薄弱。"
    assert split_gaps(text) == ["党员活动室面积不足", "党员老龄化", "后备力量弱", "集体经济薄弱"]


def _gaps(**changes):  # type: ignore[no-untyped-def]
    data = {"gaps": ["0"], "measure": "新建活动室", "steps": "选址、施工、验收", "responsible": "毛德胜",
            "start_on": "2023-04-03", "days": "30"}  # fmt: skip
    return data | changes


def test_the_town_turns_chosen_gaps_into_items_and_the_plan_page_shows_them(world, login):
    plan = f.plan(world, gaps="1. 党员活动室面积不足\n2. 党员老龄化，后备力量弱\n3. 制度上墙不规范")
    client = login("zhen")
    form = client.get(f"/ledgers/gaps/{plan.pk}/").content.decode()
    assert "制度上墙不规范" in form and "支部过硬星" in form
    response = client.post(f"/ledgers/gaps/{plan.pk}/", _gaps(gaps=["0", "2"]))
    assert response.status_code == 302
    items = list(every(Item).order_by("id"))
    assert [i.problem for i in items] == ["党员活动室面积不足", "制度上墙不规范"]
    assert all(i.source == Source.STAR_GAP and i.origin == plan for i in items)
    assert items[0].target == "补齐短板，达到“支部过硬星”创建标准"
    assert items[0].origin_label == "2023年支部过硬星创星计划"
    page = login("maoqiao").get(f"/stars/plans/{world.unit('毛桥村').code}/2023/").content.decode()
    assert "短板整改（2）" in page and "制度上墙不规范" in page and "整改中" in page
    assert f"/ledgers/gaps/{plan.pk}/" not in page  # the village sees its items; the town turns gaps into them
    assert f"/ledgers/gaps/{plan.pk}/" in client.get(f"/stars/plans/{world.unit('毛桥村').code}/2023/").content.decode()
    again = client.post(f"/ledgers/gaps/{plan.pk}/", _gaps(gaps=["1", "2"]))
    assert again.status_code == 400 and "已转为整改事项" in again.content.decode() and every(Item).count() == 2


@pytest.mark.parametrize(
    ("changes", "message"),
    [({"gaps": ["7"]}, "选择"), ({"days": "0"}, "完成时限不能早于开始日期"), ({"responsible": ""}, "必填")],
)
def test_bad_gap_conversions_write_nothing(world, login, changes, message):
    plan = f.plan(world)
    response = login("zhen").post(f"/ledgers/gaps/{plan.pk}/", _gaps(**changes))
    assert response.status_code == 400 and message in response.content.decode()
    assert not every(Item).exists()


def test_the_village_cannot_turn_gaps_into_items(world, login):
    plan = f.plan(world)
    assert login("maoqiao").get(f"/ledgers/gaps/{plan.pk}/").status_code == 403


def test_the_plan_page_reads_the_items_of_every_plan_at_once(world, login, django_assert_max_num_queries):
    plan = f.plan(world)
    for n in range(5):
        f.item(world, problem=f"短板 {n}", source=Source.STAR_GAP, origin=plan, origin_label="计划")
    with django_assert_max_num_queries(30):
        page = login("zhen").get(f"/stars/plans/{world.unit('毛桥村').code}/2023/").content.decode()
    assert "短板整改（5）" in page


# --- import -----------------------------------------------------------------------------------------------------

HEADER = ["村（社区）代码", "问题", "目标", "措施（三精准）", "步骤", "责任人（三明确）", "开始日期", "时限（工作日）"]
HEADER += ["来源"]


def _sheet(rows):  # type: ignore[no-untyped-def]
    book = Workbook()
    ws = book.active
    ws.title = "整顿台账"
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("台账.xlsx", out.getvalue())


def _row(world, village="毛桥村", changes=None):  # type: ignore[no-untyped-def]
    values = {"村（社区）代码": world.unit(village).code, "问题": "村史馆年久失修", "目标": "修缮村史馆",
              "措施（三精准）": "筹资修缮", "步骤": "设计、施工、验收", "责任人（三明确）": "毛德胜",
              "开始日期": dt.date(2023, 3, 6), "时限（工作日）": 40, "来源": "创星短板"} | (changes or {})  # fmt: skip
    return [values[h] for h in HEADER]


def test_an_import_opens_every_row_with_its_due_date_history_and_one_audit_row(world, login):
    rows = [_row(world), _row(world, "庄营村", {"问题": "道路坑洼", "来源": "软弱涣散整顿"})]
    response = login("zhen").post("/ledgers/import/", {"file": _sheet(rows)})
    assert response.status_code == 302
    items = {i.problem: i for i in every(Item).all()}
    assert items["村史馆年久失修"].due_on == dt.date(2023, 5, 4) and items["道路坑洼"].source == Source.WEAK_BRANCH
    assert every(ItemStep).filter(action="open", action_label="导入").count() == 2
    entry = every(AuditEntry).get(action="ledger_item.import")
    assert entry.actor == world.user("zhen") and entry.after["items"] == 2


def test_a_bad_import_names_sheet_row_and_column_and_writes_nothing(world, login):
    rows = [
        _row(world),
        _row(world, "施东村"),  # another town's village
        _row(world, changes={"时限（工作日）": 0}),  # the deadline before the start
        _row(world, changes={"时限（工作日）": "十天"}),
        _row(world, changes={"开始日期": "明年"}),
        _row(world, changes={"来源": "上级交办"}),
        _row(world, changes={"问题": ""}),
    ]
    response = login("zhen").post("/ledgers/import/", {"file": _sheet(rows)})
    page = response.content.decode()
    assert response.status_code == 400
    for text in (
        "工作表「整顿台账」第 3 行「村（社区）代码」列：施东村不在您的管辖范围内",
        "第 4 行「时限（工作日）」列：完成时限不能早于开始日期",
        "第 5 行「时限（工作日）」列：时限应为 1 到 365 之间的整数",
        "第 6 行「开始日期」列：请填写开始日期",
        "第 7 行「来源」列",
        "第 8 行「问题」列",
    ):
        assert text in page, text
    assert not every(Item).exists() and not every(AuditEntry).filter(action="ledger_item.import").exists()


def test_the_import_page_is_for_those_who_keep_a_ledger(world, login):
    assert login("maoqiao").get("/ledgers/import/").status_code == 403
    assert "村（社区）代码" in login("zhen").get("/ledgers/import/").content.decode()


def test_a_big_ledger_import_runs_as_a_job_and_a_bad_one_fails_writing_nothing(world, login, settings, monkeypatch):
    from xingyao.core.models import JobState
    from xingyao.core.tests.jobs import result_cells, run_started

    settings.XINGYAO_JOB_IMPORT_BYTES = 0
    job = run_started(login("zhen").post("/ledgers/import/", {"file": _sheet([_row(world)])}), monkeypatch)
    assert (job.state, job.summary) == (JobState.DONE, "导入完成：登记整改事项 1 项")
    assert every(Item).get().problem == "村史馆年久失修"
    bad = run_started(login("zhen").post("/ledgers/import/", {"file": _sheet([_row(world, "施东村")])}), monkeypatch)
    assert bad.state == JobState.FAILED and "施东村不在您的管辖范围内" in result_cells(bad)
    assert every(Item).count() == 1
