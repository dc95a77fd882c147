"""Figures written the way officials write them in a briefing (通报). Pure, no Django.

- `exact(n)`: counts of cases and objects, and named examples, as they are: “44”, “73”, “430”, “1280”.
- `about(n)`: a total of metres, square metres, 亩 or people: a round figure stays as it is (“4500”, “2500”), any
  other is cut down to a round one with 余 (“8000余” for 8,120, “1000余” for 1,060, “4500余” for 4,560), and ten
  thousands are counted in 万 to one decimal (“1.3万余” for 13,250; “2万” for 20,000). Below 100 every figure is exact.
- `months(start, end)`: how long something took, in whole months as a briefing says it (“3个月”).

Cutting never rounds up: a briefing may say less than the records hold, never more.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

WAN = 10_000
_DAYS_PER_MONTH = Decimal("30.44")


def _plain(value: Decimal) -> str:
    """A decimal without a trailing “.0”: 430.0 → “430”, 12.50 → “12.5”."""
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


def exact(value: int | Decimal) -> str:
    """The figure as recorded, to at most one decimal place."""
    number = Decimal(value)
    if number < 0:
        raise ValueError("简报数字不能为负数")
    return _plain(number.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _cut(number: Decimal) -> Decimal:
    """The round figure a total is cut down to: its leading digit, and a half of the next place when the second
    digit reaches 5 (8,120 → 8000, 4,560 → 4500, 1,060 → 1000). A floor onto fixed steps, so a larger total is never
    cut to a smaller figure."""
    leading = Decimal(10) ** (len(str(int(number))) - 1)
    whole = (number / leading).to_integral_value(rounding=ROUND_DOWN) * leading
    half = whole + leading / 2
    return half if number >= half else whole


def about(value: int | Decimal) -> str:
    """A total as a briefing states it: exact when small or already round, else cut down to a round figure with 余."""
    number = Decimal(value)
    if number < 0:
        raise ValueError("简报数字不能为负数")
    if number < 100:
        return exact(number)
    if number >= WAN:
        tenths = (number / 1000).to_integral_value(rounding=ROUND_DOWN)  # in 0.1万
        shown = _plain(tenths / 10) + "万"
        return shown if tenths * 1000 == number else shown + "余"
    cut = _cut(number)
    return exact(number) if cut == number else f"{int(cut)}余"


def value_of(text: str) -> Decimal:
    """The figure a written number stands for at least: “1.3万余” → 13000, “8000余” → 8000 (tests read back)."""
    body = text.removesuffix("余")
    if body.endswith("万"):
        return Decimal(body[:-1]) * WAN
    return Decimal(body)


def months(start: dt.date, end: dt.date) -> int:
    """Whole months from `start` to `end`, to the nearest month and at least one: 2023-03-01 → 05-29 is 3."""
    if end < start:
        raise ValueError("结束日期早于开始日期")
    days = Decimal((end - start).days)
    return max(1, int((days / _DAYS_PER_MONTH).quantize(Decimal(1), rounding=ROUND_HALF_UP)))


def joined(names: list[str]) -> str:
    """Names as a briefing lists them: “甲、乙、丙”."""
    return "、".join(names)
