"""What apps above stars add to a village's plan page (创星计划), so stars need not import them.

An app registers `(user, plans) -> {plan id: html}` under a name in its `AppConfig.ready()` (ledgers: the items
opened from each plan's gaps); the plan page calls each once for all its plans and shows the fragments under each
plan, in the order the names sort.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

PlanPagePart = Callable[[Any, list[Any]], dict[int, str]]

_parts: dict[str, PlanPagePart] = {}


def add_to_plan_page(name: str, part: PlanPagePart) -> None:
    """Register (or replace, so reloading an app is harmless) a part of the plan page."""
    _parts[name] = part


def plan_page_parts(user: Any, plans: list[Any]) -> dict[int, list[str]]:
    """Each plan's fragments from every registered part (one call per part for all the plans)."""
    found: dict[int, list[str]] = {p.pk: [] for p in plans}
    for name in sorted(_parts):
        for pk, html in _parts[name](user, plans).items():
            if pk in found and html:
                found[pk].append(html)
    return found
