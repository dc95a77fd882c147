"""Ledger records for tests, written straight to the database (the actions are tested on their own)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from xingyao.ledgers.models import Designation, Item, Progress
from xingyao.ledgers.workflow import Source, State, WarningKind


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


def award(world: Any, village: str = "毛桥村", *, star_code: str = "safety", year: int = 2023, **changes: Any) -> Any:
    from xingyao.assessments.models import StarAward

    fields = {"star_name": "平安法治星", "order": 4} | changes
    found, _ = StarAward.objects.get_or_create(
        village=world.unit(village), year=year, star_code=star_code, defaults=fields
    )
    return found


def warning(
    world: Any, village: str = "毛桥村", *, origin_label: str = "网格事件：生产安全伤亡事故", **changes: Any
) -> Any:
    """A warning on the village's 平安法治星 for an accident (its origin an item of the village, for the link)."""
    from xingyao.ledgers.models import StarWarning

    origin = item(world, village, problem=f"事故隐患 {origin_label}"[:200], source=Source.WARNING)
    fields = {
        "year": 2023,
        "kind": WarningKind.ACCIDENT,
        "happened_on": dt.date(2023, 6, 8),
        "star_code": "safety",
        "star_name": "平安法治星",
        "award": award(world, village),
        "origin": origin,
        "origin_label": origin_label,
        "item": origin,
    } | changes
    return StarWarning.objects.create(village=world.unit(village), **fields)


def closed(world: Any, village: str = "毛桥村", **changes: Any) -> Item:
    """An item closed on 2023-05-10 and owed its follow-up visits."""
    fields = {"state": State.CLOSED, "closed_on": dt.date(2023, 5, 10), "next_follow_up": dt.date(2023, 8, 8)}
    return item(world, village, **(fields | changes))


def plan(world: Any, village: str = "毛桥村", *, gaps: str = "1. 党员活动室面积不足\n2. 党员老龄化，后备力量弱") -> Any:
    from xingyao.stars.models import StarPlan
    from xingyao.stars.tests.fixtures import published_set

    published_set(world)
    found, _ = StarPlan.objects.update_or_create(
        village=world.unit(village),
        year=2023,
        star_code="branch",
        defaults={"gaps": gaps, "measures": "整顿销号，建强班子", "responsible": "毛德胜",
                  "deadline": dt.date(2023, 11, 30)},
    )  # fmt: skip
    return found
