"""Tables and properties for the pure scoring of a village against a criteria set."""

from __future__ import annotations

import dataclasses
import json
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xingyao.stars.example_2023_rural import example_2023_rural
from xingyao.stars.scoring import (
    Choice,
    Comparison,
    CriteriaSpec,
    IndicatorSpec,
    Kind,
    ReasonCode,
    StarSpec,
    Value,
    evaluate,
    fmt,
    score,
    to_spec,
    validate_spec,
    validate_value,
)

D = Decimal


def ind(code: str = "a.1", kind: Kind = Kind.BOOL, points: int = 10, **kw: object) -> IndicatorSpec:
    fields: dict[str, object] = {
        "code": code,
        "star_code": code.split(".")[0],
        "section": "一",
        "name": kw.pop("name", f"指标{code}"),
        "kind": kind,
        "points": D(points),
    }
    return IndicatorSpec(**fields, **kw)  # type: ignore[arg-type]


INCOME = ind("a.1", Kind.NUMBER, 20, name="集体经济收入", threshold=D(100000), unit="元")
PETITIONS = ind("a.2", Kind.NUMBER, 5, name="上访次数", threshold=D(0), comparison=Comparison.AT_MOST)
RATE = ind("a.3", Kind.NUMBER, 10, name="调处成功率", threshold=D(95), unit="%")
SECRETARY = ind(
    "a.4",
    Kind.CHOICE,
    20,
    name="书记评价",
    choices=(Choice("good", "好", D(20)), Choice("fair", "一般", D(8)), Choice("poor", "差", D(0))),
)
SECRETARY_STRICT = dataclasses.replace(SECRETARY, threshold=D(10))
SITE = ind("a.5", Kind.SCORE, 8, name="现场打分", max_score=D(10))
SITE_STRICT = dataclasses.replace(SITE, threshold=D(6))
PHOTOS = ind("a.6", Kind.EVIDENCE, 5, name="整治照片", evidence_count=3)
CENTRE = ind("a.7", Kind.BOOL, 10, name="一厅五室")


@pytest.mark.parametrize(
    ("indicator", "value", "met", "points"),
    [
        (CENTRE, True, True, 10),
        (CENTRE, False, False, 0),
        (CENTRE, None, False, 0),
        (INCOME, D(100000), True, 20),
        (INCOME, D(99999.99), False, 0),
        (INCOME, None, False, 0),
        (PETITIONS, D(0), True, 5),
        (PETITIONS, D(1), False, 0),
        (RATE, D(95), True, 10),
        (RATE, D("94.9"), False, 0),
        (SECRETARY, "good", True, 20),
        (SECRETARY, "fair", True, 8),
        (SECRETARY, "poor", False, 0),
        (SECRETARY_STRICT, "fair", False, 8),
        (SECRETARY_STRICT, "good", True, 20),
        (SITE, D(7), True, 7),
        (SITE, D(10), True, 8),  # capped at the indicator's points
        (SITE, D(0), False, 0),
        (SITE_STRICT, D(5), False, 5),
        (SITE_STRICT, D(6), True, 6),
        (PHOTOS, 2, False, 0),
        (PHOTOS, 3, True, 5),
        (PHOTOS, 7, True, 5),
    ],
)
def test_indicator_is_met_and_earns_points(
    indicator: IndicatorSpec, value: Value | None, met: bool, points: int
) -> None:
    result = evaluate(indicator, value)
    assert (result.met, result.points) == (met, D(points))


@pytest.mark.parametrize(
    ("indicator", "raw", "expected"),
    [
        (CENTRE, True, True),
        (CENTRE, "是", True),
        (CENTRE, "否", False),
        (CENTRE, "false", False),
        (CENTRE, 1, True),
        (CENTRE, "", None),
        (CENTRE, None, None),
        (INCOME, "120,000", D(120000)),
        (INCOME, 3.5, D("3.5")),
        (INCOME, 7, D(7)),
        (RATE, "100", D(100)),
        (SECRETARY, " fair ", "fair"),
        (SITE, "9.5", D("9.5")),
        (PHOTOS, "4", 4),
        (PHOTOS, D(0), 0),
    ],
)
def test_raw_values_are_converted_to_typed_values(
    indicator: IndicatorSpec, raw: object, expected: Value | None
) -> None:
    value = validate_value(indicator, raw)
    assert value == expected and type(value) is type(expected)


@pytest.mark.parametrize(
    ("indicator", "raw", "message"),
    [
        (INCOME, "十万", "「集体经济收入」应为数字"),
        (INCOME, True, "「集体经济收入」应为数字"),
        (INCOME, "NaN", "「集体经济收入」应为数字"),
        (INCOME, -1, "「集体经济收入」不能为负数"),
        (RATE, 101, "「调处成功率」应在 0% 到 100% 之间"),
        (CENTRE, "maybe", "「一厅五室」应为“是”或“否”"),
        (CENTRE, 2, "「一厅五室」应为“是”或“否”"),
        (SECRETARY, "great", "「书记评价」的选项「great」无效，可选：好、一般、差"),
        (SITE, 11, "「现场打分」得分应在 0 到 10 之间"),
        (SITE, "-1", "「现场打分」得分应在 0 到 10 之间"),
        (SITE, "高", "「现场打分」的得分应为数字"),
        (PHOTOS, "2.5", "「整治照片」的佐证材料数量应为非负整数"),
        (PHOTOS, -3, "「整治照片」的佐证材料数量应为非负整数"),
    ],
)
def test_wrong_values_are_rejected_in_chinese(indicator: IndicatorSpec, raw: object, message: str) -> None:
    with pytest.raises(ValueError) as excinfo:
        validate_value(indicator, raw)
    assert str(excinfo.value) == message


# --- validating a spec ----------------------------------------------------------------------------

BRANCH = StarSpec("a", "支部过硬星", 1, min_points=D(60))
INDUSTRY = StarSpec("b", "产业兴旺星", 2, prerequisites=("a",))


def spec_of(*stars: StarSpec, indicators: tuple[IndicatorSpec, ...] | None = None) -> CriteriaSpec:
    if indicators is None:
        indicators = tuple(ind(f"{s.code}.1") for s in stars)
    return CriteriaSpec(stars=stars, indicators=indicators)


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (spec_of(), "评定标准至少要有一颗星"),
        (spec_of(BRANCH, BRANCH), "星的编码重复：a"),
        (spec_of(BRANCH, indicators=(ind("a.1"), ind("a.1"))), "指标编码重复：a.1"),
        (spec_of(INDUSTRY, indicators=(ind("b.1"),)), "「产业兴旺星」的前置星「a」不存在"),
        (spec_of(BRANCH, indicators=(ind("x.1"),)), "指标「指标x.1」（x.1）所属的星「x」不存在"),
        (spec_of(BRANCH, INDUSTRY, indicators=(ind("a.1"),)), "「产业兴旺星」没有任何指标"),
        (
            spec_of(dataclasses.replace(BRANCH, prerequisites=("b",)), INDUSTRY),
            "前置星存在循环依赖：支部过硬星、产业兴旺星",
        ),
        (spec_of(dataclasses.replace(BRANCH, prerequisites=("a",))), "「支部过硬星」不能以自身为前置星"),
        (
            spec_of(BRANCH, indicators=(ind("a.1", Kind.NUMBER),)),
            "指标「指标a.1」（a.1）是数值指标，必须设置达标值",
        ),
        (
            spec_of(BRANCH, indicators=(ind("a.1", Kind.CHOICE),)),
            "指标「指标a.1」（a.1）是选项指标，必须设置选项",
        ),
        (
            spec_of(BRANCH, indicators=(ind("a.1", Kind.CHOICE, choices=(Choice("x", "X", D(11)),)),)),
            "指标「指标a.1」（a.1）的选项分值应在 0 到 10 之间",
        ),
        (spec_of(BRANCH, indicators=(ind("a.1", points=-1),)), "指标「指标a.1」（a.1）的分值不能为负数"),
        (
            spec_of(BRANCH, indicators=(ind("a.1", Kind.EVIDENCE, evidence_count=0),)),
            "指标「指标a.1」（a.1）要求的佐证材料数量至少为 1",
        ),
    ],
)
def test_inconsistent_specs_are_rejected_in_chinese(spec: CriteriaSpec, message: str) -> None:
    with pytest.raises(ValueError) as excinfo:
        validate_spec(spec)
    assert str(excinfo.value) == message


def test_three_star_cycle_is_rejected() -> None:
    stars = (
        StarSpec("a", "甲", 1, prerequisites=("c",)),
        StarSpec("b", "乙", 2, prerequisites=("a",)),
        StarSpec("c", "丙", 3, prerequisites=("b",)),
        StarSpec("d", "丁", 4),
    )
    with pytest.raises(ValueError, match=r"循环依赖：甲、乙、丙$"):
        validate_spec(spec_of(*stars))


# --- scoring a small spec ----------------------------------------------------------------------------

SMALL = CriteriaSpec(
    stars=(
        StarSpec("a", "支部过硬星", 1, min_points=D(60)),
        StarSpec("b", "平安法治星", 2, prerequisites=("a",)),
        StarSpec("c", "文明幸福星", 3, require_all_required=False),
    ),
    indicators=(
        ind("a.1", Kind.SCORE, 50, name="班子评价", max_score=D(50)),
        ind("a.2", Kind.BOOL, 50, name="三会一课", required=True),
        ind("b.1", Kind.BOOL, 10, name="零上访", veto=True),
        ind("b.2", Kind.BOOL, 10, name="诉前调解", required=True),
        ind("c.1", Kind.BOOL, 10, name="一厅五室", required=True),
    ),
)


@pytest.mark.parametrize(
    ("values", "passed", "reasons"),
    [
        ({"a.1": 50, "a.2": True, "b.1": True, "b.2": True}, "abc", {}),
        (
            {"a.1": 9, "a.2": True, "b.1": True, "b.2": True},
            "c",
            {"a": ["得分 59 低于 60 分"], "b": ["前置星 支部过硬星 未评上"]},
        ),
        (
            {"a.1": 2, "a.2": True, "b.1": True, "b.2": True},
            "c",
            {"a": ["得分 52 低于 60 分"], "b": ["前置星 支部过硬星 未评上"]},
        ),
        (
            {"a.1": "9.5", "a.2": False},
            "c",
            {
                "a": ["必备指标未达标：「三会一课」", "得分 9.5 低于 60 分"],
                "b": [
                    "一票否决：「零上访」未达标",
                    "必备指标未达标：「诉前调解」",
                    "前置星 支部过硬星 未评上",
                ],
            },
        ),
        ({"a.1": 50, "a.2": True, "b.1": False, "b.2": True}, "ac", {"b": ["一票否决：「零上访」未达标"]}),
        ({"a.1": 50, "a.2": True, "b.1": True}, "ac", {"b": ["必备指标未达标：「诉前调解」"]}),
    ],
)
def test_stars_pass_or_fail_with_reasons(values: dict[str, object], passed: str, reasons: dict[str, list[str]]) -> None:
    result = score(SMALL, values)
    assert "".join(result.passed_codes) == passed
    assert result.star_count == len(passed)
    for star in result.stars:
        assert [r.message for r in star.reasons] == reasons.get(star.star_code, [])


def test_a_low_score_of_60_exactly_passes_but_59_does_not() -> None:
    base = {"a.2": True, "b.1": True, "b.2": True}
    assert score(SMALL, {**base, "a.1": 10}).star("a").passed
    failed = score(SMALL, {**base, "a.1": 9}).star("a")
    assert not failed.passed
    assert failed.points == D(59) and failed.max_points == D(100)
    assert [(r.code, r.subject) for r in failed.reasons] == [(ReasonCode.POINTS, "a")]


def test_required_indicators_are_ignored_when_the_star_does_not_require_them() -> None:
    result = score(SMALL, {})
    assert result.passed_codes == ("c",)
    assert result.star("c").points == 0


def test_unknown_indicator_codes_are_rejected() -> None:
    with pytest.raises(ValueError, match=r"未知指标：z\.9"):
        score(SMALL, {"z.9": True})


def test_invalid_value_stops_scoring() -> None:
    with pytest.raises(ValueError, match="「三会一课」应为“是”或“否”"):
        score(SMALL, {"a.2": "也许"})


@pytest.mark.parametrize(("number", "text"), [(D("52.00"), "52"), (D("52.50"), "52.5"), (D(100), "100")])
def test_numbers_in_messages_have_no_trailing_zeros(number: Decimal, text: str) -> None:
    assert fmt(number) == text


# --- the 2023 example ---------------------------------------------------------------------------------

EXAMPLE = to_spec(example_2023_rural())

EXPECTED_SOURCES = {
    "branch.2.1": "partylife.three_meetings_count",
    "branch.2.2": "partylife.theme_days_count",
    "branch.3.1": "partylife.development_count",
    "branch.3.2": "ledgers.rectification_closed",
    "industry.1.1": "economy.collective_income",
    "industry.1.2": "economy.collective_income_growth",
    "industry.2.1": "economy.specialty_industry_area",
    "industry.2.2": "economy.specialty_brand",
    "industry.3.1": "economy.projects_introduced",
    "industry.3.2": "economy.enterprise_requests_solved_rate",
    "ecology.1.1": "livability.road_metres",
    "ecology.1.2": "livability.drain_metres",
    "ecology.3.1": "inspections.ecology_score",
    "safety.1.1": "disputes.success_rate",
    "safety.1.2": "disputes.pre_litigation_count",
    "safety.2.1": "grid.events_closed_on_time_rate",
    "safety.3.1": "disputes.zero_petitions",
    "safety.3.2": "disputes.zero_accidents",
    "safety.3.3": "disputes.zero_cases",
    "civility.2.1": "livability.activities_count",
    "ecology.2.1": "livability.toilet_coverage_rate",
    "ecology.2.2": "livability.cleanups_photographed_count",
    "safety.2.2": "livability.law_count",
    "civility.1.1": "livability.centre_complete",
    "civility.1.2": "livability.services_on_time_rate",
    "civility.2.2": "livability.honour_level",
    "civility.3.1": "livability.care_count",
}


def best_value(indicator: IndicatorSpec) -> Value:
    """A value that meets the indicator and earns its full points."""
    match indicator.kind:
        case Kind.BOOL:
            return True
        case Kind.NUMBER:
            assert indicator.threshold is not None
            return indicator.threshold
        case Kind.CHOICE:
            return max(indicator.choices, key=lambda c: c.points).value
        case Kind.SCORE:
            return indicator.max_score if indicator.max_score is not None else indicator.points
        case Kind.EVIDENCE:
            return indicator.evidence_count
    raise AssertionError(indicator.kind)


def all_met(spec: CriteriaSpec) -> dict[str, Value]:
    return {i.code: best_value(i) for i in spec.indicators}


def test_example_is_json_and_has_the_expected_shape() -> None:
    data = example_2023_rural()
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data
    assert (data["year"], data["kind"]) == (2023, "village")
    assert [s.name for s in EXAMPLE.stars] == [
        "支部过硬星",
        "产业兴旺星",
        "生态宜居星",
        "平安法治星",
        "文明幸福星",
    ]
    assert len(EXAMPLE.indicators) == 29
    for star in EXAMPLE.stars:
        assert len({i.section for i in EXAMPLE.indicators_of(star.code)}) == 3
        assert star.prerequisites == (() if star.code == "branch" else ("branch",))
    assert EXAMPLE.star("branch").min_points == 60
    vetoes = {i.code for i in EXAMPLE.indicators if i.veto}
    assert {"safety.3.1", "safety.3.2", "safety.3.3"} <= vetoes


def test_example_binds_the_agreed_data_sources() -> None:
    bound = {i.code: i.data_source for i in EXAMPLE.indicators if i.data_source}
    assert bound == EXPECTED_SOURCES


def test_example_village_meeting_everything_gets_five_stars() -> None:
    result = score(EXAMPLE, all_met(EXAMPLE))
    assert result.star_count == 5
    assert all(s.points == s.max_points == 100 for s in result.stars)


def test_example_village_failing_the_branch_star_gets_no_star() -> None:
    values = all_met(EXAMPLE) | {"branch.3.2": False}
    result = score(EXAMPLE, values)
    assert result.star_count == 0
    assert [r.message for r in result.star("industry").reasons] == ["前置星 支部过硬星 未评上"]


def test_example_village_with_a_petition_loses_only_the_safety_star() -> None:
    result = score(EXAMPLE, all_met(EXAMPLE) | {"safety.3.1": "否"})
    assert result.passed_codes == ("branch", "industry", "ecology", "civility")
    assert [r.message for r in result.star("safety").reasons] == ["一票否决：「零上访」未达标"]


def test_example_branch_star_fails_below_60_points() -> None:
    # The required items alone (secretary graded 较好 14 + meetings 20 + rectification 25) make 59.
    values = {"branch.1.1": "fair", "branch.2.1": 12, "branch.3.2": True}
    assert score(EXAMPLE, values).star("branch").passed is False
    assert score(EXAMPLE, values).star("branch").points == 59
    assert score(EXAMPLE, values | {"branch.2.2": 12}).star("branch").passed


# --- properties over random specs ---------------------------------------------------------------------

small_decimals = st.integers(0, 30).map(Decimal)


@st.composite
def indicators(draw: st.DrawFn, code: str, star_code: str) -> IndicatorSpec:
    kind = draw(st.sampled_from(list(Kind)))
    points = draw(small_decimals)
    extra: dict[str, object] = {}
    if kind is Kind.NUMBER:
        extra["threshold"] = draw(small_decimals)
        extra["comparison"] = draw(st.sampled_from(list(Comparison)))
    elif kind is Kind.CHOICE:
        options = draw(st.lists(st.integers(0, int(points)), min_size=1, max_size=3))
        extra["choices"] = tuple(Choice(f"o{n}", f"选项{n}", D(p)) for n, p in enumerate(options))
        extra["threshold"] = draw(st.none() | small_decimals)
    elif kind is Kind.SCORE:
        extra["max_score"] = draw(st.none() | small_decimals)
        extra["threshold"] = draw(st.none() | small_decimals)
    elif kind is Kind.EVIDENCE:
        extra["evidence_count"] = draw(st.integers(1, 3))
    return IndicatorSpec(
        code=code,
        star_code=star_code,
        section="一",
        name=code,
        kind=kind,
        points=points,
        required=draw(st.booleans()),
        veto=draw(st.booleans()),
        **extra,  # type: ignore[arg-type]
    )


@st.composite
def specs(draw: st.DrawFn) -> CriteriaSpec:
    count = draw(st.integers(1, 4))
    codes = [f"s{n}" for n in range(count)]
    orders = draw(st.permutations(range(count)))
    stars = []
    for n, code in enumerate(codes):
        earlier = codes[:n]
        prerequisites = draw(st.lists(st.sampled_from(earlier), unique=True)) if earlier else []
        stars.append(
            StarSpec(
                code=code,
                name=f"星{n}",
                order=orders[n],
                min_points=draw(st.none() | st.integers(0, 60).map(Decimal)),
                require_all_required=draw(st.booleans()),
                prerequisites=tuple(prerequisites),
            )
        )
    items = [draw(indicators(f"{code}.{k}", code)) for code in codes for k in range(draw(st.integers(1, 4)))]
    return CriteriaSpec(stars=tuple(stars), indicators=tuple(items))


def value_for(indicator: IndicatorSpec) -> st.SearchStrategy[Value | None]:
    match indicator.kind:
        case Kind.BOOL:
            some: st.SearchStrategy[Value] = st.booleans()
        case Kind.NUMBER:
            some = small_decimals
        case Kind.CHOICE:
            some = st.sampled_from([c.value for c in indicator.choices])
        case Kind.SCORE:
            top = int(indicator.max_score if indicator.max_score is not None else indicator.points)
            some = st.integers(0, top).map(Decimal)
        case Kind.EVIDENCE:
            some = st.integers(0, 4)
    return st.none() | some


@st.composite
def spec_and_values(draw: st.DrawFn) -> tuple[CriteriaSpec, dict[str, Value | None]]:
    spec = draw(specs())
    return spec, {i.code: draw(value_for(i)) for i in spec.indicators}


@settings(max_examples=150)  # small sets (≤ 4 stars of ≤ 4 indicators): 150 cover every kind and rule
@given(spec_and_values())
def test_star_count_matches_passed_stars_and_points_stay_within_max(
    case: tuple[CriteriaSpec, dict[str, Value | None]],
) -> None:
    spec, values = case
    result = score(spec, values)
    assert result.star_count == sum(s.passed for s in result.stars) == len(result.passed_codes)
    assert [s.star_code for s in result.stars] == [s.code for s in sorted(spec.stars, key=lambda s: s.order)]
    for star in result.stars:
        assert 0 <= star.points <= star.max_points
        assert star.passed == (not star.reasons)
    for indicator in spec.indicators:
        assert 0 <= result.indicator(indicator.code).points <= indicator.max_points <= indicator.points


@settings(max_examples=150)  # small sets (≤ 4 stars of ≤ 4 indicators): 150 cover every kind and rule
@given(spec_and_values())
def test_passed_stars_have_all_prerequisites_passed(
    case: tuple[CriteriaSpec, dict[str, Value | None]],
) -> None:
    spec, values = case
    result = score(spec, values)
    for star in spec.stars:
        if result.star(star.code).passed:
            assert set(star.prerequisites) <= set(result.passed_codes)


@settings(max_examples=150)  # small sets (≤ 4 stars of ≤ 4 indicators): 150 cover every kind and rule
@given(spec_and_values())
def test_a_fired_veto_always_denies_its_star(case: tuple[CriteriaSpec, dict[str, Value | None]]) -> None:
    spec, values = case
    result = score(spec, values)
    for indicator in spec.indicators:
        if indicator.veto and not result.indicator(indicator.code).met:
            star = result.star(indicator.star_code)
            assert not star.passed
            assert (ReasonCode.VETO, indicator.code) in [(r.code, r.subject) for r in star.reasons]


@settings(max_examples=150)  # small sets (≤ 4 stars of ≤ 4 indicators): 150 cover every kind and rule
@given(spec_and_values(), st.data())
def test_meeting_more_indicators_never_loses_a_star(
    case: tuple[CriteriaSpec, dict[str, Value | None]], data: st.DataObject
) -> None:
    spec, values1 = case
    improved = data.draw(st.sets(st.sampled_from([i.code for i in spec.indicators])))
    values2 = {i.code: best_value(i) if i.code in improved else values1[i.code] for i in spec.indicators}
    first, second = score(spec, values1), score(spec, values2)
    for r1, r2 in zip(first.indicators, second.indicators, strict=True):
        assert r1.met <= r2.met and r1.points <= r2.points  # the premise: values2 is no worse anywhere
    assert set(first.passed_codes) <= set(second.passed_codes)


@settings(max_examples=100)
@given(specs())
def test_meeting_everything_passes_every_star_that_can_reach_its_minimum(spec: CriteriaSpec) -> None:
    result = score(spec, all_met(spec))
    reachable_and_meetable = {
        s.code
        for s in spec.stars
        if (s.min_points is None or result.star(s.code).max_points >= s.min_points)
        and all(result.indicator(i.code).met for i in spec.indicators_of(s.code) if i.veto)
        and (
            not s.require_all_required
            or all(result.indicator(i.code).met for i in spec.indicators_of(s.code) if i.required)
        )
    }
    for star in spec.stars:
        if star.code in reachable_and_meetable and set(star.prerequisites) <= set(result.passed_codes):
            assert result.star(star.code).passed
        assert result.star(star.code).points == result.star(star.code).max_points


@given(spec_and_values())
def test_typed_values_validate_to_themselves(case: tuple[CriteriaSpec, dict[str, Value | None]]) -> None:
    spec, values = case
    for indicator in spec.indicators:
        assert validate_value(indicator, values[indicator.code]) == values[indicator.code]
        if values[indicator.code] is not None and indicator.kind is not Kind.BOOL:
            assert validate_value(indicator, str(values[indicator.code])) == values[indicator.code]
