import pytest
from hypothesis import given
from hypothesis import strategies as st

from xingyao.places.codes import (
    CodeError,
    Kind,
    below_county,
    check_code,
    county_code,
    county_prefix,
    infer_kind,
    is_community,
    near_codes,
    parent_code,
    prefix_of,
    serves,
    town_code,
    village_code,
)


@pytest.mark.parametrize(
    ("code", "kind", "prefix", "parent"),
    [
        ("410000000000", Kind.PROVINCE, "41", None),
        ("411300000000", Kind.CITY, "4113", "410000000000"),
        ("411329000000", Kind.COUNTY, "411329", "411300000000"),
        ("411329107000", Kind.TOWN, "411329107", "411329000000"),
        ("411329107201", Kind.VILLAGE, "411329107201", "411329107000"),
        ("411329107201001", Kind.GRID, "411329107201001", "411329107201"),
        ("411329107201001002", Kind.MICROGRID, "411329107201001002", "411329107201001"),
        ("411329107000B01", Kind.DEPARTMENT, "411329107000B01", "411329107000"),
    ],
)
def test_codes_know_their_kind_prefix_and_parent(code, kind, prefix, parent):
    assert infer_kind(code) == kind
    assert prefix_of(code, kind) == prefix
    assert parent_code(code, kind) == parent


@pytest.mark.parametrize(
    ("code", "kind", "parent", "parent_kind", "message"),
    [
        ("41132910720", Kind.VILLAGE, "411329107000", Kind.TOWN, "12 位数字"),
        ("4113291072a1", Kind.VILLAGE, "411329107000", Kind.TOWN, "12 位数字"),
        ("411329104201", Kind.VILLAGE, "411329107000", Kind.TOWN, "没有延续"),
        ("411329107202001", Kind.GRID, "411329107201", Kind.VILLAGE, "没有延续"),
        ("41132910720100", Kind.GRID, "411329107201", Kind.VILLAGE, "3 位序号"),
        ("411329107201001", Kind.GRID, "411329107000", Kind.TOWN, "不能挂在"),
        ("411329107000", Kind.VILLAGE, "411329107000", Kind.TOWN, "不符"),
        ("411329107201", Kind.VILLAGE, None, None, "必须有上级"),
    ],
)
def test_bad_codes_are_refused_with_a_chinese_reason(code, kind, parent, parent_kind, message):
    with pytest.raises(CodeError, match=message):
        check_code(code, kind, parent, parent_kind)


digits = st.text(alphabet="0123456789", min_size=3, max_size=3).filter(lambda s: s != "000")


@given(town=digits, village=digits, grid=digits)
def test_every_descendant_code_starts_with_its_ancestors_prefix(town, village, grid):
    town_code = f"411329{town}000"
    village_code = f"411329{town}{village}"
    grid_code = village_code + grid
    check_code(village_code, Kind.VILLAGE, town_code, Kind.TOWN)
    check_code(grid_code, Kind.GRID, village_code, Kind.VILLAGE)
    assert grid_code.startswith(prefix_of(village_code, Kind.VILLAGE))
    assert village_code.startswith(prefix_of(town_code, Kind.TOWN))
    assert grid_code.startswith(prefix_of("411329000000", Kind.COUNTY))


@pytest.mark.parametrize(
    ("code", "county", "town", "village"),
    [
        ("411329000000", "411329000000", "411329000000", "411329000000"),
        ("411329107000", "411329000000", "411329107000", "411329107000"),
        ("411329107201", "411329000000", "411329107000", "411329107201"),
        ("411329107201001", "411329000000", "411329107000", "411329107201"),
        ("411329107201001002", "411329000000", "411329107000", "411329107201"),
        ("411329107000B01", "411329000000", "411329107000", "411329107000"),
        ("411329000000B03", "411329000000", "411329000000", "411329000000"),
    ],
)
def test_a_code_names_the_county_town_and_village_it_lies_in(code, county, town, village):
    assert county_code(code) == county
    assert county_prefix(code) == county[:6]
    assert town_code(code) == town
    assert village_code(code) == village
    assert near_codes(code) == (town, county)


@pytest.mark.parametrize(
    ("department", "code", "expected"),
    [
        ("411329107000B01", "411329107201001", True),  # the grid's own town
        ("411329000000B02", "411329107201001", True),  # its county
        ("411329104000B01", "411329107201001", False),  # another town of the county
        ("411330000000B01", "411329107201", False),  # another county
        ("411329107201", "411329107201001", False),  # a village is no department
        ("411329107000", "411329107201", False),  # nor is the town itself
    ],
)
def test_a_department_serves_only_units_of_its_own_town_or_county(department, code, expected):
    assert serves(department, code) is expected


@pytest.mark.parametrize(
    ("code", "community"),
    [("411329107001", True), ("411329107199", True), ("411329107200", False), ("411329107399", False)],
)
def test_a_village_code_below_200_names_a_community(code, community):
    assert is_community(code) is community


def test_the_digits_below_the_county_are_what_follows_its_six():
    assert below_county("411329107201") == "107201"
    assert below_county("411329107201001") == "107201001"
