"""Open work for every persona of the test world, so each menu link has something to show."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from xingyao.assessments.models import Assessment
from xingyao.assessments.tests import fixtures as af
from xingyao.assessments.workflow import State
from xingyao.demo.testing import World
from xingyao.grid.models import Event
from xingyao.grid.tests import factories as gf
from xingyao.grid.workflow import State as EventState

REPORTED = "村口垃圾堆放未清运"
DISPATCHED = "村口有可疑车辆徘徊"
DISPUTE = "宅前排水沟堵塞引发邻里争执"


@dataclass
class Work:
    draft: Assessment  # 毛桥村 2023, the village clerk's
    submitted: Assessment  # 庄营村 2023, waiting for the town
    in_dept_review: Assessment  # 施东村 2023, waiting for the county departments
    awarded: Assessment  # 毛桥村 2022: rankings and the public notice
    approved: Assessment  # 庄营村 2022, waiting for the county to open its publicity
    reported: Event
    dispatched: Event


def busy(w: World) -> Work:
    """Assessments at every stage, a reported and a dispatched grid event, and a dispute to triage."""
    af.dept_review_on(w, 2023)
    work = Work(
        draft=af.assessment(w, "毛桥村", 2023),
        submitted=af.at_state(w, State.SUBMITTED, "庄营村", 2023),
        in_dept_review=af.at_state(w, State.TOWN_REVIEWED, "施东村", 2023),
        awarded=af.at_state(w, State.AWARDED, "毛桥村", 2022),
        approved=af.at_state(w, State.COUNTY_APPROVED, "庄营村", 2022),
        reported=gf.event(
            w, title=REPORTED, category="HJWS-LJ", latitude=Decimal("32.520000"), longitude=Decimal("112.360000")
        ),
        dispatched=gf.event(
            w,
            title=DISPATCHED,
            state=EventState.DISPATCHED,
            department="溧河铺派出所",
            latitude=Decimal("32.530000"),
            longitude=Decimal("112.370000"),
        ),
    )
    gf.dispute(w, summary=DISPUTE)
    return work
