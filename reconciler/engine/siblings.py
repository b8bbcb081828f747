"""Configs that write to the same Ledgy company must manage disjoint people. Pure.

Two configs of one repository may keep the same Ledgy company (a group split by
entity, each with its own rules); then no person may pass both configs' ``sync_if``,
or each plan would undo the other's writes. :func:`overlaps` says which pairs of
configs the rules alone do not keep apart; :func:`shared_people` finds the people a
read shows in both.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations

from reconciler.config.model import Config, Rule
from reconciler.domain.employee import Employee
from reconciler.engine.rules import comparable, failure_finder

KeyPath = tuple[str | int, ...]


@dataclass(frozen=True)
class Named:
    """A config and the name the repository gives it."""

    name: str
    config: Config


@dataclass(frozen=True)
class Overlap:
    """Two configs of one Ledgy company whose rules may admit the same person."""

    first: str
    second: str
    company: str
    reason: str
    first_at: KeyPath
    """Where in the first config the overlap shows (a rule, or the section)."""
    second_at: KeyPath


def ledgy_company(config: Config) -> tuple[str, str]:
    """What identifies the Ledgy company a config writes to: the API and the company."""
    return (config.ledgy.url.rstrip("/").lower(), config.ledgy.company.strip().casefold())


def hris_account(config: Config) -> tuple[str, str]:
    """What identifies the CharlieHR account a config reads: the API and the client id."""
    return (config.hris.base_url.rstrip("/").lower(), config.hris.client_id)


def same_company(configs: Iterable[Named], config: Config) -> list[Named]:
    """The configs among ``configs`` that write to ``config``'s Ledgy company."""
    key = ledgy_company(config)
    return [c for c in configs if ledgy_company(c.config) == key]


def overlaps(configs: Sequence[Named]) -> list[Overlap]:
    """Every pair of configs of one Ledgy company that no rule field keeps apart.

    Two configs are apart when some field is ruled in both and the values they accept
    on it have nothing in common; anything else may overlap (the values people hold
    decide, which only a plan sees).
    """
    found = []
    for first, second in combinations(configs, 2):
        if ledgy_company(first.config) != ledgy_company(second.config):
            continue
        overlap = _pair(first, second)
        if overlap is not None:
            found.append(overlap)
    return found


def _pair(first: Named, second: Named) -> Overlap | None:
    ours, theirs = (
        _accepted(first.config.stakeholders.sync_if),
        _accepted(second.config.stakeholders.sync_if),
    )
    shared = [field for field in ours if field in theirs]
    if any(not (ours[f][1] & theirs[f][1]) for f in shared):
        return None
    company = first.config.ledgy.company
    if shared:
        # The field with the fewest values in common is the one meant to split them.
        field = min(shared, key=lambda f: len(ours[f][1] & theirs[f][1]))
        common = sorted(v for v in ours[field][1] & theirs[field][1] if v is not None)
        reason = f"both accept {field} {', '.join(repr(v) for v in common)}"
        return Overlap(
            first.name,
            second.name,
            company,
            reason,
            ("stakeholders", "sync_if", ours[field][0]),
            ("stakeholders", "sync_if", theirs[field][0]),
        )
    reason = (
        f"no field is ruled in both ({_fields(first.name, ours)}; {_fields(second.name, theirs)})"
    )
    return Overlap(first.name, second.name, company, reason, _rules_at(ours), _rules_at(theirs))


def _accepted(rules: Sequence[Rule]) -> dict[str, tuple[int, frozenset[str | None]]]:
    """Per field: the first rule on it and the values every rule on it accepts."""
    accepted: dict[str, tuple[int, frozenset[str | None]]] = {}
    for index, rule in enumerate(rules):
        values = frozenset(comparable(rule.field, v) for v in rule.in_)
        if rule.field in accepted:
            first, before = accepted[rule.field]
            accepted[rule.field] = (first, before & values)
        else:
            accepted[rule.field] = (index, values)
    return accepted


def _fields(name: str, accepted: dict[str, tuple[int, frozenset[str | None]]]) -> str:
    if not accepted:
        return f"{name} has no sync_if rule"
    return f"{name} rules by {', '.join(accepted)}"


def _rules_at(accepted: dict[str, tuple[int, frozenset[str | None]]]) -> KeyPath:
    return ("stakeholders", "sync_if") if accepted else ("ledgy", "company")


def shared_people(
    ours: Config, employees: Sequence[Employee], theirs: Config, their_employees: Sequence[Employee]
) -> list[str]:
    """Work emails (folded) of people both configs would manage: they pass both configs'
    ``sync_if`` (each config judged on its own read of the HR system)."""
    ours_pass, theirs_pass = (
        failure_finder(ours.stakeholders.sync_if),
        failure_finder(theirs.stakeholders.sync_if),
    )
    mine = {_email(e) for e in employees if ours_pass(e) is None} - {None}
    found = {_email(e) for e in their_employees if theirs_pass(e) is None} & mine
    return sorted(e for e in found if e is not None)


def _email(employee: Employee) -> str | None:
    email = employee.work_email
    return email.strip().casefold() if email else None
