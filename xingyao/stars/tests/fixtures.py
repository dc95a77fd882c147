"""Criteria sets and plans made on demand inside the shared test world (idempotent, so routes can call them)."""

from __future__ import annotations

import datetime as dt

from xingyao.core.actors import SYSTEM
from xingyao.demo.testing import World
from xingyao.stars.actions import do_load_example
from xingyao.stars.models import CriteriaSet, StarPlan


def published_set(w: World, year: int = 2023) -> CriteriaSet:
    """新野县's example set for `year`, published."""
    criteria_set, _ = do_load_example(SYSTEM, w.unit("新野县"), year, publish=True)
    return criteria_set


def draft_set(w: World, year: int = 2024) -> CriteriaSet:
    """新野县's example set for `year`, still a draft."""
    criteria_set, _ = do_load_example(SYSTEM, w.unit("新野县"), year)
    return criteria_set


def maoqiao_plan(w: World, star_code: str = "branch") -> StarPlan:
    """毛桥村's 2023 plan for one star."""
    published_set(w)
    plan, _ = StarPlan.objects.get_or_create(
        village=w.unit("毛桥村"),
        year=2023,
        star_code=star_code,
        defaults={"measures": "整顿销号，建强班子", "responsible": "毛德胜", "deadline": dt.date(2023, 11, 30)},
    )
    return plan
