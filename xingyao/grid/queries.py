"""The read side of grid events: scoped fetches, the role a user acts in, worklists, counts and 督办 levels in SQL."""

from __future__ import annotations

import datetime as dt
from functools import reduce
from operator import or_
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.db.models.functions import Greatest
from django.http import Http404
from django.utils import timezone

from xingyao.core.filters import Params
from xingyao.core.privacy import ContactRule, sees_contacts
from xingyao.core.roles import Action
from xingyao.core.roles import Role as CoreRole
from xingyao.core.scoping import access, held_roles, near
from xingyao.grid.models import CLOCK_STATES, OPEN_STATES, Event, EventCategory, EventPhoto
from xingyao.grid.workflow import Level, State
from xingyao.places.codes import Kind, county_code, town_code, village_code
from xingyao.places.lists import in_place
from xingyao.places.models import Unit, UnitQuerySet
from xingyao.places.queries import departments_near

EVENT_RELATED = ("unit", "village", "category", "department", "reporter")
# When a user holds several roles over one event, try the one with the widest powers first.
WORK_ORDER = [CoreRole.TOWN_ADMIN, CoreRole.COUNTY_ADMIN, CoreRole.TOWN_REVIEWER, CoreRole.DEPT_HANDLER]
WORK_ORDER.append(CoreRole.GRID_WORKER)
IN_PROGRESS = [s for s in OPEN_STATES if s != State.REPORTED]
LEVEL_RANK = {Level.NORMAL: 0, Level.YELLOW: 1, Level.RED: 2}
RANK_LEVEL = {rank: level for level, rank in LEVEL_RANK.items()}


def access_event(user: Any, pk: Any, action: str = Action.VIEW) -> Event:
    """One event the user may see (404 otherwise); 403 if he may not do `action` on it."""
    return access(Event.objects.select_related(*EVENT_RELATED), user, pk, action)


def access_photo(user: Any, pk: Any) -> EventPhoto:
    """A photo of an event the user may see; 404 for any other."""
    return access(EventPhoto.objects.all(), user, pk)


def work_roles(user: Any, event: Event) -> list[tuple[CoreRole, int | None]]:
    """The workflow roles `user` holds over `event`, widest first, with the department he acts for."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    if user.is_superuser:
        return [(CoreRole.COUNTY_ADMIN, None)]
    found: set[tuple[CoreRole, int | None]] = set()
    for role, prefix in held_roles(user):
        if role == CoreRole.DEPT_HANDLER:
            if event.department is not None and event.department.prefix.startswith(prefix):
                found.add((CoreRole.DEPT_HANDLER, event.department_id))
        elif role in WORK_ORDER and event.unit.prefix.startswith(prefix):
            found.add((CoreRole(role), None))
    return sorted(found, key=lambda pair: WORK_ORDER.index(pair[0]))


def access_event_for_work(user: Any, pk: Any) -> Event:
    """An event the user may see and holds a working role on (handling, dispatching …): 404 / 403 otherwise."""
    event = access_event(user, pk)
    if not work_roles(user, event):
        raise PermissionDenied
    return event


def reportable_units(user: Any) -> UnitQuerySet:
    """Where the user reports: his own grids if he is a grid worker, else the villages of his scope.

    A queryset, not a list: a town has hundreds of villages, which the report form searches rather than lists."""
    grids = Unit.objects.restrict(user, Action.REPORT).filter(
        memberships__user=user, memberships__role=CoreRole.GRID_WORKER, kind__in=[Kind.GRID, Kind.MICROGRID]
    )
    if grids.exists():
        return grids.distinct().order_by("code")
    return Unit.objects.restrict(user, Action.REPORT).filter(kind=Kind.VILLAGE, active=True).order_by("code")


def village_of(unit: Unit) -> Unit:
    """The village a village, grid or micro-grid lies in."""
    if unit.kind == Kind.VILLAGE:
        return unit
    return Unit.objects.unscoped("the village a unit lies in").get(code=village_code(unit.code), kind=Kind.VILLAGE)


def town_of(unit: Unit) -> Unit | None:
    return Unit.objects.unscoped("the town a unit lies in").filter(code=town_code(unit.code), kind=Kind.TOWN).first()


def categories_for(unit: Unit) -> list[EventCategory]:
    """Active categories of the unit's county, parents before children, in code order."""
    return list(
        EventCategory.objects.unscoped("a county's categories are the rules of everyone in it")
        .filter(county__code=county_code(unit.code), active=True)
        .select_related("parent")
        .order_by("code")
    )


def leaf_choices(categories: list[EventCategory]) -> list[tuple[str, list[tuple[int, str]]]]:
    """Categories that have no active children, grouped under their top-level parent for a <select>."""
    parents = {c.parent_id for c in categories if c.parent_id}
    groups: dict[str, list[tuple[int, str]]] = {}
    by_id = {c.pk: c for c in categories}
    for category in categories:
        if category.pk in parents:
            continue
        top = category
        while top.parent_id and top.parent_id in by_id:
            top = by_id[top.parent_id]
        label = category.full_name.split(" / ", 1)[1] if " / " in category.full_name else category.name
        groups.setdefault(top.name, []).append((category.pk, label))
    return list(groups.items())


def default_department(event: Event) -> Unit | None:
    """The department of the event's town (or county) whose name carries the category's department type."""
    wanted = event.category.department_type
    if not wanted:
        return None
    candidates = (
        departments_near(event.unit).unscoped("a suggestion; dispatch checks the actor's scope").order_by("-code")
    )
    for department in candidates:
        if wanted in department.name:
            return department
    return None


# ---- 督办 levels in SQL: the same rule as workflow.supervision_level, read from the stored due_at / warn_at


def level_rank(now: dt.datetime) -> Case:
    """0 normal, 1 yellow, 2 red: automatic by the stored deadline, raised by a leader's manual level."""
    clock = Q(state__in=CLOCK_STATES)
    automatic = Case(
        When(clock & Q(due_at__lt=now), then=Value(2)),
        When(clock & Q(warn_at__lte=now), then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    manual = Case(
        When(manual_level=Level.RED, then=Value(2)),
        When(manual_level=Level.YELLOW, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    return Case(
        When(state=State.CLOSED, then=Value(0)), default=Greatest(automatic, manual), output_field=IntegerField()
    )


def with_level(queryset: Any, now: dt.datetime | None = None) -> Any:
    return queryset.annotate(level_rank=level_rank(now or timezone.now()))


def overdue_q(now: dt.datetime) -> Q:
    return Q(state__in=CLOCK_STATES, due_at__lt=now)


def level_q(level: str, now: dt.datetime) -> Q:
    """Rows at exactly this 督办 level, without an annotation (so indexes on due_at / warn_at can serve)."""
    clock = Q(state__in=CLOCK_STATES)
    red = (clock & Q(due_at__lt=now)) | Q(manual_level=Level.RED)
    yellow_auto = clock & Q(warn_at__lte=now) & Q(due_at__gte=now)
    not_closed = Q(state__in=OPEN_STATES)  # a positive list: the (state, …) indexes can serve it
    if level == Level.RED:
        return not_closed & red
    if level == Level.YELLOW:
        return not_closed & ~red & (yellow_auto | Q(manual_level=Level.YELLOW))
    return ~(not_closed & (red | yellow_auto | Q(manual_level=Level.YELLOW)))


def start_of_today(now: dt.datetime | None = None) -> dt.datetime:
    local = timezone.localtime(now or timezone.now())
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def event_counts(queryset: Any, now: dt.datetime | None = None) -> dict[str, int]:
    """待受理, 办理中, 今日上报, 今日办结, 累计上报, 累计办结 and 超期 in one aggregate query."""
    now = now or timezone.now()
    today = start_of_today(now)
    return queryset.aggregate(
        to_accept=Count("pk", filter=Q(state=State.REPORTED)),
        in_progress=Count("pk", filter=Q(state__in=IN_PROGRESS)),
        reported_today=Count("pk", filter=Q(reported_at__gte=today)),
        closed_today=Count("pk", filter=Q(state=State.CLOSED, closed_at__gte=today)),
        total=Count("pk"),
        closed=Count("pk", filter=Q(state=State.CLOSED)),
        overdue=Count("pk", filter=overdue_q(now)),
    )


def todo_events(user: Any) -> Any:
    """Events waiting for this user's next step, by the roles he holds: one query, or none for other roles."""
    roles = {role for role, _ in held_roles(user)}
    parts = []
    if user.is_superuser or roles & {CoreRole.TOWN_ADMIN, CoreRole.COUNTY_ADMIN}:
        parts.append(
            Event.objects.restrict(user, Action.MANAGE).filter(
                Q(state__in=[State.REPORTED, State.ACCEPTED, State.FEEDBACK, State.VERIFIED])
                | Q(pending_extension_days__isnull=False)
            )
        )
    if CoreRole.TOWN_REVIEWER in roles:
        parts.append(
            Event.objects.restrict(user, Action.REVIEW).filter(
                state__in=[State.REPORTED, State.FEEDBACK, State.VERIFIED]
            )
        )
    if CoreRole.DEPT_HANDLER in roles:
        parts.append(Event.objects.restrict(user, Action.HANDLE).filter(state__in=CLOCK_STATES))
    if CoreRole.GRID_WORKER in roles:
        parts.append(Event.objects.restrict(user, Action.REPORT).filter(state=State.REPORTED))
    if not parts:
        return Event.objects.none()
    return reduce(or_, parts)


FILTERS = {
    "tab": "列表：todo 我的待办 / reported / progress / overdue / closed / all",
    "state": "状态",
    "category": "事件分类（含下级分类）",
    "village": "村",
    "unit": "村、乡镇或县的单位代码（其下全部事件）",
    "level": "督办等级：red / yellow / normal",
    "source": "来源：patrol / resident / assigned",
    "q": "搜索标题、描述、地点",
    "since": "上报日期起（年-月-日）",
    "until": "上报日期止（年-月-日）",
}
# The API names units by code (`unit`); the page's village select sends an id.
API_FILTERS = {k: v for k, v in FILTERS.items() if k != "village"}
TABS = [
    ("todo", "我的待办"),
    ("reported", "待受理"),
    ("progress", "办理中"),
    ("overdue", "超期"),
    ("closed", "已办结"),
    ("all", "全部"),
]


SOURCES = ("patrol", "resident", "assigned")


def worklist(user: Any, params: Any, now: dt.datetime | None = None) -> Any:
    """The scoped, filtered event list behind the worklist page, the API and the ledger export."""
    now = now or timezone.now()
    p = Params(params)
    tab = p.choice("tab", "列表", [t for t, _ in TABS]) or "all"
    state = p.choice("state", "状态", State.__members__.values())
    category = p.integer("category", "事件分类")
    level = p.choice("level", "督办等级", (Level.RED, Level.YELLOW, Level.NORMAL))
    source = p.choice("source", "来源", SOURCES)
    text, since, until = p.text("q"), p.date("since", "开始日期"), p.date("until", "结束日期")
    base = todo_events(user) if tab == "todo" else Event.objects.restrict(user)
    # by village or by a town's or county's code (a metric's drill-down); 404 outside the user's scope
    qs = in_place(base.select_related(*EVENT_RELATED), user, p)
    if tab == "reported":
        qs = qs.filter(state=State.REPORTED)
    elif tab == "progress":
        qs = qs.filter(state__in=IN_PROGRESS)
    elif tab == "overdue":
        qs = qs.filter(overdue_q(now))
    elif tab == "closed":
        qs = qs.filter(state=State.CLOSED)
    if state:
        qs = qs.filter(state=state)
    if category:
        qs = qs.filter(
            Q(category_id=category) | Q(category__parent_id=category) | Q(category__parent__parent_id=category)
        )
    if level:
        qs = qs.filter(level_q(level, now))
    if source:
        qs = qs.filter(source=source)
    if text:
        qs = qs.filter(Q(title__contains=text) | Q(description__contains=text) | Q(address__contains=text))
    if since:
        qs = qs.filter(reported_at__gte=timezone.make_aware(dt.datetime.combine(since, dt.time.min)))
    if until:
        qs = qs.filter(
            reported_at__lt=timezone.make_aware(dt.datetime.combine(until + dt.timedelta(days=1), dt.time.min))
        )
    return with_level(qs, now).order_by("-reported_at", "-id")


def level_of(event: Event) -> Level:
    """The level of one loaded event: the annotation when present, else the pure workflow rule."""
    rank = getattr(event, "level_rank", None)
    if rank is not None:
        return RANK_LEVEL[rank]
    from xingyao.core.workdays import overrides_for
    from xingyao.grid.workflow import supervision_level

    overrides = overrides_for(event.unit) if event.due_at else {}
    return supervision_level(
        timezone.localtime(),
        timezone.localtime(event.due_at) if event.due_at else None,
        event.state,
        event.manual_level,
        allowed_workdays=(event.deadline_days or 0) + event.extended_days if event.deadline_days is not None else None,
        overrides=overrides,
    )


# Those who work an event with the resident who reported it: they call him back (grid, village, town).
CALLERS_BACK = ContactRule(frozenset({Action.REPORT, Action.MANAGE}))


def may_see_contact(user: Any, event: Event) -> bool:
    """A resident's name and phone: for those who call him back, masked for the rest (core.privacy's rule)."""
    return sees_contacts(user, CALLERS_BACK, event.unit.prefix)


def access_county(user: Any, code: str | None) -> Unit:
    """A county whose categories the user may read: the one above his units, or one inside his scope; 404 otherwise."""
    candidates = Unit.objects.unscoped("near() below checks each county").filter(kind=Kind.COUNTY, active=True)
    if code:
        candidates = candidates.filter(code=code)
    for county in candidates.order_by("code"):
        if near(user, Action.VIEW, county.prefix):
            return county
    raise Http404
