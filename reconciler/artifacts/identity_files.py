"""age identities (private keys) in a Git work tree that Git would commit.

The key CI decrypts Ledgy's export with, and each admin's, opens everyone's personal
data: once committed it is in the history of every clone. ``reconciler validate``
(a pre-commit hook) and ``reconciler plan`` refuse while one lies in the config's
repository unignored, and ``reconciler keygen`` refuses to write one there.

The check stays cheap on a large repository: it never reads the whole tree. Git
lists what it would commit that it does not hold yet (untracked files it does not
ignore, files staged as new) and the tracked files named like a key; only the first
bytes of those are read, at most :data:`MAX_READ` of them. A file holds an identity
when one of its first lines is an age secret key, whatever its name; the names in
:data:`IDENTITY_PATTERNS` are what the scaffolded ``.gitignore`` ignores.
"""

from __future__ import annotations

import fnmatch
import logging
import os
import re
import stat
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from reconciler.errors import EncryptionError

logger = logging.getLogger(__name__)

IDENTITY_PATTERNS = ("*.key", "key.txt", "keys.txt")
"""File names of age identities: ``reconciler keygen``'s ``*.key``, and ``key.txt`` /
``keys.txt``, the names age's and sops' documentation use."""
_SECRET_LINE = re.compile(rb"(?m)^AGE-SECRET-KEY-1[0-9A-Z]{58}\s*$")
HEAD_BYTES = 1024
"""age-keygen writes two comment lines, then the key: it starts within ~150 bytes."""
MAX_READ = 2000
"""Files whose first bytes are read, tracked and key-named ones first; the rest of a work
tree with thousands of unignored files is not read (``git status`` would be unusable)."""
MAX_SHOWN = 5
GIT_TIMEOUT = 20.0
ROTATE = (
    "make a new key (`reconciler keygen`), replace its public key in "
    "ledgy.workbook.recipients (and the RECONCILER_AGE_IDENTITY secret, if it is CI's), "
    "then run `reconciler ledgy-state update` so the export is encrypted to the new key"
)


@dataclass(frozen=True, slots=True)
class Exposed:
    """An identity file Git would commit, by its path in the work tree."""

    path: PurePosixPath
    tracked: bool
    """Staged or committed already (not merely untracked)."""


def holds_identity(head: bytes) -> bool:
    """Say whether a file's first bytes hold an age secret key on a line of its own."""
    return _SECRET_LINE.search(head) is not None


def named_like_identity(path: PurePosixPath) -> bool:
    """Say whether a file's name is one of :data:`IDENTITY_PATTERNS`."""
    return any(fnmatch.fnmatchcase(path.name, pattern) for pattern in IDENTITY_PATTERNS)


def work_tree(directory: Path) -> Path | None:
    """The top of the Git work tree ``directory`` is in; ``None`` outside one."""
    found = _git(directory, "rev-parse", "--show-toplevel")
    if found is None or found.returncode != 0 or not found.stdout.strip():
        return None
    return Path(found.stdout.strip())


def exposed_identities(top: Path) -> list[Exposed]:
    """Every identity file in the work tree ``top`` that Git would commit or holds."""
    untracked, added, named = _listed_at_once(
        top,
        ("ls-files", "-z", "--others", "--exclude-standard"),
        ("diff", "--cached", "--name-only", "-z", "--no-renames", "--diff-filter=A"),
        ("ls-files", "-z", "--cached", "--", *_pathspecs()),
    )
    tracked = {*added, *(path for path in named if named_like_identity(path))}
    candidates = _ordered(tracked, untracked)
    return [
        Exposed(path, path in tracked)
        for path in candidates[:MAX_READ]
        if holds_identity(_head(top / path))
    ]


def refuse_exposed_identities(config: Path) -> None:
    """Raise when the config's repository holds an age identity Git would commit."""
    top = work_tree(config.resolve().parent)
    if top is None:
        return
    try:
        exposed = exposed_identities(top)
    except OSError as error:  # git missing or stuck: say so, do not stop the command
        logger.warning("%s: could not look for age identities (%s)", top, error)
        return
    if exposed:
        raise exposure_error(top, exposed)


def exposure_error(top: Path, exposed: Sequence[Exposed]) -> EncryptionError:
    """The refusal naming each file and what to do."""
    tracked = [item.path for item in exposed if item.tracked]
    loose = [item.path for item in exposed if not item.tracked]
    parts = []
    if tracked:
        parts.append(f"{_names(tracked)} {_is(tracked)} staged or committed")
    if loose:
        parts.append(
            f"{_names(loose)} {_is(loose)} not git-ignored, so `git add -A` would commit it"
        )
    message = (
        f"an age identity (a private key) in the Git repository {top}: {'; '.join(parts)}. "
        "Whoever reads the repository could decrypt the Ledgy export with it"
    )
    steps = "move it out of the repository (`reconciler keygen` writes keys to "
    steps += "~/.config/reconciler/) or add its name to .gitignore"
    if tracked:
        return EncryptionError(
            message,
            remedy=f"`git rm --cached {tracked[0]}`, then {steps}; it may be in the history "
            f"already (committed or pushed): {ROTATE}",
        )
    return EncryptionError(
        message,
        remedy=f"{steps} (`reconciler init` adds {', '.join(IDENTITY_PATTERNS)}); if it was "
        f"ever committed: {ROTATE}",
    )


def _is(paths: Sequence[PurePosixPath]) -> str:
    return "is" if len(paths) == 1 else "are"


def _names(paths: Sequence[PurePosixPath]) -> str:
    shown = ", ".join(str(path) for path in paths[:MAX_SHOWN])
    more = len(paths) - MAX_SHOWN
    return f"{shown} and {more} more" if more > 0 else shown


def unignored_place(path: Path) -> Path | None:
    """The work tree a file to be written at ``path`` would be committed from.

    ``None`` when ``path`` is outside every Git work tree or Git ignores it.
    """
    directory = path.parent
    while not directory.exists() and directory != directory.parent:
        directory = directory.parent
    top = work_tree(directory)
    if top is None:
        return _git_directory_above(directory)
    # A tracked path is never ignored: a key written there would be committed as a change.
    check = _git(directory, "check-ignore", "-q", "--", str(path))
    return None if check is not None and check.returncode == 0 else top


def _git_directory_above(directory: Path) -> Path | None:
    """Without a working ``git``, a ``.git`` above says a work tree is there, unchecked."""
    if _git(directory, "--version") is not None:
        return None  # git runs and found no work tree
    for folder in (directory.resolve(), *directory.resolve().parents):
        if (folder / ".git").exists():
            return folder
    return None


def _pathspecs() -> list[str]:
    # A pathspec's * crosses directories; the names are filtered exactly afterwards.
    return [pattern if pattern.startswith("*") else f"*{pattern}" for pattern in IDENTITY_PATTERNS]


def _ordered(
    tracked: set[PurePosixPath], untracked: Sequence[PurePosixPath]
) -> list[PurePosixPath]:
    """Tracked and key-named files first, so a cap never hides them."""
    named = [path for path in untracked if named_like_identity(path)]
    others = [path for path in untracked if not named_like_identity(path)]
    return list(dict.fromkeys([*sorted(tracked), *named, *others]))


def _head(path: Path) -> bytes:
    """The first bytes of a regular file; nothing for a link, a FIFO, a missing file."""
    try:
        if not stat.S_ISREG(path.lstat().st_mode):
            return b""
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | os.O_NONBLOCK)
    except OSError:
        return b""
    try:
        return os.read(descriptor, HEAD_BYTES)
    except OSError:
        return b""
    finally:
        os.close(descriptor)


def _listed_at_once(top: Path, *commands: tuple[str, ...]) -> list[list[PurePosixPath]]:
    """Run the Git listings side by side (the untracked one walks the work tree)."""
    running = [
        subprocess.Popen(
            ["git", "--no-optional-locks", "-C", str(top), *command],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for command in commands
    ]
    try:
        return [
            _paths(process, command) for process, command in zip(running, commands, strict=True)
        ]
    finally:
        for process in running:
            if process.poll() is None:
                process.kill()
                process.wait()


def _paths(process: subprocess.Popen[bytes], command: tuple[str, ...]) -> list[PurePosixPath]:
    try:
        out, err = process.communicate(timeout=GIT_TIMEOUT)
    except subprocess.TimeoutExpired:
        raise OSError(f"git {command[0]} took over {GIT_TIMEOUT:.0f} s") from None
    if process.returncode != 0:
        raise OSError(f"git {command[0]} failed: {err.decode(errors='replace').strip()[:200]}")
    return [PurePosixPath(os.fsdecode(name)) for name in out.split(b"\0") if name]


def _git(directory: Path, *args: str) -> subprocess.CompletedProcess[str] | None:
    try:
        return subprocess.run(
            ["git", "--no-optional-locks", "-C", str(directory), *args],
            capture_output=True,
            text=True,
            errors="surrogateescape",  # a file name need not be UTF-8
            check=False,
            timeout=GIT_TIMEOUT,
        )
    except (OSError, subprocess.SubprocessError):
        return None
