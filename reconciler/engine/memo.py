"""Per-person work of a plan, kept for the next plan of the same run. Pure.

At 10,000 employees most of a plan's time goes to work done once per person: an
employee's desired values, a pair's field diff, a change's data for the checksum.
While the last salary pages of a read are still arriving, the run does that work for
the people it has so far (:func:`warm`, driven by :mod:`reconciler.warmup`); the plan
computed once everything is in takes from here what it can and computes the rest.

Exact by construction: an entry is found only for the very same input objects
(compared with ``is``; employees, stakeholders and outcomes are frozen and are never
changed once handed over) under the same settings (:meth:`PlanMemo.settle`).
Anything else is computed afresh, so a plan with a memo is the plan without one; a
test holds the two equal. What the memo gives is only time.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Generic, TypeVar

from reconciler.config.model import Stakeholders
from reconciler.domain.employee import Employee
from reconciler.domain.identity import normal_identifier
from reconciler.domain.stakeholder import Stakeholder

if TYPE_CHECKING:  # a run makes its memo before its first request; planning comes later
    from reconciler.engine.desired import Outcome
    from reconciler.engine.match import Pair
    from reconciler.engine.values import Change

_PairKey = tuple[int, int, bool, bool, str | None]
K = TypeVar("K")
V = TypeVar("V")


@dataclass(frozen=True)
class Settings:
    """What every entry was computed under: the config's stakeholder settings (the very
    object), the plan field sources, the personal fields and the group of new people."""

    people: Stakeholders
    sources: tuple[tuple[str, str | None], ...]
    personal: frozenset[str]
    group: str | None

    def same(self, other: Settings) -> bool:
        """The same settings: the same config object, equal derived values."""
        return (
            self.people is other.people
            and self.sources == other.sources
            and self.personal == other.personal
            and self.group == other.group
        )


class _Kept(Generic[K, V]):
    """What was made from each item, found again only for that very item (which is kept
    alive with it, so that its ``id`` is never another's)."""

    def __init__(self) -> None:
        self._by_id: dict[int, tuple[K, V]] = {}

    def get(self, item: K, make: Callable[[K], V]) -> tuple[V, bool]:
        """``make(item)``, or what it gave this very item before (then ``True``)."""
        kept = self._by_id.get(id(item))
        if kept is not None and kept[0] is item:
            return kept[1], True
        made = make(item)
        self._by_id[id(item)] = (item, made)
        return made, False

    def clear(self) -> None:
        """Forget everything."""
        self._by_id.clear()

    def __len__(self) -> int:
        return len(self._by_id)


@dataclass
class PlanMemo:
    """Outcomes by employee, changes by pair, checksum data by change, the texts of
    fingerprinted records, and the fingerprint of Ledgy's side (see the module)."""

    settings: Settings | None = None
    _outcomes: _Kept[Employee, Outcome] = field(default_factory=_Kept)
    _changes: dict[_PairKey, tuple[Outcome, Stakeholder | None, Change | None]] = field(
        default_factory=dict
    )
    _data: _Kept[Change, str | None] = field(default_factory=_Kept)
    _texts: _Kept[object, tuple[str, str | None]] = field(default_factory=_Kept)
    _digests: dict[tuple[int, int], tuple[Sequence[object], object, str]] = field(
        default_factory=dict
    )
    found: int = 0
    """Outcomes and changes taken from the memo (for tests and the bench)."""

    def settle(self, settings: Settings) -> None:
        """Work under ``settings`` from now on; what was made under others is dropped."""
        if self.settings is None or not self.settings.same(settings):
            self._outcomes.clear()
            self._changes.clear()
            self._data.clear()
            self._texts.clear()
            self._digests.clear()
            self.settings = settings

    def outcome(self, employee: Employee, make: Callable[[Employee], Outcome]) -> Outcome:
        """``make(employee)``, or what it gave this very employee before."""
        made, found = self._outcomes.get(employee, make)
        self.found += found
        return made

    def change(self, pair: Pair, make: Callable[[Pair], Change | None]) -> Change | None:
        """``make(pair)``, or what it gave a pair of the very same outcome and stakeholder,
        matched the same way, before."""
        key = _pair_key(pair)
        kept = self._changes.get(key)
        if kept is not None and kept[0] is pair.outcome and kept[1] is pair.current:
            self.found += 1
            return kept[2]
        made = make(pair)
        self._changes[key] = (pair.outcome, pair.current, made)
        return made

    def text(
        self, item: object, make: Callable[[object], tuple[str, str | None]]
    ) -> tuple[str, str | None]:
        """``make(item)``, or what it gave this very item (an outcome, a stakeholder) before:
        the key and canonical text of its record for a fingerprint."""
        return self._texts.get(item, make)[0]

    def digest(self, items: Sequence[object], key: object, make: Callable[[], str]) -> str:
        """``make()`` (the keyed fingerprint of Ledgy's stakeholders), or what it gave the
        very same sequence under the very same key before."""
        kept = self._digests.get((id(items), id(key)))
        if kept is not None and kept[0] is items and kept[1] is key:
            return kept[2]
        made = make()
        self._digests[(id(items), id(key))] = (items, key, made)
        return made

    def data(self, change: Change, make: Callable[[Change], str | None]) -> str | None:
        """``make(change)`` (the text the checksum hashes of it), or what it gave this very
        change before."""
        return self._data.get(change, make)[0]


def _pair_key(pair: Pair) -> _PairKey:
    current = id(pair.current) if pair.current is not None else 0
    return (id(pair.outcome), current, pair.adopted, pair.pinned, pair.from_group)


def settings_of(
    people: Stakeholders,
    sources: Mapping[str, str | None],
    personal: frozenset[str],
    group: str | None,
) -> Settings:
    """The settings a plan computes under (see :func:`reconciler.engine.build.build_plan`)."""
    return Settings(people, tuple(sources.items()), personal, group)


def by_identifier(stakeholders: Sequence[Stakeholder]) -> dict[str, Stakeholder]:
    """The stakeholders that alone hold their identifier, by identifier: whom an employee
    with that identifier is most likely paired with (what :func:`warm` guesses)."""
    seen: dict[str, Stakeholder | None] = {}
    for stakeholder in stakeholders:
        key = normal_identifier(stakeholder.identifier)
        if key is not None:
            seen[key] = None if key in seen else stakeholder
    return {key: s for key, s in seen.items() if s is not None}
