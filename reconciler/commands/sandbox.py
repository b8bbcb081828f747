"""``reconciler sandbox serve|init``: run the emulators, or write a sandbox directory."""

from __future__ import annotations

import sys
import threading
from datetime import date
from pathlib import Path

from reconciler.config.load import load_config
from reconciler.errors import SandboxError
from reconciler.sandbox.charliehr import (
    PREFIX,
    SANDBOX_ID,
    SANDBOX_SECRET,
    CharlieHRData,
    create_app,
)
from reconciler.sandbox.demo import generate_company
from reconciler.sandbox.faults import Knobs
from reconciler.sandbox.server import serve_in_thread
from reconciler.sandbox.session import CHARLIEHR_FILE, LEDGY_FILE, init_sandbox


def _company(directory: Path | None, size: int, seed: int) -> CharlieHRData:
    if directory is None:
        return generate_company(size, seed=seed, today=date.today())
    path = directory / CHARLIEHR_FILE
    if not path.exists():
        raise SandboxError(
            f"{path}: no such file", remedy=f"create one with `reconciler sandbox init {directory}`"
        )
    return CharlieHRData.load(path)


def serve(directory: Path | None, *, port: int, size: int, seed: int, knobs: Knobs) -> int:
    """Serve the CharlieHR emulator on loopback until interrupted."""
    company = _company(directory, size, seed)
    app = create_app(company, knobs=knobs)
    with serve_in_thread(app, port=port) as url:
        print(f"CharlieHR emulator: {url}{PREFIX}", flush=True)
        print(f"  credentials: client id {SANDBOX_ID}, secret {SANDBOX_SECRET}", flush=True)
        print(f"  {len(company.team_members)} team members; Ctrl-C to stop", flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            print("stopped", file=sys.stderr)
    return 0


def init(directory: Path, *, size: int, seed: int, config: Path | None) -> int:
    """Write a demo company, and its Ledgy side for a config, into a sandbox directory."""
    loaded = load_config(config) if config is not None else None
    init_sandbox(directory, loaded, size=size, seed=seed, today=date.today())
    print(f"wrote {directory / CHARLIEHR_FILE} ({size} team members)")
    if loaded is not None:
        print(f"wrote {directory / LEDGY_FILE} (the Ledgy side, for {config})")
    return 0
