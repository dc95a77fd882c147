"""The one shape of a record's history, and its one writer.

Every record kind keeps its steps in its own table (so that the table is scoped and indexed with its record),
and every such table subclasses `HistoryStep`: who (and in which role), when, which action, from which state
to which, why, and a JSON `data` for what the step carried (an assessment's values as they stood, a
department). Write a step with `record_step(Model, record=…, …)` inside the transaction of the change.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from django.db import connection, models
from django.utils import timezone

from xingyao.core.actors import actor_name, person
from xingyao.core.fields import actor_field

H = TypeVar("H", bound="HistoryStep")


class HistoryStep(models.Model):
    """One line of a record's history: who did what, in which role, from which state to which, and why."""

    at = models.DateTimeField("时间", default=timezone.now)
    actor = actor_field("操作人")
    # Kept as written: the history reads the same after the account is renamed, and for the system or the public.
    actor_name = models.CharField("操作人姓名", max_length=150, blank=True)
    role = models.CharField("角色", max_length=32, blank=True)
    action = models.CharField("操作", max_length=32)
    action_label = models.CharField("操作名称", max_length=20, blank=True)
    from_state = models.CharField("原状态", max_length=20, blank=True)
    to_state = models.CharField("新状态", max_length=20, blank=True)
    reason = models.TextField("说明", max_length=2000, blank=True)
    data = models.JSONField("附加信息", default=dict, blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action_label or self.action}"


def record_step(
    model: type[H],
    *,
    actor: Any,
    action: Any,
    label: str | None = None,
    from_state: str = "",
    to_state: str = "",
    role: str = "",
    reason: str = "",
    data: dict[str, Any] | None = None,
    at: dt.datetime | None = None,
    **links: Any,
) -> H:
    """Append one step to `model`'s history; `links` name the record (`event=…`). Runs inside the change's
    transaction; the label defaults to the action's own (a workflow action is a labelled enum)."""
    if not connection.in_atomic_block:
        raise RuntimeError("record_step() must run inside the transaction of the change it records")
    return model._default_manager.create(
        at=at or timezone.now(),
        actor=person(actor),
        actor_name=actor_name(actor),
        role=str(role or ""),
        action=str(action),
        action_label=(label if label is not None else str(getattr(action, "label", "")))[:20],
        from_state=str(from_state or ""),
        to_state=str(to_state or ""),
        reason=(reason or "")[:2000],
        data=data or {},
        **links,
    )
