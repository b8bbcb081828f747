"""Which HR fields CharlieHR's records gave nobody, and which keys look like them. Pure.

Absent is not empty. A key that no record of its endpoint carries (or that holds a
value of the wrong JSON type on every record) leaves its field *unread*: the plan
never changes it in Ledgy, and the finding says which key was looked for, where,
which keys of that endpoint look like it, and the ``hris.field_keys`` line to add.
The findings hold key names, JSON types and counts, never a value.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import Any, Literal

from reconciler.domain.contact import KeySeen, RoleFound
from reconciler.domain.employee import Employee
from reconciler.domain.fields import CATALOGUE, ENDPOINTS, LOOKS_LIKE, RAW_KEYS
from reconciler.domain.gaps import Gap, Reason
from reconciler.domain.json import Json
from reconciler.sources.charliehr.normalise import json_type

Status = Literal["found", "absent", "wrong_type", "not_sampled"]
SUGGESTIONS = 3
"""Keys named as look-alikes of one that is absent."""
_NAME_PARTS = ("display_name", "first_name", "last_name")
JOIN = "salary_member"
"""The role of the salary record's key that names its team member."""


@dataclass(frozen=True, slots=True)
class KeyStats:
    """How one key appears across the records of an endpoint (no value is kept)."""

    present: int
    """Records that carry the key."""
    filled: int
    """Records whose value is neither null nor empty."""
    types: tuple[tuple[str, int], ...]
    """JSON types of the filled values, the most common first."""

    @property
    def main_type(self) -> str:
        """The most common JSON type of its values (``null`` when none is filled)."""
        return self.types[0][0] if self.types else "null"


def survey(records: Sequence[Json]) -> dict[str, KeyStats]:
    """Every key of the records, with how often it is there and filled, and its types."""
    present: Counter[str] = Counter(chain.from_iterable(records))
    filled: Counter[str] = Counter()
    types: dict[str, Counter[str]] = {key: Counter() for key in present}
    for record in records:
        for key, value in record.items():
            if _filled(value):
                filled[key] += 1
                types[key][json_type(value)] += 1
    return {
        key: KeyStats(present[key], filled[key], tuple(types[key].most_common()))
        for key in sorted(present)
    }


def keys_seen(records: Sequence[Json]) -> tuple[KeySeen, ...]:
    """Every key of the records as a report lists it: names, counts and types only."""
    return tuple(
        KeySeen(key, stats.present, stats.filled, tuple(t for t, _ in stats.types))
        for key, stats in survey(records).items()
    )


def roles_found(samples: Mapping[str, Sequence[Json]], keys: Mapping[str, str]) -> list[RoleFound]:
    """How each role that feeds a field resolves on sampled records, by resource.

    A resource missing from ``samples`` (its endpoint refused, or not needed) is
    ``not_sampled``; an absent key comes with the keys that look like it.
    """
    found = []
    for resource, endpoint in (("team_member", "/team_members"), ("salary", "/salaries")):
        records = samples.get(resource) or ()
        stats = survey(records)  # once per resource: a page may carry thousands of keys
        roles = _roles(resource) + ([JOIN, "effective_date"] if resource == "salary" else [])
        found += [_role_found(role, keys, f"GET {endpoint}", records, stats) for role in roles]
    return found


def _role_found(
    role: str,
    keys: Mapping[str, str],
    endpoint: str,
    records: Sequence[Json],
    stats: Mapping[str, KeyStats],
) -> RoleFound:
    key = keys[role]
    if not records:
        return RoleFound(role, key, endpoint, "not_sampled")
    if key in stats:
        status: Status = "wrong_type" if _always_structured(role, stats[key]) else "found"
        seen = f"{stats[key].main_type}, filled on {stats[key].filled} of {len(records)} records"
        return RoleFound(role, key, endpoint, status, seen)
    candidates = _candidates(role, key, records, keys)
    looks = tuple(describe(c, stats[c], len(records)) for c in candidates)
    line = f"{{{role}: {candidates[0]}}}" if candidates else None
    return RoleFound(role, key, endpoint, "absent", None, looks, line)


def _always_structured(role: str, stats: KeyStats) -> bool:
    """True when every filled value is of a type the role cannot be read from."""
    allowed = {"a list", "text", "a number"} if role == "teams" else {"text", "a number"}
    return bool(stats.types) and not any(t in allowed for t, _ in stats.types)


def describe(key: str, stats: KeyStats, records: int) -> str:
    """``manager (text, filled on 118 of 120 records)``."""
    return f"{key} ({stats.main_type}, filled on {stats.filled} of {records} records)"


def member_gaps(
    employees: Sequence[Employee],
    members: Sequence[Json],
    keys: Mapping[str, str],
    *,
    detail_view: bool,
) -> list[Gap]:
    """Team-member fields no record gave: a key absent everywhere, or always of the wrong type.

    ``detail_view`` says whether ``/team_members/{id}`` was read too; if not, the
    remedy mentions it (a list may leave keys out that the detail view has).
    """
    if not members:
        return []
    absent = {role for role in _roles("team_member") if not _anywhere(keys[role], members)}
    if not all(part in absent for part in _NAME_PARTS):
        absent.discard("display_name")  # the first and last name stand in for it
    absent.discard("legal_entity")  # the office stands in for it (fields.ENTITY_FALLBACK)
    wrong = _wrong_everywhere(employees) - {_field_of(role) for role in absent}
    found = [_gap(role, "key_absent", members, keys, detail_view) for role in sorted(absent)]
    found += [
        _gap(CATALOGUE[f].raw_role or f, "wrong_type", members, keys, True) for f in sorted(wrong)
    ]
    return found


def salary_gaps(salaries: Sequence[Json], keys: Mapping[str, str]) -> list[Gap]:
    """Salary fields no salary record gave (the key absent from every record).

    Without the key that names the team member, no record joins anyone: every field
    the salaries feed is unread.
    """
    if not salaries:
        return []
    roles = _roles("salary")
    if not _anywhere(keys[JOIN], salaries):
        fed = tuple(_field_of(role) for role in roles)
        return [_gap(JOIN, "key_absent", salaries, keys, True, fed)]
    absent = [role for role in roles if not _anywhere(keys[role], salaries)]
    return [_gap(role, "key_absent", salaries, keys, True) for role in absent]


def _roles(resource: str) -> list[str]:
    """The roles of a resource that feed a canonical field."""
    fed = {f.raw_role for f in CATALOGUE.values()}
    return [r.role for r in RAW_KEYS.values() if r.resource == resource and r.role in fed]


def _field_of(role: str) -> str:
    return next(f.name for f in CATALOGUE.values() if f.raw_role == role)


def _anywhere(key: str, records: Sequence[Json]) -> bool:
    # Stops at the first record that has it: free for every key that is there.
    return any(key in record for record in records)


def _wrong_everywhere(employees: Sequence[Employee]) -> set[str]:
    """Canonical fields every employee's record held in the wrong JSON type."""
    if not employees or any(not e.unread for e in employees):
        return set()
    common = set(employees[0].unread)
    for employee in employees[1:]:
        common &= employee.unread.keys()
    wrong = {f for f in common if "holds" in employees[0].unread[f]}
    return {f for f in wrong if f in CATALOGUE}


def _gap(
    role: str,
    reason: Reason,
    records: Sequence[Json],
    keys: Mapping[str, str],
    detail_view: bool,
    fields: tuple[str, ...] = (),
) -> Gap:
    raw = RAW_KEYS[role]
    key = keys[role]
    endpoint = f"GET {ENDPOINTS[raw.resource]}"
    fields = fields or tuple(f.name for f in CATALOGUE.values() if f.raw_role == role)
    candidates = _candidates(role, key, records, keys)
    stats = survey(records)
    looks = tuple(describe(c, stats[c], len(records)) for c in candidates)
    if reason == "key_absent":
        what = f"no key '{key}' in any of its {len(records)} records"
    else:
        what = f"'{key}' in the wrong JSON type ({stats[key].main_type}) on every record"
    message = (
        f"{', '.join(fields)} not read: CharlieHR {endpoint} has {what}"
        + (f"; keys that look like it: {', '.join(looks)}" if looks else "")
        + "; this plan leaves it unchanged in Ledgy for everyone"
    )
    return Gap(
        fields,
        reason,
        endpoint,
        message,
        _remedy(role, candidates, reason, detail_view),
        key,
        looks,
        ((role, candidates[0]),) if candidates else (),
    )


def _remedy(role: str, candidates: Sequence[str], reason: Reason, detail_view: bool) -> str:
    if reason == "wrong_type":
        return (
            "the reconciler cannot read this key's values; run `reconciler doctor --apis` "
            "and send us its report (docs/first-real-run.md)"
        )
    tail = "" if detail_view else ", or set hris.fetch_details: true if only the detail view has it"
    if not candidates:
        return (
            f"find the key that holds it (`reconciler doctor --apis` lists every key) and "
            f"set it in company.yaml under hris: `field_keys: {{{role}: <key>}}`{tail}"
        )
    return (
        f"if '{candidates[0]}' holds it, add under hris in company.yaml: "
        f"`field_keys: {{{role}: {candidates[0]}}}`{tail}"
    )


def _candidates(role: str, key: str, records: Sequence[Json], keys: Mapping[str, str]) -> list[str]:
    """Keys the records carry, used by no role, that look like the missing one."""
    seen = set(chain.from_iterable(records))
    resource = RAW_KEYS[role].resource
    taken = {keys[r.role] for r in RAW_KEYS.values() if r.resource == resource}
    free = sorted(seen - taken)
    named = [k for k in LOOKS_LIKE.get(role, ()) if k in free]
    close = _close((key, role), free)
    return list(dict.fromkeys(chain(named, close)))[:SUGGESTIONS]


def _close(words: Iterable[str], choices: Sequence[str]) -> list[str]:
    return [
        match
        for word in words
        for match in difflib.get_close_matches(word, choices, n=SUGGESTIONS, cutoff=0.75)
    ]


def _filled(value: Any) -> bool:
    return value is not None and value != "" and value != [] and value != {}
