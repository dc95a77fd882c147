"""One table-driven workflow engine for every record kind. Pure Python, no Django.

An app declares its workflow as a table — action → role → the states the role may take it from — plus the
actions that need a reason and guards for its own rules ("dispatched to your department", "the verifier is not
a handler"). The engine answers the two questions every page and action asks: which actions may this role
take now (`available_actions`, for the buttons) and may it take this one (`check`, raising `TransitionError`
with a Chinese message to show as is). What an action does to a record stays with the app.

    FLOW = Workflow(
        permissions={Action.CLOSE: grant(TOWN_ROLES, {State.OPEN})},
        targets={Action.CLOSE: State.CLOSED},
        reason_required={Action.CLOSE},
    )
    FLOW.transition(State.OPEN, Action.CLOSE, role, reason="已处理")  # → State.CLOSED

The state asked about must be the stored one: a `do_*` locks the record's row inside its transaction
(`core.locks.relock(record)`, or `select_for_update()` on the queryset it reads) and only then checks, so that of
simultaneous requests one moves the record and the others are refused here, with the same Chinese message.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Generic, TypeVar

from xingyao.core.roles import Role

S = TypeVar("S", bound=StrEnum)
A = TypeVar("A", bound=StrEnum)

# A guard looks at the facts of one attempt (the app's own object) and returns a refusal message, or None.
Guard = Callable[[Any, Any, Role], str | None]


class TransitionError(Exception):
    """A refused action; `message` is Chinese and meant for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def grant(roles: Iterable[str], states: Iterable[S]) -> dict[Role, frozenset[S]]:
    """One table cell for several roles: each may take the action from the same states."""
    frozen = frozenset(states)
    return {Role(r): frozen for r in roles}


def label_of(value: Any) -> str:
    return str(getattr(value, "label", value))


@dataclass(frozen=True)
class Messages:
    """How a workflow words its refusals; `{role}`, `{action}`, `{state}` are labels."""

    no_right: str = "您的角色无权执行此操作"  # the role may not take this action from this state
    wrong_state: str = "当前状态「{state}」不能执行「{action}」"  # nobody (or not this role) may, from this state
    reason: str = "{action}必须填写理由"
    unknown_role: str | None = None  # None: an unknown role simply holds no rights
    unknown_action: str = "未知操作：{action}"
    no_role: str = "您无权{action}"  # the user holds no role over the record at all


@dataclass(frozen=True)
class Workflow(Generic[S, A]):
    """A record kind's state machine: who may take which action from which state, and what else it needs.

    `state_first` picks the question asked first: True answers "not from this state" whenever no role may take
    the action now, and "not your role" otherwise; False (the default) answers "not your role" when the role may
    never take it, and "not from this state" when it may, elsewhere. `read_only` roles are refused with their
    own message before anything else. `hints` add why a state refuses an action (`：须先经部门审核`).
    """

    permissions: Mapping[A, Mapping[Role, frozenset[S]]]
    targets: Mapping[A, S | Mapping[S, S]] = field(default_factory=dict)
    reason_required: frozenset[A] = frozenset()
    guards: tuple[Guard, ...] = ()
    messages: Messages = Messages()
    state_first: bool = False
    read_only: Mapping[Role, str] = field(default_factory=dict)
    hints: Mapping[tuple[S, A], str] = field(default_factory=dict)

    def roles_for(self, action: A, state: S) -> frozenset[Role]:
        """The roles that may take `action` from `state` (before guards)."""
        return frozenset(r for r, states in self.permissions.get(action, {}).items() if state in states)

    def _refusal(self, state: S, action: A, role: str, facts: Any) -> str | None:
        known = Role.lookup(role)
        if known is None and self.messages.unknown_role is not None:
            return self.messages.unknown_role.format(role=role)
        if known is not None and known in self.read_only:
            return self.read_only[known]
        if action not in self.permissions:
            return self.messages.unknown_action.format(action=action)
        by_role = self.permissions[action]
        if self.state_first:
            if not any(state in states for states in by_role.values()):
                return self._say(self.messages.wrong_state, state, action, known or role, hint=True)
            if known is None or state not in by_role.get(known, ()):
                return self._say(self.messages.no_right, state, action, known or role)
        else:
            if known is None or known not in by_role:
                return self._say(self.messages.no_right, state, action, known or role)
            if state not in by_role[known]:
                return self._say(self.messages.wrong_state, state, action, known, hint=True)
        for guard in self.guards:
            message = guard(facts, action, known)
            if message:
                return message
        return None

    def _say(self, template: str, state: S, action: A, role: str, *, hint: bool = False) -> str:
        message = template.format(role=label_of(role), action=label_of(action), state=label_of(state))
        return message + (self.hints.get((state, action), "") if hint else "")

    def allows(self, state: S, action: A, role: str, facts: Any = None) -> bool:
        """Whether `role` may take `action` from `state` now, reasons and other arguments aside."""
        return self._refusal(state, action, role, facts) is None

    def available_actions(self, state: S, role: str, facts: Any = None) -> list[A]:
        """The actions `role` may take from `state` now, in table order (reasons and other arguments aside)."""
        return [a for a in self.permissions if self.allows(state, a, role, facts)]

    def check(self, state: S, action: A, role: str, facts: Any = None, *, reason: str | None = None) -> None:
        """Raise TransitionError unless `role` may take `action` from `state` now, with a reason where needed."""
        message = self._refusal(state, action, role, facts)
        if message:
            raise TransitionError(message)
        if action in self.reason_required and not (reason and reason.strip()):
            raise TransitionError(self.messages.reason.format(action=label_of(action)))

    def target(self, state: S, action: A) -> S:
        """Where `action` leads from `state`; an action without a target (there) leaves the state as it is."""
        found = self.targets.get(action, state)
        if isinstance(found, Mapping):
            return found.get(state, state)
        return found

    def check_any(
        self, state: S, action: A, roles: Iterable[str], facts: Any = None, *, reason: str | None = None
    ) -> Role:
        """The first of `roles` (a user may hold several over one record) that may take `action` now.

        Refused, the message is that of a role the table names for the action, the refusal worth reading.
        """
        cells = self.permissions.get(action, {})
        ordered = sorted(roles, key=lambda r: Role.lookup(r) not in cells)
        refusals: list[str] = []
        for role in ordered:
            try:
                self.check(state, action, role, facts, reason=reason)
            except TransitionError as exc:
                refusals.append(exc.message)
                continue
            return Role(role)
        raise TransitionError(refusals[0] if refusals else self.messages.no_role.format(action=label_of(action)))

    def transition(self, state: S, action: A, role: str, facts: Any = None, *, reason: str | None = None) -> S:
        """`check`, then the state `action` leads to."""
        self.check(state, action, role, facts, reason=reason)
        return self.target(state, action)

    def coerce_action(self, actions: type[A], value: A | str) -> A:
        """The action named `value`, or TransitionError."""
        try:
            return actions(value)
        except ValueError:
            raise TransitionError(self.messages.unknown_action.format(action=value)) from None
