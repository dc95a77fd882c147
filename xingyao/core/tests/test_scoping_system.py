"""The system itself (the demo, a command, a job) reaches every record through the same `access()` people use."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from xingyao.core.actors import SYSTEM
from xingyao.core.scoping import access
from xingyao.places.models import Unit

pytestmark = pytest.mark.django_db


def test_the_system_reaches_any_record_and_a_missing_one_is_a_404(world):
    units = Unit.objects.all()
    assert access(units, SYSTEM, world.unit("施东村").pk) == world.unit("施东村")
    with pytest.raises(Http404):
        access(units, SYSTEM, 10**9)
    with pytest.raises(Http404):
        access(units, world.user("maoqiao"), world.unit("施东村").pk)  # a person still only in his scope


def test_a_record_removed_between_the_read_and_the_permission_check_is_a_404_not_a_403(world, monkeypatch):
    """Two clerks delete the same file at once: the second reads it, then finds it gone when its right to change it
    is checked. It is missing (404), not forbidden (403); someone who may only look is still refused (403)."""
    from xingyao.assessments.models import Evidence
    from xingyao.assessments.tests import fixtures as f
    from xingyao.core.roles import Action
    from xingyao.core.scoping import ScopedQuerySet

    f.attach_evidence(f.assessment(world), ("branch.1.1",))
    evidence = Evidence.objects.get()
    with pytest.raises(PermissionDenied):
        access(Evidence.objects.all(), world.user("lingdao"), evidence.pk, Action.CHANGE)  # the leader only reads

    restrict = ScopedQuerySet.restrict

    def restrict_while_another_deletes(self, user, action=Action.VIEW):  # type: ignore[no-untyped-def]
        if action == Action.CHANGE:
            Evidence.objects.filter(pk=evidence.pk).delete()  # the other clerk's delete commits now
        return restrict(self, user, action)

    monkeypatch.setattr(ScopedQuerySet, "restrict", restrict_while_another_deletes)
    with pytest.raises(Http404):
        access(Evidence.objects.all(), world.user("maoqiao"), evidence.pk, Action.CHANGE)
