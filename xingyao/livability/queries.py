"""The read side of 人居环境 and 文明幸福: scoped fetches, one list function per record kind (page, API and export
share it), the county's room standard, and photos reused across villages."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Count, Q

from xingyao.core.filters import BadParam, Params
from xingyao.core.roles import Action
from xingyao.core.scoping import access, covers
from xingyao.livability.models import (
    Activity,
    Centre,
    Honour,
    Photo,
    RoomStandard,
    ServiceRequest,
    ToiletCoverage,
    Work,
)
from xingyao.livability.vocabulary import (
    CARE,
    CULTURAL,
    DEFAULT_ROOMS,
    ROADS,
    ActivityKind,
    HonourLevel,
    Outcome,
    ServiceMode,
    WorkKind,
)
from xingyao.places.codes import Kind as UnitKind
from xingyao.places.codes import county_code
from xingyao.places.models import Unit
from xingyao.places.queries import access_unit

PLACE = {
    "village": "村（页面的村选择，单位编号）",
    "unit": "村、乡镇或县的单位代码（其下全部记录）",
    "year": "年度",
    "since": "日期起（年-月-日）",
    "until": "日期止（年-月-日）",
}
WORK_FILTERS = {
    "kind": "工程类型",
    "group": "工程大类（road：道路整修与加宽）",
    **PLACE,
    "finished": "是否完工（yes/no）",
    "after": "整治后照片（none：尚无）",
    "q": "搜索名称或位置",
}
ACTIVITY_FILTERS = {
    "kind": "活动类型",
    "group": "活动大类（culture：文化活动；care：义诊助老）",
    **PLACE,
    "q": "搜索名称",
}
SERVICE_FILTERS = {"mode": "办理方式", "outcome": "办理结果", **PLACE, "q": "搜索事项"}
HONOUR_FILTERS = {"level": "命名级别", "village": PLACE["village"], "unit": PLACE["unit"], "year": "年度"}
TOILET_FILTERS = {"village": PLACE["village"], "unit": PLACE["unit"], "year": "年度"}
CENTRE_FILTERS = {"village": PLACE["village"], "unit": PLACE["unit"]}


GROUPS = {"culture": CULTURAL, "care": CARE}


def api_filters(filters: dict[str, str]) -> dict[str, str]:
    """The API names units by code; the page's village picker (an id) is the page's own."""
    return {k: v for k, v in filters.items() if k != "village"}


def access_work(user: Any, pk: Any, action: str = Action.VIEW) -> Work:
    """One work in the user's scope (404 otherwise; 403 without `action`)."""
    return access(Work.objects.select_related("village", "recorded_by"), user, pk, action)


def access_centre(user: Any, pk: Any, action: str = Action.VIEW) -> Centre:
    return access(Centre.objects.select_related("village"), user, pk, action)


def access_activity(user: Any, pk: Any, action: str = Action.VIEW) -> Activity:
    return access(Activity.objects.select_related("village", "recorded_by"), user, pk, action)


def access_service(user: Any, pk: Any, action: str = Action.VIEW) -> ServiceRequest:
    return access(ServiceRequest.objects.select_related("village"), user, pk, action)


def access_photo(user: Any, pk: Any) -> Photo:
    return access(Photo.objects.all(), user, pk)


def kept_villages(user: Any) -> Any:
    """The villages whose records the user keeps (a clerk's own, a town's all)."""
    return Unit.objects.restrict(user, Action.CHANGE).filter(kind=UnitKind.VILLAGE, active=True).order_by("code")


def can_keep(user: Any, village: Any) -> bool:
    return covers(user, Action.CHANGE, village.prefix)


def _span(p: Params) -> tuple[int | None, Any, Any]:
    """The year and the date range a list is cut to; an end before the start is refused."""
    year, since, until = p.year(), p.date("since", "日期起"), p.date("until", "日期止")
    if since and until and until < since:
        raise BadParam("日期止不能早于日期起", "until")
    return year, since, until


def _placed(qs: Any, user: Any, p: Params, field: str | None) -> Any:
    """The filters every list shares: a village (the page's picker), a unit's subtree (a code: a metric's
    drill-down), and a year or date range on the record's own date."""
    village, unit = p.integer("village", "村"), p.raw("unit")
    if village:
        qs = qs.filter(village_id=village)
    if unit:  # 404 outside the user's scope
        qs = qs.within(access_unit(user, unit))
    if field is None:
        return qs
    year, since, until = _span(p)
    if year:
        qs = qs.filter(**{f"{field}__year": year})
    if since:
        qs = qs.filter(**{f"{field}__gte": since})
    if until:
        qs = qs.filter(**{f"{field}__lte": until})
    return qs


def work_list(user: Any, params: Any) -> Any:
    """Works behind the page, the API and the ledger, with their before/after photo counts (one query). Dated by
    their finishing day, as the figures count them; a work not finished yet has a year of its start."""
    p = Params(params)
    kind, finished = p.choice("kind", "工程类型", WorkKind.values()), p.choice("finished", "是否完工", ["yes", "no"])
    text = p.text("q")
    qs = _placed(Work.objects.restrict(user).select_related("village"), user, p, None)
    year, since, until = _span(p)
    if year:
        qs = qs.filter(Q(finished_on__year=year) | Q(finished_on__isnull=True, started_on__year=year))
    if since:
        qs = qs.filter(finished_on__gte=since)
    if until:
        qs = qs.filter(finished_on__lte=until)
    if kind:
        qs = qs.filter(kind=kind)
    if p.choice("group", "工程大类", ["road"]):
        qs = qs.filter(kind__in=list(ROADS))
    if finished:
        qs = qs.filter(finished_on__isnull=finished == "no")
    if text:
        qs = qs.filter(place__contains=text)
    qs = qs.annotate(
        before_photos=Count("photos", filter=Q(photos__stage="before")),
        after_photos=Count("photos", filter=Q(photos__stage="after")),
    )
    if p.choice("after", "整治后照片", ["none"]):
        qs = qs.filter(after_photos=0)
    return qs.order_by("-started_on", "-id")


def activity_list(user: Any, params: Any) -> Any:
    p = Params(params)
    kind, text = p.choice("kind", "活动类型", ActivityKind.values()), p.text("q")
    qs = _placed(Activity.objects.restrict(user).select_related("village"), user, p, "held_on")
    if kind:
        qs = qs.filter(kind=kind)
    if group := p.choice("group", "活动大类", list(GROUPS)):
        qs = qs.filter(kind__in=list(GROUPS[group]))
    if text:
        qs = qs.filter(title__contains=text)
    return qs.annotate(photo_count=Count("photos")).order_by("-held_on", "-id")


def service_list(user: Any, params: Any) -> Any:
    p = Params(params)
    mode, outcome = (
        p.choice("mode", "办理方式", ServiceMode.values()),
        p.choice("outcome", "办理结果", Outcome.values()),
    )
    text = p.text("q")
    qs = _placed(ServiceRequest.objects.restrict(user).select_related("village"), user, p, "requested_on")
    if mode:
        qs = qs.filter(mode=mode)
    if outcome:
        qs = qs.filter(outcome=outcome)
    if text:
        qs = qs.filter(matter__contains=text)
    return qs.order_by("-requested_on", "-id")


def honour_list(user: Any, params: Any) -> Any:
    p = Params(params)
    level = p.choice("level", "命名级别", HonourLevel.values())
    qs = _placed(Honour.objects.restrict(user).select_related("village"), user, p, None)
    if year := p.year():
        qs = qs.filter(year=year)
    if level:
        qs = qs.filter(level=level)
    return qs.order_by("-year", "village__code", "id")


def toilet_list(user: Any, params: Any) -> Any:
    p = Params(params)
    qs = _placed(ToiletCoverage.objects.restrict(user).select_related("village"), user, p, None)
    if year := p.year():
        qs = qs.filter(year=year)
    return qs.order_by("-year", "village__code")


def centre_list(user: Any, params: Any) -> Any:
    p = Params(params)
    qs = _placed(Centre.objects.restrict(user).select_related("village"), user, p, None)
    return qs.annotate(photo_count=Count("photos")).order_by("village__code")


def room_standards(read: Any, codes: list[str]) -> dict[str, list[str]]:
    """{county code: its room list} for the counties of these unit codes (one query), 一厅五室 where none is set."""
    counties = sorted({county_code(code) for code in codes})
    found = dict(read(RoomStandard.objects).filter(county__code__in=counties).values_list("county__code", "rooms"))
    return {code: list(found.get(code) or DEFAULT_ROOMS) for code in counties}


def rooms_for(user: Any, unit: Unit) -> list[str]:
    """The rooms a 党群服务中心 under `unit` must have."""
    code = county_code(unit.code)
    return room_standards(lambda qs: qs.restrict(user), [unit.code])[code]


def reused_photos(user: Any, photos: list[Photo]) -> dict[int, list[str]]:
    """Photos whose content was also uploaded for another village, with where (辖区外 when out of the user's scope);
    one query. The same check assessments make for evidence files."""
    if not photos:
        return {}
    places: dict[str, set[tuple[int, str]]] = defaultdict(set)
    rows = (
        Photo.objects.unscoped("reuse is flagged across villages; a place outside scope shows as 辖区外")
        .filter(sha256__in={p.sha256 for p in photos})
        .values_list("sha256", "village_id", "village__name", "village__prefix")
    )
    for digest, village_id, name, prefix in rows:
        places[digest].add((village_id, name if covers(user, Action.VIEW, prefix) else "辖区外"))
    found: dict[int, list[str]] = {}
    for photo in photos:
        names = sorted({name for village_id, name in places[photo.sha256] if village_id != photo.village_id})
        if names:
            found[photo.pk] = names
    return found
