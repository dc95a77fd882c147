"""Excel: what a town or county hands upward about the year's assessment, in the layout its 组织部 keeps — the
results per village (stars self-assessed, assessed and held, points and pass per star, state) and the rankings
with the change on last year. Both read through `restrict()`; a fixed number of queries whatever the villages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from xingyao.assessments import scores
from xingyao.assessments.models import Assessment
from xingyao.assessments.queries import RankRow, current_stars, rankings
from xingyao.assessments.workflow import State
from xingyao.core.exports import SUM, TALLY, Column, Sheet, unit_heading
from xingyao.core.sheets import Heading, write_workbook
from xingyao.places.models import Unit
from xingyao.stars import scoring
from xingyao.stars.models import CriteriaSet

PASSED, FAILED = "达标", "未达标"


def heading(title: str, unit: Unit, year: int) -> Heading:
    """The lines above a results sheet: what it is, for which unit and year, and when it was taken."""
    return unit_heading(f"{unit.name}{year}年度{title}", unit.name, f"{year}年度")


def assessments_of(user: Any, unit: Unit, year: int) -> QuerySet[Assessment]:
    """The year's assessments under `unit` that `user` sees, in the order of the villages' codes."""
    return (
        Assessment.objects.restrict(user)
        .within(unit)
        .filter(year=year)
        .select_related("village__parent")
        .order_by("village__code", "id")
    )


@dataclass(frozen=True)
class ResultRow:
    """One village's result: its assessment, the stars its own values pass, its score and the stars it holds."""

    assessment: Assessment
    self_stars: int
    score: scoring.VillageScore | None
    held: int | None  # after the award (and any removal since); None before it


def result_rows(assessments: list[Assessment]) -> tuple[list[scoring.StarSpec], list[ResultRow]]:
    """Every assessment scored from its stored values (the village's alone, and the ones that count), with the
    union of the sets' stars in their order. Queries: the sets (two each), the values, the files, the awards."""
    ids = [a.pk for a in assessments]
    specs = {
        cs.pk: cs.to_spec()
        for cs in CriteriaSet.objects.unscoped(scores.REASON).filter(pk__in={a.criteria_set_id for a in assessments})
    }
    values, files = scores.values_by_assessment(ids), scores.evidence_counts(ids)
    awarded = [a.village_id for a in assessments if a.state == State.AWARDED]
    held = current_stars(awarded, assessments[0].year) if awarded else {}
    rows = []
    for a in assessments:
        spec, stored, counted = specs[a.criteria_set_id], values[a.pk], files[a.pk]
        own = {code: {"self_value": row.get("self_value")} for code, row in stored.items()}
        self_score = scoring.score(spec, scores.safe_values(spec, scores.raw_effective(spec, own, counted)))
        score = scoring.score(spec, scores.safe_values(spec, scores.raw_effective(spec, stored, counted)))
        rows.append(
            ResultRow(a, self_score.star_count, score, len(held[a.village_id]) if a.village_id in held else None)
        )
    stars: dict[str, scoring.StarSpec] = {}
    for spec in specs.values():
        for star in sorted(spec.stars, key=lambda s: s.order):
            stars.setdefault(star.code, star)
    return list(stars.values()), rows


def _star_of(r: ResultRow, code: str) -> scoring.StarScore | None:
    return next((s for s in r.score.stars if s.star_code == code), None) if r.score else None


def _star_points(code: str) -> Any:
    return lambda r: star.points if (star := _star_of(r, code)) else ""


def _star_pass(code: str) -> Any:
    return lambda r: (PASSED if star.passed else FAILED) if (star := _star_of(r, code)) else ""


def results_sheet(stars: list[scoring.StarSpec]) -> Sheet:
    """The results layout: a row per village, two columns per star (its points and whether it passed)."""
    per_star = [
        column
        for star in stars
        for column in (
            Column(f"{star.name}得分", _star_points(star.code)),
            Column(f"{star.name}达标", _star_pass(star.code), total=TALLY),
        )
    ]
    return Sheet(
        "评定结果",
        [
            Column("乡镇", lambda r: r.assessment.village.parent.name if r.assessment.village.parent else ""),
            Column("村（社区）", lambda r: r.assessment.village.name),
            Column("村代码", lambda r: r.assessment.village.code),
            Column("自评达标星数", lambda r: r.self_stars, total=SUM),
            Column("评定星数", lambda r: r.assessment.star_count, total=SUM),
            Column("授星后持有星数", lambda r: r.held, total=SUM),
            Column("总分", lambda r: r.assessment.points),
            *per_star,
            Column("状态", lambda r: r.assessment.state_label, total=TALLY),
        ],
    )


def results_filename(unit: Unit, year: int) -> str:
    return f"{unit.name}{year}年度评定结果.xlsx"


def results_workbook(user: Any, unit: Unit, year: int) -> bytes:
    """The results of every village under `unit` in `year` as `user` sees them (no personal data in them)."""
    assessments = list(assessments_of(user, unit, year))
    stars, rows = result_rows(assessments) if assessments else ([], [])
    sheet = results_sheet(stars)
    return write_workbook([sheet.part(user, rows, heading("“五星”支部创建评定结果汇总表", unit, year))])


def _change(r: RankRow) -> str:
    if r.change is None:
        return "上年无结果"
    return f"升 {r.change} 星" if r.change > 0 else f"降 {r.drop} 星" if r.change < 0 else "持平"


def ranking_sheet(by_town: bool) -> Sheet:
    """The rankings layout; a town's own ranking has no county column."""
    county = [] if by_town else [Column("县内排名", lambda r: r.county_rank)]
    return Sheet(
        "星级排名",
        [
            *county,
            Column("镇内排名", lambda r: r.town_rank),
            Column("乡镇", lambda r: r.town),
            Column("村（社区）", lambda r: r.village),
            Column("星数", lambda r: r.stars, total=SUM),
            Column("总分", lambda r: r.points),
            Column("上年星数", lambda r: r.last_stars, total=SUM),
            Column("上年总分", lambda r: r.last_points),
            Column("较上年", _change, total=TALLY),
            Column("状态", lambda r: r.state_label),
        ],
        numbered=False,
    )


def rankings_workbook(user: Any, unit: Unit, year: int, by_town: bool) -> bytes:
    """The rankings page as a sheet: the same rows (`queries.rankings`), in the same order."""
    rows = rankings(user, unit, year)
    return ranking_sheet(by_town).workbook(user, rows, heading("“五星”支部创建星级排名表", unit, year))
