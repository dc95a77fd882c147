"""Excel ledgers of the industry records, in the layout the townships keep: one row per project, per industry and
village-year, per village-year of income. Their headers are the import's columns, so a ledger can be re-imported."""

from __future__ import annotations

from xingyao.core.exports import Column, Sheet
from xingyao.economy.workflow import Stage

PROJECTS = Sheet(
    "招商引资项目台账",
    [
        Column("项目名称", lambda p: p.name),
        Column("乡镇代码", lambda p: p.town.code),
        Column("乡镇", lambda p: p.town.name),
        Column("落地村代码", lambda p: p.village.code if p.village else ""),
        Column("落地村", lambda p: p.village.name if p.village else ""),
        Column("投资方", lambda p: p.investor),
        Column("行业", lambda p: p.sector),
        Column("计划投资（万元）", lambda p: p.amount),
        Column("用地（亩）", lambda p: p.land_mu),
        Column("预计带动就业（人）", lambda p: p.jobs),
        Column("包联镇领导", lambda p: p.leader),
        Column("阶段", lambda p: Stage(p.stage).label),
        Column("登记日期", lambda p: p.registered_on),
        Column("签约日期", lambda p: p.signed_on),
        Column("开工日期", lambda p: p.started_on),
        Column("投产日期", lambda p: p.producing_on),
        Column("备注", lambda p: p.note),
    ],
)

AREAS = Sheet(
    "特色产业面积台账",
    [
        Column("产业名称", lambda a: a.industry.name),
        Column("村代码", lambda a: a.village.code),
        Column("村（社区）", lambda a: a.village.name),
        Column("年度", lambda a: a.year),
        Column("面积（亩）", lambda a: a.area_mu),
        Column("种植户数", lambda a: a.households),
        Column("带动就业（人）", lambda a: a.jobs),
        Column("品牌", lambda a: a.industry.brand),
    ],
)

INCOMES = Sheet(
    "村集体经济收入台账",
    [
        Column("村代码", lambda i: i.village.code),
        Column("村（社区）", lambda i: i.village.name),
        Column("年度", lambda i: i.year),
        Column("经营性收入（元）", lambda i: i.operating),
        Column("资产收益（元）", lambda i: i.assets),
        Column("合计（元）", lambda i: i.total),
        Column("台账来源", lambda i: i.source),
        Column("备注", lambda i: i.note),
    ],
)
