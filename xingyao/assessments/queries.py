"""The read side of assessments: scoped fetches, who may act, the detail view's rows, queues, rankings."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet
from django.utils import timezone

from xingyao.assessments import scores
from xingyao.assessments import workflow as wf
from xingyao.assessments.models import (
    Assessment,
    Evidence,
    IndicatorValue,
    Objection,
    ObjectionStatus,
    StarAward,
    StarChange,
    StarReview,
    StepLog,
)
from xingyao.assessments.workflow import StarStatus, State
from xingyao.core import metrics
from xingyao.core.filters import Params
from xingyao.core.roles import Action, Role
from xingyao.core.scoping import access, ancestor_prefixes, covers, held_roles, holds, in_subtree
from xingyao.places.codes import Kind
from xingyao.places.models import Unit
from xingyao.places.queries import access_unit
from xingyao.stars import scoring
from xingyao.stars.models import CriteriaSet, Indicator, Star, Status

# The core action each workflow step needs on the village, checked with the one scoping mechanism.
SCOPE_ACTION: dict[wf.Action, str] = {
    wf.Action.SUBMIT: Action.CHANGE,
    wf.Action.TOWN_APPROVE: Action.REVIEW,
    wf.Action.DEPT_APPROVE: Action.REVIEW,
    wf.Action.SEND_BACK: Action.REVIEW,
    wf.Action.COUNTY_APPROVE: Action.APPROVE,
    wf.Action.PUBLISH: Action.APPROVE,
    wf.Action.OBJECTION_OPENED: Action.APPROVE,
    wf.Action.OBJECTION_RESOLVED: Action.APPROVE,
    wf.Action.AWARD: Action.APPROVE,
}
# The core action filling each value column needs on the village.
COLUMN_ACTION = {"self_value": Action.CHANGE, "town_value": Action.REVIEW, "county_value": Action.APPROVE}
# States whose result the county has signed: what rankings, the village page and the public page show.
RESULT_STATES = (State.COUNTY_APPROVED, State.PUBLICIZED, State.AWARDED)
PUBLIC_STATES = (State.PUBLICIZED, State.AWARDED)
WAITING_STATES = (State.DRAFT, State.SUBMITTED, State.TOWN_REVIEWED, State.DEPT_REVIEWED, State.COUNTY_APPROVED)


def current_stars(village_ids: Iterable[int], year: int) -> dict[int, set[str]]:
    """The star codes each village holds in `year` (awarded and not removed), in one query."""
    ids = list(village_ids)
    held: dict[int, set[str]] = {i: set() for i in ids}
    rows = (
        StarAward.objects.unscoped("awarded stars are public (公示); callers pass villages they have scoped")
        .filter(village_id__in=ids, year=year)
        .exclude(status=StarStatus.REMOVED)
        .values_list("village_id", "star_code")
    )
    for village_id, code in rows:
        held[village_id].add(code)
    return held


def access_assessment(user: Any, pk: Any, action: str = Action.VIEW) -> Assessment:
    """An assessment in the user's scope (404 otherwise); 403 when he may not do `action` on its village."""
    return access(Assessment.objects.select_related("village__parent", "criteria_set"), user, pk, action)


def assessment_list(user: Any, params: Any) -> QuerySet[Assessment]:
    """The assessment list behind the overview page and the API: scoped, by year, unit (subtree) and state."""
    p = Params(params)
    year, state, code = p.year(), p.choice("state", "状态", State.__members__.values()), p.raw("unit")
    qs = Assessment.objects.restrict(user).select_related("village__parent")
    if code:
        qs = qs.within(access_unit(user, code))
    if year:
        qs = qs.filter(year=year)
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("-year", "village__code", "id")


def access_evidence(user: Any, pk: Any, action: str = Action.VIEW) -> Evidence:
    """An evidence file of an assessment in the user's scope (404 otherwise)."""
    return access(Evidence.objects.select_related("assessment__village", "indicator"), user, pk, action)


def access_objection(user: Any, pk: Any, action: str = Action.VIEW) -> Objection:
    """An objection on an assessment in the user's scope (404 otherwise)."""
    return access(Objection.objects.select_related("assessment__village", "assessment__criteria_set"), user, pk, action)


def access_award(user: Any, pk: Any, action: str = Action.VIEW) -> StarAward:
    """An awarded star in the user's scope (404 otherwise)."""
    return access(StarAward.objects.select_related("village"), user, pk, action)


def workflow_roles(user: Any, unit: Unit) -> frozenset[str]:
    """The roles `user` holds on `unit` or its ancestors (cached per request on the user)."""
    return frozenset(role for role, prefix in _held(user) if unit.prefix.startswith(prefix))


def settings_of(assessment: Assessment) -> wf.WorkflowSettings:
    """The county's settings for this record; the department step counts only when a star names a department."""
    cs = assessment.criteria_set
    applies = getattr(assessment, "dept_step", None)
    if applies is None:
        applies = cs.dept_review and wf.dept_step_applies(True, reviewers(cs))
        assessment.dept_step = applies  # type: ignore[attr-defined]
    return wf.WorkflowSettings(dept_review=bool(cs.dept_review and applies))


def reviewers(criteria_set: CriteriaSet) -> dict[str, str | None]:
    """Star code → reviewing department's code, in star order (cached on the set object)."""
    found: dict[str, str | None] | None = getattr(criteria_set, "_reviewers", None)
    if found is None:
        found = dict(
            Star.objects.filter(criteria_set=criteria_set)
            .order_by("order", "id")
            .values_list("code", "review_department__code")
        )
        criteria_set._reviewers = found  # type: ignore[attr-defined]
    return found


def approved_stars(assessment: Assessment) -> set[str]:
    """Stars approved by their department in the current round (since the record last reached town_reviewed)."""
    return set(
        StarReview.objects.unscoped("re-read of an object fetched through access()")
        .filter(assessment=assessment, decision=wf.Decision.APPROVE, at__gte=assessment.state_since)
        .values_list("star_code", flat=True)
    )


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


def dept_queue(user: Any) -> QuerySet[Assessment]:
    """Assessments waiting for a star review by one of the user's departments, soonest deadline first."""
    if not holds(user, Action.HANDLE):
        return Assessment.objects.none()
    departments = Unit.objects.restrict(user, Action.HANDLE).filter(kind=Kind.DEPARTMENT)
    approved = StarReview.objects.filter(
        assessment=OuterRef(OuterRef("pk")),
        star_code=OuterRef("code"),
        decision=wf.Decision.APPROVE,
        at__gte=OuterRef(OuterRef("state_since")),
    )
    mine_pending = Star.objects.filter(
        criteria_set=OuterRef("criteria_set"), review_department__in=departments.values("pk")
    ).exclude(Exists(approved))
    return (
        Assessment.objects.restrict(user, Action.HANDLE)
        .filter(state=State.TOWN_REVIEWED, criteria_set__dept_review=True)
        .filter(Exists(mine_pending))
    )


def role_for(user: Any, assessment: Assessment, action: wf.Action) -> str:
    """The user's role that may take `action` now, else any role he holds here (the workflow then refuses)."""
    roles = sorted(workflow_roles(user, assessment.village))
    state, settings = assessment.state_enum, settings_of(assessment)
    allowed = [r for r in roles if action in wf.available_actions(state, r, settings)]
    return allowed[0] if allowed else (roles[0] if roles else "")


def actions_for(user: Any, assessment: Assessment) -> list[wf.Action]:
    """The workflow actions the user may take on this assessment now (roles and scope both)."""
    state, settings = assessment.state_enum, settings_of(assessment)
    found: list[wf.Action] = []
    for role in workflow_roles(user, assessment.village):
        for action in wf.available_actions(state, role, settings):
            if action in found or action in (wf.Action.OBJECTION_OPENED, wf.Action.OBJECTION_RESOLVED):
                continue
            if covers(user, SCOPE_ACTION[action], assessment.village.prefix):
                found.append(action)
    order = list(wf.Action)
    return sorted(found, key=order.index)


def editable_column(user: Any, assessment: Assessment) -> str | None:
    """Which value column the user may fill now (the workflow's rule), with the scope to do so."""
    column = wf.value_column(assessment.state_enum, workflow_roles(user, assessment.village))
    if column is None or not covers(user, COLUMN_ACTION[column], assessment.village.prefix):
        return None
    return column


def is_locked(assessment: Assessment) -> bool:
    """Approved by the county: no value, note or file changes any more (only a send-back reopens it)."""
    return wf.is_locked(assessment.state_enum)


# --- the detail page ------------------------------------------------------------------------------


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


# --- worklists --------------------------------------------------------------------------------------


def _remarks() -> Q:
    """A reviewer remark, a village correction of the records, or a photo also used elsewhere."""
    noted = IndicatorValue.objects.filter(assessment=OuterRef("pk")).filter(
        ~Q(correction_note="") | ~Q(town_note="") | ~Q(county_note="")
    )
    reused = Evidence.objects.filter(assessment=OuterRef("pk")).filter(
        Exists(Evidence.objects.filter(sha256=OuterRef("sha256")).exclude(assessment=OuterRef("assessment")))
    )
    return Q(Exists(noted)) | Q(Exists(reused))


def queue_base(user: Any) -> QuerySet[Assessment]:
    """Assessments waiting for this reviewer's decision (no ordering or annotations: cheap to count)."""
    town = [p for r, p in _held(user) if r in wf.TOWN_ROLES]
    county = [p for r, p in _held(user) if r in wf.COUNTY_ROLES]
    condition = Q(pk__in=[])
    for prefix in town:
        condition |= Q(state=State.SUBMITTED) & in_subtree("village", prefix)
    # A record in the department step waits for the departments, not for the county.
    in_dept_step = Q(criteria_set__dept_review=True) & Q(Exists(_dept_stars()))
    for prefix in county:
        condition |= Q(state=State.TOWN_REVIEWED) & in_subtree("village", prefix) & ~in_dept_step
        condition |= Q(state__in=[State.DEPT_REVIEWED, State.COUNTY_APPROVED]) & in_subtree("village", prefix)
        condition |= Q(state=State.PUBLICIZED, objections__status=ObjectionStatus.OPEN) & in_subtree("village", prefix)
    return Assessment.objects.restrict(user, Action.REVIEW).filter(
        pk__in=Assessment.objects.filter(condition).values("pk")
    )


def queue_for(user: Any) -> QuerySet[Assessment]:
    """Assessments waiting for this reviewer's decision, soonest deadline first, with a remarks flag."""
    return (
        queue_base(user)
        .select_related("village__parent", "criteria_set")
        .annotate(
            dept_step=Exists(_dept_stars()),
            has_remarks=_remarks_exists(),
            open_objections=Count("objections", filter=Q(objections__status=ObjectionStatus.OPEN), distinct=True),
        )
        .order_by("due_date", "state_since", "village__code")
    )


def _dept_stars() -> QuerySet[Star]:
    """The stars of the outer assessment's set that name a reviewing department."""
    return Star.objects.filter(criteria_set=OuterRef("criteria_set"), review_department__isnull=False)


def _remarks_exists() -> Any:
    return Exists(Assessment.objects.filter(pk=OuterRef("pk")).filter(_remarks()))


def _held(user: Any) -> list[tuple[str, str]]:
    """(role, unit prefix) of every membership the user holds; a superuser holds every role everywhere."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return [(r, "") for r in Role.values()]
    return list(held_roles(user))


def village_todo(user: Any) -> QuerySet[Assessment]:
    """Drafts (new or sent back) the village user should fill and submit."""
    prefixes = [p for r, p in _held(user) if r == Role.VILLAGE_CLERK]
    condition = Q(pk__in=[])
    for prefix in prefixes:
        condition |= in_subtree("village", prefix)
    return Assessment.objects.restrict(user, Action.CHANGE).filter(condition, state=State.DRAFT)


@dataclass
class WaitingRow:
    town: str
    counts: dict[str, int]
    oldest: dict[str, int]
    total: int

    @property
    def cells(self) -> list[tuple[int, int | None]]:
        """(count, longest wait in days) per state, in the workflow's order."""
        return [(self.counts.get(s.value, 0), self.oldest.get(s.value)) for s in State]


def waiting_overview(user: Any, unit: Unit, year: int) -> list[WaitingRow]:
    """Per town: how many assessments wait in each state and the longest wait in days (one query)."""
    rows = (
        Assessment.objects.restrict(user)
        .within(unit)
        .filter(year=year)
        .values("village__parent__name", "village__parent__code", "state")
        .annotate(n=Count("id"), since=Min("state_since"))
        .order_by("village__parent__code")
    )
    now = timezone.now()
    towns: dict[str, WaitingRow] = {}
    for row in rows:
        town = towns.setdefault(row["village__parent__code"], WaitingRow(row["village__parent__name"], {}, {}, 0))
        town.counts[row["state"]] = row["n"]
        town.total += row["n"]
        if row["state"] in WAITING_STATES and row["since"]:
            town.oldest[row["state"]] = (now - row["since"]).days
    return list(towns.values())


# --- rankings ---------------------------------------------------------------------------------------


@dataclass
class RankRow:
    village_id: int
    village: str
    village_code: str
    town: str
    state: str
    stars: int
    points: Decimal
    assessment_id: int
    last_stars: int | None = None
    last_points: Decimal | None = None
    county_rank: int = 0
    town_rank: int = 0

    @property
    def state_label(self) -> str:
        return State(self.state).label

    @property
    def change(self) -> int | None:
        return None if self.last_stars is None else self.stars - self.last_stars

    @property
    def points_shown(self) -> str:
        return scoring.fmt(self.points)

    @property
    def drop(self) -> int:
        return -(self.change or 0)

    @property
    def stars_mark(self) -> str:
        return "★" * self.stars


def rankings(user: Any, unit: Unit, year: int) -> list[RankRow]:
    """Villages under `unit` by stars then points, ranked in the county and in their town, against last year.

    Two queries: the assessments of both years, and the stars still held after awards (dynamic management).
    """
    found = list(
        Assessment.objects.restrict(user)
        .within(unit)
        .filter(year__in=[year, year - 1], state__in=RESULT_STATES)
        .values(
            "id",
            "village_id",
            "village__name",
            "village__code",
            "village__parent__name",
            "year",
            "state",
            "star_count",
            "points",
        )
    )
    awarded = [(r["village_id"], r["year"]) for r in found if r["state"] == State.AWARDED]
    held: dict[tuple[int, int], int] = defaultdict(int)
    if awarded:
        for village_id, y in (
            StarAward.objects.unscoped("awarded stars of assessments read through restrict()")
            .filter(village_id__in={v for v, _ in awarded}, year__in=[year, year - 1])
            .exclude(status=StarStatus.REMOVED)
            .values_list("village_id", "year")
        ):
            held[(village_id, y)] += 1

    def stars_of(r: Any) -> int:
        return held[(r["village_id"], r["year"])] if r["state"] == State.AWARDED else r["star_count"]

    last = {r["village_id"]: r for r in found if r["year"] == year - 1}
    out = [
        RankRow(
            village_id=r["village_id"],
            village=r["village__name"],
            village_code=r["village__code"],
            town=r["village__parent__name"],
            state=r["state"],
            stars=stars_of(r),
            points=r["points"],
            assessment_id=r["id"],
            last_stars=stars_of(last[r["village_id"]]) if r["village_id"] in last else None,
            last_points=last[r["village_id"]]["points"] if r["village_id"] in last else None,
        )
        for r in found
        if r["year"] == year
    ]
    out.sort(key=lambda r: (-r.stars, -r.points, r.village_code))
    _rank(out, "county_rank")
    by_town: dict[str, list[RankRow]] = defaultdict(list)
    for row in out:
        by_town[row.town].append(row)
    for rows in by_town.values():
        _rank(rows, "town_rank")
    return out


def _rank(rows: list[RankRow], attr: str) -> None:
    """Competition ranking: equal stars and points share a place."""
    previous: tuple[int, Decimal] | None = None
    place = 0
    for n, row in enumerate(rows, start=1):
        key = (row.stars, row.points)
        if key != previous:
            place, previous = n, key
        setattr(row, attr, place)


# --- the public notice page -------------------------------------------------------------------------


@dataclass
class PublicRow:
    assessment_id: int
    village: str
    town: str
    state: str
    stars: list[tuple[str, str]]
    publicity_start: dt.date | None
    publicity_end: dt.date | None
    open_objections: int
    accepting: bool

    @property
    def state_label(self) -> str:
        return State(self.state).label


def public_listing(county: Unit, year: int, today: dt.date) -> tuple[list[PublicRow], list[StarChange]]:
    """The county's 公示 list for a year, and the published star-management notices; no personal data."""
    items = list(
        Assessment.objects.within(county)
        .filter(year=year, state__in=PUBLIC_STATES)
        .select_related("village__parent")
        .annotate(open_n=Count("objections", filter=Q(objections__status=ObjectionStatus.OPEN)))
        .order_by("village__code")
    )
    names = star_names({a.criteria_set_id for a in items})
    awards: dict[int | None, list[StarAward]] = defaultdict(list)
    for award in StarAward.objects.unscoped("the public notice").filter(assessment__in=items).order_by("order"):
        awards[award.assessment_id].append(award)
    rows = []
    for a in items:
        if a.state == State.AWARDED:
            stars = [(w.star_name, w.status_label) for w in awards[a.pk] if w.held]
        else:
            stars = [(names.get((a.criteria_set_id, c), c), "拟授") for c in a.passed_stars]
        end = a.publicity_end
        rows.append(
            PublicRow(
                assessment_id=a.pk,
                village=a.village.name,
                town=a.village.parent.name if a.village.parent else "",
                state=a.state,
                stars=stars,
                publicity_start=a.publicity_start,
                publicity_end=end,
                open_objections=a.open_n,
                accepting=accepts_objections(a, today),
            )
        )
    changes = list(
        StarChange.objects.within(county)
        .filter(award__year=year)
        .exclude(action="award")
        .select_related("award__village")
        .order_by("-at", "-id")
    )
    return rows, changes


def accepts_objections(assessment: Assessment, today: dt.date) -> bool:
    """Objections are taken while the notice runs, both ends included."""
    end = assessment.publicity_end
    return (
        assessment.state == State.PUBLICIZED
        and assessment.publicity_start is not None
        and end is not None
        and assessment.publicity_start <= today <= end
    )


def star_names(criteria_set_ids: Iterable[int]) -> dict[tuple[int, str], str]:
    """Star names keyed by (criteria set, star code): one query."""
    from xingyao.stars.models import Star

    return {
        (cs, code): name
        for cs, code, name in Star.objects.filter(criteria_set_id__in=set(criteria_set_ids)).values_list(
            "criteria_set_id", "code", "name"
        )
    }


def assessment_year(unit: Unit) -> int | None:
    """The latest year with a published criteria set over `unit` (the year to assess now)."""
    above = [*ancestor_prefixes(unit.prefix), unit.prefix]
    return (
        CriteriaSet.objects.unscoped("published criteria are the rules every village below works to")
        .filter(county__prefix__in=above, status=Status.PUBLISHED)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )
