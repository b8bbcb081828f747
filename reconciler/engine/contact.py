"""The verdict of a first contact: what differs from the config's guesses, and what to set. Pure.

Takes what ``doctor --apis`` saw (first pages, roles, paging, Ledgy) and the config,
and says, finding by finding, what a real run would do about it: an error where a
run would stop (a field the config names that no record gives, a Ledgy account that
cannot serve the driver), a warning where it would leave fields unchanged, and the
one line to add to company.yaml where there is one.
"""

from __future__ import annotations

from collections.abc import Sequence

from reconciler.config.model import Config
from reconciler.domain.contact import (
    EndpointSample,
    Finding,
    LedgyContact,
    Level,
    Paging,
    RoleFound,
)
from reconciler.domain.fields import CATALOGUE
from reconciler.engine.desired import PAY, field_sources
from reconciler.engine.guards import named_reads

GOOD_ENDS = frozenset({"empty", "404", "the last page again"})
SALARY_FIELDS = ("employment_type", *PAY)
JOIN = "salary_member"


def verdict(
    config: Config,
    endpoints: Sequence[EndpointSample],
    roles: Sequence[RoleFound],
    paging: Paging | None,
    ledgy: LedgyContact | None,
) -> tuple[Finding, ...]:
    """Every finding, errors first, then warnings, then what is fine or merely useful."""
    found = [
        *_endpoint_findings(config, endpoints),
        *_role_findings(config, roles),
        *_paging_findings(config, paging),
        *_entity_finding(roles),
        *(_ledgy_findings(config, ledgy) if ledgy is not None else []),
    ]
    if not any(f.level in ("error", "warning") for f in found):
        found.append(Finding("ok", "CharlieHR and Ledgy answer as this config expects"))
    order = {"error": 0, "warning": 1, "info": 2, "ok": 3}
    return tuple(sorted(found, key=lambda f: order[f.level]))


def _managed(config: Config) -> set[str]:
    return {src for src in field_sources(config.stakeholders).values() if src is not None}


def _named(config: Config) -> set[str]:
    return {field for _, field in named_reads(config)}


def _fields_of(role: str) -> tuple[str, ...]:
    if role == JOIN:
        return SALARY_FIELDS
    return tuple(f.name for f in CATALOGUE.values() if f.raw_role == role)


def _endpoint_findings(config: Config, endpoints: Sequence[EndpointSample]) -> list[Finding]:
    found = []
    members = next((e.records for e in endpoints if e.endpoint == "GET /team_members"), 0)
    for sample in endpoints:
        if sample.answer.startswith("failed: "):
            found.append(
                Finding(
                    "error",
                    f"CharlieHR {sample.endpoint} {sample.answer}",
                    "a real run would stop here too; run again later, and if it keeps "
                    "failing send us the report (docs/first-real-run.md)",
                )
            )
            continue
        if sample.answer == "ok" and not (
            sample.endpoint == "GET /salaries" and members and not sample.records
        ):
            continue
        answer = sample.answer if sample.answer != "ok" else "answered an empty list"
        fed = SALARY_FIELDS if sample.endpoint == "GET /salaries" else ()
        level: Level = "error" if set(fed) & _named(config) else "warning"
        found.append(
            Finding(
                level,
                f"CharlieHR {sample.endpoint} {answer}: this key has no access to it"
                + (
                    f", so {', '.join(f for f in fed if f in _managed(config))} would be "
                    "left unchanged"
                    if fed
                    else ""
                ),
                "ask a CharlieHR Super Admin for a key with access to salary data"
                if fed
                else "ask a CharlieHR Super Admin for a key that may read it",
            )
        )
    return found


def _role_findings(config: Config, roles: Sequence[RoleFound]) -> list[Finding]:
    managed, named = _managed(config), _named(config)
    read = {role.role for role in roles if role.status == "found"}
    found = []
    for role in roles:
        fields = [f for f in _fields_of(role.role) if f in managed]
        if role.status not in ("absent", "wrong_type") or not fields or _stood_in(role.role, read):
            continue
        level: Level = "error" if set(fields) & named or "work_email" in fields else "warning"
        what = (
            f"{', '.join(fields)}: CharlieHR {role.endpoint} has no key '{role.key}' on its "
            "first page"
            if role.status == "absent"
            else f"{', '.join(fields)}: '{role.key}' holds values of a type that cannot be read"
        )
        if role.looks_like:
            what += f"; keys that look like it: {', '.join(role.looks_like)}"
        remedy = (
            f"add under hris in company.yaml: `field_keys: {role.field_keys}`"
            if role.field_keys
            else "find the key among those listed above and set it under hris: "
            f"`field_keys: {{{role.role}: <key>}}`"
        )
        found.append(Finding(level, what, remedy))
    return found


def _stood_in(role: str, read: set[str]) -> bool:
    """True when a plan reads the field from other keys: without a display name, the name
    is the first and last names (as ``coverage.member_gaps`` has it); without a legal
    entity, the entity is the office."""
    if role == "legal_entity":
        return True
    return role == "display_name" and bool(read & {"first_name", "last_name"})


def _entity_finding(roles: Sequence[RoleFound]) -> list[Finding]:
    """Where the ``entity`` field comes from in this account (the docs' "entity" section)."""
    role = next((r for r in roles if r.role == "legal_entity"), None)
    if role is None or role.status == "not_sampled":
        return []
    if role.status == "found":
        return [
            Finding("info", f"entity: read from the legal entity, key '{role.key}' ({role.seen})")
        ]
    return [
        Finding(
            "info",
            f"entity: no record has the key '{role.key}', so the entity is the office's name",
            "if another key holds the employing entity, set it under hris: "
            "`field_keys: {legal_entity: <key>}`",
        )
    ]


def _paging_findings(config: Config, paging: Paging | None) -> list[Finding]:
    if paging is None:
        return []
    found = []
    if not paging.pages and paging.past_end is not None:
        found.append(
            Finding(
                "warning",
                f"CharlieHR {paging.endpoint}: {paging.past_end} while the list was read to "
                "its end",
                "run again later; if it keeps failing, send us the report",
            )
        )
    if paging.pages and paging.past_end not in GOOD_ENDS:
        found.append(
            Finding(
                "warning",
                f"CharlieHR {paging.endpoint}: a page past the end answered "
                f"{paging.past_end}; a read may have to be refused",
                "run `reconciler doctor --apis --out report.json` and send us the file",
            )
        )
    size = config.hris.page_size
    if paging.page_size is not None and paging.page_size > size:
        found.append(
            Finding(
                "info",
                f"CharlieHR honours pages of {paging.page_size} items (this config asks "
                f"{size}): a read needs up to {paging.page_size // size} times fewer requests",
                f"set hris.page_size: {paging.page_size}",
            )
        )
    elif paging.page_size is not None and paging.page_size < size:
        found.append(
            Finding(
                "warning",
                f"CharlieHR gives at most {paging.page_size} items a page; this config asks {size}",
                f"set hris.page_size: {paging.page_size}",
            )
        )
    return found


def _ledgy_findings(config: Config, ledgy: LedgyContact) -> list[Finding]:
    found = []
    if ledgy.company is not None and ledgy.company != config.ledgy.company:
        found.append(
            Finding(
                "error",
                f"the Ledgy key belongs to '{ledgy.company}', not '{config.ledgy.company}'",
                "use the key of the configured company, or correct ledgy.company",
            )
        )
    if ledgy.introspection == "refused":
        found.append(
            Finding(
                "error",
                "this Ledgy account does not describe its API (introspection is refused)",
                "set ledgy.driver: workbook (docs/ledgy-drivers.md)",
            )
        )
    if ledgy.operations_missing:
        found.append(
            Finding(
                "error",
                "this Ledgy account's API offers no "
                f"{', '.join(ledgy.operations_missing)}: the api driver cannot run",
                "set ledgy.driver: workbook (docs/ledgy-drivers.md)",
            )
        )
    found += _column_findings(ledgy)
    return found


def _column_findings(ledgy: LedgyContact) -> list[Finding]:
    if ledgy.driver != "workbook":
        return []
    found = []
    required = [r for r in ("stakeholder_id", "name", "email", "identifier")
                if r in ledgy.columns_missing]  # fmt: skip
    if required:
        found.append(
            Finding(
                "error",
                f"the Ledgy export has no column for {', '.join(required)}",
                "name it under ledgy.workbook: `columns: {" + required[0] + ": <header>}`",
            )
        )
    others = [r for r in ledgy.columns_missing if r not in required]
    if others:
        found.append(
            Finding(
                "warning",
                f"the Ledgy export has no column for {', '.join(others)}: those fields are "
                "not synced under the workbook driver",
                "add the columns to the export, or name them under ledgy.workbook.columns",
            )
        )
    if ledgy.columns_unknown:
        found.append(
            Finding(
                "info",
                f"columns of the export no config field uses: {', '.join(ledgy.columns_unknown)}",
            )
        )
    return found
