"""What the locked case actions answer one request at a time: an action handed the case as a page loaded it acts on
what is stored now, with the workflow's message; case numbers continue the village's series."""

from __future__ import annotations

import pytest
from django.utils import timezone

from xingyao.core.errors import ActionError
from xingyao.core.models import AuditEntry
from xingyao.disputes import actions
from xingyao.disputes.models import Dispute, DisputeStep, MediationSession
from xingyao.disputes.tests.test_disputes import register_form
from xingyao.grid.tests import factories as f
from xingyao.places.codes import below_county, village_code


def test_a_case_closed_meanwhile_refuses_a_second_outcome_and_a_session(world):
    case = f.dispute(world, status="triaged", team=("溧河铺派出所",))
    as_loaded = Dispute.objects.get(pk=case.pk)  # the pages the others opened before the case was closed
    today = timezone.localdate()
    zhen = world.user("zhen")
    actions.do_close_dispute(zhen, case, outcome="withdrawn", closed_on=today, result_note="申请人撤回")

    with pytest.raises(ActionError, match=r"^案件已结案，不能结案$"):
        actions.do_close_dispute(zhen, as_loaded, outcome="court", closed_on=today, result_note="移送法院")
    with pytest.raises(ActionError, match=r"^案件已结案，不能记录调解$"):
        actions.do_add_session(
            world.user("paichusuo"), as_loaded, held_on=today, place="", mediators="赵卫东", note="释法明理"
        )

    case.refresh_from_db()
    assert (case.status, case.outcome) == ("closed", "withdrawn")
    assert not MediationSession.objects.exists()
    assert DisputeStep.objects.filter(dispute=case, action="close").count() == 1
    assert AuditEntry.objects.filter(action="dispute.close").count() == 1


def test_a_session_recorded_while_closing_answers_with_a_message_not_an_error(world, login):
    case = f.dispute(world, status="triaged", team=("溧河铺派出所",))
    today = timezone.localdate().isoformat()
    closing = {"outcome": "withdrawn", "closed_on": today, "result_note": "申请人撤回"}
    assert login("zhen").post(f"/disputes/{case.pk}/outcome/", closing).status_code == 302
    session = {"held_on": today, "place": "村委会", "mediators": "赵卫东", "note": "释法明理"}
    late = login("paichusuo").post(f"/disputes/{case.pk}/session/", session)
    assert late.status_code == 400 and "案件已结案，不能记录调解" in late.content.decode()


def test_mediated_outcome_reads_the_stored_sessions(world):
    case = f.dispute(world, status="triaged", team=("溧河铺派出所",))
    as_loaded = Dispute.objects.get(pk=case.pk)  # loaded before the session was recorded: not yet mediated
    today = timezone.localdate()
    actions.do_add_session(world.user("paichusuo"), case, held_on=today, place="", mediators="赵卫东", note="调解")
    closed = actions.do_close_dispute(
        world.user("zhen"), as_loaded, outcome="mediated", closed_on=today, result_note="达成协议"
    )
    assert (closed.status, closed.outcome, closed.mediated) == ("closed", "mediated", True)


def test_case_numbers_continue_after_numbers_written_before_the_counter(world, login):
    village = world.unit("毛桥村")
    prefix = f"{timezone.localdate().year}{below_county(village_code(village.code))}"
    earlier = f.dispute(world)
    Dispute.objects.filter(pk=earlier.pk).update(number=f"{prefix}041")  # as the demo or an earlier version wrote it
    zhen = login("zhen")
    for _ in range(2):
        assert zhen.post("/disputes/new/", register_form(world)).status_code == 302
    numbers = sorted(Dispute.objects.values_list("number", flat=True))
    assert numbers == [f"{prefix}041", f"{prefix}042", f"{prefix}043"]
