"""Personal data (names and phone numbers of residents, parties, grid people): the masks and the one rule for who
sees them unmasked. Pages, the API and the Excel ledgers all ask `sees_contacts` and apply `mask_name` /
`mask_phone`; audit rows and public pages never carry them at all.

The rule: **whoever works the record sees the people in it; everyone else sees a mask.** Each kind of record
declares who works it with a `ContactRule` — the actions that make a user one of its workers over the record's
unit, and whether the handlers of a department on the record work it too.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from xingyao.core.roles import Action
from xingyao.core.scoping import covers


@dataclass(frozen=True)
class ContactRule:
    """Who works a kind of record, and so sees its people's names and phones unmasked."""

    actions: frozenset[str]  # any of these over the record's unit
    departments: bool = False  # `handle` over a department the record is with (dispatched to, on the team)


# A user's own phone (grid people, accounts): for those who administer him.
STAFF_CONTACTS = ContactRule(frozenset({Action.ADMIN}))


def sees_contacts(user: Any, rule: ContactRule, unit_prefix: str, department_prefixes: Iterable[str] = ()) -> bool:
    """Whether `user` works this record (by `rule`) and so sees its contacts unmasked. No query."""
    if any(covers(user, action, unit_prefix) for action in rule.actions):
        return True
    return rule.departments and any(covers(user, Action.HANDLE, prefix) for prefix in department_prefixes)


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


def name_for(show: bool, name: str | None) -> str:
    """A person's name as this viewer may see it."""
    return (name or "") if show else mask_name(name)


def phone_for(show: bool, phone: str | None) -> str:
    """A phone number as this viewer may see it."""
    return (phone or "") if show else mask_phone(phone)
