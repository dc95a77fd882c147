"""人居环境 and 文明幸福 pages: works with before/after photos, toilet coverage, service centres and the county's
room list, services, activities, honours; ledgers out and sheets in."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from xingyao.core import jobs
from xingyao.core.exports import xlsx_response
from xingyao.core.roles import Action
from xingyao.core.uploads import serve_file
from xingyao.core.views_helpers import answer_json, paginate, submit, submit_import, submit_or_show, wants_json
from xingyao.livability import actions, exports, queries
from xingyao.livability.forms import (
    ActivityForm,
    CentreForm,
    FinishForm,
    HonourForm,
    PhotosForm,
    RoomsForm,
    ServiceForm,
    ToiletForm,
    WorkForm,
)
from xingyao.livability.jobs import IMPORT_ACTIVITIES, IMPORT_WORKS
from xingyao.livability.models import Centre
from xingyao.livability.vocabulary import (
    ActivityKind,
    HonourLevel,
    Outcome,
    ServiceMode,
    WorkKind,
)
from xingyao.places.codes import Kind as UnitKind
from xingyao.places.forms import ImportForm, UnitFilterForm
from xingyao.places.queries import access_unit, own_unit, top_units


def _list(
    request: HttpRequest, listing: Callable[[Any, Any], Any], template: str, per_page: int = 30, **extra: Any
) -> HttpResponse:
    """A list page: the village filter, the list function's filters, a page of rows."""
    village = UnitFilterForm.village(request)
    found = listing(request.user, village.params(request.GET))
    page = paginate(request, found if village.is_valid() else found.none(), per_page)
    context = {
        "page": page,
        "params": request.GET,
        "village_filter": village,
        "can_keep": queries.kept_villages(request.user).exists(),
        **extra,
    }
    return render(request, template, context, status=200 if village.is_valid() else 400)


def _export(request: HttpRequest, listing: Callable[[Any, Any], Any], ledger: Any, filename: str) -> HttpResponse:
    found = listing(request.user, UnitFilterForm.village(request).params(request.GET))
    return xlsx_response(ledger.workbook(request.user, found), filename)


def _kept(request: HttpRequest) -> Any:
    villages = queries.kept_villages(request.user)
    if not villages.exists():
        raise PermissionDenied
    return villages


def _form_page(
    request: HttpRequest, form: Any, title: str, cancel: str, status: int | None = None, offline: str = ""
) -> HttpResponse:
    """A record's form; `offline` names it for the phone's outbox when it may be filled without signal."""
    code = status if status is not None else 400 if form.errors else 200
    context = {"form": form, "title": title, "cancel": cancel, "offline": offline}
    return render(request, "livability/form.html", context, status=code)


# --- works ---------------------------------------------------------------------------------------------------


@login_required
def works(request: HttpRequest) -> HttpResponse:
    return _list(request, queries.work_list, "livability/works.html", kinds=WorkKind.choices())


@login_required
def works_export(request: HttpRequest) -> HttpResponse:
    return _export(request, queries.work_list, exports.WORKS, "人居环境工程台账.xlsx")


@login_required
@require_http_methods(["GET", "POST"])
def work_new(request: HttpRequest) -> HttpResponse:
    villages = _kept(request)
    form = WorkForm(request.POST or None, request.FILES or None, user=request.user, villages=villages)

    def record(data: dict[str, Any]) -> Any:
        return actions.do_record_work(
            request.user,
            village=data["village"],
            kind=data["kind"],
            quantity=data["quantity"],
            unit=data["measure"],
            place=data["place"],
            started_on=data["started_on"],
            finished_on=data["finished_on"],
            cost=data["cost"],
            note=data["note"],
            photos=form.photos(),
            client_id=data["client_id"],
        )

    def said(work: Any) -> str:
        return f"已登记{work.kind_label} {work.quantity_text}"

    if request.method == "POST" and wants_json(request):  # a work recorded on the phone offline, sent now
        return answer_json(request, form, record, lambda w: {"url": w.get_absolute_url()}, said)
    done = submit(request, form, record, said)
    return done or _form_page(request, form, "登记人居环境工程", reverse("livability:works"), offline="livability.work")


def _photos_context(request: HttpRequest, record: Any) -> dict[str, Any]:
    photos = list(record.photos.restrict(request.user))
    reused = queries.reused_photos(request.user, photos)
    for photo in photos:
        photo.reused_in = reused.get(photo.pk, [])  # type: ignore[attr-defined]
    return {"photos": photos, "can_keep": queries.can_keep(request.user, record.village)}


def _work_page(request: HttpRequest, work: Any, form: PhotosForm | None = None, status: int = 200) -> HttpResponse:
    context = {"work": work, "photos_form": form or PhotosForm(), **_photos_context(request, work)}
    return render(request, "livability/work.html", context, status=status)


@login_required
def work_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _work_page(request, queries.access_work(request.user, pk))


def _add_photos(request: HttpRequest, owner: str, record: Any, page: Callable[..., HttpResponse]) -> HttpResponse:
    form = PhotosForm(request.POST, request.FILES)
    done = submit(
        request,
        form,
        lambda data: actions.do_add_photos(request.user, owner, record.pk, form.photo_list()),
        lambda stored: f"已上传 {len(stored)} 张照片",
        record,
    )
    return done or page(request, record, form, status=400)


@login_required
@require_POST
def work_photos(request: HttpRequest, pk: int) -> HttpResponse:
    return _add_photos(request, "work", queries.access_work(request.user, pk, Action.CHANGE), _work_page)


@login_required
def photo(request: HttpRequest, pk: int) -> FileResponse:
    return serve_file(queries.access_photo(request.user, pk))


@login_required
@require_http_methods(["GET", "POST"])
def works_import(request: HttpRequest) -> HttpResponse:
    columns = actions.WORK_COLUMNS + actions.WORK_OPTIONAL
    return _import(request, actions.do_import_works, columns, "works", IMPORT_WORKS)


@login_required
@require_http_methods(["GET", "POST"])
def activities_import(request: HttpRequest) -> HttpResponse:
    columns = actions.ACTIVITY_COLUMNS + actions.ACTIVITY_OPTIONAL
    return _import(request, actions.do_import_activities, columns, "activities", IMPORT_ACTIVITIES)


def _import(request: HttpRequest, importer: Any, columns: list[str], listed: str, kind: str) -> HttpResponse:
    villages = _kept(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid() and jobs.upload_is_big(form.cleaned_data["file"]):
        # A big sheet is imported by the background worker, on a page of its own.
        unit = top_units(request.user).order_by("code").first() or villages[0]
        start = lambda data: jobs.do_start_job(  # noqa: E731
            request.user, kind=kind, unit=unit, upload=data["file"], filename=data["file"].name
        )
        done, errors = submit(request, form, start, ""), None
    else:
        done, errors = submit_import(
            request,
            form,
            lambda data: importer(request.user, data["file"], data["file"].name),
            lambda result: f"导入完成：新增 {result.created} 条，涉及 {result.villages} 个村",
            f"livability:{listed}",
        )
    if done:
        return done
    title = "导入人居环境工程" if listed == "works" else "导入文化和服务活动"
    context = {"form": form, "errors": errors, "title": title, "columns": columns, "listed": f"livability:{listed}"}
    return render(request, "livability/import.html", context, status=400 if form.errors or errors else 200)


# --- toilets ---------------------------------------------------------------------------------------------------


@login_required
def toilets(request: HttpRequest) -> HttpResponse:
    return _list(request, queries.toilet_list, "livability/toilets.html", per_page=50)


@login_required
@require_http_methods(["GET", "POST"])
def toilets_set(request: HttpRequest) -> HttpResponse:
    villages = _kept(request)
    form = ToiletForm(request.POST or None, user=request.user, villages=villages)
    done = submit(
        request,
        form,
        lambda data: actions.do_set_toilets(
            request.user,
            village=data["village"],
            year=data["year"],
            households=data["households"],
            covered=data["covered"],
        ),
        lambda row: f"已登记{row.village.name}{row.year}年卫生厕所普及率 {row.rate}",
        "livability:toilets",
    )
    return done or _form_page(request, form, "登记卫生厕所普及情况", reverse("livability:toilets"))


# --- service centres and rooms --------------------------------------------------------------------------------


@login_required
def centres(request: HttpRequest) -> HttpResponse:
    return _list(request, queries.centre_list, "livability/centres.html", per_page=50)


def _centre_page(request: HttpRequest, centre: Centre, form: PhotosForm | None = None, status: int = 200) -> Any:
    standard = queries.rooms_for(request.user, centre.village)
    context = {
        "centre": centre,
        "standard": standard,
        "missing": centre.missing(standard),
        "photos_form": form or PhotosForm(initial={"stage": "site"}),
        **_photos_context(request, centre),
    }
    return render(request, "livability/centre.html", context, status=status)


@login_required
def centre_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _centre_page(request, queries.access_centre(request.user, pk))


@login_required
@require_POST
def centre_photos(request: HttpRequest, pk: int) -> HttpResponse:
    return _add_photos(request, "centre", queries.access_centre(request.user, pk, Action.CHANGE), _centre_page)


@login_required
@require_http_methods(["GET", "POST"])
def centre_save(request: HttpRequest) -> HttpResponse:
    villages = _kept(request)
    rooms = queries.rooms_for(request.user, villages[0])
    form = CentreForm(request.POST or None, request.FILES or None, user=request.user, villages=villages, rooms=rooms)
    done = submit(
        request,
        form,
        lambda data: actions.do_save_centre(
            request.user,
            village=data["village"],
            name=data["name"],
            area=data["area"],
            rooms=data["rooms"],
            built_on=data["built_on"],
            rebuilt_on=data["rebuilt_on"],
            upgraded_on=data["upgraded_on"],
            note=data["note"],
            photos=[actions.PhotoIn(f) for f in data["photos"]],
        ),
        lambda centre: f"已保存{centre.village.name}{centre.name}",
    )
    return done or _form_page(request, form, "登记党群服务中心", reverse("livability:centres"))


@login_required
@require_http_methods(["GET", "POST"])
def rooms(request: HttpRequest) -> HttpResponse:
    """The county's list of rooms every 党群服务中心 must have; its admins set it, everyone below reads it."""
    county = own_unit(request.user, (UnitKind.COUNTY,)) or top_units(request.user).order_by("code").first()
    if county is None or county.kind != UnitKind.COUNTY:
        raise PermissionDenied
    county = access_unit(request.user, county.code, Action.ADMIN)
    current = queries.rooms_for(request.user, county)
    form = RoomsForm(request.POST or None, initial={"rooms": "\n".join(current)})
    done = submit(
        request,
        form,
        lambda data: actions.do_set_rooms(request.user, county, data["rooms"]),
        "已保存党群服务中心功能室标准",
        "livability:centres",
    )
    title = f"{county.name}党群服务中心功能室标准"
    return done or _form_page(request, form, title, reverse("livability:centres"))


# --- services ---------------------------------------------------------------------------------------------------


@login_required
def services(request: HttpRequest) -> HttpResponse:
    return _list(
        request,
        queries.service_list,
        "livability/services.html",
        per_page=50,
        modes=ServiceMode.choices(),
        outcomes=Outcome.choices(),
        finish_form=FinishForm(),
        today=timezone.localdate(),
    )


@login_required
@require_http_methods(["GET", "POST"])
def service_new(request: HttpRequest) -> HttpResponse:
    villages = _kept(request)
    form = ServiceForm(request.POST or None, user=request.user, villages=villages)
    done = submit(
        request,
        form,
        lambda data: actions.do_record_service(request.user, **data),
        lambda row: f"已登记便民服务事项「{row.matter}」",
        "livability:services",
    )
    return done or _form_page(request, form, "登记便民服务事项", reverse("livability:services"))


@login_required
@require_POST
def service_finish(request: HttpRequest, pk: int) -> HttpResponse:
    row = queries.access_service(request.user, pk, Action.CHANGE)
    return submit_or_show(
        request,
        FinishForm(request.POST),
        lambda data: actions.do_finish_service(request.user, row.pk, **data),
        lambda done: f"「{done.matter}」{Outcome(done.outcome).label}",
        f"{reverse('livability:services')}?village={row.village_id}",
        invalid="请选择办理结果并填写办结日期",
        show=lambda message: render(request, "livability/refused.html", {"message": message}, status=400),
    )


# --- activities and honours ----------------------------------------------------------------------------------


@login_required
def activities(request: HttpRequest) -> HttpResponse:
    return _list(request, queries.activity_list, "livability/activities.html", kinds=ActivityKind.choices())


@login_required
def activities_export(request: HttpRequest) -> HttpResponse:
    return _export(request, queries.activity_list, exports.ACTIVITIES, "文化和服务活动台账.xlsx")


@login_required
@require_http_methods(["GET", "POST"])
def activity_new(request: HttpRequest) -> HttpResponse:
    villages = _kept(request)
    form = ActivityForm(request.POST or None, request.FILES or None, user=request.user, villages=villages)
    done = submit(
        request,
        form,
        lambda data: actions.do_record_activity(
            request.user,
            village=data["village"],
            kind=data["kind"],
            title=data["title"],
            held_on=data["held_on"],
            organiser=data["organiser"],
            attendance=data["attendance"],
            note=data["note"],
            photos=[actions.PhotoIn(f) for f in data["photos"]],
        ),
        lambda activity: f"已登记{activity.kind_label}「{activity.title}」",
    )
    return done or _form_page(request, form, "登记文化和服务活动", reverse("livability:activities"))


def _activity_page(request: HttpRequest, activity: Any, form: PhotosForm | None = None, status: int = 200) -> Any:
    context = {"activity": activity, "photos_form": form or PhotosForm(initial={"stage": "site"}),
               **_photos_context(request, activity)}  # fmt: skip
    return render(request, "livability/activity.html", context, status=status)


@login_required
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _activity_page(request, queries.access_activity(request.user, pk))


@login_required
@require_POST
def activity_photos(request: HttpRequest, pk: int) -> HttpResponse:
    activity = queries.access_activity(request.user, pk, Action.CHANGE)
    return _add_photos(request, "activity", activity, _activity_page)


@login_required
def honours(request: HttpRequest) -> HttpResponse:
    return _list(request, queries.honour_list, "livability/honours.html", per_page=50, levels=HonourLevel.choices())


@login_required
@require_http_methods(["GET", "POST"])
def honour_new(request: HttpRequest) -> HttpResponse:
    villages = _kept(request)
    form = HonourForm(request.POST or None, user=request.user, villages=villages)
    done = submit(
        request,
        form,
        lambda data: actions.do_record_honour(request.user, **data),
        lambda honour: f"已登记{honour}",
        "livability:honours",
    )
    return done or _form_page(request, form, "登记荣誉", reverse("livability:honours"))
