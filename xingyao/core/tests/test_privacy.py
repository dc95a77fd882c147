"""The masks and the one rule for who sees a person's contact."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xingyao.core.privacy import ContactRule, mask_name, mask_phone, name_for, phone_for, sees_contacts
from xingyao.core.roles import Action


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("张三", "张*"),
        ("王小明", "王**"),
        ("欧阳娜娜", "欧***"),
        ("李", "*"),
        (" 赵六 ", "赵*"),
        ("", ""),
        ("   ", ""),
        (None, ""),
        ("阿卜杜·热合曼", "阿******"),
    ],
)
def test_mask_name_keeps_only_the_first_character(name: str | None, masked: str) -> None:
    assert mask_name(name) == masked


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("13812345678", "138****5678"),
        (13812345678, "138****5678"),
        ("138 1234 5678", "138****5678"),
        ("138-1234-5678", "138****5678"),
        ("+86 138 1234 5678", "138****5678"),
        ("008613812345678", "138****5678"),
        ("１３８１２３４５６７８", "138****5678"),
        ("0377-61234567", "037****4567"),
        ("61234567", "****4567"),
        ("1234567", "****"),
        ("12", "****"),
        ("无", ""),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_phone(phone: str | int | None, masked: str) -> None:
    assert mask_phone(phone) == masked


mobiles = st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True)


@given(mobiles, st.sampled_from(["{}", "+86 {}", "86{}", "{} ", "tel:{}"]))
def test_masked_mobile_never_shows_the_middle_digits(mobile: str, template: str) -> None:
    masked = mask_phone(template.format(mobile))
    # Only the first three and last four digits survive; positions 4–7 are stars.
    assert masked == f"{mobile[:3]}****{mobile[7:]}"
    assert re.sub(r"\D", "", masked) == mobile[:3] + mobile[7:]


@given(st.text(max_size=30))
def test_mask_phone_shows_at_most_seven_digits_of_anything(text: str) -> None:
    masked = mask_phone(text)
    assert re.fullmatch(r"|(\d{3})?\*{4}(\d{4})?", masked)
    assert sum(char.isdigit() for char in masked) <= 7


@given(st.text(max_size=12))
def test_mask_name_keeps_the_length_and_hides_all_but_the_first(name: str) -> None:
    masked = mask_name(name)
    stripped = name.strip()
    assert len(masked) == len(stripped)
    if len(stripped) >= 2:
        assert masked[0] == stripped[0]
        assert set(masked[1:]) == {"*"}
    elif stripped:
        assert masked == "*"


def test_shown_values_are_the_real_ones_only_for_those_who_see_them() -> None:
    assert (name_for(True, "王大勇"), phone_for(True, "13812345678")) == ("王大勇", "13812345678")
    assert (name_for(False, "王大勇"), phone_for(False, "13812345678")) == ("王**", "138****5678")
    assert (name_for(True, None), phone_for(False, None)) == ("", "")


CASE_WORKERS = ContactRule(frozenset({Action.MANAGE}), departments=True)
CALLERS_BACK = ContactRule(frozenset({Action.REPORT, Action.MANAGE}))


@pytest.mark.parametrize(
    ("username", "rule", "sees"),
    [
        ("zhen", CASE_WORKERS, True),  # the town in charge works the case
        ("maoqiao", CASE_WORKERS, False),  # the village clerk does not
        ("wangge", CASE_WORKERS, False),
        ("lingdao", CASE_WORKERS, False),
        ("zhen_shenhe", CASE_WORKERS, False),
        ("paichusuo", CASE_WORKERS, True),  # a handler of a department on the record
        ("zhen", CALLERS_BACK, True),
        ("maoqiao", CALLERS_BACK, True),  # the village calls a resident back
        ("wangge", CALLERS_BACK, False),  # … his grid only (the record is the village's here)
        ("paichusuo", CALLERS_BACK, False),  # departments are not callers-back under this rule
        ("zhuangying", CALLERS_BACK, False),  # another village
    ],
)
def test_whoever_works_the_record_sees_its_contacts(world, username, rule, sees) -> None:
    village, department = world.unit("毛桥村"), world.unit("溧河铺派出所")
    assert sees_contacts(world.user(username), rule, village.prefix, [department.prefix]) is sees


def test_a_department_not_on_the_record_does_not_see_its_contacts(world) -> None:
    village = world.unit("毛桥村")
    assert not sees_contacts(world.user("paichusuo"), CASE_WORKERS, village.prefix, [])
