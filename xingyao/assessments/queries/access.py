"""Access to assessments and the worklists: fetches, who may do what, review queues and waiting counts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet
from django.utils import timezone

from xingyao.assessments import workflow as wf
from xingyao.assessments.models import (
    Assessment,
    Evidence,
    IndicatorValue,
    Objection,
    ObjectionStatus,
    StarAward,
    StarReview,
)
from xingyao.assessments.workflow import StarStatus, State
from xingyao.core.filters import Params
from xingyao.core.roles import Action, Role
from xingyao.core.scoping import access, covers, held_roles, holds, in_subtree
from xingyao.places.codes import Kind
from xingyao.places.models import Unit
from xingyao.places.queries import access_unit
from xingyao.stars.models import CriteriaSet, Star

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
