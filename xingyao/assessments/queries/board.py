"""The public board (公示栏) of a county or a town, read from the published notices only: what was published is
what is shown. Each notice's content is checked against its digest and its audit row before it is shown."""

from __future__ import annotations

import datetime as dt
import hmac
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q

from xingyao.assessments.models import Assessment, NoticeKind, ObjectionStatus, PublishedNotice
from xingyao.assessments.workflow import StarStatus, State
from xingyao.core import audit
from xingyao.core.models import AuditEntry
from xingyao.places.codes import Kind
from xingyao.places.models import Unit

PUBLIC = "the public board: published notices are public"
AUDIT_ACTION = "notice.publish"
REMOVED = StarStatus.REMOVED.label
MAX_CODE = 24  # Unit.code's length: a longer one names no unit


@dataclass
class Shown:
    """A published notice as the board shows it."""

    notice: PublishedNotice
    data: dict[str, Any]
    html: str
    problem: str = ""  # why it is withheld: its content no longer matches its digest or its audit row
    accepting: bool = False  # its 公示 is under way and takes objections today
    paused: bool = False  # an objection is being checked: the award waits

    @property
    def pk(self) -> int:
        return self.notice.pk


@dataclass
class BoardRow:
    village: str
    town: str
    year: int
    stars: list[tuple[str, str]]  # (star, status label) of the stars held

    @property
    def count(self) -> int:
        return len(self.stars)


@dataclass
class Board:
    unit: Unit
    county: Unit
    year: int | None
    years: list[int]
    under_way: list[Shown] = field(default_factory=list)
    awards: list[Shown] = field(default_factory=list)
    changes: list[Shown] = field(default_factory=list)
    rows: list[BoardRow] = field(default_factory=list)

    @property
    def notices(self) -> list[Shown]:
        return [*self.under_way, *self.awards, *self.changes]


def public_unit(code: str) -> Unit | None:
    """An active county or town (whose county is active too) by code; None for anything else, alike."""
    if len(code) > MAX_CODE:
        return None
    unit = (
        Unit.objects.unscoped("public pages: counties and towns are public")
        .filter(code=code, kind__in=[Kind.COUNTY, Kind.TOWN], active=True)
        .select_related("parent")
        .first()
    )
    if unit is None or (unit.kind == Kind.TOWN and (unit.parent is None or not unit.parent.active)):
        return None
    return unit


def county_of(unit: Unit) -> Unit:
    return unit if unit.kind == Kind.COUNTY or unit.parent is None else unit.parent


def public_counties() -> list[Unit]:
    return list(Unit.objects.unscoped(PUBLIC).filter(kind=Kind.COUNTY, active=True).order_by("code"))


def public_towns(county: Unit) -> list[Unit]:
    return list(Unit.objects.unscoped(PUBLIC).filter(parent=county, kind=Kind.TOWN, active=True).order_by("code"))


def notice_years(unit: Unit) -> list[int]:
    rows = PublishedNotice.objects.within(unit).order_by("-year").values_list("year", flat=True).distinct()
    return list(rows)


def problems(notices: Iterable[PublishedNotice]) -> dict[int, str]:
    """For each notice whose stored content no longer holds, why (one query for the audit rows)."""
    notices = list(notices)
    entries: dict[str, AuditEntry] = {}
    if notices:
        found = AuditEntry.objects.unscoped("a published notice's own audit row").filter(
            object_type=PublishedNotice._meta.label_lower,
            object_id__in=[str(n.pk) for n in notices],
            action=AUDIT_ACTION,
        )
        entries = {e.object_id: e for e in found}
    key = audit.audit_key()
    found_problems: dict[int, str] = {}
    for n in notices:
        from xingyao.assessments.publication import digest_of

        entry = entries.get(str(n.pk))
        actual = digest_of(n.content)
        if entry is None:
            found_problems[n.pk] = "审计链中没有这份公告的发布记录"
        elif not hmac.compare_digest(entry.compute_hash(key), entry.hash):
            found_problems[n.pk] = "这份公告的发布记录与审计链哈希不符（审计记录被改动）"
        elif (entry.after or {}).get("digest") != actual or n.digest != actual:
            found_problems[n.pk] = "公告内容与发布时记入审计链的哈希不符（发布后被改动）"
    return found_problems


def _shown(notices: list[PublishedNotice]) -> list[Shown]:
    bad = problems(notices)
    shown = []
    for n in notices:
        try:
            body = json.loads(n.content)
            data, html = dict(body["data"]), str(body["html"])
        except (ValueError, KeyError, TypeError):
            data, html = {}, ""
            bad.setdefault(n.pk, "公告内容无法读取")
        shown.append(Shown(n, data, "" if n.pk in bad else html, bad.get(n.pk, "")))
    return shown


def _latest_per(notices: list[PublishedNotice], key: str) -> list[PublishedNotice]:
    latest: dict[Any, PublishedNotice] = {}
    for n in notices:  # oldest first: a later notice of the same record replaces an earlier one
        latest[getattr(n, key)] = n
    return list(latest.values())


def board(unit: Unit, year: int | None, today: dt.date) -> Board:
    """The board of a county or a town for a year (the latest year with notices when none is asked)."""
    years = notice_years(unit)
    if year is None:
        year = years[0] if years else None
    result = Board(unit=unit, county=county_of(unit), year=year, years=years)
    if year is None:
        return result
    notices = list(
        PublishedNotice.objects.within(unit)
        .filter(year=year)
        .select_related("village__parent")
        .order_by("published_at", "id")
    )
    publicity = _latest_per([n for n in notices if n.kind == NoticeKind.PUBLICITY], "assessment_id")
    states = {
        a.pk: a
        for a in Assessment.objects.unscoped(PUBLIC)
        .filter(pk__in=[n.assessment_id for n in publicity])
        .annotate(open_n=Count("objections", filter=Q(objections__status=ObjectionStatus.OPEN)))
    }
    under_way = []
    for n in publicity:
        a = states.get(n.assessment_id or 0)
        if a is None or a.state != State.PUBLICIZED or a.publicity_start is None:
            continue
        under_way.append(n)
    awards = _latest_per([n for n in notices if n.kind == NoticeKind.AWARD], "assessment_id")
    changes = [n for n in notices if n.kind == NoticeKind.STAR_CHANGE]
    shown = _shown(under_way + awards + changes)
    by_pk = {s.pk: s for s in shown}
    from xingyao.assessments.queries.public import accepts_objections

    for n in under_way:
        a = states[n.assessment_id or 0]
        by_pk[n.pk].accepting = accepts_objections(a, today)
        by_pk[n.pk].paused = bool(getattr(a, "open_n", 0))
    result.under_way = [by_pk[n.pk] for n in sorted(under_way, key=lambda n: n.village.code)]
    result.awards = [by_pk[n.pk] for n in sorted(awards, key=lambda n: n.village.code)]
    result.changes = [by_pk[n.pk] for n in reversed(changes)]
    result.rows = _rows(result.awards, [by_pk[n.pk] for n in changes], year)
    return result


def _rows(awards: list[Shown], changes: list[Shown], year: int) -> list[BoardRow]:
    """Each awarded village with the stars it holds now: the award notice, then the star notices in order."""
    status: dict[str, dict[str, str]] = defaultdict(dict)
    rows: dict[str, BoardRow] = {}
    for s in awards:
        if s.problem:
            continue
        code = s.data.get("village_code", "")
        for star in s.data.get("stars", []):
            status[code][star] = StarStatus.ACTIVE.label
        rows[code] = BoardRow(s.data.get("village", ""), s.data.get("town", ""), year, [])
    for s in changes:  # oldest first
        code = s.data.get("village_code", "")
        if not s.problem and s.data.get("star") in status.get(code, {}):
            status[code][s.data["star"]] = s.data.get("status", "")
    for code, row in rows.items():
        row.stars = [(star, label) for star, label in status[code].items() if label != REMOVED]
    return [rows[code] for code in sorted(rows)]
