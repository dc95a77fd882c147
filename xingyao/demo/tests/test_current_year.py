"""The whole demo loaded on a given day: 2023 stays as the seed tells it, and the year of the load runs in progress
(demo/current.py) — overdue events, events closed that day, a submission, open ledger items, to-dos on the home page
of the demo's logins — without changing a single 2023 figure."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from xingyao.accounts.models import User
from xingyao.assessments.models import Assessment
from xingyao.core import calendar
from xingyao.core.roles import Action
from xingyao.demo.current import (
    load_current_assessments,
    load_current_plans,
    load_current_safety,
    load_current_work,
)
from xingyao.demo.livability import BRIEFING
from xingyao.demo.steps import STEPS
from xingyao.disputes.models import Dispute
from xingyao.grid.models import Event, EventStep
from xingyao.grid.queries import event_counts, overdue_q, todo_events
from xingyao.ledgers.models import Item
from xingyao.ledgers.workflow import YELLOW_DAYS
from xingyao.livability.models import Work
from xingyao.places.codes import Kind
from xingyao.places.models import Unit

pytestmark = pytest.mark.django_db

WHY = "the test reads the whole demo"
TZ = dt.timezone(dt.timedelta(hours=8))
CURRENT_STEPS = (load_current_plans, load_current_safety, load_current_work, load_current_assessments)


def _load_on(monkeypatch: pytest.MonkeyPatch, moment: dt.datetime) -> list[str]:
    """Run every step of `xingyao demo` with the clock at `moment` (and leave the clock there for the pages)."""
    monkeypatch.setattr(timezone, "now", lambda: moment)
    return [step() for _title, step in STEPS]


def _briefed_2023(kind: str) -> object:
    done = Work.objects.unscoped(WHY).filter(
        kind=kind,
        finished_on__gte=dt.date(2023, 1, 1),
        finished_on__lte=BRIEFING,
        village__parent__name="溧河铺镇",
    )
    return done.aggregate(n=Sum("quantity"))["n"]


@pytest.mark.parametrize(
    "moment",
    [dt.datetime(2026, 3, 10, 10, 30, tzinfo=TZ), dt.datetime(2026, 12, 7, 16, 45, tzinfo=TZ)],
    ids=["spring", "winter"],
)
def test_the_year_of_the_load_runs_in_progress_beside_2023(client, monkeypatch, moment) -> None:
    _load_on(monkeypatch, moment)
    year, today = moment.year, moment.date()
    start_of_today = moment.replace(hour=0, minute=0, second=0)
    this_year = Event.objects.unscoped(WHY).filter(reported_at__year=year, village__parent__name="溧河铺镇")

    # Events of the last weeks: some overdue, some closed today, some with a department, none in the future.
    assert this_year.filter(overdue_q(moment)).count() >= 3
    counts = event_counts(this_year, moment)
    assert counts["closed_today"] >= 3 and counts["to_accept"] >= 2
    assert this_year.exclude(department=None).exclude(state="closed").exists()
    assert not EventStep.objects.unscoped(WHY).filter(at__gt=moment).exists()
    assert this_year.filter(reported_at__lt=moment - dt.timedelta(days=14)).exists()
    assert not this_year.filter(closed_at__gte=start_of_today).exclude(closed_at__date=today).exists()

    # The year's assessments: a submission waiting for the town, one sent back with a reason, drafts.
    states = set(Assessment.objects.unscoped(WHY).filter(year=year).values_list("state", flat=True))
    assert {"submitted", "draft"} <= states
    sent_back = Assessment.objects.unscoped(WHY).get(year=year, village__name="庄营村")
    assert sent_back.state == "draft" and sent_back.steps.unscoped(WHY).filter(action="send_back").exists()

    # Open ledger items of the year, disputes in mediation.
    assert Item.objects.unscoped(WHY).filter(state="open", start_on__year=year).count() >= 3
    assert Dispute.objects.unscoped(WHY).filter(received_on__year=year, status="mediating").exists()

    # The home page of the town, the grid worker and the village clerk shows this year's work among the to-dos.
    for username in ("zhen", "wangge", "maoqiao"):
        user = User.objects.get(username=username)
        client.force_login(user)
        tasks = client.get(reverse("home:home")).context["tasks"]
        assert sum(t.count for t in tasks) > 0, username
    for username in ("zhen", "wangge"):
        mine = todo_events(User.objects.get(username=username))
        assert mine.filter(reported_at__year=year).exists(), username
    # The clerk's "整改事项即将到期或已超期" counts this year's items of his village.
    horizon = calendar.add_workdays(today, YELLOW_DAYS)
    clerks_items = Item.objects.restrict(User.objects.get(username="maoqiao"), Action.CHANGE)
    assert clerks_items.filter(state="open", due_on__lte=horizon, start_on__year=year).exists()

    # 2023 keeps the seed's figures: 44 disputes settled (9 by pre-litigation), 277 grids, the works' totals.
    settled = Dispute.objects.unscoped(WHY).filter(
        village__parent__name="溧河铺镇", received_on__year=2023, outcome__in=["mediated", "pre_litigation"]
    )
    assert settled.count() == 44 and settled.filter(outcome="pre_litigation").count() == 9
    lihepu = Unit.objects.unscoped(WHY).get(name="溧河铺镇")
    assert Unit.objects.within(lihepu).filter(kind=Kind.GRID).count() == 277
    assert _briefed_2023("road_repair") == 4500

    # Loaded again the same day, nothing of the current year changes.
    assert [step() for step in CURRENT_STEPS] == ["已存在，未改动"] * 4


AGE = re.compile(r"\d+\s*(年|个月|月)")  # a wait counted in years or months ("2 年，11 月")


def test_no_finished_2023_record_shows_a_wait_counted_to_today(client, monkeypatch) -> None:
    moment = dt.datetime(2026, 12, 7, 16, 45, tzinfo=TZ)
    _load_on(monkeypatch, moment)
    awarded = Assessment.objects.unscoped(WHY).filter(year=2023, state="awarded").select_related("village")
    assert awarded.count() >= 10
    for username, code in (("xian", "411329000000"), ("zhen", "411329107000")):
        client.force_login(User.objects.get(username=username))
        for page in (1, 2, 3):
            html = client.get(reverse("assessments:overview", args=[code, 2023]), {"page": page}).content.decode()
            rows = re.findall(r"<tr>.*?</tr>", html, flags=re.S)
            finished = [r for r in rows if "已授星" in r or "公示中" in r]
            assert all(not AGE.search(r) for r in finished), [r for r in finished if AGE.search(r)]
    # The finished 2023 work of the ledgers and the grid says nothing is late.
    client.force_login(User.objects.get(username="zhen"))
    closed_items = Item.objects.unscoped(WHY).filter(start_on__year=2023, state="closed")[:5]
    closed_events = Event.objects.unscoped(WHY).filter(reported_at__year=2023, state="closed")[:5]
    assert closed_items and closed_events
    for record in [*closed_items, *closed_events]:
        html = client.get(record.get_absolute_url()).content.decode()
        assert "已超期" not in html and "已等待" not in html, record
