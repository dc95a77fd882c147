"""The read side of disputes: scoped fetches, who may work a case and see its parties, figures per village."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q

from xingyao.core.filters import Params
from xingyao.core.privacy import ContactRule, name_for, phone_for, sees_contacts
from xingyao.core.roles import Action, Role
from xingyao.core.scoping import access, covers, held_roles
from xingyao.disputes.figures import CaseFact, DisputeFigures, dispute_figures
from xingyao.disputes.models import OUTCOME_CHOICES, Dispute, DisputeTeamMember, DisputeType, Party, Risk, Status
from xingyao.disputes.workflow import WORKFLOW, CaseFacts, Move
from xingyao.places.lists import in_place

DISPUTE_RELATED = ("village", "lead_department")
# When a user holds several roles over one case, the one in charge speaks first.
WORK_ORDER = [Role.TOWN_ADMIN, Role.COUNTY_ADMIN, Role.DEPT_HANDLER]


def with_people(queryset: Any) -> Any:
    """Parties and team in two more queries, whatever the number of rows."""
    return queryset.prefetch_related(
        Prefetch("parties", queryset=Party.objects.order_by("side", "id")),
        Prefetch("team_members", queryset=DisputeTeamMember.objects.select_related("department")),
    )


def access_dispute(user: Any, pk: Any, action: str = Action.VIEW) -> Dispute:
    """One case in the user's scope (his villages or his department's team), 404 otherwise; 403 without `action`."""
    return access(with_people(Dispute.objects.select_related(*DISPUTE_RELATED)), user, pk, action)


# Those who work a case: the town or county in charge, and the departments on its joint team. They see the
# parties' names and phone numbers; village clerks, grid workers, reviewers and leaders see them masked.
CASE_WORKERS = ContactRule(frozenset({Action.MANAGE}), departments=True)


def can_work(user: Any, dispute: Dispute) -> bool:
    """Whether the user works this case (and so sees its parties). Uses the prefetched team: no query per case."""
    departments = [m.department.prefix for m in dispute.team_members.all()]
    return sees_contacts(user, CASE_WORKERS, dispute.village.prefix, departments)


def case_roles(user: Any, dispute: Dispute) -> tuple[list[Role], CaseFacts]:
    """The workflow roles `user` holds over the case (in charge first) and whether his department is on its team."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return [], CaseFacts()
    on_team = any(covers(user, Action.HANDLE, m.department.prefix) for m in dispute.team_members.all())
    if user.is_superuser:
        return [Role.COUNTY_ADMIN], CaseFacts(on_team)
    roles: list[Role] = []
    for role, prefix in held_roles(user):
        found = Role.lookup(role)
        # A department works through the team (the guard), every other role through the village's subtree.
        if found and found not in roles and (found is Role.DEPT_HANDLER or dispute.village.prefix.startswith(prefix)):
            roles.append(found)
    roles.sort(key=lambda r: WORK_ORDER.index(r) if r in WORK_ORDER else len(WORK_ORDER))
    return roles, CaseFacts(on_team)


def offered_moves(user: Any, dispute: Dispute) -> list[Move]:
    """The steps `user` may take on the case now, in workflow order: what the detail page offers as forms.

    The one answer is `WORKFLOW.available_actions` for each role the user holds over the case (the joint-team
    guard included), the same table `do_*` check; nothing is decided here by hand.
    """
    roles, facts = case_roles(user, dispute)
    status = Status(dispute.status)
    offered = {move for role in roles for move in WORKFLOW.available_actions(status, role, facts)}
    return [move for move in Move if move in offered]


def access_dispute_for_work(user: Any, pk: Any) -> Dispute:
    """A case the user works on; 404 when he cannot see it, 403 when he only may look."""
    dispute = access_dispute(user, pk)
    if not can_work(user, dispute):
        raise PermissionDenied
    return dispute


def party_view(user: Any, dispute: Dispute) -> list[dict[str, str]]:
    """The parties as this user may see them."""
    show = can_work(user, dispute)
    return [
        {"side": party.get_side_display(), "name": name_for(show, party.name), "phone": phone_for(show, party.phone)}
        for party in dispute.parties.all()
    ]


def year_range(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def facts(queryset: Any) -> list[tuple[int, CaseFact]]:
    """(village id, CaseFact) for every case of the queryset, in one query."""
    rows = queryset.values_list("village_id", "type", "outcome", "status", "received_on", "closed_on", "mediated")
    return [
        (village_id, CaseFact(kind, outcome or None, status, received, closed, mediated))
        for village_id, kind, outcome, status, received, closed, mediated in rows
    ]


def figures_by_village(queryset: Any) -> tuple[DisputeFigures, dict[int, DisputeFigures]]:
    """Overall figures and the same per village, from one query."""
    found = facts(queryset)
    per_village: dict[int, list[CaseFact]] = {}
    for village_id, fact in found:
        per_village.setdefault(village_id, []).append(fact)
    return dispute_figures(f for _, f in found), {vid: dispute_figures(fs) for vid, fs in per_village.items()}


def disputes_in(user: Any, *, unit: Any = None, since: dt.date | None = None, until: dt.date | None = None) -> Any:
    qs = Dispute.objects.restrict(user)
    if unit is not None:
        qs = qs.within(unit)
    if since:
        qs = qs.filter(received_on__gte=since)
    if until:
        qs = qs.filter(received_on__lte=until)
    return qs


FILTERS = {
    "status": "状态",
    "risk": "风险等级：red / orange / yellow",
    "type": "纠纷类型",
    "outcome": "调处结果",
    "village": "村",
    "unit": "村、乡镇或县的单位代码（其下全部案件）",
    "year": "受理年度",
    "since": "受理日期起（年-月-日）",
    "until": "受理日期止（年-月-日）",
    "q": "搜索案件编号、纠纷概要",
}
# The API names units by code (`unit`); the page's village select sends an id.
API_FILTERS = {k: v for k, v in FILTERS.items() if k != "village"}


def case_list(user: Any, params: Any) -> Any:
    """The case list behind the page, the API and the ledger: scoped, filtered by the request's parameters."""
    p = Params(params)
    status = p.choice("status", "状态", Status.values())
    risk = p.choice("risk", "风险等级", Risk.values)
    kind = p.choice("type", "纠纷类型", DisputeType.values)
    outcome = p.choice("outcome", "调处结果", [value for value, _ in OUTCOME_CHOICES])
    year, text = p.year(), p.text("q")
    since, until = p.date("since", "受理日期起"), p.date("until", "受理日期止")
    # by village or by a town's or county's code (a metric's drill-down); 404 outside the user's scope
    qs = in_place(with_people(Dispute.objects.restrict(user).select_related(*DISPUTE_RELATED)), user, p)
    for field, value in (("status", status), ("risk", risk), ("type", kind), ("outcome", outcome)):
        if value:
            qs = qs.filter(**{field: value})
    if year:
        since, until = year_range(year)
        qs = qs.filter(received_on__gte=since, received_on__lte=until)
    if since:
        qs = qs.filter(received_on__gte=since)
    if until:
        qs = qs.filter(received_on__lte=until)
    if text:
        qs = qs.filter(Q(summary__contains=text) | Q(number__contains=text))
    return qs.order_by("-received_on", "-id")
