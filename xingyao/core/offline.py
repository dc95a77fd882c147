"""Exactly once for forms sent from phones: a report written without signal is kept on the phone under an id the
phone made, and sent (perhaps several times) when the signal returns. The first arrival is applied, later ones are
answered as done and write nothing.

Two kinds of action, one table (`core.models.Submission`, keyed by the phone's id):
- an action that *creates* a record calls `claim(actor, key, Model)` first thing inside its durable transaction and
  `settle(key, record)` once created; a repeat gets the record back;
- an action *on an existing record* (a step on an event: a note, an acceptance) calls
  `claim_step(actor, key, record, step)`: the record is known, so the id is bound to it and to the step at once; a
  repeat answers True. An id is one person's, for one record and one step: used otherwise it is refused.
A refused action rolls its transaction back, the id's row with it: sent again, it is judged again on what is
stored then (and refused again while the record stays where it is)."""

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
    earlier = _take(actor, key, model._meta.label_lower)
    if earlier is None:
        return None
    records: Any = model._default_manager
    return records.unscoped("the record this user's own earlier submission created").get(pk=earlier.object_id)


def claim_step(actor: Any, key: uuid.UUID | None, record: models.Model, step: str) -> bool:
    """First thing inside the durable transaction of a step taken on an existing record (`step` names it, e.g.
    "note" or "accept"): take the phone's id for this one step. False means "go on and take it" (nothing to settle);
    True means this id already took this step on this record: answer as done and write nothing. The same id sent for
    another record or another step, or by another person, is refused."""
    if key is None:
        return False
    return _take(actor, key, f"{record._meta.label_lower}:{step}", str(record.pk)) is not None


def _take(actor: Any, key: uuid.UUID, object_type: str, object_id: str = "") -> Submission | None:
    """Insert the id's row; None when it was free, else the earlier row (the same person's, for the same thing)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("offline.claim() and claim_step() run inside the action's transaction")
    user = person(actor)
    try:
        with transaction.atomic():  # a savepoint: an id already taken is not an error of the whole action
            Submission.objects.create(client_id=key, user=user, object_type=object_type, object_id=object_id)
    except IntegrityError:
        earlier = Submission.objects.filter(client_id=key).first()
        if (
            earlier is None
            or earlier.user_id != getattr(user, "pk", None)
            or earlier.object_type != object_type
            or (object_id and earlier.object_id != object_id)
        ):
            raise ActionError("提交编号无效，请刷新页面后重新填写") from None
        return earlier
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
