"""Resolve ``env/NAME`` references when, and only when, a command needs the secret.

A missing variable is an error that names the variable and the config line that
asked for it, never a value. Resolved secrets are wrapped in :class:`Secret` so an
accidental ``repr`` or log line shows ``***``. A run resolves every secret it needs
once, into :class:`RunSecrets` (:func:`run_secrets`), and hands that value down to
the clients; nothing below reads the environment for a secret again.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from reconciler.config.load import LoadedConfig
from reconciler.config.locations import dotted
from reconciler.config.model import ENV_REF
from reconciler.errors import MissingSecretError


class Secret:
    """A secret value that never prints itself."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """Return the value, for the one header that needs it."""
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__


def variable_of(reference: str) -> str:
    """Return NAME from ``env/NAME``."""
    match = ENV_REF.match(reference)
    if match is None:  # the model only admits references
        raise ValueError("not an env/ reference")
    return match.group(1)


def resolve(
    loaded: LoadedConfig,
    key_path: tuple[str | int, ...],
    reference: str,
    environ: Mapping[str, str] | None = None,
) -> Secret:
    """Read the variable a reference names; raise if it is unset or empty."""
    env = os.environ if environ is None else environ
    name = variable_of(reference)
    value = env.get(name)
    if value:
        return Secret(value)
    where = loaded.source_map.value(key_path)
    state = "is not set" if value is None else "is set but empty"
    raise MissingSecretError(
        f"{loaded.display_path}:{where.line}:{where.col}: environment variable {name} "
        f"{state} (asked for by {dotted(key_path)})",
        remedy=f"export {name}, or add it as a secret of the workflow; "
        "`reconciler validate` and `reconciler test` need no secrets",
    )


PLAN_KEY = "RECONCILER_PLAN_KEY"
"""The variable holding the key of every published hash (see ``commands.context.plan_key``)."""

_HR_ID: tuple[str | int, ...] = ("hris", "client_id")
_HR_SECRET: tuple[str | int, ...] = ("hris", "client_secret")
_LEDGY_KEY: tuple[str | int, ...] = ("ledgy", "api_key")


@dataclass(frozen=True, slots=True)
class HRSecrets:
    """CharlieHR's key pair."""

    client_id: Secret
    client_secret: Secret


@dataclass(frozen=True, slots=True)
class RunSecrets:
    """Every secret one run needs, each read from the environment once."""

    hr: HRSecrets
    ledgy_key: Secret | MissingSecretError | None
    """The Ledgy API key; None when the config names none. The workbook driver uses it
    only to date the export: a missing one is kept here and raised by that driver's
    factory, after the config's own checks (see :func:`ledgy_key`)."""
    plan_key: Secret | None
    """RECONCILER_PLAN_KEY; None when unset or empty (GitHub passes a missing secret as "")."""


def run_secrets(loaded: LoadedConfig, environ: Mapping[str, str] | None = None) -> RunSecrets:
    """Resolve every secret the config names, and the plan key, at once.

    Stops with every missing secret the run cannot start without in one error, not
    one per run.
    """
    env = os.environ if environ is None else environ
    ledgy = loaded.config.ledgy
    wanted: list[tuple[tuple[str | int, ...], str]] = [
        (_HR_ID, loaded.config.hris.client_id),
        (_HR_SECRET, loaded.config.hris.client_secret),
    ]
    if ledgy.driver == "api" and ledgy.api_key is not None:
        wanted.append((_LEDGY_KEY, ledgy.api_key))
    found = _resolve_all(loaded, wanted, env)
    plan = env.get(PLAN_KEY, "")
    key = found[_LEDGY_KEY] if _LEDGY_KEY in found else ledgy_key(loaded, env)
    return RunSecrets(
        HRSecrets(found[_HR_ID], found[_HR_SECRET]), key, Secret(plan) if plan else None
    )


def hr_secrets(loaded: LoadedConfig, environ: Mapping[str, str] | None = None) -> HRSecrets:
    """Just CharlieHR's key pair, for a command that asks CharlieHR alone."""
    hris = loaded.config.hris
    found = _resolve_all(
        loaded, [(_HR_ID, hris.client_id), (_HR_SECRET, hris.client_secret)], environ
    )
    return HRSecrets(found[_HR_ID], found[_HR_SECRET])


def ledgy_key(
    loaded: LoadedConfig, environ: Mapping[str, str] | None = None
) -> Secret | MissingSecretError | None:
    """Just the Ledgy API key (None when the config names none), for a command that
    asks Ledgy alone; when it is missing, the error, for the caller to raise where
    the key is needed."""
    reference = loaded.config.ledgy.api_key
    if reference is None:
        return None
    try:
        return resolve(loaded, _LEDGY_KEY, reference, environ)
    except MissingSecretError as missing:
        return missing


def _resolve_all(
    loaded: LoadedConfig,
    wanted: list[tuple[tuple[str | int, ...], str]],
    environ: Mapping[str, str] | None,
) -> dict[tuple[str | int, ...], Secret]:
    found: dict[tuple[str | int, ...], Secret] = {}
    missing: list[MissingSecretError] = []
    for key_path, reference in wanted:
        try:
            found[key_path] = resolve(loaded, key_path, reference, environ)
        except MissingSecretError as error:
            missing.append(error)
    if len(missing) == 1:
        raise missing[0]
    if missing:
        raise MissingSecretError(
            f"{len(missing)} secrets are missing:\n"
            + "\n".join(f"  {error.message}" for error in missing),
            remedy=missing[0].remedy,
        )
    return found
