"""Criteria pages (list, a set's stars → sections → indicators, inline editing of drafts, publish, copy, Excel)
and plan pages (a village's 创星计划, a town's targets against current standing)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xingyao.core import metrics
from xingyao.core.exports import xlsx_response
from xingyao.core.http import AuthedRequest
from xingyao.core.roles import Action
from xingyao.core.scoping import covers
from xingyao.core.views_helpers import run_action, run_posted, submit, submit_import
from xingyao.places.codes import Kind as UnitLevel
from xingyao.places.models import Unit
from xingyao.places.queries import access_unit, top_units
from xingyao.stars import actions
from xingyao.stars.exports import (
    INDICATOR_COLUMNS,
    INDICATOR_OPTIONAL,
    STAR_COLUMNS,
    STAR_OPTIONAL,
    criteria_workbook,
    plans_workbook,
)
from xingyao.stars.forms import (
    CopyForm,
    CriteriaSetCreateForm,
    CriteriaSetEditForm,
    ImportForm,
    IndicatorForm,
    PlanForm,
    StarForm,
)
from xingyao.stars.hooks import plan_page_parts
from xingyao.stars.models import CriteriaSet, Indicator, Section, StarPlan, Status
from xingyao.stars.queries import (
    access_criteria_set,
    access_indicator,
    access_plan,
    access_star,
    criteria_for,
    held_stars,
    plans_of,
    plans_overview,
    visible_criteria_sets,
)


def _htmx(request: AuthedRequest) -> bool:
    """Whether HTMX sent the request (django-htmx's middleware sets `request.htmx`)."""
    return bool(getattr(request, "htmx", False))


def _admin_counties(user: Any) -> list[Unit]:
    return list(Unit.objects.restrict(user, Action.ADMIN).filter(kind=UnitLevel.COUNTY).order_by("code"))


# --- criteria sets --------------------------------------------------------------------------------


@login_required
@require_GET
def criteria_list(request: AuthedRequest) -> HttpResponse:
    return render(
        request,
        "stars/criteria_list.html",
        {
            "sets": visible_criteria_sets(request.user),
            "can_create": bool(_admin_counties(request.user)),
            "metrics": metrics.all_metrics(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def criteria_create(request: AuthedRequest) -> HttpResponse:
    if not _admin_counties(request.user):
        raise PermissionDenied
    initial = {"year": timezone.localdate().year, "name": f"{timezone.localdate().year}年农村“五星”支部创建评定标准"}
    form = CriteriaSetCreateForm(request.POST or None, user=request.user, initial=initial)
    said = "已创建草稿：可逐项添加指标，或从 Excel 导入"
    if done := submit(request, form, lambda data: actions.do_create_criteria_set(request.user, **data), said):
        return done
    return render(
        request, "stars/form.html", {"form": form, "title": "新建评定标准", "back": reverse("stars:criteria")}
    )


def _grouped(criteria_set: CriteriaSet) -> list[dict[str, Any]]:
    """Stars → sections → indicators in four queries, each indicator with its data source (or None)."""
    stars = list(criteria_set.stars.select_related("review_department"))
    sections = list(Section.objects.filter(star__criteria_set=criteria_set).order_by("star__order", "order", "id"))
    indicators = list(criteria_set.indicators.order_by("order", "id"))
    by_section: dict[int, list[Indicator]] = {}
    for indicator in indicators:
        indicator.metric = metrics.get(indicator.data_source)  # type: ignore[attr-defined]
        by_section.setdefault(indicator.section_id, []).append(indicator)
    names = {s.code: s.name for s in stars}
    return [
        {
            "star": star,
            "prerequisite_names": [names.get(c, c) for c in star.prerequisites],
            "sections": [
                {"section": section, "indicators": by_section.get(section.pk, [])}
                for section in sections
                if section.star_id == star.pk
            ],
            "points": sum(i.points for i in indicators if i.star_id == star.pk),
        }
        for star in stars
    ]


@login_required
@require_GET
def criteria_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    criteria_set = access_criteria_set(request.user, pk)
    groups = _grouped(criteria_set)
    bound = [i for g in groups for s in g["sections"] for i in s["indicators"] if i.data_source]
    is_admin = covers(request.user, Action.ADMIN, criteria_set.county.prefix)
    return render(
        request,
        "stars/criteria_detail.html",
        {
            "set": criteria_set,
            "groups": groups,
            "indicator_count": sum(len(s["indicators"]) for g in groups for s in g["sections"]),
            "bound_count": len(bound),
            "live_count": sum(1 for i in bound if metrics.is_connected(i.data_source)),
            "is_admin": is_admin,
            "can_edit": is_admin and criteria_set.status == Status.DRAFT,
            "copy_form": CopyForm(initial={"year": criteria_set.year + 1}),
            "not_connected": metrics.NOT_CONNECTED,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def criteria_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    criteria_set = access_criteria_set(request.user, pk, Action.ADMIN)
    initial = {
        "name": criteria_set.name,
        "note": criteria_set.note,
        "dept_review": criteria_set.dept_review,
        "publicity_days": criteria_set.publicity_days,
    }
    form = CriteriaSetEditForm(request.POST or None, initial=initial)
    save = submit(
        request,
        form,
        lambda data: actions.do_update_criteria_set(request.user, criteria_set, **data),
        "已保存",
        criteria_set,
    )
    if save:
        return save
    return render(
        request,
        "stars/form.html",
        {"form": form, "title": f"修改「{criteria_set}」", "back": criteria_set.get_absolute_url()},
    )


@login_required
@require_POST
def criteria_publish(request: AuthedRequest, pk: int) -> HttpResponse:
    criteria_set = access_criteria_set(request.user, pk, Action.ADMIN)
    said = "已发布：标准从此不可修改，各村将按此标准评定"
    run_action(request, lambda: actions.do_publish_criteria_set(request.user, criteria_set), said)
    return redirect(criteria_set)


@login_required
@require_POST
def criteria_copy(request: AuthedRequest, pk: int) -> HttpResponse:
    source = access_criteria_set(request.user, pk, Action.ADMIN)
    copied = run_posted(
        request,
        CopyForm(request.POST),
        "请填写 2000 到 2100 之间的年度",
        lambda data: actions.do_copy_criteria_set(request.user, source, data["year"]),
        lambda copy: f"已复制为 {copy.year} 年度草稿，可修改后发布",
    )
    return redirect(copied.value or source)


@login_required
@require_GET
def criteria_export(request: AuthedRequest, pk: int) -> HttpResponse:
    criteria_set = access_criteria_set(request.user, pk)
    return xlsx_response(criteria_workbook(criteria_set), f"{criteria_set}.xlsx")


@login_required
@require_http_methods(["GET", "POST"])
def criteria_import(request: AuthedRequest, pk: int) -> HttpResponse:
    criteria_set = access_criteria_set(request.user, pk, Action.ADMIN)
    form = ImportForm(request.POST or None, request.FILES or None)
    if criteria_set.status == Status.PUBLISHED:
        messages.error(request, actions.PUBLISHED_MESSAGE)
        return redirect(criteria_set)
    done, errors = submit_import(
        request,
        form,
        lambda data: actions.do_import_criteria(request.user, criteria_set, data["file"], data["file"].name),
        lambda result: f"导入完成：{result.stars} 颗星，{result.indicators} 项指标",
        criteria_set,
    )
    if done:
        return done
    return render(
        request,
        "stars/criteria_import.html",
        {
            "set": criteria_set,
            "form": form,
            "errors": errors,
            "indicator_columns": INDICATOR_COLUMNS + INDICATOR_OPTIONAL,
            "star_columns": STAR_COLUMNS + STAR_OPTIONAL,
        },
    )


# --- stars and indicators of a draft -------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def star_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    star = access_star(request.user, pk, Action.ADMIN)
    others = [(s.code, s.name) for s in star.criteria_set.stars.exclude(pk=star.pk)]
    initial = {
        "name": star.name,
        "min_points": star.min_points,
        "require_all_required": star.require_all_required,
        "prerequisites": star.prerequisites,
        "review_department": star.review_department_id,
    }
    county = star.criteria_set.county
    form = StarForm(request.POST or None, initial=initial, others=others, user=request.user, county=county)
    said = f"已保存「{star.name}」的评定规则"
    if done := submit(
        request, form, lambda data: actions.do_update_star(request.user, star, **data), said, star.criteria_set
    ):
        return done
    return render(
        request,
        "stars/form.html",
        {"form": form, "title": f"修改「{star.name}」的评定规则", "back": star.criteria_set.get_absolute_url()},
    )


def _indicator_context(indicator: Indicator) -> dict[str, Any]:
    indicator.metric = metrics.get(indicator.data_source)  # type: ignore[attr-defined]
    return {"i": indicator, "can_edit": True, "not_connected": metrics.NOT_CONNECTED}


@login_required
@require_GET
def indicator_row(request: AuthedRequest, pk: int) -> HttpResponse:
    indicator = access_indicator(request.user, pk)
    if not _htmx(request):
        return redirect(f"{indicator.criteria_set.get_absolute_url()}#indicator-{indicator.pk}")
    context = _indicator_context(indicator)
    context["can_edit"] = covers(request.user, Action.ADMIN, indicator.criteria_set.county.prefix) and (
        indicator.criteria_set.status == Status.DRAFT
    )
    return render(request, "stars/_indicator_row.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def indicator_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    indicator = access_indicator(request.user, pk, Action.ADMIN)
    criteria_set = indicator.criteria_set
    if criteria_set.status == Status.PUBLISHED and request.method == "GET":
        messages.error(request, actions.PUBLISHED_MESSAGE)
        return redirect(criteria_set)
    form = IndicatorForm(request.POST or None, initial=IndicatorForm.initial_for(indicator))
    in_place = _htmx(request)  # the row edited in place: answered with the row, no flash
    saved = submit(
        request,
        form,
        lambda data: actions.do_update_indicator(request.user, indicator, **data),
        "" if in_place else f"已保存指标 {indicator.code}",
        f"{criteria_set.get_absolute_url()}#indicator-{indicator.pk}",
    )
    if saved and in_place:
        return render(request, "stars/_indicator_row.html", _indicator_context(indicator))
    if saved:
        return saved
    context = {
        "form": form,
        "i": indicator,
        "sections": indicator.star.sections.all(),
        "action": reverse("stars:indicator_edit", args=[indicator.pk]),
        "cancel": reverse("stars:indicator_row", args=[indicator.pk]),
        "source_choices": metrics.all_metrics(connected=False),
    }
    if _htmx(request):
        return render(request, "stars/_indicator_form_row.html", context)
    context |= {"title": f"修改指标 {indicator.code}", "back": criteria_set.get_absolute_url()}
    return render(request, "stars/indicator_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def indicator_create(request: AuthedRequest, pk: int) -> HttpResponse:
    star = access_star(request.user, pk, Action.ADMIN)
    criteria_set = star.criteria_set
    if criteria_set.status == Status.PUBLISHED:
        messages.error(request, actions.PUBLISHED_MESSAGE)
        return redirect(criteria_set)
    form = IndicatorForm(request.POST or None, initial={"evidence_count": 1, "comparison": ">=", "kind": "bool"})
    create = submit(
        request,
        form,
        lambda data: actions.do_create_indicator(request.user, star, **data),
        lambda indicator: f"已添加指标 {indicator.code}",
        lambda indicator: f"{criteria_set.get_absolute_url()}#indicator-{indicator.pk}",
    )
    if create:
        return create
    return render(
        request,
        "stars/indicator_form.html",
        {
            "form": form,
            "sections": star.sections.all(),
            "title": f"为「{star.name}」添加指标",
            "back": criteria_set.get_absolute_url(),
            "source_choices": metrics.all_metrics(connected=False),
        },
    )


@login_required
@require_POST
def indicator_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    indicator = access_indicator(request.user, pk, Action.ADMIN)
    criteria_set = indicator.criteria_set
    if not run_action(request, lambda: actions.do_delete_indicator(request.user, indicator)):
        return redirect(criteria_set)
    if _htmx(request):
        return HttpResponse("")
    messages.success(request, "已删除指标")
    return redirect(criteria_set)


# --- plans ---------------------------------------------------------------------------------------


def _default_year(user: Any) -> int:
    latest = visible_criteria_sets(user).filter(status=Status.PUBLISHED).values_list("year", flat=True).first()
    return latest or timezone.localdate().year


@login_required
@require_GET
def plan_home(request: AuthedRequest) -> HttpResponse:
    """Send each user to the plans of the highest unit he sees: his village, his town, or his county."""
    year = _default_year(request.user)
    levels = [UnitLevel.PROVINCE, UnitLevel.CITY, UnitLevel.COUNTY, UnitLevel.TOWN, UnitLevel.VILLAGE]
    units = [u for u in top_units(request.user).order_by("code") if u.kind in levels]
    if not units:
        raise Http404
    unit = min(units, key=lambda u: (levels.index(UnitLevel(u.kind)), u.code))
    return redirect("stars:plans", unit.code, year)


@login_required
@require_GET
def plans(request: AuthedRequest, code: str, year: int) -> HttpResponse:
    unit = access_unit(request.user, code)
    if unit.kind == UnitLevel.VILLAGE:
        return _village_plans(request, unit, year)
    if unit.kind in (UnitLevel.TOWN, UnitLevel.COUNTY, UnitLevel.CITY, UnitLevel.PROVINCE):
        return _overview(request, unit, year)
    raise Http404


def _village_plans(request: AuthedRequest, village: Unit, year: int) -> HttpResponse:
    criteria_set = criteria_for(village, year)
    stars = list(criteria_set.stars.all()) if criteria_set else []
    by_code = {p.star_code: p for p in plans_of(request.user, [village.pk], year)}
    held = held_stars([village.pk], year)[village.pk]
    held_before = held_stars([village.pk], year - 1)[village.pk]
    parts = plan_page_parts(request.user, list(by_code.values()))
    rows = [
        {
            "star": s,
            "plan": by_code.get(s.code),
            "held": s.code in held,
            "before": s.code in held_before,
            "parts": parts.get(by_code[s.code].pk, []) if s.code in by_code else [],
        }
        for s in stars
    ]
    return render(
        request,
        "stars/plans_village.html",
        {
            "village": village,
            "year": year,
            "set": criteria_set,
            "rows": rows,
            "target_count": len(by_code),
            "held_count": len(held),
            "before_count": len(held_before),
            "can_change": covers(request.user, Action.CHANGE, village.prefix),
            "town_visible": village.parent is not None and covers(request.user, Action.VIEW, village.parent.prefix),
            "years": [year - 1, year + 1],
        },
    )


def _overview(request: AuthedRequest, unit: Unit, year: int) -> HttpResponse:
    overview = plans_overview(request.user, unit, year)
    return render(
        request,
        "stars/plans_overview.html",
        {
            "unit": unit,
            "year": year,
            "set": overview.criteria_set,
            "stars": overview.stars,
            "rows": overview.rows,
            "summary": overview.summary,
            "planned": overview.planned,
            "years": [year - 1, year + 1],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_create(request: AuthedRequest, code: str, year: int, star_code: str) -> HttpResponse:
    village = access_unit(request.user, code, Action.CHANGE)
    criteria_set = criteria_for(village, year) if village.kind == UnitLevel.VILLAGE else None
    star = criteria_set.stars.filter(code=star_code).first() if criteria_set else None
    if star is None:
        raise Http404
    form = PlanForm(request.POST or None, initial={"deadline": f"{year}-11-30"})
    made = submit(
        request,
        form,
        lambda data: actions.do_create_plan(request.user, village, year, star_code, **data),
        f"已制定「{star.name}」创星方案",
        reverse("stars:plans", args=[village.code, year]),
    )
    if made:
        return made
    return render(
        request,
        "stars/form.html",
        {
            "form": form,
            "title": f"{village.name} {year}年「{star.name}」创星方案",
            "back": reverse("stars:plans", args=[village.code, year]),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    plan: StarPlan = access_plan(request.user, pk, Action.CHANGE)
    initial = {f: getattr(plan, f) for f in ("strengths", "gaps", "measures", "responsible", "deadline")}
    form = PlanForm(request.POST or None, initial=initial)
    back = reverse("stars:plans", args=[plan.village.code, plan.year])
    if done := submit(
        request, form, lambda data: actions.do_update_plan(request.user, plan, **data), "已保存创星方案", back
    ):
        return done
    return render(
        request, "stars/form.html", {"form": form, "title": f"修改{plan.village.name}的创星方案", "back": back}
    )


@login_required
def plans_export(request: AuthedRequest, code: str, year: int) -> HttpResponse:
    """A town's or county's 创星计划 table: each village's targets against the stars it holds."""
    unit = access_unit(request.user, code)
    if unit.kind not in (UnitLevel.TOWN, UnitLevel.COUNTY, UnitLevel.CITY, UnitLevel.PROVINCE):
        raise Http404
    return xlsx_response(plans_workbook(request.user, unit, year), f"{unit.name}{year}年创星计划.xlsx")
