"""The industry records over the API: projects (list, one, register, step, follow-up), specialty industries and
their areas, cooperatives, collective income."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status

from xingyao.core.paging import Mapped, list_route
from xingyao.core.roles import Action
from xingyao.economy import actions
from xingyao.economy.models import (
    Cooperative,
    EnterpriseRequest,
    Income,
    Industry,
    IndustryArea,
    MilestonePhoto,
    Project,
)
from xingyao.economy.queries import (
    AREA_FILTERS,
    COOPERATIVE_FILTERS,
    INCOME_FILTERS,
    INDUSTRY_FILTERS,
    PROJECT_FILTERS,
    REQUEST_FILTERS,
    access_project,
    access_request,
    api_filters,
    area_list,
    cooperative_list,
    income_list,
    industry_list,
    project_list,
    request_list,
    supervise_requests,
)
from xingyao.economy.workflow import Brand
from xingyao.places.queries import access_unit

router = Router(tags=["产业兴旺"])


class ProjectOut(Schema):
    id: int
    name: str
    town_code: str
    town: str
    village_code: str | None
    village: str | None
    investor: str
    sector: str
    amount: Decimal
    land_mu: Decimal
    jobs: int
    leader: str
    stage: str
    stage_label: str
    registered_on: dt.date
    signed_on: dt.date | None
    started_on: dt.date | None
    producing_on: dt.date | None
    follow_up_due: dt.date | None


class MilestoneOut(Schema):
    title: str
    stage: str
    acted_on: dt.date
    note: str
    photo_urls: list[str]


class FollowUpOut(Schema):
    acted_on: dt.date
    note: str
    next_step: str


class ProjectDetailOut(ProjectOut):
    note: str
    milestones: list[MilestoneOut]
    follow_ups: list[FollowUpOut]


class ProjectIn(Schema):
    town_code: str
    village_code: str = ""
    name: str
    investor: str
    sector: str
    amount: Decimal
    land_mu: Decimal = Decimal(0)
    jobs: int = 0
    leader: str
    registered_on: dt.date
    note: str = ""


class AdvanceIn(Schema):
    move: str
    acted_on: dt.date
    title: str = ""
    note: str = ""
    reason: str = ""


class FollowUpIn(Schema):
    acted_on: dt.date
    note: str
    next_step: str = ""


class IndustryOut(Schema):
    id: int
    name: str
    town: str
    village: str
    product: str
    brand: str
    brand_level: str
    brand_label: str
    party_branch: str
    binding_model: str
    enterprises: str
    markets: str


class AreaOut(Schema):
    id: int
    industry_id: int
    industry: str
    village_code: str
    village: str
    year: int
    area_mu: Decimal
    households: int
    jobs: int


class AreaIn(Schema):
    industry_id: int
    village_code: str
    year: int
    area_mu: Decimal
    households: int = 0
    jobs: int = 0


class CooperativeOut(Schema):
    id: int
    name: str
    village_code: str
    village: str
    members: int
    crops: str
    area_mu: Decimal
    contracts: int


class IncomeOut(Schema):
    id: int
    village_code: str
    village: str
    year: int
    operating: Decimal
    assets: Decimal
    total: Decimal
    source: str


class IncomeIn(Schema):
    village_code: str
    year: int
    operating: Decimal
    assets: Decimal
    source: str = ""
    note: str = ""


def _project(p: Project) -> dict[str, Any]:
    return {
        "id": p.pk,
        "name": p.name,
        "town_code": p.town.code,
        "town": p.town.name,
        "village_code": p.village.code if p.village else None,
        "village": p.village.name if p.village else None,
        "investor": p.investor,
        "sector": p.sector,
        "amount": p.amount,
        "land_mu": p.land_mu,
        "jobs": p.jobs,
        "leader": p.leader,
        "stage": p.stage,
        "stage_label": p.stage_label,
        "registered_on": p.registered_on,
        "signed_on": p.signed_on,
        "started_on": p.started_on,
        "producing_on": p.producing_on,
        "follow_up_due": p.follow_up_due,
    }


def _detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    p = access_project(request.user, pk)
    photos = Prefetch("photos", queryset=MilestonePhoto.objects.restrict(request.user))
    milestones = p.milestones.restrict(request.user).prefetch_related(photos)
    return _project(p) | {
        "note": p.note,
        "milestones": [
            {
                "title": m.title,
                "stage": m.stage,
                "acted_on": m.acted_on,
                "note": m.note,
                "photo_urls": [ph.get_absolute_url() for ph in m.photos.all()],
            }
            for m in milestones
        ],
        "follow_ups": [
            {"acted_on": f.acted_on, "note": f.note, "next_step": f.next_step}
            for f in p.follow_ups.restrict(request.user)[:52]
        ],
    }


def _industry(i: Industry) -> dict[str, Any]:
    return {
        "id": i.pk,
        "name": i.name,
        "town": i.town.name,
        "village": i.village.name,
        "product": i.product,
        "brand": i.brand,
        "brand_level": i.brand_level,
        "brand_label": Brand(i.brand_level).label,
        "party_branch": i.party_branch,
        "binding_model": i.binding_model,
        "enterprises": i.enterprises,
        "markets": i.markets,
    }


def _area(a: IndustryArea) -> dict[str, Any]:
    return {
        "id": a.pk,
        "industry_id": a.industry_id,
        "industry": a.industry.name,
        "village_code": a.village.code,
        "village": a.village.name,
        "year": a.year,
        "area_mu": a.area_mu,
        "households": a.households,
        "jobs": a.jobs,
    }


def _cooperative(c: Cooperative) -> dict[str, Any]:
    return {
        "id": c.pk,
        "name": c.name,
        "village_code": c.village.code,
        "village": c.village.name,
        "members": c.members,
        "crops": c.crops,
        "area_mu": c.area_mu,
        "contracts": getattr(c, "contract_count", 0),
    }


def _income(i: Income) -> dict[str, Any]:
    return {
        "id": i.pk,
        "village_code": i.village.code,
        "village": i.village.name,
        "year": i.year,
        "operating": i.operating,
        "assets": i.assets,
        "total": i.total,
        "source": i.source,
    }


@list_route(router, "/projects", response=ProjectOut, params=api_filters(PROJECT_FILTERS), summary="招商引资项目")
def projects_list(request: HttpRequest, params: dict[str, str]) -> Any:
    return Mapped(project_list(request.user, params), _project)


@router.get("/projects/{int:project_id}", response=ProjectDetailOut, summary="一个招商项目的详情")
def get_project(request: HttpRequest, project_id: int) -> Any:
    return _detail(request, project_id)


@router.post("/projects", response={201: ProjectDetailOut}, summary="登记招商项目（线索）")
def register_project(request: HttpRequest, payload: ProjectIn) -> Any:
    town = access_unit(request.user, payload.town_code, Action.MANAGE)
    village = access_unit(request.user, payload.village_code) if payload.village_code else None
    data = payload.dict(exclude={"town_code", "village_code"})
    project = actions.do_register_project(request.user, town=town, village=village, **data)
    return Status(201, _detail(request, project.pk))


@router.post(
    "/projects/{int:project_id}/advance", response=ProjectDetailOut, summary="推进项目（洽谈、签约、开工、投产、终止）"
)
def advance_project(request: HttpRequest, project_id: int, payload: AdvanceIn) -> Any:
    project = access_project(request.user, project_id, Action.MANAGE)
    actions.do_advance_project(
        request.user,
        project.pk,
        payload.move,
        acted_on=payload.acted_on,
        title=payload.title,
        note=payload.note,
        reason=payload.reason,
    )
    return _detail(request, project.pk)


@router.post("/projects/{int:project_id}/follow-ups", response={201: ProjectDetailOut}, summary="登记项目周跟进")
def follow_up_project(request: HttpRequest, project_id: int, payload: FollowUpIn) -> Any:
    project = access_project(request.user, project_id, Action.MANAGE)
    actions.do_follow_up(
        request.user, project.pk, acted_on=payload.acted_on, note=payload.note, next_step=payload.next_step
    )
    return Status(201, _detail(request, project.pk))


@list_route(router, "/industries", response=IndustryOut, params=INDUSTRY_FILTERS, summary="一村一品特色产业")
def industries_list(request: HttpRequest, params: dict[str, str]) -> Any:
    return Mapped(industry_list(request.user, params), _industry)


@list_route(router, "/areas", response=AreaOut, params=api_filters(AREA_FILTERS), summary="特色产业面积（村、年度）")
def industry_areas_list(request: HttpRequest, params: dict[str, str]) -> Any:
    return Mapped(area_list(request.user, params), _area)


@router.post("/areas", response={201: AreaOut}, summary="登记特色产业在一个村一年的面积")
def record_industry_area(request: HttpRequest, payload: AreaIn) -> Any:
    village = access_unit(request.user, payload.village_code, Action.CHANGE)
    row = actions.do_record_industry_area(
        request.user,
        payload.industry_id,
        village=village,
        year=payload.year,
        area_mu=payload.area_mu,
        households=payload.households,
        jobs=payload.jobs,
    )
    return Status(
        201, _area(IndustryArea.objects.restrict(request.user).select_related("industry", "village").get(pk=row.pk))
    )


@list_route(
    router, "/cooperatives", response=CooperativeOut, params=api_filters(COOPERATIVE_FILTERS), summary="专业合作社"
)
def cooperatives_list(request: HttpRequest, params: dict[str, str]) -> Any:
    return Mapped(cooperative_list(request.user, params), _cooperative)


@list_route(router, "/incomes", response=IncomeOut, params=api_filters(INCOME_FILTERS), summary="村集体经济收入")
def incomes_list(request: HttpRequest, params: dict[str, str]) -> Any:
    return Mapped(income_list(request.user, params), _income)


@router.post("/incomes", response={201: IncomeOut}, summary="登记村集体经济收入（元，同村同年再次登记即更正）")
def record_income(request: HttpRequest, payload: IncomeIn) -> Any:
    village = access_unit(request.user, payload.village_code, Action.CHANGE)
    income = actions.do_record_income(request.user, village=village, **payload.dict(exclude={"village_code"}))
    return Status(201, _income(income))


class RequestOut(Schema):
    id: int
    enterprise: str
    village_code: str
    village: str
    content: str
    hard: bool
    official: str
    state: str
    state_label: str
    level: str
    received_on: dt.date
    handover_due: dt.date
    answer_due: dt.date
    solve_due: dt.date
    handed_over_on: dt.date | None
    answered_on: dt.date | None
    solved_on: dt.date | None
    satisfaction: str
    supervision: str
    ledger_item_id: int | None


class RequestIn(Schema):
    enterprise_id: int
    content: str
    received_on: dt.date
    hard: bool = False
    official: str = ""


class RequestStepIn(Schema):
    move: str
    acted_on: dt.date
    note: str = ""
    satisfaction: str = ""


def _request(r: EnterpriseRequest) -> dict[str, Any]:
    return {
        "id": r.pk, "enterprise": r.enterprise.name, "village_code": r.enterprise.village.code,
        "village": r.enterprise.village.name, "content": r.content, "hard": r.hard, "official": r.official,
        "state": r.state, "state_label": r.state_label, "level": r.level, "received_on": r.received_on,
        "handover_due": r.handover_due, "answer_due": r.answer_due, "solve_due": r.solve_due,
        "handed_over_on": r.handed_over_on, "answered_on": r.answered_on, "solved_on": r.solved_on,
        "satisfaction": r.satisfaction, "supervision": str(getattr(r, "supervision", "")), "ledger_item_id": r.item_id,
    }  # fmt: skip


class _Supervised(Mapped):
    """A page of requests with their supervision levels, worked out for the page at once (one calendar query)."""

    def __getitem__(self, window: slice) -> list[Any]:
        rows = list(self.queryset[window])
        supervise_requests(rows, timezone.localdate())
        return [self.each(row) for row in rows]


@list_route(
    router, "/requests", response=RequestOut, params=api_filters(REQUEST_FILTERS), summary="企业诉求（万人助万企）"
)
def requests_list(request: HttpRequest, params: dict[str, str]) -> Any:
    return _Supervised(request_list(request.user, params), _request)


def _one_request(request: HttpRequest, pk: int) -> dict[str, Any]:
    found = access_request(request.user, pk)
    supervise_requests([found], timezone.localdate())
    return _request(found)


@router.post("/requests", response={201: RequestOut}, summary="受理企业诉求（按“13710”计算时限，并记入问题台账）")
def register_request(request: HttpRequest, payload: RequestIn) -> Any:
    created = actions.do_register_request(request.user, **payload.dict())
    return Status(201, _one_request(request, created.pk))


@router.post("/requests/{int:request_id}/step", response=RequestOut, summary="交办、首次答复或办结（附企业评价）")
def step_request(request: HttpRequest, request_id: int, payload: RequestStepIn) -> Any:
    found = access_request(request.user, request_id, Action.MANAGE)
    actions.do_step_request(request.user, found.pk, payload.move, acted_on=payload.acted_on, note=payload.note,
                            satisfaction=payload.satisfaction)  # fmt: skip
    return _one_request(request, found.pk)
