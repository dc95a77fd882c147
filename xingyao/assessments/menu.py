"""Menu entries for the yearly assessment: the clerk's own record, the review queues, progress, rankings, 公示."""

from __future__ import annotations

from typing import Any

from django.db.models import Max
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from xingyao.assessments.models import Assessment
from xingyao.assessments.queries import RESULT_STATES, village_todo
from xingyao.core import menu as core_menu
from xingyao.core.menu import AREA_ROLES, Entry, has_role, role_prefixes
from xingyao.core.roles import Action, Role
from xingyao.core.scoping import holds
from xingyao.places.codes import Kind, infer_kind, parent_code
from xingyao.places.queries import own_unit

AREA_KINDS = (Kind.PROVINCE, Kind.CITY, Kind.COUNTY, Kind.TOWN)


def _latest_year(user: Any, states: tuple[str, ...] = ()) -> int:
    """The latest year with an assessment in the user's scope (in one of `states` if given), else this year."""
    found = Assessment.objects.restrict(user)
    if states:
        found = found.filter(state__in=states)
    return found.aggregate(latest=Max("year"))["latest"] or timezone.localdate().year


def _area(user: Any) -> Any:
    unit = own_unit(user, AREA_KINDS)
    if unit is None:
        raise Http404
    return unit


def _mine(user: Any) -> str:
    """The clerk's draft if one waits, else his latest record, else his village's page (where a year starts)."""
    record = village_todo(user).order_by("-year").first()
    if record is None:
        record = Assessment.objects.restrict(user, Action.CHANGE).order_by("-year").first()
    if record is not None:
        return record.get_absolute_url()
    village = own_unit(user, (Kind.VILLAGE,))
    if village is None:
        raise Http404
    return village.get_absolute_url()


def _progress(user: Any) -> str:
    return reverse("assessments:overview", args=[_area(user).code, _latest_year(user)])


def _rankings(user: Any) -> str:
    return reverse("assessments:rankings", args=[_area(user).code, _latest_year(user, RESULT_STATES)])


def _publicity(user: Any) -> str:
    """The public board (公示栏) of the user's town, or of his county: the public site, not a staff page."""
    unit = _area(user)
    while unit.kind not in (Kind.COUNTY, Kind.TOWN):
        if unit.parent is None:
            raise Http404
        unit = unit.parent
    return reverse("public:board", args=[unit.code])


def _county_department(user: Any) -> bool:
    """Star reviews (分星部门审核) are done by county departments; a town's 派出所 or 司法所 has none."""
    return any(
        infer_kind(parent_code(prefix, Kind.DEPARTMENT) or "") == Kind.COUNTY
        for prefix in role_prefixes(user, Role.DEPT_HANDLER)
    )


def _area_role(user: Any) -> bool:
    return has_role(user, *AREA_ROLES)


MENU = [
    Entry("assessments.mine", "我的评定", lambda u: has_role(u, Role.VILLAGE_CLERK), target=_mine, order=10),
    Entry("assessments.queue", "评星审核", lambda u: holds(u, Action.REVIEW), route="assessments:queue", order=12),
    Entry("assessments.dept_queue", "部门审核", _county_department, route="assessments:queue", order=13),
    Entry("assessments.progress", "评星进度", _area_role, target=_progress, order=20),
    Entry("assessments.rankings", "星级排名", _area_role, target=_rankings, order=21),
    Entry("assessments.publicity", "公示栏", _area_role, target=_publicity, order=24),
]


def register() -> None:
    core_menu.register(*MENU)
