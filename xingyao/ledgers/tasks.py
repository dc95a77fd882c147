"""The home page's tasks for the ledgers: items due within two working days (or overdue), acceptances waiting."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from xingyao.core import calendar
from xingyao.core import tasks as core_tasks
from xingyao.core.menu import has_role
from xingyao.core.roles import Action, Role
from xingyao.core.tasks import TaskKind
from xingyao.ledgers.models import Item, StarWarning
from xingyao.ledgers.workflow import YELLOW_DAYS, Move, State, WarningState

ACCEPTORS = (Role.TOWN_ADMIN, Role.TOWN_REVIEWER, Role.COUNTY_ADMIN, Role.COUNTY_REVIEWER)


def _due_soon(user: Any) -> int:
    """Open items of the user's villages due within two working days of today, or overdue (one query)."""
    horizon = calendar.add_workdays(timezone.localdate(), YELLOW_DAYS)
    return Item.objects.restrict(user, Action.CHANGE).filter(state=State.OPEN, due_on__lte=horizon).count()


def _waiting(user: Any) -> int:
    """Items asking for acceptance that the user may accept: he did not work them (one query)."""
    waiting = Item.objects.restrict(user, Action.REVIEW).filter(state=State.SUBMITTED)
    worked = waiting.filter(progress__recorded_by=user) | waiting.filter(
        history__action=Move.SUBMIT, history__actor=user
    )
    return waiting.exclude(pk__in=worked.values("pk")).count()


def _warnings_open(user: Any) -> int:
    """Star warnings of the user's villages that the county has not decided yet (one query)."""
    return StarWarning.objects.restrict(user).filter(state=WarningState.OPEN).count()


def _follow_ups_due(user: Any) -> int:
    """Closed items of the user's villages whose follow-up visit (一年回访) is due (one query)."""
    today = timezone.localdate()
    return Item.objects.restrict(user, Action.CHANGE).filter(state=State.CLOSED, next_follow_up__lte=today).count()


TASKS = [
    TaskKind(
        "ledgers.due_soon",
        "整改事项即将到期或已超期",
        applies=lambda user: has_role(user, Role.VILLAGE_CLERK, Role.TOWN_ADMIN, Role.COUNTY_ADMIN),
        count=_due_soon,
        url=lambda user: f"{reverse('ledgers:list')}?state=open",
        order=35,
    ),
    TaskKind(
        "ledgers.acceptances",
        "整改事项待验收",
        applies=lambda user: has_role(user, *ACCEPTORS),
        count=_waiting,
        url=lambda user: f"{reverse('ledgers:list')}?state=submitted",
        order=36,
    ),
    TaskKind(
        "ledgers.warnings",
        "星级预警待处理",
        applies=lambda user: has_role(user, Role.TOWN_ADMIN, Role.COUNTY_ADMIN, Role.COUNTY_REVIEWER),
        count=_warnings_open,
        url=lambda user: f"{reverse('ledgers:warnings')}?state=open",
        order=37,
    ),
    TaskKind(
        "ledgers.follow_ups",
        "整改销号后待回访",
        applies=lambda user: has_role(user, Role.VILLAGE_CLERK, Role.TOWN_ADMIN, Role.COUNTY_ADMIN),
        count=_follow_ups_due,
        url=lambda user: f"{reverse('ledgers:list')}?follow_up=due",
        order=38,
    ),
]


def register() -> None:
    core_tasks.register(*TASKS)
