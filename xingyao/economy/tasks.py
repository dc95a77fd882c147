"""The home page's tasks for the industry records: investment projects whose weekly follow-up is due."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from xingyao.core import calendar
from xingyao.core import tasks as core_tasks
from xingyao.core.menu import has_role
from xingyao.core.roles import Action, Role
from xingyao.core.tasks import TaskKind
from xingyao.economy.models import EnterpriseRequest, Project
from xingyao.economy.queries import near_deadline
from xingyao.economy.workflow import UNDER_WAY
from xingyao.ledgers.workflow import YELLOW_DAYS


def _follow_ups_due(user: Any) -> int:
    """Projects under way in the user's towns whose weekly follow-up is due today or overdue (one query)."""
    today = timezone.localdate()
    return (
        Project.objects.restrict(user, Action.MANAGE)
        .filter(stage__in=list(UNDER_WAY), follow_up_due__lte=today)
        .count()
    )


TASKS = [
    TaskKind(
        "economy.follow_ups",
        "招商项目待周跟进",
        applies=lambda user: has_role(user, Role.TOWN_ADMIN, Role.COUNTY_ADMIN),
        count=_follow_ups_due,
        url=lambda user: f"{reverse('economy:list')}?due=1",
        order=40,
    ),
]


def _requests_near_deadline(user: Any) -> int:
    """Open enterprise requests whose 13710 deadline of the moment is within two working days or past (one query)."""
    horizon = calendar.add_workdays(timezone.localdate(), YELLOW_DAYS)
    return EnterpriseRequest.objects.restrict(user, Action.MANAGE).filter(near_deadline(horizon)).count()


TASKS.append(
    TaskKind(
        "economy.requests_due",
        "企业诉求临近“13710”时限",
        applies=lambda user: has_role(user, Role.TOWN_ADMIN, Role.COUNTY_ADMIN),
        count=_requests_near_deadline,
        url=lambda user: f"{reverse('economy:requests')}?due=1",
        order=41,
    )
)


def register() -> None:
    core_tasks.register(*TASKS)
