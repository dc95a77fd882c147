from xingyao.core.testing import RouteCase

ROUTES = [
    RouteCase("core:home", lambda w: "/home/", outsider="", readonly=None),
    RouteCase("core:audit", lambda w: "/audit/", owner="zhen", outsider="", write=True),
]


def _override(w):  # type: ignore[no-untyped-def]
    import datetime as dt

    from xingyao.core.models import WorkdayOverride

    override = WorkdayOverride.objects.create(unit=w.unit("溧河铺镇"), day=dt.date(2024, 5, 6), is_workday=False)
    return f"/workdays/remove/{override.pk}/"


ROUTES += [
    RouteCase(
        "core:workdays", lambda w: f"/workdays/{w.unit('溧河铺镇').code}/", owner="zhen", outsider="shian", write=True
    ),
    RouteCase(
        "core:workdays",
        lambda w: f"/workdays/{w.unit('溧河铺镇').code}/",
        method="POST",
        owner="zhen",
        outsider="shian",
        write=True,
        ok=(302,),
        label="POST core:workdays",
        data=lambda w: {"day": "2024-05-06", "is_workday": "1", "note": "防汛值班"},
    ),
    RouteCase("core:workday_remove", _override, method="POST", owner="zhen", outsider="shian", write=True, ok=(302,)),
]
