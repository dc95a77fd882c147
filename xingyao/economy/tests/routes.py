import datetime as dt

from xingyao.core.testing import Marker, RouteCase, RouteKind, every, expect
from xingyao.economy.models import (
    BuyerContract,
    Cooperative,
    Enterprise,
    EnterpriseRequest,
    FollowUp,
    Income,
    Industry,
    IndustryArea,
    Milestone,
    MilestonePhoto,
    Project,
    RequestRhythm,
)
from xingyao.economy.tests import factories as f

TOWN = {"owner": "zhen", "outsider": "shian"}
TOWN_LIST = {"owner": "zhen", "outsider": ""}


def _project_in(town: str, village: str | None):  # type: ignore[no-untyped-def]
    return lambda w, text: f.project(w, town, village=village, name=text)


def _industry_in(village: str):  # type: ignore[no-untyped-def]
    return lambda w, text: f.industry(w, village, name=text)


def _area_in(village: str):  # type: ignore[no-untyped-def]
    return lambda w, text: f.area(w, village, name=text)


def _coop_in(village: str):  # type: ignore[no-untyped-def]
    return lambda w, text: f.cooperative(w, village, name=text)


def _income_in(village: str):  # type: ignore[no-untyped-def]
    def make(w, text):  # type: ignore[no-untyped-def]
        i = f.income(w, village)
        Income.objects.filter(pk=i.pk).update(note=text, source=text)

    return make


def _request_in(village: str):  # type: ignore[no-untyped-def]
    return lambda w, text: f.request(w, village, content=text)


def _photo(w) -> str:  # type: ignore[no-untyped-def]
    from xingyao.core.uploads import check_image

    m = Milestone.objects.create(project=f.project(w), title="签约", acted_on=dt.date(2023, 4, 1))
    stored = MilestonePhoto(milestone=m)
    stored.fill_from(check_image(f.photo(), "签约.jpg"))
    stored.save()
    return f"/economy/photos/{stored.pk}/"


def _project_form(w):  # type: ignore[no-untyped-def]
    return {
        "town": w.unit("溧河铺镇").pk,
        "village": w.unit("毛桥村").pk,
        "name": "光伏组件项目",
        "investor": "某新能源公司",
        "sector": "新能源",
        "amount": "8000",
        "land_mu": "50",
        "jobs": "120",
        "leader": "镇长 张明",
        "registered_on": "2023-03-01",
    }


def _project_json(w):  # type: ignore[no-untyped-def]
    data = _project_form(w) | {"town_code": w.unit("溧河铺镇").code, "village_code": w.unit("毛桥村").code}
    del data["town"], data["village"]
    return data | {"amount": 8000, "land_mu": 50, "jobs": 120}


PROJECT_CSV = [
    ["项目名称", "乡镇代码", "投资方", "行业", "计划投资（万元）", "包联镇领导", "登记日期", "阶段", "签约日期"],
    ["导入的项目", "411329107000", "某公司", "制造", "3000", "镇长 张明", "2023-02-01", "签约", "2023-05-01"],
]


def _income_csv(w):  # type: ignore[no-untyped-def]
    rows = [["村代码", "年度", "经营性收入（元）", "资产收益（元）"], [w.unit("毛桥村").code, 2023, 90000, 30000]]
    return {"file": f.csv_file(rows)}


def _area_csv(w):  # type: ignore[no-untyped-def]
    f.industry(w, "毛桥村", name="毛桥辣椒")
    rows = [["产业名称", "村代码", "年度", "面积（亩）"], ["毛桥辣椒", w.unit("毛桥村").code, 2023, 800]]
    return {"file": f.csv_file(rows)}


ROUTES = [
    # projects: the town's
    RouteCase(
        "economy:list",
        lambda w: "/economy/",
        kind=RouteKind.LIST,
        marker=Marker(mine=_project_in("溧河铺镇", "毛桥村"), theirs=_project_in("施庵镇", "施东村"), outsider="shian"),
        **TOWN_LIST,
    ),
    RouteCase(
        "economy:export",
        lambda w: "/economy/ledger.xlsx",
        kind=RouteKind.EXPORT,
        marker=Marker(mine=_project_in("溧河铺镇", None), theirs=_project_in("施庵镇", None), outsider="shian"),
        **TOWN_LIST,
    ),
    RouteCase(
        "economy:project_new",
        lambda w: "/economy/new/",
        method="POST",
        data=_project_form,
        owner="zhen",
        outsider="",  # another town registers its own projects; 溧河铺镇 is refused (test_projects)
        write=True,
        ok=(302,),
        effect=expect(lambda w: every(Project).filter(name="光伏组件项目", stage="lead").exists(), "registered"),
    ),
    RouteCase(
        "economy:project_new",
        lambda w: "/economy/new/",
        label="GET economy:project_new",
        owner="zhen",
        outsider="",
        kind=RouteKind.FORM,
        write=True,
    ),
    RouteCase(
        "economy:import",
        lambda w: "/economy/import/",
        method="POST",
        data=lambda w: {"file": f.csv_file(PROJECT_CSV)},
        owner="zhen",
        outsider="",
        write=True,
        ok=(302,),
        effect=expect(lambda w: every(Project).filter(name="导入的项目", stage="signed").exists(), "imported"),
    ),
    RouteCase(
        "economy:import",
        lambda w: "/economy/import/",
        label="GET economy:import",
        owner="zhen",
        outsider="",
        kind=RouteKind.FORM,
        write=True,
    ),
    RouteCase("economy:project", lambda w: f"/economy/{f.project(w).pk}/", kind=RouteKind.DETAIL, **TOWN),
    RouteCase(
        "economy:advance",
        lambda w: f"/economy/{f.project(w).pk}/advance/",
        method="POST",
        data=lambda w: {"move": "sign", "acted_on": "2023-05-01", "photos": f.photo()},
        write=True,
        ok=(302,),
        effect=expect(
            lambda w: (
                every(Project).filter(stage="signed", signed_on="2023-05-01").exists()
                and every(MilestonePhoto).count() == 1
            ),
            "signed, with the signing photo",
        ),
        **TOWN,
    ),
    RouteCase(
        "economy:milestone",
        lambda w: f"/economy/{f.project(w).pk}/milestone/",
        method="POST",
        data=lambda w: {"title": "土地摘牌", "acted_on": "2023-04-01"},
        write=True,
        ok=(302,),
        effect=expect(lambda w: every(Milestone).filter(title="土地摘牌").exists(), "the milestone is recorded"),
        **TOWN,
    ),
    RouteCase(
        "economy:follow_up",
        lambda w: f"/economy/{f.project(w).pk}/follow-up/",
        method="POST",
        data=lambda w: {"acted_on": "2023-04-07", "note": "对接土地手续", "next_step": "摘牌"},
        write=True,
        ok=(302,),
        effect=expect(lambda w: every(FollowUp).filter(note="对接土地手续").exists(), "the follow-up is recorded"),
        **TOWN,
    ),
    RouteCase("economy:photo", _photo, kind=RouteKind.FILE, **TOWN),
    # specialty industries: the villages'
    RouteCase(
        "economy:industries",
        lambda w: "/economy/industries/",
        outsider="",
        kind=RouteKind.LIST,
        marker=Marker(mine=_industry_in("毛桥村"), theirs=_industry_in("庄营村"), outsider="zhuangying"),
    ),
    RouteCase(
        "economy:industry_new",
        lambda w: "/economy/industries/new/",
        method="POST",
        data=lambda w: {"village": w.unit("毛桥村").pk, "name": "毛桥西瓜", "product": "西瓜", "brand_level": "none"},
        outsider="",
        write=True,
        ok=(302,),
        effect=expect(lambda w: every(Industry).filter(name="毛桥西瓜").exists(), "the industry is recorded"),
    ),
    RouteCase(
        "economy:industry_new",
        lambda w: "/economy/industries/new/",
        label="GET economy:industry_new",
        outsider="",
        kind=RouteKind.FORM,
        write=True,
    ),
    RouteCase("economy:industry", lambda w: f"/economy/industries/{f.industry(w).pk}/", kind=RouteKind.DETAIL),
    RouteCase(
        "economy:industry_area",
        lambda w: f"/economy/industries/{f.industry(w).pk}/area/",
        method="POST",
        data=lambda w: {"village": w.unit("毛桥村").pk, "year": "2023", "area_mu": "700", "households": "40"},
        write=True,
        ok=(302,),
        effect=expect(lambda w: every(IndustryArea).filter(area_mu=700, year=2023).exists(), "the area is recorded"),
    ),
    RouteCase(
        "economy:areas",
        lambda w: "/economy/industries/areas/",
        outsider="",
        kind=RouteKind.LIST,
        marker=Marker(mine=_area_in("毛桥村"), theirs=_area_in("庄营村"), outsider="zhuangying"),
    ),
    RouteCase(
        "economy:areas_export",
        lambda w: "/economy/industries/areas.xlsx",
        outsider="",
        kind=RouteKind.EXPORT,
        marker=Marker(mine=_area_in("毛桥村"), theirs=_area_in("庄营村"), outsider="zhuangying"),
    ),
    RouteCase(
        "economy:areas_import",
        lambda w: "/economy/industries/areas/import/",
        method="POST",
        data=_area_csv,
        outsider="",
        write=True,
        ok=(302,),
        effect=expect(lambda w: every(IndustryArea).filter(area_mu=800).exists(), "the area is imported"),
    ),
    RouteCase(
        "economy:areas_import",
        lambda w: "/economy/industries/areas/import/",
        label="GET economy:areas_import",
        outsider="",
        kind=RouteKind.FORM,
        write=True,
    ),
    # cooperatives
    RouteCase(
        "economy:cooperatives",
        lambda w: "/economy/cooperatives/",
        outsider="",
        kind=RouteKind.LIST,
        marker=Marker(mine=_coop_in("毛桥村"), theirs=_coop_in("庄营村"), outsider="zhuangying"),
    ),
    RouteCase(
        "economy:cooperative_new",
        lambda w: "/economy/cooperatives/new/",
        method="POST",
        data=lambda w: {"village": w.unit("毛桥村").pk, "name": "毛桥新农合作社", "crops": "有机小麦", "members": "30"},
        outsider="",
        write=True,
        ok=(302,),
        effect=expect(lambda w: every(Cooperative).filter(name="毛桥新农合作社").exists(), "recorded"),
    ),
    RouteCase(
        "economy:cooperative_new",
        lambda w: "/economy/cooperatives/new/",
        label="GET economy:cooperative_new",
        outsider="",
        kind=RouteKind.FORM,
        write=True,
    ),
    RouteCase(
        "economy:contract",
        lambda w: f"/economy/cooperatives/{f.cooperative(w).pk}/contract/",
        method="POST",
        data=lambda w: {
            "buyer": "贵州鸿瑞顺祥粮食销售有限公司",
            "product": "有机小麦",
            "year": "2023",
            "area_mu": "500",
            "signed_on": "2022-10-08",
        },
        write=True,
        ok=(302,),
        effect=expect(lambda w: every(BuyerContract).filter(product="有机小麦").exists(), "the contract is recorded"),
    ),
    RouteCase(
        "economy:contract",
        lambda w: f"/economy/cooperatives/{f.cooperative(w).pk}/contract/",
        label="GET economy:contract",
        kind=RouteKind.FORM,
        write=True,
    ),
    # collective income
    RouteCase(
        "economy:incomes",
        lambda w: "/economy/income/",
        outsider="",
        kind=RouteKind.LIST,
        marker=Marker(mine=_income_in("毛桥村"), theirs=_income_in("庄营村"), outsider="zhuangying"),
    ),
    RouteCase(
        "economy:incomes_export",
        lambda w: "/economy/income/ledger.xlsx",
        outsider="",
        kind=RouteKind.EXPORT,
        marker=Marker(mine=_income_in("毛桥村"), theirs=_income_in("庄营村"), outsider="zhuangying"),
    ),
    RouteCase(
        "economy:income_new",
        lambda w: "/economy/income/new/",
        method="POST",
        data=lambda w: {"village": w.unit("毛桥村").pk, "year": "2023", "operating": "90000", "assets": "30000"},
        outsider="",
        write=True,
        ok=(302,),
        effect=expect(lambda w: every(Income).filter(year=2023, total=120000).exists(), "the income is recorded"),
    ),
    RouteCase(
        "economy:income_new",
        lambda w: "/economy/income/new/",
        label="GET economy:income_new",
        outsider="",
        kind=RouteKind.FORM,
        write=True,
    ),
    RouteCase(
        "economy:incomes_import",
        lambda w: "/economy/income/import/",
        method="POST",
        data=_income_csv,
        outsider="",
        write=True,
        ok=(302,),
        effect=expect(lambda w: every(Income).filter(year=2023, total=120000).exists(), "the income is imported"),
    ),
    RouteCase(
        "economy:incomes_import",
        lambda w: "/economy/income/import/",
        label="GET economy:incomes_import",
        outsider="",
        kind=RouteKind.FORM,
        write=True,
    ),
    # API
    RouteCase(
        "api:projects_list",
        lambda w: "/api/v1/economy/projects",
        api=True,
        kind=RouteKind.LIST,
        marker=Marker(mine=_project_in("溧河铺镇", "毛桥村"), theirs=_project_in("施庵镇", "施东村"), outsider="shian"),
        **TOWN_LIST,
    ),
    RouteCase(
        "api:get_project",
        lambda w: f"/api/v1/economy/projects/{f.project(w).pk}",
        api=True,
        kind=RouteKind.DETAIL,
        **TOWN,
    ),
    RouteCase(
        "api:register_project",
        lambda w: "/api/v1/economy/projects",
        method="POST",
        api=True,
        data=_project_json,
        owner="zhen",
        outsider="",
        write=True,
        ok=(201,),
        effect=expect(lambda w: every(Project).filter(name="光伏组件项目").exists(), "registered"),
    ),
    RouteCase(
        "api:advance_project",
        lambda w: f"/api/v1/economy/projects/{f.project(w).pk}/advance",
        method="POST",
        api=True,
        data=lambda w: {"move": "negotiate", "acted_on": "2023-03-10"},
        write=True,
        effect=expect(lambda w: every(Project).filter(stage="negotiating").exists(), "in negotiation"),
        **TOWN,
    ),
    RouteCase(
        "api:follow_up_project",
        lambda w: f"/api/v1/economy/projects/{f.project(w).pk}/follow-ups",
        method="POST",
        api=True,
        data=lambda w: {"acted_on": "2023-03-10", "note": "首次接洽"},
        write=True,
        ok=(201,),
        effect=expect(lambda w: every(FollowUp).filter(note="首次接洽").exists(), "followed up"),
        **TOWN,
    ),
    RouteCase(
        "api:industries_list",
        lambda w: "/api/v1/economy/industries",
        api=True,
        outsider="",
        kind=RouteKind.LIST,
        marker=Marker(mine=_industry_in("毛桥村"), theirs=_industry_in("庄营村"), outsider="zhuangying"),
    ),
    RouteCase(
        "api:industry_areas_list",
        lambda w: "/api/v1/economy/areas",
        api=True,
        outsider="",
        kind=RouteKind.LIST,
        marker=Marker(mine=_area_in("毛桥村"), theirs=_area_in("庄营村"), outsider="zhuangying"),
    ),
    RouteCase(
        "api:record_industry_area",
        lambda w: "/api/v1/economy/areas",
        method="POST",
        api=True,
        data=lambda w: {
            "industry_id": f.industry(w).pk,
            "village_code": w.unit("毛桥村").code,
            "year": 2023,
            "area_mu": 650,
        },
        write=True,
        ok=(201,),
        effect=expect(lambda w: every(IndustryArea).filter(area_mu=650).exists(), "the area is recorded"),
    ),
    RouteCase(
        "api:cooperatives_list",
        lambda w: "/api/v1/economy/cooperatives",
        api=True,
        outsider="",
        kind=RouteKind.LIST,
        marker=Marker(mine=_coop_in("毛桥村"), theirs=_coop_in("庄营村"), outsider="zhuangying"),
    ),
    RouteCase(
        "api:incomes_list",
        lambda w: "/api/v1/economy/incomes",
        api=True,
        outsider="",
        kind=RouteKind.LIST,
        marker=Marker(mine=_income_in("毛桥村"), theirs=_income_in("庄营村"), outsider="zhuangying"),
    ),
    RouteCase(
        "api:record_income",
        lambda w: "/api/v1/economy/incomes",
        method="POST",
        api=True,
        data=lambda w: {"village_code": w.unit("毛桥村").code, "year": 2023, "operating": 90000, "assets": 30000},
        write=True,
        ok=(201,),
        effect=expect(lambda w: every(Income).filter(total=120000).exists(), "the income is recorded"),
    ),
    # enterprise requests (万人助万企)
    RouteCase(
        "economy:requests",
        lambda w: "/economy/requests/",
        kind=RouteKind.LIST,
        marker=Marker(mine=_request_in("毛桥村"), theirs=_request_in("施东村"), outsider="shian"),
        **TOWN_LIST,
    ),
    RouteCase("economy:request", lambda w: f"/economy/requests/{f.request(w).pk}/", kind=RouteKind.DETAIL, **TOWN),
    RouteCase(
        "economy:request_new",
        lambda w: "/economy/requests/new/",
        method="POST",
        data=lambda w: {"enterprise": f.enterprise(w).pk, "content": "用工招聘困难", "received_on": "2023-06-01"},
        owner="zhen",
        outsider="",
        write=True,
        ok=(302,),
        effect=expect(
            lambda w: every(EnterpriseRequest).filter(content="用工招聘困难", item__source="enterprise").exists(),
            "the request is taken and on the ledger",
        ),
    ),
    RouteCase(
        "economy:request_new",
        lambda w: "/economy/requests/new/",
        label="GET economy:request_new",
        owner="zhen",
        outsider="",
        kind=RouteKind.FORM,
        write=True,
    ),
    RouteCase(
        "economy:request_step",
        lambda w: f"/economy/requests/{f.request(w).pk}/step/",
        method="POST",
        data=lambda w: {"move": "hand_over", "acted_on": "2023-06-01"},
        write=True,
        ok=(302,),
        effect=expect(lambda w: every(EnterpriseRequest).filter(state="handed_over").exists(), "handed over"),
        **TOWN,
    ),
    RouteCase(
        "economy:request_escalate",
        lambda w: f"/economy/requests/{f.request(w).pk}/escalate/",
        method="POST",
        data=lambda w: {"level": "county", "reason": "涉及县直部门"},
        write=True,
        ok=(302,),
        effect=expect(lambda w: every(EnterpriseRequest).filter(level="county").exists(), "escalated"),
        **TOWN,
    ),
    RouteCase(
        "economy:enterprise_new",
        lambda w: "/economy/enterprises/new/",
        method="POST",
        data=lambda w: {"village": w.unit("毛桥村").pk, "name": "毛桥包装厂", "contact": "毛经理", "official": "王磊"},
        owner="zhen",
        outsider="",
        write=True,
        ok=(302,),
        effect=expect(lambda w: every(Enterprise).filter(name="毛桥包装厂").exists(), "registered"),
    ),
    RouteCase(
        "economy:enterprise_new",
        lambda w: "/economy/enterprises/new/",
        label="GET economy:enterprise_new",
        owner="zhen",
        outsider="",
        kind=RouteKind.FORM,
        write=True,
    ),
    RouteCase(
        "economy:rhythm",
        lambda w: "/economy/requests/rhythm/",
        method="POST",
        data=lambda w: {"handover_days": "1", "answer_days": "2", "solve_days": "5", "hard_days": "20"},
        owner="xian",
        outsider="",
        write=True,
        ok=(302,),
        effect=expect(lambda w: every(RequestRhythm).filter(solve_days=5).exists(), "the county's rhythm is set"),
    ),
    RouteCase(
        "economy:rhythm",
        lambda w: "/economy/requests/rhythm/",
        label="GET economy:rhythm",
        owner="xian",
        outsider="",
        kind=RouteKind.FORM,
        write=True,
    ),
    RouteCase(
        "api:requests_list",
        lambda w: "/api/v1/economy/requests",
        api=True,
        kind=RouteKind.LIST,
        marker=Marker(mine=_request_in("毛桥村"), theirs=_request_in("施东村"), outsider="shian"),
        **TOWN_LIST,
    ),
    RouteCase(
        "api:register_request",
        lambda w: "/api/v1/economy/requests",
        method="POST",
        api=True,
        data=lambda w: {"enterprise_id": f.enterprise(w).pk, "content": "融资需求", "received_on": "2023-06-01"},
        owner="zhen",
        outsider="",
        write=True,
        ok=(201,),
        effect=expect(lambda w: every(EnterpriseRequest).filter(content="融资需求").exists(), "taken"),
    ),
    RouteCase(
        "api:step_request",
        lambda w: f"/api/v1/economy/requests/{f.request(w).pk}/step",
        method="POST",
        api=True,
        data=lambda w: {"move": "hand_over", "acted_on": "2023-06-01"},
        write=True,
        effect=expect(lambda w: every(EnterpriseRequest).filter(state="handed_over").exists(), "handed over"),
        **TOWN,
    ),
]
