"""The help page: each person's own roles first, every state of the records explained by the label pages show."""

from __future__ import annotations

import pytest

from xingyao.grid.workflow import State as EventState
from xingyao.home.help import GUIDES, STATE_MEANINGS, state_tables

pytestmark = pytest.mark.django_db


def test_a_village_clerk_reads_his_own_weekly_work_first(world, login):
    page = login("maoqiao").get("/help/").content.decode()
    clerk, grid_worker = page.index("村级填报员（村两委）"), page.index("<h2>其他角色</h2>")
    assert clerk < grid_worker
    assert "在它那一行点“上传佐证”" in page[clerk:grid_worker]


def test_every_state_of_every_record_has_a_meaning_and_reads_as_the_pages_name_it(world, login):
    tables = dict(state_tables())
    assert [label for label, _ in tables["网格事件"]] == [s.label for s in EventState]
    assert all(meaning for rows in tables.values() for _label, meaning in rows)
    page = login("wangge").get("/help/").content.decode()
    assert f"<dt>{EventState.FEEDBACK.label}</dt><dd>{STATE_MEANINGS[EventState.FEEDBACK]}</dd>" in page


def test_every_role_has_a_guide():
    from xingyao.core.roles import Role

    assert {g.role for g in GUIDES} == set(Role)


def test_every_page_links_to_the_help(world, login):
    assert 'href="/help/"' in login("paichusuo").get("/home/").content.decode()
