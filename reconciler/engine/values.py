"""The parts of a plan: field changes, stakeholder changes, skips, warnings, orphans."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from reconciler.domain.stakeholder import Value

Action = Literal["create", "update"]
ACTIONS: tuple[Action, ...] = ("create", "update")


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One plan field going from ``old`` to ``new``; ``personal`` values are masked in public."""

    field: str
    old: Value
    new: Value
    personal: bool = False
    conflict: bool = False
    """Ledgy's value (``old``) was edited there: it is neither the value last applied nor
    HR's, and the policy (hr_wins) still plans HR's value over it."""
    removed: bool = False
    """The config no longer syncs this field: a clear (``stakeholders.on_removed_field``)."""


@dataclass(frozen=True, slots=True)
class Change:
    """A stakeholder to create, or one to update field by field."""

    action: Action
    identifier: str
    name: str
    fields: tuple[FieldChange, ...]
    stakeholder_id: str | None = None
    adopted: bool = False
    """Matched by name: this update also sets the stakeholder's identifier."""
    pinned: bool = False
    """Matched by a pin in ``stakeholders.matches``."""
    from_group: str | None = None
    """Adopted by name from this group, which the config does not manage: high risk."""

    def sort_key(self) -> tuple[int, str, str]:
        """Creates first, then updates, each by identifier."""
        return (ACTIONS.index(self.action), self.identifier.casefold(), self.stakeholder_id or "")


ConflictPolicy = Literal["hr_wins", "ledgy_wins", "review"]


@dataclass(frozen=True, slots=True)
class Conflict:
    """A value edited in Ledgy: it differs from the value last applied and from HR's.

    The policy decides: ``hr_wins`` plans HR's value (the field change is flagged),
    ``ledgy_wins`` keeps Ledgy's, ``review`` holds the field out of the plan.
    """

    identifier: str
    stakeholder_id: str
    name: str
    field: str
    ledgy: Value
    """The value in Ledgy now (the edit)."""
    hr: Value
    """The value HR gives."""
    policy: ConflictPolicy
    personal: bool = False

    @property
    def outcome(self) -> str:
        """What the plan does, as the plan JSON names it."""
        return _OUTCOMES[self.policy]


_OUTCOMES = {"hr_wins": "hr_value_planned", "ledgy_wins": "ledgy_value_kept", "review": "held"}


@dataclass(frozen=True, slots=True)
class Skip:
    """An employee the plan leaves alone, and why (a reason of :mod:`reconciler.domain.skips`)."""

    employee_id: str
    identifier: str | None
    reason: str
    detail: str
    rule: int | None = None


@dataclass(frozen=True, slots=True)
class PlanWarning:
    """Something a reviewer should know; ``message`` never holds a personal value."""

    identifier: str | None
    code: str
    message: str
    employee_id: str | None = None


@dataclass(frozen=True, slots=True)
class Orphan:
    """A Ledgy stakeholder whose identifier maps to no synced employee; never deleted."""

    identifier: str
    stakeholder_id: str
    reason: str
