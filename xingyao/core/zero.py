"""The “三零” counts (零上访、零事故、零案件) per village, gathered from every record app that knows of such
incidents. Pure, no ORM.

Each app registers a counter in its `AppConfig.ready()` (through its `metrics.register()`):
`(read, village_ids, period) -> {village id: (petitions beyond the village, casualty accidents, criminal or major
cases)}`, a query or two for any number of villages. `zero_counts()` adds them up, so the disputes app shows the
tally and feeds its metrics without importing the grid app, whose events count too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from xingyao.core.metrics import Period, Reader

Counts = tuple[int, int, int]
# Which of the three counts: the positions in `Counts`.
PETITIONS, ACCIDENTS, CASES = range(3)
Counter = Callable[["Reader", list[int], "Period"], dict[int, Counts]]

_counters: dict[str, Counter] = {}


def register_zero_counter(app: str, counter: Counter) -> None:
    """Register (or replace, so reloading an app is harmless) the counter of app `app`."""
    _counters[app] = counter


def zero_counts(read: Reader, village_ids: list[int], period: Period) -> dict[int, Counts]:
    """Every registered counter's counts added up; a village no counter mentions has (0, 0, 0)."""
    found = tally(
        (vid, which, n)
        for app in sorted(_counters)
        for vid, counts in _counters[app](read, village_ids, period).items()
        for which, n in enumerate(counts)
    )
    return {vid: found.get(vid, (0, 0, 0)) for vid in village_ids}


def tally(rows: Iterable[tuple[int, int, int]]) -> dict[int, Counts]:
    """Counts from (village id, which count, how many) rows, e.g. a counter's grouped query; a village without
    rows is left out."""
    totals: dict[int, list[int]] = {}
    for vid, which, n in rows:
        totals.setdefault(vid, [0, 0, 0])[which] += n
    return {vid: (c[0], c[1], c[2]) for vid, c in totals.items()}
