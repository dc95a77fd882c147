"""Grid pages: worklist and figures, reporting from the phone, one event with its history, the town map,
categories, grid people, the ledger, and the residents' public form."""

from __future__ import annotations

import datetime as dt
from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, Sum
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from xingyao.core import jobs, ratelimit
from xingyao.core.errors import ActionError
from xingyao.core.exports import xlsx_response
from xingyao.core.filters import Params
from xingyao.core.privacy import STAFF_CONTACTS, name_for, phone_for, sees_contacts
from xingyao.core.roles import Action
from xingyao.core.roles import Role as CoreRole
from xingyao.core.scoping import covers, held_roles
from xingyao.core.uploads import serve_photo
from xingyao.core.views_helpers import (
    answer_json,
    form_error,
    run_action,
    run_posted,
    submit,
    submit_import,
    submit_or_show,
    wants_json,
)
from xingyao.grid import actions, exports, public
from xingyao.grid.forms import (
    CategoryForm,
    DispatchForm,
    MoveForm,
    NoteForm,
    PostAddForm,
    ReportForm,
    ResidentForm,
    SuperviseForm,
    WorkerImportForm,
)
from xingyao.grid.jobs import EXPORT_EVENTS, IMPORT_WORKERS
from xingyao.grid.models import Event, EventCategory, GridPost, Post, ResidentLink, Source
from xingyao.grid.queries import (
    RANK_LEVEL,
    TABS,
    access_county,
    access_event,
    access_event_for_work,
    access_photo,
    categories_for,
    default_department,
    event_counts,
    leaf_choices,
    level_of,
    may_see_contact,
    reportable_units,
    with_level,
    work_roles,
    worklist,
)
from xingyao.grid.workflow import Action as Move
from xingyao.grid.workflow import Level, State, available_actions
from xingyao.places.codes import Kind
from xingyao.places.forms import UnitFilterForm
from xingyao.places.lists import ledger_download, village_list_page
from xingyao.places.models import Unit
from xingyao.places.queries import access_unit

# Actions whose form needs more than a button.
REASON_MOVES = {
    Move.SEND_BACK,
    Move.RETURN_REPORT,
    Move.RETURN_FOR_REWORK,
    Move.REQUEST_EXTENSION,
    Move.REJECT_EXTENSION,
    Move.MARK_LEGACY,
}


KEPT_TABS = ("todo", "progress")  # offline.keep_page'd in GridConfig.ready()


@login_required
def events(request: HttpRequest) -> HttpResponse:
    now = timezone.now()

    def levelled(events: list[Any]) -> dict[str, Any]:
        for event in events:
            event.level = RANK_LEVEL[event.level_rank]
        tab = request.GET.get("tab") or "all"
        return {
            "counts": event_counts(Event.objects.restrict(request.user), now),
            "tab": tab,
            # A grid worker's phone keeps the events of his lists for reading (and adding notes) without signal.
            "keep_pages": tab in KEPT_TABS
            and any(role == CoreRole.GRID_WORKER for role, _ in held_roles(request.user)),
        }

    return village_list_page(
        request,
        lambda user, params: worklist(user, params, now),
        "grid/events.html",
        table=("event-table", "grid/_event_table.html"),
        rows=levelled,
        context=lambda: {
            "tabs": TABS,
            "states": [(s.value, s.label) for s in State],
            "levels": [(lv.value, lv.label) for lv in Level],
            "sources": Source.choices,
            "categories": EventCategory.objects.restrict(request.user).filter(level=1).order_by("code"),
            "can_report": reportable_units(request.user).exists(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest) -> HttpResponse:
    units = reportable_units(request.user)
    first = units.first()
    if first is None:
        raise PermissionDenied
    categories = categories_for(first)
    form = ReportForm(
        request.POST or None, request.FILES or None, user=request.user, units=units, categories=leaf_choices(categories)
    )

    def file(data: dict[str, Any]) -> Event:
        unit = data["unit"]
        category = next((c for c in categories if c.pk == data["category"]), None)
        if unit is None or category is None:
            raise ActionError("请选择所在网格和事件分类")
        fields = ("title", "description", "address", "latitude", "longitude", "photos", "client_id")
        return actions.do_report_event(request.user, unit=unit, category=category, **{f: data[f] for f in fields})

    if request.method == "POST" and wants_json(request):  # a report kept on the phone offline, sent now
        return answer_json(
            request,
            form,
            file,
            lambda e: {"number": e.number, "url": e.get_absolute_url()},
            lambda e: f"已上报，事件编号 {e.number}",
        )
    if done := submit(request, form, file, lambda event: f"已上报，事件编号 {event.number}"):
        return done
    return render(request, "grid/report.html", {"form": form}, status=400 if form.errors else 200)


def _offered(user: Any, event: Event) -> list[Move]:
    state = actions.event_state(event)
    offered: set[Move] = set()
    for role, department in work_roles(user, event):
        offered |= set(available_actions(state, role, actor_id=user.pk, actor_department=department))
    return [m for m in Move if m in offered]


def _dispatch_form(user: Any, event: Event) -> DispatchForm:
    """The department picker, its category's usual department chosen (派出所 for a dispute, 住建 for a road)."""
    suggested = default_department(event)
    return DispatchForm(user=user, event=event, initial={"department": suggested.pk if suggested else None})


def _detail(
    request: HttpRequest,
    event: Event,
    *,
    error: str = "",
    posted: Any = None,
    status: int = 200,
    dispatch_form: DispatchForm | None = None,
    note_form: NoteForm | None = None,
) -> HttpResponse:
    user = request.user
    offered = _offered(user, event)
    can_supervise = event.state != State.CLOSED and covers(user, Action.SUPERVISE, event.unit.prefix)
    show_contact = may_see_contact(user, event)
    can_note = event.state != State.CLOSED and bool(work_roles(user, event))
    return render(
        request,
        "grid/event_detail.html",
        {
            "event": event,
            "level": level_of(event),
            "steps": event.steps.restrict(request.user),
            "photos": event.photos.restrict(request.user),
            "duplicates": event.duplicates.restrict(request.user),
            "simple_moves": [
                m for m in offered if m not in REASON_MOVES and m not in (Move.DISPATCH, Move.MARK_DUPLICATE)
            ],
            "reason_moves": [m for m in offered if m in REASON_MOVES],
            "can_dispatch": Move.DISPATCH in offered,
            "can_mark_duplicate": Move.MARK_DUPLICATE in offered,
            "dispatch_form": (dispatch_form or _dispatch_form(user, event)) if Move.DISPATCH in offered else None,
            "needs_before": Move.START_HANDLING in offered,
            "needs_after": Move.GIVE_FEEDBACK in offered,
            "can_supervise": can_supervise,
            "note_form": (note_form or NoteForm()) if can_note else None,
            "supervise_form": SuperviseForm(initial={"level": Level.RED}) if can_supervise else None,
            "contact_name": name_for(show_contact, event.contact_name),
            "contact_phone": phone_for(show_contact, event.contact_phone),
            "error": error,
            "posted": posted or {},
        },
        status=status,
    )


@login_required
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, access_event(request.user, pk))


# A step kept on a phone and sent later, for an event that is gone from the sender's work (his grid given to
# another) or never was his: one answer for both, so a guessed number reveals nothing.
NOT_YOURS = "该事件不存在，或已不在您的办理范围内（负责的网格可能已调整），这条记录未能上传"


def _event_for_step(request: HttpRequest, pk: int) -> Event | JsonResponse:
    """The event a step is taken on; for a phone's outbox, a refusal it can show instead of a page."""
    try:
        return access_event_for_work(request.user, pk)
    except (Http404, PermissionDenied):
        if not wants_json(request):
            raise
        return JsonResponse({"detail": NOT_YOURS}, status=404)


def _answer(request: HttpRequest, event: Event) -> dict[str, str]:
    """Where the phone goes once its step is taken: the event, or the list when it no longer sees it."""
    seen = Event.objects.restrict(request.user).filter(pk=event.pk).exists()
    return {"number": event.number, "url": event.get_absolute_url() if seen else reverse("grid:events")}


@login_required
@require_POST
def event_note(request: HttpRequest, pk: int) -> HttpResponse:
    """A note with photos and the place, added on the spot (kept on the phone without signal)."""
    event = _event_for_step(request, pk)
    if isinstance(event, JsonResponse):
        return event
    form = NoteForm(request.POST, request.FILES)

    def add(data: dict[str, Any]) -> Event:
        fields = ("text", "photos", "latitude", "longitude", "client_id")
        return actions.do_add_note(request.user, event, **{f: data[f] for f in fields})

    if wants_json(request):
        return answer_json(request, form, add, lambda e: _answer(request, e), "已补充情况")
    return submit_or_show(
        request,
        form,
        add,
        "已补充情况",
        event,
        invalid="请填写情况说明",
        show=lambda error: _detail(request, event, error=error, status=400, note_form=form),
    )


@login_required
@require_POST
def event_act(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event_for_step(request, pk)
    if isinstance(event, JsonResponse):
        return event
    form = MoveForm(request.POST, request.FILES)
    if wants_json(request):  # a step kept on the phone offline, sent now
        return answer_json(request, form, lambda data: _take_step(request, event, data), lambda e: _answer(request, e))
    if not form.is_valid():
        first = next(iter(form.errors.values()))[0]
        return _detail(request, event, error=str(first), posted=request.POST, status=400)
    data = form.cleaned_data
    department = None
    if data["action"] == Move.DISPATCH:
        dispatch = DispatchForm(request.POST, user=request.user, event=event)
        if not dispatch.is_valid():
            error = next(iter(dispatch.errors.get("department", [])), "请选择承办部门")
            return _detail(request, event, error=str(error), posted=request.POST, status=400, dispatch_form=dispatch)
        department = dispatch.cleaned_data["department"]
    try:
        _take_step(request, event, data, department)
    except ActionError as exc:
        return _detail(request, access_event(request.user, pk), error=exc.message, posted=request.POST, status=400)
    label = Move(data["action"]).label
    messages.success(request, f"已{label}")
    # After sending it back, a department no longer sees the event: go to the list instead of a 404.
    if Event.objects.restrict(request.user).filter(pk=pk).exists():
        return redirect("grid:event", pk=pk)
    return redirect("grid:events")


def _take_step(request: HttpRequest, event: Event, data: dict[str, Any], department: Unit | None = None) -> Event:
    if data["action"] == Move.DISPATCH and department is None:
        dispatch = DispatchForm(request.POST, user=request.user, event=event)
        if not dispatch.is_valid():
            raise ActionError(str(next(iter(dispatch.errors.get("department", [])), "请选择承办部门")), "department")
        department = dispatch.cleaned_data["department"]
    move = actions.MoveInput(
        reason=data["reason"],
        department=department,
        deadline_days=data["deadline_days"],
        extra_days=data["extra_days"],
        duplicate_of=data["duplicate_of"],
        photos=data["photos"],
        reply=data["reply"],
    )
    return actions.do_transition(request.user, event, data["action"], move, client_id=data["client_id"])


@login_required
@require_POST
def event_supervise(request: HttpRequest, pk: int) -> HttpResponse:
    event = access_event(request.user, pk, Action.SUPERVISE)
    return submit_or_show(
        request,
        SuperviseForm(request.POST),
        lambda data: actions.do_supervise(request.user, event, data["level"], data["reason"]),
        "已督办",
        event,
        invalid="请选择督办等级并填写督办意见",
        show=lambda error: _detail(request, event, error=error, status=400),
    )


@login_required
def photo(request: HttpRequest, pk: int) -> FileResponse:
    return serve_photo(request, access_photo(request.user, pk))


@login_required
def event_map(request: HttpRequest) -> HttpResponse:
    """Villages drawn from their geometry and events as points, for one town at a time."""
    user = request.user
    town = UnitFilterForm(request.GET, user=user, name="town", label="乡镇", kinds=(Kind.TOWN,))
    towns = Unit.objects.restrict(user).filter(kind=Kind.TOWN).order_by("code")
    chosen = town.unit() or towns.first()
    villages = Unit.objects.restrict(user).filter(kind=Kind.VILLAGE).exclude(geometry=None).order_by("code")
    events_qs = Event.objects.restrict(user).filter(latitude__isnull=False)
    if chosen is not None:
        villages = villages.within(chosen)
        events_qs = events_qs.within(chosen)
    latest = events_qs.order_by("-reported_at").values_list("reported_at", flat=True).first()
    asked = Params(request.GET).year()  # a bad year is a 400 with the reason, not a 500
    year = asked or (timezone.localtime(latest).year if latest else timezone.localdate().year)
    start = timezone.make_aware(dt.datetime(year, 1, 1))
    end = timezone.make_aware(dt.datetime(year + 1, 1, 1))
    points = (
        with_level(events_qs.filter(Q(reported_at__gte=start, reported_at__lt=end) | ~Q(state=State.CLOSED)))
        .order_by("-reported_at")
        .values("pk", "title", "state", "latitude", "longitude", "level_rank", "category__full_name")[:3000]
    )
    features = [
        {"type": "Feature", "properties": {"name": v.name, "code": v.code}, "geometry": v.geometry}
        for v in villages.only("code", "name", "geometry")
    ]
    data = {
        "geo": {"type": "FeatureCollection", "features": features},
        "points": [
            {
                "id": p["pk"],
                "name": p["title"],
                "value": [float(p["longitude"]), float(p["latitude"])],
                "state": State(p["state"]).label,
                "level": p["level_rank"],
                "category": p["category__full_name"],
                "url": reverse("grid:event", args=[p["pk"]]),
            }
            for p in points
        ],
    }
    shown = not town.is_valid() or towns[1:2].exists()  # one town: nothing to pick, unless the asked one is wrong
    context = {"town_filter": town if shown else None, "chosen": chosen, "data": data, "year": year}
    return render(request, "grid/map.html", context, status=200 if town.is_valid() else 400)


@login_required
def export(request: HttpRequest) -> HttpResponse:
    """The event ledger (网格事件台账) for what the worklist shows, personal data masked per row."""
    rows = worklist(request.user, request.GET)
    return ledger_download(
        request, rows, exports.event_ledger, "网格事件台账", job=EXPORT_EVENTS, back=reverse("grid:events")
    )


# ---- categories


@login_required
def categories(request: HttpRequest) -> HttpResponse:
    county = access_county(request.user, request.GET.get("county"))
    rows = (
        EventCategory.objects.restrict(request.user)
        .filter(county=county)
        .annotate(open_events=Count("events", filter=~Q(events__state=State.CLOSED)))
        .order_by("code")
    )
    return render(
        request,
        "grid/categories.html",
        {"county": county, "categories": rows, "can_admin": covers(request.user, Action.ADMIN, county.prefix)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def category_edit(request: HttpRequest, pk: int | None = None, code: str | None = None) -> HttpResponse:
    if pk is not None:
        category = get_object_or_404(EventCategory.objects.restrict(request.user).select_related("county"), pk=pk)
        county = access_county(request.user, category.county.code)
    else:
        category = None
        county = access_county(request.user, code)
    if not covers(request.user, Action.ADMIN, county.prefix):
        raise PermissionDenied
    parents = [
        c
        for c in EventCategory.objects.restrict(request.user).filter(county=county, level__lt=3)
        if category is None or c.pk != category.pk
    ]
    initial = (
        {
            "code": category.code,
            "name": category.name,
            "parent": category.parent_id,
            "department_type": category.department_type,
            "deadline_days": category.deadline_days,
            "zero_kind": category.zero_kind,
            "active": category.active,
        }
        if category
        else {"active": True, "deadline_days": 5}
    )
    form = CategoryForm(request.POST or None, initial=initial, parents=parents)

    def save(data: dict[str, Any]) -> EventCategory:
        return actions.do_save_category(
            request.user,
            county,
            code=data["code"],
            name=data["name"],
            parent=next((p for p in parents if p.pk == data["parent"]), None),
            department_type=data["department_type"],
            deadline_days=data["deadline_days"],
            zero_kind=data["zero_kind"] or "",
            active=data["active"],
            category=category,
        )

    back = f"{reverse('grid:categories')}?county={county.code}"
    if done := submit(request, form, save, lambda saved: f"已保存「{saved.full_name}」", back):
        return done
    title = f"编辑分类「{category.full_name}」" if category else "添加事件分类"
    return render(request, "grid/category_form.html", {"form": form, "county": county, "title": title})


# ---- grid people


def _grids_under(user: Any, unit: Unit) -> Any:
    return Unit.objects.restrict(user).within(unit).filter(kind__in=[Kind.GRID, Kind.MICROGRID])


@login_required
def people(request: HttpRequest, code: str) -> HttpResponse:
    """The 1+1+N of every grid under a unit, with households; phones for administrators only."""
    unit = access_unit(request.user, code)
    show_phone = sees_contacts(request.user, STAFF_CONTACTS, unit.prefix)
    grids = list(_grids_under(request.user, unit).filter(kind=Kind.GRID).order_by("code"))
    by_grid: dict[int, dict[str, list[dict[str, str]]]] = {g.pk: {p: [] for p in Post.values} for g in grids}
    posts = GridPost.objects.restrict(request.user).filter(unit__in=grids).select_related("membership__user")
    for post in posts.order_by("membership__user__username"):
        holder = post.membership.user
        phone = phone_for(show_phone, holder.phone)
        by_grid[post.unit_id][post.post].append({"name": holder.full_name or holder.username, "phone": phone})
    rows = [(g, by_grid[g.pk]) for g in grids]
    totals = (
        _grids_under(request.user, unit).filter(kind=Kind.GRID).aggregate(n=Count("pk"), households=Sum("households"))
    )
    form = PostAddForm(grids=_grids_under(request.user, unit), unit=unit) if show_phone and grids else None
    return render(
        request,
        "grid/people.html",
        {"unit": unit, "rows": rows, "totals": totals, "can_admin": show_phone, "form": form, "Post": Post},
    )


@login_required
@require_POST
def post_add(request: HttpRequest, code: str) -> HttpResponse:
    unit = access_unit(request.user, code, Action.ADMIN)
    fields = ("grid", "post", "username", "full_name", "phone", "password")
    run_posted(
        request,
        PostAddForm(request.POST, grids=_grids_under(request.user, unit), unit=unit),
        lambda form: str(next(iter(form.errors.get("grid", [])), "请完整填写网格、登录名和岗位")),
        lambda data: actions.do_post_person(request.user, **{f: data[f] for f in fields}),
        lambda post: f"已为「{post.unit.name}」配备{Post(post.post).label}",
    )
    return redirect("grid:people", code=unit.code)


@login_required
@require_http_methods(["GET", "POST"])
def people_import(request: HttpRequest, code: str) -> HttpResponse:
    unit = access_unit(request.user, code, Action.ADMIN)
    form = WorkerImportForm(request.POST or None, request.FILES or None)
    big = request.method == "POST" and form.is_valid() and jobs.upload_is_big(form.cleaned_data["file"])
    if big:  # a big file is imported by the background worker, on a page of its own
        params = {"code": unit.code, "initial_password": form.cleaned_data["initial_password"]}
        start = lambda data: jobs.do_start_job(  # noqa: E731
            request.user, kind=IMPORT_WORKERS, unit=unit, params=params, upload=data["file"], filename=data["file"].name
        )
        done, errors = submit(request, form, start, ""), None
    else:
        done, errors = submit_import(
            request,
            form,
            lambda data: actions.do_import_workers(
                request.user, data["file"], data["file"].name, data["initial_password"]
            ),
            lambda result: (
                f"导入完成：新建账号 {result.users_created}，配备岗位 {result.posts_assigned}，未变 {result.unchanged}"
            ),
            reverse("grid:people", args=[unit.code]),
        )
    if done:
        return done
    columns = [*actions.WORKER_COLUMNS, *actions.WORKER_OPTIONAL]
    return render(
        request, "grid/people_import.html", {"form": form, "unit": unit, "errors": errors, "columns": columns}
    )


@login_required
def people_export(request: HttpRequest, code: str) -> HttpResponse:
    unit = access_unit(request.user, code)
    content = exports.worker_sheet(request.user, unit, _grids_under(request.user, unit))
    return xlsx_response(content, f"{unit.name}-网格人员.xlsx")


# ---- residents' public link


@login_required
@require_http_methods(["GET", "POST"])
def resident_link(request: HttpRequest, code: str) -> HttpResponse:
    village = access_unit(request.user, code, Action.MANAGE)
    if village.kind != Kind.VILLAGE:
        raise Http404
    if request.method == "POST":
        said = "已生成新的上报链接，旧链接和旧二维码即刻失效"
        run_action(request, lambda: actions.do_rotate_resident_link(request.user, village), said)
        return redirect("grid:resident_link", code=village.code)
    link = ResidentLink.objects.restrict(request.user).filter(village=village, active=True).first()
    url = request.build_absolute_uri(link.get_absolute_url()) if link else ""
    qr = segno.make(url, error="m").svg_inline(scale=5, title=f"{village.name}居民上报") if link else ""
    waiting = (
        Event.objects.restrict(request.user)
        .filter(village=village, source=Source.RESIDENT, state=State.REPORTED)
        .count()
    )
    return render(
        request, "grid/resident_link.html", {"village": village, "link": link, "url": url, "qr": qr, "waiting": waiting}
    )


@login_required
def resident_poster(request: HttpRequest, code: str) -> HttpResponse:
    """The residents' QR poster to print: one A4 sheet per village (a town prints all its villages at once)."""
    unit = access_unit(request.user, code, Action.VIEW)
    if unit.kind not in (Kind.VILLAGE, Kind.TOWN):
        raise Http404
    links = (
        ResidentLink.objects.restrict(request.user)
        .within(unit)
        .filter(active=True, village__active=True)
        .select_related("village__parent")
        .order_by("village__code")
    )
    posters = []
    for link in links:
        url = request.build_absolute_uri(link.get_absolute_url())
        title = f"{link.village.name}居民上报二维码"
        posters.append(
            {"village": link.village, "qr": segno.make(url, error="m").svg_inline(scale=6, title=title, omitsize=True)}
        )
    topics = [c.name for c in categories_for(unit) if c.parent_id is None][:8]
    return render(
        request,
        "grid/resident_poster.html",
        {"unit": unit, "posters": posters, "topics": topics, "hotline": settings.XINGYAO_RESIDENT_HOTLINE},
    )


def _pick(categories: list[EventCategory], pk: int) -> EventCategory:
    found = next((c for c in categories if c.pk == pk), None)
    if found is None:
        raise ActionError("请选择问题类别", "category")
    return found


@require_http_methods(["GET", "POST"])
def public_report(request: HttpRequest, token: str) -> HttpResponse:
    """The residents' form: no login, no personal data shown, rate-limited, a honeypot for robots."""
    link = (
        ResidentLink.objects.unscoped("the public report page: the token is the key")
        .select_related("village")
        .filter(token=token, active=True)
        .first()
    )
    if link is None or not link.village.active:
        raise Http404
    village = link.village
    categories = categories_for(village)
    form = ResidentForm(request.POST or None, request.FILES or None, categories=leaf_choices(categories))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                actions.check_resident_rate(link, ratelimit.client_address(request))
                if data["website"]:
                    raise ActionError("提交未成功，请刷新页面后重试")
                event = actions.do_report_as_resident(
                    link,
                    category=_pick(categories, data["category"]),
                    description=data["description"],
                    address=data["address"],
                    contact_name=data["contact_name"],
                    contact_phone=data["contact_phone"],
                    photos=data["photos"],
                )
            except ActionError as exc:
                form_error(form, exc)
                status = 429 if "频繁" in exc.message else 400
            else:
                done = {"village": village, "number": event.number, "code": public.track_code(event)}
                return render(request, "grid/public_done.html", {**done, "track_url": public.track_url(event)})
    return render(request, "grid/public_report.html", {"form": form, "village": village}, status=status)


@require_http_methods(["GET"])
def track(request: HttpRequest) -> HttpResponse:
    """A resident checks his report by its 受理编号 and 查询码: no login, rate-limited, unknown numbers and wrong codes
    answered alike, and nothing but the state and the public reply shown."""
    number = str(request.GET.get("n", ""))[:30].strip()
    code = str(request.GET.get("c", ""))[:20].strip()
    context: dict[str, Any] = {"number": number, "code": code}
    if not number and not code:
        return render(request, "grid/track.html", context)
    if ratelimit.hit(f"track:ip:{ratelimit.client_address(request)}", public.LOOKUP_LIMIT, public.LOOKUP_WINDOW):
        context["error"] = "查询过于频繁，请稍后再试。"
        return render(request, "grid/track.html", context, status=429)
    found = public.find(number, code)
    if found is None:
        context["error"] = "没有查到这条反映。请核对受理编号和查询码（在提交后的回执上）。"
        return render(request, "grid/track.html", context, status=404)
    context["found"] = found
    return render(request, "grid/track.html", context)
