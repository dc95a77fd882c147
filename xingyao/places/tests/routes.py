from xingyao.core.testing import RouteCase


def _unit(name: str):  # type: ignore[no-untyped-def]
    return lambda w: f"/units/{w.unit(name).code}/"


ROUTES = [
    # Everyone may search; what he finds is his own scope (the outsider's results are tested in test_unit_picker).
    RouteCase("places:unit_search", lambda w: "/units/search/?q=毛桥", outsider=""),
    RouteCase(
        "places:unit_search",
        lambda w: f"/units/search/?q=网格&within={w.unit('毛桥村').code}",
        label="GET places:unit_search within a unit",
    ),
    RouteCase("places:unit", _unit("毛桥村")),
    RouteCase("places:unit_export", lambda w: f"/units/{w.unit('毛桥村').code}/export/grids.xlsx"),
    RouteCase(
        "places:unit_create",
        lambda w: f"/units/{w.unit('毛桥村').code}/new/",
        owner="zhen",
        outsider="shian",
        write=True,
    ),
    RouteCase(
        "places:unit_create",
        lambda w: f"/units/{w.unit('毛桥村').code}/new/",
        method="POST",
        owner="zhen",
        outsider="shian",
        write=True,
        ok=(302,),
        label="POST places:unit_create",
        data=lambda w: {"code": w.unit("毛桥村").code + "009", "name": "第9网格", "kind": "grid"},
    ),
    RouteCase(
        "places:unit_edit",
        lambda w: f"/units/{w.unit('毛桥村').code}/edit/",
        method="POST",
        owner="zhen",
        outsider="shian",
        write=True,
        ok=(302,),
        data=lambda w: {"name": "毛桥村", "households": 500, "active": "on"},
    ),
    RouteCase(
        "places:unit_import",
        lambda w: f"/units/{w.unit('溧河铺镇').code}/import/grids/",
        owner="zhen",
        outsider="shian",
        write=True,
    ),
    RouteCase("api:unit_detail", lambda w: f"/api/v1/units/{w.unit('毛桥村').code}", api=True),
    RouteCase("api:search", lambda w: "/api/v1/units/search?q=毛桥", api=True, outsider=""),
    RouteCase("api:unit_children", lambda w: f"/api/v1/units/{w.unit('毛桥村').code}/children", api=True),
]


def _override(w):  # type: ignore[no-untyped-def]
    import datetime as dt

    from xingyao.core.models import WorkdayOverride

    override = WorkdayOverride.objects.create(unit=w.unit("溧河铺镇"), day=dt.date(2024, 5, 6), is_workday=False)
    return f"/units/workdays/remove/{override.pk}/"


ROUTES += [
    RouteCase(
        "places:workdays",
        lambda w: f"/units/{w.unit('溧河铺镇').code}/workdays/",
        owner="zhen",
        outsider="shian",
        write=True,
    ),
    RouteCase(
        "places:workdays",
        lambda w: f"/units/{w.unit('溧河铺镇').code}/workdays/",
        method="POST",
        owner="zhen",
        outsider="shian",
        write=True,
        ok=(302,),
        label="POST places:workdays",
        data=lambda w: {"day": "2024-05-06", "is_workday": "1", "note": "防汛值班"},
    ),
    RouteCase("places:workday_remove", _override, method="POST", owner="zhen", outsider="shian", write=True, ok=(302,)),
]
