"""The assessment page's view-model: rows, star blocks, step snapshots and reused photos."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from xingyao.assessments import scores
from xingyao.assessments import workflow as wf
from xingyao.assessments.models import (
    Assessment,
    Evidence,
    IndicatorValue,
    StarReview,
    StepLog,
)
from xingyao.assessments.queries.access import reviewers, settings_of
from xingyao.assessments.workflow import State
from xingyao.core import metrics
from xingyao.core.roles import Action
from xingyao.core.scoping import covers
from xingyao.places.models import Unit
from xingyao.stars import scoring
from xingyao.stars.models import Indicator


@dataclass
class StarReviewRow:
    """One star on the assessment page's department-review card."""

    code: str
    name: str
    department: Unit | None
    approval: StarReview | None
    mine: bool  # the user handles this star's department
    pending: bool  # waiting for the department now

    @property
    def status(self) -> str:
        if self.department is None:
            return "无需部门审核"
        if self.approval is not None:
            return "已通过"
        return "待审核" if self.pending else "未开始"


def star_review_rows(user: Any, assessment: Assessment) -> list[StarReviewRow]:
    """Every star with its department and this round's approval; empty when the step does not apply."""
    if not settings_of(assessment).dept_review:
        return []
    stars = list(assessment.criteria_set.stars.select_related("review_department").order_by("order", "id"))
    waiting = assessment.state_enum is State.TOWN_REVIEWED
    # This round began when the town last approved; a record sent back since has no approvals yet.
    since = (
        assessment.state_since
        if waiting
        else StepLog.objects.unscoped("re-read of an object fetched through access()")
        .filter(assessment=assessment, action=wf.Action.TOWN_APPROVE.value)
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )
    approvals = {}
    if since is not None and assessment.state_enum not in (State.DRAFT, State.SUBMITTED):
        approvals = {
            r.star_code: r
            for r in StarReview.objects.unscoped("re-read of an object fetched through access()")
            .filter(assessment=assessment, decision=wf.Decision.APPROVE, at__gte=since)
            .select_related("actor", "department")
        }
    return [
        StarReviewRow(
            code=s.code,
            name=s.name,
            department=s.review_department,
            approval=approvals.get(s.code),
            mine=s.review_department is not None and covers(user, Action.HANDLE, s.review_department.prefix),
            pending=waiting and s.review_department is not None and s.code not in approvals,
        )
        for s in stars
    ]


@dataclass
class Row:
    """One indicator on the assessment page."""

    indicator: Indicator
    spec: scoring.IndicatorSpec
    value: IndicatorValue | None
    evidence: list[Evidence]
    effective: Any
    met: bool
    points: Decimal
    changed: bool = False
    derived_url: str = ""
    source_missing: bool = False

    def shown(self, column: str) -> str:
        if self.value is None:
            return "—"
        return scores.display(self.spec, getattr(self.value, column))

    @property
    def self_shown(self) -> str:
        if self.spec.kind is scoring.Kind.EVIDENCE and (self.value is None or self.value.self_value is None):
            return scores.display(self.spec, len(self.evidence))
        return self.shown("self_value")

    @property
    def town_shown(self) -> str:
        return self.shown("town_value")

    @property
    def county_shown(self) -> str:
        return self.shown("county_value")

    @property
    def derived_shown(self) -> str:
        return self.shown("derived_value") if self.value and self.value.derived_value is not None else ""

    @property
    def effective_shown(self) -> str:
        return scores.display(self.spec, self.effective)

    @property
    def differs_from_records(self) -> bool:
        v = self.value
        return bool(v and v.derived_value is not None and v.self_value is not None and v.self_value != v.derived_value)

    @property
    def source_note(self) -> str:
        return metrics.NOT_CONNECTED if self.source_missing else ""

    @property
    def evidence_short(self) -> int:
        """How many files the village still owes for a value it claims."""
        return max(0, self.spec.evidence_count - len(self.evidence)) if self.met else 0


@dataclass
class StarBlock:
    code: str
    name: str
    points: Decimal
    max_points: Decimal
    passed: bool
    reasons: tuple[scoring.Reason, ...]
    rows: list[Row] = field(default_factory=list)

    @property
    def points_shown(self) -> str:
        return scoring.fmt(self.points)

    @property
    def max_shown(self) -> str:
        return scoring.fmt(self.max_points)


@dataclass
class Detail:
    assessment: Assessment
    spec: scoring.CriteriaSpec
    result: scoring.VillageScore
    stars: list[StarBlock]
    rows: list[Row]
    steps: list[StepLog]
    last_review: StepLog | None
    reused: dict[int, list[str]]

    @property
    def changed_count(self) -> int:
        return sum(r.changed for r in self.rows)

    def row_of(self, indicator_id: int) -> Row:
        """One indicator's row (the page swaps it alone after an upload)."""
        return next(r for r in self.rows if r.indicator.pk == indicator_id)


def snapshot(rows: Iterable[tuple[str, IndicatorValue | None, int]]) -> dict[str, list[Any]]:
    """Values per indicator code, as a step stores them."""
    out: dict[str, list[Any]] = {}
    for code, v, files in rows:
        out[code] = [
            v.self_value if v else None,
            v.town_value if v else None,
            v.county_value if v else None,
            files,
        ]
    return out


def reused_photos(user: Any, items: list[Evidence]) -> dict[int, list[str]]:
    """Evidence files whose content was also uploaded for another village or year, with where (if in scope)."""
    if not items:
        return {}
    hashes = {e.sha256 for e in items}
    assessment_id = items[0].assessment_id
    others: dict[str, list[str]] = defaultdict(list)
    rows = (
        Evidence.objects.unscoped("reuse is flagged across villages; a place outside scope shows as 辖区外")
        .filter(sha256__in=hashes)
        .exclude(assessment_id=assessment_id)
        .values_list("sha256", "assessment__village__name", "assessment__village__prefix", "assessment__year")
    )
    for digest, name, prefix, year in rows:
        where = f"{name} {year}年" if covers(user, Action.VIEW, prefix) else "辖区外"
        if where not in others[digest]:
            others[digest].append(where)
    return {e.pk: others[e.sha256] for e in items if e.sha256 in others}


def shown_stars(user: Any, assessment: Assessment) -> set[str] | None:
    """The stars whose values and files the user may read: None for all of them (he sees the village), else only
    the stars his departments review (a department sees the record because of them, and nothing more)."""
    if covers(user, Action.VIEW, assessment.village.prefix):
        return None
    # A department's prefix is its whole code.
    return {
        code
        for code, department in reviewers(assessment.criteria_set).items()
        if department and covers(user, Action.VIEW, department)
    }


def visible_evidence(user: Any, assessment: Assessment) -> QuerySet[Evidence]:
    """The assessment's evidence files the user may see (a department: those of its stars)."""
    return Evidence.objects.restrict(user).filter(assessment=assessment).order_by("id")


def visible_steps(user: Any, assessment: Assessment, codes: set[str] | None) -> list[StepLog]:
    """The record's steps; with `codes` (a department's indicators) their snapshots keep only those entries (in
    memory: the steps are read, never saved)."""
    steps = list(
        StepLog.objects.restrict(user).filter(assessment=assessment).select_related("actor").order_by("at", "id")
    )
    if codes is not None:
        for step in steps:
            step.data = {c: v for c, v in step.data.items() if c in codes}
    return steps


def detail(user: Any, assessment: Assessment) -> Detail:
    """Everything the assessment page shows, in a fixed number of queries; a department only its stars."""
    spec = assessment.criteria_set.to_spec()
    shown = shown_stars(user, assessment)
    indicators = [
        i
        for i in Indicator.objects.filter(criteria_set_id=assessment.criteria_set_id).select_related("star", "section")
        if shown is None or i.star.code in shown
    ]
    values = {v.indicator_id: v for v in IndicatorValue.objects.restrict(user).filter(assessment=assessment)}
    files: dict[int, list[Evidence]] = defaultdict(list)
    evidence = list(visible_evidence(user, assessment))
    for e in evidence:
        files[e.indicator_id].append(e)
    specs = {i.code: i for i in spec.indicators}
    raw = {i.code: scores.effective(specs[i.code], _as_row(values.get(i.pk)), len(files[i.pk])) for i in indicators}
    result = scoring.score(spec, scores.safe_values(spec, raw))
    steps = visible_steps(user, assessment, None if shown is None else {i.code for i in indicators})
    last_review = next(
        (s for s in reversed(steps) if s.actor_id == getattr(user, "pk", None) and s.action != "create"), None
    )
    before = last_review.data if last_review else {}
    rows: list[Row] = []
    for i in indicators:
        v = values.get(i.pk)
        r = result.indicator(i.code)
        now = snapshot([(i.code, v, len(files[i.pk]))])[i.code]
        metric = metrics.get(i.data_source)
        url = (metric.url_for(assessment.village, assessment.year) or "") if metric else ""
        rows.append(
            Row(
                indicator=i,
                spec=specs[i.code],
                value=v,
                evidence=files[i.pk],
                effective=raw[i.code],
                met=r.met,
                points=r.points,
                changed=bool(last_review) and before.get(i.code) != now,
                derived_url=url,
                source_missing=bool(i.data_source) and not metrics.is_connected(i.data_source),
            )
        )
    stars = [
        StarBlock(
            code=s.star_code,
            name=spec.star(s.star_code).name,
            points=s.points,
            max_points=s.max_points,
            passed=s.passed,
            reasons=s.reasons,
            rows=[row for row in rows if row.spec.star_code == s.star_code],
        )
        for s in result.stars
        if shown is None or s.star_code in shown
    ]
    reused = reused_photos(user, evidence)
    for e in evidence:
        e.reused_where = reused.get(e.pk, [])  # type: ignore[attr-defined]
    return Detail(
        assessment=assessment,
        spec=spec,
        result=result,
        stars=stars,
        rows=rows,
        steps=steps,
        last_review=last_review,
        reused=reused,
    )


def _as_row(v: IndicatorValue | None) -> dict[str, Any] | None:
    if v is None:
        return None
    return {c: getattr(v, c) for c in scores.COLUMNS}
