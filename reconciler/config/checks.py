"""Checks of config values against their siblings.

Pure functions returning findings, which the model's validators raise; the warnings
of a valid config are in :mod:`reconciler.config.reads`. Nothing here imports the
model, which imports this module.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from reconciler.config.issues import KEY, Finding
from reconciler.config.suggest import did_you_mean
from reconciler.domain.countries import is_alpha2, to_alpha2
from reconciler.domain.fields import CATALOGUE, EMPLOYMENT_STATUSES, RAW_PREFIX
from reconciler.domain.sensitive import SensitiveCategory, sensitive_category

RuleValue = str | bool | int | float | date
Location = tuple[str | int, ...]
Warning = tuple[Location, str, str | None]


def value_issues(field: str, values: Sequence[RuleValue]) -> list[Finding]:
    """Check a sync rule's accepted values against what its field can hold."""
    if field == "employment_status":
        return [_status_issue(i, v) for i, v in enumerate(values) if _bad_status(v)]
    if field == "country":
        return [_country_issue(i, v) for i, v in enumerate(values) if not _is_code(v)]
    return []


def _bad_status(value: RuleValue) -> bool:
    return not isinstance(value, str) or value not in EMPLOYMENT_STATUSES


def _status_issue(index: int, value: RuleValue) -> Finding:
    text = str(value)
    lowered = text.strip().lower()
    if lowered in EMPLOYMENT_STATUSES:
        return (
            ("in", index),
            f"write '{lowered}', not '{text}'",
            "employment statuses are lower case: active, pending, inactive",
        )
    return (
        ("in", index),
        f"'{text}' is not an employment status (active, pending, inactive)"
        f"{did_you_mean(text, EMPLOYMENT_STATUSES)}",
        "a leaver is 'inactive', a future starter 'pending'",
    )


def _is_code(value: RuleValue) -> bool:
    return isinstance(value, str) and value.isupper() and is_alpha2(value)


def _country_issue(index: int, value: RuleValue) -> Finding:
    text = str(value)
    code = to_alpha2(text)
    if code is not None:
        return (
            ("in", index),
            f"countries are compared as ISO 3166 alpha-2 codes; write '{code}' for '{text}'",
            None,
        )
    return (
        ("in", index),
        f"'{text}' is not an ISO 3166 alpha-2 country code",
        "write the two-letter code, e.g. GB, DE, US",
    )


def fixture_value_issues(employee: Mapping[str, object]) -> list[Finding]:
    """Check a rule test's employee values as the HR source would read them.

    Values are never echoed: a fixture may hold a realistic birthdate.
    """
    issues: list[Finding] = []
    for key, value in employee.items():
        known = CATALOGUE.get(key)
        if known is None or value is None:
            continue
        if known.kind == "date" and not _is_date(value):
            issues.append(((key,), f"'{key}' is not a date (YYYY-MM-DD)", "write e.g. 2024-01-31"))
        elif known.kind == "number" and not _is_number(value):
            issues.append(((key,), f"'{key}' is not a number", "write e.g. 52000"))
        elif key == "employment_status" and value not in EMPLOYMENT_STATUSES:
            issues.append(
                (
                    (key,),
                    "employment_status is not an employment status (active, pending, inactive)",
                    None,
                )
            )
    return issues


def _is_date(value: object) -> bool:
    if isinstance(value, date):
        return True
    if not isinstance(value, str):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _is_number(value: object) -> bool:
    if isinstance(value, bool):
        return False
    try:
        return math.isfinite(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def duplicate_targets(targets: Sequence[str]) -> list[Finding]:
    """Find custom fields (given by the Ledgy field each writes) that write one field twice."""
    first: dict[str, int] = {}
    issues: list[Finding] = []
    for index, to in enumerate(targets):
        if to in first:
            issues.append(
                (
                    (index, "to"),
                    f"custom field '{to}' is already written by custom_fields[{first[to]}]",
                    "each Ledgy custom field can be fed by one HR field only",
                )
            )
        first.setdefault(to, index)
    return issues


def sensitive_of(field_ref: str) -> SensitiveCategory | None:
    """Return the refused category a field reference reads, if any."""
    if not field_ref.startswith(RAW_PREFIX):
        return None
    return sensitive_category(field_ref[len(RAW_PREFIX) :])


def sensitive_issues(
    reads: Iterable[tuple[int, str, str]], excepted: frozenset[str]
) -> list[Finding]:
    """Refuse reads of sensitive raw keys that have no written exception."""
    issues: list[Finding] = []
    for index, key, field_ref in reads:
        category = sensitive_of(field_ref)
        if category is not None and field_ref not in excepted:
            issues.append(
                (
                    (index, key),
                    f"'{field_ref}' reads {category.name}, a sensitive category the "
                    "reconciler refuses to copy",
                    "remove it, or list it in stakeholders.sensitive_exceptions with "
                    "the reason it may be copied",
                )
            )
    return issues


SYNCABLE_HRIS = (
    "personal_email",
    "start_date",
    "termination_date",
    "employment_status",
    "employment_type",
    "team",
    "pay_rate",
    "pay_period",
    "pay_currency",
    "manager",
    "mobile_phone",
)
"""The hidden HR fields a config can sync (``hris.<field>``; engine.desired's sources)."""
PLAN_FIELDS = (
    "name",
    "email",
    "birthdate",
    "group",
    *(f"address.{part}" for part in ("line1", "line2", "postcode", "city", "country")),
    *(f"hris.{name}" for name in SYNCABLE_HRIS),
)
"""Every plan field a config can manage, but ``identifier`` and ``custom_fields.<Name>``."""
CUSTOM_PREFIX = "custom_fields."


def conflict_field_issues(
    fields: Iterable[str], custom: Iterable[str] | None = None
) -> list[Finding]:
    """Check the plan field names of ``conflicts.fields``; with ``custom`` (the Ledgy
    custom fields the config writes), only the ``custom_fields.<Name>`` ones."""
    mapped = None if custom is None else frozenset(custom)
    issues: list[Finding] = []
    for name in fields:
        problem = _conflict_field_problem(name, mapped)
        if problem is not None:
            issues.append(((name, KEY), problem[0], problem[1]))
    return issues


def _conflict_field_problem(name: str, mapped: frozenset[str] | None) -> tuple[str, str] | None:
    if mapped is not None:
        return _custom_field_problem(name, mapped)
    if name in PLAN_FIELDS:
        return None
    if name == "identifier":
        return (
            "identifier never conflicts: stakeholders are matched on it",
            "remove it; list the fields whose edits in Ledgy matter, e.g. name or birthdate",
        )
    if name.startswith(CUSTOM_PREFIX) and len(name) > len(CUSTOM_PREFIX):
        return None
    return (
        f"unknown plan field '{name}'{did_you_mean(name, PLAN_FIELDS)}",
        "use a plan field name: name, email, birthdate, group, address.<part>, "
        "hris.<field> or custom_fields.<Ledgy name>",
    )


def _custom_field_problem(name: str, mapped: frozenset[str]) -> tuple[str, str] | None:
    if not name.startswith(CUSTOM_PREFIX) or name[len(CUSTOM_PREFIX) :] in mapped:
        return None
    known = [CUSTOM_PREFIX + c for c in sorted(mapped)]
    return (
        f"'{name}' is not a custom field this config writes{did_you_mean(name, known)}",
        "name it as custom_fields.<to> of one of stakeholders.custom_fields",
    )
