"""Excel: a round's 观摩评分表 — its title and round above, one row per village the viewer may see, a column per
sheet item, the total, the rank, praise, problems and comments. The import reads the same layout back (the title
lines above the header are skipped, `core.sheets.read_table`)."""

from __future__ import annotations

from typing import Any

from xingyao.core.exports import Column, Sheet
from xingyao.core.sheets import Heading
from xingyao.inspections.actions import CODE, COMMENTS, DAY, PRAISE, PROBLEMS, RANK, TOTAL, VILLAGE
from xingyao.inspections.models import Round
from xingyao.inspections.queries import RankRow, ranking, sheet_items


def _points(n: int) -> Any:
    return lambda r: r.points[n]


def _layout(rnd: Round) -> Sheet:
    items = sheet_items(rnd.sheet)
    per_item = [Column(item.header, _points(n)) for n, item in enumerate(items)]
    return Sheet(
        rnd.label,
        [
            Column(VILLAGE, lambda r: r.village.name),
            Column(CODE, lambda r: r.village.code),
            Column(DAY, lambda r: r.visit.visited_on),
            *per_item,
            Column(TOTAL, lambda r: r.visit.total),
            Column(RANK, lambda r: r.rank),
            Column(PRAISE, lambda r: r.visit.praise),
            Column(PROBLEMS, lambda r: "\n".join(r.problems)),
            Column(COMMENTS, lambda r: r.visit.comments),
        ],
    )


def headers(rnd: Round) -> list[str]:
    return _layout(rnd).header


def score_table(user: Any, rnd: Round) -> bytes:
    """The round's 观摩评分表 as the user may see it, in ranking order."""
    rows: list[RankRow] = ranking(user, rnd, with_items=True)
    heading = Heading(f"{rnd.unit.name}{rnd.label}观摩评分表", [("单位", rnd.unit.name), ("观摩轮次", rnd.label)])
    return _layout(rnd).workbook(user, rows, heading)
