"""Where the records of prepared uploads are kept, so that every later run sees them.

On a machine: ``company.pending.json`` next to the config (:class:`FileStore`),
written by apply, to be committed with a pull request like the encrypted export. It
also reads the copy CI keeps on the ``reconciler/pending/<config>`` branch, as the
last ``git fetch`` brought it (``refs/remotes/*/reconciler/pending/…``), so an admin's
plan sees what CI prepared. In GitHub Actions the record lives on that branch
(:class:`reconciler.github.pending.BranchStore`): a fresh runner has no folder, only
the repository.

A record holds no personal value (:mod:`reconciler.domain.pending`).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from reconciler.domain.pending import (
    UploadRecord,
    parse_records,
    pending_branch,
    records_text,
)
from reconciler.errors import TargetError
from reconciler.git_command import git_output

REMEDY = (
    "fix or delete the file (it holds no personal data); a record deleted by mistake "
    "lets a plan prepare its people again"
)


class PendingStore(Protocol):
    """Where a config's records of prepared uploads are read and written."""

    @property
    def where(self) -> str:
        """What to name in messages: a file, or a file on a branch."""
        ...

    @property
    def run_url(self) -> str | None:
        """The CI run that prepares now (its artifact holds the folder), if any."""
        ...

    @property
    def local_only(self) -> bool:
        """True when no later run on another machine sees what this store keeps."""
        ...

    async def load(self) -> tuple[UploadRecord, ...]:
        """Every record kept (settled ones too, until the next apply drops them)."""
        ...

    async def save(self, records: Sequence[UploadRecord]) -> None:
        """Keep exactly these records; raise :class:`TargetError` when that fails."""
        ...


def record_file(config: Path) -> Path:
    """``company.yaml`` -> ``company.pending.json`` beside it."""
    return config.with_suffix(".pending.json")


def parsed(text: str, where: str) -> tuple[UploadRecord, ...]:
    """The records of a document, or a :class:`TargetError` naming where it is."""
    try:
        return parse_records(text)
    except ValueError as error:
        raise TargetError(
            f"{where}: the record of pending uploads cannot be read ({error}); nothing was "
            "planned, so no one is prepared twice",
            remedy=REMEDY,
        ) from None


def merged(*sources: Sequence[UploadRecord]) -> tuple[UploadRecord, ...]:
    """Records from several places, each label once (the first place's copy wins)."""
    seen: dict[str, UploadRecord] = {}
    for records in sources:
        for record in records:
            seen.setdefault(record.label, record)
    return tuple(sorted(seen.values(), key=lambda r: (r.prepared_at, r.label)))


@dataclass
class MemoryStore:
    """Records held in memory: the built-in sandbox, and commands that plan nothing."""

    records: list[UploadRecord] = field(default_factory=list)
    where: str = "memory"
    run_url: str | None = None
    local_only: bool = True

    async def load(self) -> tuple[UploadRecord, ...]:
        return tuple(self.records)

    async def save(self, records: Sequence[UploadRecord]) -> None:
        self.records = list(records)


@dataclass
class FileStore:
    """``company.pending.json`` in the work tree, plus CI's copy as last fetched."""

    path: Path
    run_url: str | None = None
    local_only: bool = False
    read_remote: bool = True
    """Also read ``refs/remotes/*/reconciler/pending/<config>`` (a machine, not CI)."""

    @property
    def where(self) -> str:
        return _shown(self.path)

    async def load(self) -> tuple[UploadRecord, ...]:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            text = None
        except (OSError, UnicodeDecodeError) as error:
            raise TargetError(f"{self.where}: cannot be read ({type(error).__name__})") from None
        mine = parsed(text, self.where) if text is not None else ()
        fetched = _fetched(self.path) if self.read_remote else []
        return merged(mine, *(parsed(text, where) for where, text in fetched))

    async def save(self, records: Sequence[UploadRecord]) -> None:
        try:
            if not records:
                self.path.unlink(missing_ok=True)
                return
            text = records_text(records)
            handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".pending-")
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(text)
            os.replace(temporary, self.path)
        except OSError as error:
            raise TargetError(
                f"{self.where}: the record of this upload cannot be written "
                f"({error.strerror}); nothing was prepared",
                remedy="make the config's directory writable and apply again",
            ) from None


def _shown(path: Path) -> str:
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)


def _fetched(path: Path) -> list[tuple[str, str]]:
    """The record file on every remote-tracking ``reconciler/pending/…`` branch, as
    ``(where, text)``: what CI keeps, as the last fetch brought it (no network here)."""
    top = git_output(path.parent, "rev-parse", "--show-toplevel")
    if top is None:
        return []
    try:
        inside = path.resolve().relative_to(Path(top).resolve()).as_posix()
    except ValueError:
        return []
    branch = pending_branch(inside)
    refs = git_output(path.parent, "for-each-ref", "--format=%(refname)", "refs/remotes/")
    found = []
    for ref in (refs or "").split():
        if not ref.endswith("/" + branch):
            continue
        text = git_output(path.parent, "show", f"{ref}:{inside}")
        if text is not None:
            found.append((f"{inside} on {ref.removeprefix('refs/remotes/')}", text))
    return found
