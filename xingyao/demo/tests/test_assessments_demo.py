"""The demo's assessments step on the full demo township: varied states, a plausible spread, idempotent."""

from collections import Counter

from xingyao.assessments.actions import submission_problems
from xingyao.assessments.models import Assessment, Objection, StarAward, StepLog
from xingyao.assessments.queries import current_stars
from xingyao.demo.assessments import load_assessments
from xingyao.demo.stars import load_criteria
from xingyao.demo.tree import load_tree


def test_the_assessments_step_gives_lihepu_a_year_in_every_state_and_is_idempotent(db) -> None:
    load_tree()
    load_criteria()
    summary = load_assessments()
    assert summary.startswith("新增评定 50 份")
    assert load_assessments() == "已存在，未改动"

    this_year = {a.village.name: a for a in Assessment.objects.filter(year=2023).select_related("village")}
    states = Counter(a.state for a in this_year.values())
    assert states["awarded"] >= 10 and states["publicized"] >= 1 and states["submitted"] >= 1
    # Awarded with three to five stars at the top, at most one five-star village (DOMAIN: townships aim for 0–1).
    counts = Counter(a.star_count for a in this_year.values())
    assert counts[5] == 1 and counts[4] >= 1 and sum(counts.values()) == 25
    assert this_year["孙楼村"].star_count == 5

    # 毛桥村: 2022's weak branch with no star, now a ready draft for its first stars.
    maoqiao = this_year["毛桥村"]
    last_year = Assessment.objects.get(village=maoqiao.village, year=2022)
    assert last_year.star_count == 0 and current_stars([maoqiao.village_id], 2022)[maoqiao.village_id] == set()
    assert maoqiao.state == "draft" and maoqiao.star_count >= 1
    assert submission_problems(maoqiao) == []

    # One under 公示 with an open objection, one sent back with a reason.
    east = this_year["东湖村"]
    assert east.state == "publicized" and Objection.objects.filter(assessment=east, status="open").exists()
    assert StepLog.objects.filter(assessment=this_year["西岭村"], action="send_back").exclude(reason="").exists()
    assert StarAward.objects.filter(year=2023, status="warned").count() == 1
