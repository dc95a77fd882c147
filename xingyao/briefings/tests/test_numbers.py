"""The briefing's number style, by the seed's own figures and by properties over any figure."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xingyao.briefings.numbers import about, exact, joined, months, value_of


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (13250, "1.3万余"),  # 孙楼娃娃菜's area: “1.3万余亩”
        (13000, "1.3万"),
        (20000, "2万"),
        (125_400, "12.5万余"),
        (8120, "8000余"),  # drains: “8000余米”
        (1060, "1000余"),  # wall paintings: “1000余平”
        (1024, "1000余"),  # jobs: “1000余人”
        (4500, "4500"),  # roads: “4500米”
        (2500, "2500"),
        (1000, "1000"),
        (73, "73"),
        (44, "44"),
        (0, "0"),
        (Decimal("450.0"), "450"),
        (430, "400余"),  # a floor onto 400, 450, 500…: so 431 is never written below 430
        (4560, "4500余"),
        (Decimal("99.5"), "99.5"),
        (473, "450余"),
        (131, "100余"),
        (150, "150"),
        (450, "450"),
    ],
)
def test_totals_are_written_as_the_seed_writes_them(value, written) -> None:
    assert about(value) == written


def test_exact_figures_keep_every_digit() -> None:
    assert exact(1280) == "1280" and exact(Decimal("430.0")) == "430" and exact(Decimal("12.25")) == "12.3"


def test_maoqiaos_rectification_took_three_months() -> None:
    assert months(dt.date(2023, 3, 1), dt.date(2023, 5, 29)) == 3
    assert months(dt.date(2023, 3, 1), dt.date(2023, 3, 2)) == 1


def test_names_are_listed_with_the_enumeration_comma() -> None:
    assert joined(["毛桥村", "庄营村", "杨岗村"]) == "毛桥村、庄营村、杨岗村"


def test_negative_figures_are_refused() -> None:
    with pytest.raises(ValueError, match="负数"):
        about(-1)
    with pytest.raises(ValueError, match="负数"):
        exact(-1)


figures = st.one_of(
    st.integers(min_value=0, max_value=10**9),
    st.decimals(min_value=0, max_value=10**7, places=2, allow_nan=False, allow_infinity=False),
)


@given(figures)
def test_a_written_total_never_says_more_than_the_records(value) -> None:
    written = about(value)
    assert value_of(written) <= Decimal(value) or Decimal(value) < 100


@given(figures)
def test_a_written_total_says_at_least_half_of_the_records(value) -> None:
    if Decimal(value) >= 100:
        assert value_of(about(value)) * 2 > Decimal(value)


@given(figures)
def test_yu_means_there_is_more_and_only_then(value) -> None:
    written = about(value)
    if Decimal(value) >= 100:  # below 100 a figure is exact to one decimal, never with 余
        assert written.endswith("余") == (value_of(written) != Decimal(value))
    else:
        assert not written.endswith("余") and abs(value_of(written) - Decimal(value)) <= Decimal("0.05")


@given(figures)
def test_ten_thousands_are_written_in_wan_and_smaller_figures_never(value) -> None:
    assert ("万" in about(value)) == (Decimal(value) >= 10_000)


@given(st.integers(min_value=0, max_value=99))
def test_small_counts_are_exact(value) -> None:
    assert about(value) == exact(value) == str(value)


@given(st.integers(min_value=100, max_value=9999), st.integers(min_value=100, max_value=9999))
def test_a_larger_total_is_never_written_smaller(a, b) -> None:
    low, high = sorted((a, b))
    assert value_of(about(low)) <= value_of(about(high))


@given(st.dates(), st.integers(min_value=0, max_value=4000))
def test_months_are_whole_and_at_least_one(start, days) -> None:
    end = start + dt.timedelta(days=days) if start <= dt.date.max - dt.timedelta(days=days) else start
    taken = months(start, end)
    assert taken >= 1 and abs(taken * 30.44 - (end - start).days) <= 30.44
