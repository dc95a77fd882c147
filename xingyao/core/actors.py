"""Who acts, when it is nobody's account: the system itself and a resident through a public link.

Every `do_*` takes an actor; `None` is refused (`require_actor`), so that no permission check is ever skipped
by accident. The demo, management commands and scheduled jobs pass `SYSTEM`, which `may_act_as_system`
lets through the checks a person would need a membership for; public entry points act as `RESIDENT`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Nonperson:
    """An actor without an account: not authenticated, no memberships, a name for the history and audit log."""

    name: str
    pk: None = None
    is_authenticated: bool = False
    is_active: bool = True
    is_superuser: bool = False

    def get_username(self) -> str:
        return self.name


SYSTEM = Nonperson("系统")
RESIDENT = Nonperson("居民")


def require_actor(actor: Any) -> None:
    """Refuse a missing actor: a programming error, never bad input."""
    if actor is None:
        raise TypeError("do_* needs an actor: a user, or xingyao.core.actors.SYSTEM for the system itself")


def is_system(actor: Any) -> bool:
    """Whether the system itself acts (the demo, a command): it holds no membership and needs none."""
    require_actor(actor)
    return actor is SYSTEM


def person(actor: Any) -> Any:
    """The user account behind `actor`, or None for the system and the public."""
    return actor if getattr(actor, "is_authenticated", False) else None


def actor_name(actor: Any) -> str:
    """The name the history shows: a user's full name (else his login), or the nonperson's own name."""
    if isinstance(actor, Nonperson):
        return actor.name
    if getattr(actor, "is_authenticated", False):
        return str(getattr(actor, "full_name", "") or actor.get_username())
    return SYSTEM.name
