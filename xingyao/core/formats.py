"""How numbers read on every page: points one way, rates with a percent sign, nothing as a dash.

Pure functions (no Django), used by the template filters in `core/templatetags/xingyao_tags.py`.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

NOTHING = "—"


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        return value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def points(value: Any) -> str:
    """52, 52.5, 52.25: at most two decimals, no trailing zeros, never "5E+1"; None → “—”."""
    number = _decimal(value)
    if number is None or not number.is_finite():
        return NOTHING
    text = f"{number.quantize(Decimal('0.01'), ROUND_HALF_UP):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def rate(value: Any) -> str:
    """A percentage already scaled to 0–100 (85.3 → “85.3%”, 100.0 → “100%”); None (no cases) → “—”."""
    number = _decimal(value)
    if number is None or not number.is_finite():
        return NOTHING
    text = f"{number.quantize(Decimal('0.1'), ROUND_HALF_UP):f}"
    return (text.rstrip("0").rstrip(".") if "." in text else text) + "%"
