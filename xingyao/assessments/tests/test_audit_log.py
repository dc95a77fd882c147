"""The county's audit page tells the assessment's story in Chinese."""

from __future__ import annotations

from xingyao.assessments.actions import do_transition
from xingyao.assessments.tests import fixtures as f
from xingyao.assessments.workflow import State


def test_a_county_approval_reads_as_who_changed_which_assessment_from_what_to_what(world, login):
    a = f.at_state(world, State.TOWN_REVIEWED)
    do_transition(world.user("xian_shenhe"), a, "county_approve")

    page = login("xian").get("/audit/?action=assessment.").content.decode()

    assert "县级审核员 李秀英 将 毛桥村 2023年度评定 由 乡镇已初审 改为 县级已审定" in page
    assert "操作：县级审定" in page
    assert "county_approved" not in page and "{'" not in page
