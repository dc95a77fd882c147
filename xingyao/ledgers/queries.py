"""The read side of the ledgers: scoped fetches, the one item list, the roles a user holds over a village."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q

from xingyao.core.actors import is_system
from xingyao.core.filters import Params
from xingyao.core.roles import Action, Role
from xingyao.core.scoping import access, ancestor_prefixes, held_roles, roles_over
from xingyao.ledgers.models import Acceptance, Designation, Item, Progress, ProgressPhoto
from xingyao.ledgers.workflow import DesignationState, Source, State, supervision, working_days_left
from xingyao.places.codes import Kind as UnitKind
from xingyao.places.lists import in_place
from xingyao.places.models import Unit

FILTERS = {
    "state": "状态",
    "source": "来源",
    "village": "村（页面的村选择，单位编号）",
    "unit": "村、乡镇或县的单位代码（其下全部事项）",
    "year": "开始年度",
    "q": "搜索问题",
}
API_FILTERS = {k: v for k, v in FILTERS.items() if k != "village"}


def _fetch(queryset: Any, user: Any, pk: Any, action: str) -> Any:
    if is_system(user):
        return queryset.unscoped("the system itself acts (the demo, a command)").get(pk=pk)
    return access(queryset, user, pk, action)


def access_item(user: Any, pk: Any, action: str = Action.VIEW, queryset: Any = None) -> Item:
    """One item in the user's scope (404 otherwise; 403 without `action`)."""
    base = Item.objects.select_related("village", "designation") if queryset is None else queryset
    return _fetch(base, user, pk, action)


def access_designation(user: Any, pk: Any, action: str = Action.VIEW, queryset: Any = None) -> Designation:
    base = Designation.objects.select_related("village") if queryset is None else queryset
    return _fetch(base, user, pk, action)


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
    return qs.annotate(
        progress_count=Count("progress", distinct=True),
        passed_count=Count("acceptances", filter=Q(acceptances__passed=True), distinct=True),
    ).order_by("due_on", "id")


def with_records(user: Any, items: Any) -> Any:
    """Items with their progress and acceptances, read as the user may (two more queries per chunk)."""
    return items.prefetch_related(
        Prefetch("progress", queryset=Progress.objects.restrict(user).order_by("acted_on", "id")),
        Prefetch("acceptances", queryset=Acceptance.objects.restrict(user).order_by("accepted_on", "id")),
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
