"""The one history writer: inside the change's transaction, with who acted named the same way everywhere."""

from __future__ import annotations

import pytest
from django.db import transaction

from xingyao.core.actors import RESIDENT, SYSTEM
from xingyao.core.history import record_step
from xingyao.grid.models import EventStep
from xingyao.grid.tests import factories as f
from xingyao.grid.workflow import Action, State


@pytest.mark.django_db(transaction=True)  # a real autocommit connection: the test's own transaction would hide it
def test_a_step_outside_a_transaction_is_refused(world):
    event = f.event(world)
    with pytest.raises(RuntimeError, match="inside the transaction"):
        record_step(EventStep, event=event, actor=SYSTEM, action="note")


def test_steps_name_the_user_the_system_and_the_resident_and_take_the_actions_label(world):
    event = f.event(world)
    with transaction.atomic():
        by_user = record_step(
            EventStep, event=event, actor=world.user("zhen"), role="town_admin", action=Action.ACCEPT,
            from_state=State.REPORTED, to_state=State.ACCEPTED, reason="属实",
        )  # fmt: skip
        by_system = record_step(EventStep, event=event, actor=SYSTEM, action="remind", label="提醒")
        by_resident = record_step(EventStep, event=event, actor=RESIDENT, action="report", label="居民上报")
    by_user.refresh_from_db()
    assert (by_user.actor, by_user.actor_name, by_user.action_label) == (world.user("zhen"), "刘洋", "受理")
    assert (by_user.role, by_user.from_state, by_user.to_state, by_user.reason) == (
        "town_admin",
        "reported",
        "accepted",
        "属实",
    )
    assert (by_system.actor, by_system.actor_name) == (None, "系统")
    assert (by_resident.actor, by_resident.actor_name) == (None, "居民")
