from xingyao.briefings.models import Briefing, State
from xingyao.briefings.tests import factories as f
from xingyao.core.testing import Marker, RouteCase, RouteKind, every, expect

TOWN = {"owner": "zhen", "outsider": "shian"}


def _mine(w) -> int:  # type: ignore[no-untyped-def]
    return f.generated(w).pk


ROUTES = [
    RouteCase(
        "briefings:list",
        lambda w: "/briefings/",
        kind=RouteKind.LIST,
        owner="zhen",
        outsider="",
        marker=Marker(
            mine=lambda w, text: f.snapshot(w, "溧河铺镇", text),
            theirs=lambda w, text: f.snapshot(w, "施庵镇", text),
            outsider="shian",
        ),
    ),
    RouteCase("briefings:new", lambda w: "/briefings/new/", kind=RouteKind.FORM, write=True, owner="zhen", outsider=""),
    RouteCase(
        "briefings:new",
        lambda w: "/briefings/new/",
        method="POST",
        data=lambda w: {"unit": w.unit("溧河铺镇").pk, "period": "up_to", "year": "2023", "until": "2023-09-19"},
        write=True,
        owner="zhen",
        outsider="",
        ok=(302,),
        label="POST briefings:new (a town, at once)",
        effect=expect(
            lambda w: every(Briefing).filter(unit__name="溧河铺镇", last_day="2023-09-19").exists(),
            "the town's briefing is saved",
        ),
    ),
    RouteCase("briefings:detail", lambda w: f"/briefings/{_mine(w)}/", kind=RouteKind.DETAIL, **TOWN),
    RouteCase("briefings:compare", lambda w: f"/briefings/{_mine(w)}/compare/", kind=RouteKind.DETAIL, **TOWN),
    RouteCase("briefings:docx", lambda w: f"/briefings/{_mine(w)}/briefing.docx", kind=RouteKind.FILE, **TOWN),
    RouteCase("briefings:pdf", lambda w: f"/briefings/{_mine(w)}/briefing.pdf", kind=RouteKind.FILE, **TOWN),
    RouteCase(
        "briefings:next_steps",
        lambda w: f"/briefings/{_mine(w)}/next-steps/",
        method="POST",
        data=lambda w: {"next_steps": "下一步，继续抓好网格化管理。"},
        write=True,
        ok=(302,),
        effect=expect(
            lambda w: every(Briefing).filter(next_steps="下一步，继续抓好网格化管理。").exists(),
            "the edited next steps are saved",
        ),
        **TOWN,
    ),
    RouteCase(
        "briefings:issue",
        lambda w: f"/briefings/{_mine(w)}/issue/",
        method="POST",
        write=True,
        ok=(302,),
        effect=expect(lambda w: every(Briefing).filter(state=State.ISSUED).exists(), "the briefing is issued"),
        **TOWN,
    ),
]
