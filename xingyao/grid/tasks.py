"""The home page's task for grid events: the events waiting for the user's next step."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from xingyao.core import tasks as core_tasks
from xingyao.core.menu import has_role
from xingyao.core.roles import Role
from xingyao.core.tasks import TaskKind
from xingyao.grid.queries import todo_events

# The roles `todo_events` has a step for; the others never have grid work waiting.
WORKING_ROLES = (Role.TOWN_ADMIN, Role.COUNTY_ADMIN, Role.TOWN_REVIEWER, Role.DEPT_HANDLER, Role.GRID_WORKER)


def _count(user: Any) -> int:
    return int(todo_events(user).count())


TASKS = [
    TaskKind(
        "grid.todo",
        "网格事件待办",
        applies=lambda user: has_role(user, *WORKING_ROLES),
        count=_count,
        url=lambda user: reverse("grid:events") + "?tab=todo",
        order=30,
    ),
]


def register() -> None:
    core_tasks.register(*TASKS)
