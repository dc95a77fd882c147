from decimal import Decimal

from xingyao.accounts.models import Membership, User
from xingyao.core.testing import Marker, RouteCase, RouteKind, every, expect
from xingyao.demo.testing import PASSWORD
from xingyao.grid.models import Event, EventCategory, EventPhoto, EventStep, GridPost, ResidentLink
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
        "deadline_days": 4,
        "active": "on",
    }


def _event_in(unit: str, **fields):  # type: ignore[no-untyped-def]
    """A marker event titled by the marker text (placed on the map: it carries a position)."""
    return lambda w, text: f.event(
        w, unit=unit, title=text, latitude=Decimal("32.52"), longitude=Decimal("112.36"), **fields
    )


# The filtered worklist: a town admin's 待办, red, with 可疑 in the title.
def _red_todo(unit: str):  # type: ignore[no-untyped-def]
    return lambda w, text: f.event(w, unit=unit, title=f"可疑{text}", manual_level="red", reporter=None)


def _category_in(county: str):  # type: ignore[no-untyped-def]
    return lambda w, text: EventCategory.objects.create(county=w.unit(county), code="T1", name=text, full_name=text)


def _grid_head(grid: str):  # type: ignore[no-untyped-def]
    """A 网格长 of `grid` whose full name is the marker."""

    def make(w, text: str) -> GridPost:  # type: ignore[no-untyped-def]
        user = User.objects.create_user(f"marker{every(User).count()}", password=PASSWORD, full_name=text)
        membership = Membership.objects.create(user=user, unit=w.unit(grid), role="grid_worker")
        return GridPost.objects.create(membership=membership, unit=w.unit(grid), post="worker")

    return make


def _the_event(w) -> Event:  # type: ignore[no-untyped-def]
    return every(Event).get()


def _reported(title: str):  # type: ignore[no-untyped-def]
    return expect(
        # He is that grid's worker: his own report is accepted on submit.
        lambda w: every(Event).filter(title=title, reporter=w.user("wangge"), state="accepted").exists(),
        f"wangge's event 「{title}」 is reported and accepted",
    )


def _total(response) -> float:  # type: ignore[no-untyped-def]
    return response.json()["total"]


EVENTS = Marker(mine=_event_in("毛桥村第1网格"), theirs=_event_in("庄营村第1网格"), outsider="zhuangying")
ACCEPTED = expect(lambda w: _the_event(w).state == "accepted", "the event is accepted")
VILLAGE = "毛桥村"
TOWN_ADMIN = {"owner": "zhen", "outsider": "shian", "write": True}
SUPERVISE = {"owner": "lingdao", "readonly": "zhen_shenhe", "write": True}
ROUTES = [
    RouteCase("grid:events", lambda w: "/grid/", outsider="", kind=RouteKind.LIST, marker=EVENTS),
    RouteCase(
        "grid:events",
        lambda w: "/grid/?tab=todo&level=red&q=可疑",
        owner="zhen",
        outsider="",
        label="GET grid:events filtered",
        kind=RouteKind.LIST,
        marker=Marker(mine=_red_todo("毛桥村第1网格"), theirs=_red_todo("施东村"), outsider="shian"),
    ),
    RouteCase(
        "grid:events",
        lambda w: "/grid/?number=0417",
        outsider="",
        label="GET grid:events by number",
        kind=RouteKind.LIST,
        marker=Marker(
            mine=lambda w, text: f.event(w, title=text, pk=710417),
            theirs=lambda w, text: f.event(w, unit="庄营村第1网格", title=text, pk=720417),
            outsider="zhuangying",
        ),
    ),
    RouteCase("grid:report", lambda w: "/grid/new/", owner="wangge", outsider="", write=True, kind=RouteKind.FORM),
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
        effect=_reported("垃圾堆放"),
    ),
    RouteCase("grid:map", lambda w: "/grid/map/", outsider="", kind=RouteKind.LIST, marker=EVENTS),
    RouteCase("grid:export", lambda w: "/grid/ledger.xlsx", outsider="", kind=RouteKind.EXPORT, marker=EVENTS),
    RouteCase("grid:event", _event(), kind=RouteKind.DETAIL),
    RouteCase(
        "grid:event_act",
        lambda w: f"/grid/{f.event(w).pk}/act/",
        method="POST",
        owner="wangge",
        write=True,
        ok=(302,),
        data=lambda w: {"action": "accept"},
        effect=ACCEPTED,
    ),
    RouteCase(
        "grid:event_note",
        lambda w: f"/grid/{f.event(w, state='accepted').pk}/note/",
        method="POST",
        owner="wangge",
        write=True,
        ok=(302,),
        data=lambda w: {"text": "现场查看：可疑车辆已离开"},
        effect=expect(
            lambda w: every(EventStep).filter(action="note", reason="现场查看：可疑车辆已离开").count() == 1,
            "the note is on the event's history",
        ),
    ),
    RouteCase(
        "grid:event_supervise",
        lambda w: f"/grid/{f.event(w, state='dispatched').pk}/supervise/",
        method="POST",
        ok=(302,),
        data=lambda w: {"level": "red", "reason": "群众反映强烈，限期办结"},
        effect=expect(lambda w: _the_event(w).manual_level == "red", "the event is under red supervision"),
        **SUPERVISE,
    ),
    RouteCase("grid:photo", _photo, kind=RouteKind.FILE),
    RouteCase(
        "grid:categories",
        lambda w: "/grid/categories/",
        outsider="",
        kind=RouteKind.LIST,
        marker=Marker(mine=_category_in("新野县"), theirs=_category_in("唐河县"), outsider="tanghe"),
    ),
    RouteCase(
        "grid:category_new",
        lambda w: f"/grid/categories/new/{w.unit('新野县').code}/",
        owner="xian",
        outsider="",
        write=True,
        kind=RouteKind.FORM,
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
        effect=expect(
            lambda w: every(EventCategory).get(county=w.unit("新野县"), code="HJWS-LJ").deadline_days == 4,
            "垃圾乱堆乱放 has a 4-day deadline",
        ),
    ),
    RouteCase(
        "grid:people",
        lambda w: f"/grid/people/{w.unit(VILLAGE).code}/",
        kind=RouteKind.LIST,
        marker=Marker(mine=_grid_head("毛桥村第1网格"), theirs=_grid_head("庄营村第1网格")),
    ),
    RouteCase(
        "grid:people_export",
        lambda w: f"/grid/people/{w.unit(VILLAGE).code}/export.xlsx",
        kind=RouteKind.EXPORT,
        marker=Marker(mine=_grid_head("毛桥村第1网格"), theirs=_grid_head("庄营村第1网格")),
    ),
    RouteCase(
        "grid:people_import",
        lambda w: f"/grid/people/{w.unit(VILLAGE).code}/import/",
        kind=RouteKind.FORM,
        **TOWN_ADMIN,
    ),
    RouteCase(
        "grid:post_add",
        lambda w: f"/grid/people/{w.unit(VILLAGE).code}/add/",
        method="POST",
        ok=(302,),
        data=lambda w: {"grid": w.unit("毛桥村第1网格").pk, "username": "wangge", "post": "head"},
        effect=expect(
            lambda w: every(GridPost).filter(membership__user=w.user("wangge"), post="head").exists(),
            "wangge is the 网格长",
        ),
        **TOWN_ADMIN,
    ),
    RouteCase(
        "grid:resident_link", lambda w: f"/grid/links/{w.unit(VILLAGE).code}/", kind=RouteKind.FORM, **TOWN_ADMIN
    ),
    RouteCase(
        "grid:resident_poster",
        lambda w: f"/grid/links/{w.unit(VILLAGE).code}/poster/",
        kind=RouteKind.DETAIL,
        owner="maoqiao",
        outsider="zhuangying",
    ),
    RouteCase(
        "grid:resident_link",
        lambda w: f"/grid/links/{w.unit(VILLAGE).code}/",
        method="POST",
        ok=(302,),
        label="POST grid:resident_link",
        effect=expect(
            lambda w: every(ResidentLink).filter(village=w.unit(VILLAGE), active=True).exists(), "毛桥村 has a link"
        ),
        **TOWN_ADMIN,
    ),
    # API
    RouteCase(
        "api:event_categories",
        lambda w: "/api/v1/grid/categories",
        api=True,
        outsider="",
        kind=RouteKind.LIST,
        marker=Marker(mine=_category_in("新野县"), theirs=_category_in("唐河县"), outsider="tanghe"),
    ),
    RouteCase(
        "api:grid_events",
        lambda w: "/api/v1/grid/events?tab=all",
        api=True,
        outsider="",
        kind=RouteKind.LIST,
        marker=EVENTS,
    ),
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
        effect=_reported("垃圾堆放"),
    ),
    RouteCase("api:grid_event", _api_event(), api=True, kind=RouteKind.DETAIL),
    RouteCase(
        "api:event_transition",
        _api_event("/transitions"),
        method="POST",
        api=True,
        owner="wangge",
        write=True,
        data=lambda w: {"action": "accept"},
        effect=ACCEPTED,
    ),
    RouteCase(
        "api:event_photo_upload",
        _api_event("/photos"),
        method="POST",
        api=True,
        multipart=True,
        data=lambda w: {"files": f.photo_upload(), "stage": "report"},
        owner="wangge",
        write=True,
        ok=(201,),
        effect=expect(lambda w: every(EventPhoto).filter(event=_the_event(w)).count() == 1, "the photo is stored"),
    ),
    RouteCase(
        "api:event_photo_file",
        lambda w: f"/api/v1/grid/photos/{f.stored_photo(f.event(w)).pk}",
        api=True,
        kind=RouteKind.FILE,
    ),
    RouteCase(
        "api:event_supervision",
        _api_event("/supervision", state="dispatched"),
        method="POST",
        api=True,
        data=lambda w: {"level": "yellow", "reason": "请加快办理"},
        effect=expect(lambda w: _the_event(w).manual_level == "yellow", "the event is under yellow supervision"),
        **SUPERVISE,
    ),
    RouteCase(
        "api:event_figures",
        lambda w: "/api/v1/grid/figures",
        api=True,
        outsider="",
        kind=RouteKind.FIGURES,
        marker=Marker(
            mine=_event_in("毛桥村第1网格"), theirs=_event_in("庄营村第1网格"), outsider="zhuangying", figure=_total
        ),
    ),
    # The town admin sees both villages: the figures of one must not count the other's events.
    RouteCase(
        "api:event_figures",
        lambda w: f"/api/v1/grid/figures?unit={w.unit(VILLAGE).code}",
        api=True,
        owner="zhen",
        label="GET api:event_figures of a village",
        kind=RouteKind.FIGURES,
        marker=Marker(mine=_event_in("毛桥村第1网格"), theirs=_event_in("庄营村第1网格"), figure=_total),
    ),
]
