"""The marker check can fail: run against a deliberately leaky list it does, against the scoped twin it passes."""

from __future__ import annotations

import json

import pytest

from xingyao.core.testing import Leak, Marker, RouteCase, RouteKind, check_marker
from xingyao.grid.tests import factories as f


def _case(leaky: bool, shape: str = "", *, theirs: bool = True, figure: bool = False) -> RouteCase:
    marker = Marker(
        mine=lambda w, text: f.event(w, title=text),
        theirs=(lambda w, text: f.event(w, unit="庄营村第1网格", title=text)) if theirs else None,
        outsider="zhuangying",
        figure=(lambda r: json.loads(r.content)["count"]) if figure else None,
    )
    where = "leaky" if leaky else "scoped"
    return RouteCase("test:events", lambda w: f"/{where}/?as={shape}", kind=RouteKind.LIST, marker=marker)


SHAPES = ["", "json", "xlsx"]
pytestmark = pytest.mark.urls("xingyao.core.tests.leaky_urls")


@pytest.mark.parametrize("shape", SHAPES)
def test_a_scoped_list_passes_the_marker_check(world, shape: str) -> None:
    check_marker(_case(leaky=False, shape=shape), world)


@pytest.mark.parametrize("shape", SHAPES)
def test_a_list_showing_another_villages_rows_fails_the_marker_check(world, shape: str) -> None:
    with pytest.raises(Leak, match="sees a record outside his scope"):
        check_marker(_case(leaky=True, shape=shape), world)


def test_a_leak_seen_only_by_the_outsider_fails_the_marker_check(world) -> None:
    with pytest.raises(Leak, match="zhuangying sees the owner's marker record"):
        check_marker(_case(leaky=True, shape="json", theirs=False), world)


def test_a_scoped_count_passes_the_figure_check(world) -> None:
    check_marker(_case(leaky=False, shape="count", figure=True), world)


def test_a_count_of_every_village_fails_the_figure_check(world) -> None:
    with pytest.raises(Leak, match="figure counts the owner's record"):
        check_marker(_case(leaky=True, shape="count", figure=True), world)
