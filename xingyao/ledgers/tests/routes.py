from django.core.files.uploadedfile import SimpleUploadedFile

from xingyao.core.testing import Marker, RouteCase, RouteKind, every, expect
from xingyao.ledgers.models import Acceptance, Designation, FollowUp, Item, Progress, ProgressPhoto, StarWarning
from xingyao.ledgers.tests import factories as f
from xingyao.ledgers.workflow import DesignationState, Source, State, WarningState

TOWN = {"owner": "zhen", "outsider": "shian", "write": True}


def _item_in(village: str):  # type: ignore[no-untyped-def]
    return lambda w, text: f.item(w, village, problem=text)


def _designation_in(village: str):  # type: ignore[no-untyped-def]
    return lambda w, text: f.designation(w, village, decided_by=text)


def _photo(w) -> str:  # type: ignore[no-untyped-def]
    from xingyao.core.uploads import check_image
    from xingyao.partylife.tests.factories import photo

    stored = ProgressPhoto(progress=f.progress(w, f.item(w)))
    stored.fill_from(check_image(photo(), "现场.jpg"))
    stored.save()
    return f"/ledgers/photos/{stored.pk}/"


def _submitted(w):  # type: ignore[no-untyped-def]
    item = f.item(w, state=State.SUBMITTED)
    f.progress(w, item)
    return item


def _item_form(w):  # type: ignore[no-untyped-def]
    return {
        "village": w.unit("毛桥村").pk,
        "source": "star_gap",
        "problem": "文化广场缺失",
        "target": "建成 1280 平方米文化广场",
        "measure": "利用闲置宅基地",
        "steps": "规划、平整、铺装",
        "responsible": "毛德胜",
        "start_on": "2023-03-06",
        "days": "30",
    }


def _designation_form(w):  # type: ignore[no-untyped-def]
    return {
        "village": w.unit("毛桥村").pk,
        "year": "2023",
        "criteria": ["party_life"],
        "decided_on": "2023-03-01",
        "decided_by": "溧河铺镇党委",
        "county_leader": "张县",
        "town_leader": "李镇",
        "first_secretary": "王驻村",
        "twinned_unit": "县自然资源局",
    }


def _closed_items(w) -> str:  # type: ignore[no-untyped-def]
    designation = f.designation(w)
    f.item(w, designation=designation, state=State.CLOSED)
    return f"/ledgers/weak/{designation.pk}/close/"


def _warning_in(village: str):  # type: ignore[no-untyped-def]
    return lambda w, text: f.warning(w, village, origin_label=text)


def _ledger_csv(w) -> SimpleUploadedFile:  # type: ignore[no-untyped-def]
    header = "村（社区）代码,问题,目标,措施（三精准）,步骤,责任人（三明确）,开始日期,时限（工作日）,来源"
    row = f"{w.unit('毛桥村').code},村史馆年久失修,修缮村史馆,筹资修缮,设计、施工、验收,毛德胜,2023-03-06,20,创星短板"
    return SimpleUploadedFile("台账.csv", f"{header}\n{row}\n".encode())


WARNINGS = Marker(mine=_warning_in("毛桥村"), theirs=_warning_in("庄营村"), outsider="zhuangying")
COUNTY = {"owner": "xian", "outsider": "shian", "write": True}
ITEMS = Marker(mine=_item_in("毛桥村"), theirs=_item_in("庄营村"), outsider="zhuangying")

ROUTES = [
    RouteCase("ledgers:list", lambda w: "/ledgers/", outsider="", kind=RouteKind.LIST, marker=ITEMS),
    RouteCase("ledgers:export", lambda w: "/ledgers/ledger.xlsx", outsider="", kind=RouteKind.EXPORT, marker=ITEMS),
    RouteCase(
        "ledgers:new",
        lambda w: "/ledgers/new/",
        method="POST",
        data=_item_form,
        owner="zhen",
        outsider="",  # another town's admin is refused 毛桥村 on the form (test_pages)
        write=True,
        ok=(302,),
        effect=expect(lambda w: every(Item).filter(problem="文化广场缺失", days=30).exists(), "the item is opened"),
    ),
    RouteCase(
        "ledgers:new",
        lambda w: "/ledgers/new/",
        label="GET ledgers:new",
        owner="zhen",
        outsider="",
        kind=RouteKind.FORM,
        write=True,
    ),
    RouteCase("ledgers:item", lambda w: f"/ledgers/{f.item(w).pk}/", kind=RouteKind.DETAIL),
    RouteCase(
        "ledgers:progress",
        lambda w: f"/ledgers/{f.item(w).pk}/progress/",
        method="POST",
        data=lambda w: {"acted_on": "2023-04-02", "note": "地基完工"},
        write=True,
        ok=(302,),
        effect=expect(lambda w: every(Progress).filter(note="地基完工").exists(), "the progress is recorded"),
    ),
    RouteCase(
        "ledgers:submit",
        lambda w: f"/ledgers/{f.progress(w, f.item(w)).item_id}/submit/",
        method="POST",
        data=lambda w: {},
        write=True,
        ok=(302,),
        effect=expect(lambda w: every(Item).get().state == State.SUBMITTED, "acceptance is asked for"),
    ),
    RouteCase(
        "ledgers:accept",
        lambda w: f"/ledgers/{_submitted(w).pk}/accept/",
        method="POST",
        data=lambda w: {
            "method": "site",
            "score": "85",
            "satisfied": "0",
            "dissatisfied": "0",
            "accepted_on": "2023-05-08",
            "panel": "镇纪委 刘某",
        },
        **TOWN,
        ok=(302,),
        effect=expect(
            lambda w: every(Item).get().state == State.ACCEPTED and every(Acceptance).get().score == 85,
            "the item is accepted",
        ),
    ),
    RouteCase(
        "ledgers:reopen",
        lambda w: f"/ledgers/{f.item(w, state=State.FAILED).pk}/reopen/",
        method="POST",
        data=lambda w: {"start_on": "2023-05-09", "days": "10"},
        **TOWN,
        ok=(302,),
        effect=expect(lambda w: every(Item).get().state == State.OPEN and every(Item).get().rounds == 2, "reopened"),
    ),
    RouteCase(
        "ledgers:close",
        lambda w: f"/ledgers/{f.item(w, state=State.ACCEPTED).pk}/close/",
        method="POST",
        data=lambda w: {},
        **TOWN,
        ok=(302,),
        effect=expect(lambda w: every(Item).get().state == State.CLOSED, "the item is closed"),
    ),
    RouteCase("ledgers:photo", _photo, kind=RouteKind.FILE),
    RouteCase(
        "ledgers:designations",
        lambda w: "/ledgers/weak/",
        outsider="",
        kind=RouteKind.LIST,
        marker=Marker(mine=_designation_in("毛桥村"), theirs=_designation_in("庄营村"), outsider="zhuangying"),
    ),
    RouteCase(
        "ledgers:designate",
        lambda w: "/ledgers/weak/new/",
        method="POST",
        data=_designation_form,
        owner="zhen",
        outsider="",
        write=True,
        ok=(302,),
        effect=expect(lambda w: every(Designation).filter(year=2023, criteria=["party_life"]).exists(), "listed"),
    ),
    RouteCase(
        "ledgers:designate",
        lambda w: "/ledgers/weak/new/",
        label="GET ledgers:designate",
        owner="zhen",
        outsider="",
        kind=RouteKind.FORM,
        write=True,
    ),
    RouteCase("ledgers:designation", lambda w: f"/ledgers/weak/{f.designation(w).pk}/", kind=RouteKind.DETAIL),
    RouteCase(
        "ledgers:designation_close",
        _closed_items,
        method="POST",
        data=lambda w: {},
        **TOWN,
        ok=(302,),
        effect=expect(lambda w: every(Designation).get().state == DesignationState.CLOSED, "the rectification closed"),
    ),
    # API
    RouteCase(
        "api:ledger_items_list",
        lambda w: "/api/v1/ledgers/items",
        api=True,
        outsider="",
        kind=RouteKind.LIST,
        marker=ITEMS,
    ),
    RouteCase(
        "api:get_ledger_item", lambda w: f"/api/v1/ledgers/items/{f.item(w).pk}", api=True, kind=RouteKind.DETAIL
    ),
    RouteCase(
        "api:open_ledger_item",
        lambda w: "/api/v1/ledgers/items",
        method="POST",
        api=True,
        data=lambda w: _item_form(w) | {"village_code": w.unit("毛桥村").code, "days": 30},
        owner="zhen",
        outsider="shian",
        write=True,
        ok=(201,),
        effect=expect(lambda w: every(Item).filter(problem="文化广场缺失", days=30).exists(), "the item is opened"),
    ),
    RouteCase(
        "api:record_ledger_progress",
        lambda w: f"/api/v1/ledgers/items/{f.item(w).pk}/progress",
        method="POST",
        api=True,
        data=lambda w: {"acted_on": "2023-04-02", "note": "地基完工"},
        write=True,
        ok=(201,),
        effect=expect(lambda w: every(Progress).filter(note="地基完工").exists(), "the progress is recorded"),
    ),
    RouteCase(
        "api:submit_ledger_item",
        lambda w: f"/api/v1/ledgers/items/{f.progress(w, f.item(w)).item_id}/submit",
        method="POST",
        api=True,
        data=lambda w: {},
        write=True,
        effect=expect(lambda w: every(Item).get().state == State.SUBMITTED, "acceptance is asked for"),
    ),
    RouteCase(
        "api:accept_ledger_item",
        lambda w: f"/api/v1/ledgers/items/{_submitted(w).pk}/accept",
        method="POST",
        api=True,
        data=lambda w: {"method": "site", "score": 85, "accepted_on": "2023-05-08", "panel": "镇纪委 刘某"},
        **TOWN,
        effect=expect(lambda w: every(Item).get().state == State.ACCEPTED, "the item is accepted"),
    ),
    RouteCase(
        "api:reopen_ledger_item",
        lambda w: f"/api/v1/ledgers/items/{f.item(w, state=State.FAILED).pk}/reopen",
        method="POST",
        api=True,
        data=lambda w: {"start_on": "2023-05-09", "days": 10},
        **TOWN,
        effect=expect(lambda w: every(Item).get().rounds == 2, "reopened"),
    ),
    RouteCase(
        "api:close_ledger_item",
        lambda w: f"/api/v1/ledgers/items/{f.item(w, state=State.ACCEPTED).pk}/close",
        method="POST",
        api=True,
        data=lambda w: {},
        **TOWN,
        effect=expect(lambda w: every(Item).get().state == State.CLOSED, "the item is closed"),
    ),
    # star warnings
    RouteCase("ledgers:warnings", lambda w: "/ledgers/warnings/", outsider="", kind=RouteKind.LIST, marker=WARNINGS),
    RouteCase(
        "ledgers:warnings_export",
        lambda w: "/ledgers/warnings.xlsx",
        outsider="",
        kind=RouteKind.EXPORT,
        marker=WARNINGS,
    ),
    RouteCase("ledgers:warning", lambda w: f"/ledgers/warnings/{f.warning(w).pk}/", kind=RouteKind.DETAIL),
    RouteCase(
        "ledgers:warning_decide",
        lambda w: f"/ledgers/warnings/{f.warning(w).pk}/decide/",
        method="POST",
        data=lambda w: {"decision": "dismiss", "reason": "经核实，系外村人员在本村路段发生的事故"},
        **COUNTY,
        ok=(302,),
        effect=expect(lambda w: every(StarWarning).get().state == WarningState.DISMISSED, "checked and let be"),
    ),
    RouteCase(
        "api:star_warnings_list",
        lambda w: "/api/v1/ledgers/warnings",
        api=True,
        outsider="",
        kind=RouteKind.LIST,
        marker=WARNINGS,
    ),
    RouteCase(
        "api:get_star_warning", lambda w: f"/api/v1/ledgers/warnings/{f.warning(w).pk}", api=True, kind=RouteKind.DETAIL
    ),
    # follow-ups, gaps, import
    RouteCase(
        "ledgers:follow_up",
        lambda w: f"/ledgers/{f.closed(w).pk}/follow-up/",
        method="POST",
        data=lambda w: {"visited_on": "2023-08-10", "visitors": "镇组织办 刘某", "finding": "广场使用正常"},
        write=True,
        ok=(302,),
        effect=expect(lambda w: every(FollowUp).filter(finding="广场使用正常").exists(), "the visit is recorded"),
    ),
    RouteCase(
        "ledgers:gaps",
        lambda w: f"/ledgers/gaps/{f.plan(w).pk}/",
        label="GET ledgers:gaps",
        owner="zhen",
        outsider="shian",
        kind=RouteKind.FORM,
        write=True,
    ),
    RouteCase(
        "ledgers:gaps",
        lambda w: f"/ledgers/gaps/{f.plan(w).pk}/",
        method="POST",
        data=lambda w: {
            "gaps": ["0", "1"],
            "measure": "新建活动室",
            "steps": "选址、施工、验收",
            "responsible": "毛德胜",
            "start_on": "2023-04-03",
            "days": "30",
        },
        owner="zhen",
        outsider="shian",
        write=True,
        ok=(302,),
        effect=expect(lambda w: every(Item).filter(source=Source.STAR_GAP).count() == 2, "two gaps on the ledger"),
    ),
    RouteCase(
        "ledgers:import",
        lambda w: "/ledgers/import/",
        label="GET ledgers:import",
        owner="zhen",
        outsider="",
        kind=RouteKind.FORM,
        write=True,
    ),
    RouteCase(
        "ledgers:import",
        lambda w: "/ledgers/import/",
        method="POST",
        data=lambda w: {"file": _ledger_csv(w)},
        owner="zhen",
        outsider="",
        write=True,
        ok=(302,),
        effect=expect(lambda w: every(Item).filter(problem="村史馆年久失修").exists(), "the row is imported"),
    ),
]
