"""The main menu: each app registers its entries in `AppConfig.ready()`; the shell shows a user the ones for him.

An entry says who it is for (`visible(user)`, answered from the user's cached roles: no query of its own), and
where it leads: a `route` name that takes no arguments (no query either, since the menu is drawn on every page).
An entry whose destination depends on data (the latest year, the user's own record) names a `target(user)`
instead: the menu links to `core:go` (`/go/<key>/`), which runs it on click and redirects.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.urls import reverse

from xingyao.core.roles import Role
from xingyao.core.scoping import held_roles

# Roles that look after a town or a county: their menus lead with queues, progress, rankings and figures.
AREA_ROLES = (Role.COUNTY_ADMIN, Role.COUNTY_REVIEWER, Role.TOWN_ADMIN, Role.TOWN_REVIEWER, Role.LEADER)


@dataclass(frozen=True)
class Entry:
    """One menu link."""

    key: str  # app-qualified, e.g. "grid.report"; also the `/go/<key>/` path for entries with a target
    label: str
    visible: Callable[[Any], bool]
    route: str | None = None  # a URL name without arguments, e.g. "grid:events"
    target: Callable[[Any], str] | None = None  # may query; runs only when the link is followed
    order: int = 100  # lower first: a role's main work leads its menu

    def __post_init__(self) -> None:
        if (self.route is None) == (self.target is None):
            raise ValueError(f"menu entry {self.key}: give exactly one of route and target")


@dataclass(frozen=True)
class Link:
    key: str
    label: str
    url: str


_entries: dict[str, Entry] = {}


def register(*entries: Entry) -> None:
    """Add an app's entries (called from its `ready()`); a key registered again replaces the earlier entry."""
    for entry in entries:
        _entries[_checked_key(entry.key)] = entry


def entry(key: str) -> Entry | None:
    return _entries.get(key)


def menu_for(user: Any) -> list[Link]:
    """The links this user sees, in menu order."""
    if not getattr(user, "is_authenticated", False):
        return []
    shown = sorted((e for e in _entries.values() if e.visible(user)), key=lambda e: (e.order, e.key))
    return [Link(e.key, e.label, reverse(e.route) if e.route else reverse("core:go", args=[e.key])) for e in shown]


def has_role(user: Any, *roles: str) -> bool:
    """Whether the user holds any of `roles` on an active unit (a superuser holds them all); no query once the
    request has read the user's roles."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return True
    return any(role in roles for role, _ in held_roles(user))


def role_prefixes(user: Any, *roles: str) -> list[str]:
    """The prefixes of the units on which the user holds any of `roles`, in code order."""
    return sorted({prefix for role, prefix in held_roles(user) if role in roles})


def _checked_key(key: str) -> str:
    """Keys read "app.name", the app being the one that registers it (as for metrics)."""
    app, dot, name = key.partition(".")
    if not dot or not name:
        raise ValueError(f"menu entry「{key}」的名称应为“应用.名称”")
    apps.get_app_config(app)  # LookupError for an app that is not installed
    return key
