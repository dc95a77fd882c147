"""Inspection records for tests, written straight to the database (the actions are tested on their own)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from openpyxl import Workbook

from xingyao.inspections.models import Round, Score, ScoreSheet, SheetItem, Visit
from xingyao.inspections.workflow import DEFAULT_SHEET, State, star_scores
from xingyao.places.codes import Kind

YEAR = 2023


def sheet(world: Any, county: str = "新野县", *, year: int = YEAR, name: str = "") -> ScoreSheet:
    found = ScoreSheet.objects.unscoped("test").filter(county=world.unit(county), year=year).first()
    if found:
        return found
    made = ScoreSheet.objects.create(county=world.unit(county), year=year, name=name or f"{year}年观摩评分表")
    SheetItem.objects.bulk_create(
        SheetItem(sheet=made, star=star, name=item, max_points=top, order=n)
        for n, (star, item, top) in enumerate(DEFAULT_SHEET, start=1)
    )
    return made


def items(world: Any) -> list[SheetItem]:
    return list(SheetItem.objects.unscoped("test").filter(sheet=sheet(world)).order_by("order"))


def round_(
    world: Any,
    unit: str = "溧河铺镇",
    *,
    quarter: int = 2,
    route: Sequence[str] = ("毛桥村", "庄营村"),
    state: str = State.SCORING,
    team: str = "李建国、刘洋",
    year: int = YEAR,
) -> Round:
    """The unit's round of the quarter (made once), with its route of visits."""
    found = Round.objects.unscoped("test").filter(unit=world.unit(unit), year=year, quarter=quarter).first()
    if found:
        return found
    first = dt.date(year, 3 * quarter - 1, 10)
    made = Round.objects.create(
        unit=world.unit(unit),
        sheet=sheet(world, year=year),
        year=year,
        quarter=quarter,
        starts_on=first,
        ends_on=first + dt.timedelta(days=1),
        team=team,
        state=state,
    )
    for n, name in enumerate(route, start=1):
        Visit.objects.create(round=made, village=world.unit(name), order=n)
    return made


def visit(world: Any, village: str = "毛桥村", **kwargs: Any) -> Visit:
    rnd = round_(world, **kwargs)
    return Visit.objects.unscoped("test").get(round=rnd, village=world.unit(village))


def score(world: Any, v: Visit, share: float = 0.8, **texts: Any) -> Visit:
    """Score every item at `share` of its maximum (halves), with praise, problems and comments."""
    from xingyao.inspections.models import Problem

    found = items(world)
    values = {i.pk: Decimal(round(i.max_points * share * 2)) / 2 for i in found}
    Score.objects.unscoped("test").filter(visit=v).delete()
    Score.objects.bulk_create(Score(visit=v, item=i, points=values[i.pk]) for i in found)
    v.total = sum(values.values(), Decimal(0))
    v.star_scores = {k: str(x) for k, x in star_scores((i.star, values[i.pk]) for i in found).items()}
    v.visited_on = v.round.starts_on
    v.praise = texts.get("praise", "环境整洁")
    v.comments = texts.get("comments", "继续保持")
    v.save()
    for n, text in enumerate(texts.get("problems", ["墙绘破损"]), start=1):
        Problem.objects.create(visit=v, text=text, order=n)
    return v


def county_round(world: Any) -> Round:
    """The county's own round of the third quarter, visiting 毛桥村 (so the town and the village see it)."""
    return round_(world, "新野县", quarter=3, route=("毛桥村",))


def village_on_county_round(town: str):  # type: ignore[no-untyped-def]
    """A marker: a new village of `town` named by the text, scored on the county's round."""

    def make(world: Any, text: str) -> Visit:
        rnd = county_round(world)
        village = world.new_unit(town, text, Kind.VILLAGE)
        made = Visit.objects.create(round=rnd, village=village, order=90 + Visit.objects.unscoped("t").count())
        return score(world, made)

    return make


def round_with_team(town: str, village: str):  # type: ignore[no-untyped-def]
    """A marker: the town's round with the text as its team, visiting `village`."""
    return lambda world, text: round_(world, town, quarter=1, route=(village,), team=text)


def score_table(world: Any, rnd: Round, rows: Sequence[dict[str, Any]]) -> bytes:
    """A 观摩评分表 as a township fills it: the export's header, one row per village."""
    from xingyao.inspections.exports import headers

    header = headers(rnd)
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = rnd.label
    ws.append(header)
    for row in rows:
        ws.append([row.get(h) for h in header])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def full_row(world: Any, village: str, share: float = 0.8, **cells: Any) -> dict[str, Any]:
    unit = world.unit(village)
    row: dict[str, Any] = {"村（社区）": unit.name, "村代码": unit.code, "点评": "继续保持"}
    for i in items(world):
        row[i.header] = round(i.max_points * share * 2) / 2
    return row | cells
