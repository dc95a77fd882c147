"""Dispute (矛盾纠纷) figures, and the “三零” tally. Pure, no ORM.

Definitions (every rate is a percentage, a Decimal rounded half-up to 0.1):
- received 受理: every case counted (optionally those received in [since, until]).
- attempted 调解件数: cases that went through mediation — `mediated` is set, or the outcome is one only
  mediation can produce (mediated, pre_litigation, failed).
- concluded: attempted cases that have an outcome.
- mediated 调解成功: outcome mediated or pre_litigation; pre_litigation 诉前调解成功: the latter only.
- mediation_rate 调解率 = attempted / received.
- success_rate 调解成功率 = mediated / concluded; cases still in mediation do not pull it down.
- A rate whose denominator is 0 is None (“no cases”, shown as “—”), never 0 % or an error.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from xingyao.core.numbers import percent
from xingyao.core.roles import Labelled


class Outcome(Labelled):
    MEDIATED = "mediated", "调解成功"
    PRE_LITIGATION = "pre_litigation", "诉前调解成功"
    COURT = "court", "移送法院"
    WITHDRAWN = "withdrawn", "撤回"
    FAILED = "failed", "调解不成"


SUCCESS = frozenset({Outcome.MEDIATED, Outcome.PRE_LITIGATION})
# Outcomes that can only come out of a mediation; court and withdrawn may happen without one.
MEDIATION_OUTCOMES = SUCCESS | {Outcome.FAILED}


@dataclass(frozen=True)
class CaseFact:
    """What the figures need from one dispute case (`status` and `closed_on` are for the caller's filters)."""

    type: str
    outcome: str | None
    status: str
    received_on: date
    closed_on: date | None
    mediated: bool


@dataclass(frozen=True)
class Figures:
    received: int
    attempted: int
    concluded: int
    mediated: int
    pre_litigation: int
    mediation_rate: Decimal | None
    success_rate: Decimal | None


@dataclass(frozen=True)
class DisputeFigures(Figures):
    """Figures for all cases, and the same per dispute type (most cases first)."""

    by_type: dict[str, Figures] = field(default_factory=dict)


def _outcome(fact: CaseFact) -> Outcome | None:
    if fact.outcome is None or fact.outcome == "":
        return None
    try:
        return Outcome(fact.outcome)
    except ValueError:
        raise ValueError(f"未知的调解结果：{fact.outcome!r}") from None


class _Tally:
    def __init__(self) -> None:
        self.received = self.attempted = self.concluded = self.mediated = self.pre_litigation = 0

    def add(self, fact: CaseFact) -> None:
        outcome = _outcome(fact)
        self.received += 1
        if fact.mediated or outcome in MEDIATION_OUTCOMES:
            self.attempted += 1
            if outcome is not None:
                self.concluded += 1
        if outcome in SUCCESS:
            self.mediated += 1
        if outcome is Outcome.PRE_LITIGATION:
            self.pre_litigation += 1

    def figures(self) -> Figures:
        return Figures(
            received=self.received,
            attempted=self.attempted,
            concluded=self.concluded,
            mediated=self.mediated,
            pre_litigation=self.pre_litigation,
            mediation_rate=percent(self.attempted, self.received),
            success_rate=percent(self.mediated, self.concluded),
        )


def dispute_figures(
    cases: Iterable[CaseFact], *, since: date | None = None, until: date | None = None
) -> DisputeFigures:
    """Figures over `cases`, keeping those received within [since, until] when given."""
    total = _Tally()
    per_type: dict[str, _Tally] = {}
    for fact in cases:
        if (since is not None and fact.received_on < since) or (until is not None and fact.received_on > until):
            continue
        total.add(fact)
        per_type.setdefault(fact.type, _Tally()).add(fact)
    ordered = sorted(per_type.items(), key=lambda item: (-item[1].received, item[0]))
    overall = total.figures()
    return DisputeFigures(**vars(overall), by_type={name: tally.figures() for name, tally in ordered})


class ZeroTally(NamedTuple):
    """“三零” for one village and year: each flag is True when its count is zero."""

    zero_petitions: bool
    zero_accidents: bool
    zero_cases: bool

    @property
    def all_zero(self) -> bool:
        return self.zero_petitions and self.zero_accidents and self.zero_cases


def zero_tally(petitions_beyond_village: int, casualty_accidents: int, criminal_cases: int) -> ZeroTally:
    """零上访: no petition taken beyond the village (disputes solved at village level);
    零事故: no accident with casualties; 零案件: no criminal or major public-order case.
    Counts must not be negative.
    """
    counts = (petitions_beyond_village, casualty_accidents, criminal_cases)
    if any(count < 0 for count in counts):
        raise ValueError(f"“三零”计数不能为负数：{counts}")
    return ZeroTally(*(count == 0 for count in counts))
