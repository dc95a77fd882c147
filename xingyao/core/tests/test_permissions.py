"""The generated permission suite: every registered route for anonymous, outsider, read-only and in-scope users."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from xingyao.core.testing import UNSCOPED_URLS, RouteCase, all_route_cases

CASES = all_route_cases()


def _request(client: Client, case: RouteCase, world) -> object:  # type: ignore[no-untyped-def]
    path = case.path(world)
    data = case.data(world) if case.data else None
    method = case.method.lower()
    if case.api and data is not None and method in ("post", "put", "patch"):
        return getattr(client, method)(path, data, content_type="application/json")
    if data is None:
        return getattr(client, method)(path)
    return getattr(client, method)(path, data)


def _client(case: RouteCase, world, username: str | None) -> Client:  # type: ignore[no-untyped-def]
    if case.api:
        return Client(HTTP_AUTHORIZATION=f"Bearer {world.token(username)}") if username else Client()
    client = Client()
    if username:
        client.force_login(world.user(username))
    return client


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_anonymous_is_sent_to_login_or_refused(world, case: RouteCase) -> None:
    response = _request(_client(case, world, None), case, world)
    if case.api:
        assert response.status_code == 401
    else:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


SCOPED = [c for c in CASES if c.outsider]


@pytest.mark.parametrize("case", SCOPED, ids=[c.id for c in SCOPED])
def test_outsider_gets_not_found(world, case: RouteCase) -> None:
    response = _request(_client(case, world, case.outsider), case, world)
    assert response.status_code == 404


@pytest.mark.parametrize("case", [c for c in CASES if c.readonly], ids=[c.id for c in CASES if c.readonly])
def test_read_only_user_can_read_but_not_write(world, case: RouteCase) -> None:
    response = _request(_client(case, world, case.readonly), case, world)
    if case.write:
        assert response.status_code == 403
    else:
        assert response.status_code in case.ok


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_user_in_scope_succeeds(world, case: RouteCase) -> None:
    response = _request(_client(case, world, case.owner), case, world)
    assert response.status_code in case.ok, getattr(response, "content", b"")[:500]


def _url_names(resolver: URLResolver, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            names |= _url_names(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(f"{namespace}{entry.name}")
    return names


def test_every_url_is_in_the_permission_suite() -> None:
    registered = {c.url_name for c in CASES}
    ours = {n for n in _url_names(get_resolver()) if not n.startswith(("admin:", "djdt:"))}
    missing = sorted(ours - registered - set(UNSCOPED_URLS))
    assert not missing, f"these URLs have no RouteCase in any tests/routes.py: {missing}"
