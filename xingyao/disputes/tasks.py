"""The home page's tasks for disputes: cases to triage, and cases the user's department is mediating."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from xingyao.core import tasks as core_tasks
from xingyao.core.roles import Action
from xingyao.core.scoping import holds
from xingyao.core.tasks import TaskKind
from xingyao.disputes.models import Dispute, Status


def _waiting(user: Any) -> int:
    return Dispute.objects.restrict(user, Action.MANAGE).filter(status=Status.REGISTERED).count()


def _handling(user: Any) -> int:
    return Dispute.objects.restrict(user, Action.HANDLE).exclude(status=Status.CLOSED).count()


TASKS = [
    TaskKind(
        "disputes.triage",
        "矛盾纠纷待分流",
        applies=lambda user: holds(user, Action.MANAGE),
        count=_waiting,
        url=lambda user: reverse("disputes:list") + "?status=registered",
        order=40,
    ),
    TaskKind(
        "disputes.mediating",
        "矛盾纠纷调处中",
        applies=lambda user: holds(user, Action.HANDLE),
        count=_handling,
        url=lambda user: reverse("disputes:list") + "?status=mediating",
        order=41,
    ),
]


def register() -> None:
    core_tasks.register(*TASKS)
