"""The home page's "我的待办": each persona's open work, and nothing asked of roles that cannot have a task."""

from __future__ import annotations

from xingyao.core.scoping import held_roles
from xingyao.core.tasks import registered, tasks_for
from xingyao.home.tests import fixtures as hf


def _tasks(world, username: str) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return {t.label: t.count for t in tasks_for(world.user(username))}


def test_every_app_registers_its_task_kinds_under_its_own_name():
    keys = {kind.key for kind in registered()}
    assert {"assessments.draft", "assessments.review", "grid.todo", "disputes.triage"} <= keys
    apps = {"assessments", "grid", "disputes", "partylife", "ledgers", "inspections", "livability", "economy"}
    assert all(key.split(".")[0] in apps for key in keys)


def test_each_persona_sees_his_open_work(world):
    hf.busy(world)
    # This month's 支委会 and 主题党日 are not recorded yet in the test world.
    assert _tasks(world, "maoqiao") == {"待填报年度评定": 1, "本月支委会、主题党日待登记": 2}
    assert _tasks(world, "wangge") == {"网格事件待办": 1}
    assert _tasks(world, "zhen") == {"待审核年度评定": 1, "网格事件待办": 1, "矛盾纠纷待分流": 1}
    assert _tasks(world, "xian_shenhe") == {"待审核年度评定": 1}
    assert _tasks(world, "zhengfawei") == {"待部门审核": 1}
    assert _tasks(world, "paichusuo") == {"网格事件待办": 1}
    assert _tasks(world, "lingdao") == {}


def test_a_draft_sent_back_says_so_and_links_to_the_record(world):
    work = hf.busy(world)
    work.draft.steps.create(action="send_back", from_state="submitted", to_state="draft", reason="请补充材料")
    [task] = [t for t in tasks_for(world.user("maoqiao")) if t.key.startswith("assessments.")]
    assert (task.label, task.url) == ("年度评定被退回，待修改", work.draft.get_absolute_url())


def test_the_home_page_lists_the_tasks(world, login):
    hf.busy(world)
    page = login("zhen").get("/home/").content.decode()
    assert "待审核年度评定" in page and "矛盾纠纷待分流" in page


def test_roles_without_a_task_cost_no_query(world, django_assert_num_queries):
    hf.busy(world)
    grid_worker, leader = world.user("wangge"), world.user("lingdao")
    held_roles(grid_worker), held_roles(leader)
    with django_assert_num_queries(1):  # the grid worker's events only
        tasks_for(grid_worker)
    with django_assert_num_queries(0):  # a leader has no step in any workflow
        tasks_for(leader)
