"""Matching employees to Ledgy stakeholders: by identifier, else adoption by name. Pure.

Never a duplicate: an employee is created only when no stakeholder holds its
identifier and no stakeholder without identifier carries its name. A name held by
two or more stakeholders (or employees) is ambiguous and skipped. Stakeholders
whose identifier maps to no synced employee are orphans: reported, never deleted.
"""

from __future__ import annotations

import unicodedata
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from reconciler.domain.identity import normal_identifier
from reconciler.domain.stakeholder import Stakeholder
from reconciler.engine.desired import Outcome
from reconciler.engine.values import Orphan, PlanWarning, Skip


@dataclass(frozen=True)
class Pair:
    """A synced employee and the stakeholder it matched (``None``: to be created)."""

    outcome: Outcome
    current: Stakeholder | None
    adopted: bool = False


@dataclass(frozen=True)
class Matching:
    """The pairs, and what matching skipped, warned about, or left orphaned."""

    pairs: tuple[Pair, ...]
    skips: tuple[Skip, ...] = ()
    warnings: tuple[PlanWarning, ...] = ()
    orphans: tuple[Orphan, ...] = ()


def normal_name(name: str | None) -> str:
    """A name compared case- and whitespace-insensitively (NFKC, casefolded)."""
    return " ".join(unicodedata.normalize("NFKC", name or "").casefold().split())


def match(outcomes: Sequence[Outcome], current: Sequence[Stakeholder]) -> Matching:
    """Pair every synced employee with at most one stakeholder."""
    by_identifier: dict[str, list[Stakeholder]] = defaultdict(list)
    by_name: dict[str, list[Stakeholder]] = defaultdict(list)
    for stakeholder in current:
        key = normal_identifier(stakeholder.identifier)
        if key is not None:
            by_identifier[key].append(stakeholder)
        else:
            by_name[normal_name(stakeholder.name)].append(stakeholder)
    pairs: list[Pair] = []
    skips: list[Skip] = []
    unmatched: list[Outcome] = []
    for item in (o for o in outcomes if o.synced and o.identifier):
        hits = by_identifier.get(item.identifier, []) if item.identifier else []
        if len(hits) == 1:
            pairs.append(Pair(item, hits[0]))
        elif hits:
            detail = f"{len(hits)} Ledgy stakeholders have this identifier"
            skips.append(Skip(item.employee.id, item.identifier, "duplicate_in_ledgy", detail))
        else:
            unmatched.append(item)
    adoption = _adopt(unmatched, by_name)
    matched = {p.current.id for p in [*pairs, *adoption.pairs] if p.current is not None}
    skipped = {o.identifier: o.skip for o in outcomes if o.skip and o.identifier}
    skipped |= {s.identifier: s for s in skips if s.identifier}
    return Matching(
        tuple(pairs) + adoption.pairs,
        tuple(skips) + adoption.skips,
        adoption.warnings,
        _orphans(skipped, by_identifier, matched),
    )


def _adopt(unmatched: list[Outcome], by_name: dict[str, list[Stakeholder]]) -> Matching:
    namesakes = Counter(normal_name(o.employee.name) for o in unmatched)
    pairs: list[Pair] = []
    skips: list[Skip] = []
    warnings: list[PlanWarning] = []
    for item in unmatched:
        key = normal_name(item.employee.name)
        candidates = by_name.get(key, []) if key else []
        if not candidates:
            pairs.append(Pair(item, None))
        elif len(candidates) == 1 and namesakes[key] == 1:
            pairs.append(Pair(item, candidates[0], adopted=True))
            message = (
                f"stakeholder {candidates[0].id} had no identifier and the same name; "
                "it is adopted and gets this identifier"
            )
            warnings.append(
                PlanWarning(item.identifier, "adopted_by_name", message, item.employee.id)
            )
        else:
            detail = (
                f"{len(candidates)} Ledgy stakeholders without identifier and {namesakes[key]} "
                "employee(s) have this name; set the identifier by hand "
                "(reconciler identifiers export)"
            )
            skips.append(Skip(item.employee.id, item.identifier, "ambiguous_name_match", detail))
    return Matching(tuple(pairs), tuple(skips), tuple(warnings))


def _orphans(
    skipped: dict[str, Skip], by_identifier: dict[str, list[Stakeholder]], matched: set[str | None]
) -> tuple[Orphan, ...]:
    orphans = []
    for key, stakeholders in by_identifier.items():
        for stakeholder in stakeholders:
            if stakeholder.id in matched:
                continue
            reason = (
                f"the employee is skipped ({skipped[key].reason})"
                if key in skipped
                else "no CharlieHR employee has this work email"
            )
            orphans.append(Orphan(stakeholder.identifier or key, stakeholder.id or "", reason))
    return tuple(sorted(orphans, key=lambda o: (o.identifier.casefold(), o.stakeholder_id)))
