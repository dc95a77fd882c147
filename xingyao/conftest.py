"""Fixtures for every app: the miniature world, persona clients, API clients."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.test import Client, override_settings
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from xingyao.core.testing import fast_test_settings
from xingyao.demo.testing import World, build_world

# Property tests carry no timing: on a busy machine a slow example is not a failure (a 200 ms deadline once failed
# `make test`), nor is slow data generation. Loaded here, so every run (make test, CI, one file) uses it.
hypothesis_settings.register_profile("xingyao", deadline=None, suppress_health_check=[HealthCheck.too_slow])
hypothesis_settings.load_profile("xingyao")


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path_factory):  # type: ignore[no-untyped-def]
    for key, value in fast_test_settings().items():
        setattr(settings, key, value)
    settings.MEDIA_ROOT = str(tmp_path_factory.mktemp("media"))
    # Each test's database starts empty, so its audit chains need an anchor file of their own.
    settings.XINGYAO_AUDIT_ANCHOR = tmp_path_factory.mktemp("audit") / "anchors.jsonl"
    from django.core.cache import cache

    cache.clear()  # cached scopes (and rate-limit counters, when a cache holds them) must not leak between tests


@pytest.fixture
def world(db) -> World:  # type: ignore[no-untyped-def]
    return build_world()


@pytest.fixture
def login(world):  # type: ignore[no-untyped-def]
    """`login("maoqiao")` → a test client logged in as that persona."""

    def make(username: str) -> Client:
        client = Client()
        client.force_login(world.user(username))
        return client

    return make


@pytest.fixture
def api(world):  # type: ignore[no-untyped-def]
    """`api("maoqiao")` → a client that sends the persona's bearer token; `api(None)` sends none."""

    def make(username: str | None) -> Client:
        if username is None:
            return Client()
        return Client(HTTP_AUTHORIZATION=f"Bearer {world.token(username)}")

    return make


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    import os

    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=os.environ.get("XINGYAO_CHROMIUM", "/usr/bin/chromium"),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(request, browser, live_server, transactional_db):  # type: ignore[no-untyped-def]
    """A phone-sized page; `page.base_url` is the live server."""
    # Service workers are blocked here: one installing in the background fetches pages while a test signs people
    # in and out. The offline tests that need one are marked `service_worker`.
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        locale="zh-CN",
        base_url=live_server.url,
        service_workers="allow" if request.node.get_closest_marker("service_worker") else "block",
    )
    context.set_default_timeout(15_000)
    pg = context.new_page()
    console_errors: list[str] = []
    pg.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
    pg.console_errors = console_errors  # type: ignore[attr-defined]
    yield pg
    context.close()


@pytest.fixture
def browser_world(transactional_db) -> World:  # type: ignore[no-untyped-def]
    return build_world()


def sign_in(page, username: str) -> None:  # type: ignore[no-untyped-def]
    """Log in through the real form."""
    from xingyao.demo.testing import PASSWORD

    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/home/")


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):  # type: ignore[no-untyped-def]
    """On PostgreSQL the test databases commit without waiting for the disk: a crash mid-run loses only the last
    test's commits, which the next run makes again. Transactional tests, browser tests and migrations commit often."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.postgresql":
        database.setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"


@dataclass(frozen=True)
class SharedLoad:
    """Data loaded once for the tests of a module (see `shared_load`)."""

    result: Any  # what the load returned
    media: Path  # the files it stored
    anchor: Path  # its audit anchors

    def use(self, settings) -> None:  # type: ignore[no-untyped-def]
        """In a test: read the files and anchors the load wrote (`_test_settings` gives each test fresh ones)."""
        settings.MEDIA_ROOT, settings.XINGYAO_AUDIT_ANCHOR = str(self.media), self.anchor


@contextlib.contextmanager
def shared_load(django_db_blocker, tmp_path_factory, load: Callable[[], Any]) -> Iterator[SharedLoad]:  # type: ignore[no-untyped-def]
    """Run `load` once under the test settings, in a transaction rolled back on leaving; for a module-scoped fixture.

    Each test of the module (`db`, not `transactional_db`) runs in a savepoint of its own inside it, rolled back after
    it, so each still starts from the data just as loaded, and the tests after the module find the database empty.
    Under `-n`, xdist hands each worker consecutive tests in chunks, so a module mostly loads once, at worst once a
    worker. (Not `--dist loadgroup`: it keys tests by node id, and schemathesis gives many the same one, so
    test_fuzz_api would run once instead of once per operation; under pytest 9 it cannot name its groups anyway.)
    """
    media, anchor = tmp_path_factory.mktemp("shared-media"), tmp_path_factory.mktemp("shared-audit") / "anchors.jsonl"
    with override_settings(**fast_test_settings(), MEDIA_ROOT=str(media), XINGYAO_AUDIT_ANCHOR=anchor):
        # Like the outer atomic of Django's TestCase: durable `do_*` actions may run inside it.
        atomic = transaction.atomic()
        atomic._from_testcase = True  # type: ignore[attr-defined]
        with django_db_blocker.unblock():
            atomic.__enter__()
        try:
            with django_db_blocker.unblock():
                result = load()
            yield SharedLoad(result, media, anchor)
        finally:
            with django_db_blocker.unblock():
                transaction.set_rollback(True)
                atomic.__exit__(None, None, None)
