"""Metrics for 平安法治星 from disputes and grid events, registered in `DisputesConfig.ready()`.

The case tally is one query for any number of villages and keeps `figures.py`'s definitions; the “三零” tally adds
every app's counts through core.zero: disputes whose parties petitioned beyond the village here, grid events there."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.urls import reverse

from xingyao.core import metrics
from xingyao.core.metrics import Level, Period, Reader, ValueKind
from xingyao.core.zero import ACCIDENTS, CASES, PETITIONS, register_zero_counter, tally, zero_counts
from xingyao.disputes.figures import CaseFact, dispute_figures, zero_tally
from xingyao.disputes.models import Dispute
from xingyao.disputes.queries import facts

# The parts of the case tally, in order.
MEDIATED, CONCLUDED, PRE_LITIGATION, ATTEMPTED, RECEIVED = range(5)


def cases(read: Reader, village_ids: list[int], period: Period) -> dict[int, tuple[int, ...]]:
    """(mediated, concluded, pre-litigation, attempted, received) per village, for cases received in the period."""
    found = facts(read.in_villages(Dispute, village_ids, period, "received_on"))
    grouped: dict[int, list[CaseFact]] = {}
    for village_id, fact in found:
        grouped.setdefault(village_id, []).append(fact)
    tallies: dict[int, tuple[int, ...]] = {}
    for village_id, village_facts in grouped.items():
        f = dispute_figures(village_facts)
        tallies[village_id] = (f.mediated, f.concluded, f.pre_litigation, f.attempted, f.received)
    return tallies


def petition_counts(read: Reader, village_ids: list[int], period: Period) -> dict[int, tuple[int, int, int]]:
    """The disputes' share of the “三零” counts (core.zero): cases whose parties petitioned beyond the village."""
    petitions = (
        read.in_villages(Dispute, village_ids, period, "received_on")
        .filter(petition_beyond_village=True)
        .values("village_id")
        .annotate(n=Count("pk"))
    )
    return tally((row["village_id"], PETITIONS, row["n"]) for row in petitions)


def zero_rows(villages: list[Any], year: int, read: Reader) -> list[dict[str, Any]]:
    """The “三零” page's rows: each village with its three counts and flags."""
    counts = zero_counts(read, [v.pk for v in villages], Period.of_year(year))
    return [{"village": v, "counts": counts[v.pk], "tally": zero_tally(*counts[v.pk])} for v in villages]


def case_list(unit: Any, period: Period) -> str:
    where = f"village={unit.pk}" if unit.kind == Level.VILLAGE else f"unit={unit.code}"
    return f"{reverse('disputes:list')}?{where}&since={period.first_day}&until={period.last_day}"


def zero_page(unit: Any, period: Period) -> str:
    return f"{reverse('disputes:zero')}?unit={unit.code}&year={period.year}"


def register() -> None:
    register_zero_counter("disputes", petition_counts)
    rate, count, yes_no = ValueKind.RATE, ValueKind.COUNT, ValueKind.BOOL
    case_metrics = [
        ("disputes.success_rate", "矛盾纠纷调解成功率", "%", rate, metrics.rate(MEDIATED, CONCLUDED)),
        ("disputes.mediation_rate", "矛盾纠纷调解率", "%", rate, metrics.rate(ATTEMPTED, RECEIVED)),
        ("disputes.received_count", "矛盾纠纷受理件数", "件", count, metrics.part(RECEIVED)),
        ("disputes.pre_litigation_count", "诉前调解成功件数", "件", count, metrics.part(PRE_LITIGATION)),
    ]
    for key, label, unit, kind, value in case_metrics:
        metrics.register(key, label, unit, kind, cases, value=value, records_url=case_list)
    # The “三零” page counts whole years: a quarter or month links to its year.
    zero_metrics = [
        ("disputes.zero_petitions", "零上访", PETITIONS),
        ("disputes.zero_accidents", "零事故", ACCIDENTS),
        ("disputes.zero_cases", "零案件", CASES),
    ]
    for key, label, index in zero_metrics:
        metrics.register(key, label, "", yes_no, zero_counts, value=metrics.none_of(index), records_url=zero_page)
    register_counts()


def register_counts() -> None:
    """The dashboards' counts beside the rates: cases mediated successfully (调解成功件数)."""
    metrics.register(
        "disputes.mediated_count",
        "矛盾纠纷调解成功件数",
        "件",
        ValueKind.COUNT,
        cases,
        value=metrics.part(MEDIATED),
        records_url=case_list,
    )
