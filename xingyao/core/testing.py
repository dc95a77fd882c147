"""Test support shared by every app: the permission-route registry (the test world is `xingyao.demo.testing`).

Every page and API route registers a `RouteCase` in its app's `tests/routes.py`; `core/tests/test_permissions.py`
runs each one for the anonymous visitor, the outsider (404), the read-only leader (403 on writes) and the
persona in scope (success), and fails when a URL exists that no case covers.

A 404 for the outsider proves nothing about a list, so every list, export, figures and dashboard route carries a
`Marker`: a record in the owner's scope that his response must show, and one outside it that it must not (checked in
the HTML, anywhere in a JSON payload, in every cell of an Excel file; for figures, as a count that moves). Every write
carries an `effect` that checks the database after the owner's request, and the audit row it wrote.
"""

from __future__ import annotations

import importlib
import io
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.conf import settings
from django.test import Client

if TYPE_CHECKING:
    from xingyao.demo.testing import World  # the demo in miniature, built in the top layer


class RouteKind(StrEnum):
    """What a route shows or does; it decides which proofs its case must carry."""

    LIST = "list"  # rows of many records: needs a marker
    EXPORT = "export"  # an Excel file of rows: needs a marker
    FIGURES = "figures"  # counts and aggregates: needs a marker with a `figure`
    DASHBOARD = "dashboard"  # a page of several lists and counts: needs a marker
    DETAIL = "detail"  # one record by id or code: the outsider's 404 proves its scope
    FILE = "file"  # one stored file by id
    FORM = "form"  # a form page or another GET that needs a privileged role
    OWN = "own"  # the caller's own account
    CATALOGUE = "catalogue"  # the same for every user: no scoped rows (the registered data sources)
    REDIRECT = "redirect"  # sends the caller on to his own page
    WRITE = "write"  # changes state: needs an effect (and writes an audit row)


MARKED_KINDS = frozenset({RouteKind.LIST, RouteKind.EXPORT, RouteKind.FIGURES, RouteKind.DASHBOARD})
MINE = "甲标记七"  # carried by the owner's marker record
THEIRS = "乙标记九"  # carried by the record outside the owner's scope


@dataclass(frozen=True)
class Marker:
    """Records that prove a list is scoped.

    `mine(world, text)` makes a record in the owner's scope carrying `text`; `theirs(world, text)` one outside it.
    The owner's response must show his text and not theirs. `outsider` is a persona who gets 200 on the same URL
    (the route's own outsider gets 404 or is none): his response must show theirs and not the owner's.
    With `figure` the route shows counts, not rows: `figure(response)` reads the number, which moves for the owner
    when his record is added and not for the outsider, and the other way round when theirs is.
    """

    mine: Callable[[World, str], object]
    theirs: Callable[[World, str], object] | None = None
    outsider: str | None = None
    figure: Callable[[Any], float] | None = None


@dataclass(frozen=True)
class RouteCase:
    """One page or API route and who should get what from it."""

    url_name: str  # e.g. "places:unit" or "api:unit_detail": the coverage check matches on it
    path: Callable[[World], str]
    method: str = "GET"
    data: Callable[[World], dict[str, Any]] | None = None
    api: bool = False
    multipart: bool = False  # an API route that takes a file: post `data` as a form, not JSON
    write: bool = False  # changes state or needs a privileged role: the read-only persona gets 403
    owner: str = "maoqiao"  # in scope and allowed
    outsider: str = "zhuangying"  # must get 404
    readonly: str | None = "lingdao"  # in scope, read-only
    ok: tuple[int, ...] = (200,)
    label: str = ""
    kind: RouteKind | None = None  # GET routes say what they show; a non-GET route is a write
    marker: Marker | None = None
    effect: Callable[[World], object] | None = None  # after the owner's request: asserts the change is in the DB
    audit: bool = True  # the owner's write leaves an audit row naming him; False needs `why_no_audit`
    why_no_audit: str = ""
    xfail: str = ""  # names a known leak: its marker check must raise Leak until the fix lands, then fails the suite

    def __post_init__(self) -> None:
        if self.kind is None and self.method != "GET":
            object.__setattr__(self, "kind", RouteKind.WRITE)

    @property
    def id(self) -> str:
        return self.label or f"{self.method} {self.url_name}"


def every(model: Any) -> Any:
    """Every row of `model` for a test's own checks: a test looks at the whole database on purpose."""
    rows = model._default_manager.all()
    return rows.unscoped("a test checks the database") if hasattr(rows, "unscoped") else rows


def expect(check: Callable[[World], object], what: str) -> Callable[[World], None]:
    """An effect from a predicate on the database: `expect(lambda w: <query>.exists(), "the plan is saved")`."""

    def effect(world: World) -> None:
        assert check(world), f"after the owner's request: not true that {what}"

    return effect


def request_as(case: RouteCase, world: World, username: str | None) -> Any:
    """The case's request made by `username` (None: anonymous), by session or by bearer token."""
    if case.api:
        client = Client(HTTP_AUTHORIZATION=f"Bearer {world.token(username)}") if username else Client()
    else:
        client = Client()
        if username:
            client.force_login(world.user(username))
    path = case.path(world)
    data = case.data(world) if case.data else None
    method = case.method.lower()
    if case.api and not case.multipart and data is not None and method in ("post", "put", "patch"):
        return getattr(client, method)(path, data, content_type="application/json")
    if data is None:
        return getattr(client, method)(path)
    return getattr(client, method)(path, data)


_JSON_SCRIPT = re.compile(rb'<script[^>]*type="application/json"[^>]*>(.*?)</script>', re.S)


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif value is not None:
        yield str(value)


def response_text(response: Any) -> str:
    """Everything a response shows, as text: the page (with its embedded JSON decoded), every string and number
    of a JSON payload, every cell of every sheet of an Excel file."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    content_type = response.get("Content-Type", "")
    if "spreadsheetml" in content_type:
        import openpyxl

        book = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
        cells = (cell for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for cell in row)
        return "\n".join(str(cell) for cell in cells if cell is not None)
    if "json" in content_type:
        return "\n".join(_strings(json.loads(body)))
    embedded = [s for block in _JSON_SCRIPT.findall(body) for s in _strings(json.loads(block))]
    return "\n".join([body.decode(), *embedded])


@dataclass(frozen=True)
class Table:
    """A sheet as written by `core.exports`: the lines above the header, the header, the rows, the 合计 row."""

    above: list[str]
    header: list[Any]
    rows: list[list[Any]]
    totals: list[Any] | None

    def column(self, name: str) -> list[Any]:
        at = self.header.index(name)
        return [row[at] for row in self.rows]

    def total(self, name: str) -> Any:
        assert self.totals is not None, "the sheet has no 合计 row"
        return self.totals[self.header.index(name)]

    def by(self, name: str) -> dict[Any, dict[str, Any]]:
        """Each row keyed by its cell in column `name`, as {header: cell}."""
        return {row[self.header.index(name)]: dict(zip(self.header, row, strict=False)) for row in self.rows}


def read_table(content: bytes, sheet: str | None = None) -> Table:
    """The first (or the named) sheet of an exported .xlsx: the header is the first line with two cells filled."""
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    lines = [list(r) for r in (book[sheet] if sheet else book.worksheets[0]).iter_rows(values_only=True)]
    start = next(n for n, line in enumerate(lines) if sum(c not in (None, "") for c in line) > 1)
    body = lines[start + 1 :]
    from xingyao.core.exports import TOTAL_LABEL

    totals = body.pop() if body and TOTAL_LABEL in body[-1][:1] else None
    return Table([str(line[0]) for line in lines[:start]], lines[start], body, totals)


class Leak(AssertionError):
    """A response shows a record it must not: what a known-leak case (`xfail`) expects until the leak is fixed."""


def check_marker(case: RouteCase, world: World) -> None:
    """The owner sees his marker and not theirs; the list outsider sees theirs and not the owner's."""
    marker = case.marker
    assert marker is not None, f"{case.id} has no marker"
    if marker.figure is not None:
        _check_figure(case, world, marker, marker.figure)
        return
    marker.mine(world, MINE)
    if marker.theirs:
        marker.theirs(world, THEIRS)
    shown = _shown(case, world, case.owner)
    assert MINE in shown, f"{case.id}: the owner {case.owner} does not see his own marker record"
    if THEIRS in shown:
        raise Leak(f"{case.id}: the owner {case.owner} sees a record outside his scope")
    if marker.outsider:
        shown = _shown(case, world, marker.outsider)
        if MINE in shown:
            raise Leak(f"{case.id}: {marker.outsider} sees the owner's marker record")
        if marker.theirs:
            assert THEIRS in shown, f"{case.id}: {marker.outsider} does not see his own marker record"


def _shown(case: RouteCase, world: World, username: str) -> str:
    response = request_as(case, world, username)
    assert response.status_code in case.ok, f"{case.id} as {username}: {response.status_code}"
    return response_text(response)


def _check_figure(case: RouteCase, world: World, marker: Marker, figure: Callable[[Any], float]) -> None:
    def read() -> tuple[float, float | None]:
        mine = figure(request_as(case, world, case.owner))
        theirs = figure(request_as(case, world, marker.outsider)) if marker.outsider else None
        return mine, theirs

    owner_before, outsider_before = read()
    marker.mine(world, MINE)
    owner_after, outsider_after = read()
    assert owner_after != owner_before, f"{case.id}: the owner's figure does not count his marker record"
    if outsider_after != outsider_before:
        raise Leak(f"{case.id}: {marker.outsider}'s figure counts the owner's record")
    if marker.theirs:
        marker.theirs(world, THEIRS)
        owner_last, outsider_last = read()
        if owner_last != owner_after:
            raise Leak(f"{case.id}: the owner's figure counts a record outside his scope")
        if marker.outsider:
            assert outsider_last != outsider_after, f"{case.id}: {marker.outsider}'s figure misses his own record"


def check_write(case: RouteCase, world: World) -> None:
    """The owner's write succeeds, changes the database as `effect` says and leaves an audit row naming him."""
    from xingyao.core.models import AuditEntry

    rows = AuditEntry.objects.unscoped("the suite reads the rows a request wrote")
    last = rows.order_by("-id").values_list("id", flat=True).first() or 0
    response = request_as(case, world, case.owner)
    assert response.status_code in case.ok, getattr(response, "content", b"")[:500]
    assert case.effect is not None, f"{case.id} has no effect"
    case.effect(world)
    if case.audit:
        actors = set(rows.filter(id__gt=last).values_list("actor__username", flat=True))
        assert case.owner in actors, f"{case.id}: no audit row names {case.owner} (rows by {actors or 'nobody'})"


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
    "home:index": "redirects to home or login",
    "accounts:login": "public by nature",
    "core:healthz": "the proxy's health check: answers 'ok', reads nothing",
    "core:manifest": "the installable app's name and icon, the same for everyone: no data",
    "core:service_worker": "the offline shell's script, the same for everyone: tested in core/tests/test_offline.py",
    "core:offline": "the no-signal page, the same for everyone: no data",
    "accounts:logout": "ends the caller's own session",
    "api:openapi-json": "the schema, no data",
    "api:openapi-view": "the docs page, no data",
    "api:api-root": "lists the routes, no data",
    "grid:public_report": "the residents' public form: no login by design; tested in grid/tests/test_public.py",
    "grid:track": "a resident checks his report by number and code: no login by design; see grid/tests/test_track.py",
    "public:index": "the public site's front: counties and towns only; see assessments/tests/test_public_site.py",
    "public:board": "a public board (公示栏) needs no login by design; see assessments/tests/test_public_site.py",
    "public:notice": "the public 公示 page needs no login by design; see assessments/tests/test_public.py",
    "public:objection": "the public objection form needs no login by design; see assessments/tests/test_public.py",
}


def fast_test_settings() -> dict[str, Any]:
    return {
        "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
        "XINGYAO_SCOPE_GUARD": True,
        "STORAGES": {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    }
