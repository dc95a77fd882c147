"""Fixtures for every app: the miniature world, persona clients, API clients."""

from __future__ import annotations

import pytest
from django.test import Client

from xingyao.core.testing import World, build_world, fast_test_settings


@pytest.fixture(autouse=True)
def _test_settings(settings):  # type: ignore[no-untyped-def]
    for key, value in fast_test_settings().items():
        setattr(settings, key, value)


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
