import datetime as dt

from django.utils import timezone

from xingyao.core.testing import Marker, RouteCase, RouteKind, every, expect
from xingyao.places.codes import Kind
from xingyao.stars.models import CriteriaSet, Indicator, Star, StarPlan
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


def _criteria_of(county: str):  # type: ignore[no-untyped-def]
    """A published 2023 set for city communities of `county`, named by the marker."""
    return lambda w, text: CriteriaSet.objects.create(
        county=w.unit(county),
        year=2023,
        unit_kind="community",
        name=text,
        status="published",
        published_at=timezone.now(),
    )


def _renamed_indicator(which):  # type: ignore[no-untyped-def]
    def make(w, text: str) -> None:  # type: ignore[no-untyped-def]
        every(Indicator).filter(criteria_set=which(w), code="branch.1.1").update(name=text)

    return make


def _plan_of(village: str):  # type: ignore[no-untyped-def]
    def make(w, text: str) -> StarPlan:  # type: ignore[no-untyped-def]
        published_set(w)
        return StarPlan.objects.create(
            village=w.unit(village),
            year=2023,
            star_code="civility",
            measures=text,
            responsible="某某",
            deadline=dt.date(2023, 10, 1),
        )

    return make


def _new_village(town: str):  # type: ignore[no-untyped-def]
    return lambda w, text: w.new_unit(town, text, Kind.VILLAGE)


def _sets():  # type: ignore[no-untyped-def]
    return every(CriteriaSet).filter(county__name="新野县")


def _plan(w, star_code: str):  # type: ignore[no-untyped-def]
    return every(StarPlan).filter(village=w.unit("毛桥村"), year=2023, star_code=star_code).first()


def _has_plan(star_code: str):  # type: ignore[no-untyped-def]
    return expect(
        lambda w: _plan(w, star_code) and _plan(w, star_code).measures == "建成党群服务中心",
        f"毛桥村 has a {star_code} plan with the new measures",
    )


CRITERIA_MARKER = Marker(mine=_criteria_of("新野县"), theirs=_criteria_of("唐河县"), outsider="tanghe")
ROUTES = [
    RouteCase("stars:criteria", lambda w: "/stars/criteria/", outsider="", kind=RouteKind.LIST, marker=CRITERIA_MARKER),
    RouteCase(
        "stars:criteria_create",
        lambda w: "/stars/criteria/new/",
        outsider="",
        owner="xian",
        write=True,
        kind=RouteKind.FORM,
    ),
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
        effect=expect(lambda w: _sets().filter(year=2025, unit_kind="community").exists(), "the 2025 set exists"),
    ),
    RouteCase("stars:criteria_detail", _published, kind=RouteKind.DETAIL, **READ),
    RouteCase(
        "stars:criteria_detail", _draft, label="GET stars:criteria_detail (draft)", kind=RouteKind.DETAIL, **READ
    ),
    RouteCase(
        "stars:criteria_export",
        lambda w: f"{_published(w)}export.xlsx",
        kind=RouteKind.EXPORT,
        # The export is one set's indicators: the same indicator of another set must not come along.
        marker=Marker(mine=_renamed_indicator(published_set), theirs=_renamed_indicator(draft_set)),
        **READ,
    ),
    RouteCase("stars:criteria_edit", lambda w: f"{_draft(w)}edit/", kind=RouteKind.FORM, **ADMIN),
    RouteCase(
        "stars:criteria_edit",
        lambda w: f"{_draft(w)}edit/",
        method="POST",
        data=lambda w: {"name": "2024年标准（修改稿）", "publicity_days": 7},
        ok=(302,),
        label="POST stars:criteria_edit",
        effect=expect(lambda w: _sets().filter(name="2024年标准（修改稿）").exists(), "the draft is renamed"),
        **ADMIN,
    ),
    RouteCase(
        "stars:criteria_publish",
        lambda w: f"{_draft(w)}publish/",
        method="POST",
        ok=(302,),
        effect=expect(lambda w: _sets().get(year=2024).status == "published", "the 2024 set is published"),
        **ADMIN,
    ),
    RouteCase(
        "stars:criteria_copy",
        lambda w: f"{_published(w)}copy/",
        method="POST",
        data=lambda w: {"year": 2026},
        ok=(302,),
        effect=expect(lambda w: _sets().filter(year=2026).exists(), "a 2026 copy exists"),
        **ADMIN,
    ),
    RouteCase("stars:criteria_import", lambda w: f"{_draft(w)}import/", kind=RouteKind.FORM, **ADMIN),
    RouteCase("stars:star_edit", lambda w: f"{_star(w)}edit/", kind=RouteKind.FORM, **ADMIN),
    RouteCase(
        "stars:star_edit",
        lambda w: f"{_star(w)}edit/",
        method="POST",
        data=lambda w: {"name": "产业兴旺星", "min_points": "70", "prerequisites": ["branch"]},
        ok=(302,),
        label="POST stars:star_edit",
        effect=expect(
            lambda w: every(Star).get(criteria_set=draft_set(w), code="industry").min_points == 70,
            "产业兴旺星 needs 70 points",
        ),
        **ADMIN,
    ),
    RouteCase("stars:indicator_create", lambda w: f"{_star(w)}indicators/new/", kind=RouteKind.FORM, **ADMIN),
    RouteCase("stars:indicator_row", _indicator, ok=(302,), kind=RouteKind.DETAIL, **READ),
    RouteCase("stars:indicator_edit", lambda w: f"{_indicator(w)}edit/", kind=RouteKind.FORM, **ADMIN),
    RouteCase(
        "stars:indicator_edit",
        lambda w: f"{_indicator(w)}edit/",
        method="POST",
        data=_indicator_data,
        ok=(302,),
        label="POST stars:indicator_edit",
        effect=expect(
            lambda w: every(Indicator).get(criteria_set=draft_set(w), code="branch.1.2").name == "“两委”班子团结干事",
            "the indicator is renamed",
        ),
        **ADMIN,
    ),
    RouteCase(
        "stars:indicator_delete",
        lambda w: f"{_indicator(w)}delete/",
        method="POST",
        ok=(302,),
        effect=expect(
            lambda w: not every(Indicator).filter(criteria_set=draft_set(w), code="branch.1.2").exists(),
            "the indicator is gone",
        ),
        **ADMIN,
    ),
    RouteCase("stars:plan_home", lambda w: "/stars/plans/", ok=(302,), outsider="", kind=RouteKind.REDIRECT),
    RouteCase(
        "stars:plans",
        lambda w: f"/stars/plans/{w.unit('毛桥村').code}/2023/",
        kind=RouteKind.LIST,
        marker=Marker(mine=_plan_of("毛桥村"), theirs=_plan_of("庄营村")),
        **PLAN,
    ),
    RouteCase(
        "stars:plans",
        lambda w: f"/stars/plans/{w.unit('溧河铺镇').code}/2023/",
        owner="zhen",
        outsider="shian",
        label="GET stars:plans (town)",
        kind=RouteKind.LIST,
        marker=Marker(mine=_new_village("溧河铺镇"), theirs=_new_village("施庵镇")),
    ),
    RouteCase(
        "stars:plans_export",
        lambda w: f"/stars/plans/{w.unit('溧河铺镇').code}/2023/plans.xlsx",
        owner="zhen",
        outsider="shian",
        kind=RouteKind.EXPORT,
        marker=Marker(mine=_new_village("溧河铺镇"), theirs=_new_village("施庵镇")),
    ),
    RouteCase(
        "stars:plan_create",
        lambda w: f"/stars/plans/{w.unit('毛桥村').code}/2023/new/{published_set(w).stars.get(code='ecology').code}/",
        write=True,
        kind=RouteKind.FORM,
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
        effect=_has_plan("ecology"),
        **PLAN,
    ),
    RouteCase(
        "stars:plan_edit",
        lambda w: f"/stars/plans/edit/{maoqiao_plan(w).pk}/",
        write=True,
        kind=RouteKind.FORM,
        **PLAN,
    ),
    RouteCase(
        "stars:plan_edit",
        lambda w: f"/stars/plans/edit/{maoqiao_plan(w).pk}/",
        method="POST",
        data=_plan_data,
        ok=(302,),
        write=True,
        label="POST stars:plan_edit",
        effect=_has_plan("branch"),
        **PLAN,
    ),
    RouteCase(
        "api:criteria_sets",
        lambda w: f"/api/v1/criteria?year={published_set(w).year}",
        api=True,
        outsider="",
        kind=RouteKind.LIST,
        marker=CRITERIA_MARKER,
    ),
    RouteCase(
        "api:criteria_set_detail",
        lambda w: f"/api/v1/criteria/{published_set(w).pk}",
        api=True,
        kind=RouteKind.DETAIL,
        **READ,
    ),
    RouteCase("api:data_sources", lambda w: "/api/v1/sources", api=True, outsider="", kind=RouteKind.CATALOGUE),
    RouteCase(
        "api:star_plans",
        lambda w: f"/api/v1/plans?unit={maoqiao_plan(w).village.code}&year=2023",
        api=True,
        kind=RouteKind.LIST,
        marker=Marker(mine=_plan_of("毛桥村"), theirs=_plan_of("庄营村")),
    ),
    RouteCase(
        "api:create_star_plan",
        lambda w: "/api/v1/plans",
        method="POST",
        data=_api_plan_data,
        api=True,
        ok=(201,),
        write=True,
        effect=_has_plan("ecology"),
        **PLAN,
    ),
    RouteCase(
        "api:update_star_plan",
        lambda w: f"/api/v1/plans/{maoqiao_plan(w).pk}",
        method="PUT",
        data=_plan_data,
        api=True,
        write=True,
        effect=_has_plan("branch"),
        **PLAN,
    ),
]
