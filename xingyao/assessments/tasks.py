"""The home page's tasks for assessments: records waiting for the user's review, and drafts to fill."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse

from xingyao.assessments.models import Assessment, StepLog
from xingyao.assessments.queries import dept_queue, queue_base, village_todo
from xingyao.core import tasks as core_tasks
from xingyao.core.menu import has_role
from xingyao.core.roles import Action, Role
from xingyao.core.scoping import holds
from xingyao.core.tasks import TaskKind


def _sent_back() -> Exists:
    return Exists(
        StepLog.objects.unscoped("a subquery of drafts already restricted to the user").filter(
            assessment=OuterRef("pk"), action="send_back"
        )
    )


def _drafts(user: Any, sent_back: bool) -> QuerySet[Assessment]:
    drafts = village_todo(user).annotate(sent_back=_sent_back()).filter(sent_back=sent_back)
    return drafts.order_by("-year")


def _first_url(user: Any, sent_back: bool) -> str:
    first = _drafts(user, sent_back).first()
    return first.get_absolute_url() if first else reverse("assessments:queue")


def _village_drafts(key: str, label: str, sent_back: bool, order: int) -> TaskKind:
    """A village clerk's own drafts: those sent back to him, or those he has still to fill in."""
    return TaskKind(
        key,
        label,
        applies=lambda user: has_role(user, Role.VILLAGE_CLERK),
        count=lambda user: _drafts(user, sent_back).count(),
        url=lambda user: _first_url(user, sent_back),
        order=order,
    )


TASKS = [
    _village_drafts("assessments.sent_back", "年度评定被退回，待修改", True, 10),
    _village_drafts("assessments.draft", "待填报年度评定", False, 11),
    TaskKind(
        "assessments.review",
        "待审核年度评定",
        applies=lambda user: holds(user, Action.REVIEW),
        count=lambda user: queue_base(user).count(),
        url=lambda user: reverse("assessments:queue"),
        order=12,
    ),
    TaskKind(
        "assessments.dept_review",
        "待部门审核",
        applies=lambda user: has_role(user, Role.DEPT_HANDLER),
        count=lambda user: dept_queue(user).count(),
        url=lambda user: reverse("assessments:queue"),
        order=13,
    ),
]


def register() -> None:
    core_tasks.register(*TASKS)
