from xingyao.core.testing import RouteCase
from xingyao.stars.tests.fixtures import draft_set, maoqiao_plan, published_set

# Criteria are county-owned and read by everyone in the county; only the county's administrator edits them,
# and the outsider is the administrator of another county.
READ = {"outsider": "tanghe"}
ADMIN = {"owner": "xian", "outsider": "tanghe", "write": True}
PLAN = {"owner": "maoqiao", "outsider": "zhuangying"}


def _draft(w) -> str:  # type: ignore[no-untyped-def]
    return f"/stars/criteria/{draft_set(w).pk}/"


def _published(w) -> str:  # type: ignore[no-untyped-def]
    return f"/stars/criteria/{published_set(w).pk}/"


def _indicator(w) -> str:  # type: ignore[no-untyped-def]
    return f"/stars/criteria/indicators/{draft_set(w).indicators.get(code='branch.1.2').pk}/"


def _star(w) -> str:  # type: ignore[no-untyped-def]
    return f"/stars/criteria/stars/{draft_set(w).stars.get(code='industry').pk}/"


def _indicator_data(w) -> dict:  # type: ignore[no-untyped-def]
    return {
        "code": "branch.1.2",
        "name": "“两委”班子团结干事",
        "section": "好书记好班子",
        "kind": "bool",
        "points": "10",
        "comparison": ">=",
        "evidence_count": "1",
    }


def _plan_data(w) -> dict:  # type: ignore[no-untyped-def]
    return {"measures": "建成党群服务中心", "responsible": "毛德胜", "deadline": "2023-10-31"}


def _api_plan_data(w) -> dict:  # type: ignore[no-untyped-def]
    published_set(w)
    return {"village_code": w.unit("毛桥村").code, "year": 2023, "star_code": "ecology", **_plan_data(w)}


ROUTES = [
    RouteCase("stars:criteria", lambda w: "/stars/criteria/", outsider=""),
    RouteCase("stars:criteria_create", lambda w: "/stars/criteria/new/", outsider="", owner="xian", write=True),
    RouteCase(
        "stars:criteria_create",
        lambda w: "/stars/criteria/new/",
        method="POST",
        data=lambda w: {
            "county": w.unit("新野县").pk,
            "year": 2025,
            "unit_kind": "community",
            "name": "2025年城市社区评定标准",
            "publicity_days": 5,
        },
        ok=(302,),
        outsider="",
        owner="xian",
        write=True,
        label="POST stars:criteria_create",
    ),
    RouteCase("stars:criteria_detail", _published, **READ),
    RouteCase("stars:criteria_detail", _draft, label="GET stars:criteria_detail (draft)", **READ),
    RouteCase("stars:criteria_export", lambda w: f"{_published(w)}export.xlsx", **READ),
    RouteCase("stars:criteria_edit", lambda w: f"{_draft(w)}edit/", **ADMIN),
    RouteCase(
        "stars:criteria_edit",
        lambda w: f"{_draft(w)}edit/",
        method="POST",
        data=lambda w: {"name": "2024年标准（修改稿）", "publicity_days": 7},
        ok=(302,),
        label="POST stars:criteria_edit",
        **ADMIN,
    ),
    RouteCase("stars:criteria_publish", lambda w: f"{_draft(w)}publish/", method="POST", ok=(302,), **ADMIN),
    RouteCase(
        "stars:criteria_copy",
        lambda w: f"{_published(w)}copy/",
        method="POST",
        data=lambda w: {"year": 2026},
        ok=(302,),
        **ADMIN,
    ),
    RouteCase("stars:criteria_import", lambda w: f"{_draft(w)}import/", **ADMIN),
    RouteCase("stars:star_edit", lambda w: f"{_star(w)}edit/", **ADMIN),
    RouteCase(
        "stars:star_edit",
        lambda w: f"{_star(w)}edit/",
        method="POST",
        data=lambda w: {"name": "产业兴旺星", "min_points": "70", "prerequisites": ["branch"]},
        ok=(302,),
        label="POST stars:star_edit",
        **ADMIN,
    ),
    RouteCase("stars:indicator_create", lambda w: f"{_star(w)}indicators/new/", **ADMIN),
    RouteCase("stars:indicator_row", _indicator, ok=(302,), **READ),
    RouteCase("stars:indicator_edit", lambda w: f"{_indicator(w)}edit/", **ADMIN),
    RouteCase(
        "stars:indicator_edit",
        lambda w: f"{_indicator(w)}edit/",
        method="POST",
        data=_indicator_data,
        ok=(302,),
        label="POST stars:indicator_edit",
        **ADMIN,
    ),
    RouteCase("stars:indicator_delete", lambda w: f"{_indicator(w)}delete/", method="POST", ok=(302,), **ADMIN),
    RouteCase("stars:plan_home", lambda w: "/stars/plans/", ok=(302,), outsider=""),
    RouteCase("stars:plans", lambda w: f"/stars/plans/{w.unit('毛桥村').code}/2023/", **PLAN),
    RouteCase(
        "stars:plans",
        lambda w: f"/stars/plans/{w.unit('溧河铺镇').code}/2023/",
        owner="zhen",
        outsider="shian",
        label="GET stars:plans (town)",
    ),
    RouteCase(
        "stars:plan_create",
        lambda w: f"/stars/plans/{w.unit('毛桥村').code}/2023/new/{published_set(w).stars.get(code='ecology').code}/",
        write=True,
        **PLAN,
    ),
    RouteCase(
        "stars:plan_create",
        lambda w: f"/stars/plans/{w.unit('毛桥村').code}/2023/new/{published_set(w).stars.get(code='ecology').code}/",
        method="POST",
        data=_plan_data,
        ok=(302,),
        write=True,
        label="POST stars:plan_create",
        **PLAN,
    ),
    RouteCase("stars:plan_edit", lambda w: f"/stars/plans/edit/{maoqiao_plan(w).pk}/", write=True, **PLAN),
    RouteCase(
        "stars:plan_edit",
        lambda w: f"/stars/plans/edit/{maoqiao_plan(w).pk}/",
        method="POST",
        data=_plan_data,
        ok=(302,),
        write=True,
        label="POST stars:plan_edit",
        **PLAN,
    ),
    RouteCase("api:criteria_sets", lambda w: f"/api/v1/criteria?year={published_set(w).year}", api=True, outsider=""),
    RouteCase("api:criteria_set_detail", lambda w: f"/api/v1/criteria/{published_set(w).pk}", api=True, **READ),
    RouteCase("api:data_sources", lambda w: "/api/v1/sources", api=True, outsider=""),
    RouteCase("api:star_plans", lambda w: f"/api/v1/plans?unit={maoqiao_plan(w).village.code}&year=2023", api=True),
    RouteCase(
        "api:create_star_plan",
        lambda w: "/api/v1/plans",
        method="POST",
        data=_api_plan_data,
        api=True,
        ok=(201,),
        write=True,
        **PLAN,
    ),
    RouteCase(
        "api:update_star_plan",
        lambda w: f"/api/v1/plans/{maoqiao_plan(w).pk}",
        method="PUT",
        data=_plan_data,
        api=True,
        write=True,
        **PLAN,
    ),
]
