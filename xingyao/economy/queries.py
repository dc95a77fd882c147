"""The read side of the industry records: scoped fetches, the lists behind pages, API and ledgers, and the
county's per-town pipeline."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils import timezone

from xingyao.core import calendar
from xingyao.core.filters import Params
from xingyao.core.roles import Action
from xingyao.core.scoping import access, covers
from xingyao.economy.models import (
    Cooperative,
    Enterprise,
    EnterpriseRequest,
    Income,
    Industry,
    IndustryArea,
    MilestonePhoto,
    Project,
)
from xingyao.economy.workflow import INTRODUCED, PIPELINE, UNDER_WAY, WAITING_ON, Brand, Level, RequestState, Stage
from xingyao.ledgers.queries import overrides_by_village
from xingyao.ledgers.workflow import YELLOW_DAYS, Supervision, supervision, working_days_left
from xingyao.ledgers.workflow import State as LedgerState
from xingyao.places.codes import Kind as UnitKind
from xingyao.places.lists import in_place
from xingyao.places.models import Unit
from xingyao.places.queries import access_unit

PROJECT_FILTERS = {
    "stage": "阶段（线索、洽谈、签约、开工、投产、终止）",
    "introduced": "只看已引进落地（签约及以后）的项目：1",
    "due": "只看待周跟进的项目：1",
    "village": "村（页面的村选择，单位编号）",
    "unit": "村、乡镇或县的单位代码（其下全部项目）",
    "signed_since": "签约日期起（年-月-日）",
    "signed_until": "签约日期止（年-月-日）",
    "q": "搜索项目名称或投资方",
}
AREA_FILTERS = {
    "industry": "特色产业编号",
    "village": "村（页面的村选择，单位编号）",
    "unit": "村、乡镇或县的单位代码",
    "year": "年度",
}
INCOME_FILTERS = {"village": "村（页面的村选择，单位编号）", "unit": "村、乡镇或县的单位代码", "year": "年度"}
COOPERATIVE_FILTERS = {
    "village": "村（页面的村选择，单位编号）",
    "unit": "村、乡镇或县的单位代码",
    "q": "搜索名称或作物",
}
INDUSTRY_FILTERS = {"unit": "村、乡镇或县的单位代码", "q": "搜索产业、产品或品牌"}


def api_filters(filters: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in filters.items() if k != "village"}


def access_project(user: Any, pk: Any, action: str = Action.VIEW, queryset: Any = None) -> Project:
    """One project in the user's scope (404 otherwise; 403 without `action`)."""
    qs = queryset if queryset is not None else Project.objects.select_related("town", "village", "recorded_by")
    return access(qs, user, pk, action)


def access_photo(user: Any, pk: Any) -> MilestonePhoto:
    return access(MilestonePhoto.objects.all(), user, pk)


def access_industry(user: Any, pk: Any, action: str = Action.VIEW, queryset: Any = None) -> Industry:
    qs = queryset if queryset is not None else Industry.objects.select_related("town", "village")
    return access(qs, user, pk, action)


def access_enterprise(user: Any, pk: Any, action: str = Action.VIEW, queryset: Any = None) -> Enterprise:
    return access(queryset if queryset is not None else Enterprise.objects.select_related("village"), user, pk, action)


def access_request(user: Any, pk: Any, action: str = Action.VIEW, queryset: Any = None) -> EnterpriseRequest:
    qs = queryset if queryset is not None else EnterpriseRequest.objects.select_related("enterprise__village", "item")
    return access(qs, user, pk, action)


def access_cooperative(user: Any, pk: Any, action: str = Action.VIEW, queryset: Any = None) -> Cooperative:
    return access(queryset if queryset is not None else Cooperative.objects.select_related("village"), user, pk, action)


def project_towns(user: Any) -> Any:
    """The towns whose projects the user manages (a town admin's own, a county admin's all)."""
    return Unit.objects.restrict(user, Action.MANAGE).filter(kind=UnitKind.TOWN, active=True).order_by("code")


def record_villages(user: Any) -> Any:
    """The villages whose industry records the user keeps (a clerk's own, a town's all)."""
    return Unit.objects.restrict(user, Action.CHANGE).filter(kind=UnitKind.VILLAGE, active=True).order_by("code")


def can_manage(user: Any, project: Project) -> bool:
    return covers(user, Action.MANAGE, project.town.prefix)


def project_list(user: Any, params: Any) -> Any:
    """The projects behind the page, the API and the ledger: scoped, filtered, one query for any number."""
    p = Params(params)
    stage = p.choice("stage", "阶段", Stage.values())
    introduced = p.choice("introduced", "已引进", ["1"])
    due = p.choice("due", "待周跟进", ["1"])
    since, until = p.date("signed_since", "签约日期起"), p.date("signed_until", "签约日期止")
    text = p.text("q", "搜索", limit=50)
    qs = in_place(Project.objects.restrict(user).select_related("town", "village"), user, p)
    if stage:
        qs = qs.filter(stage=stage)
    if introduced:
        qs = qs.filter(stage__in=list(INTRODUCED))
    if due:
        qs = qs.filter(stage__in=list(UNDER_WAY), follow_up_due__lte=timezone.localdate())
    if since:
        qs = qs.filter(signed_on__gte=since)
    if until:
        qs = qs.filter(signed_on__lte=until)
    if text:
        qs = qs.filter(Q(name__contains=text) | Q(investor__contains=text))
    return qs.order_by("-registered_on", "-id")


@dataclass(frozen=True)
class PipelineRow:
    """One town's pipeline: projects per stage, and what the introduced ones bring."""

    town: Unit
    stages: list[int]
    introduced: int
    amount: Decimal
    jobs: int


def pipeline(user: Any, projects: Any) -> list[PipelineRow]:
    """Per town, the projects in each stage (for the county's view of every town): one query."""
    rows = (
        projects.order_by()
        .values("town_id")
        .annotate(
            **{s.value: Count("pk", filter=Q(stage=s)) for s in PIPELINE},
            introduced=Count("pk", filter=Q(stage__in=list(INTRODUCED))),
            amount=Sum("amount", filter=Q(stage__in=list(INTRODUCED)), default=Decimal(0)),
            jobs=Sum("jobs", filter=Q(stage__in=list(INTRODUCED)), default=0),
        )
    )
    found = {r["town_id"]: r for r in rows}
    towns = Unit.objects.restrict(user).filter(pk__in=list(found)).order_by("code") if found else []
    return [
        PipelineRow(
            t,
            [found[t.pk][s.value] for s in PIPELINE],
            found[t.pk]["introduced"],
            found[t.pk]["amount"],
            found[t.pk]["jobs"],
        )
        for t in towns
    ]


def industry_list(user: Any, params: Any) -> Any:
    p = Params(params)
    text, unit = p.text("q", "搜索", limit=50), p.text("unit", "单位", limit=20)
    qs = Industry.objects.restrict(user).select_related("town", "village")
    if unit:
        qs = qs.within(access_unit(user, unit))
    if text:
        qs = qs.filter(Q(name__contains=text) | Q(product__contains=text) | Q(brand__contains=text))
    return qs.distinct().order_by("town__code", "name")


def area_list(user: Any, params: Any) -> Any:
    """Specialty-industry rows (village × year): what industry.2.1 adds up."""
    p = Params(params)
    industry, year = p.integer("industry", "特色产业"), p.year()
    qs = in_place(IndustryArea.objects.restrict(user).select_related("industry", "village"), user, p)
    if industry:
        qs = qs.filter(industry_id=industry)
    if year:
        qs = qs.filter(year=year)
    return qs.order_by("-year", "village__code", "industry__name", "id")


def income_list(user: Any, params: Any) -> Any:
    p = Params(params)
    year = p.year()
    qs = in_place(Income.objects.restrict(user).select_related("village"), user, p)
    if year:
        qs = qs.filter(year=year)
    return qs.order_by("-year", "village__code")


def cooperative_list(user: Any, params: Any) -> Any:
    p = Params(params)
    text = p.text("q", "搜索", limit=50)
    qs = in_place(Cooperative.objects.restrict(user).select_related("village"), user, p)
    if text:
        qs = qs.filter(Q(name__contains=text) | Q(crops__contains=text))
    return qs.annotate(contract_count=Count("contracts")).order_by("village__code", "name")


def last_year_totals(user: Any, incomes: list[Income]) -> dict[tuple[int, int], Decimal]:
    """{(village id, year): total} of the year before each shown row, in one query."""
    if not incomes:
        return {}
    villages = sorted({i.village_id for i in incomes})
    years = sorted({i.year - 1 for i in incomes})
    rows = Income.objects.restrict(user).filter(village_id__in=villages, year__in=years)
    return {(r.village_id, r.year): r.total for r in rows}


def brand_choices() -> list[tuple[str, str]]:
    return Brand.choices()


REQUEST_FILTERS = {
    "state": "状态（待交办、已交办、已答复、已办结）",
    "level": "办理层级（村级、乡镇、县级）",
    "due": "只看临近或超过时限的未办结诉求：1",
    "village": "村（页面的村选择，单位编号）",
    "unit": "村、乡镇或县的单位代码",
    "since": "受理日期起（年-月-日）",
    "until": "受理日期止（年-月-日）",
    "q": "搜索企业或诉求",
}


def near_deadline(horizon: Any) -> Q:
    """Open requests whose deadline of the moment (交办, 答复 or 办结) falls on or before `horizon`."""
    return (
        Q(state=RequestState.RECEIVED, handover_due__lte=horizon)
        | Q(state=RequestState.HANDED_OVER, answer_due__lte=horizon)
        | Q(state__in=[RequestState.HANDED_OVER, RequestState.ANSWERED], solve_due__lte=horizon)
    )


def request_list(user: Any, params: Any) -> Any:
    p = Params(params)
    state = p.choice("state", "状态", RequestState.values())
    level = p.choice("level", "办理层级", Level.values())
    due = p.choice("due", "临近时限", ["1"])
    since, until = p.date("since", "受理日期起"), p.date("until", "受理日期止")
    text = p.text("q", "搜索", limit=50)
    qs = in_place(EnterpriseRequest.objects.restrict(user).select_related("enterprise__village"), user, p,
                  "enterprise__village_id")  # fmt: skip
    if state:
        qs = qs.filter(state=state)
    if level:
        qs = qs.filter(level=level)
    if due:
        qs = qs.filter(near_deadline(calendar.add_workdays(timezone.localdate(), YELLOW_DAYS)))
    if since:
        qs = qs.filter(received_on__gte=since)
    if until:
        qs = qs.filter(received_on__lte=until)
    if text:
        qs = qs.filter(Q(enterprise__name__contains=text) | Q(content__contains=text))
    return qs.order_by("-received_on", "-id")


def supervise_requests(requests: list[EnterpriseRequest], today: Any) -> None:
    """Put `due` (the deadline of the moment), `left` (working days to it) and `level_of_supervision` (normal,
    yellow, red: the ledger's rule) on each request, by each village's calendar."""
    villages = {r.enterprise.village_id: r.enterprise.village for r in requests}
    calendars = overrides_by_village(villages.values()) if requests else {}
    for r in requests:
        waiting = WAITING_ON.get(RequestState(r.state))
        due = getattr(r, waiting) if waiting else None
        left = working_days_left(today, due, calendars.get(r.enterprise.village_id, {})) if due else None
        level = supervision(LedgerState.OPEN, left) if left is not None else Supervision.NORMAL
        vars(r).update(due=due, left=left, supervision=level)
