"""Unit pages: the tree, one unit with its children and people, edits, imports and exports, working days."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from xingyao.core import calendar, jobs
from xingyao.core.exports import xlsx_response
from xingyao.core.http import AuthedRequest
from xingyao.core.job_views import BIG_EXPORT, start_job
from xingyao.core.models import WorkdayOverride
from xingyao.core.roles import Action
from xingyao.core.scoping import access, covers
from xingyao.core.views_helpers import submit, submit_import
from xingyao.core.workdays import do_remove_workday_override, do_set_workday_override, overrides_for
from xingyao.places import actions
from xingyao.places.codes import Kind
from xingyao.places.exports import unit_ledger
from xingyao.places.forms import ImportForm, UnitCreateForm, UnitEditForm, WorkdayOverrideForm, picker_label
from xingyao.places.hooks import unit_page_parts
from xingyao.places.jobs import EXPORT_UNITS, IMPORT_KINDS
from xingyao.places.queries import PICKER_LIMIT, access_unit, children_of, picker_units, subtree_counts


@login_required
def unit_detail(request: AuthedRequest, code: str) -> HttpResponse:
    unit = access_unit(request.user, code)
    ancestors = [u for u in unit.ancestors() if covers(request.user, Action.VIEW, u.prefix)] if unit.parent_id else []
    return render(
        request,
        "places/unit_detail.html",
        {
            "unit": unit,
            "ancestors": ancestors,
            "children": children_of(request.user, unit),
            "counts": subtree_counts(unit),
            "can_admin": covers(request.user, Action.ADMIN, unit.prefix),
            **unit_page_parts(request.user, unit),  # the people, from accounts
        },
    )


@login_required
def unit_search(request: AuthedRequest) -> JsonResponse:
    """The unit pickers' search: `?q=毛桥&kind=village&action=admin&within=<code>&near=<code>`, JSON, a few rows."""
    action = request.GET.get("action", Action.VIEW)
    kinds = [k for k in request.GET.get("kind", "").split(",") if k]
    if action not in Action.values() or any(k not in {kind.value for kind in Kind} for k in kinds):
        return JsonResponse({"detail": "参数不正确"}, status=400)
    within_code, near_code = request.GET.get("within", "").strip(), request.GET.get("near", "").strip()
    within = access_unit(request.user, within_code) if within_code else None
    near = access_unit(request.user, near_code) if near_code else None
    text = request.GET.get("q", "")[:50]
    units = picker_units(request.user, text, action=action, kinds=kinds, within=within, near=near)
    results = [{"id": u.pk, "code": u.code, "name": u.name, "label": picker_label(u)} for u in units]
    return JsonResponse({"results": results, "more": len(results) == PICKER_LIMIT})


@login_required
@require_http_methods(["GET", "POST"])
def unit_create(request: AuthedRequest, code: str) -> HttpResponse:
    parent = access_unit(request.user, code, Action.ADMIN)
    form = UnitCreateForm(request.POST or None, initial={"code": parent.code if parent.kind == Kind.VILLAGE else ""})
    create = submit(
        request,
        form,
        lambda data: actions.do_create_unit(request.user, parent=parent, **data),
        lambda unit: f"已添加「{unit.name}」",
    )
    if create:
        return create
    return render(
        request, "places/unit_form.html", {"form": form, "unit": parent, "title": f"在「{parent.name}」下添加单位"}
    )


@login_required
@require_http_methods(["GET", "POST"])
def unit_edit(request: AuthedRequest, code: str) -> HttpResponse:
    unit = access_unit(request.user, code, Action.ADMIN)
    initial = {"name": unit.name, "households": unit.households, "active": unit.active}
    form = UnitEditForm(request.POST or None, initial=initial)
    if done := submit(request, form, lambda data: actions.do_update_unit(request.user, unit, **data), "已保存", unit):
        return done
    return render(request, "places/unit_form.html", {"form": form, "unit": unit, "title": f"编辑「{unit.name}」"})


IMPORTERS = {"divisions": actions.do_import_divisions, "grids": actions.do_import_grids}


@login_required
@require_http_methods(["GET", "POST"])
def unit_import(request: AuthedRequest, code: str, what: str) -> HttpResponse:
    importer = IMPORTERS.get(what)
    if importer is None:  # an unknown kind of import is a page that does not exist, not a server error
        raise Http404
    unit = access_unit(request.user, code, Action.ADMIN)
    columns = actions.DIVISION_COLUMNS if what == "divisions" else actions.GRID_COLUMNS + actions.GRID_OPTIONAL
    form = ImportForm(request.POST or None, request.FILES or None)
    big = request.method == "POST" and form.is_valid() and jobs.upload_is_big(form.cleaned_data["file"])
    if big:  # a big file is imported by the background worker, on a page of its own
        start = lambda data: jobs.do_start_job(  # noqa: E731
            request.user, kind=IMPORT_KINDS[what], unit=unit, upload=data["file"], filename=data["file"].name
        )
        done, errors = submit(request, form, start, ""), None
    else:
        done, errors = submit_import(
            request,
            form,
            lambda data: importer(request.user, data["file"], data["file"].name),
            lambda result: f"导入完成：新增 {result.created}，更新 {result.updated}，未变 {result.unchanged}",
            unit,
        )
    if done:
        return done
    title = "导入区划代码" if what == "divisions" else "导入网格"
    return render(
        request,
        "places/unit_import.html",
        {"form": form, "unit": unit, "errors": errors, "title": title, "columns": columns},
    )


# The import's own layout, so an export edited and imported again round-trips.
@login_required
def unit_export(request: AuthedRequest, code: str, what: str) -> HttpResponse:
    if what not in IMPORTERS:
        raise Http404
    unit = access_unit(request.user, code)
    ledger, units = unit_ledger(request.user, unit, what)
    title = ledger.title
    if jobs.export_is_big(units):  # too many rows for one request: the worker writes the file
        return start_job(
            request,
            unit.get_absolute_url(),
            BIG_EXPORT,
            kind=EXPORT_UNITS,
            unit=unit,
            params={"code": unit.code, "what": what},
            label=f"导出{unit.name}{title}",
        )
    content = ledger.workbook(request.user, units)
    return xlsx_response(content, f"{unit.name}-{title}.xlsx")


@login_required
def workdays(request: AuthedRequest, code: str) -> HttpResponse:
    """A unit's working-day overrides, with a form to add one and a deadline preview."""
    unit = access_unit(request.user, code, Action.ADMIN)
    form = WorkdayOverrideForm(request.POST or None)
    back = reverse("places:workdays", args=[unit.code])
    if done := submit(request, form, lambda data: do_set_workday_override(request.user, unit, **data), "已保存", back):
        return done
    overrides = WorkdayOverride.objects.restrict(request.user).filter(unit=unit)
    today = timezone.localdate()
    applied = overrides_for(unit)
    preview = [(n, calendar.add_workdays(today, n, applied)) for n in (1, 3, 5, 7, 15)]
    return render(
        request,
        "core/workdays.html",
        {"unit": unit, "form": form, "overrides": overrides, "preview": preview, "today": today},
    )


@login_required
@require_POST
def workday_remove(request: AuthedRequest, pk: int) -> HttpResponse:
    override = access(WorkdayOverride.objects.select_related("unit"), request.user, pk, Action.ADMIN)
    do_remove_workday_override(request.user, override)
    messages.success(request, "已删除")
    return redirect("places:workdays", code=override.unit.code)
