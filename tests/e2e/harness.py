"""Both emulators on loopback, a config pointing at them, and raw-data builders."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from reconciler.commands.context import live_sides
from reconciler.config.load import LoadedConfig, load_config
from reconciler.config.secrets import run_secrets
from reconciler.engine.approval import Approved
from reconciler.engine.canonical import SANDBOX_KEY
from reconciler.engine.plan import Plan
from reconciler.pipeline import ApplyReport, Sides, apply, plan
from reconciler.sandbox import charliehr as charliehr_emulator
from reconciler.sandbox import ledgy as ledgy_emulator
from reconciler.sandbox.charliehr import Behaviour, CharlieHRData
from reconciler.sandbox.demo import generate_company
from reconciler.sandbox.faults import Knobs, MisbehaviourMiddleware, Traffic
from reconciler.sandbox.ledgy import Refusals
from reconciler.sandbox.ledgy_data import LedgyData, stakeholder_record
from reconciler.sandbox.ledgy_gate import LedgyGate
from reconciler.sandbox.server import serve_in_thread
from tests.sandbox.helpers import TODAY

CONFIG = """version: 1
hris:
  provider: charliehr
  client_id: env/HR_ID
  client_secret: env/HR_SECRET
  base_url: {charliehr}
ledgy:
  company: Acme Ltd
  api_key: env/LEDGY_KEY
  url: {ledgy}
  batch_size: {batch_size}
stakeholders:
  group: Employees
{stakeholders}
"""


def member(n: int, **values: Any) -> dict[str, Any]:
    """A raw CharlieHR team member (reference §8.1 shapes)."""
    base: dict[str, Any] = {
        "id": f"tm_{n:04d}",
        "first_name": "Person",
        "last_name": str(n),
        "display_name": f"Person {n}",
        "email": f"person{n}@acme.test",
        "personal_email": None,
        "phone_number": None,
        "job_title": "Engineer",
        "date_of_birth": "1990-01-01",
        "start_date": "2020-01-01",
        "end_date": None,
        "employment_status": "active",
        "office": None,
        "line_manager": None,
        "teams": [],
        "address_line_1": None,
        "address_line_2": None,
        "city": "London",
        "county": None,
        "postcode": None,
        "country": "United Kingdom",
        "national_insurance_number": f"QQ{n:06d}C",
    }
    return base | values


def salary_of(member: dict[str, Any]) -> dict[str, Any]:
    """A salary record that is there but says nothing (a key without salary access would
    see no record at all, which the source treats as no access)."""
    keys = ("pay_rate", "pay_period", "pay_currency", "employment_type")
    return {
        "id": f"sal_{member['id']}",
        "team_member": member["id"],
        "effective_date": "2020-01-01",
        **dict.fromkeys(keys),
    }


def person(n: int, **values: Any) -> dict[str, Any]:
    """A ledgy.json stakeholder."""
    base = {
        "id": f"sh_{n:04d}",
        "name": f"Person {n}",
        "identifier": f"person{n}@acme.test",
        "email": f"person{n}@acme.test",
        "group": "Employees",
    }
    return stakeholder_record(base | values)


@dataclass
class Later:
    """The Ledgy emulator's clock: the real one, plus the time a test lets pass between a
    user's commands (within a command, Ledgy's 20 requests per 5 s hold in real time)."""

    skipped: float = 0.0

    def __call__(self) -> float:
        return time.monotonic() + self.skipped


@dataclass
class Live:
    loaded: LoadedConfig
    ledgy: LedgyData
    clock: Later = field(default_factory=Later)
    gate: LedgyGate | None = None

    def misbehave(self, knobs: Knobs) -> None:
        """Ledgy misbehaves as ``knobs`` say from now on (e.g. slow only while a process
        is to be stopped between its writes)."""
        assert self.gate is not None and isinstance(self.gate.app, MisbehaviourMiddleware)
        self.gate.app.reconfigure(knobs)

    def later(self, seconds: float = 60.0) -> None:
        """The user's next command comes ``seconds`` later (by Ledgy's clock): a
        command never meets the rate-limit window of the commands before it, and
        the test does not wait that window out in real time."""
        self.clock.skipped += seconds

    def sides(self) -> Sides:
        return live_sides(self.loaded, TODAY, run_secrets(self.loaded))

    async def plan(self) -> Plan:
        sides = self.sides()
        try:
            return await plan(self.loaded, sides, SANDBOX_KEY)
        finally:
            await sides.aclose()

    async def apply(self, *, checksum: str | None = None, **options: Any) -> ApplyReport:
        sides = self.sides()
        approved = Approved(checksum, "--checksum") if checksum is not None else None
        try:
            return await apply(self.loaded, sides, SANDBOX_KEY, approved=approved, **options)
        finally:
            await sides.aclose()


@contextmanager
def live(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    members: list[dict[str, Any]],
    people: list[dict[str, Any]],
    *,
    stakeholders: str = "",
    custom_fields: tuple[str, ...] = (),
    ledgy_knobs: Knobs | None = None,
    batch_size: int = 50,
    salaries: list[dict[str, Any]] | None = None,
    hr_behaviour: Behaviour | None = None,
    ledgy_refusals: Refusals | None = None,
) -> Iterator[Live]:
    """Serve both emulators, write a config for them, set the credentials."""
    hr = CharlieHRData(
        {"id": "co_1", "name": "Acme Ltd"},
        members,
        salaries if salaries is not None else [salary_of(m) for m in members],
    )
    ledgy = LedgyData({"id": "co_1", "name": "Acme Ltd"}, list(custom_fields), people)
    monkeypatch.setenv("HR_ID", charliehr_emulator.SANDBOX_ID)
    monkeypatch.setenv("HR_SECRET", charliehr_emulator.SANDBOX_SECRET)
    monkeypatch.setenv("LEDGY_KEY", ledgy_emulator.SANDBOX_KEY)
    clock = Later()
    ledgy_app = ledgy_emulator.create_app(
        ledgy, knobs=ledgy_knobs or Knobs(), refusals=ledgy_refusals, clock=clock
    )
    with (
        serve_in_thread(charliehr_emulator.create_app(hr, behaviour=hr_behaviour)) as hr_url,
        serve_in_thread(ledgy_app) as ledgy_url,
    ):
        path = tmp_path / "company.yaml"
        path.write_text(
            CONFIG.format(
                charliehr=hr_url + charliehr_emulator.PREFIX,
                ledgy=ledgy_url + ledgy_emulator.PATH,
                stakeholders=stakeholders,
                batch_size=batch_size,
            )
        )
        yield Live(load_config(path), ledgy, clock, ledgy_app)


@dataclass
class Served:
    loaded: LoadedConfig
    traffic: Traffic
    ledgy_url: str = ""

    async def plan(self) -> Plan:
        sides = live_sides(self.loaded, TODAY, run_secrets(self.loaded))
        try:
            return await plan(self.loaded, sides, SANDBOX_KEY)
        finally:
            await sides.aclose()

    def served(self, path: str) -> int:
        return sum(n for key, n in self.traffic.served.items() if key.startswith(f"GET {path}"))


@contextmanager
def served(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    *,
    stakeholders: str = "",
    hris: str = "",
    size: int = 30,
    knobs: Knobs | None = None,
    client_id: str = charliehr_emulator.SANDBOX_ID,
    ledgy: LedgyData | None = None,
    behaviour: charliehr_emulator.Behaviour | None = None,
    company: CharlieHRData | None = None,
    ledgy_behaviour: ledgy_emulator.Behaviour | None = None,
) -> Iterator[Served]:
    """Both emulators on loopback (the demo company, or ``company``), CharlieHR with
    ``knobs`` and ``behaviour``, Ledgy with ``ledgy_behaviour``, and a config for them."""
    company = company or generate_company(size, today=TODAY)
    people = ledgy or LedgyData({"id": "co_1", "name": "Acme Ltd"}, [])
    traffic = Traffic()
    monkeypatch.setenv("HR_ID", client_id)
    monkeypatch.setenv("HR_SECRET", charliehr_emulator.SANDBOX_SECRET)
    monkeypatch.setenv("LEDGY_KEY", ledgy_emulator.SANDBOX_KEY)
    hr_app = charliehr_emulator.create_app(
        company, behaviour=behaviour, knobs=knobs, traffic=traffic
    )
    with (
        serve_in_thread(hr_app) as hr_url,
        serve_in_thread(
            ledgy_emulator.create_app(people, knobs=Knobs(), behaviour=ledgy_behaviour)
        ) as ledgy_url,
    ):
        text = CONFIG.format(
            charliehr=hr_url + charliehr_emulator.PREFIX,
            ledgy=ledgy_url + ledgy_emulator.PATH,
            stakeholders=stakeholders,
            batch_size=50,
        )
        path = tmp_path / "company.yaml"
        path.write_text(text.replace("ledgy:\n", hris + "ledgy:\n", 1))
        yield Served(load_config(path), traffic, ledgy_url)
