"""``reconciler sandbox serve|init``: run the emulators, or write a sandbox directory."""

from __future__ import annotations

import sys
import threading
from datetime import date
from pathlib import Path

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

CHARLIEHR_FILE = "charliehr.json"


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


def init(directory: Path, *, size: int, seed: int) -> int:
    """Write a demo company into a sandbox directory."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / CHARLIEHR_FILE
    generate_company(size, seed=seed, today=date.today()).dump(path)
    print(f"wrote {path} ({size} team members)")
    return 0
