"""Test support shared by every app: the permission-route registry (the test world is `xingyao.demo.testing`).

Every page and API route registers a `RouteCase` in its app's `tests/routes.py`; `core/tests/test_permissions.py`
runs each one for the anonymous visitor, the outsider (404), the read-only leader (403 on writes) and the
persona in scope (success), and fails when a URL exists that no case covers.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.conf import settings

if TYPE_CHECKING:
    from xingyao.demo.testing import World  # the demo in miniature, built in the top layer


@dataclass(frozen=True)
class RouteCase:
    """One page or API route and who should get what from it."""

    url_name: str  # e.g. "places:unit" or "api:unit_detail": the coverage check matches on it
    path: Callable[[World], str]
    method: str = "GET"
    data: Callable[[World], dict[str, Any]] | None = None
    api: bool = False
    write: bool = False  # changes state or needs a privileged role: the read-only persona gets 403
    owner: str = "maoqiao"  # in scope and allowed
    outsider: str = "zhuangying"  # must get 404
    readonly: str | None = "lingdao"  # in scope, read-only
    ok: tuple[int, ...] = (200,)
    label: str = ""

    @property
    def id(self) -> str:
        return self.label or f"{self.method} {self.url_name}"


def all_route_cases() -> list[RouteCase]:
    """Every RouteCase declared in `<app>.tests.routes.ROUTES` of the project's apps."""
    cases: list[RouteCase] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("xingyao."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.tests.routes")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.tests.routes":
                raise
            continue
        cases.extend(module.ROUTES)
    return cases


# URL names that need no scoping test, with the reason.
UNSCOPED_URLS = {
    "core:index": "redirects to home or login",
    "accounts:login": "public by nature",
    "accounts:logout": "ends the caller's own session",
    "api:openapi-json": "the schema, no data",
    "api:openapi-view": "the docs page, no data",
    "api:api-root": "lists the routes, no data",
    "grid:public_report": "the residents' public form: no login by design; tested in grid/tests/test_public.py",
    "public:notice": "the public 公示 page needs no login by design; see assessments/tests/test_public.py",
    "public:objection": "the public objection form needs no login by design; see assessments/tests/test_public.py",
}


def fast_test_settings() -> dict[str, Any]:
    return {
        "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
        "STORAGES": {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    }
