from django.core.files.uploadedfile import SimpleUploadedFile

from xingyao.core.testing import Marker, RouteCase, RouteKind, every, expect
from xingyao.inspections.models import Round, ScoreSheet, Visit
from xingyao.inspections.tests import factories as f
from xingyao.inspections.workflow import State
from xingyao.ledgers.models import Item

# Rounds seen by a village clerk on their route (the team carries the text); the outsider is 施庵镇's village clerk.
ROUNDS = Marker(
    mine=f.round_with_team("溧河铺镇", "毛桥村"), theirs=f.round_with_team("施庵镇", "施东村"), outsider="shidong"
)
# The county's round visits a village of each town: 溧河铺镇's administrator sees only his, 施庵镇's only theirs.
VILLAGES = Marker(
    mine=f.village_on_county_round("溧河铺镇"), theirs=f.village_on_county_round("施庵镇"), outsider="shian"
)
COUNTY_ROUND = {"owner": "zhen", "outsider": "shidong"}
SCORER = {"owner": "zhen_shenhe", "outsider": "shian", "write": True}
TOWN = {"owner": "zhen", "outsider": "shian", "write": True}


def _county_round(w) -> str:  # type: ignore[no-untyped-def]
    return str(f.county_round(w).pk)


def _plan_form(w):  # type: ignore[no-untyped-def]
    f.sheet(w)
    return {
        "unit": w.unit("溧河铺镇").pk,
        "year": "2023",
        "quarter": "3",
        "route": [w.unit("庄营村").pk, w.unit("毛桥村").pk],
        "starts_on": "2023-09-12",
        "ends_on": "2023-09-13",
        "team": "李建国、刘洋",
    }


def _score_form(w):  # type: ignore[no-untyped-def]
    data = {f"item_{i.pk}": str(i.max_points - 1) for i in f.items(w)}
    return data | {
        "visited_on": "2023-05-10",
        "praise": "广场建成",
        "problems": "墙绘破损\n花坛缺管护",
        "comments": "进步大",
    }


def _scored_visit(w) -> Visit:  # type: ignore[no-untyped-def]
    return f.score(w, f.visit(w), problems=["墙绘破损"])


def _to_items_form(w):  # type: ignore[no-untyped-def]
    problem = _scored_visit(w).problems.unscoped("t").get()
    return {
        "problem_ids": [problem.pk],
        "target": "墙绘重绘",
        "measure": "按村史重绘",
        "steps": "设计、施工",
        "responsible": "毛建军",
        "start_on": "2023-05-15",
        "days": "20",
    }


def _import_form(w):  # type: ignore[no-untyped-def]
    rnd = f.round_(w)
    content = f.score_table(w, rnd, [f.full_row(w, "毛桥村", 0.9), f.full_row(w, "庄营村", 0.7)])
    return {"file": SimpleUploadedFile("评分表.xlsx", content)}


ROUTES = [
    RouteCase("inspections:list", lambda w: "/inspections/", outsider="", kind=RouteKind.LIST, marker=ROUNDS),
    RouteCase(
        "inspections:new",
        lambda w: "/inspections/new/",
        method="POST",
        data=_plan_form,
        owner="zhen",
        outsider="",  # another town's administrator is refused 溧河铺镇 on the form (test_inspections)
        write=True,
        ok=(302,),
        effect=expect(lambda w: every(Round).filter(quarter=3, visits__village__name="毛桥村").exists(), "planned"),
    ),
    RouteCase(
        "inspections:new",
        lambda w: "/inspections/new/",
        label="GET inspections:new",
        owner="zhen",
        outsider="",
        kind=RouteKind.FORM,
        write=True,
    ),
    RouteCase(
        "inspections:round",
        lambda w: f"/inspections/{_county_round(w)}/",
        kind=RouteKind.DETAIL,
        marker=VILLAGES,
        **COUNTY_ROUND,
    ),
    RouteCase(
        "inspections:ranking",
        lambda w: f"/inspections/{_county_round(w)}/ranking/",
        kind=RouteKind.DASHBOARD,
        marker=VILLAGES,
        **COUNTY_ROUND,
    ),
    RouteCase(
        "inspections:export",
        lambda w: f"/inspections/{_county_round(w)}/scores.xlsx",
        kind=RouteKind.EXPORT,
        marker=VILLAGES,
        **COUNTY_ROUND,
    ),
    RouteCase(
        "inspections:import",
        lambda w: f"/inspections/{f.round_(w).pk}/import/",
        label="GET inspections:import",
        kind=RouteKind.FORM,
        **SCORER,
    ),
    RouteCase(
        "inspections:import",
        lambda w: f"/inspections/{f.round_(w).pk}/import/",
        method="POST",
        data=_import_form,
        ok=(302,),
        effect=expect(lambda w: every(Visit).filter(total__isnull=False).count() == 2, "both villages are scored"),
        **SCORER,
    ),
    RouteCase(
        "inspections:move",
        lambda w: f"/inspections/{f.round_(w, state=State.PLANNED).pk}/start/",
        method="POST",
        data=lambda w: {},
        ok=(302,),
        effect=expect(lambda w: every(Round).get().state == State.SCORING, "the round is open for scoring"),
        **TOWN,
    ),
    RouteCase("inspections:visit", lambda w: f"/inspections/visits/{f.visit(w).pk}/", kind=RouteKind.DETAIL),
    RouteCase(
        "inspections:score",
        lambda w: f"/inspections/visits/{f.visit(w).pk}/score/",
        method="POST",
        data=_score_form,
        ok=(302,),
        effect=expect(
            lambda w: (
                every(Visit).get(village__name="毛桥村").total == 89
                and every(Visit).get(village__name="毛桥村").problems.count() == 2
            ),
            "the visit is scored with its problems",
        ),
        **SCORER,
    ),
    RouteCase(
        "inspections:to_items",
        lambda w: f"/inspections/visits/{f.visit(w).pk}/items/",
        method="POST",
        data=_to_items_form,
        ok=(302,),
        effect=expect(lambda w: every(Item).get(problem="墙绘破损").source == "inspection", "the item is opened"),
        **TOWN,
    ),
    RouteCase(
        "inspections:trend",
        lambda w: "/inspections/trend/?year=2023",
        outsider="",
        kind=RouteKind.DASHBOARD,
        owner="zhen",
        marker=VILLAGES,
    ),
    RouteCase(
        "inspections:sheets",
        lambda w: "/inspections/sheets/",
        outsider="",
        kind=RouteKind.LIST,
        marker=Marker(
            mine=lambda w, text: f.sheet(w, name=text),
            theirs=lambda w, text: f.sheet(w, "唐河县", name=text),
            outsider="tanghe",
        ),
    ),
    RouteCase(
        "inspections:sheet", lambda w: f"/inspections/sheets/{f.sheet(w).pk}/", outsider="tanghe", kind=RouteKind.DETAIL
    ),
    RouteCase(
        "inspections:sheet_new",
        lambda w: "/inspections/sheets/new/",
        method="POST",
        data=lambda w: {"year": "2024"},
        owner="xian",
        outsider="",  # another county's administrator makes his own county's sheet
        write=True,
        ok=(302,),
        effect=expect(lambda w: every(ScoreSheet).filter(year=2024, county__name="新野县").exists(), "made"),
    ),
    # API
    RouteCase(
        "api:inspection_rounds_list",
        lambda w: "/api/v1/inspections/rounds",
        api=True,
        outsider="",
        kind=RouteKind.LIST,
        marker=ROUNDS,
    ),
    RouteCase(
        "api:get_inspection_round",
        lambda w: f"/api/v1/inspections/rounds/{_county_round(w)}",
        api=True,
        kind=RouteKind.DETAIL,
        marker=VILLAGES,
        **COUNTY_ROUND,
    ),
    RouteCase(
        "api:inspection_ranking",
        lambda w: f"/api/v1/inspections/rounds/{_county_round(w)}/ranking",
        api=True,
        kind=RouteKind.DASHBOARD,
        marker=VILLAGES,
        **COUNTY_ROUND,
    ),
    RouteCase(
        "api:inspection_visits_list",
        lambda w: "/api/v1/inspections/visits",
        api=True,
        outsider="",
        owner="zhen",
        kind=RouteKind.LIST,
        marker=VILLAGES,
    ),
    RouteCase(
        "api:get_inspection_visit",
        lambda w: f"/api/v1/inspections/visits/{f.visit(w).pk}",
        api=True,
        kind=RouteKind.DETAIL,
    ),
    RouteCase(
        "api:score_inspection_visit",
        lambda w: f"/api/v1/inspections/visits/{f.visit(w).pk}/score",
        method="POST",
        api=True,
        data=lambda w: {
            "visited_on": "2023-05-10",
            "scores": {str(i.pk): i.max_points for i in f.items(w)},
            "problems": ["花坛缺管护"],
            "comments": "满分",
        },
        ok=(200,),
        effect=expect(lambda w: every(Visit).get(village__name="毛桥村").total == 100, "scored 100"),
        **SCORER,
    ),
]
