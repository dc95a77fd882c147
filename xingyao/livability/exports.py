"""Excel ledgers in the layout townships keep, one row per work or activity; the columns of the import come first,
so an exported ledger edited and imported again is read back."""

from __future__ import annotations

from xingyao.core.exports import Column, Sheet
from xingyao.livability.vocabulary import ActivityKind, Measure, WorkKind

WORKS = Sheet(
    "人居环境工程台账",
    [
        Column("村代码", lambda w: w.village.code),
        Column("类型", lambda w: WorkKind(w.kind).label),
        Column("数量", lambda w: w.quantity),
        Column("单位", lambda w: Measure(w.unit).label),
        Column("名称或位置", lambda w: w.place),
        Column("开工日期", lambda w: w.started_on),
        Column("完工日期", lambda w: w.finished_on),
        Column("投资（万元）", lambda w: w.cost),
        Column("备注", lambda w: w.note),
        Column("村（社区）", lambda w: w.village.name),
        Column("整治前照片", lambda w: w.before_photos),
        Column("整治后照片", lambda w: w.after_photos),
    ],
)

ACTIVITIES = Sheet(
    "文化和服务活动台账",
    [
        Column("村代码", lambda a: a.village.code),
        Column("类型", lambda a: ActivityKind(a.kind).label),
        Column("名称", lambda a: a.title),
        Column("日期", lambda a: a.held_on),
        Column("组织单位", lambda a: a.organiser),
        Column("参加人数", lambda a: a.attendance),
        Column("备注", lambda a: a.note),
        Column("村（社区）", lambda a: a.village.name),
        Column("照片", lambda a: a.photo_count),
    ],
)
