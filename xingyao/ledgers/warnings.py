"""Star warnings (预警): incidents in other apps fall on a village's star and open a ledger item; the county decides.

`raise_warning` is the building block the incident's own action calls inside its durable transaction (a dispute
closed with a petition gone beyond the village, a “三零” grid event): one warning per incident and kind, however
often it is called. `do_raise_overdue` finds items under red supervision left overdue (the daily command, and the
warning list when it is opened). `do_decide_warning` is the county's step: 警示, 暂停 or 摘星 through the star's own
building block (`assessments.actions.change_star`, in this transaction), or checked and let be with a reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone

from xingyao.assessments.actions import change_star
from xingyao.assessments.models import Assessment, StarAward
from xingyao.assessments.workflow import COUNTY_ROLES, StarStatus
from xingyao.core import audit
from xingyao.core.actors import SYSTEM, person
from xingyao.core.actors import require_actor as _require_actor
from xingyao.core.errors import ActionError
from xingyao.core.roles import Action
from xingyao.core.scoping import roles_over
from xingyao.core.validators import clean_text
from xingyao.ledgers.actions import open_item
from xingyao.ledgers.models import Item, StarWarning
from xingyao.ledgers.queries import access_warning
from xingyao.ledgers.workflow import (
    DECIDED_STATE,
    WARNING_ITEM_DAYS,
    WARNING_METRIC,
    WATCHED,
    Decision,
    Source,
    WarningKind,
    WarningState,
)
from xingyao.stars.models import Indicator
from xingyao.stars.queries import criteria_for

WARNING_FIELDS = ["kind", "year", "star_code", "state", "origin_label"]
MAX_OVERDUE_BATCH = 500  # a list opened catches up at most this many overdue items; the daily command does the rest


def _in_transaction() -> None:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("ledgers.warnings.raise_warning() runs inside the calling do_*'s durable transaction")


def _star_of(village: Any, year: int, kind: WarningKind, star: str = "") -> tuple[str, str]:
    """The star a warning falls on: the one named (an overdue item opened for a star plan's gap falls on the plan's
    star), else the one whose indicator reads the kind's figure in the village's criteria."""
    criteria = criteria_for(village, year)
    if criteria is None:
        return "", ""
    if star:
        named = criteria.stars.filter(code=star).values_list("code", "name").first()
        if named:
            return named
    found = (
        Indicator.objects.filter(criteria_set=criteria, data_source=WARNING_METRIC[kind])
        .values_list("star__code", "star__name")
        .first()
    )
    return found or ("", "")


def _incident_item(warning: StarWarning) -> Item:
    label = f"{warning.kind_label}：{warning.origin_label}"
    star = f"“{warning.star_name}”" if warning.star_name else "创星"
    return open_item(
        SYSTEM,
        village=warning.village,
        source=Source.WARNING,
        problem=label[:200],
        target=f"查清原因、消除隐患，恢复{star}创建标准"[:200],
        measure="查明事件原因和责任，落实整改措施，举一反三开展排查",
        steps="调查核实、制定措施、整改落实、提请验收",
        responsible="村党组织书记",
        start_on=warning.happened_on,
        days=WARNING_ITEM_DAYS,
        origin=warning,
        origin_label=f"星级预警：{warning.kind_label}",
    )


def raise_warning(
    kind: WarningKind | str, *, village: Any, happened_on: dt.date, origin: Any, origin_label: str
) -> StarWarning:
    """Raise a warning for an incident on the village's star, inside the incident action's transaction, and (for an
    incident) open a ledger item for it as the system. A second call for the same incident and kind returns the
    first warning and writes nothing. For an overdue item the warning's item is that item itself."""
    return _raise(WarningKind(kind), village, happened_on, origin, origin_label)[0]


def _raise(
    kind: WarningKind, village: Any, happened_on: dt.date, origin: Any, origin_label: str, star: str = ""
) -> tuple[StarWarning, bool]:
    _in_transaction()
    origin_type = ContentType.objects.get_for_model(origin)
    existing = StarWarning.objects.unscoped("one warning per incident, whoever can see it")
    found = existing.filter(origin_type=origin_type, origin_id=origin.pk, kind=kind).first()
    if found is not None:
        return found, False
    year = happened_on.year
    star_code, star_name = _star_of(village, year, kind, star)
    award = (
        StarAward.objects.unscoped("the village's own star, looked up for the warning")
        .filter(village=village, star_code=star_code, year__lte=year)
        .exclude(status=StarStatus.REMOVED)
        .order_by("-year")
        .first()
        if star_code
        else None
    )
    assessment = (
        Assessment.objects.unscoped("the village's own assessment, looked up for the warning")
        .filter(village=village, year=year)
        .first()
    )
    try:
        with transaction.atomic():  # a simultaneous raise for the same incident loses here, and returns the winner
            warning = StarWarning.objects.create(
                village=village,
                year=year,
                kind=kind,
                happened_on=happened_on,
                star_code=star_code,
                star_name=star_name,
                award=award,
                assessment=assessment,
                origin_type=origin_type,
                origin_id=origin.pk,
                origin_label=origin_label[:100],
                item=origin if kind is WarningKind.OVERDUE else None,
            )
    except IntegrityError:
        return existing.get(origin_type=origin_type, origin_id=origin.pk, kind=kind), False
    if kind is not WarningKind.OVERDUE:
        warning.item = _incident_item(warning)
        warning.save(update_fields=["item"])
    after = audit.snapshot(warning, WARNING_FIELDS) | {"item": warning.item_id, "award": warning.award_id}
    audit.record(actor=SYSTEM, action="star_warning.raise", obj=warning, unit=village, after=after)
    return warning, True


def overdue_items(items: Any, today: dt.date) -> Any:
    """Items under red supervision (worked, past their due date) without an overdue warning yet. An item a warning
    opened is left out: it is already under that warning."""
    return (
        items.filter(state__in=list(WATCHED), due_on__lt=today)
        .exclude(source=Source.WARNING)
        .exclude(warnings__kind=WarningKind.OVERDUE)
    )


def do_raise_overdue(actor: Any, item_ids: Iterable[int] | None = None, today: dt.date | None = None) -> int:
    """Raise a warning for every overdue red-supervised item (of `item_ids`, when given); how many were raised.
    Run by the system (the daily command, a list catching up): idempotent, one warning per item."""
    _require_actor(actor)
    today = today or timezone.localdate()
    with transaction.atomic(durable=True):
        items = overdue_items(Item.objects.unscoped("the system checks every item's deadline"), today)
        if item_ids is not None:
            items = items.filter(pk__in=list(item_ids))
        raised = 0
        for item in items.select_related("village").order_by("id").select_for_update(of=("self",)):
            label = f"“{item.problem}”{item.due_on:%Y-%m-%d}到期未完成"
            became_red = item.due_on + dt.timedelta(days=1)
            star = getattr(item.origin, "star_code", "") if item.source == Source.STAR_GAP else ""
            raised += _raise(WarningKind.OVERDUE, item.village, became_red, item, label, star)[1]
    return raised


def catch_up_overdue(user: Any) -> int:
    """Raise the overdue warnings of the items the user sees, when there are any (one query when there are none)."""
    today = timezone.localdate()
    ids = list(overdue_items(Item.objects.restrict(user), today).values_list("pk", flat=True)[:MAX_OVERDUE_BATCH])
    return do_raise_overdue(SYSTEM, ids, today) if ids else 0


def do_decide_warning(actor: Any, warning_id: int, *, decision: str, reason: str, upload: Any = None) -> StarWarning:
    """The county's decision on a warning: 警示, 暂停 or 摘星 (the star's own step, with its evidence), or checked
    and let be; always with a reason."""
    _require_actor(actor)
    found = Decision.lookup(decision)
    if found is None:
        raise ActionError("请选择处理方式", "decision")
    reason = clean_text(reason, "处理意见", "reason", limit=2000, lines=True)
    with transaction.atomic(durable=True):
        warning = access_warning(actor, warning_id, Action.APPROVE, StarWarning.objects.select_for_update())
        if not COUNTY_ROLES & set(roles_over(actor, warning.village.prefix)) and actor is not SYSTEM:
            raise ActionError("星级预警由县级处理")
        if warning.state != WarningState.OPEN:
            raise ActionError(f"这条预警{warning.state_label}，不能再处理")
        before = audit.snapshot(warning, ["state"])
        change = None
        if found is not Decision.DISMISS:
            award = warning.award
            if award is None:
                raise ActionError("该村没有获评这颗星，不能警示、暂停或摘星；请核实后选择“已核实不处理”", "decision")
            change = change_star(actor, award, found.value, reason=reason, upload=upload)
        warning.state = DECIDED_STATE[found]
        warning.reason, warning.star_change = reason, change
        warning.decided_by, warning.decided_at = person(actor), timezone.now()
        warning.save(update_fields=["state", "reason", "star_change", "decided_by", "decided_at"])
        after = audit.snapshot(warning, ["state", "reason"]) | {"star_change": getattr(change, "pk", None)}
        audit.record(actor=actor, action="star_warning.decide", obj=warning, unit=warning.village, before=before,
                     after=after)  # fmt: skip
    return warning
