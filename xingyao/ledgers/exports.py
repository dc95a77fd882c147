"""Excel: the rectification ledger (整顿台账) in the layout townships keep, “三精准” and “三明确” side by side."""

from __future__ import annotations

from typing import Any

from xingyao.core.exports import Column, Sheet
from xingyao.ledgers.workflow import Source, State


def _progress(item: Any) -> str:
    entries = list(item.progress.all())
    return "；".join(f"{p.acted_on:%Y-%m-%d} {p.note}" for p in entries)


def _acceptance(item: Any) -> str:
    return "；".join(
        f"{a.accepted_on:%Y-%m-%d} {a.method_label} {a.score}分 {'通过' if a.passed else '未通过'}"
        for a in item.acceptances.all()
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
        Column("状态", lambda i: State(i.state).label),
    ],
)


def item_ledger(user: Any, items: Any) -> bytes:
    """The ledger of the given (already scoped and filtered) items; progress and acceptances prefetched."""
    return ITEMS.workbook(user, items)
