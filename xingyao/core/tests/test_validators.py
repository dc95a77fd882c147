"""The shared input checks: one answer for the same bad value, wherever it comes from."""

from decimal import Decimal

import pytest
from django import forms
from hypothesis import given
from hypothesis import strategies as st

from xingyao.core.errors import ActionError
from xingyao.core.validators import (
    as_form_validator,
    clean_amount,
    clean_coordinates,
    clean_phone,
    clean_text,
    in_china,
    is_phone,
)


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("13812345678", "13812345678"),
        (" 138 1234 5678 ", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("008613812345678", "13812345678"),
        ("１３８１２３４５６７８", "13812345678"),
        (13812345678, "13812345678"),
        (13812345678.0, "13812345678"),  # a spreadsheet cell read as a number
        ("0377-6212345", "03776212345"),
        ("(010) 62123456", "01062123456"),
        ("6212345", "6212345"),
        ("", ""),
        (None, ""),
    ],
)
def test_phone_numbers_are_normalised_to_digits(raw, cleaned) -> None:
    assert clean_phone(raw) == cleaned


@pytest.mark.parametrize("raw", ["12ab", "1", "12345", "12812345678", "1381234567", "138123456789", "0123", "无"])
def test_what_is_not_a_phone_number_is_refused_in_chinese(raw) -> None:
    with pytest.raises(ActionError, match="应为 11 位手机号或带区号的固定电话") as caught:
        clean_phone(raw, "联系电话", "contact_phone")
    assert caught.value.field == "contact_phone"


def test_a_required_phone_must_be_given() -> None:
    with pytest.raises(ActionError, match="请填写手机号"):
        clean_phone("  ", "手机号", required=True)


@given(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True))
def test_every_mobile_number_passes(mobile: str) -> None:
    assert is_phone(mobile) and clean_phone(f"+86 {mobile[:3]} {mobile[3:7]} {mobile[7:]}") == mobile


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "请填写标题"),
        ("   ", "请填写标题"),
        ("a" * 11, "标题不能超过 10 个字"),
        ("路灯\x00", "控制字符"),
        ("路\u200b灯", "控制字符"),
        ("第一行\n第二行", "控制字符"),  # one-line text
    ],
)
def test_bad_text_is_refused_with_the_label(raw, message) -> None:
    with pytest.raises(ActionError, match=message):
        clean_text(raw, "标题", "title", limit=10)


def test_text_is_trimmed_and_lines_are_kept_where_allowed() -> None:
    assert clean_text("  路灯不亮 ", "标题", limit=10) == "路灯不亮"
    assert clean_text("第一行\r\n\t第二行\n", "描述", limit=20, lines=True) == "第一行\n\t第二行"
    assert clean_text(None, "地点", limit=10, required=False) == ""


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("12.5", Decimal("12.50")),
        ("1,234.567", Decimal("1234.57")),
        ("１２", Decimal("12.00")),
        (Decimal("0"), Decimal("0.00")),
        (3, Decimal("3.00")),
        ("", None),
        (None, None),
    ],
)
def test_amounts_are_decimals_rounded_to_two_places(raw, cleaned) -> None:
    assert clean_amount(raw, "投资额（万元）") == cleaned


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("abc", "应为数字"),
        ("NaN", "应为数字"),
        ("Infinity", "应为数字"),
        ("1e5", "应为数字"),
        ("-1", "不能为负数"),
        ("100000000", "超出范围"),
    ],
)
def test_bad_amounts_are_refused(raw, message) -> None:
    with pytest.raises(ActionError, match=message):
        clean_amount(raw, "投资额（万元）", "amount")


def test_the_upper_bound_of_an_amount_is_chosen_by_the_record() -> None:
    assert clean_amount("9999999999.99", "涉及金额", maximum=Decimal("10000000000")) == Decimal("9999999999.99")
    with pytest.raises(ActionError):
        clean_amount("10000000000", "涉及金额", maximum=Decimal("10000000000"))


def test_coordinates_come_in_pairs_inside_china() -> None:
    assert clean_coordinates("32.5012", "112.3601") == (Decimal("32.501200"), Decimal("112.360100"))
    assert clean_coordinates("", None) == (None, None)
    with pytest.raises(ActionError, match="定位信息不完整"):
        clean_coordinates("32.5", "")
    with pytest.raises(ActionError, match="不在我国境内"):
        clean_coordinates("112.36", "32.50")  # swapped
    with pytest.raises(ActionError, match="不在我国境内"):
        clean_coordinates("0", "0")
    with pytest.raises(ActionError, match="格式不正确"):
        clean_coordinates("北纬32度", "112.36")
    assert in_china(Decimal("32.5"), Decimal("112.3")) and not in_china(Decimal("48.85"), Decimal("2.35"))


def test_a_form_field_shows_the_same_message() -> None:
    class PhoneForm(forms.Form):
        phone = forms.CharField(validators=[as_form_validator(clean_phone, "手机号")])

    form = PhoneForm({"phone": "12ab"})
    assert not form.is_valid()
    assert "手机号「12ab」应为 11 位手机号或带区号的固定电话" in form.errors["phone"]
