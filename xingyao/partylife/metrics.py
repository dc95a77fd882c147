"""Metrics for 支部过硬星 from the branches' Party life, registered in `PartylifeConfig.ready()`.

Two tallies, each a fixed number of queries for any number of villages: the meetings (by kind, attendance, and
主题党日 that carry a photo) and member development (activists determined and members admitted in the period)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, Sum
from django.urls import reverse

from xingyao.core import metrics
from xingyao.core.metrics import Level, Period, Reader, ValueKind
from xingyao.partylife.models import Candidate, Meeting
from xingyao.partylife.workflow import THREE_MEETINGS_ONE_LESSON, Kind

# The parts of the meeting tally, in order.
THREE, THEME_WITH_PHOTO, PRESENT, EXPECTED, MEETINGS, THEME = range(6)
# The parts of the development tally, in order.
ACTIVISTS, ADMITTED, DEVELOPED = range(3)


def meetings(read: Reader, village_ids: list[int], period: Period) -> dict[int, tuple[int, ...]]:
    held = read.in_villages(Meeting, village_ids, period, "held_on")
    rows = held.values("village_id").annotate(
        three=Count("pk", filter=Q(kind__in=list(THREE_MEETINGS_ONE_LESSON))),
        theme=Count("pk", filter=Q(kind=Kind.THEME_DAY)),
        present=Sum("present"),
        expected=Sum("expected"),
        total=Count("pk"),
    )
    with_photo = dict(
        held.filter(kind=Kind.THEME_DAY, photos__isnull=False)
        .values("village_id")
        .annotate(n=Count("pk", distinct=True))
        .values_list("village_id", "n")
    )
    return {
        r["village_id"]: (r["three"], with_photo.get(r["village_id"], 0), r["present"], r["expected"], r["total"],
                          r["theme"])
        for r in rows
    }  # fmt: skip


def development(read: Reader, village_ids: list[int], period: Period) -> dict[int, tuple[int, ...]]:
    span = (period.first_day, period.last_day)
    became_activist, admitted = Q(activist_on__range=span), Q(probationary_on__range=span)
    rows = (
        read(Candidate.objects)
        .filter(village_id__in=village_ids)
        .filter(became_activist | admitted)
        .values("village_id")
        .annotate(
            activists=Count("pk", filter=became_activist),
            admitted=Count("pk", filter=admitted),
            developed=Count("pk"),
        )
    )
    return {r["village_id"]: (r["activists"], r["admitted"], r["developed"]) for r in rows}


def _where(unit: Any) -> str:
    return f"village={unit.pk}" if unit.kind == Level.VILLAGE else f"unit={unit.code}"


def meeting_list(kind: str = "") -> Any:
    def url(unit: Any, period: Period) -> str:
        what = f"&kind={kind}" if kind else ""
        return f"{reverse('partylife:list')}?{_where(unit)}&since={period.first_day}&until={period.last_day}{what}"

    return url


def candidate_list(unit: Any, period: Period) -> str:
    return f"{reverse('partylife:candidates')}?{_where(unit)}"


def register() -> None:
    count, rate = ValueKind.COUNT, ValueKind.RATE
    meeting_metrics = [
        ("partylife.three_meetings_count", "“三会一课”次数", "次", count, metrics.part(THREE), ""),
        ("partylife.theme_days_count", "有照片佐证的主题党日次数", "次", count, metrics.part(THEME_WITH_PHOTO),
         Kind.THEME_DAY),
        ("partylife.attendance_rate", "组织生活到会率", "%", rate, metrics.rate(PRESENT, EXPECTED), ""),
        ("partylife.meetings_count", "组织生活次数", "次", count, metrics.part(MEETINGS), ""),
    ]  # fmt: skip
    for key, label, unit, kind, value, listed in meeting_metrics:
        metrics.register(key, label, unit, kind, meetings, value=value, records_url=meeting_list(listed))
    development_metrics = [
        ("partylife.new_activists_count", "新确定入党积极分子", ACTIVISTS),
        ("partylife.new_members_count", "新接收预备党员", ADMITTED),
        ("partylife.development_count", "发展党员和确定入党积极分子", DEVELOPED),
    ]
    for key, label, index in development_metrics:
        metrics.register(key, label, "名", count, development, value=metrics.part(index), records_url=candidate_list)
