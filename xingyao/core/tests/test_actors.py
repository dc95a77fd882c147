"""Actions name who acts and never nest: None is refused, the system is explicit, a do_* inside another fails."""

from __future__ import annotations

import pytest
from django.db import transaction

from xingyao.assessments.actions import do_rescore_year, do_start_assessment, do_transition
from xingyao.assessments.models import Assessment
from xingyao.assessments.tests import fixtures as f
from xingyao.assessments.workflow import State
from xingyao.core.errors import ActionError
from xingyao.core.models import AuditEntry


def test_an_action_without_an_actor_is_a_loud_error_not_a_skipped_check(world):
    with pytest.raises(TypeError, match="needs an actor"):
        do_start_assessment(None, world.unit("毛桥村"), 2023)
    assert not Assessment.objects.exists()


def test_the_system_acts_by_name_and_a_person_may_not_do_what_only_the_system_may(world):
    a = f.assessment(world)  # started by the system, as the fixtures do
    assert a.steps.get().actor_name == "系统"
    assert AuditEntry.objects.filter(action="assessment.create").get().actor_name == "系统"
    with pytest.raises(ActionError, match="只有系统任务"):
        do_rescore_year(world.user("xian"), 2023)


def test_an_action_called_inside_another_transaction_fails_loudly(world):
    a = f.submittable(world)
    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        do_transition(world.user("maoqiao"), a, "submit")
    assert Assessment.objects.get(pk=a.pk).state == State.DRAFT
