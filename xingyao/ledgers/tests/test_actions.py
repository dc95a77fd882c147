"""The ledger's actions on the real database: opening items with working-day deadlines, progress with photos,
four-eyes acceptance, reopening, closure, the weak-branch designation and its metric."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from xingyao.accounts.models import Membership
from xingyao.core import metrics
from xingyao.core.errors import ActionError
from xingyao.core.models import AuditEntry
from xingyao.core.roles import Role
from xingyao.core.scoping import forget_scope
from xingyao.core.testing import every
from xingyao.ledgers import actions
from xingyao.ledgers.models import Acceptance, Designation, Item, ItemStep, Progress, ProgressPhoto
from xingyao.ledgers.tests import factories as f
from xingyao.ledgers.workflow import DesignationState, State
from xingyao.partylife.tests.factories import photo

pytestmark = pytest.mark.django_db


def _open(world, who="zhen", **changes):  # type: ignore[no-untyped-def]
    data = {
        "village": world.unit("毛桥村"),
        "source": "weak_branch",
        "problem": "党群服务中心面积不足",
        "target": "建成 430 平方米党群服务中心",
        "measure": "选址新建，一厅五室",
        "steps": "立项、施工、验收",
        "responsible": "毛德胜",
        "start_on": dt.date(2023, 3, 6),
        "days": 40,
    } | changes
    return actions.do_open_item(world.user(who), **data)


def _accept(world, item, who="zhen_shenhe", **changes):  # type: ignore[no-untyped-def]
    data = {"method": "rating", "score": 88, "satisfied": 40, "dissatisfied": 3, "accepted_on": dt.date(2023, 5, 8),
            "panel": "镇纪委 刘某、群众代表 5 人"} | changes  # fmt: skip
    return actions.do_accept(world.user(who), item.pk, **data)


def _worked(world, item, who="maoqiao", on=dt.date(2023, 4, 20)):  # type: ignore[no-untyped-def]
    actions.do_record_progress(world.user(who), item.pk, acted_on=on, note="主体完工")
    actions.do_submit(world.user(who), item.pk)


def test_the_due_date_is_counted_in_working_days_from_the_start(world):
    item = _open(world, start_on=dt.date(2023, 9, 27), days=3)  # 9-28, then the holiday, 10-7, 10-8
    assert item.due_on == dt.date(2023, 10, 8)
    assert every(ItemStep).get(item=item).to_state == State.OPEN
    assert every(AuditEntry).filter(action="ledger_item.open", actor=world.user("zhen")).exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"days": 0}, "完成时限不能早于开始日期：请填写至少 1 个工作日"),
        ({"days": -5}, "完成时限不能早于开始日期：请填写至少 1 个工作日"),
        ({"days": 400}, "整改时限（工作日）应为 1 到 365 之间的整数"),
        ({"problem": " "}, "请填写问题"),
        ({"source": "gossip"}, "请选择事项来源"),
        ({"village": "庄营"}, "请选择村（社区）"),
        ({"start_on": dt.date(1999, 1, 1)}, "开始日期不能早于 2000 年"),
    ],
)
def test_bad_items_are_refused_with_nothing_written(world, changes, message):
    with pytest.raises(ActionError) as refused:
        _open(world, **changes)
    assert refused.value.message == message
    assert not every(Item).exists() and not every(AuditEntry).filter(action__startswith="ledger_item").exists()


def test_an_item_for_a_village_outside_scope_is_refused(world):
    with pytest.raises(ActionError) as refused:
        _open(world, "shian")
    assert refused.value.message == "毛桥村不在您的管辖范围内，不能为它登记整改事项"
    with pytest.raises(ActionError):
        _open(world, "maoqiao")  # a clerk works items; the town puts them on the ledger
    assert not every(Item).exists()


def test_progress_keeps_its_action_date_apart_from_its_entry_time_with_photos(world):
    item = _open(world)
    entry = actions.do_record_progress(
        world.user("maoqiao"), item.pk, acted_on=dt.date(2023, 4, 2), note="地基完工", photos=[photo()]
    )
    assert entry.acted_on == dt.date(2023, 4, 2) and entry.entered_at.date() > entry.acted_on
    assert every(ProgressPhoto).get().progress == entry
    with pytest.raises(ActionError) as early:
        actions.do_record_progress(world.user("maoqiao"), item.pk, acted_on=dt.date(2023, 3, 1), note="早")
    assert early.value.message == "完成日期不能早于开始日期（2023-03-06）"
    assert every(Progress).count() == 1


def test_a_file_that_is_not_a_photo_writes_no_progress(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    item = _open(world)
    fake = SimpleUploadedFile("现场.jpg", b"not an image", content_type="image/jpeg")
    with pytest.raises(ActionError):
        actions.do_record_progress(
            world.user("maoqiao"), item.pk, acted_on=dt.date(2023, 4, 2), note="x", photos=[fake]
        )
    assert not every(Progress).exists() and not every(ProgressPhoto).exists()


def test_acceptance_needs_progress_first(world):
    item = _open(world)
    with pytest.raises(ActionError) as refused:
        actions.do_submit(world.user("maoqiao"), item.pk)
    assert refused.value.message == "还没有登记整改进度，不能提请验收"


def test_a_passed_acceptance_then_closure(world):
    item = _open(world)
    _worked(world, item)
    acceptance = _accept(world, item)
    assert acceptance.passed and every(Item).get().state == State.ACCEPTED
    actions.do_close_item(world.user("zhen"), item.pk, on=dt.date(2023, 5, 10))
    item.refresh_from_db()
    assert (item.state, item.closed_on) == (State.CLOSED, dt.date(2023, 5, 10))
    steps = list(every(ItemStep).filter(item=item).values_list("action", "to_state"))
    assert steps == [("open", "open"), ("submit", "submitted"), ("pass", "accepted"), ("close", "closed")]


def test_the_worker_cannot_accept_his_own_work(world):
    item = _open(world)
    _worked(world, item, who="zhen")  # the town admin recorded the progress himself
    with pytest.raises(ActionError) as refused:
        _accept(world, item, who="zhen")
    assert "不能验收自己的工作" in refused.value.message
    assert not every(Acceptance).exists() and every(Item).get().state == State.SUBMITTED


def test_the_village_itself_cannot_accept(world):
    item = _open(world)
    _worked(world, item)
    reviewer = world.user("zhen_shenhe")
    Membership.objects.create(user=reviewer, unit=world.unit("毛桥村第1网格"), role=Role.GRID_WORKER)
    forget_scope(reviewer)
    with pytest.raises(ActionError) as refused:
        _accept(world, item)
    assert refused.value.message == "您在本村任职，不能验收本村的整改事项，请由乡镇或县里的其他人验收"
    assert not every(Acceptance).exists()


def test_a_clerk_or_an_outsider_cannot_accept(world):
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    item = _open(world)
    _worked(world, item)
    with pytest.raises(PermissionDenied):
        _accept(world, item, who="maoqiao")  # a clerk holds no review right
    with pytest.raises(Http404):
        _accept(world, item, who="shian")  # another town's reviewer does not see the item
    assert not every(Acceptance).exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"score": 101}, "验收得分应为 0 到 100 之间的整数"),
        ({"score": -1}, "验收得分应为 0 到 100 之间的整数"),
        ({"method": "guess"}, "请选择验收方式（听证、民主评议或实地查看）"),
        ({"satisfied": 0, "dissatisfied": 0}, "民主评议请填写满意和不满意的人数"),
        ({"accepted_on": dt.date(2999, 1, 1)}, "验收日期不能晚于今天"),
        ({"panel": ""}, "请填写验收人员"),
    ],
)
def test_bad_acceptances_write_nothing(world, changes, message):
    item = _open(world)
    _worked(world, item)
    with pytest.raises(ActionError) as refused:
        _accept(world, item, **changes)
    assert refused.value.message == message
    assert not every(Acceptance).exists() and every(Item).get().state == State.SUBMITTED


def test_a_failed_acceptance_reopens_with_a_new_deadline_and_then_passes(world):
    item = _open(world)
    _worked(world, item)
    failed = _accept(world, item, score=90, satisfied=10, dissatisfied=12)  # more than half dissatisfied
    assert not failed.passed and every(Item).get().state == State.FAILED
    with pytest.raises(ActionError) as refused:
        actions.do_close_item(world.user("zhen"), item.pk)
    assert "须重新整改并验收通过" in refused.value.message
    actions.do_reopen(world.user("zhen"), item.pk, start_on=dt.date(2023, 5, 9), days=10, reason="群众不满意")
    item.refresh_from_db()
    assert (item.state, item.rounds, item.due_on) == (State.OPEN, 2, dt.date(2023, 5, 23))
    _worked(world, item, on=dt.date(2023, 5, 20))
    assert _accept(world, item, accepted_on=dt.date(2023, 5, 25), dissatisfied=1).passed
    assert every(Acceptance).filter(item=item).count() == 2


def test_the_rectification_closes_only_when_every_item_is_closed(world):
    designation = actions.do_designate(
        world.user("zhen"), village=world.unit("毛桥村"), year=2023, criteria=["party_life"],
        decided_on=dt.date(2023, 3, 1), decided_by="溧河铺镇党委", county_leader="张县", town_leader="李镇",
        first_secretary="王驻村", twinned_unit="县自然资源局",
    )  # fmt: skip
    first = _open(world, designation=designation)
    second = _open(world, designation=designation, problem="缺少文化广场")
    assert first.source == "weak_branch" and designation.criteria_labels == ["组织生活不正常"]
    for item in (first, second):
        _worked(world, item)
    _accept(world, first)
    actions.do_close_item(world.user("zhen"), first.pk)
    _accept(world, second)  # accepted, not closed yet
    with pytest.raises(ActionError) as refused:
        actions.do_close_designation(world.user("zhen"), designation.pk)
    assert refused.value.message == "还有 1 项整改未销号，不能整顿销号"
    actions.do_close_item(world.user("zhen"), second.pk)
    actions.do_close_designation(world.user("zhen"), designation.pk)
    assert every(Designation).get().state == DesignationState.CLOSED
    with pytest.raises(ActionError) as late:
        _open(world, designation=every(Designation).get())
    assert late.value.message == "这次软弱涣散整顿已销号，不能再添加事项"


def test_a_designation_is_refused_twice_or_without_criteria(world):
    pairing = {"county_leader": "张县", "town_leader": "李镇", "first_secretary": "王驻村", "twinned_unit": "县局"}
    args = {"village": world.unit("毛桥村"), "year": 2023, "decided_on": dt.date(2023, 3, 1), "decided_by": "镇党委"}
    args |= pairing
    with pytest.raises(ActionError) as none:
        actions.do_designate(world.user("zhen"), criteria=[], **args)
    assert none.value.message == "请至少选择一项排查情形"
    with pytest.raises(ActionError) as other:
        actions.do_designate(world.user("zhen"), criteria=["other"], **args)
    assert other.value.message == "请填写其他情形说明"
    actions.do_designate(world.user("zhen"), criteria=["secretary_vacant"], **args)
    with pytest.raises(ActionError) as twice:
        actions.do_designate(world.user("zhen"), criteria=["petitions"], **args)
    assert twice.value.message == "毛桥村已列为2023年软弱涣散村党组织"
    with pytest.raises(ActionError):
        actions.do_designate(world.user("maoqiao"), criteria=["petitions"], **(args | {"year": 2022}))
    assert every(Designation).count() == 1


def test_the_metric_is_true_unless_a_designation_is_open(world):
    reader = metrics.unscoped("a test reads every village")
    maoqiao, zhuangying, town = world.unit("毛桥村"), world.unit("庄营村"), world.unit("溧河铺镇")
    designation = f.designation(world, "毛桥村", year=2023)
    f.designation(world, "庄营村", year=2022, state=DesignationState.CLOSED)
    key = "ledgers.rectification_closed"
    values = reader.values([key], [maoqiao, zhuangying, town], 2023)
    assert values == {(maoqiao.pk, key): False, (zhuangying.pk, key): True, (town.pk, key): False}
    assert reader.values([key], [maoqiao, zhuangying], 2022) == {(maoqiao.pk, key): True, (zhuangying.pk, key): True}
    Designation.objects.filter(pk=designation.pk).update(state=DesignationState.CLOSED)
    assert reader.values([key], [town], 2023) == {(town.pk, key): True}


def test_the_metric_takes_one_query_for_any_number_of_villages(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for name in ("毛桥村", "庄营村", "施东村"):
        f.designation(world, name)
    reader = metrics.unscoped("a test reads every village")
    with CaptureQueriesContext(connection) as one:
        reader.values(["ledgers.rectification_closed"], [world.unit("毛桥村")], 2023)
    with CaptureQueriesContext(connection) as many:
        reader.values(["ledgers.rectification_closed"], [world.unit(n) for n in ("毛桥村", "庄营村", "施东村")], 2023)
    assert len(one) == len(many) == 1


def test_the_assessment_derives_branch_3_2_from_the_designation(world):
    from xingyao.assessments.tests import fixtures as af

    f.designation(world, "庄营村", year=2023)
    assert af.value(af.assessment(world, "庄营村"), "branch.3.2").derived_value is False
    assert af.value(af.assessment(world, "施东村"), "branch.3.2").derived_value is True


def test_the_demo_rectification_of_maoqiao_closes_within_three_months_and_loads_once(world):
    from xingyao.demo.ledgers import load_rectification

    assert load_rectification() == "毛桥村2023年软弱涣散整顿：整改事项 3 项，全部验收销号"
    designation = every(Designation).get()
    assert designation.criteria_labels == ["组织生活不正常"] and designation.state == DesignationState.CLOSED
    assert (designation.closed_on - designation.decided_on).days <= 92
    items = list(every(Item).filter(designation=designation))
    assert [i.state for i in items] == [State.CLOSED] * 3
    assert every(Acceptance).filter(passed=True).count() == 3 and every(ProgressPhoto).count() == 9
    assert load_rectification() == "已存在，未改动"
    key = "ledgers.rectification_closed"
    assert metrics.unscoped("test").values([key], [world.unit("毛桥村")], 2023) == {
        (world.unit("毛桥村").pk, key): True
    }


def test_the_metric_links_to_the_designations_behind_it(world, login):
    f.designation(world, "毛桥村", year=2023, decided_by="溧河铺镇党委")
    f.designation(world, "庄营村", year=2022, decided_by="另一年的决定")
    metric = metrics.get("ledgers.rectification_closed")
    assert metric is not None
    url = metric.url_for(world.unit("毛桥村"), 2023)
    assert url == f"/ledgers/weak/?village={world.unit('毛桥村').pk}&year=2023"
    page = login("zhen").get(url).content.decode()
    assert "溧河铺镇党委" in page and "另一年的决定" not in page
    town = login("zhen").get(metric.url_for(world.unit("溧河铺镇"), 2022)).content.decode()
    assert "另一年的决定" in town and "溧河铺镇党委" not in town


def test_the_assessment_page_shows_branch_3_2_derived_with_a_link_to_the_designations(world, login):
    from xingyao.assessments.tests import fixtures as af

    f.designation(world, "毛桥村", year=2023)
    assessment = af.assessment(world, "毛桥村")
    page = login("maoqiao").get(f"/assessments/{assessment.pk}/").content.decode()
    assert f"/ledgers/weak/?village={world.unit('毛桥村').pk}&amp;year=2023" in page


def test_the_demo_items_were_accepted_before_their_due_dates(world):
    from xingyao.demo.ledgers import load_rectification

    load_rectification()
    for item in every(Item).all():
        accepted = every(Acceptance).get(item=item).accepted_on
        last = every(Progress).filter(item=item).order_by("-acted_on").first().acted_on
        assert last <= accepted <= item.due_on, item.problem


def test_closure_dates_follow_the_work(world):
    designation = f.designation(world)
    item = _open(world, designation=designation)
    _worked(world, item)
    _accept(world, item, accepted_on=dt.date(2023, 5, 8))
    with pytest.raises(ActionError) as early:
        actions.do_close_item(world.user("zhen"), item.pk, on=dt.date(2023, 5, 1))
    assert early.value.message == "销号日期不能早于验收通过的日期（2023-05-08）"
    actions.do_close_item(world.user("zhen"), item.pk, on=dt.date(2023, 5, 10))
    with pytest.raises(ActionError) as before:
        actions.do_close_designation(world.user("zhen"), designation.pk, on=dt.date(2023, 5, 9))
    assert before.value.message == "整顿销号日期不能早于最后一项整改的销号日期（2023-05-10）"
    assert every(Designation).get().state == DesignationState.OPEN


def test_a_designation_decided_in_another_year_is_refused(world):
    with pytest.raises(ActionError) as refused:
        actions.do_designate(
            world.user("zhen"), village=world.unit("毛桥村"), year=2023, criteria=["low_rank"],
            decided_on=dt.date(2020, 1, 5), decided_by="镇党委", county_leader="张县", town_leader="李镇",
            first_secretary="王驻村", twinned_unit="县局",
        )  # fmt: skip
    assert refused.value.message == "确定日期应在 2022 年或 2023 年内"
    assert not every(Designation).exists()


def test_another_app_opens_an_item_inside_its_own_transaction_and_the_item_links_back(world, login):
    designation = f.designation(world)  # any record with a page stands in for an inspection visit or a warning
    with transaction.atomic(durable=True):
        item = actions.open_item(
            world.user("zhen"),
            village=world.unit("毛桥村"),
            source="inspection",
            problem="村内排水沟淤堵",
            target="疏通排水沟",
            measure="组织清淤",
            steps="排查、清淤、复查",
            responsible="毛德胜",
            start_on=dt.date(2023, 4, 3),
            days=10,
            origin=designation,
            origin_label="2023年第一季度观摩 毛桥村",
        )
    stored = every(Item).get(pk=item.pk)
    assert (stored.origin, stored.origin_label) == (designation, "2023年第一季度观摩 毛桥村")
    assert every(AuditEntry).get(action="ledger_item.open").after["origin"] == "2023年第一季度观摩 毛桥村"
    page = login("maoqiao").get(f"/ledgers/{item.pk}/").content.decode()
    assert f'href="/ledgers/weak/{designation.pk}/">2023年第一季度观摩 毛桥村</a>' in page


@pytest.mark.django_db(transaction=True)  # a test's own transaction would hide the missing one
def test_the_building_block_refuses_to_run_outside_a_transaction(world):
    with pytest.raises(RuntimeError, match="transaction"):
        actions.open_item(
            world.user("zhen"),
            village=world.unit("毛桥村"),
            source="inspection",
            problem="p",
            target="t",
            measure="m",
            steps="s",
            responsible="r",
            start_on=dt.date(2023, 4, 3),
            days=3,
        )
    assert not every(Item).exists()
