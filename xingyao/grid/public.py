"""A resident follows his report: the 受理编号 on his receipt and a short 查询码 derived from it with the site's secret
(nothing stored, nothing to guess from the number alone), and what the public page may show — the state and the
town's public reply, never staff notes, names, phones or other people's data."""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from xingyao.grid.models import Event, EventStep, Source
from xingyao.grid.workflow import Action as Move
from xingyao.grid.workflow import State

CODE_LENGTH = 8  # base32 characters: 40 bits
LOOKUP_LIMIT = 10  # lookups per address …
LOOKUP_WINDOW = 600  # … per ten minutes, found or not
NUMBER = re.compile(r"^(\d{8})-?(\d{6,12})$")

# What each state means to the resident, in his words (the public reply of a state).
PUBLIC_STATE = {
    State.REPORTED: "已收到您的反映，等待网格员受理。",
    State.ACCEPTED: "网格员已受理，正在安排相关部门处理。",
    State.DISPATCHED: "已交由相关部门办理。",
    State.HANDLING: "相关部门正在处理。",
    State.FEEDBACK: "相关部门已处理完毕，正在核查办理结果。",
    State.VERIFIED: "办理结果已核查，即将办结。",
    State.CLOSED: "已办结。",
}


def track_code(event: Event) -> str:
    digest = salted_hmac("xingyao.grid.public.track", f"{event.pk}:{event.number}").digest()
    return base64.b32encode(digest).decode()[:CODE_LENGTH]


def track_url(event: Event) -> str:
    return f"{reverse('grid:track')}?n={event.number}&c={track_code(event)}"


@dataclass(frozen=True)
class Tracked:
    """All the public page shows."""

    number: str
    category: str
    reported_on: str
    state: str
    explanation: str
    closed_on: str
    reply: str


def find(number: str, code: str) -> Tracked | None:
    """The resident's own report, or None for an unknown number, a wrong code, or an event no resident reported —
    the page answers all of them alike."""
    match = NUMBER.match(number.replace(" ", ""))
    code = code.strip().upper()
    if match is None or len(code) != CODE_LENGTH:
        return None
    event = (
        Event.objects.unscoped("the resident's tracking page: the number and its code are the key")
        .select_related("category")
        .filter(pk=int(match.group(2)), source=Source.RESIDENT)
        .first()
    )
    if event is None or event.number[:8] != match.group(1):
        return None
    if not constant_time_compare(track_code(event), code):
        return None
    reply = ""
    if event.state == State.CLOSED:
        step = (
            EventStep.objects.unscoped("the public reply of the event the resident proved is his")
            .filter(event=event, action=Move.CLOSE)
            .order_by("-at", "-id")
            .values_list("data", flat=True)
            .first()
        )
        reply = str((step or {}).get("reply", ""))
    state = State(event.state)
    return Tracked(
        number=event.number,
        category=event.category.name,
        reported_on=f"{timezone.localtime(event.reported_at):%Y-%m-%d}",
        state=state.label,
        explanation="已作为重复反映合并办理。" if event.duplicate_of_id else PUBLIC_STATE[state],
        closed_on=f"{timezone.localtime(event.closed_at):%Y-%m-%d}" if event.closed_at else "",
        reply=reply,
    )
