"""The read side of Party life: scoped fetches, the one meeting list, the township's month table."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import ExtractMonth

from xingyao.core.filters import BadParam, Params
from xingyao.core.roles import Action, Role
from xingyao.core.scoping import access, covers, roles_over
from xingyao.partylife.models import Candidate, Meeting, MeetingPhoto
from xingyao.partylife.workflow import MONTHLY, Kind, Stage
from xingyao.places.codes import Kind as UnitKind
from xingyao.places.lists import in_place
from xingyao.places.models import Unit

FILTERS = {
    "kind": "会议类型",
    "village": "村（页面的村选择，单位编号）",
    "unit": "村、乡镇或县的单位代码（其下全部会议）",
    "year": "年度",
    "month": "月份（1–12，与年度一起用）",
    "since": "日期起（年-月-日）",
    "until": "日期止（年-月-日）",
    "q": "搜索主题",
}
SHORT = {Kind.COMMITTEE: "支", Kind.THEME_DAY: "主"}
API_FILTERS = {k: v for k, v in FILTERS.items() if k != "village"}
CANDIDATE_FILTERS = {"stage": "阶段", "village": "村", "unit": "单位代码", "q": "搜索姓名"}


def access_meeting(user: Any, pk: Any, action: str = Action.VIEW) -> Meeting:
    """One meeting in the user's scope (404 otherwise; 403 without `action`)."""
    return access(Meeting.objects.select_related("village", "recorded_by"), user, pk, action)


def access_photo(user: Any, pk: Any) -> MeetingPhoto:
    return access(MeetingPhoto.objects.select_related("meeting"), user, pk)


def access_candidate(user: Any, pk: Any, action: str = Action.VIEW) -> Candidate:
    return access(Candidate.objects.select_related("village"), user, pk, action)


def branch_villages(user: Any) -> Any:
    """The villages whose branch records the user keeps (a clerk's own, a town's all)."""
    return Unit.objects.restrict(user, Action.CHANGE).filter(kind=UnitKind.VILLAGE, active=True).order_by("code")


def branch_roles(user: Any, village: Any) -> list[Role]:
    """The roles the user holds over the village, for the workflow (no query)."""
    return roles_over(user, village.prefix)


def can_keep(user: Any, village: Any) -> bool:
    return covers(user, Action.CHANGE, village.prefix)


def _dated(qs: Any, p: Params, field: str) -> Any:
    year, month = p.year(), p.integer("month", "月份", low=1, high=12)
    since, until = p.date("since", "日期起"), p.date("until", "日期止")
    if month and not year:
        raise BadParam("按月份筛选时请同时选择年度", "month")
    if year:
        qs = qs.filter(**{f"{field}__year": year})
    if month:
        qs = qs.filter(**{f"{field}__month": month})
    if since:
        qs = qs.filter(**{f"{field}__gte": since})
    if until:
        qs = qs.filter(**{f"{field}__lte": until})
    return qs


def meeting_list(user: Any, params: Any) -> Any:
    """The meetings behind the page, the API and the ledger: scoped, filtered by the request's parameters, with the
    photo count annotated (one query for any number of rows)."""
    p = Params(params)
    kind = p.choice("kind", "会议类型", Kind.values())
    text = p.text("q")
    # by village or by a town's or county's code (a metric's drill-down); 404 outside the user's scope
    qs = in_place(Meeting.objects.restrict(user).select_related("village"), user, p)
    if kind:
        qs = qs.filter(kind=kind)
    qs = _dated(qs, p, "held_on")
    if text:
        qs = qs.filter(topic__contains=text)
    return qs.annotate(photo_count=Count("photos")).order_by("-held_on", "-id")


def candidate_list(user: Any, params: Any) -> Any:
    p = Params(params)
    stage = p.choice("stage", "阶段", Stage.values())
    text = p.text("q", "姓名")
    qs = in_place(Candidate.objects.restrict(user).select_related("village"), user, p)
    if stage:
        qs = qs.filter(stage=stage)
    if text:
        qs = qs.filter(name__contains=text)
    return qs.order_by("village__code", "applied_on", "id")


@dataclass(frozen=True)
class MonthRow:
    """One village's row of the month table: for each month, how many of each monthly kind it held."""

    village: Unit
    months: list[dict[str, int]]  # 12 entries: {kind: count}

    @property
    def cells(self) -> list[list[tuple[str, str, int]]]:
        """Per month, (label, short label, count) per monthly kind; an empty list for months not yet due."""
        return [[(k.label, SHORT[k], month[k.value]) for k in MONTHLY] if month else [] for month in self.months]

    @property
    def gaps(self) -> int:
        """Months (up to the table's last month) in which a monthly meeting is missing."""
        return sum(1 for month in self.months if month and any(month.get(k, 0) == 0 for k in MONTHLY))


def month_table(user: Any, unit: Unit, year: int, today: dt.date) -> list[MonthRow]:
    """The township's view of which branches skipped a month: every village of `unit` × 12 months × the monthly
    kinds (支委会, 主题党日). Two queries for any number of villages; months after `today` are left empty."""
    villages = list(
        Unit.objects.restrict(user).filter(kind=UnitKind.VILLAGE, active=True).within(unit).order_by("code")
    )
    counts = (
        Meeting.objects.restrict(user)
        .filter(village__in=villages, held_on__year=year, kind__in=list(MONTHLY))
        .annotate(month=ExtractMonth("held_on"))
        .values("village_id", "month", "kind")
        .annotate(n=Count("pk"))
    )
    found: dict[tuple[int, int], dict[str, int]] = {}
    for row in counts:
        found.setdefault((row["village_id"], row["month"]), {})[row["kind"]] = row["n"]
    last = 12 if year < today.year else today.month if year == today.year else 0
    rows = []
    for village in villages:
        months = []
        for month in range(1, 13):
            held = found.get((village.pk, month), {})
            months.append({k.value: held.get(k, 0) for k in MONTHLY} if month <= last else {})
        rows.append(MonthRow(village, months))
    return rows


def theme_days_with_evidence(queryset: Any) -> Any:
    """主题党日 that carry at least one photo (the evidence the star asks for)."""
    return queryset.filter(kind=Kind.THEME_DAY).filter(Q(photos__isnull=False)).distinct()
