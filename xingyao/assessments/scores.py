"""From stored values to scores: the effective value of each indicator, and scoring many assessments at once.

The effective value is the latest reviewer's (county, then town), else the village's; an evidence-only indicator
counts its uploaded files unless a reviewer set the count.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connections
from django.db.models import Count, QuerySet
from django.utils import timezone

from xingyao.assessments import setscore
from xingyao.assessments.models import Assessment, Evidence, IndicatorValue
from xingyao.stars import scoring
from xingyao.stars.models import CriteriaSet

COLUMNS = ("self_value", "town_value", "county_value")
REASON = "scores are computed for assessments the caller has scoped"
Progress = Callable[[int, int], None]


def to_json(value: scoring.Value | None) -> Any:
    """A typed value as stored in a JSON column (decimals as text, so nothing is lost)."""
    if isinstance(value, Decimal):
        return scoring.fmt(value)
    return value


def display(spec: scoring.IndicatorSpec, raw: Any) -> str:
    """A stored value as the pages show it."""
    if raw is None or raw == "":
        return "—"
    try:
        value = scoring.validate_value(spec, raw)
    except ValueError:
        return str(raw)
    if value is None:
        return "—"
    match spec.kind:
        case scoring.Kind.BOOL:
            return "是" if value else "否"
        case scoring.Kind.CHOICE:
            return next((c.label for c in spec.choices if c.value == value), str(value))
        case scoring.Kind.EVIDENCE:
            return f"{value} 份"
    text = scoring.fmt(value) if isinstance(value, Decimal) else str(value)
    return f"{text} {spec.unit}".strip()


def effective(spec: scoring.IndicatorSpec, row: Mapping[str, Any] | None, evidence: int) -> Any:
    """The value that counts: the county's, else the town's, else the village's (files for evidence-only)."""
    row = row or {}
    for column in ("county_value", "town_value"):
        if row.get(column) is not None:
            return row[column]
    if spec.kind is scoring.Kind.EVIDENCE:
        return evidence
    return row.get("self_value")


def safe_values(spec: scoring.CriteriaSpec, raw: Mapping[str, Any]) -> dict[str, scoring.Value | None]:
    """Typed values for scoring; a stored value the set no longer accepts counts as missing."""
    typed: dict[str, scoring.Value | None] = {}
    for indicator in spec.indicators:
        try:
            typed[indicator.code] = scoring.validate_value(indicator, raw.get(indicator.code))
        except ValueError:
            typed[indicator.code] = None
    return typed


@dataclass
class Summary:
    """What a recompute found: villages per star count and passes per star."""

    year: int
    villages: int = 0
    by_count: Counter[int] = field(default_factory=Counter)
    passes: Counter[str] = field(default_factory=Counter)
    star_names: dict[str, str] = field(default_factory=dict)

    def lines(self) -> list[str]:
        out = [f"{self.year} 年度：重新计分 {self.villages} 个村"]
        if self.villages:
            counts = "，".join(f"{n} 星 {self.by_count[n]} 个" for n in sorted(self.by_count, reverse=True))
            out.append(f"按星数：{counts}")
            stars = "，".join(f"{name} {self.passes[code]} 个" for code, name in self.star_names.items())
            out.append(f"各星达标：{stars}")
        return out


def values_by_assessment(assessment_ids: list[int]) -> dict[int, dict[str, dict[str, Any]]]:
    """Stored values keyed by assessment and indicator code: one query."""
    rows = (
        IndicatorValue.objects.unscoped(REASON)
        .filter(assessment_id__in=assessment_ids)
        .values("assessment_id", "indicator__code", *COLUMNS)
    )
    found: dict[int, dict[str, dict[str, Any]]] = defaultdict(dict)
    for row in rows:
        found[row["assessment_id"]][row["indicator__code"]] = row
    return found


def evidence_counts(assessment_ids: list[int]) -> dict[int, Counter[str]]:
    """Files per assessment and indicator code: one query."""
    rows = (
        Evidence.objects.unscoped(REASON)
        .filter(assessment_id__in=assessment_ids)
        .values("assessment_id", "indicator__code")
        .annotate(n=Count("id"))
    )
    found: dict[int, Counter[str]] = defaultdict(Counter)
    for row in rows:
        found[row["assessment_id"]][row["indicator__code"]] = row["n"]
    return found


def raw_effective(
    spec: scoring.CriteriaSpec, rows: Mapping[str, Mapping[str, Any]], files: Mapping[str, int]
) -> dict[str, Any]:
    return {i.code: effective(i, rows.get(i.code), files.get(i.code, 0)) for i in spec.indicators}


def apply_score(assessment: Assessment, result: scoring.VillageScore) -> None:
    """Copy a score onto the assessment's cached fields (the caller saves)."""
    assessment.star_count = result.star_count
    assessment.points = sum((s.points for s in result.stars), Decimal(0))
    assessment.passed_stars = list(result.passed_codes)
    assessment.scored_at = timezone.now()


SCORE_FIELDS = ["star_count", "points", "passed_stars", "scored_at"]


def rescore(assessments: Iterable[Assessment], year: int, *, progress: Progress | None = None) -> Summary:
    """Score every assessment and save the cached scores; a queryset on PostgreSQL is scored set-based.

    A queryset on PostgreSQL goes to `setscore`: one statement reads every value of the scope, scores it and
    writes the results (bench/province_scoring.py times it on a province); the few assessments holding a value
    it cannot read exactly as the reference does are then scored by `rescore_each`.
    A list of instances (one village's action) and other databases use `rescore_each`, which also updates the
    instances passed. `progress(done, total)`, when given, hears how far the run is.
    """
    if isinstance(assessments, QuerySet) and connections[assessments.db].vendor == "postgresql":
        found, leftover = setscore.score_in_database(assessments, progress)
        summary = Summary(year=year)
        setscore.summarise(found, summary)
        if leftover:
            rest = rescore_each(assessments.model.objects.unscoped(REASON).filter(pk__in=leftover), year)
            _merge(summary, rest)
        if progress:
            progress(summary.villages, summary.villages)
        return summary
    return rescore_each(assessments, year, progress=progress)


def _merge(summary: Summary, other: Summary) -> None:
    summary.villages += other.villages
    summary.by_count.update(other.by_count)
    summary.passes.update(other.passes)
    for code, name in other.star_names.items():
        summary.star_names.setdefault(code, name)


def rescore_each(assessments: Iterable[Assessment], year: int, *, progress: Progress | None = None) -> Summary:
    """The reference path: the pure `scoring.score` for each assessment, in a fixed number of queries."""
    items = list(assessments)
    summary = Summary(year=year)
    if progress:
        progress(0, len(items))
    if not items:
        return summary
    ids = [a.pk for a in items]
    specs: dict[int, scoring.CriteriaSpec] = {}
    for criteria_set in CriteriaSet.objects.unscoped(REASON).filter(pk__in={a.criteria_set_id for a in items}):
        specs[criteria_set.pk] = criteria_set.to_spec()
    values = values_by_assessment(ids)
    files = evidence_counts(ids)
    for a in items:
        spec = specs[a.criteria_set_id]
        result = scoring.score(spec, safe_values(spec, raw_effective(spec, values[a.pk], files[a.pk])))
        apply_score(a, result)
        summary.villages += 1
        summary.by_count[result.star_count] += 1
        for star in sorted(spec.stars, key=lambda s: s.order):
            summary.star_names.setdefault(star.code, star.name)
            summary.passes[star.code] += result.star(star.code).passed
    Assessment.objects.bulk_update(items, SCORE_FIELDS, batch_size=1000)
    if progress:
        progress(len(items), len(items))
    return summary
