"""Publishing notices on the public site: each published notice (公示 opened, stars awarded, a star warned, suspended,
removed or reinstated) is frozen as canonical JSON — its data and the HTML fragment rendered from them — in an
append-only row whose SHA-256 goes into the county's audit chain, inside the transaction of the publishing action.

The public pages show those fragments and nothing else of a notice; `xingyao public verify` (public_check.py) fetches
the pages and compares them with the rows and the chain.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from django.conf import settings
from django.db import connection
from django.template.loader import render_to_string
from django.utils import timezone

from xingyao.assessments.models import Assessment, NoticeKind, PublishedNotice, StarAward, StarChange
from xingyao.assessments.workflow import StarAction, StarStatus
from xingyao.core import audit
from xingyao.places.models import Unit

FRAGMENT = "assessments/public/_notice.html"
AUDIT_ACTION = "notice.publish"


def canonical(value: Any) -> str:
    """The one text form of a notice: sorted keys, no spaces, UTF-8 kept; hashed as is."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def digest_of(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def issuer_of(county: Unit | None) -> str:
    """The body that issues a county's star notices: its Party committee's organisation department."""
    return f"中共{county.name}委组织部" if county is not None else "县委组织部"


def objection_phone() -> str:
    return settings.XINGYAO_OBJECTION_PHONE


def _place(village: Unit) -> dict[str, Any]:
    town = village.parent
    county = (
        Unit.objects.unscoped("a published notice names its village's county").filter(pk=town.parent_id).first()
        if town is not None and town.parent_id is not None
        else None
    )
    return {
        "village": village.name,
        "village_code": village.code,
        "town": town.name if town else "",
        "town_code": town.code if town else "",
        "county": county.name if county else "",
        "county_code": county.code if county else "",
        "issuer": issuer_of(county),
        "phone": objection_phone(),
    }


def _publish(
    actor: Any,
    kind: NoticeKind,
    village: Unit,
    year: int,
    data: dict[str, Any],
    at: dt.datetime,
    *,
    assessment: Assessment | None = None,
    star_change: StarChange | None = None,
) -> PublishedNotice:
    if not connection.in_atomic_block:
        raise RuntimeError("a notice is published inside the transaction of the action that publishes it")
    data = {"kind": kind.value, "year": year, **_place(village), **data}
    html = render_to_string(FRAGMENT, {"n": data}).strip()
    content = canonical({"kind": kind.value, "year": year, "village": village.code, "data": data, "html": html})
    digest = digest_of(content)
    notice = PublishedNotice.objects.create(
        kind=kind.value,
        village=village,
        year=year,
        assessment=assessment,
        star_change=star_change,
        published_at=at,
        content=content,
        digest=digest,
    )
    audit.record(
        actor=actor,
        action=AUDIT_ACTION,
        obj=notice,
        unit=village,
        after={"kind": kind.value, "digest": digest},
    )
    return notice


def _star_names(assessment: Assessment) -> list[str]:
    from xingyao.assessments.queries import star_names

    names = star_names([assessment.criteria_set_id])
    orders = {
        s.code: s.order
        for s in assessment.criteria_set.stars.all()  # type: ignore[attr-defined]
    }
    codes = sorted(assessment.passed_stars, key=lambda c: (orders.get(c, 0), c))
    return [names.get((assessment.criteria_set_id, c), c) for c in codes]


def publish_publicity(actor: Any, assessment: Assessment, at: dt.datetime | None = None) -> PublishedNotice:
    """The 公示 of one village's result, as opened: proposed stars, the window, where to object."""
    start, end = assessment.publicity_start, assessment.publicity_end
    if start is None or end is None:
        raise RuntimeError("a notice is published with its publicity window")
    stars = _star_names(assessment)
    data = {
        "stars": stars,
        "star_count": len(stars),
        "start": chinese_date(start),
        "end": chinese_date(end),
        "days": assessment.publicity_days,
        "published_on": chinese_date(start),
    }
    village, year = assessment.village, assessment.year
    return _publish(actor, NoticeKind.PUBLICITY, village, year, data, at or timezone.now(), assessment=assessment)


def publish_award(actor: Any, assessment: Assessment, at: dt.datetime | None = None) -> PublishedNotice:
    """The award (授星) of one village's stars for the year."""
    at = at or timezone.now()
    awards = (
        StarAward.objects.unscoped("the award notice lists the stars just awarded")
        .filter(assessment=assessment)
        .order_by("order", "star_code")
    )
    stars = [a.star_name for a in awards]
    data = {"stars": stars, "star_count": len(stars), "published_on": chinese_date(timezone.localtime(at).date())}
    return _publish(actor, NoticeKind.AWARD, assessment.village, assessment.year, data, at, assessment=assessment)


def publish_star_change(actor: Any, change: StarChange, award: StarAward) -> PublishedNotice:
    """A star warned, suspended, removed (摘星) or reinstated, with the reason."""
    at = change.at
    data = {
        "star": award.star_name,
        "action": StarAction(change.action).label,
        "status": StarStatus(change.to_state).label,
        "reason": change.reason,
        "published_on": chinese_date(timezone.localtime(at).date()),
    }
    return _publish(actor, NoticeKind.STAR_CHANGE, award.village, award.year, data, at, star_change=change)
