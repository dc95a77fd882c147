"""Working-day calendar for deadlines: Chinese public holidays and 调休 make-up working days.

Pure Python, no ORM. Holidays come from the `chinese_calendar` package; a county may add its own
`overrides` (date → is it a working day), which always win. For a year the package does not cover yet,
Monday–Friday are working days, so a deadline never fails to compute — it is only less exact.

Deadline rule: a task received on `start` with a limit of n working days is due at the end of the n-th
working day after `start` (the day of receipt never counts, whatever its kind). With n = 0 it is due at
the end of `start` itself if that is a working day, else at the end of the next working day.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from types import MappingProxyType

import chinese_calendar

NO_OVERRIDES: Mapping[date, bool] = MappingProxyType({})
END_OF_DAY = time(23, 59, 59)
_ONE_DAY = timedelta(days=1)


@lru_cache(maxsize=256)
def _statutory_workdays(year: int) -> frozenset[date]:
    # One table per year: chinese_calendar rescans its data for the supported years on every call,
    # which is too slow for day-by-day loops over long spans.
    first = date(year, 1, 1)
    days = [first + timedelta(days=i) for i in range((date(year, 12, 31) - first).days + 1)]
    try:
        return frozenset(day for day in days if chinese_calendar.is_workday(day))
    except NotImplementedError:
        return frozenset(day for day in days if day.weekday() < 5)


def _as_date(day: date) -> date:
    # A datetime is a date too, but it would never match a date key in `overrides`.
    return day.date() if isinstance(day, datetime) else day


def is_workday(day: date, overrides: Mapping[date, bool] = NO_OVERRIDES) -> bool:
    """Whether `day` is a working day: an override wins, then the national calendar, then Mon–Fri."""
    day = _as_date(day)
    if day in overrides:
        return overrides[day]
    return day in _statutory_workdays(day.year)


def next_workday(day: date, overrides: Mapping[date, bool] = NO_OVERRIDES) -> date:
    """The first working day strictly after `day`."""
    day = _as_date(day) + _ONE_DAY
    while not is_workday(day, overrides):
        day += _ONE_DAY
    return day


def add_workdays(start: date, n: int, overrides: Mapping[date, bool] = NO_OVERRIDES) -> date:
    """The due date of a task received on `start` with a limit of `n` working days (see the module rule)."""
    if n < 0:
        raise ValueError(f"工作日数不能为负数：{n}")
    start = _as_date(start)
    if n == 0:
        return start if is_workday(start, overrides) else next_workday(start, overrides)
    day = start
    for _ in range(n):
        day = next_workday(day, overrides)
    return day


def workdays_between(a: date, b: date, overrides: Mapping[date, bool] = NO_OVERRIDES) -> int:
    """Working days in (a, b]; negative (minus those in (b, a]) when b is before a."""
    a, b = _as_date(a), _as_date(b)
    if b < a:
        return -workdays_between(b, a, overrides)
    count = 0
    day = a + _ONE_DAY
    while day <= b:
        count += is_workday(day, overrides)
        day += _ONE_DAY
    return count


def deadline(start: datetime, n: int, overrides: Mapping[date, bool] = NO_OVERRIDES) -> datetime:
    """End (23:59:59) of the due day for a task received at `start`, in start's own timezone.

    The day of receipt is start's calendar date as written, so pass local (Asia/Shanghai) time.
    """
    due = add_workdays(start.date(), n, overrides)
    return datetime.combine(due, END_OF_DAY, tzinfo=start.tzinfo)
