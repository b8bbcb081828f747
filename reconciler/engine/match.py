"""Matching employees to Ledgy stakeholders: pinned, by identifier, else by name. Pure.

Never a duplicate, never a takeover: an employee is created only when no stakeholder
holds its identifier, none holds an identifier that differs from it only by
invisible or look-alike characters (a *suspect* match, skipped until the config
settles it), and no stakeholder without identifier carries its name. A name match
is adopted only from the groups ``stakeholders.adoption`` allows (by default the
groups this config manages, or no group); outside them it is skipped, for a person
to settle with a pin (``stakeholders.matches``). A name held by two or more
stakeholders (or employees) is ambiguous and skipped. Stakeholders whose identifier
maps to no synced employee are orphans: reported, never deleted.
"""

from __future__ import annotations

import unicodedata
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from reconciler.config.model import Stakeholders
from reconciler.domain.identity import (
    normal_identifier,
    odd_characters,
    skeleton,
    visible_identifier,
)
from reconciler.domain.stakeholder import Stakeholder
from reconciler.engine.desired import Outcome
from reconciler.engine.pins import Pin, resolve_pins
from reconciler.engine.values import Orphan, PlanWarning, Skip

ADOPTED = "adopted_by_name"
ADOPTED_ACROSS_GROUPS = "adopted_across_groups"
_SETTLE = "pin the match in stakeholders.matches (the Stakeholder ID, or new)"


@dataclass(frozen=True)
class Pair:
    """A synced employee and the stakeholder it matched (``None``: to be created)."""

    outcome: Outcome
    current: Stakeholder | None
    adopted: bool = False
    pinned: bool = False
    """Matched by ``stakeholders.matches``."""
    from_group: str | None = None
    """Adopted from this group, which the config does not manage (a high-risk change)."""


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


@dataclass
class _Index:
    """Ledgy's stakeholders by identifier and by name, and who is already taken."""

    by_identifier: dict[str, list[Stakeholder]] = field(default_factory=lambda: defaultdict(list))
    by_name: dict[str, list[Stakeholder]] = field(default_factory=lambda: defaultdict(list))
    reserved: dict[str | None, Pin] = field(default_factory=dict)
    """Stakeholders pinned to an employee, by Stakeholder ID."""
    suspects: set[str | None] = field(default_factory=set)
    """Stakeholders whose identifier looks like an unmatched employee's."""

    @classmethod
    def of(cls, current: Sequence[Stakeholder], pins: dict[str, Pin]) -> _Index:
        index = cls()
        index.reserved = {p.stakeholder.id: p for p in pins.values() if p.stakeholder is not None}
        for stakeholder in current:
            key = normal_identifier(stakeholder.identifier)
            if key is not None:
                index.by_identifier[key].append(stakeholder)
            elif stakeholder.id not in index.reserved:
                index.by_name[normal_name(stakeholder.name)].append(stakeholder)
        return index


def match(
    outcomes: Sequence[Outcome],
    current: Sequence[Stakeholder],
    people: Stakeholders | None = None,
) -> Matching:
    """Pair every synced employee with at most one stakeholder, under ``people``'s rules
    for pins and adoption (the defaults when ``None``)."""
    people = people or Stakeholders()
    pins = resolve_pins(people.matches, [o.employee for o in outcomes], current)
    index = _Index.of(current, pins)
    pairs: list[Pair] = []
    skips: list[Skip] = []
    unmatched: list[Outcome] = []
    for item in (o for o in outcomes if o.synced and o.identifier):
        pin = pins.get(item.employee.id)
        # `new` never creates an identifier Ledgy holds (the plan stops on such a pin first).
        if pin is not None and (
            pin.stakeholder or not index.by_identifier.get(item.identifier or "")
        ):
            pairs.append(Pair(item, pin.stakeholder, pinned=True))
            continue
        found = _by_identifier(item, index)
        if isinstance(found, Pair):
            pairs.append(found)
        elif isinstance(found, Skip):
            skips.append(found)
        else:
            unmatched.append(item)
    taken = {p.current.id for p in pairs if p.current is not None}
    suspects = _suspects(unmatched, index, taken)
    adoption = _adopt([o for o in unmatched if o.employee.id not in suspects], index, people)
    pairs += adoption.pairs
    skips += [*suspects.values(), *adoption.skips]
    return Matching(
        tuple(pairs), tuple(skips), adoption.warnings, _orphans(outcomes, index, pairs, skips)
    )


def _by_identifier(item: Outcome, index: _Index) -> Pair | Skip | None:
    identifier = item.identifier or ""
    hits = index.by_identifier.get(identifier, [])
    free = [s for s in hits if s.id not in index.reserved]
    if len(free) == 1:
        return Pair(item, free[0])
    if free:
        detail = f"{len(free)} Ledgy stakeholders have this identifier"
        return Skip(item.employee.id, identifier, "duplicate_in_ledgy", detail)
    if hits:
        pin = index.reserved[hits[0].id]
        detail = (
            f"stakeholder {hits[0].id} holds this work email but {pin.where} pins it to "
            f"employee {pin.employee_id}; once that update is applied, the next plan matches "
            "or creates this employee"
        )
        return Skip(item.employee.id, identifier, "pinned_elsewhere", detail)
    return None


def _suspects(
    unmatched: Sequence[Outcome], index: _Index, taken: set[str | None]
) -> dict[str, Skip]:
    """Employees whose identifier a free Ledgy identifier resembles, skipped, by employee id.

    A stakeholder already matched or pinned is accounted for: it is nobody's suspect.
    """
    if not unmatched:
        return {}
    wanted = {skeleton(o.identifier) for o in unmatched}
    look_alikes: dict[str | None, list[Stakeholder]] = defaultdict(list)
    for key, stakeholders in index.by_identifier.items():
        free = [s for s in stakeholders if s.id not in index.reserved and s.id not in taken]
        if free and (shape := skeleton(key)) in wanted:  # most are taken: no skeleton to make
            look_alikes[shape] += free
    skips = {}
    for item in unmatched:
        found = look_alikes.get(skeleton(item.identifier))
        if found:
            index.suspects.update(s.id for s in found)
            skips[item.employee.id] = Skip(
                item.employee.id, item.identifier, "suspect_match", _suspect_detail(item, found)
            )
    return skips


def _suspect_detail(item: Outcome, found: Sequence[Stakeholder]) -> str:
    theirs = "; ".join(
        f"stakeholder {s.id} has {visible_identifier(s.identifier or '')}"
        + _named(odd_characters(s.identifier or ""))
        for s in found
    )
    return (
        f"{theirs}: it differs from this work email ({visible_identifier(item.identifier or '')}) "
        "only by invisible or look-alike characters; nobody is created: correct the "
        f"identifier in Ledgy, or {_SETTLE}"
    )


def _named(characters: Sequence[str]) -> str:
    return f" ({', '.join(characters)})" if characters else ""


def _adopt(unmatched: list[Outcome], index: _Index, people: Stakeholders) -> Matching:
    namesakes = Counter(normal_name(o.employee.name) for o in unmatched)
    pairs: list[Pair] = []
    skips: list[Skip] = []
    warnings: list[PlanWarning] = []
    for item in unmatched:
        key = normal_name(item.employee.name)
        candidates = index.by_name.get(key, []) if key else []
        if not candidates:
            pairs.append(Pair(item, None))
        elif len(candidates) == 1 and namesakes[key] == 1:
            found = _adoption(item, candidates[0], people)
            if isinstance(found, Skip):
                skips.append(found)
            else:
                pairs.append(found)
                warnings.append(_adoption_warning(found, people))
        else:
            detail = (
                f"{len(candidates)} Ledgy stakeholders without identifier and {namesakes[key]} "
                "employee(s) have this name; set the identifier by hand "
                f"(reconciler identifiers export), or {_SETTLE}"
            )
            skips.append(Skip(item.employee.id, item.identifier, "ambiguous_name_match", detail))
    return Matching(tuple(pairs), tuple(skips), tuple(warnings))


def _adoption(item: Outcome, candidate: Stakeholder, people: Stakeholders) -> Pair | Skip:
    """Adopt the one namesake, when ``stakeholders.adoption`` allows its group."""
    rules = people.adoption
    group = candidate.group or None
    where = f"in group {group}" if group else "in no group"
    held = f"stakeholder {candidate.id} ({where}) has no identifier and this name"
    if not rules.by_name:
        detail = f"{held}; stakeholders.adoption.by_name is false, so nobody is created: {_SETTLE}"
        return Skip(item.employee.id, item.identifier, "name_match_not_adopted", detail)
    if not adoptable(group, people):
        setting = "ungrouped is false" if group is None else f"groups does not include {group}"
        detail = f"{held}; stakeholders.adoption.{setting}, so nobody is created: {_SETTLE}"
        return Skip(item.employee.id, item.identifier, "name_match_outside_groups", detail)
    outside = group if group is not None and group not in people.managed_groups else None
    return Pair(item, candidate, adopted=True, from_group=outside)


def adoptable(group: str | None, people: Stakeholders) -> bool:
    """Whether ``stakeholders.adoption`` lets an employee adopt a stakeholder of ``group``."""
    rules = people.adoption
    if group is None:
        return rules.ungrouped
    if rules.groups == "any":
        return True
    if rules.groups == "managed":
        return group in people.managed_groups
    return group in rules.groups


def _adoption_warning(pair: Pair, people: Stakeholders) -> PlanWarning:
    current = pair.current
    assert current is not None  # an adoption always has its stakeholder
    item = pair.outcome
    if pair.from_group is None:
        message = (
            f"stakeholder {current.id} had no identifier and the same name; it is adopted and "
            "gets this identifier"
        )
        return PlanWarning(item.identifier, ADOPTED, message, item.employee.id)
    message = (
        f"high risk: stakeholder {current.id}, in group {pair.from_group} which this config "
        f"does not manage, had no identifier and the same name; it is adopted, gets this "
        f"identifier and is managed from now on (group {people.group}), grants and all; "
        "apply refuses without --force: check it is the same person"
    )
    return PlanWarning(item.identifier, ADOPTED_ACROSS_GROUPS, message, item.employee.id)


def _orphans(
    outcomes: Sequence[Outcome], index: _Index, pairs: Sequence[Pair], skips: Sequence[Skip]
) -> tuple[Orphan, ...]:
    matched = {p.current.id for p in pairs if p.current is not None}
    left = [
        (key, s)
        for key, stakeholders in index.by_identifier.items()
        for s in stakeholders
        if s.id not in matched and s.id not in index.suspects
    ]
    if not left:
        return ()
    why = _Reasons.of(outcomes, index, pairs, skips)
    orphans = [Orphan(s.identifier or key, s.id or "", why(key, s)) for key, s in left]
    return tuple(sorted(orphans, key=lambda o: (o.identifier.casefold(), o.stakeholder_id)))


@dataclass(frozen=True)
class _Reasons:
    """Why a stakeholder is an orphan: its employee's skip, its pin, or a look-alike."""

    skipped: dict[str, Skip]
    """Each skipped employee's skip, by identifier and by CharlieHR id."""
    reserved: dict[str | None, Pin]
    shapes: dict[str | None, list[Outcome]]
    holders: dict[str, str | None]
    """The stakeholder each paired employee matched, by CharlieHR id."""

    @classmethod
    def of(
        cls,
        outcomes: Sequence[Outcome],
        index: _Index,
        pairs: Sequence[Pair],
        skips: Sequence[Skip],
    ) -> _Reasons:
        every = [*(o.skip for o in outcomes if o.skip), *skips]
        skipped = {s.identifier: s for s in every if s.identifier}
        skipped |= {s.employee_id: s for s in every}
        shapes: dict[str | None, list[Outcome]] = defaultdict(list)
        for item in outcomes:
            if item.identifier:
                shapes[skeleton(item.identifier)].append(item)
        holders = {p.outcome.employee.id: p.current.id if p.current else None for p in pairs}
        return cls(skipped, index.reserved, shapes, holders)

    def __call__(self, key: str, stakeholder: Stakeholder) -> str:
        if key in self.skipped:
            return f"the employee is skipped ({self.skipped[key].reason})"
        pin = self.reserved.get(stakeholder.id)
        if pin is not None:
            skip = self.skipped.get(pin.employee_id)
            reason = f" ({skip.reason})" if skip is not None else ""
            return f"{pin.where} pins it to employee {pin.employee_id}, who is skipped{reason}"
        alike = next((o for o in self.shapes.get(skeleton(key), ()) if o.identifier != key), None)
        if alike is not None:
            return self._look_alike(alike)
        return "no CharlieHR employee has this work email"

    def _look_alike(self, item: Outcome) -> str:
        theirs = visible_identifier(item.identifier or "")
        same = "differs from it only by invisible or look-alike characters"
        skip = self.skipped.get(item.employee.id)
        if skip is not None:
            return f"the work email {theirs} {same}, and its employee is skipped ({skip.reason})"
        holder = self.holders.get(item.employee.id) or "a new stakeholder"
        return f"the work email {theirs}, which matches {holder}, {same}: a likely duplicate"
