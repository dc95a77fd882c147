"""Ledger records for tests, written straight to the database (the actions are tested on their own)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from xingyao.ledgers.models import Designation, Item, Progress
from xingyao.ledgers.workflow import Source, State


def designation(world: Any, village: str = "毛桥村", *, year: int = 2023, **changes: Any) -> Designation:
    fields = {
        "criteria": ["party_life"],
        "decided_on": dt.date(year, 3, 1),
        "decided_by": "中共新野县委组织部",
        "county_leader": "县委副书记 张县",
        "town_leader": "镇党委书记 李镇",
        "first_secretary": "王驻村",
        "twinned_unit": "新野县自然资源局",
    } | changes
    return Designation.objects.create(village=world.unit(village), year=year, **fields)


def item(world: Any, village: str = "毛桥村", *, problem: str = "党群服务中心面积不足", **changes: Any) -> Item:
    fields = {
        "source": Source.WEAK_BRANCH,
        "target": "建成 430 平方米党群服务中心",
        "measure": "选址新建，一厅五室",
        "steps": "立项、施工、验收",
        "responsible": "毛德胜",
        "start_on": dt.date(2023, 3, 6),
        "days": 40,
        "due_on": dt.date(2023, 5, 5),
        "state": State.OPEN,
    } | changes
    return Item.objects.create(village=world.unit(village), problem=problem, **fields)


def progress(world: Any, it: Item, by: str | None = "maoqiao", on: dt.date | None = None) -> Progress:
    return Progress.objects.create(
        item=it, acted_on=on or it.start_on, note="主体完工", recorded_by=world.user(by) if by else None
    )
