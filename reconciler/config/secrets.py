"""Resolve ``env/NAME`` references when, and only when, a command needs the secret.

A missing variable is an error that names the variable and the config line that
asked for it, never a value. Resolved secrets are wrapped in :class:`Secret` so an
accidental ``repr`` or log line shows ``***``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

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
