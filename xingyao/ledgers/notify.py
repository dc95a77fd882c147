"""Who is told what about ledger items (notices): the town's acceptors when a village asks for acceptance, and
what the daily reminder lists for a village's clerks."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from xingyao.core.roles import Role
from xingyao.ledgers.models import Item
from xingyao.ledgers.workflow import ACCEPTORS, State
from xingyao.notices import actions as notices
from xingyao.notices import reminders
from xingyao.notices.models import Kind
from xingyao.notices.queries import holders, holders_by_unit


def acceptance_waiting(item: Item, workers: set[int]) -> None:
    """The village asked for acceptance: the town's people who may accept it are told, except anyone who worked the
    item (the four-eyes rule of the ledger's workflow would refuse them)."""
    village = item.village
    if village.parent_id is None:
        return
    town_roles = [r for r in ACCEPTORS if r in (Role.TOWN_ADMIN, Role.TOWN_REVIEWER)]
    notices.send(
        holders([village.parent_id], town_roles) - workers,
        Kind.ACCEPTANCE_WAITING,
        f"{village.name}整改事项待验收",
        f"问题：{item.problem}\n{village.name}已提请验收，请组织验收（听证、民主评议或实地查看）。",
        item.get_absolute_url(),
        unit=village,
    )


def due(today: dt.date) -> list[tuple[str, dict[int, list[tuple[str, str]]]]]:
    """Open items due tomorrow, and those past their due date, for the clerks of each item's village."""
    rows = list(
        Item.objects.unscoped("the daily reminder reads every open item; each line goes to its village's clerks")
        .filter(state=State.OPEN, due_on__lte=today + dt.timedelta(days=1))
        .exclude(due_on=today)
        .order_by("due_on", "pk")
        .values("pk", "problem", "due_on", "village_id")
    )
    clerks = holders_by_unit({r["village_id"] for r in rows}, [Role.VILLAGE_CLERK])
    soon: dict[int, list[tuple[str, str]]] = {}
    late: dict[int, list[tuple[str, str]]] = {}
    for r in rows:
        target = soon if r["due_on"] > today else late
        line = (f"整改事项：{r['problem']}（{r['due_on']:%m月%d日}到期）", reverse("ledgers:item", args=[r["pk"]]))
        for user_id in clerks.get(r["village_id"], ()):
            target.setdefault(user_id, []).append(line)
    return [("整改事项明天到期", soon), ("整改事项已超期", late)]


def register() -> None:
    reminders.register("ledgers.items", due)
