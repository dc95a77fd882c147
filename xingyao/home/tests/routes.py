from xingyao.core.testing import Marker, RouteCase, RouteKind
from xingyao.grid.tests import factories as grid
from xingyao.places.codes import Kind

ROUTES = [
    RouteCase(
        "home:home",
        lambda w: "/home/",
        outsider="",
        readonly=None,
        kind=RouteKind.DASHBOARD,
        marker=Marker(
            mine=lambda w, text: w.new_unit("毛桥村", text, Kind.GRID),
            theirs=lambda w, text: w.new_unit("庄营村", text, Kind.GRID),
            outsider="zhuangying",
        ),
    ),
    # The header's number search: two events whose numbers end in the same digits, one in each village.
    RouteCase(
        "home:search",
        lambda w: "/search/?q=0417&go=0",
        outsider="",
        readonly=None,
        kind=RouteKind.LIST,
        marker=Marker(
            mine=lambda w, text: grid.event(w, title=text, pk=710417),
            theirs=lambda w, text: grid.event(w, unit="庄营村第1网格", title=text, pk=720417),
            outsider="zhuangying",
        ),
    ),
    # The help text is the same for everyone (his own roles shown first): no scoped rows.
    RouteCase("home:help", lambda w: "/help/", outsider="", readonly=None, kind=RouteKind.CATALOGUE),
]
