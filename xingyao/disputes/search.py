"""The header's search box finds a dispute by its 案件编号 (whole, or its last characters), inside the user's scope."""

from __future__ import annotations

from typing import Any

from xingyao.core import search
from xingyao.disputes.models import Dispute


def find(user: Any, query: str) -> list[search.Hit]:
    cases = Dispute.objects.restrict(user)
    if len(query) < search.MIN_TAIL:
        return []
    found = cases.filter(number__endswith=query).order_by("-received_on", "-id")  # the whole number ends with itself
    return [
        search.Hit("矛盾纠纷", d.number, d.get_type_display(), d.get_status_display(), d.get_absolute_url())
        for d in found[: search.MAX_HITS]
    ]


def register() -> None:
    search.register(search.Finder("disputes.cases", "矛盾纠纷", find))
