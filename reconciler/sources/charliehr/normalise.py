"""CharlieHR's raw records to :class:`Employee` values. Pure.

Raw key names come from the role table in :mod:`reconciler.domain.fields`, overridden by
``hris.field_keys``. Joins are by id: team names from ``/teams``, office names from
``/offices``, the manager from the list itself, pay from the salary in force (the
latest ``effective_date`` on or before today; a future-dated raise is ignored).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import Any

from reconciler.domain.countries import to_alpha2
from reconciler.domain.employee import Employee, Status, dated_status
from reconciler.domain.fields import RAW_KEYS

Json = Mapping[str, Any]

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
    """One member being normalised: the raw record and the problems found so far."""

    record: Json
    keys: Mapping[str, str]
    problems: list[str] = field(default_factory=list)

    def get(self, role: str) -> Any:
        return self.record.get(self.keys[role])

    def text(self, role: str) -> str | None:
        return _text(self.get(role))

    def day(self, role: str) -> date | None:
        value = self.get(role)
        parsed = _date(value)
        if parsed is None and _text(value) is not None:
            self.problems.append(f"invalid_date:{role}")
        return parsed


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


def lookups(raw: RawCompany, keys: Mapping[str, str]) -> Lookups:
    """Team and office names and the members by id (the salaries are not needed)."""
    return Lookups(
        _names(raw.teams, keys["team_name"]),
        _names(raw.offices, keys["office_name"]),
        {str(m.get(keys["id"])): m for m in raw.members},
    )


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
        office=_office(row, found.offices),
        job_title=row.text("job_title"),
        manager=manager_name,
        manager_email=manager_email,
        mobile_phone=row.text("mobile_phone"),
        gender=row.text("gender"),
        raw=MappingProxyType({k: row.record[k] for k in sorted(wanted_raw) if k in row.record}),
        raw_keys=frozenset(row.record),
        problems=tuple(row.problems),
    )


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
    fill(employee, "pay_rate", _number(salary.get("pay_rate")))
    fill(employee, "pay_period", salary.text("pay_period"))
    fill(employee, "pay_currency", salary.text("pay_currency"))
    fill(employee, "job_title", employee.job_title or salary.text("job_title"))


def salaries_in_force(
    salaries: Sequence[Json], keys: Mapping[str, str], today: date
) -> dict[str, Json]:
    """The salary record in force per member: latest effective date on or before today."""
    best: dict[str, tuple[date, int, Json]] = {}
    for index, record in enumerate(salaries):
        member = record.get(keys["salary_member"])
        effective = _date(record.get(keys["effective_date"])) or date.min
        if member is None or effective > today:
            continue
        rank = (effective, index, record)
        current = best.get(str(member))
        if current is None or rank[:2] >= current[:2]:
            best[str(member)] = rank
    return {member: rank[2] for member, rank in best.items()}


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
    value = row.get("teams")
    ids = value if isinstance(value, list) else [] if value is None else [value]
    names = sorted({teams.get(str(i), str(i)) for i in ids if _text(i) is not None})
    return ", ".join(names) or None


def _office(row: _Row, offices: Mapping[str, str]) -> str | None:
    value = row.text("office")
    return None if value is None else offices.get(value, value)


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
