"""The home page's task for Party life: this month's 支委会 or 主题党日 not yet recorded for one's branch."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from xingyao.core import tasks as core_tasks
from xingyao.core.menu import has_role
from xingyao.core.roles import Role
from xingyao.core.tasks import TaskKind
from xingyao.partylife.models import Meeting
from xingyao.partylife.queries import branch_villages
from xingyao.partylife.workflow import MONTHLY


def _missing_this_month(user: Any) -> int:
    """For a clerk's own branches: how many of this month's monthly meetings have no record yet (two queries)."""
    today = timezone.localdate()
    villages = list(branch_villages(user).values_list("pk", flat=True)[:20])
    held = set(
        Meeting.objects.restrict(user)
        .filter(village_id__in=villages, kind__in=list(MONTHLY), held_on__year=today.year, held_on__month=today.month)
        .values_list("village_id", "kind")
    )
    return sum(1 for v in villages for kind in MONTHLY if (v, kind.value) not in held)


TASKS = [
    TaskKind(
        "partylife.this_month",
        "本月支委会、主题党日待登记",
        applies=lambda user: has_role(user, Role.VILLAGE_CLERK),
        count=_missing_this_month,
        url=lambda user: reverse("partylife:record"),
        order=30,
    ),
]


def register() -> None:
    core_tasks.register(*TASKS)
