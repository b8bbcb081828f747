"""Where the workbook driver's Ledgy state comes from: an export, plain or age-encrypted.

With ``ledgy.workbook.recipients`` the export lives in Git only encrypted
(``<config name>.ledgy.xlsx.age`` next to the config by default) and is decrypted
in memory. A plaintext export (``ledgy.workbook.export``) inside a Git work tree
must be git-ignored, so personal data cannot be committed by accident.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from reconciler.artifacts import encryption
from reconciler.errors import EncryptionError, TargetError
from reconciler.git_command import git

STATE_SUFFIX = ".ledgy.xlsx.age"
DOWNLOAD = "download it in Ledgy: Stakeholders > Bulk Edit > Natural person > Download"


def default_state(config: Path) -> Path:
    """``company.yaml`` -> ``company.ledgy.xlsx.age`` beside it."""
    return config.with_name(config.stem + STATE_SUFFIX)


def in_ci(environ: Mapping[str, str] | None = None) -> bool:
    """True in a CI job (``CI=true`` or GitHub Actions)."""
    env = os.environ if environ is None else environ
    return env.get("CI", "").lower() in ("true", "1") or env.get("GITHUB_ACTIONS") == "true"


@dataclass(frozen=True)
class ExportFile:
    """The export to read: its path, and whether it is age-encrypted."""

    path: Path
    encrypted: bool
    environ: Mapping[str, str] | None = None

    def read(self) -> bytes:
        """The plaintext .xlsx bytes, in memory only."""
        if not self.encrypted:
            ensure_ignored(self.path, "the plaintext Ledgy export")
        try:
            content = self.path.read_bytes()
        except FileNotFoundError:
            remedy = (
                f"{DOWNLOAD}, then run `reconciler ledgy-state update EXPORT.xlsx --config "
                "CONFIG` and commit the file it writes"
                if self.encrypted
                else DOWNLOAD
            )
            raise TargetError(f"{self.path}: no such file", remedy=remedy) from None
        except OSError as error:
            raise TargetError(f"{self.path}: cannot be read ({error.strerror})") from None
        if not self.encrypted:
            return content
        keys = encryption.identities(self.environ)
        return encryption.decrypt(content, keys, what=str(self.path))


def fingerprint(content: bytes) -> str:
    """A short digest of an export, to tell whether it was refreshed."""
    return hashlib.sha256(content).hexdigest()[:16]


def ensure_ignored(path: Path, what: str) -> None:
    """Refuse a plaintext path inside a Git work tree unless Git ignores it."""
    directory = path.resolve().parent
    while not directory.exists() and directory != directory.parent:
        directory = directory.parent
    top = git(directory, "rev-parse", "--show-toplevel")
    if top is None or not top.ok:
        return  # not in a Git work tree
    check = git(directory, "check-ignore", "-q", "--", str(path.resolve()))
    if check is not None and check.ok:
        return
    raise EncryptionError(
        f"{path}: {what} is inside the Git repository {top.out.strip()} and not "
        "git-ignored, so it could be committed with everyone's personal data",
        remedy=f"add '{path.name}' to .gitignore, or keep the file outside the repository",
    )
