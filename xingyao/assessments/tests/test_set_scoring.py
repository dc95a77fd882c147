"""The set-based rescoring (one statement on PostgreSQL) agrees with the pure reference on generated data.

Hypothesis draws a criteria set (stars with minimum points, prerequisites, required and veto indicators of every
kind, weights, thresholds, options) and, for three villages, what the village, the town and the county stored for
each indicator — typed values as the pages store them and odd ones a hand-edited row or an old set may leave
(text with spaces or commas, floats, words, other scripts, lists) — plus evidence files. Both paths score the same
rows; every village's star count, points and passed stars, and the run's summary, must be the same.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection, transaction
from django.db.models import JSONField, Value
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xingyao.assessments import scores, setscore
from xingyao.assessments.models import Assessment, Evidence, IndicatorValue
from xingyao.stars import scoring
from xingyao.stars.actions import _write_content
from xingyao.stars.models import CriteriaSet, Indicator
from xingyao.stars.tests.test_scoring import specs, value_for

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the set-based path is PostgreSQL's; elsewhere rescore() is the reference"
)

VILLAGES = ("毛桥村", "庄营村", "施东村")
ODD = [
    "",
    "  ",
    "\u3000",
    " 12 ",
    "1,000",
    "12.50",
    "5.",
    ".5",
    "-0",
    "-3",
    "1e2",
    "1_0",
    "120",
    "abc",
    "不详",
    "\u3000是",
    "是",
    "否",
    "YES",
    " no ",
    "True",
    "o0",
    " o1 ",
    "o9",
    0,
    1,
    2,
    7,
    12.5,
    1.0,
    0.30000000000000004,
    True,
    False,
    [1],
    {"a": 1},
    "2.125",  # points finer than hundredths: the reference path scores the village
    "0.001",
    12345678901234567890,
    "12345678901234567890.5",
    JSON_NULL := "<a JSON null>",  # a hand-written null, which reads as no value
]


def as_data(spec: scoring.CriteriaSpec) -> dict[str, Any]:
    """A generated spec as the plain data `_write_content` stores."""
    return {
        "stars": [
            {
                "code": s.code,
                "name": s.name,
                "order": s.order,
                "min_points": s.min_points,
                "require_all_required": s.require_all_required,
                "prerequisites": list(s.prerequisites),
            }
            for s in spec.stars
        ],
        "indicators": [
            {
                "code": i.code,
                "star_code": i.star_code,
                "section": i.section,
                "name": i.name,
                "kind": i.kind.value,
                "points": i.points,
                "required": i.required,
                "veto": i.veto,
                "threshold": i.threshold,
                "comparison": i.comparison.value,
                "unit": i.unit,
                "choices": [{"value": c.value, "label": c.label, "points": c.points} for c in i.choices],
                "min_score": i.min_score,
                "max_score": i.max_score,
                "evidence_count": i.evidence_count,
            }
            for i in spec.indicators
        ],
    }


def stored(indicator: scoring.IndicatorSpec) -> st.SearchStrategy[Any]:
    typed = value_for(indicator).map(scores.to_json)
    return st.one_of(typed, typed, st.sampled_from(ODD), st.none())


@st.composite
def cases(draw: st.DrawFn) -> tuple[scoring.CriteriaSpec, list[dict[str, Any]]]:
    spec = draw(specs())
    villages = []
    for _ in VILLAGES:
        rows = {}
        for i in spec.indicators:
            if draw(st.integers(0, 9)) == 0:
                continue  # no row at all for this indicator
            rows[i.code] = {
                "self_value": draw(stored(i)),
                "town_value": draw(st.none() | stored(i)),
                "county_value": draw(st.none() | st.none() | stored(i)),
                "files": draw(st.integers(0, 3)),
            }
        villages.append(rows)
    return spec, villages


def stored_as(value: Any) -> Any:
    return Value(None, JSONField()) if value == JSON_NULL else value


def build(world: Any, spec: scoring.CriteriaSpec, villages: list[dict[str, Any]]) -> list[Assessment]:
    criteria_set = CriteriaSet.objects.create(county=world.unit("新野县"), year=2031, name="生成的标准")
    _write_content(criteria_set, as_data(spec))
    indicators = {i.code: i for i in Indicator.objects.filter(criteria_set=criteria_set)}
    made = []
    for name, rows in zip(VILLAGES, villages, strict=True):
        a = Assessment.objects.create(village=world.unit(name), year=2031, criteria_set=criteria_set)
        made.append(a)
        for code, row in rows.items():
            IndicatorValue.objects.create(
                assessment=a,
                indicator=indicators[code],
                **{column: stored_as(row[column]) for column in scores.COLUMNS},
            )
            for n in range(row["files"]):
                Evidence.objects.create(
                    assessment=a,
                    indicator=indicators[code],
                    file=f"uploads/test/{a.pk}-{code}-{n}.pdf",
                    original_name="材料.pdf",
                    content_type="application/pdf",
                    size=1,
                    sha256=f"{a.pk}{code}{n}",
                )
    # Files for an indicator without a value row still count for the reference: one such case per run.
    some = next((i for i in indicators.values() if i.kind == scoring.Kind.EVIDENCE), None)
    if some is not None and not IndicatorValue.objects.filter(assessment=made[0], indicator=some).exists():
        Evidence.objects.create(
            assessment=made[0],
            indicator=some,
            file="uploads/test/x.pdf",
            original_name="材料.pdf",
            content_type="application/pdf",
            size=1,
            sha256="orphan",
        )
    return made


def results(made: list[Assessment]) -> dict[int, tuple[int, Decimal, list[str]]]:
    rows = Assessment.objects.filter(pk__in=[a.pk for a in made]).values("id", "star_count", "points", "passed_stars")
    return {r["id"]: (r["star_count"], r["points"], r["passed_stars"]) for r in rows}


def summary_of(summary: scores.Summary) -> tuple[Any, ...]:
    return (summary.villages, dict(summary.by_count), dict(+summary.passes), summary.star_names)


# Each example rolls its rows back, so the world fixture is the same for every one.
@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cases())
def test_set_based_scores_agree_with_the_pure_reference(world, case) -> None:  # type: ignore[no-untyped-def]
    spec, villages = case
    with transaction.atomic():
        made = build(world, spec, villages)
        scope = Assessment.objects.unscoped("the test's own assessments").filter(year=2031)
        fast = scores.rescore(scope, 2031)
        got = results(made)
        Assessment.objects.filter(year=2031).update(star_count=99, points=999, passed_stars=["x"])
        reference = scores.rescore_each(list(scope), 2031)
        assert got == results(made)
        assert summary_of(fast) == summary_of(reference)
        transaction.set_rollback(True)


def test_odd_values_are_read_as_the_reference_reads_them_and_finer_points_go_to_the_reference(world) -> None:  # type: ignore[no-untyped-def]
    from xingyao.stars.tests.fixtures import published_set

    criteria_set = published_set(world)
    spec = criteria_set.to_spec()
    number = next(i for i in spec.indicators if i.kind is scoring.Kind.NUMBER)
    score = next(i for i in spec.indicators if i.kind is scoring.Kind.SCORE)
    a = Assessment.objects.create(village=world.unit("毛桥村"), year=2023, criteria_set=criteria_set)
    b = Assessment.objects.create(village=world.unit("庄营村"), year=2023, criteria_set=criteria_set)
    c = Assessment.objects.create(village=world.unit("施东村"), year=2023, criteria_set=criteria_set)
    by_code = {i.code: i for i in Indicator.objects.filter(criteria_set=criteria_set)}
    IndicatorValue.objects.create(assessment=a, indicator=by_code[number.code], self_value="1e3")  # 1000 to Python
    IndicatorValue.objects.create(assessment=b, indicator=by_code[score.code], county_value="0.125")
    IndicatorValue.objects.create(
        assessment=c, indicator=by_code[number.code], county_value=Value(None, JSONField()), self_value="1e3"
    )
    scope = Assessment.objects.unscoped("the test's own assessments").filter(year=2023)
    found, leftover = setscore.score_in_database(scope)
    assert sorted(leftover) == sorted([b.pk, c.pk])  # an eighth of a point; a reviewer's JSON null
    assert sum(sum(s.masks.values()) for s in found.values()) == 1
    a.refresh_from_db()
    assert a.points == number.points  # 1e3 = 1000 meets the threshold, as the reference reads it
    summary = scores.rescore(scope, 2023)
    assert summary.villages == 3
    b.refresh_from_db()
    c.refresh_from_db()
    assert b.points == Decimal("0.13")  # 0.125 points, stored to the cent by the reference path
    assert c.points == number.points  # the null is no value: the village's 1e3 counts


def test_a_rescoring_that_finds_the_same_result_leaves_the_row_alone(world) -> None:  # type: ignore[no-untyped-def]
    from xingyao.stars.tests.fixtures import published_set

    criteria_set = published_set(world)
    a = Assessment.objects.create(village=world.unit("毛桥村"), year=2023, criteria_set=criteria_set)
    scope = Assessment.objects.unscoped("the test's own assessments").filter(year=2023)
    scores.rescore(scope, 2023)
    a.refresh_from_db()
    first = a.scored_at
    assert first is not None
    scores.rescore(scope, 2023)
    a.refresh_from_db()
    assert a.scored_at == first
    Assessment.objects.filter(pk=a.pk).update(points=Decimal("99"))
    scores.rescore(scope, 2023)
    a.refresh_from_db()
    assert a.points == 0
    assert a.scored_at > first


def test_equal_json_written_differently_shares_a_key_and_goes_to_the_reference_when_it_reads_differently(world) -> None:  # type: ignore[no-untyped-def]
    """1 and 1.0 are equal JSON, so they hash alike; the reference reads 1 as “是” and 1.0 as no answer."""
    from xingyao.stars.tests.fixtures import published_set

    criteria_set = published_set(world)
    spec = criteria_set.to_spec()
    yes_no = next(i for i in spec.indicators if i.kind is scoring.Kind.BOOL and i.points > 0)
    indicator = Indicator.objects.get(criteria_set=criteria_set, code=yes_no.code)
    a = Assessment.objects.create(village=world.unit("毛桥村"), year=2023, criteria_set=criteria_set)
    b = Assessment.objects.create(village=world.unit("庄营村"), year=2023, criteria_set=criteria_set)
    IndicatorValue.objects.create(assessment=a, indicator=indicator, self_value=1)
    IndicatorValue.objects.create(assessment=b, indicator=indicator, self_value=1.0)
    scope = Assessment.objects.unscoped("the test's own assessments").filter(year=2023)
    _found, leftover = setscore.score_in_database(scope)
    assert sorted(leftover) == sorted([a.pk, b.pk])
    scores.rescore(scope, 2023)
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.points - b.points == yes_no.points  # 1 is “是” and earns the points; 1.0 reads as no answer


def test_a_row_of_another_sets_indicator_sends_its_village_to_the_reference_and_other_villages_stay_out(world) -> None:  # type: ignore[no-untyped-def]
    """The value rows are summed per assessment without the scope (every assessment between the scope's first and
    last id): an assessment outside the scope is neither written nor counted, and a row whose indicator belongs to
    another set (an older set's row left behind) is the reference path's to read."""
    from xingyao.stars.tests.fixtures import published_set

    criteria_set = published_set(world)
    other = published_set(world, year=2022)
    spec = criteria_set.to_spec()
    yes_no = next(i for i in spec.indicators if i.kind is scoring.Kind.BOOL and i.points > 0)
    mine = Indicator.objects.get(criteria_set=criteria_set, code=yes_no.code)
    stray = Indicator.objects.filter(criteria_set=other).first()
    a = Assessment.objects.create(village=world.unit("毛桥村"), year=2023, criteria_set=criteria_set)
    b = Assessment.objects.create(village=world.unit("庄营村"), year=2023, criteria_set=criteria_set)
    c = Assessment.objects.create(village=world.unit("施东村"), year=2023, criteria_set=criteria_set)
    for assessment in (a, b, c):
        IndicatorValue.objects.create(assessment=assessment, indicator=mine, self_value=True)
    IndicatorValue.objects.create(assessment=c, indicator=stray, self_value=True)
    Assessment.objects.filter(pk=b.pk).update(points=Decimal("77"))

    scope = Assessment.objects.unscoped("the test's own assessments").filter(pk__in=[a.pk, c.pk])
    found, leftover = setscore.score_in_database(scope)
    assert leftover == [c.pk]
    assert sum(sum(s.masks.values()) for s in found.values()) == 1  # a alone: b lies between, outside the scope
    b.refresh_from_db()
    assert b.points == Decimal("77")
    summary = scores.rescore(scope, 2023)
    assert summary.villages == 2
    a.refresh_from_db()
    c.refresh_from_db()
    assert a.points == c.points == yes_no.points  # the stray row is not of c's set: the reference leaves it out
