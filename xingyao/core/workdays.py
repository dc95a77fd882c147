"""Working days for a unit: the pure calendar plus the overrides its county or town has set."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from xingyao.core import audit, calendar
from xingyao.core.errors import ActionError
from xingyao.core.models import WorkdayOverride
from xingyao.core.roles import Action
from xingyao.core.scoping import ancestor_prefixes, covers


def _ancestor_prefixes(prefix: str) -> list[str]:
    return [*ancestor_prefixes(prefix), prefix]


def overrides_for(unit) -> dict[dt.date, bool]:  # type: ignore[no-untyped-def]
    """Overrides that apply to `unit`: those set on it or any ancestor; the nearest one wins."""
    rows = (
        WorkdayOverride.objects.unscoped("the calendar of a unit and its ancestors applies to it")
        .filter(unit__prefix__in=_ancestor_prefixes(unit.prefix))
        .values_list("unit__prefix", "day", "is_workday")
    )
    result: dict[dt.date, bool] = {}
    for _prefix, day, is_workday in sorted(rows, key=lambda r: len(r[0])):
        result[day] = is_workday
    return result


def deadline_for(unit, start: dt.datetime, days: int) -> dt.datetime:  # type: ignore[no-untyped-def]
    """End of the `days`-th working day after `start`, by the calendar that applies to `unit`."""
    return calendar.deadline(start, days, overrides_for(unit))


def do_set_workday_override(actor, unit, day: dt.date, is_workday: bool, note: str) -> WorkdayOverride:  # type: ignore[no-untyped-def]
    """Declare a day a working day or a day off for `unit` and everything under it."""
    if not covers(actor, Action.ADMIN, unit.prefix):
        raise ActionError("您只能调整本辖区的工作日")
    with transaction.atomic():
        override = (
            WorkdayOverride.objects.unscoped("the actor's scope was checked above").filter(unit=unit, day=day).first()
        )
        before = audit.snapshot(override) if override else None
        if override is None:
            override = WorkdayOverride(unit=unit, day=day)
        override.is_workday, override.note = is_workday, note.strip()[:100]
        override.save()
        audit.record(
            actor=actor, action="workday.set", obj=override, unit=unit, before=before, after=audit.snapshot(override)
        )
    return override


def do_remove_workday_override(actor, override: WorkdayOverride) -> None:  # type: ignore[no-untyped-def]
    """Return a day to the national calendar."""
    if not covers(actor, Action.ADMIN, override.unit.prefix):
        raise ActionError("您只能调整本辖区的工作日")
    with transaction.atomic():
        audit.record(
            actor=actor, action="workday.remove", obj=override, unit=override.unit, before=audit.snapshot(override)
        )
        override.delete()
