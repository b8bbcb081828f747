"""Desired state: what each employee should look like as a Ledgy stakeholder. Pure.

An employee is synced when every sync-if rule passes, the leaver policy allows it,
and it has a work email. Its desired values are keyed by plan field name and hold
only the fields the config manages; a value the HR data could not give reliably
(a mobile number without country code, an unknown country, a bad date) is left
out, so that one field stays unsynced while the rest of the stakeholder syncs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple, Protocol

from reconciler.config.model import Stakeholders
from reconciler.domain.employee import Employee
from reconciler.domain.fields import RAW_PREFIX, is_personal
from reconciler.domain.identity import identifier_problem, normal_email, normal_identifier
from reconciler.domain.stakeholder import ADDRESS, CUSTOM, HRIS, Value, as_text
from reconciler.engine.phones import to_e164
from reconciler.engine.rules import failure_finder
from reconciler.engine.values import PlanWarning, Skip

DEFAULT_HRIS = ("personal_email", "start_date", "termination_date", "employment_status",
                "employment_type", "team")  # fmt: skip
PAY = ("pay_rate", "pay_period", "pay_currency")
STANDARD = {
    "name": "name",
    "identifier": "work_email",
    "birthdate": "birthdate",
    ADDRESS + "line1": "address_line_1",
    ADDRESS + "line2": "address_line_2",
    ADDRESS + "postcode": "zip_code",
    ADDRESS + "city": "city",
    ADDRESS + "country": "country",
}
_EMAILS = frozenset({"work_email", "personal_email"})
_PROBLEM_FIELDS = {
    "unknown_country": "country",
    "unknown_manager": "manager",
    "unknown_team": "team",
    "unknown_office": "office",
}
_MESSAGES = {
    "invalid_mobile": "the mobile number has no country code; mobile_phone is left unsynced",
    "unknown_country": "the country is not a known country name or code; it is left unsynced",
    "unknown_manager": "the line manager is not a known employee; manager is left unsynced",
    "unknown_team": "a team id is not a known CharlieHR team; team is left unsynced",
    "unknown_office": "the office id is not a known CharlieHR office; office is left unsynced",
    "unknown_status": "the employment status text is unknown; read as active",
    "missing_name": "the employee has no name; the work email stands in for it",
}


def field_sources(
    people: Stakeholders,
    unread: frozenset[str] = frozenset(),
    unheld: frozenset[str] = frozenset(),
) -> dict[str, str | None]:
    """The HR field behind each plan field the config manages (``None``: a constant).

    ``unread`` names HR fields the source could not read (an endpoint refused to
    the API key); the plan fields they feed are left out, so they stay unsynced
    rather than being cleared. ``unheld`` names plan fields the target has no place
    for (a workbook export without their column); they are left out too.
    """
    sources: dict[str, str | None] = {**STANDARD, "email": people.email, "group": None}
    hris = list(DEFAULT_HRIS)
    if "pay_rate" in people.optional_fields:
        hris += PAY
    hris += [f for f in ("manager", "mobile_phone") if f in people.optional_fields]
    sources |= {HRIS + f: f for f in hris}
    sources |= {CUSTOM + c.to: c.from_ for c in people.custom_fields}
    return {
        field: src for field, src in sources.items() if src not in unread and field not in unheld
    }


def personal_fields(sources: Mapping[str, str | None]) -> frozenset[str]:
    """Plan fields whose values are personal (masked in public output)."""
    return frozenset(f for f, src in sources.items() if src is not None and is_personal(src))


@dataclass(frozen=True)
class Outcome:
    """What the config makes of one employee: desired values, or the reason it is skipped."""

    employee: Employee
    identifier: str | None
    values: Mapping[str, Value] | None
    skip: Skip | None = None
    warnings: tuple[PlanWarning, ...] = ()

    @property
    def synced(self) -> bool:
        """True when the employee becomes (or stays) a stakeholder."""
        return self.skip is None


def desired_state(
    employees: Sequence[Employee],
    people: Stakeholders,
    unread: frozenset[str] = frozenset(),
    unheld: frozenset[str] = frozenset(),
    *,
    memo: OutcomeMemo | None = None,
) -> tuple[Outcome, ...]:
    """Every employee's outcome; employees sharing a work email are all skipped.

    With ``memo`` (settled to these settings) an employee's outcome made before is
    taken from it (:mod:`reconciler.engine.memo`)."""
    make = outcome_maker(people, field_sources(people, unread, unheld))
    if memo is None:
        return _without_duplicates([make(e) for e in employees])
    return _without_duplicates([memo.outcome(e, make) for e in employees])


def outcome(employee: Employee, people: Stakeholders, sources: Mapping[str, str | None]) -> Outcome:
    """One employee's outcome under the config."""
    return _Desire.of(people, sources)(employee)


def outcome_maker(
    people: Stakeholders, sources: Mapping[str, str | None]
) -> Callable[[Employee], Outcome]:
    """What makes each employee's outcome under these settings (worked out once)."""
    return _Desire.of(people, sources)


class OutcomeMemo(Protocol):
    """Where outcomes made before are kept (:class:`reconciler.engine.memo.PlanMemo`)."""

    def outcome(self, employee: Employee, make: Callable[[Employee], Outcome]) -> Outcome:
        """``make(employee)``, or what it gave this very employee before."""
        ...


class _Read(NamedTuple):
    """How one plan field's value is read from an employee (worked out once per plan)."""

    field: str
    source: str
    raw: str | None
    """The raw key, for ``raw.<key>``."""
    phone: bool
    email: bool
    text: bool


@dataclass(frozen=True, slots=True)
class _Desire:
    """The config's stakeholder settings made ready for many employees."""

    people: Stakeholders
    reads: tuple[_Read, ...]
    failure: Callable[[Employee], int | None]
    grouped: bool = True
    """The group is managed (a target without a place for it leaves it alone)."""

    @classmethod
    def of(cls, people: Stakeholders, sources: Mapping[str, str | None]) -> _Desire:
        reads = tuple(
            _Read(
                field,
                source,
                source.removeprefix(RAW_PREFIX) if source.startswith(RAW_PREFIX) else None,
                source == "mobile_phone",
                source in _EMAILS,
                field.startswith(CUSTOM),
            )
            for field, source in sources.items()
            if source is not None
        )
        return cls(people, reads, failure_finder(people.sync_if), "group" in sources)

    def __call__(self, employee: Employee) -> Outcome:
        people = self.people
        identifier = normal_identifier(employee.work_email)
        failed = self.failure(employee)
        if failed is not None:
            rule = people.sync_if[failed]
            accepted = ", ".join(str(v) for v in rule.in_)
            detail = f"sync_if[{failed}]: {rule.field} is not one of {accepted}"
            why = employee.unread.get(rule.field) if employee.unread else None
            if why is not None:
                detail = f"sync_if[{failed}]: {rule.field} could not be read (the record {why})"
            return _skipped(employee, identifier, "sync_if", detail, failed)
        leaver = employee.employment_status == "inactive"
        if leaver and people.terminated.action == "skip":
            return _skipped(
                employee, identifier, "terminated", "a leaver, and terminated.action is skip"
            )
        if identifier is None:
            return _skipped(employee, None, "missing_identifier", "the employee has no work email")
        problem = identifier_problem(identifier)
        if problem is not None:
            # Neither matched nor created: a look-alike must never become a second person.
            return _skipped(employee, identifier, "invalid_identifier", problem)
        values, codes = _values(employee, self.reads)
        if self.grouped:
            moved = leaver and people.terminated.action == "group"
            unknown = "employment_status" in employee.unread
            if unknown and not moved and people.terminated.action == "group":
                # Whether this is a leaver is unknown: no group may be written over Ledgy's.
                codes.append(("unread_field", _UNKNOWN_STATUS))
            else:
                values["group"] = people.terminated.group if moved else people.group
        warnings = tuple(PlanWarning(identifier, code, text, employee.id) for code, text in codes)
        return Outcome(employee, identifier, values, None, warnings)


_UNKNOWN_STATUS = (
    "group: the employment status could not be read and the dates do not tell whether "
    "this is a leaver, so the group is left unchanged in Ledgy"
)


def _unread_note(field: str, why: str) -> str:
    """Why a field is left unchanged, in words that never hold its value."""
    return f"{field}: CharlieHR's record {why}, so it is left unchanged in Ledgy"


def _problem_notes(employee: Employee, reads: Sequence[_Read]) -> list[tuple[str, str]]:
    """A warning per problem of a field this config reads (others concern nobody)."""
    read = {r.source for r in reads}
    notes = []
    for problem in employee.problems:
        if problem.startswith("invalid_date:"):
            field = problem.removeprefix("invalid_date:")
            if field in read:
                notes.append(
                    ("invalid_date", f"{field} is not a date (YYYY-MM-DD); it is left unsynced")
                )
        elif problem in _MESSAGES and _PROBLEM_FIELDS.get(problem, problem) in read | {problem}:
            notes.append((problem, _MESSAGES[problem]))
    return notes


def _values(
    employee: Employee, reads: Sequence[_Read]
) -> tuple[dict[str, Value], list[tuple[str, str]]]:
    codes = _problem_notes(employee, reads) if employee.problems else []
    unreliable = {
        _PROBLEM_FIELDS.get(p) or p.removeprefix("invalid_date:") for p in employee.problems
    }
    values: dict[str, Value] = {}
    unread = employee.unread
    for field, source, raw, phone, email, text in reads:
        if source in unreliable:
            continue
        if unread and source in unread:
            codes.append(("unread_field", _unread_note(field, unread[source])))
            continue
        value = getattr(employee, source) if raw is None else employee.raw.get(raw)
        if phone:
            value = to_e164(value)
            if value is None and employee.mobile_phone is not None:
                codes.append(("invalid_mobile", _MESSAGES["invalid_mobile"]))
                continue
        if email:
            value = normal_email(value)
        values[field] = as_text(value) if text else value
    if not values.get("name") and "name" not in unread:
        values["name"] = employee.work_email
        codes.append(("missing_name", _MESSAGES["missing_name"]))
    values["identifier"] = normal_identifier(employee.work_email)
    return values, codes


def _skipped(
    employee: Employee, identifier: str | None, reason: str, detail: str, rule: int | None = None
) -> Outcome:
    return Outcome(employee, identifier, None, Skip(employee.id, identifier, reason, detail, rule))


def _without_duplicates(outcomes: list[Outcome]) -> tuple[Outcome, ...]:
    groups: dict[str, list[int]] = defaultdict(list)
    for index, item in enumerate(outcomes):
        if item.synced and item.identifier:
            groups[item.identifier].append(index)
    for indexes in groups.values():
        if len(indexes) < 2:
            continue
        current = [i for i in indexes if outcomes[i].employee.employment_status != "inactive"]
        if len(current) == 1:
            # A rehire: the old record is a leaver; the current one is the person.
            for index in indexes:
                if index != current[0]:
                    outcomes[index] = _superseded(outcomes[index])
            continue
        for index in indexes:
            item = outcomes[index]
            detail = f"{len(indexes)} employees share this work email"
            outcomes[index] = _skipped(
                item.employee, item.identifier, "duplicate_identifier", detail
            )
    return tuple(outcomes)


def _superseded(item: Outcome) -> Outcome:
    detail = (
        "an earlier record of a rehired employee: a current employee has this work email "
        "and is synced instead"
    )
    return _skipped(item.employee, item.identifier, "duplicate_identifier", detail)
