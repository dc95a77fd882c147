"""Excel: the rectification ledger (整顿台账) in the layout townships keep, “三精准” and “三明确” side by side."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from xingyao.core.exports import COUNT, TALLY, Column, Sheet
from xingyao.core.sheets import Heading
from xingyao.ledgers.workflow import Source, State, WarningKind, WarningState


def _progress(item: Any) -> str:
    entries = list(item.progress.all())
    return "；".join(f"{p.acted_on:%Y-%m-%d} {p.note}" for p in entries)


def _acceptance(item: Any) -> str:
    return "；".join(
        f"{a.accepted_on:%Y-%m-%d} {a.method_label} {a.score}分 {'通过' if a.passed else '未通过'}"
        for a in item.acceptances.all()
    )


def _follow_ups(item: Any) -> str:
    return "；".join(
        f"{v.visited_on:%Y-%m-%d} {v.visitors}：{v.finding}{'（问题反弹）' if v.recurred else ''}"
        for v in item.follow_ups.all()
    )


ITEMS = Sheet(
    "整顿台账",
    [
        Column("村（社区）", lambda i: i.village.name),
        Column("来源", lambda i: Source(i.source).label),
        Column("问题", lambda i: i.problem),
        Column("目标", lambda i: i.target),
        Column("措施（三精准）", lambda i: i.measure),
        Column("时限", lambda i: f"{i.start_on:%Y-%m-%d} 起 {i.days} 个工作日，至 {i.due_on:%Y-%m-%d}"),
        Column("步骤", lambda i: i.steps),
        Column("责任人（三明确）", lambda i: i.responsible),
        Column("进度", _progress),
        Column("验收", _acceptance),
        Column("状态", lambda i: State(i.state).label, total=TALLY),
        Column("销号日期", lambda i: f"{i.closed_on:%Y-%m-%d}" if i.closed_on else ""),
        Column("回访情况（一年回访）", lambda i: _follow_ups(i)),
        Column("问题反弹", lambda i: "是" if any(v.recurred for v in i.follow_ups.all()) else "", total=COUNT),
        Column("下次回访", lambda i: f"{i.next_follow_up:%Y-%m-%d}" if i.next_follow_up else ""),
    ],
)


def exported(title: str) -> Heading:
    """A ledger's title line and when it was taken (its rows are what the list showed for the same filters)."""
    return Heading(title, [("导出时间", f"{timezone.localtime():%Y-%m-%d %H:%M}")])


def item_ledger(user: Any, items: Any) -> bytes:
    """The ledger of the given (already scoped and filtered) items; progress and acceptances prefetched. The 合计
    row counts the items in each state."""
    return ITEMS.workbook(user, items, exported("软弱涣散村党组织整顿台账"))


def warning_ledger(user: Any, warnings: Any) -> bytes:
    return WARNINGS.workbook(user, warnings, exported("星级预警清单"))


WARNINGS = Sheet(
    "星级预警",
    [
        Column("村（社区）", lambda w: w.village.name),
        Column("年度", lambda w: w.year),
        Column("预警类型", lambda w: WarningKind(w.kind).label),
        Column("预警事由", lambda w: w.origin_label),
        Column("发生日期", lambda w: f"{w.happened_on:%Y-%m-%d}"),
        Column("星", lambda w: w.star_name),
        Column("获评情况", lambda w: f"{w.award.year}年已获评，{w.award.status_label}" if w.award else "尚未获评"),
        Column("整改事项", lambda w: f"{w.item.problem}（{w.item.state_label}）" if w.item else ""),
        Column("状态", lambda w: WarningState(w.state).label, total=TALLY),
        Column("处理意见", lambda w: w.reason),
    ],
)
