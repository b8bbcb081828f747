"""Matches settled by hand (``stakeholders.matches``): whom each pin names. Pure.

A pin says "this employee is that Ledgy stakeholder" (or ``new``: a new one). It
settles what matching refuses to guess: a look-alike identifier, a name match
outside the groups adoption may take from, two namesakes. A pin that names nobody,
or an employee twice, is an error at its line once both systems are read
(:func:`pin_findings`); matching only uses the pins that resolve (:func:`resolve_pins`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from reconciler.config.model import NEW_STAKEHOLDER, PinnedMatch
from reconciler.domain.employee import Employee
from reconciler.domain.identity import normal_identifier
from reconciler.domain.stakeholder import Stakeholder

Location = tuple[str | int, ...]
Finding = tuple[Location, str, str | None]

_ID_HINT = (
    "copy the Stakeholder ID from Ledgy (the stakeholder's page, or `reconciler identifiers "
    "export`), write new to create a new stakeholder, or remove this pin"
)


@dataclass(frozen=True)
class Pin:
    """A resolved pin: the employee (by CharlieHR id) and its stakeholder (``None``: new)."""

    index: int
    employee_id: str
    stakeholder: Stakeholder | None

    @property
    def where(self) -> str:
        """The pin's place in the config, for messages."""
        return f"stakeholders.matches[{self.index}]"


@dataclass(frozen=True)
class _Found:
    employees: tuple[Employee, ...]
    stakeholder: Stakeholder | None
    known: bool
    """False when the pinned Stakeholder ID is not in Ledgy."""


def _employees(pins: Sequence[PinnedMatch], employees: Sequence[Employee]) -> list[list[Employee]]:
    wanted = {p.employee.strip() for p in pins} | {
        normal_identifier(p.employee) or "" for p in pins
    }
    by_key: dict[str, list[Employee]] = defaultdict(list)
    for employee in employees:
        if employee.id in wanted:
            by_key[employee.id].append(employee)
        email = normal_identifier(employee.work_email)
        if email is not None and email in wanted:
            by_key[email].append(employee)
    return [
        by_key.get(pin.employee.strip()) or by_key.get(normal_identifier(pin.employee) or "", [])
        for pin in pins
    ]


def _found(
    pins: Sequence[PinnedMatch], employees: Sequence[Employee], stakeholders: Sequence[Stakeholder]
) -> list[_Found]:
    if not pins:
        return []
    by_id = {s.id: s for s in stakeholders if s.id}
    found = []
    for pin, named in zip(pins, _employees(pins, employees), strict=True):
        new = pin.stakeholder.strip().casefold() == NEW_STAKEHOLDER
        stakeholder = None if new else by_id.get(pin.stakeholder.strip())
        found.append(_Found(tuple(named), stakeholder, new or stakeholder is not None))
    return found


def resolve_pins(
    pins: Sequence[PinnedMatch], employees: Sequence[Employee], stakeholders: Sequence[Stakeholder]
) -> dict[str, Pin]:
    """The pins that name one employee and a known stakeholder (or new), by employee id."""
    resolved: dict[str, Pin] = {}
    for index, found in enumerate(_found(pins, employees, stakeholders)):
        if len(found.employees) == 1 and found.known:
            resolved.setdefault(
                found.employees[0].id, Pin(index, found.employees[0].id, found.stakeholder)
            )
    return resolved


def pin_findings(
    pins: Sequence[PinnedMatch], employees: Sequence[Employee], stakeholders: Sequence[Stakeholder]
) -> list[Finding]:
    """What is wrong with each pin, at its place: a Stakeholder ID Ledgy does not have, an
    employee CharlieHR does not have (or two with that work email), one employee pinned
    twice under two spellings, or ``new`` for an employee whose identifier Ledgy holds."""
    if not pins:
        return []  # most configs pin nobody: no index of 10,000 stakeholders to build
    findings: list[Finding] = []
    first: dict[str, int] = {}
    holders = {normal_identifier(s.identifier): s for s in stakeholders if s.identifier}
    for index, (pin, found) in enumerate(
        zip(pins, _found(pins, employees, stakeholders), strict=True)
    ):
        where: Location = ("stakeholders", "matches", index)
        if not found.known:
            findings.append(
                (
                    (*where, "stakeholder"),
                    f"no Ledgy stakeholder has the Stakeholder ID '{pin.stakeholder}'",
                    _ID_HINT,
                )
            )
        findings += _employee_findings(pin, found, where, first, index)
        if len(found.employees) == 1 and found.known and found.stakeholder is None:
            holder = holders.get(normal_identifier(found.employees[0].work_email))
            if holder is not None:
                findings.append(
                    (
                        (*where, "stakeholder"),
                        f"new creates a stakeholder, but {holder.id} already has this "
                        "employee's work email as its identifier",
                        f"pin stakeholder: {holder.id}, or remove this pin",
                    )
                )
    return findings


def _employee_findings(
    pin: PinnedMatch, found: _Found, where: Location, first: dict[str, int], index: int
) -> list[Finding]:
    at: Location = (*where, "employee")
    if not found.employees:
        return [
            (
                at,
                f"no CharlieHR employee has the work email or id '{pin.employee}'",
                "write the employee's work email or CharlieHR id, or remove this pin",
            )
        ]
    if len(found.employees) > 1:
        ids = ", ".join(e.id for e in found.employees)
        return [
            (
                at,
                f"{len(found.employees)} CharlieHR employees have the work email "
                f"'{pin.employee}' ({ids})",
                "pin by CharlieHR id instead",
            )
        ]
    employee_id = found.employees[0].id
    if employee_id in first:
        return [
            (
                at,
                f"employee {employee_id} is pinned twice (also in matches[{first[employee_id]}])",
                "keep one pin per employee",
            )
        ]
    first[employee_id] = index
    return []
