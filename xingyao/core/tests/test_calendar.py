from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xingyao.core.calendar import (
    add_workdays,
    deadline,
    is_workday,
    next_workday,
    workdays_between,
)

D = date.fromisoformat
SHANGHAI = timezone(timedelta(hours=8))


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        # 2023 National Day + Mid-Autumn: 09-29..10-06 off, Sat 10-07 and Sun 10-08 are make-up working days.
        ("2023-09-28", True),
        ("2023-09-29", False),
        ("2023-10-01", False),
        ("2023-10-06", False),
        ("2023-10-07", True),
        ("2023-10-08", True),
        ("2023-10-09", True),
        # 2024 Spring Festival: 02-10..02-17 off, Sun 02-04 and Sun 02-18 are make-up working days.
        ("2024-02-04", True),
        ("2024-02-09", True),
        ("2024-02-10", False),
        ("2024-02-12", False),
        ("2024-02-17", False),
        ("2024-02-18", True),
        ("2024-02-19", True),
        # Ordinary weeks.
        ("2024-03-08", True),
        ("2024-03-09", False),
        ("2024-03-10", False),
        ("2026-01-01", False),
    ],
)
def test_is_workday_follows_the_national_holiday_calendar(day: str, expected: bool) -> None:
    assert is_workday(D(day)) is expected


def test_an_override_wins_in_both_directions() -> None:
    overrides = {D("2023-10-07"): False, D("2023-10-03"): True}
    assert is_workday(D("2023-10-07"), overrides) is False
    assert is_workday(D("2023-10-03"), overrides) is True
    assert is_workday(D("2023-10-09"), overrides) is True


@pytest.mark.parametrize(
    ("day", "expected"),
    [("2099-06-05", True), ("2099-06-06", False), ("2099-06-07", False), ("1999-10-01", True)],
)
def test_a_year_the_package_does_not_cover_falls_back_to_monday_to_friday(day: str, expected: bool) -> None:
    assert is_workday(D(day)) is expected


def test_overrides_also_apply_in_an_uncovered_year() -> None:
    assert is_workday(D("2099-06-06"), {D("2099-06-06"): True}) is True


def test_a_datetime_is_judged_by_its_date_and_matches_date_overrides() -> None:
    moment = datetime(2023, 10, 7, 9, 30)
    assert is_workday(moment) is True
    assert is_workday(moment, {D("2023-10-07"): False}) is False


@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        # n = 0: the day itself if working, else the next working day.
        ("2023-09-28", 0, "2023-09-28"),
        ("2023-10-01", 0, "2023-10-07"),
        # Received the day before the holiday: the make-up Saturday is the first working day after it.
        ("2023-09-28", 1, "2023-10-07"),
        ("2023-09-28", 2, "2023-10-08"),
        ("2023-09-28", 3, "2023-10-09"),
        # Received during the holiday: the day of receipt never counts.
        ("2023-10-03", 1, "2023-10-07"),
        # Received on a make-up working day.
        ("2023-10-07", 1, "2023-10-08"),
        ("2023-10-07", 5, "2023-10-12"),
        # Spring Festival 2024.
        ("2024-02-08", 1, "2024-02-09"),
        ("2024-02-08", 2, "2024-02-18"),
        ("2024-02-09", 1, "2024-02-18"),
        ("2024-02-09", 3, "2024-02-20"),
        # Plain weekend.
        ("2024-03-08", 1, "2024-03-11"),
        ("2024-03-09", 1, "2024-03-11"),
        ("2024-03-11", 5, "2024-03-18"),
        # Across a year the package does not cover.
        ("2026-12-31", 1, "2027-01-01"),
        ("2099-06-05", 1, "2099-06-08"),
    ],
)
def test_add_workdays(start: str, n: int, due: str) -> None:
    assert add_workdays(D(start), n) == D(due)


def test_add_workdays_respects_overrides() -> None:
    # A county declares the make-up Saturday a day off; the deadline moves to Sunday.
    assert add_workdays(D("2023-09-28"), 1, {D("2023-10-07"): False}) == D("2023-10-08")
    # …or opens on a holiday.
    assert add_workdays(D("2023-09-28"), 1, {D("2023-09-29"): True}) == D("2023-09-29")


def test_add_workdays_rejects_a_negative_limit() -> None:
    with pytest.raises(ValueError, match="负数"):
        add_workdays(D("2024-03-08"), -1)


def test_add_workdays_handles_long_limits() -> None:
    due = add_workdays(D("2024-01-02"), 1000)
    assert workdays_between(D("2024-01-02"), due) == 1000
    assert is_workday(due)


@pytest.mark.parametrize(
    ("a", "b", "count"),
    [
        ("2023-09-28", "2023-09-28", 0),
        ("2023-09-28", "2023-10-06", 0),
        ("2023-09-28", "2023-10-08", 2),
        ("2023-09-27", "2023-10-09", 4),
        ("2024-02-08", "2024-02-19", 3),
        ("2023-10-08", "2023-09-28", -2),
        ("2024-03-08", "2024-03-10", 0),
        ("2024-03-08", "2024-03-11", 1),
    ],
)
def test_workdays_between_counts_the_half_open_interval(a: str, b: str, count: int) -> None:
    assert workdays_between(D(a), D(b)) == count


def test_next_workday_skips_the_whole_holiday() -> None:
    assert next_workday(D("2023-09-28")) == D("2023-10-07")


def test_deadline_is_the_end_of_the_due_day_in_the_same_timezone() -> None:
    received = datetime(2023, 9, 28, 16, 45, tzinfo=SHANGHAI)
    due = deadline(received, 3)
    assert due == datetime(2023, 10, 9, 23, 59, 59, tzinfo=SHANGHAI)
    assert due.tzinfo is SHANGHAI


def test_deadline_keeps_naive_datetimes_naive() -> None:
    assert deadline(datetime(2024, 3, 8, 8, 0), 1) == datetime(2024, 3, 11, 23, 59, 59)


def test_deadline_with_zero_days_on_a_holiday_is_the_next_working_day() -> None:
    assert deadline(datetime(2023, 10, 2, 10, 0), 0, {}) == datetime(2023, 10, 7, 23, 59, 59)


# Property tests over the covered years and the fallback years on either side.
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31))
limits = st.integers(min_value=0, max_value=400)
override_maps = st.dictionaries(
    st.dates(min_value=date(2023, 9, 1), max_value=date(2024, 3, 31)), st.booleans(), max_size=20
)


@given(days, limits, override_maps)
def test_add_workdays_always_lands_on_a_working_day(start: date, n: int, overrides: dict[date, bool]) -> None:
    assert is_workday(add_workdays(start, n, overrides), overrides)


@given(days, st.integers(min_value=1, max_value=400), override_maps)
def test_workdays_between_inverts_add_workdays(start: date, n: int, overrides: dict[date, bool]) -> None:
    assert workdays_between(start, add_workdays(start, n, overrides), overrides) == n


@given(days, limits, override_maps)
def test_add_workdays_is_monotonic_in_n(start: date, n: int, overrides: dict[date, bool]) -> None:
    due = add_workdays(start, n, overrides)
    later = add_workdays(start, n + 1, overrides)
    assert start <= due <= later
    # Strictly so, except that from a day off n = 0 and n = 1 both mean the next working day.
    if n >= 1 or is_workday(start, overrides):
        assert due < later
        assert workdays_between(due, later, overrides) == 1
    else:
        assert due == later


@given(days, days)
def test_workdays_between_is_antisymmetric(a: date, b: date) -> None:
    assert workdays_between(a, b) == -workdays_between(b, a)


@given(days, days, days)
def test_workdays_between_is_additive(a: date, b: date, c: date) -> None:
    assert workdays_between(a, b) + workdays_between(b, c) == workdays_between(a, c)
