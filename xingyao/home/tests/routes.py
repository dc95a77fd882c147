from xingyao.core.testing import Marker, RouteCase, RouteKind
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
    # The help text is the same for everyone (his own roles shown first): no scoped rows.
    RouteCase("home:help", lambda w: "/help/", outsider="", readonly=None, kind=RouteKind.CATALOGUE),
]
