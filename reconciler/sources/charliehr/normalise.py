"""CharlieHR's raw records to :class:`Employee` values. Pure.

Raw key names come from the role table in :mod:`reconciler.domain.fields`, overridden by
``hris.field_keys``. Joins are by id: team names from ``/teams``, office names from
``/offices``, the manager from the list itself, pay from the salary in force (the
latest ``effective_date`` on or before today; a future-dated raise is ignored).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import date
from types import MappingProxyType
from typing import Any

from reconciler.domain.countries import to_alpha2
from reconciler.domain.employee import NOTHING_UNREAD, Employee, Status, dated_status
from reconciler.domain.fields import ENTITY_FALLBACK, FIELDS, RAW_KEYS, RAW_PREFIX, RawKey
from reconciler.domain.json import Json

_NO_KEY = RawKey("", "", "company", "guess", "")

_ACTIVE = {"active", "current", "employed", "live"}
_PENDING = {"pending", "hired", "onboarding", "future", "starter", "not_started"}
_INACTIVE = {"inactive", "terminated", "left", "leaver", "former", "archived", "offboarded"}


@dataclass(frozen=True)
class RawCompany:
    """The lists read from CharlieHR, as parsed JSON objects."""

    members: Sequence[Json]
    salaries: Sequence[Json] = ()
    teams: Sequence[Json] = ()
    offices: Sequence[Json] = ()


@dataclass
class _Row:
    """One member being normalised: the raw record, the problems found so far, and the
    roles it did not give (key absent, or a value of the wrong JSON type), with why."""

    record: Json
    keys: Mapping[str, str]
    problems: list[str] = field(default_factory=list)
    unread: dict[str, str] = field(default_factory=dict)

    def get(self, role: str) -> Any:
        key = self.keys[role]
        if key in self.record:
            return self.record[key]
        self.unread[role] = f"has no key '{key}'"
        return None

    def text(self, role: str) -> str | None:
        value = self.get(role)
        if isinstance(value, dict | list | bool):
            self.wrong(role, value, "text")
            return None
        return _text(value)

    def day(self, role: str) -> date | None:
        value = self.get(role)
        if value is not None and not isinstance(value, str):
            self.wrong(role, value, "a date")
            return None
        parsed = _date(value)
        if parsed is None and _text(value) is not None:
            self.problems.append(f"invalid_date:{role}")
        return parsed

    def wrong(self, role: str, value: Any, expected: str) -> None:
        """Note a value of the wrong JSON type (its type is named, never its content)."""
        self.unread[role] = (
            f"holds {json_type(value)} in '{self.keys[role]}' where {expected} is expected"
        )


def json_type(value: Any) -> str:
    """A JSON value's type in words (``an object``, ``a list``, ``text``, …), never its content."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, int | float):
        return "a number"
    return "text"


def key_table(overrides: Mapping[str, str] | None = None) -> dict[str, str]:
    """Raw key name by role: the defaults, with the config's overrides."""
    table = {role: raw.key for role, raw in RAW_KEYS.items()}
    table.update(overrides or {})
    return table


def normalise(
    raw: RawCompany,
    keys: Mapping[str, str],
    *,
    today: date,
    wanted_raw: frozenset[str] = frozenset(),
) -> tuple[Employee, ...]:
    """Turn raw CharlieHR records into employees, joined and normalised."""
    found = lookups(raw, keys)
    profiles = [profile(member, found, keys, today, wanted_raw) for member in raw.members]
    return with_salaries(profiles, salaries_in_force(raw.salaries, keys, today), keys)


@dataclass(frozen=True)
class Lookups:
    """What a member's own record is joined with, other than salaries: names by id."""

    teams: Mapping[str, str]
    offices: Mapping[str, str]
    members: Mapping[str, Json]
    entity_role: str = "legal_entity"
    """Where ``entity`` is read: the legal entity when any record carries its key, else
    the office (one source for every member, so that rules on it split consistently)."""


def lookups(raw: RawCompany, keys: Mapping[str, str]) -> Lookups:
    """Team and office names and the members by id (the salaries are not needed)."""
    return Lookups(
        _names(raw.teams, keys["team_name"]),
        _names(raw.offices, keys["office_name"]),
        {str(m.get(keys["id"])): m for m in raw.members},
        entity_role(raw.members, keys),
    )


def entity_role(members: Sequence[Json], keys: Mapping[str, str]) -> str:
    """``legal_entity`` when a record carries that key, else the fallback (the office)."""
    key = keys["legal_entity"]
    return "legal_entity" if any(key in m for m in members) else ENTITY_FALLBACK


def profile(
    member: Json, found: Lookups, keys: Mapping[str, str], today: date, wanted_raw: frozenset[str]
) -> Employee:
    """One member without the fields salaries give; :func:`with_salaries` adds them.

    Split from the salary join so that members can be normalised while the salary
    list, the longest, is still being read.
    """
    row = _Row(member, keys)
    start, end = row.day("start_date"), row.day("termination_date")
    manager_name, manager_email = _manager(row, found.members)
    office = _office(row, found.offices)
    return Employee(
        id=str(row.get("id")),
        work_email=row.text("work_email"),
        personal_email=row.text("personal_email"),
        first_name=row.text("first_name"),
        last_name=row.text("last_name"),
        name=row.text("display_name") or _join(row.text("first_name"), row.text("last_name")),
        address_line_1=row.text("address_line_1"),
        address_line_2=row.text("address_line_2"),
        zip_code=row.text("zip_code"),
        city=row.text("city"),
        country=_country(row),
        birthdate=row.day("birthdate"),
        start_date=start,
        termination_date=end,
        employment_status=_status(row, start, end, today),
        team=_team(row, found.teams),
        office=office,
        job_title=row.text("job_title"),
        manager=manager_name,
        manager_email=manager_email,
        mobile_phone=row.text("mobile_phone"),
        gender=row.text("gender"),
        entity=_entity(row, found.entity_role, office),
        raw=MappingProxyType({k: row.record[k] for k in sorted(wanted_raw) if k in row.record}),
        raw_keys=frozenset(row.record),
        problems=tuple(row.problems),
        unread=_unread(row, wanted_raw),
    )


_MEMBER_FIELDS = {
    f.name: f.raw_role
    for f in FIELDS
    if f.raw_role is not None and RAW_KEYS.get(f.raw_role, _NO_KEY).resource == "team_member"
}
"""Canonical field -> the team-member role that feeds it."""
_SALARY_FIELDS = ("employment_type", "pay_rate", "pay_period", "pay_currency")
_NAME_PARTS = ("display_name", "first_name", "last_name")


def _unread(row: _Row, wanted_raw: frozenset[str]) -> Mapping[str, str]:
    """The fields this record does not give, each with why (never a value)."""
    record = row.record
    if not row.unread and all(
        key in record and not isinstance(record[key], dict | list) for key in wanted_raw
    ):
        return NOTHING_UNREAD  # the common case, once per employee: nothing to look up
    unread = {f: row.unread[role] for f, role in _MEMBER_FIELDS.items() if role in row.unread}
    if "name" in unread and not all(part in row.unread for part in _NAME_PARTS):
        del unread["name"]  # the first and last name stand in for the display name
    for key in wanted_raw:
        if key not in row.record:
            unread[RAW_PREFIX + key] = f"has no key '{key}'"
        elif isinstance(row.record[key], dict | list):
            unread[RAW_PREFIX + key] = (
                f"holds {json_type(row.record[key])} in '{key}' where a value is expected"
            )
    return MappingProxyType(unread) if unread else NOTHING_UNREAD


def with_salaries(
    profiles: Sequence[Employee], pay: Mapping[str, Json], keys: Mapping[str, str]
) -> tuple[Employee, ...]:
    """The profiles, each with the salary in force (:func:`salaries_in_force`) filled in.

    In place: the profiles are this join's own, not yet seen by anyone, and filling
    five fields costs a tenth of copying 10,000 frozen employees after the last page.
    """
    for employee in profiles:
        record = pay.get(employee.id)
        if record is not None:
            _fill_salary(employee, _Row(record, keys))
    return tuple(profiles)


def _fill_salary(employee: Employee, salary: _Row) -> None:
    fill = object.__setattr__  # the second half of making a frozen employee
    fill(employee, "employment_type", salary.text("employment_type"))
    fill(employee, "pay_rate", _pay_rate(salary))
    fill(employee, "pay_period", salary.text("pay_period"))
    fill(employee, "pay_currency", salary.text("pay_currency"))
    unread = dict(employee.unread)
    if employee.job_title is None:
        fill(employee, "job_title", salary.text("job_title"))
        if "job_title" not in salary.unread:
            unread.pop("job_title", None)  # the salary record gives it instead
    unread |= {f: salary.unread[f] for f in _SALARY_FIELDS if f in salary.unread}
    if unread != employee.unread:
        fill(employee, "unread", MappingProxyType(unread) if unread else NOTHING_UNREAD)


def _pay_rate(salary: _Row) -> float | None:
    value = salary.get("pay_rate")
    if isinstance(value, dict | list | bool):
        salary.wrong("pay_rate", value, "a number")
        return None
    return _number(value)


def salaries_in_force(
    salaries: Sequence[Json], keys: Mapping[str, str], today: date
) -> dict[str, Json]:
    """The salary record in force per member: latest effective date on or before today."""
    best: dict[str, tuple[date, int, Json]] = {}
    for index, record in enumerate(salaries):
        take_salary(best, record, index, keys, today)
    return {member: rank[2] for member, rank in best.items()}


def take_salary(
    best: dict[str, tuple[date, int, Json]],
    record: Json,
    index: int,
    keys: Mapping[str, str],
    today: date,
) -> str | None:
    """Count one salary record (the ``index``-th of the ledger) into ``best``, the record
    in force so far per member; the member whose record in force it became, if any."""
    member = record.get(keys["salary_member"])
    effective = _date(record.get(keys["effective_date"])) or date.min
    if member is None or effective > today:
        return None
    current = best.get(str(member))
    if current is None or (effective, index) >= current[:2]:
        best[str(member)] = (effective, index, record)
        return str(member)
    return None


def filled(profile: Employee, record: Json, keys: Mapping[str, str]) -> Employee:
    """A copy of ``profile`` with the salary ``record`` filled in (the profile unchanged):
    what :func:`with_salaries` makes of it, for a profile others may hold already."""
    employee = object.__new__(Employee)
    for name in _EMPLOYEE_SLOTS:
        object.__setattr__(employee, name, getattr(profile, name))
    _fill_salary(employee, _Row(record, keys))
    return employee


_EMPLOYEE_SLOTS = tuple(f.name for f in fields(Employee))


def _status(row: _Row, start: date | None, end: date | None, today: date) -> Status:
    """Dates win over the status text: a past end date means inactive, a future start pending."""
    dated = dated_status(start, end, today)
    if dated is not None:
        return dated
    text = (row.text("employment_status") or "").lower().replace(" ", "_").replace("-", "_")
    if text in _INACTIVE:
        return "inactive"
    if text in _PENDING:
        return "pending"
    if text and text not in _ACTIVE:
        row.problems.append("unknown_status")
    return "active"


def _country(row: _Row) -> str | None:
    text = row.text("country")
    if text is None:
        return None
    code = to_alpha2(text)
    if code is None:
        row.problems.append("unknown_country")
    return code


def _manager(row: _Row, members: Mapping[str, Json]) -> tuple[str | None, str | None]:
    manager_id = row.get("manager")
    if isinstance(manager_id, dict | list | bool):
        row.wrong("manager", manager_id, "an employee id")
        return None, None
    if manager_id is None or manager_id == "":
        return None, None
    manager = members.get(str(manager_id))
    if manager is None:
        row.problems.append("unknown_manager")
        return None, None
    other = _Row(manager, row.keys)
    name = other.text("display_name") or _join(other.text("first_name"), other.text("last_name"))
    return name, other.text("work_email")


def _team(row: _Row, teams: Mapping[str, str]) -> str | None:
    """The team names, joined; no team at all when one id is not a known team (the id is no
    name to write into Ledgy), flagged ``unknown_team``."""
    value = row.get("teams")
    ids = value if isinstance(value, list) else [] if value is None else [value]
    if any(isinstance(i, dict | list | bool) for i in ids):
        row.wrong("teams", value, "team ids")
        return None
    names = [_joined(str(i), teams) for i in ids if _text(i) is not None]
    if None in names:
        row.problems.append("unknown_team")
        return None
    return ", ".join(sorted({n for n in names if n is not None})) or None


def _office(row: _Row, offices: Mapping[str, str]) -> str | None:
    """The office's name; ``None`` for an id that is not a known office (``unknown_office``)."""
    value = row.text("office")
    if value is None:
        return None
    name = _joined(value, offices)
    if name is None:
        row.problems.append("unknown_office")
    return name


def _entity(row: _Row, role: str, office: str | None) -> str | None:
    """The legal entity's name (an object's ``name`` when the key holds one), or the office's."""
    if role == ENTITY_FALLBACK:
        if "office" in row.unread:  # the entity is unread for the office's reason
            row.unread["legal_entity"] = row.unread["office"]
        return office
    value = row.get("legal_entity")
    if isinstance(value, dict):
        value = value.get("name")
    if isinstance(value, dict | list | bool):
        row.wrong("legal_entity", value, "text")
        return None
    return _text(value)


def _joined(key: str, names: Mapping[str, str]) -> str | None:
    """The name for an id, or the value itself when it is already one of the names."""
    name = names.get(key)
    if name is None and key in names.values():
        return key
    return name


def _names(records: Sequence[Json], name_key: str) -> dict[str, str]:
    names = {str(r.get("id")): _text(r.get(name_key)) for r in records}
    return {key: name for key, name in names.items() if name is not None}


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, dict | list | bool):
        return None
    text = " ".join(str(value).split())
    return text or None


def _join(*parts: str | None) -> str | None:
    return " ".join(p for p in parts if p) or None


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None
