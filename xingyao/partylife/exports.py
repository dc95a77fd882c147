"""Excel: the branches' Party-life ledger (组织生活台账) and the member-development ledger (发展党员台账)."""

from __future__ import annotations

from typing import Any

from xingyao.core.exports import Column, Sheet
from xingyao.partylife.workflow import Kind, Stage

MEETINGS = Sheet(
    "组织生活台账",
    [
        Column("日期", lambda m: m.held_on),
        Column("村（社区）", lambda m: m.village.name),
        Column("类型", lambda m: Kind(m.kind).label),
        Column("主题", lambda m: m.topic),
        Column("地点", lambda m: m.place),
        Column("主持人", lambda m: m.led_by),
        Column("应到", lambda m: m.expected),
        Column("实到", lambda m: m.present),
        Column("到会率", lambda m: f"{m.present * 100 / m.expected:.1f}%" if m.expected else ""),
        Column("照片", lambda m: m.photo_count),
    ],
)

CANDIDATES = Sheet(
    "发展党员台账",
    [
        Column("村（社区）", lambda c: c.village.name),
        Column("姓名", lambda c: c.name),
        Column("阶段", lambda c: Stage(c.stage).label),
        Column("递交申请", lambda c: c.applied_on),
        Column("确定积极分子", lambda c: c.activist_on),
        Column("列为发展对象", lambda c: c.prospect_on),
        Column("接收预备党员", lambda c: c.probationary_on),
        Column("转为正式党员", lambda c: c.full_on),
    ],
)


def meeting_ledger(user: Any, meetings: Any) -> bytes:
    """The ledger of the given (already scoped, filtered and photo-counted) meetings."""
    return MEETINGS.workbook(user, meetings)


def candidate_ledger(user: Any, candidates: Any) -> bytes:
    return CANDIDATES.workbook(user, candidates)
