"""Briefings for tests: a generated one (through the action) and a bare snapshot carrying a marker text."""

from __future__ import annotations

import datetime as dt
from typing import Any

from xingyao.briefings import actions
from xingyao.briefings.compose import Span
from xingyao.briefings.models import Briefing, PeriodKind


def generated(world: Any, town: str = "溧河铺镇", username: str = "zhen", **span: Any) -> Briefing:
    kind = PeriodKind(span.pop("kind", PeriodKind.YEAR))
    return actions.do_generate_briefing(
        world.user(username), world.unit(town), Span(kind, span.pop("year", 2023), **span)
    )


def snapshot(world: Any, town: str, title: str) -> Briefing:
    """A bare saved briefing whose title is `title` (a list marker)."""
    briefing = Briefing(
        unit=world.unit(town),
        period_kind=PeriodKind.YEAR,
        year=2023,
        first_day=dt.date(2023, 1, 1),
        last_day=dt.date(2023, 12, 31),
        content={"title": title, "sections": []},
        next_steps="下一步",
    )
    briefing.digest = actions.digest_of(briefing)
    briefing.save()
    return briefing
