"""The read side of the ledgers: scoped fetches, the one item list, the roles a user holds over a village."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from xingyao.core.actors import is_system
from xingyao.core.filters import Params
from xingyao.core.roles import Action, Role
from xingyao.core.scoping import access, ancestor_prefixes, held_roles, roles_over
from xingyao.ledgers.models import Acceptance, Designation, FollowUp, Item, Progress, ProgressPhoto, StarWarning
from xingyao.ledgers.workflow import (
    DesignationState,
    Source,
    State,
    WarningKind,
    WarningState,
    supervision,
    working_days_left,
)
from xingyao.places.codes import Kind as UnitKind
from xingyao.places.lists import in_place
from xingyao.places.models import Unit
from xingyao.stars.queries import criteria_for

FILTERS = {
    "state": "状态",
    "source": "来源",
    "village": "村（页面的村选择，单位编号）",
    "unit": "村、乡镇或县的单位代码（其下全部事项）",
    "year": "开始年度",
    "q": "搜索问题",
    "follow_up": "回访（due：销号后待回访的）",
}
API_FILTERS = {k: v for k, v in FILTERS.items() if k != "village"}


def access_item(user: Any, pk: Any, action: str = Action.VIEW, queryset: Any = None) -> Item:
    """One item in the user's scope (404 otherwise; 403 without `action`)."""
    base = Item.objects.select_related("village", "designation") if queryset is None else queryset
    return access(base, user, pk, action)


def access_designation(user: Any, pk: Any, action: str = Action.VIEW, queryset: Any = None) -> Designation:
    base = Designation.objects.select_related("village") if queryset is None else queryset
    return access(base, user, pk, action)


def access_warning(user: Any, pk: Any, action: str = Action.VIEW, queryset: Any = None) -> StarWarning:
    base = StarWarning.objects.select_related("village", "item", "award") if queryset is None else queryset
    return access(base, user, pk, action)


def access_photo(user: Any, pk: Any) -> ProgressPhoto:
    return access(ProgressPhoto.objects.all(), user, pk)


def village_roles(user: Any, village: Any) -> list[Role]:
    """The roles the user holds over the village, for the workflow (no query)."""
    return roles_over(user, village.prefix)


def of_the_village(user: Any, village: Any) -> bool:
    """Whether the user holds a role on the village itself or inside it (a clerk, a grid worker of its grids):
    the four-eyes rule keeps him from accepting the village's own work."""
    if is_system(user) or not getattr(user, "is_authenticated", False):
        return False
    return any(prefix.startswith(village.prefix) for _role, prefix in held_roles(user))


def item_list(user: Any, params: Any) -> Any:
    """The items behind the page, the API and the ledger: scoped, filtered, with progress and acceptance counts
    annotated (one query for any number of rows)."""
    p = Params(params)
    state = p.choice("state", "状态", State.values())
    source = p.choice("source", "来源", Source.values())
    text, year = p.text("q"), p.year()
    qs = in_place(Item.objects.restrict(user).select_related("village"), user, p)
    if state:
        qs = qs.filter(state=state)
    if source:
        qs = qs.filter(source=source)
    if year:
        qs = qs.filter(start_on__year=year)
    if text:
        qs = qs.filter(Q(problem__contains=text) | Q(target__contains=text))
    if p.choice("follow_up", "回访", ["due"]):
        qs = qs.filter(state=State.CLOSED, next_follow_up__lte=timezone.localdate())
    return qs.annotate(
        progress_count=Count("progress", distinct=True),
        passed_count=Count("acceptances", filter=Q(acceptances__passed=True), distinct=True),
    ).order_by("due_on", "id")


def with_records(user: Any, items: Any) -> Any:
    """Items with their progress, acceptances and follow-up visits, read as the user may (three more queries per
    chunk)."""
    return items.prefetch_related(
        Prefetch("progress", queryset=Progress.objects.restrict(user).order_by("acted_on", "id")),
        Prefetch("acceptances", queryset=Acceptance.objects.restrict(user).order_by("accepted_on", "id")),
        Prefetch("follow_ups", queryset=FollowUp.objects.restrict(user).order_by("visited_on", "id")),
    )


DESIGNATION_FILTERS = {"state": "状态", "village": "村", "unit": "单位代码", "year": "年度"}


def designation_list(user: Any, params: Any) -> Any:
    p = Params(params)
    state = p.choice("state", "状态", DesignationState.values())
    year = p.year()
    qs = in_place(Designation.objects.restrict(user).select_related("village"), user, p)
    if state:
        qs = qs.filter(state=state)
    if year:
        qs = qs.filter(year=year)
    return qs.annotate(
        item_count=Count("items", distinct=True),
        closed_count=Count("items", filter=Q(items__state=State.CLOSED), distinct=True),
    ).order_by("-year", "village__code")


def managed_villages(user: Any) -> Any:
    """The villages whose ledger the user keeps (a town's or county's administrator)."""
    return Unit.objects.restrict(user, Action.MANAGE).filter(kind=UnitKind.VILLAGE, active=True).order_by("code")


def overrides_by_village(villages: Any) -> dict[int, dict[Any, bool]]:
    """The working-day calendar overrides that apply to each village (its own, its town's, its county's; the
    nearest wins), in one query for any number of villages."""
    from xingyao.core.models import WorkdayOverride

    chains = {v.pk: [*ancestor_prefixes(v.prefix), v.prefix] for v in villages}
    wanted = sorted({p for chain in chains.values() for p in chain})
    rows = list(
        WorkdayOverride.objects.unscoped("the calendar of a unit and its ancestors applies to it")
        .filter(unit__prefix__in=wanted)
        .values_list("unit__prefix", "day", "is_workday")
    )
    result: dict[int, dict[Any, bool]] = {}
    for pk, chain in chains.items():
        found: dict[Any, bool] = {}
        for _prefix, day, is_workday in sorted((r for r in rows if r[0] in chain), key=lambda r: len(r[0])):
            found[day] = is_workday
        result[pk] = found
    return result


def supervise(items: Any, today: Any) -> None:
    """Put `left` (working days to the due date) and `level` (normal/yellow/red) on each item."""
    items = list(items)
    calendars = overrides_by_village({i.village_id: i.village for i in items}.values()) if items else {}
    for item in items:
        item.left = working_days_left(today, item.due_on, calendars.get(item.village_id, {}))
        item.level = supervision(item.state, item.left)


WARNING_FILTERS = {"state": "状态", "kind": "预警类型", "village": "村", "unit": "单位代码", "year": "年度"}
API_WARNING_FILTERS = {k: v for k, v in WARNING_FILTERS.items() if k != "village"}


def warning_list(user: Any, params: Any) -> Any:
    """The star warnings behind the page, the API and the Excel list: scoped, filtered, with their village, item,
    star and the incident's type (one query for any number of rows)."""
    p = Params(params)
    chosen = {
        "state": p.choice("state", "状态", WarningState.values()),
        "kind": p.choice("kind", "预警类型", WarningKind.values()),
        "year": p.year(),
    }
    qs = StarWarning.objects.restrict(user).select_related("village", "item", "award", "origin_type")
    qs = in_place(qs, user, p).filter(**{field: value for field, value in chosen.items() if value})
    return qs.order_by("-happened_on", "-id")


def follow_ups_of(user: Any, item: Item) -> list[FollowUp]:
    return list(FollowUp.objects.restrict(user).filter(item=item).select_related("reopened_as", "recorded_by"))


def follow_ups_due(user: Any, today: Any) -> Any:
    """Closed items of the user's villages whose next follow-up visit (一年回访) is due."""
    return Item.objects.restrict(user, Action.CHANGE).filter(state=State.CLOSED, next_follow_up__lte=today)


def star_name_of(plan: Any) -> str:
    """The name of a star plan's target star in the village's criteria of that year (its code if none)."""
    criteria = criteria_for(plan.village, plan.year)
    found = criteria.stars.filter(code=plan.star_code).values_list("name", flat=True).first() if criteria else None
    return found or plan.star_code


def items_from_plans(user: Any, plans: list[Any]) -> dict[int, list[Item]]:
    """The items opened from these star plans, as the user may see them (one query for any number of plans)."""
    if not plans:
        return {}
    found: dict[int, list[Item]] = {p.pk: [] for p in plans}
    items = Item.objects.restrict(user).filter(
        origin_type=ContentType.objects.get_for_model(plans[0]), origin_id__in=list(found)
    )
    for item in items.order_by("id"):
        found[int(item.origin_id or 0)].append(item)
    return found
