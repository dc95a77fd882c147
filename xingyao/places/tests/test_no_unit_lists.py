"""No page offers a flat list of units: every unit field is a picker that searches (a town has ~900 units with
its grids, a province a million). Each persona opens every page with a unit field; every page route of the
permission registry is opened by its owner; no `<select>` may name a unit field or list a unit."""

from __future__ import annotations

from html.parser import HTMLParser

from xingyao.core.testing import all_route_cases
from xingyao.grid.tests import factories as f
from xingyao.places.models import Unit
from xingyao.stars.tests.fixtures import draft_set

UNIT_FIELDS = {"unit", "village", "grid", "town", "county", "department", "lead_department", "team", "parent_unit"}
UNIT_FIELDS |= {"review_department", "within"}


class Selects(HTMLParser):
    """The page's `<select>`s (and unit fields as checkboxes): name → the texts of their options."""

    def __init__(self) -> None:
        super().__init__()
        self.found: dict[str, list[str]] = {}
        self._select: str | None = None
        self._in_option = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "input" and found.get("type") in ("checkbox", "radio") and found.get("name") in UNIT_FIELDS:
            self.found.setdefault(str(found["name"]), [])  # a list of units as boxes to tick is a list too
        if tag == "select":
            self._select = dict(attrs).get("name") or dict(attrs).get("id") or "?"
            self.found.setdefault(self._select, [])
        elif tag == "option" and self._select is not None:
            self._in_option = True
            self.found[self._select].append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        if tag in ("option", "select"):
            self._in_option = False

    def handle_data(self, data: str) -> None:
        if self._in_option and self._select is not None:
            self.found[self._select][-1] += data.strip()


def unit_lists(html: str, unit_names: set[str]) -> list[str]:
    """The selects of `html` that are lists of units: by their name, or because an option is a unit."""
    parser = Selects()
    parser.feed(html)
    return [
        name
        for name, options in parser.found.items()
        if name in UNIT_FIELDS or any(text in unit_names or text.split("（")[0] in unit_names for text in options)
    ]


def _form_pages(world) -> list[str]:  # type: ignore[no-untyped-def]
    f.categories(world)
    accepted = f.event(world, state="accepted")  # the dispatch form shows
    dispute = f.dispute(world)  # the triage form shows
    star = draft_set(world).stars.get(code="safety")
    town = world.unit("溧河铺镇")
    return [
        "/grid/",
        "/grid/?village=" + str(world.unit("毛桥村").pk),
        "/grid/new/",
        "/grid/map/",
        f"/grid/{accepted.pk}/",
        f"/grid/people/{town.code}/",
        "/disputes/",
        "/disputes/new/",
        f"/disputes/{dispute.pk}/",
        "/stars/criteria/new/",
        f"/stars/criteria/stars/{star.pk}/edit/",
        "/accounts/users/new/",
        f"/accounts/users/{world.user('maoqiao').pk}/",
        f"/accounts/users/{world.user('wangge').pk}/",
    ]


def test_no_persona_sees_a_list_of_units_on_any_form_page(world, client):
    pages = _form_pages(world)
    names = set(Unit.objects.values_list("name", flat=True))
    seen_pickers = 0
    problems = []
    for username, user in world.users.items():
        client.force_login(user)
        for path in pages:
            response = client.get(path)
            if response.status_code != 200:
                continue
            html = response.content.decode()
            seen_pickers += html.count("data-unit-picker")
            problems += [f"{username} {path}: <select {name}>" for name in unit_lists(html, names)]
    assert not problems
    assert seen_pickers > 40  # the pages were forms indeed: the dispatch, triage, report, filters, users …


def test_no_page_route_lists_units_for_its_owner(world, client):
    names = set(Unit.objects.values_list("name", flat=True))
    problems = []
    opened = 0
    for case in all_route_cases():
        if case.method != "GET" or case.api:
            continue
        client.force_login(world.user(case.owner))
        response = client.get(case.path(world))
        if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
            continue
        opened += 1
        problems += [f"{case.id}: <select {name}>" for name in unit_lists(response.content.decode(), names)]
    assert not problems
    assert opened > 30


def test_the_check_finds_a_list_of_units_by_name_or_by_its_options():
    names = {"毛桥村", "溧河铺派出所"}
    assert unit_lists('<select name="village"><option value="1">甲</option></select>', names) == ["village"]
    assert unit_lists('<select name="x"><option>溧河铺派出所</option></select>', names) == ["x"]
    assert unit_lists('<select name="x"><option>毛桥村（村/社区 · 溧河铺镇）</option></select>', names) == ["x"]
    assert unit_lists('<input type="checkbox" name="team" value="3">', names) == ["team"]
    assert (
        unit_lists('<select name="role"><option>网格员</option></select><input type="hidden" name="team">', names) == []
    )
