"""The home page's "我的待办": each app lists the kinds of open work it has in its `tasks.py` and registers them in
its `AppConfig.ready()`, like the metrics.

A kind of task says who can have it at all (`applies(user)`, from the user's cached roles: no query), so a role
that never has the task costs nothing; only then is `count(user)` asked, and `url(user)` only when there is work.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps


@dataclass(frozen=True)
class TaskKind:
    """One kind of open work, e.g. grid events waiting for the user."""

    key: str  # app-qualified: "grid.todo"
    label: str
    applies: Callable[[Any], bool]
    count: Callable[[Any], int]
    url: Callable[[Any], str]
    order: int = 100


@dataclass(frozen=True)
class Task:
    key: str
    label: str
    count: int
    url: str


_kinds: dict[str, TaskKind] = {}


def register(*kinds: TaskKind) -> None:
    """Add an app's task kinds (called from its `ready()`); a key registered again replaces the earlier one."""
    for kind in kinds:
        _kinds[_checked_key(kind.key)] = kind


def registered() -> list[TaskKind]:
    return sorted(_kinds.values(), key=lambda k: (k.order, k.key))


def tasks_for(user: Any) -> list[Task]:
    """The user's open work, one line per kind that has any."""
    found = []
    for kind in registered():
        if not kind.applies(user):
            continue
        count = kind.count(user)
        if count:
            found.append(Task(kind.key, kind.label, count, kind.url(user)))
    return found


def _checked_key(key: str) -> str:
    """Keys read "app.name", the app being the one that registers it (as for metrics)."""
    app, dot, name = key.partition(".")
    if not dot or not name:
        raise ValueError(f"task kind「{key}」的名称应为“应用.名称”")
    apps.get_app_config(app)  # LookupError for an app that is not installed
    return key
