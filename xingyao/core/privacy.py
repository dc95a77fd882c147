"""Masks for personal data shown to people who may not see it in full: names and phone numbers. Pure, no ORM."""

from __future__ import annotations

import re
import unicodedata


def mask_name(name: str | None) -> str:
    """Keep the first character, mask the rest one star each: 张三 → 张*, 欧阳娜娜 → 欧***, 李 → *."""
    name = (name or "").strip()
    if len(name) <= 1:
        return "*" if name else ""
    return name[0] + "*" * (len(name) - 1)


_COUNTRY_PREFIX = re.compile(r"^(?:0086|86)(?=1\d{10}$)")


def mask_phone(phone: str | int | None) -> str:
    """Digits only, at most the first 3 and last 4 shown: 13812345678 → 138****5678.

    A +86 prefix is dropped from mobile numbers; 8–10 digits show only the last 4 (****5678); fewer than
    8 digits show nothing (****); no digits give "". The middle is always exactly four stars, so the
    masked form does not reveal the length either.
    """
    # NFKC turns full-width digits (１３８…) typed on Chinese keyboards into ASCII ones.
    text = unicodedata.normalize("NFKC", str(phone)) if phone is not None else ""
    digits = re.sub(r"[^0-9]", "", text)
    digits = _COUNTRY_PREFIX.sub("", digits)
    if not digits:
        return ""
    if len(digits) >= 11:
        return f"{digits[:3]}****{digits[-4:]}"
    if len(digits) >= 8:
        return f"****{digits[-4:]}"
    return "****"
