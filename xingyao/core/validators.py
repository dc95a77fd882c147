"""Checks every record's input goes through: text, phone numbers, amounts, coordinates. Pure, no ORM.

Each `clean_*` returns the normalised value or raises `ActionError` with a Chinese message naming the field, so
actions (the one place input is checked), forms (`as_form_validator`), API payloads and imports (`cell_error`) give
the same answer for the same bad value.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError

from xingyao.core.errors import ActionError

# Control characters (C0, DEL, C1) and the invisible format characters pasted from chat apps (zero-width space,
# bidi overrides) that make two equal-looking texts differ; tab and newline are allowed where text has lines.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
_CONTROL_ONE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")


def clean_text(
    value: Any, label: str, field: str | None = None, *, limit: int, required: bool = True, lines: bool = False
) -> str:
    """Trimmed text of at most `limit` characters without control characters; `lines` allows newlines and tabs."""
    text = "" if value is None else str(value)
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if (_CONTROL if lines else _CONTROL_ONE_LINE).search(text):
        raise ActionError(f"{label}含有不可见的控制字符，请删除后重新填写", field)
    if required and not text:
        raise ActionError(f"请填写{label}", field)
    if len(text) > limit:
        raise ActionError(f"{label}不能超过 {limit} 个字", field)
    return text


_PHONE_SEPARATORS = re.compile(r"[\s\-()（）]")
_COUNTRY = re.compile(r"^(?:\+86|0086|86)(?=1\d{10}$)")
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
# A fixed line: 7–8 digits, or with its area code (0 + 2–3 digits); 95xxx/96xxx service numbers are 5 digits and
# are not a person's contact.
_LANDLINE = re.compile(r"^(?:0\d{2,3})?[2-9]\d{6,7}$")


def normal_phone(value: Any) -> str:
    """Digits as typed on any keyboard (full-width digits, spaces, dashes, brackets, +86 dropped)."""
    text = unicodedata.normalize("NFKC", "" if value is None else str(value)).strip()
    if isinstance(value, float) and value.is_integer():  # a spreadsheet cell read as a number
        text = str(int(value))
    return _COUNTRY.sub("", _PHONE_SEPARATORS.sub("", text))


def is_phone(digits: str) -> bool:
    """The one rule for a phone number: an 11-digit mobile (1[3-9]…) or a fixed line with or without area code."""
    return bool(_MOBILE.match(digits) or _LANDLINE.match(digits))


def clean_phone(value: Any, label: str = "联系电话", field: str | None = "phone", *, required: bool = False) -> str:
    """A phone number normalised to its digits ("" when not given and not required)."""
    digits = normal_phone(value)
    if not digits:
        if required:
            raise ActionError(f"请填写{label}", field)
        return ""
    if not is_phone(digits):
        raise ActionError(f"{label}「{digits[:20]}」应为 11 位手机号或带区号的固定电话", field)
    return digits


def clean_amount(
    value: Any,
    label: str,
    field: str | None = None,
    *,
    places: int = 2,
    maximum: Decimal = Decimal("100000000"),
    required: bool = False,
) -> Decimal | None:
    """A non-negative amount rounded to `places` decimals and below `maximum` (万元 by default: up to 1 万亿).

    Thousands separators and full-width digits are accepted; NaN, infinities and exponents are not amounts.
    """
    text = unicodedata.normalize("NFKC", "" if value is None else str(value)).strip().replace(",", "")
    if not text:
        if required:
            raise ActionError(f"请填写{label}", field)
        return None
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", text):
        raise ActionError(f"{label}应为数字", field)
    try:
        amount = Decimal(text).quantize(Decimal(1).scaleb(-places))
    except InvalidOperation:
        raise ActionError(f"{label}超出范围", field) from None
    if amount < 0:
        raise ActionError(f"{label}不能为负数", field)
    if amount >= maximum:
        raise ActionError(f"{label}超出范围（应小于 {maximum:,}）", field)
    return amount


# China's extent with a margin (曾母暗沙 ~3.9°N, 漠河 ~53.6°N, 帕米尔 ~73.5°E, 抚远 ~135.1°E): a point outside is a
# swapped pair, a phone reporting 0,0 or a location abroad, never a village.
LATITUDE_RANGE = (Decimal("3.5"), Decimal("54"))
LONGITUDE_RANGE = (Decimal("73"), Decimal("136"))


def _degrees(value: Any, label: str, field: str | None, bounds: tuple[Decimal, Decimal]) -> Decimal | None:
    text = unicodedata.normalize("NFKC", "" if value is None else str(value)).strip()
    if not text:
        return None
    try:
        degrees = Decimal(text).quantize(Decimal("0.000001"))
    except InvalidOperation:
        raise ActionError(f"{label}格式不正确", field) from None
    if not degrees.is_finite() or not bounds[0] <= degrees <= bounds[1]:
        raise ActionError(f"{label}不在我国境内，请重新获取位置", field)
    return degrees


def clean_coordinates(
    latitude: Any, longitude: Any, field: str | None = "latitude"
) -> tuple[Decimal, Decimal] | tuple[None, None]:
    """Both coordinates (degrees, 6 decimals, inside China) or neither."""
    lat = _degrees(latitude, "纬度", field, LATITUDE_RANGE)
    lng = _degrees(longitude, "经度", field, LONGITUDE_RANGE)
    if lat is None and lng is None:
        return None, None
    if lat is None or lng is None:
        raise ActionError("定位信息不完整，请重新获取位置", field)
    return lat, lng


def in_china(latitude: Decimal | None, longitude: Decimal | None) -> bool:
    """Whether a position (an EXIF GPS tag, say) lies within China's extent."""
    if latitude is None or longitude is None:
        return False
    return LATITUDE_RANGE[0] <= latitude <= LATITUDE_RANGE[1] and LONGITUDE_RANGE[0] <= longitude <= LONGITUDE_RANGE[1]


def as_form_validator(clean: Callable[..., Any], *args: Any, **kwargs: Any) -> Callable[[Any], None]:
    """A Django form/model validator that applies `clean` and shows its Chinese message on the field."""

    def validate(value: Any) -> None:
        try:
            clean(value, *args, **kwargs)
        except ActionError as exc:
            raise ValidationError(exc.message) from None

    return validate


def cell_problem(clean: Callable[..., Any], value: Any, *args: Any, **kwargs: Any) -> str | None:
    """For imports, which collect every bad cell before refusing: the message `clean` gives, or None."""
    try:
        clean(value, *args, **kwargs)
    except ActionError as exc:
        return exc.message
    return None
