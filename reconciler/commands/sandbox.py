"""``reconciler sandbox serve|init|upload``: run the emulators, write a sandbox directory,
or play the Ledgy admin who uploads a prepared folder."""

from __future__ import annotations

import contextlib
import signal
import socket
import sys
import threading
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from starlette.applications import Starlette
from starlette.routing import Mount

from reconciler.artifacts import encryption
from reconciler.config.load import load_config
from reconciler.errors import SandboxError
from reconciler.sandbox import charliehr, github, github_app, ledgy, ledgy_workbook
from reconciler.sandbox.charliehr import CharlieHRData
from reconciler.sandbox.demo import generate_company
from reconciler.sandbox.demo_ledgy import generate_ledgy
from reconciler.sandbox.faults import ALL_FAULTS, Knobs
from reconciler.sandbox.ledgy_data import LedgyData
from reconciler.sandbox.server import HOST, require_server, serve_in_thread
from reconciler.sandbox.session import CHARLIEHR_FILE, LEDGY_FILE, init_sandbox
from reconciler.targets.ledgy.upload import BULK_EDIT_FILE, IMPORT_FILE, SEALED, unpack


def _company(directory: Path | None, size: int, seed: int) -> CharlieHRData:
    if directory is None:
        return generate_company(size, seed=seed, today=date.today())
    path = directory / CHARLIEHR_FILE
    if not path.exists():
        raise SandboxError(
            f"{path}: no such file", remedy=f"create one with `reconciler sandbox init {directory}`"
        )
    return CharlieHRData.load(path)


def _ledgy(
    directory: Path | None, company: CharlieHRData, config: Path | None, seed: int
) -> LedgyData:
    """DIR's ledgy.json; else the Ledgy side an earlier sync under the config left."""
    path = directory / LEDGY_FILE if directory is not None else None
    if path is not None and path.exists():
        return LedgyData.load(path)
    if config is None:
        return LedgyData.empty("Acme Ltd")
    return generate_ledgy(company, load_config(config).config, today=date.today(), seed=seed)


def fault_kinds(kinds: Sequence[str]) -> tuple[str, ...]:
    """Check ``--faults``: every kind must be one the emulator knows."""
    unknown = [k for k in kinds if k not in ALL_FAULTS]
    if unknown:
        raise SandboxError(
            f"--faults: unknown kind {', '.join(unknown)}",
            remedy=f"choose from {', '.join(ALL_FAULTS)}",
        )
    return tuple(kinds)


def serve(
    directory: Path | None,
    *,
    port: int,
    size: int,
    seed: int,
    knobs: Knobs,
    totals: bool = True,
    config: Path | None = None,
    published_only: bool = False,
    ledgy_behaviour: ledgy.Behaviour | None = None,
) -> int:
    """Serve the CharlieHR, Ledgy and GitHub emulators on one loopback port until stopped.

    The knobs (latency, rate limit, faults) apply to CharlieHR; Ledgy keeps its
    documented 20 requests per 5 seconds. ``totals=False`` leaves the totals out of
    CharlieHR's list pages. Without DIR, Ledgy holds the side that matches the config
    (the example by default). ``ledgy_behaviour`` makes Ledgy refuse introspection or
    spell its export's columns otherwise. Nothing is written back to DIR. SIGTERM stops
    it like Ctrl-C (a background process may ignore SIGINT).
    """
    require_server()
    _check_port_free(port)
    company = _company(directory, size, seed)
    people = _ledgy(directory, company, config, seed)
    behaviour = charliehr.Behaviour(meta_totals=totals)
    app = Starlette(
        routes=[
            Mount(
                "/charliehr", app=charliehr.create_app(company, behaviour=behaviour, knobs=knobs)
            ),
            Mount(
                "/ledgy",
                app=ledgy.create_app(
                    people, published_only=published_only, behaviour=ledgy_behaviour
                ),
            ),
            Mount("/github", app=github_app.create_app(github.GitHubData())),
        ]
    )
    with serve_in_thread(app, port=port) as url:
        print(f"CharlieHR emulator: {url}/charliehr{charliehr.PREFIX}", flush=True)
        print(
            f"  credentials: client id {charliehr.SANDBOX_ID}, secret {charliehr.SANDBOX_SECRET}; "
            f"{len(company.team_members)} team members",
            flush=True,
        )
        print(
            f"Ledgy emulator: {url}/ledgy{ledgy.PATH} (key {ledgy.SANDBOX_KEY}; company "
            f"'{people.company['name']}', {len(people.stakeholders)} stakeholders"
            f"{'; published API only' if published_only else ''}); the admin's export: "
            f"GET {url}/ledgy/export.xlsx, upload: POST {url}/ledgy/upload",
            flush=True,
        )
        print(
            f"GitHub emulator: {url}/github (token {github.SANDBOX_TOKEN} acts as "
            f"{github.BOT_LOGIN}; {github.ADMIN_TOKEN} as a repository admin)",
            flush=True,
        )
        print("Ctrl-C to stop", flush=True)
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        with contextlib.suppress(KeyboardInterrupt):
            stop.wait()
        print("stopped", file=sys.stderr)
    return 0


def _check_port_free(port: int) -> None:
    """Stop with a clear message when the port is taken (uvicorn would only log it)."""
    if port == 0:
        return
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            probe.bind((HOST, port))
        except OSError as error:
            raise SandboxError(
                f"port {port} on {HOST} cannot be used ({error.strerror})",
                remedy="stop what listens there, or pick another with --port (0 picks a free one)",
            ) from None


def init(directory: Path, *, size: int, seed: int, config: Path | None) -> int:
    """Write a demo company, and its Ledgy side for a config, into a sandbox directory."""
    if directory.exists() and not directory.is_dir():
        raise SandboxError(
            f"{directory}: exists and is not a directory",
            remedy="give the path of a new or existing directory",
        )
    loaded = load_config(config) if config is not None else None
    try:
        init_sandbox(directory, loaded, size=size, seed=seed, today=date.today())
    except OSError as error:
        raise SandboxError(f"{directory}: cannot be written ({error.strerror})") from None
    print(f"wrote {directory / CHARLIEHR_FILE} ({size} team members)")
    if loaded is not None:
        print(f"wrote {directory / LEDGY_FILE} (the Ledgy side, for {config})")
    return 0


def upload(directory: Path, folder: Path) -> int:
    """Play the admin: upload a prepared folder into a sandbox directory's Ledgy."""
    path = directory / LEDGY_FILE
    if not path.exists():
        raise SandboxError(
            f"{path}: no such file", remedy=f"create one with `reconciler sandbox init {directory}`"
        )
    data = LedgyData.load(path)
    files = _prepared_files(folder)
    done: list[str] = []
    for name in (IMPORT_FILE, BULK_EDIT_FILE):  # Ledgy's order: new people, then edits
        if name in files:
            try:
                counts = ledgy_workbook.upload(data, files[name])
            except ledgy_workbook.UploadRefused as refused:
                raise SandboxError(
                    f"{folder}/{name}: {refused}; nothing of this file was uploaded",
                    remedy="a file Ledgy cannot take: its columns must be the export's",
                ) from None
            done += [f"{count} {verb}" for verb, count in counts.items()]
    data.dump(path)
    print(
        f"uploaded {folder} into {path} as an admin would in Ledgy: {', '.join(done) or 'nothing'}"
    )
    return 0


def _prepared_files(folder: Path) -> dict[str, bytes]:
    if folder.is_dir():
        return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
    if folder.name.endswith(SEALED) and folder.is_file():
        content = encryption.decrypt(folder.read_bytes(), encryption.identities(), what=str(folder))
        return unpack(content)
    raise SandboxError(
        f"{folder}: not a prepared upload folder",
        remedy="give the folder (or .tar.age) that `apply` printed",
    )
