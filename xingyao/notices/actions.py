"""Sending messages (the building block record apps call inside their own `do_*` transaction), reading them,
muting kinds, the daily reminder, and a county's outside delivery channels."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import partial
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from xingyao.accounts.models import User
from xingyao.core import audit
from xingyao.core.actors import require_actor
from xingyao.core.errors import ActionError
from xingyao.core.roles import Action
from xingyao.core.scoping import covers
from xingyao.core.validators import clean_text
from xingyao.notices import delivery
from xingyao.notices.models import Channel, ChannelKind, Kind, Muting, Notice
from xingyao.notices.queries import access_channel, access_notice, inbox
from xingyao.places.codes import Kind as UnitKind
from xingyao.places.codes import county_code
from xingyao.places.models import Unit


def send(
    recipients: Iterable[Any], kind: Kind, title: str, body: str = "", link: str = "", *, unit: Unit | None = None
) -> list[Notice]:
    """Put a message in each recipient's inbox, inside the caller's transaction (its rows commit or roll back with
    the step that caused them); muted kinds and inactive accounts are skipped. With `unit`, the county's outside
    channels get the title and link once the transaction has committed.

    The caller words `title` and `body` from what every recipient may see; neither ever leaves the site but the
    title, which must therefore carry no personal data (a record's number, a village, a department)."""
    if not connection.in_atomic_block:
        raise RuntimeError("notices.send() runs inside the transaction of the step it tells about")
    ids = {getattr(r, "pk", r) for r in recipients} - {None}
    if not ids:
        return []
    muted = set(Muting.objects.filter(kind=kind, user_id__in=ids).values_list("user_id", flat=True))
    active = User.objects.unscoped("a message's recipients, chosen by the step that sends it").filter(
        pk__in=ids - muted, is_active=True
    )
    now = timezone.now()
    rows = [
        Notice(recipient_id=pk, kind=kind, title=title[:120], body=body[:2000], link=link[:300], created_at=now)
        for pk in sorted(active.values_list("pk", flat=True))
    ]
    created = Notice.objects.bulk_create(rows)
    if created and unit is not None:
        transaction.on_commit(
            partial(delivery.deliver, county_code(unit.code), kind, title, link, [n.recipient_id for n in created])
        )
    return created


def do_open(user: Any, pk: Any) -> Notice:
    """Open one of his messages: it is read from now on."""
    notice = access_notice(user, pk)
    if notice.read_at is None:
        notice.read_at = timezone.now()
        inbox(user).filter(pk=notice.pk, read_at__isnull=True).update(read_at=notice.read_at)
    return notice


def do_mark_all_read(user: Any) -> int:
    """Mark every unread message of his read."""
    return inbox(user).filter(read_at__isnull=True).update(read_at=timezone.now())


def do_set_muted(user: Any, kinds: Iterable[str]) -> set[str]:
    """Replace the kinds he does not want to receive."""
    wanted = set()
    for value in kinds:
        found = Kind.lookup(value)
        if found is None:
            raise ActionError("未知的消息类别", "muted")
        wanted.add(found.value)
    with transaction.atomic(durable=True):
        mine = Muting.objects.filter(user_id=user.pk)
        mine.exclude(kind__in=wanted).delete()
        have = set(mine.values_list("kind", flat=True))
        Muting.objects.bulk_create([Muting(user_id=user.pk, kind=k) for k in sorted(wanted - have)])
    return wanted


# ---- the daily reminder ------------------------------------------------------------------------------------

MAX_LINES = 5  # per part of a reminder: the first few, then "等 N 件"


def remind(today: dt.date, parts: Iterable[tuple[str, dict[int, list[tuple[str, str]]]]]) -> int:
    """Write one reminder per person for `today` summing up what is due, from the parts the record apps found
    (a heading and, per account, (line, link) pairs). Run twice on a day, the second run writes nothing."""
    per_user: dict[int, list[str]] = {}
    first_link: dict[int, str] = {}
    for heading, rows in parts:
        for user_id, lines in rows.items():
            if not lines:
                continue
            shown = [f"· {text}" for text, _ in lines[:MAX_LINES]]
            more = f"（等 {len(lines)} 件）" if len(lines) > MAX_LINES else f"（{len(lines)} 件）"
            per_user.setdefault(user_id, []).append("\n".join([heading + more, *shown]))
            first_link.setdefault(user_id, lines[0][1])
    if not per_user:
        return 0
    key = f"reminder:{today.isoformat()}"
    with transaction.atomic(durable=True):
        muted = set(Muting.objects.filter(kind=Kind.REMINDER).values_list("user_id", flat=True))
        active = set(
            User.objects.unscoped("the reminder's recipients, found by the record apps")
            .filter(pk__in=list(per_user), is_active=True)
            .values_list("pk", flat=True)
        )
        now = timezone.now()
        reminders = [
            Notice(
                recipient_id=pk,
                kind=Kind.REMINDER,
                title=f"{today:%m月%d日}待办提醒",
                body="\n\n".join(per_user[pk]),
                link=first_link.get(pk, ""),
                created_at=now,
                once_key=key,
            )
            for pk in sorted(active - muted)
        ]
        before = Notice.objects.filter(once_key=key).count()
        Notice.objects.bulk_create(reminders, ignore_conflicts=True)  # one per person and day: a rerun adds none
        return Notice.objects.filter(once_key=key).count() - before


# ---- outside delivery channels -----------------------------------------------------------------------------


def _county(actor: Any, county: Unit) -> Unit:
    if county.kind != UnitKind.COUNTY or not covers(actor, Action.ADMIN, county.prefix):
        raise ActionError("只有县级管理员可以配置本县的消息推送", "county")
    return county


def do_add_channel(actor: Any, county: Unit, *, kind: str, name: str, url: str) -> Channel:
    """Add a county's group robot or SMS gateway; its URL is kept and never shown back in full."""
    require_actor(actor)
    _county(actor, county)
    found = ChannelKind.lookup(kind)
    if found is None:
        raise ActionError("请选择推送方式", "kind")
    name = clean_text(name, "名称", "name", limit=40)
    url = delivery.clean_url(url)
    with transaction.atomic(durable=True):
        channel = Channel.objects.create(county=county, kind=found, name=name, url=url)
        audit.record(
            actor=actor,
            action="channel.add",
            obj=channel,
            unit=county,
            after={"kind": found.value, "name": name, "url": channel.shown_url},
        )
    return channel


def do_remove_channel(actor: Any, pk: Any) -> None:
    """Stop and delete a county's channel."""
    require_actor(actor)
    with transaction.atomic(durable=True):
        channel = access_channel(actor, pk)
        _county(actor, channel.county)
        before = {"kind": channel.kind, "name": channel.name, "url": channel.shown_url}
        audit.record(actor=actor, action="channel.remove", obj=channel, unit=channel.county, before=before)
        Channel.objects.restrict(actor, Action.ADMIN).filter(pk=channel.pk).delete()
