"""Who is told what about grid events (notices), and what the daily reminder lists for them."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from xingyao.core.roles import Role
from xingyao.grid.models import CLOCK_STATES, Event
from xingyao.notices import actions as notices
from xingyao.notices import reminders
from xingyao.notices.models import Kind
from xingyao.notices.queries import holders, holders_by_unit


def dispatched(event: Event) -> None:
    """An event dispatched to a department: its handlers must act (inside the dispatch's transaction). The text is
    what the event's page shows a handler of that department, whose scope it now is."""
    if event.department is None:
        return
    due = timezone.localtime(event.due_at) if event.due_at else None
    notices.send(
        holders([event.department], [Role.DEPT_HANDLER]),
        Kind.EVENT_DISPATCHED,
        f"事件 {event.number} 已派遣到{event.department.name}",
        f"{event.category.full_name or event.category.name}：{event.title}\n"
        f"办理时限 {event.deadline_days} 个工作日" + (f"，请于 {due:%Y-%m-%d %H:%M} 前反馈。" if due else "。"),
        event.get_absolute_url(),
        unit=event.unit,
    )


def due(today: dt.date) -> list[tuple[str, dict[int, list[tuple[str, str]]]]]:
    """Events whose department's clock runs out tomorrow, and those already overdue, for each handler of the
    department they are with."""
    tomorrow_end = timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=2), dt.time.min))
    tomorrow_start = timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=1), dt.time.min))
    now = timezone.now()
    rows = list(
        Event.objects.unscoped("the daily reminder reads every running clock; each line goes to the department's own")
        .filter(state__in=CLOCK_STATES, due_at__lt=tomorrow_end)
        .order_by("due_at", "pk")
        .values("pk", "reported_at", "title", "due_at", "department_id")
    )
    handlers = holders_by_unit({r["department_id"] for r in rows}, [Role.DEPT_HANDLER])
    soon: dict[int, list[tuple[str, str]]] = {}
    late: dict[int, list[tuple[str, str]]] = {}
    for r in rows:
        number = f"{timezone.localtime(r['reported_at']):%Y%m%d}-{r['pk']:06d}"
        line = (f"事件 {number} {r['title']}", reverse("grid:event", args=[r["pk"]]))
        due_at = r["due_at"]
        target = soon if due_at and due_at >= tomorrow_start else late if due_at and due_at < now else None
        if target is None:  # due later today: neither tomorrow's nor overdue yet
            continue
        for user_id in handlers.get(r["department_id"], ()):
            target.setdefault(user_id, []).append(line)
    return [("网格事件明天到期", soon), ("网格事件已超期", late)]


def register() -> None:
    reminders.register("grid.events", due)
