"""The identifier round trip for stakeholders made by hand before the integration. Pure.

``export`` proposes, for every Ledgy stakeholder without an identifier, the work
email of the employee with exactly its name (case and spacing ignored). A person
reviews the file; ``import`` turns the reviewed rows into a plan that only sets
identifiers, checked so that no identifier is used twice or invented.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from reconciler.config.model import Config
from reconciler.domain.employee import Employee
from reconciler.domain.identity import normal_identifier
from reconciler.domain.stakeholder import Stakeholder, TargetState
from reconciler.engine.canonical import PlanKey, canonical_json, fingerprint
from reconciler.engine.match import normal_name
from reconciler.engine.plan import Counts, Fingerprints, Plan
from reconciler.engine.values import Change, FieldChange

MatchKind = Literal["unique", "ambiguous", "none"]


@dataclass(frozen=True)
class Proposal:
    """One stakeholder without identifier, and who it might be."""

    stakeholder: Stakeholder
    kind: MatchKind
    candidates: tuple[str, ...]

    @property
    def proposed(self) -> str | None:
        """The work email to set, when exactly one employee has the name."""
        return self.candidates[0] if self.kind == "unique" else None


@dataclass(frozen=True)
class Assignment:
    """A reviewed row: set this stakeholder's identifier (``row`` is the sheet row)."""

    row: int
    stakeholder_id: str
    identifier: str


def proposals(state: TargetState, employees: Sequence[Employee]) -> list[Proposal]:
    """A proposal for every stakeholder that has no identifier."""
    by_name: dict[str, list[str]] = defaultdict(list)
    for employee in employees:
        if employee.work_email and employee.name:
            by_name[normal_name(employee.name)].append(employee.work_email.strip())
    unidentified = [s for s in state.stakeholders if not s.identifier]
    namesakes = Counter(normal_name(s.name) for s in unidentified)
    found = []
    for stakeholder in unidentified:
        key = normal_name(stakeholder.name)
        emails = tuple(sorted(set(by_name.get(key, []))))
        # As in matching: one employee and one stakeholder with the name, or no guess.
        unique = len(emails) == 1 and namesakes[key] == 1
        kind: MatchKind = "unique" if unique else "ambiguous" if emails else "none"
        found.append(Proposal(stakeholder, kind, emails))
    return sorted(found, key=lambda p: (normal_name(p.stakeholder.name), p.stakeholder.id or ""))


def check_assignments(
    rows: Sequence[Assignment], state: TargetState, employees: Sequence[Employee]
) -> list[str]:
    """Every reason the reviewed rows cannot be applied, as ``row N: …`` (empty: fine)."""
    by_id = {s.id: s for s in state.stakeholders}
    taken = {normal_identifier(s.identifier): s.id for s in state.stakeholders if s.identifier}
    emails = {normal_identifier(e.work_email) for e in employees if e.work_email}
    first_row: dict[str, int] = {}
    problems = []
    for row in rows:
        key = normal_identifier(row.identifier) or ""
        stakeholder = by_id.get(row.stakeholder_id)
        if stakeholder is None:
            problems.append(f"row {row.row}: no Ledgy stakeholder has the id {row.stakeholder_id}")
        elif stakeholder.identifier:
            problems.append(f"row {row.row}: {row.stakeholder_id} already has an identifier")
        if key not in emails:
            problems.append(
                f"row {row.row}: no CharlieHR employee has the work email {row.identifier}"
            )
        if key in taken:
            problems.append(
                f"row {row.row}: {row.identifier} is already the identifier of {taken[key]}"
            )
        if key in first_row:
            problems.append(
                f"row {row.row}: {row.identifier} is also assigned in row {first_row[key]}"
            )
        first_row.setdefault(key, row.row)
    return problems


def assignment_plan(
    rows: Sequence[Assignment],
    state: TargetState,
    employees: Sequence[Employee],
    config: Config,
    *,
    key: PlanKey,
) -> Plan:
    """A plan that sets exactly the reviewed identifiers (rows checked beforehand)."""
    by_id = {s.id: s for s in state.stakeholders}
    changes = [
        Change(
            "update",
            row.identifier,
            by_id[row.stakeholder_id].name,
            (FieldChange("identifier", None, row.identifier),),
            row.stakeholder_id,
        )
        for row in rows
    ]
    assigned = [{"id": r.stakeholder_id, "identifier": r.identifier} for r in rows]
    target = fingerprint(
        ({"id": s.id, "identifier": s.identifier} for s in state.stakeholders), key
    )
    settings = key.digest(
        canonical_json(config.stakeholders.model_dump(mode="json", by_alias=True))
    )
    return Plan(
        changes=tuple(changes),
        unchanged=0,
        skipped=(),
        warnings=(),
        orphaned=(),
        fingerprints=Fingerprints(fingerprint(assigned, key), target, settings),
        counts=Counts(
            len(employees),
            len(state.stakeholders),
            sum(1 for s in state.stakeholders if s.identifier),
        ),
        key=key,
    )
