"""Small builders for engine tests: configs, employees, stakeholders."""

from __future__ import annotations

from datetime import date
from typing import Any

from reconciler.config.model import Config
from reconciler.domain.employee import Employee
from reconciler.domain.stakeholder import Stakeholder, TargetState

BASE: dict[str, Any] = {
    "version": 1,
    "hris": {"provider": "charliehr", "client_id": "env/ID", "client_secret": "env/SECRET"},
    "ledgy": {"company": "Acme Ltd", "api_key": "env/KEY"},
}


def config(safety: dict[str, Any] | None = None, **stakeholders: Any) -> Config:
    data = {**BASE, "stakeholders": stakeholders}
    if safety is not None:
        data["safety"] = safety
    return Config.model_validate(data)


def employee(n: int, **values: Any) -> Employee:
    base: dict[str, Any] = {
        "work_email": f"person{n}@acme.test",
        "name": f"Person {n}",
        "first_name": "Person",
        "last_name": str(n),
        "country": "GB",
        "start_date": date(2020, 1, 1),
        "employment_status": "active",
    }
    return Employee(id=f"tm_{n:04d}", **(base | values))


def stakeholder(n: int, **values: Any) -> Stakeholder:
    base: dict[str, Any] = {"name": f"Person {n}", "identifier": f"person{n}@acme.test"}
    return Stakeholder(id=f"sh_{n:04d}", **(base | values))


def state(*people: Stakeholder, custom_fields: frozenset[str] = frozenset()) -> TargetState:
    return TargetState("Acme Ltd", tuple(people), custom_fields)
