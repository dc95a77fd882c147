from xingyao.core.testing import RouteCase
from xingyao.grid.tests import factories as f


def _event(state="reported", **kwargs):  # type: ignore[no-untyped-def]
    return lambda w: f"/grid/{f.event(w, state=state, **kwargs).pk}/"


def _api_event(suffix: str = "", state: str = "reported"):  # type: ignore[no-untyped-def]
    return lambda w: f"/api/v1/grid/events/{f.event(w, state=state).pk}{suffix}"


def _photo(w) -> str:  # type: ignore[no-untyped-def]
    return f"/grid/photos/{f.stored_photo(f.event(w)).pk}/"


def _report_data(w):  # type: ignore[no-untyped-def]
    cats = f.categories(w)
    return {
        "unit": w.unit("毛桥村第1网格").pk,
        "category": cats["HJWS-LJ"].pk,
        "title": "垃圾堆放",
        "description": "路边",
    }


def _category(w) -> str:  # type: ignore[no-untyped-def]
    return f"/grid/categories/{f.categories(w)['HJWS-LJ'].pk}/edit/"


def _category_data(w):  # type: ignore[no-untyped-def]
    return {
        "code": "HJWS-LJ",
        "name": "垃圾乱堆乱放",
        "parent": f.categories(w)["HJWS"].pk,
        "deadline_days": 3,
        "active": "on",
    }


VILLAGE = "毛桥村"
TOWN_ADMIN = {"owner": "zhen", "outsider": "shian", "write": True}
SUPERVISE = {"owner": "lingdao", "readonly": "zhen_shenhe", "write": True}
ROUTES = [
    RouteCase("grid:events", lambda w: "/grid/", outsider=""),
    RouteCase(
        "grid:events", lambda w: "/grid/?tab=todo&level=red&q=可疑", outsider="", label="GET grid:events filtered"
    ),
    RouteCase("grid:report", lambda w: "/grid/new/", owner="wangge", outsider="", write=True),
    RouteCase(
        "grid:report",
        lambda w: "/grid/new/",
        method="POST",
        owner="wangge",
        outsider="",
        write=True,
        ok=(302,),
        data=_report_data,
        label="POST grid:report",
    ),
    RouteCase("grid:map", lambda w: "/grid/map/", outsider=""),
    RouteCase("grid:export", lambda w: "/grid/ledger.xlsx", outsider=""),
    RouteCase("grid:event", _event()),
    RouteCase(
        "grid:event_act",
        lambda w: f"/grid/{f.event(w).pk}/act/",
        method="POST",
        owner="wangge",
        write=True,
        ok=(302,),
        data=lambda w: {"action": "accept"},
    ),
    RouteCase(
        "grid:event_supervise",
        lambda w: f"/grid/{f.event(w, state='dispatched').pk}/supervise/",
        method="POST",
        ok=(302,),
        data=lambda w: {"level": "red", "reason": "群众反映强烈，限期办结"},
        **SUPERVISE,
    ),
    RouteCase("grid:photo", _photo),
    RouteCase("grid:categories", lambda w: "/grid/categories/", outsider=""),
    RouteCase(
        "grid:category_new",
        lambda w: f"/grid/categories/new/{w.unit('新野县').code}/",
        owner="xian",
        outsider="",
        write=True,
    ),
    RouteCase(
        "grid:category_edit",
        _category,
        method="POST",
        owner="xian",
        outsider="",
        write=True,
        ok=(302,),
        data=_category_data,
    ),
    RouteCase("grid:people", lambda w: f"/grid/people/{w.unit(VILLAGE).code}/"),
    RouteCase("grid:people_export", lambda w: f"/grid/people/{w.unit(VILLAGE).code}/export.xlsx"),
    RouteCase("grid:people_import", lambda w: f"/grid/people/{w.unit(VILLAGE).code}/import/", **TOWN_ADMIN),
    RouteCase(
        "grid:post_add",
        lambda w: f"/grid/people/{w.unit(VILLAGE).code}/add/",
        method="POST",
        ok=(302,),
        data=lambda w: {"grid": w.unit("毛桥村第1网格").pk, "username": "wangge", "post": "head"},
        **TOWN_ADMIN,
    ),
    RouteCase("grid:resident_link", lambda w: f"/grid/links/{w.unit(VILLAGE).code}/", **TOWN_ADMIN),
    RouteCase(
        "grid:resident_link",
        lambda w: f"/grid/links/{w.unit(VILLAGE).code}/",
        method="POST",
        ok=(302,),
        label="POST grid:resident_link",
        **TOWN_ADMIN,
    ),
    # API
    RouteCase("api:event_categories", lambda w: "/api/v1/grid/categories", api=True, outsider=""),
    RouteCase("api:grid_events", lambda w: "/api/v1/grid/events?tab=all", api=True, outsider=""),
    RouteCase(
        "api:report_event",
        lambda w: "/api/v1/grid/events",
        method="POST",
        api=True,
        owner="wangge",
        write=True,
        ok=(201,),
        data=lambda w: {
            "unit_code": w.unit("毛桥村第1网格").code,
            "category_code": f.categories(w)["HJWS-LJ"].code,
            "title": "垃圾堆放",
            "description": "村东路边垃圾堆放",
        },
    ),
    RouteCase("api:grid_event", _api_event(), api=True),
    RouteCase(
        "api:event_transition",
        _api_event("/transitions"),
        method="POST",
        api=True,
        owner="wangge",
        write=True,
        data=lambda w: {"action": "accept"},
    ),
    # The suite posts JSON, so the owner gets the "no photo chosen" answer; uploads are tested on their own.
    RouteCase(
        "api:event_photo_upload", _api_event("/photos"), method="POST", api=True, owner="wangge", write=True, ok=(400,)
    ),
    RouteCase("api:event_photo_file", lambda w: f"/api/v1/grid/photos/{f.stored_photo(f.event(w)).pk}", api=True),
    RouteCase(
        "api:event_supervision",
        _api_event("/supervision", state="dispatched"),
        method="POST",
        api=True,
        data=lambda w: {"level": "yellow", "reason": "请加快办理"},
        **SUPERVISE,
    ),
    RouteCase("api:event_figures", lambda w: "/api/v1/grid/figures", api=True, outsider=""),
    RouteCase(
        "api:event_figures",
        lambda w: f"/api/v1/grid/figures?unit={w.unit(VILLAGE).code}",
        api=True,
        label="GET api:event_figures of a village",
    ),
]
