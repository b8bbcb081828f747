"""The demo company's Ledgy side: as if an earlier sync ran, then life went on.

Made from the demo HR data with the engine's own desired state, then changed the
way real data drifts: most employees are already stakeholders, some edited by hand
in Ledgy, some created by hand before the integration (no identifier, to adopt by
name, and one name held twice), leavers not yet moved, stakeholders of people who
left CharlieHR (orphans), and investors and advisors the sync must never touch.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from datetime import date

from reconciler.config.model import Config
from reconciler.domain.json import Json
from reconciler.domain.stakeholder import Stakeholder, Value
from reconciler.engine.desired import desired_state
from reconciler.sandbox.charliehr import CharlieHRData
from reconciler.sandbox.ledgy_data import LedgyData, stakeholder_record
from reconciler.sources.charliehr.normalise import RawCompany, key_table, normalise
from reconciler.sources.charliehr.source import raw_keys_read

PRESENT = 0.72
OUT_OF_SCOPE = 0.1
EDITED = 0.06
HAND_MADE = 0.03
GRANTED = 0.5
OUTSIDERS = (
    ("Grace Hopper", "Advisors"),
    ("Northwind Ventures Partner", "Investors"),
    ("Alan Turing", "Founders"),
)


def generate_ledgy(
    company: CharlieHRData, config: Config, *, today: date, seed: int = 11
) -> LedgyData:
    """The Ledgy company that goes with a demo HR company, under a config."""
    rng = random.Random(seed)
    raw = RawCompany(company.team_members, company.salaries, company.teams, company.offices)
    keys = key_table(config.hris.field_keys)
    employees = normalise(raw, keys, today=today, wanted_raw=raw_keys_read(config))
    outcomes = desired_state(employees, config.stakeholders)
    records: list[Json] = []
    absent = []
    for outcome in outcomes:
        identifier = outcome.identifier
        chance = PRESENT if outcome.synced else OUT_OF_SCOPE
        if identifier is None or rng.random() >= chance:
            absent.append(outcome)
            continue
        values = (
            dict(outcome.values)
            if outcome.values
            else _out_of_scope(outcome.employee.name, identifier)
        )
        if outcome.employee.employment_status == "inactive" and rng.random() < 0.6:
            values |= {"group": config.stakeholders.group, "hris.employment_status": "active"}
        if rng.random() < EDITED:
            values = _edited(values, rng)
        if rng.random() < HAND_MADE:
            values = {k: v for k, v in values.items() if not k.startswith("hris.")} | {
                "identifier": None
            }
        records.append(_record(len(records) + 1, values))
    namesake = next((o.employee.name for o in absent if o.synced and o.employee.name), None)
    records += _extras(len(records), namesake)
    custom = [c.to for c in config.stakeholders.custom_fields]
    grants = _grants(records, today, random.Random(seed + 1))  # own stream: data stays put
    return LedgyData({"id": "co_demo", "name": config.ledgy.company}, custom, records, grants)


def _grants(records: list[Json], today: date, rng: random.Random) -> list[Json]:
    """Option grants for about half the stakeholders, so the cap table has rows."""
    grants: list[Json] = []
    for record in records:
        if rng.random() >= GRANTED:
            continue
        granted = rng.choice((500, 1000, 2000, 5000))
        grants.append(
            {
                "id": f"tx_{len(grants) + 1:06d}",
                "stakeholder_id": record["id"],
                "date": date.fromordinal(today.toordinal() - rng.randint(30, 1500)).isoformat(),
                "granted": granted,
                "vested": granted * rng.randint(0, 4) // 4,
                "share_class": "Common",
                "plan": "ESOP 2024",
                "name": f"Option grant {len(grants) + 1}",
            }
        )
    return grants


def _out_of_scope(name: str | None, identifier: str) -> dict[str, Value]:
    """A stakeholder synced before the sync rules left this employee out."""
    return {
        "name": name or identifier,
        "identifier": identifier,
        "email": identifier,
        "group": "Employees",
    }


def _edited(values: dict[str, Value], rng: random.Random) -> dict[str, Value]:
    edits = [
        ("address.city", "Edited by hand"),
        ("group", "Employees (old)"),
        ("custom_fields.Job title", "Chief Vibes Officer"),
        ("hris.team", "Special Projects"),
    ]
    key, value = rng.choice([e for e in edits if e[0] in values] or edits[:1])
    return values | {key: value}


def _extras(count: int, namesake: str | None) -> list[Json]:
    """Orphans, an ambiguous pair, and people the HR sync must leave alone."""
    extras = [
        {
            "name": "Former Colleague",
            "identifier": "former.colleague@acme.test",
            "group": "Employees",
        },
        {"name": "Long Gone", "identifier": "long.gone@acme.test", "group": "Alumni"},
    ]
    if namesake is not None:  # two hand-made stakeholders share a new employee's name
        extras += [
            {"name": namesake, "group": "Employees"},
            {"name": namesake, "group": "Advisors"},
        ]
    extras += [{"name": name, "group": group} for name, group in OUTSIDERS]
    return [_record(count + n + 1, values) for n, values in enumerate(extras)]


def _record(number: int, values: Mapping[str, Value]) -> Json:
    """A ledgy.json record from plan field values."""
    stakeholder = Stakeholder.from_flat(values, f"sh_{number:06d}")
    address = stakeholder.address
    return stakeholder_record(
        {
            "id": stakeholder.id,
            "name": stakeholder.name,
            "email": stakeholder.email,
            "identifier": stakeholder.identifier,
            "birthdate": _iso(stakeholder.birthdate),
            "address": {
                k: getattr(address, k)
                for k in ("line1", "line2", "postcode", "city", "country")
                if getattr(address, k) is not None
            },
            "group": stakeholder.group,
            "custom_fields": {k: v for k, v in stakeholder.custom_fields.items() if v is not None},
            "hris": {k: _iso(v) for k, v in stakeholder.hris.items() if v is not None},
        }
    )


def _iso(value: Value) -> Value:
    return value.isoformat() if isinstance(value, date) else value
