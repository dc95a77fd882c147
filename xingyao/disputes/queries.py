"""The read side of disputes: scoped fetches, who may work a case and see its parties, figures per village."""

from __future__ import annotations

import datetime as dt
from contextlib import suppress
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q
from django.urls import reverse

from xingyao.core.roles import Action
from xingyao.core.scoping import access, covers
from xingyao.core.tasks import Task, register_task_source
from xingyao.disputes.figures import CaseFact, DisputeFigures, dispute_figures, mask_name, mask_phone
from xingyao.disputes.models import Dispute, DisputeTeamMember, Party, Status
from xingyao.places.queries import access_unit

DISPUTE_RELATED = ("village", "lead_department")


def with_people(queryset: Any) -> Any:
    """Parties and team in two more queries, whatever the number of rows."""
    return queryset.prefetch_related(
        Prefetch("parties", queryset=Party.objects.order_by("side", "id")),
        Prefetch("team_members", queryset=DisputeTeamMember.objects.select_related("department")),
    )


def access_dispute(user: Any, pk: Any, action: str = Action.VIEW) -> Dispute:
    """One case in the user's scope (his villages or his department's team), 404 otherwise; 403 without `action`."""
    return access(with_people(Dispute.objects.select_related(*DISPUTE_RELATED)), user, pk, action)


def can_work(user: Any, dispute: Dispute) -> bool:
    """Whether the user works this case: the town or county in charge, or a department on its joint team.

    The same people see the parties' names and phone numbers unmasked; everyone else (village clerks, grid
    workers, reviewers, leaders) sees them masked. Uses the prefetched team: no query per case.
    """
    if covers(user, Action.MANAGE, dispute.village.prefix):
        return True
    return any(covers(user, Action.HANDLE, m.department.prefix) for m in dispute.team_members.all())


may_see_parties = can_work


def access_dispute_for_work(user: Any, pk: Any) -> Dispute:
    """A case the user works on; 404 when he cannot see it, 403 when he only may look."""
    dispute = access_dispute(user, pk)
    if not can_work(user, dispute):
        raise PermissionDenied
    return dispute


def party_view(user: Any, dispute: Dispute) -> list[dict[str, str]]:
    """The parties as this user may see them."""
    show = may_see_parties(user, dispute)
    return [
        {
            "side": party.get_side_display(),
            "name": party.name if show else mask_name(party.name),
            "phone": party.phone if show else mask_phone(party.phone),
        }
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


def filtered(user: Any, params: Any) -> Any:
    """The list behind the page, the API and the ledger."""
    qs = with_people(Dispute.objects.restrict(user).select_related(*DISPUTE_RELATED))
    status = params.get("status") or ""
    if status in Status.values:
        qs = qs.filter(status=status)
    for field in ("risk", "type", "outcome"):
        value = params.get(field) or ""
        if value:
            qs = qs.filter(**{field: value})
    village = params.get("village") or ""
    if str(village).isdigit():
        qs = qs.filter(village_id=village)
    year = params.get("year") or ""
    if str(year).isdigit():
        since, until = year_range(int(year))
        qs = qs.filter(received_on__gte=since, received_on__lte=until)
    unit = str(params.get("unit") or "")
    if unit:  # a town's or county's cases (a metric's drill-down); 404 outside the user's scope
        qs = qs.within(access_unit(user, unit))
    for bound, lookup in (("since", "received_on__gte"), ("until", "received_on__lte")):
        with suppress(ValueError):  # absent or not a date: no bound
            qs = qs.filter(**{lookup: dt.date.fromisoformat(str(params.get(bound) or ""))})
    text = (params.get("q") or "").strip()[:50]
    if text:
        qs = qs.filter(Q(summary__contains=text) | Q(number__contains=text))
    return qs.order_by("-received_on", "-id")


@register_task_source
def dispute_tasks(user: Any) -> list[Task]:
    waiting = Dispute.objects.restrict(user, Action.MANAGE).filter(status=Status.REGISTERED).count()
    tasks = [Task("矛盾纠纷待分流", waiting, reverse("disputes:list") + "?status=registered")]
    handling = Dispute.objects.restrict(user, Action.HANDLE).exclude(status=Status.CLOSED).count()
    tasks.append(Task("矛盾纠纷调处中", handling, reverse("disputes:list") + "?status=mediating"))
    return tasks
