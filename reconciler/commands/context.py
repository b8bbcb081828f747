"""What every reading command shares: the config, the date, live or sandbox sides."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from reconciler.commands.progress import with_read_progress
from reconciler.commands.sandbox_choice import BUILTIN
from reconciler.config.load import LoadedConfig, load_config
from reconciler.config.secrets import PLAN_KEY, RunSecrets, Secret, run_secrets, variable_of
from reconciler.engine.canonical import SANDBOX_KEY, PlanKey, derive_key
from reconciler.errors import ReconcilerError, TargetError
from reconciler.pipeline import Sides, today
from reconciler.sources.charliehr.source import charliehr_source
from reconciler.targets.ledgy.export_file import in_ci
from reconciler.targets.ledgy.pending_store import FileStore, PendingStore, record_file
from reconciler.targets.ledgy.target import ledgy_api_target

if TYPE_CHECKING:
    # Imported only with a sandbox flag: a live run never loads the emulators (or starlette).
    from reconciler.sandbox.session import Sandbox

MIN_PLAN_KEY = 16


@dataclass
class Run:
    """One command's config, date and sides (live APIs or the sandbox)."""

    loaded: LoadedConfig
    today: date
    sandbox: Sandbox | None
    secrets: RunSecrets
    """Resolved once, by :func:`open_run`; the sides and the key take them from here."""

    @cached_property
    def key(self) -> PlanKey:
        """What every published hash is keyed with (see :func:`plan_key`).

        Asked for only once the sides are read, so a missing CharlieHR secret is
        named before a missing Ledgy key, as the reads would.
        """
        return plan_key(self.loaded, self.secrets, sandbox=self.sandbox is not None)

    def sides(self) -> Sides:
        """Fresh clients for both systems."""
        if self.sandbox is not None:
            from reconciler.sandbox.session import sandbox_sides

            sides = sandbox_sides(self.sandbox, self.loaded, self.secrets, today=self.today)
        else:
            sides = live_sides(self.loaded, self.today, self.secrets)
        return with_read_progress(sides)

    def default_journal(self) -> Path:
        """Where apply records its operations unless told otherwise."""
        if self.sandbox is not None and self.sandbox.directory is not None:
            return self.sandbox.directory / "journal.jsonl"
        return Path(".reconciler") / "journal.jsonl"


def open_run(
    config: Path,
    *,
    sandbox: Path | None,
    as_of: date | None,
    environ: Mapping[str, str] | None = None,
) -> Run:
    """Load the config, resolve its secrets (all missing ones named at once) and, with
    ``--sandbox``, load the sandbox data."""
    # The sandbox's emulators answer in-process; its configs may name local addresses.
    loaded = load_config(config, local=True if sandbox is not None else None)
    day = as_of or today()
    env = os.environ if environ is None else environ
    if sandbox is None:
        return Run(loaded, day, None, run_secrets(loaded, env))
    from reconciler.sandbox.session import open_sandbox, sandbox_environ

    # The config's secret variables are answered with the emulators' public keys;
    # only the plan key comes from the environment, as in a live run.
    secrets = run_secrets(loaded, {**sandbox_environ(loaded), PLAN_KEY: env.get(PLAN_KEY, "")})

    directory = None if sandbox == BUILTIN else sandbox
    opened = open_sandbox(directory, loaded, today=day)
    where = f"sandbox {directory}" if directory else "sandbox: the built-in demo company"
    print(
        f"{where} ({len(opened.charliehr.team_members)} employees in CharlieHR, "
        f"{len(opened.ledgy.stakeholders)} stakeholders in Ledgy)",
        file=sys.stderr,
    )
    return Run(loaded, day, opened, secrets)


def plan_key(loaded: LoadedConfig, secrets: RunSecrets, *, sandbox: bool) -> PlanKey:
    """The key of every published hash: RECONCILER_PLAN_KEY, else derived from a secret.

    Without RECONCILER_PLAN_KEY the key is derived from the Ledgy API key (api driver)
    or the CharlieHR client secret (workbook driver, which has no Ledgy key), so no
    new secret is needed to start; in the sandbox it is the public sandbox key.
    """
    if secrets.plan_key is not None:
        value = secrets.plan_key.reveal()
        if len(value) < MIN_PLAN_KEY:
            raise ReconcilerError(
                f"{PLAN_KEY} has {len(value)} characters; a key this short can be guessed",
                remedy=f"use a random key of at least {MIN_PLAN_KEY} characters "
                "(e.g. `openssl rand -hex 32`)",
            )
        return PlanKey(value.encode("utf-8"), PLAN_KEY)
    if sandbox:
        return SANDBOX_KEY
    ledgy, hris = loaded.config.ledgy, loaded.config.hris
    if (
        ledgy.driver == "api"
        and ledgy.api_key is not None
        and isinstance(secrets.ledgy_key, Secret)
    ):
        return derive_key(secrets.ledgy_key.reveal(), origin=variable_of(ledgy.api_key))
    secret = secrets.hr.client_secret
    return derive_key(secret.reveal(), origin=variable_of(hris.client_secret))


def live_sides(loaded: LoadedConfig, day: date, secrets: RunSecrets) -> Sides:
    """Clients for the real CharlieHR and Ledgy, as the config describes them."""
    source = charliehr_source(loaded, secrets.hr, today=day)
    if loaded.config.ledgy.driver == "workbook":
        # openpyxl takes a sixth of a second to import; the API driver never needs it.
        from reconciler.targets.ledgy.workbook import workbook_target

        target = workbook_target(loaded, secrets.ledgy_key, store=pending_store(loaded))
        return Sides(source, target, [source.client.aclose])
    if not isinstance(secrets.ledgy_key, Secret):  # run_secrets requires it for the api driver
        raise TargetError("ledgy.api_key is not set")
    api = ledgy_api_target(loaded, secrets.ledgy_key)
    return Sides(source, api, [source.client.aclose, api.aclose])


def pending_store(loaded: LoadedConfig, environ: Mapping[str, str] | None = None) -> PendingStore:
    """Where the workbook driver keeps the records of prepared uploads.

    In GitHub Actions (with GITHUB_TOKEN), on the ``reconciler/pending/<config>`` branch:
    a fresh runner sees it, and the apply job needs no way around the default
    branch's protection (and the record committed beside the config is read too).
    Elsewhere ``company.pending.json`` beside the config (and CI's
    copy as last fetched); in another CI the file is all there is, and apply says to
    commit it.
    """
    env = os.environ if environ is None else environ
    path = record_file(loaded.path)
    if env.get("GITHUB_ACTIONS") == "true" and env.get("GITHUB_TOKEN"):
        from reconciler.commands.repository import repo_path
        from reconciler.github.context import actions_context
        from reconciler.github.pending import BranchStore

        return BranchStore(actions_context(env), repo_path(path), checkout=path)
    ci = in_ci(env)
    return FileStore(path, local_only=ci, read_remote=not ci)


def write_output(text: str, out: Path | None) -> None:
    """Print, or write to ``--out``."""
    if out is None:
        sys.stdout.write(text)
        return
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
    except OSError as error:
        raise ReconcilerError(f"{out}: cannot be written ({error.strerror})") from None
    print(f"wrote {out}", file=sys.stderr)


def use_colour(out: Path | None) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set."""
    return out is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ
