"""Exactly once for forms sent from phones: a report written without signal is kept on the phone under an id the
phone made, and sent (perhaps several times) when the signal returns. The action that creates the record calls
`once()` inside its own transaction; the first arrival creates it, later ones get the same record back."""

from __future__ import annotations

import uuid
from typing import Any, TypeVar

from django.db import IntegrityError, models, transaction
from django.urls import reverse

from xingyao.core.actors import person
from xingyao.core.errors import ActionError
from xingyao.core.models import Submission

M = TypeVar("M", bound=models.Model)


def client_id(value: Any) -> uuid.UUID | None:
    """The phone's id for a submission, or None when the form carried none (sent straight from the page)."""
    if value in (None, ""):
        return None
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (ValueError, AttributeError):
        raise ActionError("提交编号无效，请刷新页面后重新填写") from None


def claim(actor: Any, key: uuid.UUID | None, model: type[M]) -> M | None:
    """First thing inside the creating action's durable transaction: take the phone's id for this submission.
    None means "go on and create" (call `settle` once created); a record means this id already created it, and the
    action answers with that record and writes nothing. A simultaneous second arrival waits on the id's row until
    the first commits, then gets the first's record."""
    if key is None:
        return None
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("offline.claim() runs inside the action's transaction")
    user = person(actor)
    try:
        with transaction.atomic():  # a savepoint: an id already taken is not an error of the whole action
            Submission.objects.create(client_id=key, user=user, object_type=model._meta.label_lower)
    except IntegrityError:
        earlier = Submission.objects.filter(client_id=key).first()
        if (
            earlier is None
            or earlier.user_id != getattr(user, "pk", None)
            or earlier.object_type != model._meta.label_lower
        ):
            raise ActionError("提交编号无效，请刷新页面后重新填写") from None
        records: Any = model._default_manager
        return records.unscoped("the record this user's own earlier submission created").get(pk=earlier.object_id)
    return None


def settle(key: uuid.UUID | None, record: models.Model) -> None:
    """Name the record a claimed id created (in the same transaction)."""
    if key is not None:
        Submission.objects.filter(client_id=key).update(object_id=str(record.pk))


# Pages a phone keeps for use without signal (the service worker fetches them when it installs, and keeps each
# page the person opens afterwards): apps name theirs in `ready()` — the report form, a worker's own events.
_PAGES: list[tuple[str, str]] = []


def keep_page(route: str, query: str = "") -> None:
    """Have phones fetch this page (a URL name without arguments, and a query) ahead, for use offline."""
    if (route, query) not in _PAGES:
        _PAGES.append((route, query))


def kept_pages() -> list[str]:
    return [reverse(route) + (f"?{query}" if query else "") for route, query in _PAGES]
