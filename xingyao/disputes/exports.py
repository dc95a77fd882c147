"""Excel: the dispute ledger (矛盾纠纷排查调处台账) in the usual columns, parties masked per row; the figures a
town or county hands upward (per village, by type and by month: no personal data) and the “三零” table."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, NamedTuple

from django.db.models import Count

from xingyao.core.exports import COUNT, SUM, TALLY, Column, Sheet, unit_heading
from xingyao.core.numbers import percent
from xingyao.core.privacy import name_for, phone_for
from xingyao.core.sheets import write_workbook
from xingyao.disputes.figures import CaseFact, Figures, Outcome, dispute_figures
from xingyao.disputes.models import Dispute, DisputeType, Risk, Status
from xingyao.disputes.queries import can_work, facts
from xingyao.places.models import Unit


def _parties(dispute: Dispute) -> list[tuple[str, str, str]]:
    return [(p.get_side_display(), p.name, p.phone) for p in dispute.parties.all()]


def _names(shown: bool, parties: list[tuple[str, str, str]]) -> str:
    return "；".join(f"{side} {name_for(shown, name)}" for side, name, _ in parties)


def _phones(shown: bool, parties: list[tuple[str, str, str]]) -> str:
    return "；".join(phone_for(shown, phone) for _, _, phone in parties if phone)


LEDGER = Sheet(
    "矛盾纠纷台账",
    [
        Column("案件编号", lambda d: d.number),
        Column("受理日期", lambda d: d.received_on),
        Column("村（社区）", lambda d: d.village.name),
        Column("纠纷类型", lambda d: DisputeType(d.type).label),
        Column("风险等级", lambda d: Risk(d.risk).label),
        Column("纠纷概要", lambda d: d.summary),
        Column("当事人", _parties, personal=_names),
        Column("联系电话", _parties, personal=_phones),
        Column("涉及金额（元）", lambda d: d.amount),
        Column("主办单位", lambda d: d.lead_department.name if d.lead_department else ""),
        Column("联合调解单位", lambda d: "、".join(m.department.name for m in d.team_members.all())),
        Column("调解次数", lambda d: d.session_count),
        Column("状态", lambda d: Status(d.status).label),
        Column("调处结果", lambda d: Outcome(d.outcome).label if d.outcome else ""),
        Column("是否诉前调解", lambda d: d.outcome == Outcome.PRE_LITIGATION),
        Column("结案日期", lambda d: d.closed_on),
        Column("越级上访", lambda d: d.petition_beyond_village),
    ],
    sees=can_work,  # masked unless the user works the case
)


def dispute_ledger(user: Any, disputes: Any) -> bytes:
    """The ledger of the given (already scoped and filtered) cases."""
    return LEDGER.workbook(user, disputes.annotate(session_count=Count("sessions", distinct=True)))


# --- figures handed upward ------------------------------------------------------------------------------------


class FigureRow(NamedTuple):
    """One line of a figures sheet: what it is about (village and town, a type, a month) and its figures."""

    labels: tuple[str, ...]
    figures: Figures


def _label(n: int) -> Any:
    return lambda r: r.labels[n]


def _rate(part: str, whole: str) -> Any:
    """A rate column's 合计: from the summed parts, never a sum or an average of the rows' rates."""
    return lambda sums: percent(sums[part], sums[whole])


FIGURES = [
    Column("受理（件）", lambda r: r.figures.received, total=SUM),
    Column("调解（件）", lambda r: r.figures.attempted, total=SUM),
    Column("已有结果（件）", lambda r: r.figures.concluded, total=SUM),
    Column("调解成功（件）", lambda r: r.figures.mediated, total=SUM),
    Column("其中诉前调解（件）", lambda r: r.figures.pre_litigation, total=SUM),
    Column("调解率（%）", lambda r: r.figures.mediation_rate, total=_rate("调解（件）", "受理（件）")),
    Column("调解成功率（%）", lambda r: r.figures.success_rate, total=_rate("调解成功（件）", "已有结果（件）")),
]
BY_VILLAGE = Sheet("各村统计", [Column("乡镇", _label(0)), Column("村（社区）", _label(1)), *FIGURES])
BY_TYPE = Sheet("按纠纷类型", [Column("纠纷类型", _label(0)), *FIGURES])
BY_MONTH = Sheet("按月份", [Column("月份", _label(0)), *FIGURES])


def _grouped(found: Iterable[tuple[Any, CaseFact]], keys: list[Any]) -> list[tuple[Any, Figures]]:
    """Figures per key, in the keys' order (a key with no case has zeros)."""
    groups: dict[Any, list[CaseFact]] = {key: [] for key in keys}
    for key, fact in found:
        groups.setdefault(key, []).append(fact)
    return [(key, dispute_figures(cases)) for key, cases in groups.items()]


def _months(since: dt.date, until: dt.date) -> list[tuple[int, int]]:
    months, (year, month) = [], (since.year, since.month)
    while (year, month) <= (until.year, until.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def figures_workbook(user: Any, cases: Any, villages: list[Unit], area: str, since: dt.date, until: dt.date) -> bytes:
    """Dispute figures over the (already scoped) `cases` received in [since, until]: per village (every one of
    `villages`, and any other whose cases the user sees), by type and by month. Queries: the cases' facts, and
    the names of villages outside `villages` that have cases."""
    found = facts(cases.filter(received_on__gte=since, received_on__lte=until))
    names = {v.pk: (v.parent.name if v.parent else "", v.name) for v in villages}
    others = {vid for vid, _ in found} - set(names)
    if others:
        for v in Unit.objects.unscoped("the villages of cases read through restrict()").filter(pk__in=others):
            names[v.pk] = ("", v.name)
    per_village = [FigureRow(names[vid], f) for vid, f in _grouped(found, list(names))]
    types = dict(DisputeType.choices)
    per_type = [FigureRow((types.get(k, k),), f) for k, f in _grouped(((x.type, x) for _, x in found), list(types))]
    months = _months(since, until)
    by_month = _grouped((((x.received_on.year, x.received_on.month), x) for _, x in found), months)
    per_month = [FigureRow((f"{y}年{m}月",), f) for (y, m), f in by_month]
    period = f"{since:%Y-%m-%d} 至 {until:%Y-%m-%d}"
    heading = unit_heading(f"{area}矛盾纠纷排查调处情况统计表", area, period)
    return write_workbook(
        [
            BY_VILLAGE.part(user, per_village, heading),
            BY_TYPE.part(user, per_type, heading),
            BY_MONTH.part(user, per_month, heading),
        ]
    )


def _flag(n: int) -> Any:
    return lambda r: "是" if r["counts"][n] == 0 else "否"


ZERO = Sheet(
    "“三零”创建",
    [
        Column("乡镇", lambda r: r["village"].parent.name if r["village"].parent else ""),
        Column("村（社区）", lambda r: r["village"].name),
        Column("越级上访（起）", lambda r: r["counts"][0], total=SUM),
        Column("伤亡事故（起）", lambda r: r["counts"][1], total=SUM),
        Column("刑事、重大治安案件（起）", lambda r: r["counts"][2], total=SUM),
        Column("零上访", _flag(0), total=TALLY),
        Column("零事故", _flag(1), total=TALLY),
        Column("零案件", _flag(2), total=TALLY),
        Column("实现“三零”", lambda r: "实现" if r["tally"].all_zero else "", total=COUNT),
    ],
)


def zero_workbook(user: Any, rows: list[dict[str, Any]], area: str, year: int) -> bytes:
    """The “三零” page's rows (`metrics.zero_rows`) as the table a town or county hands upward."""
    return ZERO.workbook(user, rows, unit_heading(f"{area}{year}年“三零”创建情况统计表", area, f"{year}年"))
