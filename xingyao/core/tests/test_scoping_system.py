"""The system itself (the demo, a command, a job) reaches every record through the same `access()` people use."""

from __future__ import annotations

import pytest
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
