"""The read side of assessments: scoped fetches and the figures pages, rankings and the public page show."""

from __future__ import annotations

from collections.abc import Iterable

from xingyao.assessments.models import StarAward
from xingyao.assessments.workflow import StarStatus


def current_stars(village_ids: Iterable[int], year: int) -> dict[int, set[str]]:
    """The star codes each village holds in `year` (awarded and not removed), in one query."""
    ids = list(village_ids)
    held: dict[int, set[str]] = {i: set() for i in ids}
    rows = (
        StarAward.objects.filter(village_id__in=ids, year=year)
        .exclude(status=StarStatus.REMOVED)
        .values_list("village_id", "star_code")
    )
    for village_id, code in rows:
        held[village_id].add(code)
    return held
