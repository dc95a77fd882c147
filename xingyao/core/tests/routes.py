from xingyao.core.testing import RouteCase

ROUTES = [
    RouteCase("core:home", lambda w: "/home/", outsider="", readonly=None),
    RouteCase("core:audit", lambda w: "/audit/", owner="zhen", outsider="", write=True),
]
