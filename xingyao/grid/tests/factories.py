"""Records for grid and dispute tests, built straight in the database in a given state (the actions have their
own tests); images and documents made in memory."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from xingyao.core.workdays import deadline_for
from xingyao.demo.testing import World
from xingyao.grid.models import Event, EventCategory, EventPhoto
from xingyao.grid.seeds import seed_categories
from xingyao.grid.workflow import State, warning_starts

DISPATCHED_STATES = {State.DISPATCHED, State.HANDLING, State.FEEDBACK, State.VERIFIED}


def categories(world: World) -> dict[str, EventCategory]:
    """The seed category tree for 新野县, by code (created once per test database state)."""
    seed_categories(world.unit("新野县"))
    return {c.code: c for c in EventCategory.objects.filter(county=world.unit("新野县"))}


def event(
    world: World,
    *,
    unit: str = "毛桥村第1网格",
    state: State = State.REPORTED,
    department: str | None = None,
    category: str = "ZAYH-KY",
    title: str = "村口有可疑车辆徘徊",
    reported_at: dt.datetime | None = None,
    dispatched_at: dt.datetime | None = None,
    days: int = 3,
    reporter: str | None = "wangge",
    **extra: Any,
) -> Event:
    """An event at `state`; from dispatch on it has a department (派出所 by default) and a stored deadline."""
    place = world.unit(unit)
    village = place if place.kind == "village" else world.units[place.name.split("第")[0]]
    found = categories(world)
    reported_at = reported_at or timezone.now() - dt.timedelta(hours=2)
    row = Event(
        unit=place,
        village=village,
        category=found[category],
        title=title,
        description=f"{title}，请尽快处理。",
        state=state,
        reported_at=reported_at,
        reporter=world.user(reporter) if reporter else None,
        **extra,
    )
    if state is not State.REPORTED:
        row.accepted_at = reported_at + dt.timedelta(minutes=10)
    if state in DISPATCHED_STATES or (state is State.CLOSED and department):
        row.department = world.unit(department or "溧河铺派出所")
        row.dispatched_at = dispatched_at or reported_at + dt.timedelta(minutes=30)
        row.deadline_days = days
        row.due_at = deadline_for(place, timezone.localtime(row.dispatched_at), days)
        row.warn_at = warning_starts(row.due_at, days)
    if state in (State.FEEDBACK, State.VERIFIED, State.CLOSED) and row.department_id:
        row.feedback_at = row.dispatched_at + dt.timedelta(hours=5)
        row.handler_ids = [world.user("paichusuo").pk]
    if state is State.CLOSED:
        row.closed_at = (row.feedback_at or reported_at) + dt.timedelta(hours=1)
    row.save()
    return row


def png(width: int = 64, height: int = 48, colour: str = "red") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, format="PNG")
    return out.getvalue()


def photo_upload(name: str = "现场.png", **kwargs: Any) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png(**kwargs), content_type="image/png")


def stored_photo(target: Event, stage: str = "report") -> EventPhoto:
    from xingyao.core.uploads import check_image

    row = EventPhoto(event=target, stage=stage)
    row.fill_from(check_image(photo_upload(), "现场.png"))
    row.save()
    return row


def pdf_upload(name: str = "调解协议书.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", content_type="application/pdf"
    )


def dispute(
    world: World,
    *,
    village: str = "毛桥村",
    status: str = "registered",
    outcome: str = "",
    team: tuple[str, ...] = (),
    received_on: dt.date | None = None,
    phone: str = "13812345678",
    **extra: Any,
) -> Any:
    """A case at `status` with two parties; `team` names departments of the joint team."""
    from xingyao.disputes.models import Dispute, DisputeTeamMember, Party

    received_on = received_on or timezone.localdate() - dt.timedelta(days=10)
    count = Dispute.objects.count()
    row = Dispute.objects.create(
        number=f"T{count + 1:06d}",
        village=world.unit(village),
        type=extra.pop("type", "neighbours"),
        summary=extra.pop("summary", "宅前排水沟堵塞引发邻里争执"),
        description="两户因排水沟清淤费用分担发生争执。",
        status=status,
        outcome=outcome,
        closed_on=received_on + dt.timedelta(days=5) if status == "closed" else None,
        mediated=status in ("mediating",) or outcome in ("mediated", "pre_litigation", "failed"),
        received_on=received_on,
        lead_department=world.unit(team[0]) if team else None,
        **extra,
    )
    Party.objects.create(dispute=row, side="applicant", name="王大勇", phone=phone)
    Party.objects.create(dispute=row, side="respondent", name="李秀兰", phone="13900001111")
    for name in team:
        DisputeTeamMember.objects.create(dispute=row, department=world.unit(name))
    return row
