"""``reconciler keygen [FILE]``: make an age identity, outside the repository by default.

The identity (private key) is written once, readable by its owner only, and never
shown: stdout gets the public key alone (``age1…``, for ``--age-recipient``), stderr
the next steps. A CI secret is set from the file without printing it
(``gh secret set NAME < FILE``), so the key never passes through a terminal or a log.
"""

from __future__ import annotations

import os
import shlex
import sys
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

from reconciler.artifacts.encryption import IDENTITY_VARIABLE, new_identity
from reconciler.artifacts.identity_files import IDENTITY_PATTERNS, unignored_place
from reconciler.errors import EncryptionError, ReconcilerError
from reconciler.scaffold.files import APPLY_ENVIRONMENT, PLAN_ENVIRONMENT

DEFAULT_NAME = "ci.key"
PRIVATE = 0o600


def default_path(environ: Mapping[str, str] | None = None) -> Path:
    """``$XDG_CONFIG_HOME/reconciler/ci.key``, else ``~/.config/reconciler/ci.key``."""
    env = os.environ if environ is None else environ
    base = env.get("XDG_CONFIG_HOME", "").strip()
    root = Path(base) if base and Path(base).is_absolute() else Path.home() / ".config"
    return root / "reconciler" / DEFAULT_NAME


def keygen(path: Path | None = None) -> int:
    """Write a new identity to ``path`` (default: :func:`default_path`); print its key."""
    target = (path if path is not None else default_path()).expanduser().absolute()
    refuse_committable(target)
    text, public = new_identity(datetime.now(UTC))
    write_private(target, text)
    print(public)
    print(next_steps(target, public), file=sys.stderr)
    return 0


def refuse_committable(target: Path) -> None:
    """Refuse a place inside a Git work tree that Git does not ignore."""
    top = unignored_place(target)
    if top is None:
        return
    raise EncryptionError(
        f"{target}: inside the Git repository {top} and not git-ignored, so the private "
        "key could be committed; nothing was written",
        remedy="run `reconciler keygen` without a path (it writes to ~/.config/reconciler/), "
        "give a path outside the repository, or git-ignore it first (the .gitignore "
        f"`reconciler init` writes ignores {', '.join(IDENTITY_PATTERNS)})",
    )


def write_private(target: Path, text: str) -> None:
    """Create ``target`` readable by its owner only; never replace a file, never follow
    a link (``O_EXCL``)."""
    try:
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE)
    except FileExistsError:
        raise ReconcilerError(
            f"{target}: exists; keygen never replaces a key (it may be the only copy)",
            remedy="give another path, or move the old key away if you mean to replace it",
        ) from None
    except OSError as error:
        raise ReconcilerError(
            f"{target}: cannot be written ({error.strerror})",
            remedy="give a path in a directory you can write to",
        ) from None
    try:
        os.fchmod(descriptor, PRIVATE)  # whatever the umask left
        os.write(descriptor, text.encode("ascii"))
    finally:
        os.close(descriptor)


def next_steps(target: Path, public: str) -> str:
    """What to do with the key: list the public key, store the private one as a secret."""
    shown = _home_relative(target)
    return "\n".join(
        [
            f"wrote {shown} (mode 0600): the private key of {public}",
            "next:",
            "  1. list the public key under ledgy.workbook.recipients (CI's and each admin's):",
            f"       reconciler init --config CONFIG --age-recipient {public}",
            f"  2. CI's key: store the file as the secret {IDENTITY_VARIABLE} of both "
            "environments, without showing it:",
            *(
                f"       gh secret set {IDENTITY_VARIABLE} --env {environment} < {shown}"
                for environment in (PLAN_ENVIRONMENT, APPLY_ENVIRONMENT)
            ),
            "     then you may delete the file: a lost CI key is replaced by a new one.",
            f"     An admin's own key: keep the file and set {IDENTITY_VARIABLE}={shown}",
            "     to read the export or open prepared upload folders.",
            "  3. run `reconciler ledgy-state update EXPORT.xlsx --config CONFIG` so the export "
            "is encrypted to it",
        ]
    )


def _home_relative(path: Path) -> str:
    """The path as a shell word, ``~/…`` under the home directory."""
    try:
        return f"~/{shlex.quote(str(path.relative_to(Path.home())))}"
    except ValueError:
        return shlex.quote(str(path))
