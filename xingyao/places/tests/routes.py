import datetime as dt

from xingyao.core.models import WorkdayOverride
from xingyao.core.testing import Marker, RouteCase, RouteKind, every, expect
from xingyao.places.codes import Kind
from xingyao.places.models import Unit


def _unit(name: str):  # type: ignore[no-untyped-def]
    return lambda w: f"/units/{w.unit(name).code}/"


def _grid_in(village: str, prefix: str = ""):  # type: ignore[no-untyped-def]
    return lambda w, text: w.new_unit(village, f"{prefix}{text}", Kind.GRID)


def _units():  # type: ignore[no-untyped-def]
    return every(Unit)


ROUTES = [
    # Everyone may search; what he finds is his own scope.
    RouteCase(
        "places:unit_search",
        lambda w: "/units/search/?q=毛桥",
        outsider="",
        kind=RouteKind.LIST,
        marker=Marker(mine=_grid_in("毛桥村", "毛桥"), theirs=_grid_in("庄营村", "毛桥"), outsider="zhuangying"),
    ),
    RouteCase(
        "places:unit_search",
        lambda w: f"/units/search/?q=网格&within={w.unit('毛桥村').code}",
        label="GET places:unit_search within a unit",
        kind=RouteKind.LIST,
        marker=Marker(mine=_grid_in("毛桥村", "网格"), theirs=_grid_in("庄营村", "网格")),
    ),
    RouteCase("places:unit", _unit("毛桥村"), kind=RouteKind.DETAIL),
    RouteCase(
        "places:unit_export",
        lambda w: f"/units/{w.unit('毛桥村').code}/export/grids.xlsx",
        kind=RouteKind.EXPORT,
        marker=Marker(mine=_grid_in("毛桥村"), theirs=_grid_in("庄营村")),
    ),
    RouteCase(
        "places:unit_create",
        lambda w: f"/units/{w.unit('毛桥村').code}/new/",
        owner="zhen",
        outsider="shian",
        write=True,
        kind=RouteKind.FORM,
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
        effect=expect(
            lambda w: (
                _units().filter(code=w.unit("毛桥村").code + "009", name="第9网格", parent=w.unit("毛桥村")).exists()
            ),
            "the grid is created under 毛桥村",
        ),
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
        effect=expect(lambda w: _units().get(pk=w.unit("毛桥村").pk).households == 500, "毛桥村 has 500 households"),
    ),
    RouteCase(
        "places:unit_import",
        lambda w: f"/units/{w.unit('溧河铺镇').code}/import/grids/",
        owner="zhen",
        outsider="shian",
        write=True,
        kind=RouteKind.FORM,
    ),
    RouteCase("api:unit_detail", lambda w: f"/api/v1/units/{w.unit('毛桥村').code}", api=True, kind=RouteKind.DETAIL),
    RouteCase(
        "api:search",
        lambda w: "/api/v1/units/search?q=毛桥",
        api=True,
        outsider="",
        kind=RouteKind.LIST,
        # Both grids match the search text; only the one in his village is the owner's.
        marker=Marker(mine=_grid_in("毛桥村", "毛桥"), theirs=_grid_in("庄营村", "毛桥"), outsider="zhuangying"),
    ),
    RouteCase(
        "api:unit_children",
        lambda w: f"/api/v1/units/{w.unit('毛桥村').code}/children",
        api=True,
        kind=RouteKind.LIST,
        marker=Marker(mine=_grid_in("毛桥村"), theirs=_grid_in("庄营村")),
    ),
]


def _workday(unit: str):  # type: ignore[no-untyped-def]
    return lambda w, text: WorkdayOverride.objects.create(
        unit=w.unit(unit), day=dt.date(2024, 10, 8), is_workday=True, note=text
    )


def _overrides(w):  # type: ignore[no-untyped-def]
    return every(WorkdayOverride).filter(unit=w.unit("溧河铺镇"))


def _override(w):  # type: ignore[no-untyped-def]
    override = WorkdayOverride.objects.create(unit=w.unit("溧河铺镇"), day=dt.date(2024, 5, 6), is_workday=False)
    return f"/units/workdays/remove/{override.pk}/"


ROUTES += [
    RouteCase(
        "places:workdays",
        lambda w: f"/units/{w.unit('溧河铺镇').code}/workdays/",
        owner="zhen",
        outsider="shian",
        write=True,
        kind=RouteKind.LIST,
        marker=Marker(mine=_workday("溧河铺镇"), theirs=_workday("施庵镇")),
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
        effect=expect(
            lambda w: _overrides(w).filter(day=dt.date(2024, 5, 6), is_workday=True, note="防汛值班").exists(),
            "the override is saved",
        ),
    ),
    RouteCase(
        "places:workday_remove",
        _override,
        method="POST",
        owner="zhen",
        outsider="shian",
        write=True,
        ok=(302,),
        effect=expect(lambda w: not _overrides(w).exists(), "the override is gone"),
    ),
]
