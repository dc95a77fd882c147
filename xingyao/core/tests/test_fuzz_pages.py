"""Hostile parameters on every page route answer 4xx, never 500.

The routes come from the URLconf, so a new route is covered without touching this file: each path parameter gets
hostile values its converter lets through (huge and zero numbers, far dates, NUL, non-UTF-8, very long text), and each
query parameter a GET page reads gets the same. Which query parameters a page reads is not listed by hand: a first,
plain request records every name the view looked up in `request.GET` (plus the lists' declared `FILTERS`).
The API has its own fuzz test against the OpenAPI schema (test_fuzz_api.py).
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import quote

import pytest
from django.http import QueryDict
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, resolve, reverse

from xingyao.core.testing import RouteCase, all_route_cases

# Values a path parameter's converter may let through to the view.
PATH_INTS = ["0", "2147483648", "9223372036854775808", "99999999999999999999999999"]
PATH_TEXTS = ["0", "-1", "NaN", "9999-12-31", "0001-01-01", "9" * 40, "x" * 1000, "\x00", "%", "１２３", "a\u202eb"]
RAW_SEGMENTS = ["%FF%FE", "%C0%AF", "%00"]  # not UTF-8 / NUL, as the client would send them
# Values for query parameters (sent percent-encoded, some raw).
QUERY_VALUES = [
    "0",
    "-1",
    "2147483648",
    "9223372036854775808",
    "99999999999999999999",
    "NaN",
    "9999-12-31",
    "0001-01-01",
    "x" * 5000,
    "\x00",
]
RAW_QUERY_VALUES = ["%FF%FE"]
PLACEHOLDER = "zzfuzzzz"


def _patterns(resolver: URLResolver, namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _patterns(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry


def _page_names() -> list[str]:
    names = {name for name, _ in _patterns(get_resolver()) if not name.startswith(("api:", "admin:", "djdt:"))}
    return sorted(names)


CASES: dict[str, RouteCase] = {}
for _case in all_route_cases():
    CASES.setdefault(_case.url_name, _case)


def _declared_filters(name: str) -> set[str]:
    """The `FILTERS` the route's app declares for its lists (in its queries module)."""
    try:
        module = importlib.import_module(f"xingyao.{name.split(':')[0]}.queries")
    except ModuleNotFoundError:
        return set()
    return set(getattr(module, "FILTERS", {}))


@contextmanager
def _recording_reads() -> Iterator[set[str]]:
    """Every key looked up in a QueryDict while inside (what a view reads from request.GET)."""
    seen: set[str] = set()
    originals = {name: getattr(QueryDict, name) for name in ("get", "getlist", "__getitem__", "__contains__")}

    def wrap(original: Any) -> Any:
        def recorded(self: QueryDict, key: Any, *args: Any, **kwargs: Any) -> Any:
            if isinstance(key, str):
                seen.add(key)
            return original(self, key, *args, **kwargs)

        return recorded

    for name, original in originals.items():
        setattr(QueryDict, name, wrap(original))
    try:
        yield seen
    finally:
        for name, original in originals.items():
            setattr(QueryDict, name, original)


def _sample(world: Any, name: str) -> tuple[str, str, str]:
    """A working URL for the route (from its RouteCase, else built from plausible values), its method, persona."""
    case = CASES.get(name)
    if case is not None:
        return case.path(world), case.method, case.owner
    pattern = dict(_patterns(get_resolver()))[name]
    kwargs = {}
    for key, converter in pattern.pattern.converters.items():
        kind = type(converter).__name__
        if kind == "IntConverter":
            kwargs[key] = 1
        elif key == "year" or kind == "YearConverter":
            kwargs[key] = dt.date.today().year
        else:
            kwargs[key] = world.units["毛桥村"].code
    return reverse(name, kwargs=kwargs), "GET", "maoqiao"


def _hostile_paths(name: str, valid: str) -> Iterator[str]:
    match = resolve(valid.split("?")[0])
    converters = dict(_patterns(get_resolver()))[name].pattern.converters
    for key, converter in converters.items():
        values = PATH_INTS if type(converter).__name__ == "IntConverter" else PATH_TEXTS
        for value in values:
            try:
                yield reverse(name, kwargs={**match.kwargs, key: value})
            except NoReverseMatch:
                continue  # the resolver refuses it with a 404 before any view runs
        try:
            template = reverse(name, kwargs={**match.kwargs, key: PLACEHOLDER})
        except NoReverseMatch:
            continue
        for raw in RAW_SEGMENTS:
            yield template.replace(PLACEHOLDER, raw)


def _request(client: Client, method: str, url: str) -> tuple[int, str]:
    try:
        response = client.get(url) if method == "GET" else client.generic(method, url)
    except Exception as exc:  # the test client re-raises what the view raised: that would be a 500
        return 500, repr(exc)[:300]
    return response.status_code, ""


PAGE_NAMES = _page_names()


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_hostile_parameters_never_answer_500(world, name: str) -> None:
    valid, method, persona = _sample(world, name)
    client = Client()
    client.force_login(world.user(persona))
    failures: list[str] = []

    for url in _hostile_paths(name, valid):
        status, why = _request(client, method, url)
        if status >= 500:
            failures.append(f"{method} {url[:120]} → {status} {why}")

    if method == "GET":
        path = valid.split("?")[0]
        with _recording_reads() as read:
            status, why = _request(client, "GET", valid)
        assert status < 500, f"the plain page fails: {valid} {why}"
        names = (read | _declared_filters(name) | {"page"}) - {"csrfmiddlewaretoken"}
        for param in sorted(names):
            for value in QUERY_VALUES:
                url = f"{path}?{param}={quote(value)}"
                status, why = _request(client, "GET", url)
                if status >= 500:
                    failures.append(f"GET {url[:120]} → {status} {why}")
            for raw in RAW_QUERY_VALUES:
                url = f"{path}?{param}={raw}"
                status, why = _request(client, "GET", url)
                if status >= 500:
                    failures.append(f"GET {url[:120]} → {status} {why}")

    assert not failures, "answered 500:\n" + "\n".join(failures)


def test_every_page_route_is_fuzzed() -> None:
    # The list above is the URLconf itself; this guards against the enumeration silently finding nothing.
    assert len(PAGE_NAMES) > 50
    assert "grid:events" in PAGE_NAMES and "assessments:rankings" in PAGE_NAMES


# The cases issue #8 found answering 500, each with the answer it now gets: the status and a Chinese reason.
KNOWN = [
    ("/grid/?until=9999-12-31", 400, "结束日期应在 1900 年到 2100 年之间"),
    ("/grid/?since=0001-01-01", 400, "年"),
    ("/grid/map/?year=0", 400, "年度"),
    ("/grid/map/?year=99999999999999999999", 400, "年度"),
    ("/disputes/?year=0", 400, "年度"),
    ("/disputes/figures/?year=0", 400, "年度"),
    ("/disputes/figures/?since=2024-02-30", 400, "日期"),
    ("/assessments/rankings/{town}/0/", 404, "不存在"),
    ("/assessments/rankings/{town}/99999999999999999999/", 404, "不存在"),
    ("/stars/plans/{town}/0/", 404, "不存在"),
    ("/api/v1/grid/events?offset=99999999999999999999", 400, "offset"),
    ("/api/v1/grid/events?category=99999999999999999999", 400, "事件分类"),
    ("/api/v1/disputes/figures?year=0", 400, "year 不能小于"),
    ("/api/v1/disputes/zero?year=99999", 400, "year 不能大于"),
    ("/api/v1/assessments/rankings/{town}/0", 400, "year"),
    # PostgreSQL refuses a NUL in any text (a DataError): refused before the view.
    ("/accounts/users/?q=%00", 400, "NUL"),
    ("/assessments/rankings/%00/2024/", 400, "NUL"),
    ("/api/v1/grid/events?q=%00", 400, "NUL"),
]


@pytest.mark.parametrize(("url", "status", "reason"), KNOWN)
def test_the_known_bad_parameters_answer_4xx_in_chinese(world, url: str, status: int, reason: str) -> None:
    client = Client()
    client.force_login(world.user("xian"))
    response = client.get(url.format(town=world.unit("溧河铺镇").code))
    assert response.status_code == status
    text = json.dumps(response.json(), ensure_ascii=False) if url.startswith("/api/") else response.content.decode()
    assert reason in text, text[:300]
