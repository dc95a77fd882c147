"""The generated permission suite: every registered route for anonymous, outsider, read-only and in-scope users;
marker records for every list, export and figures route; the effect and audit row of every write."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from xingyao.core.testing import (
    MARKED_KINDS,
    UNSCOPED_URLS,
    Leak,
    RouteCase,
    RouteKind,
    all_route_cases,
    check_marker,
    check_write,
    request_as,
)

CASES = all_route_cases()


def _params(cases: list[RouteCase]) -> list:  # type: ignore[type-arg]
    """Cases as parameters; a case naming a known leak is a strict xfail, so fixing the leak fails the suite."""
    marks = lambda c: [pytest.mark.xfail(strict=True, raises=Leak, reason=c.xfail)] if c.xfail else []  # noqa: E731
    return [pytest.param(c, id=c.id, marks=marks(c)) for c in cases]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_anonymous_is_sent_to_login_or_refused(world, case: RouteCase) -> None:
    response = request_as(case, world, None)
    if case.api:
        assert response.status_code == 401
    else:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


SCOPED = [c for c in CASES if c.outsider]


@pytest.mark.parametrize("case", SCOPED, ids=[c.id for c in SCOPED])
def test_outsider_gets_not_found(world, case: RouteCase) -> None:
    response = request_as(case, world, case.outsider)
    assert response.status_code == 404


@pytest.mark.parametrize("case", [c for c in CASES if c.readonly], ids=[c.id for c in CASES if c.readonly])
def test_read_only_user_can_read_but_not_write(world, case: RouteCase) -> None:
    response = request_as(case, world, case.readonly)
    if case.write:
        assert response.status_code == 403
    else:
        assert response.status_code in case.ok


READS = [c for c in CASES if c.kind is not RouteKind.WRITE]


@pytest.mark.parametrize("case", READS, ids=[c.id for c in READS])
def test_user_in_scope_succeeds(world, case: RouteCase) -> None:
    response = request_as(case, world, case.owner)
    assert response.status_code in case.ok, getattr(response, "content", b"")[:500]


WRITES = [c for c in CASES if c.kind is RouteKind.WRITE]


@pytest.mark.parametrize("case", _params(WRITES))
def test_owners_write_changes_the_database_and_is_audited(world, case: RouteCase) -> None:
    check_write(case, world)


MARKED = [c for c in CASES if c.marker]


@pytest.mark.parametrize("case", _params(MARKED))
def test_owner_sees_his_marker_and_the_outsider_does_not(world, case: RouteCase) -> None:
    check_marker(case, world)


def test_every_route_says_what_it_shows() -> None:
    missing = sorted(c.id for c in CASES if c.kind is None)
    assert not missing, f"these GET cases need a kind=RouteKind.…: {missing}"


def test_every_list_export_and_figures_route_has_a_marker() -> None:
    missing = sorted(c.id for c in CASES if c.kind in MARKED_KINDS and c.marker is None)
    assert not missing, f"these cases need a Marker (owner's row shown, outsider's not): {missing}"


UNREFUSED_KINDS = {RouteKind.WRITE, RouteKind.OWN, RouteKind.FORM, RouteKind.REDIRECT, RouteKind.CATALOGUE}


def test_a_page_without_a_404_outsider_carries_a_marker() -> None:
    # With no outsider to refuse, only a marker shows that a page keeps to the caller's scope: a list declared as a
    # "detail" to dodge its marker fails here.
    unproven = sorted(c.id for c in CASES if not c.outsider and not c.marker and c.kind not in UNREFUSED_KINDS)
    assert not unproven, f"these cases have neither an outsider (404) nor a marker: {unproven}"


def test_every_write_route_checks_its_effect_and_audit_row() -> None:
    writes = [c for c in CASES if c.kind is RouteKind.WRITE]
    assert not [c.id for c in writes if c.effect is None], "these writes need an effect= check"
    unexplained = [c.id for c in writes if not c.audit and not c.why_no_audit]
    assert not unexplained, f"these writes are not audited and do not say why: {unexplained}"


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
