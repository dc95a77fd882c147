"""Home-page tasks: services past their promised day, and recently finished works still without an after photo."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from xingyao.core import tasks as core_tasks
from xingyao.core.menu import has_role
from xingyao.core.roles import Action, Role
from xingyao.core.tasks import TaskKind
from xingyao.livability.models import Photo, ServiceRequest, Work
from xingyao.livability.vocabulary import Outcome, PhotoStage

KEEPERS = (Role.VILLAGE_CLERK, Role.TOWN_ADMIN)
AFTER_PHOTO_DAYS = 90  # a work finished longer ago than this is no longer a reminder (the list still shows it)


def overdue_services(user: Any) -> Any:
    """Open services whose promised day has passed, among those the user keeps."""
    return ServiceRequest.objects.restrict(user, Action.CHANGE).filter(
        outcome=Outcome.OPEN, due_on__lt=timezone.localdate()
    )


def _recent() -> dt.date:
    return timezone.localdate() - dt.timedelta(days=AFTER_PHOTO_DAYS)


def works_without_after_photo(user: Any) -> Any:
    """Works the user keeps, finished in the last `AFTER_PHOTO_DAYS` days, that have no 整治后 photo yet."""
    after = Photo.objects.unscoped("the photos of works already restricted").filter(
        work_id=OuterRef("pk"), stage=PhotoStage.AFTER
    )
    return Work.objects.restrict(user, Action.CHANGE).filter(finished_on__gte=_recent()).filter(~Exists(after))


TASKS = [
    TaskKind(
        "livability.overdue_services",
        "便民服务事项已超过承诺时限",
        applies=lambda user: has_role(user, *KEEPERS),
        count=lambda user: overdue_services(user).count(),
        url=lambda user: f"{reverse('livability:services')}?outcome=open",
        order=40,
    ),
    TaskKind(
        "livability.after_photos",
        "已完工的人居环境工程待上传整治后照片",
        applies=lambda user: has_role(user, *KEEPERS),
        count=lambda user: works_without_after_photo(user).count(),
        url=lambda user: f"{reverse('livability:works')}?finished=yes&after=none&since={_recent():%Y-%m-%d}",
        order=41,
    ),
]


def register() -> None:
    core_tasks.register(*TASKS)
