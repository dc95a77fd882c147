from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xingyao.disputes.figures import (
    CaseFact,
    DisputeFigures,
    Figures,
    Outcome,
    ZeroTally,
    dispute_figures,
    percent,
    zero_tally,
)

MARRIAGE, NEIGHBOURS, LAND = "婚姻家庭", "邻里纠纷", "土地承包"


def case(
    kind: str,
    outcome: str | None,
    *,
    mediated: bool,
    received_on: date = date(2024, 3, 1),
    status: str = "closed",
) -> CaseFact:
    closed_on = None if outcome is None else date(2024, 3, 20)
    return CaseFact(kind, outcome, status, received_on, closed_on, mediated)


CASES = [
    case(MARRIAGE, "mediated", mediated=True),
    case(MARRIAGE, "pre_litigation", mediated=True),
    case(NEIGHBOURS, "failed", mediated=True),
    case(NEIGHBOURS, "court", mediated=False),  # sent straight to court
    case(NEIGHBOURS, None, mediated=True, status="mediating"),  # still in mediation
    case(LAND, "withdrawn", mediated=False),
    case(LAND, "mediated", mediated=False),  # the flag was forgotten; the outcome says it was mediated
]


def test_figures_for_a_mixed_set_of_cases() -> None:
    figures = dispute_figures(CASES)
    assert (figures.received, figures.attempted, figures.concluded) == (7, 5, 4)
    assert (figures.mediated, figures.pre_litigation) == (3, 1)
    assert figures.mediation_rate == Decimal("71.4")
    assert figures.success_rate == Decimal("75.0")


def test_figures_by_type_most_cases_first() -> None:
    by_type = dispute_figures(CASES).by_type
    assert list(by_type) == [NEIGHBOURS, LAND, MARRIAGE]
    assert by_type[NEIGHBOURS] == Figures(3, 2, 1, 0, 0, Decimal("66.7"), Decimal("0.0"))
    assert by_type[LAND] == Figures(2, 1, 1, 1, 0, Decimal("50.0"), Decimal("100.0"))
    assert by_type[MARRIAGE] == Figures(2, 2, 2, 2, 1, Decimal("100.0"), Decimal("100.0"))


def test_no_cases_give_no_rates_rather_than_zero_or_an_error() -> None:
    assert dispute_figures([]) == DisputeFigures(0, 0, 0, 0, 0, None, None, by_type={})


def test_success_rate_is_none_while_every_mediation_is_still_open() -> None:
    figures = dispute_figures([case(LAND, None, mediated=True)])
    assert (figures.mediation_rate, figures.success_rate) == (Decimal("100.0"), None)


def test_period_filter_keeps_cases_received_within_both_ends() -> None:
    cases = [
        case(LAND, "mediated", mediated=True, received_on=date(2023, 12, 31)),
        case(LAND, "mediated", mediated=True, received_on=date(2024, 1, 1)),
        case(LAND, "failed", mediated=True, received_on=date(2024, 12, 31)),
        case(LAND, "mediated", mediated=True, received_on=date(2025, 1, 1)),
    ]
    figures = dispute_figures(cases, since=date(2024, 1, 1), until=date(2024, 12, 31))
    assert (figures.received, figures.mediated, figures.success_rate) == (2, 1, Decimal("50.0"))


def test_an_empty_outcome_counts_as_none_and_an_unknown_one_is_an_error() -> None:
    assert dispute_figures([case(LAND, "", mediated=False)]).attempted == 0
    with pytest.raises(ValueError, match="未知的调解结果"):
        dispute_figures([case(LAND, "settled", mediated=True)])


def test_outcome_labels() -> None:
    assert [outcome.label for outcome in Outcome] == [
        "调解成功",
        "诉前调解成功",
        "移送法院",
        "撤回",
        "调解不成",
    ]


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [
        (0, 0, None),
        (0, 5, "0.0"),
        (5, 5, "100.0"),
        (1, 3, "33.3"),
        (2, 3, "66.7"),
        (1, 6, "16.7"),
        (1, 8, "12.5"),
        (1, 16, "6.3"),  # 6.25 rounds half up
        (1, 2000, "0.1"),  # 0.05 rounds half up
        (1, 2001, "0.0"),
    ],
)
def test_percent_rounds_half_up_to_a_tenth(part: int, whole: int, expected: str | None) -> None:
    assert percent(part, whole) == (None if expected is None else Decimal(expected))


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ((0, 0, 0), (True, True, True)),
        ((1, 0, 0), (False, True, True)),
        ((0, 2, 0), (True, False, True)),
        ((0, 0, 3), (True, True, False)),
    ],
)
def test_zero_tally(counts: tuple[int, int, int], expected: tuple[bool, bool, bool]) -> None:
    tally = zero_tally(*counts)
    assert tally == expected
    assert tally.all_zero is all(expected)


def test_zero_tally_names_its_flags_and_rejects_negative_counts() -> None:
    assert zero_tally(0, 1, 0) == ZeroTally(zero_petitions=True, zero_accidents=False, zero_cases=True)
    with pytest.raises(ValueError, match="不能为负数"):
        zero_tally(0, -1, 0)


# --- Properties ---

case_facts = st.builds(
    CaseFact,
    type=st.sampled_from([MARRIAGE, NEIGHBOURS, LAND, "其他"]),
    outcome=st.one_of(st.none(), st.sampled_from([outcome.value for outcome in Outcome])),
    status=st.sampled_from(["registered", "mediating", "closed"]),
    received_on=st.dates(min_value=date(2023, 1, 1), max_value=date(2025, 12, 31)),
    closed_on=st.none(),
    mediated=st.booleans(),
)


def check_figures(figures: Figures) -> None:
    assert 0 <= figures.pre_litigation <= figures.mediated <= figures.concluded <= figures.attempted
    assert figures.attempted <= figures.received
    for rate, denominator in (
        (figures.mediation_rate, figures.received),
        (figures.success_rate, figures.concluded),
    ):
        assert (rate is None) == (denominator == 0)
        if rate is not None:
            assert Decimal(0) <= rate <= Decimal(100)
            assert rate == rate.quantize(Decimal("0.1"))


@given(st.lists(case_facts, max_size=80))
def test_figures_are_consistent_for_any_cases(cases: list[CaseFact]) -> None:
    figures = dispute_figures(cases)
    assert figures.received == len(cases)
    check_figures(figures)
    for part in figures.by_type.values():
        check_figures(part)
    for attribute in ("received", "attempted", "concluded", "mediated", "pre_litigation"):
        assert sum(getattr(part, attribute) for part in figures.by_type.values()) == getattr(figures, attribute)


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=1, max_value=10**6))
def test_percent_is_within_a_twentieth_of_the_exact_value(part: int, extra: int) -> None:
    whole = part + extra
    rate = percent(part, whole)
    assert rate is not None
    assert Decimal(0) <= rate <= Decimal(100)
    assert abs(rate - Decimal(part) * 100 / Decimal(whole)) <= Decimal("0.05")
