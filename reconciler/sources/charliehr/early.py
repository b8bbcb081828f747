"""Employees as a read has them so far, handed out while the salary ledger arrives.

The salary ledger is the longest list of a read and comes in last; the employees are
final only once its last page is in. Work that only saves time (planning each person
ahead, :mod:`reconciler.engine.memo`) can start sooner: once the team members are
normalised, every member is handed out joined with the salary in force among the
records read so far, and after that each member a new salary page changes.

What is handed out may differ from what the read returns, and only the read's result
counts. So that later work can tell what is still the same by identity, nothing handed
out is ever changed: the salary is filled into a copy (:func:`filled`), never into a
profile, and :meth:`EarlyJoins.final` returns the very employee handed out wherever
its profile and its salary record in force are the same objects as then.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from reconciler.concurrency import map_in_turns
from reconciler.domain.employee import Employee
from reconciler.domain.json import Json
from reconciler.sources.base import Early
from reconciler.sources.charliehr.normalise import filled, take_salary


class EarlyJoins:
    """The join of profiles and salaries so far, and the final join that reuses it."""

    def __init__(self, keys: Mapping[str, str], today: date, hand: Early) -> None:
        self._keys = keys
        self._today = today
        self._hand = hand
        self._best: dict[str, tuple[date, int, Json]] = {}
        self._seen = 0
        self._profiles: dict[str, Employee] | None = None
        self._given: dict[str, tuple[Employee, Json | None, Employee]] = {}
        """Per member: the profile, the salary record and the employee handed out."""

    def page(self, items: Sequence[Json]) -> None:
        """A page of the salary ledger arrived: hand out the members whose salary in
        force it changed (once the profiles are in)."""
        changed = set()
        for record in items:
            member = take_salary(self._best, record, self._seen, self._keys, self._today)
            self._seen += 1
            if member is not None:
                changed.add(member)
        profiles = self._profiles
        if profiles is None or not changed:
            return
        self._hand([self._join(profiles[m]) for m in changed if m in profiles])

    async def start(self, profiles: Sequence[Employee], *, ledger_read: bool) -> None:
        """The profiles are in: hand out each member with a salary in force so far, or
        (``ledger_read``: no salary page is still to come) every member, joined with it;
        in turns, as pages keep arriving meanwhile. A member handed out now whose salary
        a later page changes is handed out again then; one the ledger gives no salary
        is left to the read's result."""
        self._profiles = {p.id: p for p in profiles}
        best = self._best
        due = profiles if ledger_read else [p for p in profiles if p.id in best]
        self._hand(await map_in_turns(self._join, due))

    def _join(self, profile: Employee) -> Employee:
        best = self._best.get(profile.id)
        record = best[2] if best is not None else None
        employee = profile if record is None else filled(profile, record, self._keys)
        self._given[profile.id] = (profile, record, employee)
        return employee

    def final(self, profiles: Sequence[Employee], pay: Mapping[str, Json]) -> tuple[Employee, ...]:
        """The read's result: each profile with its salary in force (``pay``), the very
        employee handed out where nothing it was made of has changed since."""
        joined = []
        for profile in profiles:
            record = pay.get(profile.id)
            given = self._given.get(profile.id)
            if given is not None and given[0] is profile and given[1] is record:
                joined.append(given[2])
            else:
                joined.append(profile if record is None else filled(profile, record, self._keys))
        # Done: the profiles and every record seen need not outlive the read.
        self._given.clear()
        self._best.clear()
        self._profiles = None
        return tuple(joined)
