"""Reading messages: a person's own inbox, the unread count, who holds a role on a unit (who must be told)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from xingyao.accounts.models import Membership
from xingyao.core.roles import Action
from xingyao.core.scoping import access
from xingyao.notices.models import Channel, Kind, Muting, Notice

INBOX_SIZE = 100  # the inbox shows the latest hundred; older messages stay in the database
BADGE_CAP = 99  # the badge counts up to here and shows "99+" beyond


def inbox(user: Any) -> QuerySet[Notice]:
    """The user's own messages, newest first."""
    return Notice.objects.filter(recipient_id=getattr(user, "pk", None) or 0).order_by("-created_at", "-id")


def access_notice(user: Any, pk: Any) -> Notice:
    """One of the user's own messages; 404 for anyone else's and for a missing one alike."""
    try:
        return inbox(user).get(pk=int(pk))
    except (Notice.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def unread_count(user: Any) -> int:
    """Unread messages, counted up to BADGE_CAP + 1 (one bounded query)."""
    return inbox(user).filter(read_at__isnull=True)[: BADGE_CAP + 1].count()


def muted_kinds(user: Any) -> set[str]:
    return set(Muting.objects.filter(user_id=user.pk).values_list("kind", flat=True))


def holders(units: Iterable[Any], roles: Iterable[str]) -> set[int]:
    """The active accounts holding any of `roles` directly on any of `units`: the people a record's step concerns."""
    unit_ids = [getattr(u, "pk", u) for u in units]
    if not unit_ids:
        return set()
    return set(
        Membership.objects.unscoped("who must be told: the holders of a role on the record's own unit")
        .filter(unit_id__in=unit_ids, role__in=list(roles), user__is_active=True, unit__active=True)
        .values_list("user_id", flat=True)
    )


def holders_by_unit(unit_ids: Iterable[int], roles: Iterable[str]) -> dict[int, set[int]]:
    """`holders` for many units in one query: unit id → the accounts holding any of `roles` directly on it."""
    found: dict[int, set[int]] = {}
    ids = list(unit_ids)
    if not ids:
        return found
    rows = (
        Membership.objects.unscoped("who must be told: the holders of a role on each record's own unit")
        .filter(unit_id__in=ids, role__in=list(roles), user__is_active=True, unit__active=True)
        .values_list("unit_id", "user_id")
    )
    for unit_id, user_id in rows:
        found.setdefault(unit_id, set()).add(user_id)
    return found


def channels_for(user: Any) -> QuerySet[Channel]:
    """The outside delivery channels of the counties the user administers."""
    return Channel.objects.restrict(user, Action.ADMIN).select_related("county").order_by("county__code", "pk")


def access_channel(user: Any, pk: Any) -> Channel:
    return access(Channel.objects.select_related("county"), user, pk, Action.ADMIN)


KIND_CHOICES = Kind.choices()
