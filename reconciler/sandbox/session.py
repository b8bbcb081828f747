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
from reconciler.config.secrets import RunSecrets, Secret, variable_of
from reconciler.errors import SandboxError
from reconciler.pipeline import Sides
from reconciler.sandbox import charliehr as charliehr_emulator
from reconciler.sandbox import ledgy as ledgy_emulator
from reconciler.sandbox import ledgy_workbook
from reconciler.sandbox.charliehr import CharlieHRData
from reconciler.sandbox.demo import generate_company
from reconciler.sandbox.demo_ledgy import generate_ledgy
from reconciler.sandbox.ledgy_data import LedgyData
from reconciler.sources.charliehr.source import charliehr_source
from reconciler.targets.ledgy.pending_store import FileStore, record_file
from reconciler.targets.ledgy.target import ledgy_api_target
from reconciler.targets.ledgy.workbook import WorkbookTarget, configured_columns, workbook_target

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


def sandbox_sides(
    sandbox: Sandbox, loaded: LoadedConfig, secrets: RunSecrets, *, today: date
) -> Sides:
    """The live factories' clients, wired to in-process emulators of both systems.

    ``secrets`` answer the config's secret variables with the emulators' public keys
    (:func:`sandbox_environ`), so every other setting is honoured as in a live run.
    """
    charliehr_app = charliehr_emulator.create_app(sandbox.charliehr)
    source = charliehr_source(
        loaded,
        secrets.hr,
        today=today,
        transport=httpx.ASGITransport(app=charliehr_app),
        base_url=CHARLIEHR_URL,
    )
    config = loaded.config
    if config.ledgy.driver == "workbook" and config.ledgy.workbook is not None:
        return Sides(source, _workbook(sandbox, loaded, secrets), [source.client.aclose])
    if not isinstance(secrets.ledgy_key, Secret):  # run_secrets requires it for the api driver
        raise SandboxError("ledgy.api_key is not set")
    target = ledgy_api_target(
        loaded,
        secrets.ledgy_key,
        transport=httpx.ASGITransport(app=ledgy_emulator.create_app(sandbox.ledgy)),
        url=LEDGY_URL,
    )
    return Sides(source, target, [source.client.aclose, target.aclose])


def sandbox_environ(loaded: LoadedConfig) -> dict[str, str]:
    """The emulators' keys, under the variable names the config's secrets give."""
    config = loaded.config
    environ = {
        variable_of(config.hris.client_id): charliehr_emulator.SANDBOX_ID,
        variable_of(config.hris.client_secret): charliehr_emulator.SANDBOX_SECRET,
    }
    if config.ledgy.api_key is not None:
        environ[variable_of(config.ledgy.api_key)] = ledgy_emulator.SANDBOX_KEY
    return environ


def _workbook(sandbox: Sandbox, loaded: LoadedConfig, secrets: RunSecrets) -> WorkbookTarget:
    """The workbook driver on the emulator's export of the sandbox's Ledgy, its columns
    named as the config names them (the Ledgy the config describes)."""
    settings = loaded.config.ledgy.workbook
    assert settings is not None
    base = sandbox.directory or Path(tempfile.mkdtemp(prefix="reconciler-sandbox-"))
    export = base / "ledgy-export.xlsx"
    columns = configured_columns(loaded)
    export.write_bytes(ledgy_workbook.export_bytes(sandbox.ledgy, renamed=columns))
    return workbook_target(
        loaded,
        secrets.ledgy_key,
        export=export,
        out_dir=base / settings.out_dir,
        # The sandbox's own record, never one beside the config: a demo is no upload.
        store=FileStore(base / record_file(loaded.path).name, read_remote=False),
    )
