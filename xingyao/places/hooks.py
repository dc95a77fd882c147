"""What apps above places add to a unit's page, so places need not import them.

An app registers `(user, unit) -> value` under a context name in its `AppConfig.ready()` (accounts: the unit's
people); the unit page calls each one and renders the value under that name.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from xingyao.places.models import Unit

UnitPagePart = Callable[[Any, "Unit"], Any]

_parts: dict[str, UnitPagePart] = {}


def add_to_unit_page(name: str, part: UnitPagePart) -> None:
    """Register (or replace, so reloading an app is harmless) the part rendered as `name` on the unit page."""
    _parts[name] = part


def unit_page_parts(user: Any, unit: Unit) -> dict[str, Any]:
    return {name: part(user, unit) for name, part in _parts.items()}
