"""``--sandbox`` or ``--sandbox-dir DIR``: both sides are the bundled emulators, in process.

Seeded from DIR (``charliehr.json``, ``ledgy.json``) or from the built-in demo
company; an apply writes the new Ledgy state back into DIR. Requests go through
``httpx.ASGITransport``, so the real clients, retries and rate limiter all run.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import httpx

from reconciler.config.load import LoadedConfig
from reconciler.config.secrets import Secret
from reconciler.engine.desired import field_sources
from reconciler.errors import SandboxError
from reconciler.reconcile import Sides
from reconciler.sandbox import charliehr as charliehr_emulator
from reconciler.sandbox import ledgy as ledgy_emulator
from reconciler.sandbox import ledgy_workbook
from reconciler.sandbox.charliehr import CharlieHRData
from reconciler.sandbox.demo import generate_company
from reconciler.sandbox.demo_ledgy import generate_ledgy
from reconciler.sandbox.ledgy import LedgyData
from reconciler.sources.charliehr.client import CharlieHRClient, Credentials
from reconciler.sources.charliehr.source import (
    CharlieHRSource,
    excepted_raw_keys,
    needs_of,
    raw_keys_read,
)
from reconciler.targets.ledgy.client import LedgyClient
from reconciler.targets.ledgy.operations import load_operations
from reconciler.targets.ledgy.pending_store import FileStore, record_file
from reconciler.targets.ledgy.target import LedgyApiTarget
from reconciler.targets.ledgy.workbook import WorkbookTarget, configured_columns

CHARLIEHR_FILE = "charliehr.json"
LEDGY_FILE = "ledgy.json"
DEMO_SIZE = 300
CHARLIEHR_URL = "http://charliehr.sandbox/api/v1"
LEDGY_URL = "http://ledgy.sandbox/graphql"


@dataclass
class Sandbox:
    """The emulators' data, and where it came from."""

    directory: Path | None
    charliehr: CharlieHRData
    ledgy: LedgyData

    @property
    def persistent(self) -> bool:
        """True when an apply is saved back to a directory."""
        return self.directory is not None

    def save(self) -> Path | None:
        """Write the Ledgy state back into the directory (built-in demo: nowhere)."""
        if self.directory is None:
            return None
        path = self.directory / LEDGY_FILE
        self.ledgy.dump(path)
        return path


def open_sandbox(directory: Path | None, loaded: LoadedConfig, *, today: date) -> Sandbox:
    """Load a sandbox directory, or make the built-in demo company."""
    if directory is None:
        company = generate_company(DEMO_SIZE, today=today)
        return Sandbox(None, company, generate_ledgy(company, loaded.config, today=today))
    charliehr_path = directory / CHARLIEHR_FILE
    if not charliehr_path.exists():
        raise SandboxError(
            f"{charliehr_path}: no such file",
            remedy=f"create a sandbox with `reconciler sandbox init {directory}`",
        )
    company = CharlieHRData.load(charliehr_path)
    ledgy_path = directory / LEDGY_FILE
    ledgy = (
        LedgyData.load(ledgy_path)
        if ledgy_path.exists()
        else LedgyData.empty(loaded.config.ledgy.company)
    )
    return Sandbox(directory, company, ledgy)


def init_sandbox(
    directory: Path, loaded: LoadedConfig | None, *, size: int, seed: int, today: date
) -> None:
    """Write a demo company (and, with a config, its Ledgy side) into a directory."""
    directory.mkdir(parents=True, exist_ok=True)
    company = generate_company(size, seed=seed, today=today)
    company.dump(directory / CHARLIEHR_FILE)
    if loaded is not None:
        generate_ledgy(company, loaded.config, today=today, seed=seed).dump(directory / LEDGY_FILE)


def sandbox_sides(sandbox: Sandbox, loaded: LoadedConfig, *, today: date) -> Sides:
    """Clients wired to in-process emulators of both systems."""
    config = loaded.config
    charliehr_app = charliehr_emulator.create_app(sandbox.charliehr)
    credentials = Credentials(
        Secret(charliehr_emulator.SANDBOX_ID), Secret(charliehr_emulator.SANDBOX_SECRET)
    )
    client = CharlieHRClient(
        CHARLIEHR_URL,
        credentials,
        transport=httpx.ASGITransport(app=charliehr_app),
        concurrency=config.hris.concurrency,
        keep_sensitive=excepted_raw_keys(config),
        requests_per_second=config.hris.requests_per_second,
        page_size=config.hris.page_size,
        read_deadline=config.hris.read_deadline_seconds,
    )
    source = CharlieHRSource(
        client,
        today=today,
        field_keys=config.hris.field_keys,
        wanted_raw=raw_keys_read(config),
        needs=needs_of(config.stakeholders),
    )
    sides = Sides(source, _target(sandbox, loaded), [client.aclose])
    if isinstance(sides.target, LedgyApiTarget):
        sides.closers.append(sides.target.aclose)
    return sides


def _target(sandbox: Sandbox, loaded: LoadedConfig) -> LedgyApiTarget | WorkbookTarget:
    config = loaded.config
    if config.ledgy.driver == "workbook" and config.ledgy.workbook is not None:
        return _workbook(sandbox, loaded)
    app = ledgy_emulator.create_app(sandbox.ledgy)
    client = LedgyClient(
        LEDGY_URL,
        Secret(ledgy_emulator.SANDBOX_KEY),
        load_operations(),
        transport=httpx.ASGITransport(app=app),
        batch_size=config.ledgy.batch_size,
    )
    return LedgyApiTarget(client, config.ledgy.company)


def _workbook(sandbox: Sandbox, loaded: LoadedConfig) -> WorkbookTarget:
    """The workbook driver on the emulator's export of the sandbox's Ledgy, its columns
    named as the config names them (the Ledgy the config describes)."""
    settings = loaded.config.ledgy.workbook
    assert settings is not None
    columns = configured_columns(loaded)
    base = sandbox.directory or Path(tempfile.mkdtemp(prefix="reconciler-sandbox-"))
    export = base / "ledgy-export.xlsx"
    export.write_bytes(ledgy_workbook.export_bytes(sandbox.ledgy, renamed=columns))
    return WorkbookTarget(
        export,
        base / settings.out_dir,
        loaded.config.ledgy.company,
        columns,
        managed=frozenset(field_sources(loaded.config.stakeholders)),
        recipients=settings.recipients,
        config_name=loaded.display_path,
        # The sandbox's own record, never one beside the config: a demo is no upload.
        store=FileStore(base / record_file(loaded.path).name, read_remote=False),
    )
