"""Industry pages: the investment pipeline (every town's for the county), one project with its milestones and
weekly follow-ups; specialty industries and their areas; cooperatives; collective income; ledgers and imports."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from xingyao.core.menu import has_role
from xingyao.core.roles import Action, Role
from xingyao.core.scoping import covers, roles_over
from xingyao.core.uploads import serve_file
from xingyao.core.views_helpers import paginate, submit, submit_import, submit_or_show
from xingyao.economy import actions, exports, imports
from xingyao.economy.forms import (
    AdvanceForm,
    AreaForm,
    ContractForm,
    CooperativeForm,
    EnterpriseForm,
    EscalateForm,
    FollowUpForm,
    ImportForm,
    IncomeForm,
    IndustryForm,
    MilestoneForm,
    ProjectForm,
    RequestForm,
    RequestStepForm,
    RhythmForm,
)
from xingyao.economy.models import BuyerContract, Enterprise, MilestonePhoto
from xingyao.economy.queries import (
    access_cooperative,
    access_industry,
    access_photo,
    access_project,
    access_request,
    area_list,
    can_manage,
    cooperative_list,
    income_list,
    industry_list,
    last_year_totals,
    pipeline,
    project_list,
    project_towns,
    record_villages,
    request_list,
    supervise_requests,
)
from xingyao.economy.workflow import (
    PIPELINE,
    REQUEST_WORKFLOW,
    WORKFLOW,
    Move,
    RequestMove,
    RequestState,
    Satisfaction,
    Stage,
    growth,
)
from xingyao.places.codes import Kind as UnitKind
from xingyao.places.forms import UnitFilterForm
from xingyao.places.lists import ledger_download, village_list_page, village_list_rows
from xingyao.places.models import Unit
from xingyao.places.queries import own_unit


def _listed(request: HttpRequest, query: Callable[[Any, Any], Any]) -> tuple[Any, Any]:
    """The list's rows and its village picker (the pipeline table needs the whole filtered list, not a page)."""
    village = UnitFilterForm.village(request)
    found = query(request.user, village.params(request.GET))
    return (found if village.is_valid() else found.none()), village


# --- projects ----------------------------------------------------------------------------------------------------


@login_required
def projects(request: HttpRequest) -> HttpResponse:
    found, village = _listed(request, project_list)
    page = paginate(request, found, 30)
    context = {
        "page": page,
        "params": request.GET,
        "stages": Stage.choices(),
        "pipeline_stages": [s.label for s in PIPELINE],
        "towns": pipeline(request.user, found),
        "village_filter": village,
        "can_register": project_towns(request.user).exists(),
    }
    return render(request, "economy/projects.html", context, status=200 if village.is_valid() else 400)


@login_required
def projects_export(request: HttpRequest) -> HttpResponse:
    return ledger_download(
        request, village_list_rows(request, project_list), exports.PROJECTS.workbook, "招商引资项目台账"
    )


@login_required
@require_http_methods(["GET", "POST"])
def project_new(request: HttpRequest) -> HttpResponse:
    towns = project_towns(request.user)
    if not towns.exists():
        raise PermissionDenied
    form = ProjectForm(request.POST or None, user=request.user, towns=towns)
    done = submit(
        request,
        form,
        lambda data: actions.do_register_project(request.user, **data),
        lambda project: f"已登记招商项目「{project.name}」",
    )
    if done:
        return done
    return render(
        request,
        "economy/project_form.html",
        {"form": form, "title": "登记招商项目"},
        status=400 if form.errors else 200,
    )


def _project_page(request: HttpRequest, project: Any, error: str = "", status: int = 200) -> HttpResponse:
    manage = can_manage(request.user, project)
    moves: list[Move] = []
    if manage:
        for role in roles_over(request.user, project.town.prefix):
            moves += [m for m in WORKFLOW.available_actions(Stage(project.stage), role) if m not in moves]
    photos = Prefetch("photos", queryset=MilestonePhoto.objects.restrict(request.user))
    milestones = list(project.milestones.restrict(request.user).prefetch_related(photos))
    context = {
        "project": project,
        "milestones": milestones,
        "follow_ups": list(project.follow_ups.restrict(request.user)[:52]),
        "steps": list(project.steps.restrict(request.user)),
        "moves": moves,
        "manage": manage,
        "error": error,
        "milestone_form": MilestoneForm(),
        "follow_up_form": FollowUpForm(),
    }
    return render(request, "economy/project.html", context, status=status)


@login_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _project_page(request, access_project(request.user, pk))


def _on_project(request: HttpRequest, pk: int, form: Any, call: Callable[[Any, dict[str, Any]], Any], said: str):  # type: ignore[no-untyped-def]
    project = access_project(request.user, pk, Action.MANAGE)
    return submit_or_show(
        request,
        form,
        lambda data: call(project, data),
        said,
        project,
        invalid="请填写日期（年-月-日）和必填项",
        show=lambda message: _project_page(request, project, message, status=400),
    )


@login_required
@require_POST
def project_advance(request: HttpRequest, pk: int) -> HttpResponse:
    form = AdvanceForm(request.POST, request.FILES)
    return _on_project(
        request,
        pk,
        form,
        lambda p, d: actions.do_advance_project(
            request.user,
            p.pk,
            d["move"],
            acted_on=d["acted_on"],
            title=d["title"],
            note=d["note"],
            reason=d["reason"],
            photos=d["photos"],
        ),
        "项目已推进",
    )


@login_required
@require_POST
def project_milestone(request: HttpRequest, pk: int) -> HttpResponse:
    form = MilestoneForm(request.POST, request.FILES)
    return _on_project(
        request,
        pk,
        form,
        lambda p, d: actions.do_add_milestone(
            request.user, p.pk, title=d["title"], acted_on=d["acted_on"], note=d["note"], photos=d["photos"]
        ),
        "已登记项目节点",
    )


@login_required
@require_POST
def project_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    form = FollowUpForm(request.POST)
    return _on_project(
        request,
        pk,
        form,
        lambda p, d: actions.do_follow_up(
            request.user, p.pk, acted_on=d["acted_on"], note=d["note"], next_step=d["next_step"]
        ),
        "已登记周跟进",
    )


@login_required
def photo(request: HttpRequest, pk: int) -> FileResponse:
    return serve_file(access_photo(request.user, pk))


# --- imports -----------------------------------------------------------------------------------------------------

IMPORTS = {
    "projects": ("导入招商引资项目", imports.PROJECT_HOWTO, imports.do_import_projects, "economy:list"),
    "areas": ("导入特色产业面积", imports.AREA_HOWTO, imports.do_import_areas, "economy:areas"),
    "incomes": ("导入村集体经济收入", imports.INCOME_HOWTO, imports.do_import_incomes, "economy:incomes"),
}


def _import(request: HttpRequest, what: str) -> HttpResponse:
    title, howto, importer, back = IMPORTS[what]
    if not record_villages(request.user).exists():
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    done, errors = submit_import(
        request,
        form,
        lambda data: importer(request.user, data["file"], data["file"].name),
        lambda result: f"导入完成：新增 {result.created}，更新 {result.updated}",
        back,
    )
    if done:
        return done
    context = {"form": form, "title": title, "howto": howto, "errors": errors, "back": reverse(back)}
    return render(request, "economy/import.html", context, status=400 if errors or form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def projects_import(request: HttpRequest) -> HttpResponse:
    if not project_towns(request.user).exists():
        raise PermissionDenied
    return _import(request, "projects")


@login_required
@require_http_methods(["GET", "POST"])
def areas_import(request: HttpRequest) -> HttpResponse:
    return _import(request, "areas")


@login_required
@require_http_methods(["GET", "POST"])
def incomes_import(request: HttpRequest) -> HttpResponse:
    return _import(request, "incomes")


# --- specialty industries -----------------------------------------------------------------------------------------


@login_required
def industries(request: HttpRequest) -> HttpResponse:
    page = paginate(request, industry_list(request.user, request.GET), 30)
    context = {"page": page, "params": request.GET, "can_record": record_villages(request.user).exists()}
    return render(request, "economy/industries.html", context)


def _village_record_page(
    request: HttpRequest, form_class: Any, call: Any, success: Any, title: str, then: Any = None
) -> HttpResponse:
    """A form page for a record of one of the user's villages (an industry, a cooperative, a year's income)."""
    villages = record_villages(request.user)
    if not villages.exists():
        raise PermissionDenied
    form = form_class(request.POST or None, user=request.user, villages=villages)
    if done := submit(request, form, lambda data: call(request.user, **data), success, then):
        return done
    context = {"form": form, "title": title}
    return render(request, "economy/project_form.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def industry_new(request: HttpRequest) -> HttpResponse:
    return _village_record_page(
        request,
        IndustryForm,
        actions.do_record_industry,
        lambda industry: f"已登记特色产业「{industry.name}」",
        "登记特色产业",
    )


def _industry_page(request: HttpRequest, industry: Any, form: AreaForm | None = None, status: int = 200) -> Any:
    villages = record_villages(request.user)
    areas = list(industry.areas.restrict(request.user).select_related("village").order_by("-year", "village__code"))
    years: dict[int, list[Any]] = {}
    for row in areas:
        years.setdefault(row.year, []).append(row)
    totals = [
        (y, sum(r.area_mu for r in rows), sum(r.households for r in rows), sum(r.jobs for r in rows), len(rows))
        for y, rows in years.items()
    ]
    context = {
        "industry": industry,
        "areas": areas,
        "totals": totals,
        "cooperatives": list(industry.cooperatives.restrict(request.user).select_related("village")),
        "form": form or AreaForm(user=request.user, villages=villages),
        "can_record": villages.exists(),
    }
    return render(request, "economy/industry.html", context, status=status)


@login_required
def industry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _industry_page(request, access_industry(request.user, pk))


@login_required
@require_POST
def industry_area(request: HttpRequest, pk: int) -> HttpResponse:
    industry = access_industry(request.user, pk)
    villages = record_villages(request.user)
    if not villages.exists():
        raise PermissionDenied
    form = AreaForm(request.POST, user=request.user, villages=villages)
    done = submit(
        request,
        form,
        lambda data: actions.do_record_industry_area(request.user, industry.pk, **data),
        lambda row: f"已登记{row.village.name}{row.year}年面积",
        industry,
    )
    if done:
        return done
    return _industry_page(request, industry, form, status=400)


@login_required
def areas(request: HttpRequest) -> HttpResponse:
    can_record = record_villages(request.user).exists
    return village_list_page(
        request, area_list, "economy/areas.html", per_page=50, context=lambda: {"can_record": can_record()}
    )


@login_required
def areas_export(request: HttpRequest) -> HttpResponse:
    return ledger_download(request, village_list_rows(request, area_list), exports.AREAS.workbook, "特色产业面积台账")


# --- cooperatives -------------------------------------------------------------------------------------------------


@login_required
def cooperatives(request: HttpRequest) -> HttpResponse:
    contracts = Prefetch("contracts", queryset=BuyerContract.objects.restrict(request.user))
    can_record = record_villages(request.user).exists
    return village_list_page(
        request,
        lambda user, params: cooperative_list(user, params).prefetch_related(contracts),
        "economy/cooperatives.html",
        context=lambda: {"can_record": can_record()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def cooperative_new(request: HttpRequest) -> HttpResponse:
    return _village_record_page(
        request,
        CooperativeForm,
        actions.do_record_cooperative,
        lambda coop: f"已登记合作社「{coop.name}」",
        "登记专业合作社",
        "economy:cooperatives",
    )


@login_required
@require_http_methods(["GET", "POST"])
def cooperative_contract(request: HttpRequest, pk: int) -> HttpResponse:
    coop = access_cooperative(request.user, pk, Action.CHANGE)
    form = ContractForm(request.POST or None)
    back = f"{reverse('economy:cooperatives')}?village={coop.village_id}"
    done = submit(
        request,
        form,
        lambda data: actions.do_record_contract(request.user, coop.pk, **data),
        lambda c: f"已登记与{c.buyer}的订单合同",
        back,
    )
    if done:
        return done
    title = f"登记订单合同 · {coop.name}"
    return render(
        request,
        "economy/project_form.html",
        {"form": form, "title": title, "back": back},
        status=400 if form.errors else 200,
    )


# --- collective income --------------------------------------------------------------------------------------------


def _with_growth(user: Any) -> Callable[[list[Any]], dict[str, Any]]:
    def rows(shown: list[Any]) -> dict[str, Any]:
        last = last_year_totals(user, shown)
        before = [last.get((i.village_id, i.year - 1)) for i in shown]
        return {"rows": [(i, b, growth(i.total, b or 0)) for i, b in zip(shown, before, strict=True)]}

    return rows


@login_required
def incomes(request: HttpRequest) -> HttpResponse:
    can_record = record_villages(request.user).exists
    return village_list_page(
        request,
        income_list,
        "economy/incomes.html",
        per_page=50,
        rows=_with_growth(request.user),
        context=lambda: {"can_record": can_record()},
    )


@login_required
def incomes_export(request: HttpRequest) -> HttpResponse:
    return ledger_download(
        request, village_list_rows(request, income_list), exports.INCOMES.workbook, "村集体经济收入台账"
    )


@login_required
@require_http_methods(["GET", "POST"])
def income_new(request: HttpRequest) -> HttpResponse:
    return _village_record_page(
        request,
        IncomeForm,
        actions.do_record_income,
        lambda i: f"已登记{i.village.name}{i.year}年集体经济收入",
        "登记村集体经济收入",
        "economy:incomes",
    )


# --- enterprise requests (万人助万企) ---------------------------------------------------------------------------------


def _manageable_enterprises(user: Any) -> Any:
    return Enterprise.objects.restrict(user, Action.MANAGE).select_related("village").order_by("village__code", "name")


@login_required
def requests(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()

    def rows(shown: list[Any]) -> dict[str, Any]:
        supervise_requests(shown, today)
        return {"rows": shown}

    can_register = _manageable_enterprises(request.user).exists
    return village_list_page(
        request,
        request_list,
        "economy/requests.html",
        rows=rows,
        context=lambda: {
            "states": RequestState.choices(),
            "can_register": can_register(),
            "can_enterprise": project_towns(request.user).exists(),
            "is_county_admin": has_role(request.user, Role.COUNTY_ADMIN),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def enterprise_new(request: HttpRequest) -> HttpResponse:
    villages = Unit.objects.restrict(request.user, Action.MANAGE).filter(kind=UnitKind.VILLAGE, active=True)
    if not villages.exists():
        raise PermissionDenied
    form = EnterpriseForm(request.POST or None, user=request.user, villages=villages.order_by("code"))
    done = submit(request, form, lambda data: actions.do_register_enterprise(request.user, **data),
                  lambda e: f"已登记包联企业「{e.name}」", "economy:request_new")  # fmt: skip
    if done:
        return done
    return render(request, "economy/project_form.html", {"form": form, "title": "登记包联企业",
                  "back": reverse("economy:requests")}, status=400 if form.errors else 200)  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def request_new(request: HttpRequest) -> HttpResponse:
    enterprises = _manageable_enterprises(request.user)
    if not project_towns(request.user).exists():
        raise PermissionDenied
    form = RequestForm(request.POST or None, enterprises=enterprises)
    done = submit(
        request,
        form,
        lambda data: actions.do_register_request(
            request.user, enterprise_id=data["enterprise"].pk, content=data["content"],
            received_on=data["received_on"], hard=data["hard"], official=data["official"],
        ),
        lambda r: f"已受理{r.enterprise.name}的诉求，办结时限 {r.solve_due:%Y-%m-%d}",
    )  # fmt: skip
    if done:
        return done
    return render(request, "economy/request_form.html", {"form": form, "title": "受理企业诉求"},
                  status=400 if form.errors else 200)  # fmt: skip


def _request_page(request: HttpRequest, found: Any, error: str = "", status: int = 200) -> HttpResponse:
    supervise_requests([found], timezone.localdate())
    moves: list[RequestMove] = []
    manage = covers(request.user, Action.MANAGE, found.enterprise.village.prefix)
    if manage:
        for role in roles_over(request.user, found.enterprise.village.prefix):
            moves += [m for m in REQUEST_WORKFLOW.available_actions(RequestState(found.state), role) if m not in moves]
    context = {
        "r": found,
        "steps": list(found.steps.restrict(request.user)),
        "moves": moves,
        "manage": manage,
        "error": error,
        "satisfactions": Satisfaction.choices(),
        "escalate_form": EscalateForm(),
    }
    return render(request, "economy/request.html", context, status=status)


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _request_page(request, access_request(request.user, pk))


@login_required
@require_POST
def request_step(request: HttpRequest, pk: int) -> HttpResponse:
    found = access_request(request.user, pk, Action.MANAGE)
    return submit_or_show(
        request,
        RequestStepForm(request.POST),
        lambda d: actions.do_step_request(request.user, found.pk, d["move"], acted_on=d["acted_on"], note=d["note"],
                                          satisfaction=d["satisfaction"]),
        lambda r: f"诉求{r.state_label}",
        found,
        invalid="请填写日期（年-月-日）",
        show=lambda message: _request_page(request, found, message, status=400),
    )  # fmt: skip


@login_required
@require_POST
def request_escalate(request: HttpRequest, pk: int) -> HttpResponse:
    found = access_request(request.user, pk, Action.MANAGE)
    return submit_or_show(
        request,
        EscalateForm(request.POST),
        lambda d: actions.do_escalate_request(request.user, found.pk, level=d["level"], reason=d["reason"]),
        lambda r: f"已提级到{r.level_label}办理",
        found,
        invalid="请选择提级层级并填写原因",
        show=lambda message: _request_page(request, found, message, status=400),
    )


@login_required
@require_http_methods(["GET", "POST"])
def rhythm(request: HttpRequest) -> HttpResponse:
    county = own_unit(request.user, (UnitKind.COUNTY,))
    if county is None or not covers(request.user, Action.ADMIN, county.prefix):
        raise PermissionDenied
    current = actions.rhythm_for_county(county)
    form = RhythmForm(request.POST or None, initial=current)
    done = submit(request, form, lambda data: actions.do_set_rhythm(request.user, county=county, **data),
                  "已保存企业诉求办理时限", "economy:requests")  # fmt: skip
    if done:
        return done
    title = f"{county.name}企业诉求办理时限（工作日）"
    context = {"form": form, "title": title, "back": reverse("economy:requests")}
    return render(request, "economy/project_form.html", context, status=400 if form.errors else 200)
