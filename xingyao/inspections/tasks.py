"""The home page's task for inspections: villages of rounds open for scoring that the user may score."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from xingyao.core import tasks as core_tasks
from xingyao.core.menu import has_role
from xingyao.core.roles import Action
from xingyao.core.tasks import TaskKind
from xingyao.inspections.models import Visit
from xingyao.inspections.workflow import SCORERS, State
from xingyao.places.models import Unit


def _to_score(user: Any) -> int:
    """Unscored visits of rounds open for scoring that the user organises or scores: rounds of a unit inside his
    own scope (a town's reviewer is no scorer of the county's round), one query."""
    organisers = Unit.objects.restrict(user, Action.REVIEW)
    return (
        Visit.objects.restrict(user, Action.REVIEW)
        .filter(round__state=State.SCORING, total__isnull=True, round__unit__in=organisers)
        .count()
    )


TASKS = [
    TaskKind(
        "inspections.to_score",
        "观摩点位待评分",
        applies=lambda user: has_role(user, *SCORERS),
        count=_to_score,
        url=lambda user: f"{reverse('inspections:list')}?state=scoring",
        order=37,
    ),
]


def register() -> None:
    core_tasks.register(*TASKS)
