"""``reconciler init [DIR]``: scaffold an adopter's repository; never overwrite unasked."""

from __future__ import annotations

import sys
from pathlib import Path

from reconciler.errors import ReconcilerError
from reconciler.release import build_commit, installed_source, installed_version
from reconciler.scaffold.files import (
    PLACEHOLDER,
    TODO,
    Pin,
    Scaffold,
    ScaffoldFile,
    gitignore_additions,
    pin_for,
    scaffold_files,
)


def _write(directory: Path, file: ScaffoldFile) -> None:
    target = directory / file.path
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(file.text, encoding="utf-8")
    except OSError as error:
        raise ReconcilerError(
            f"{target}: cannot be written ({error.strerror})",
            remedy="check the directory exists and is writable",
        ) from None


def _ignore(directory: Path) -> None:
    """Append what must never be committed to .gitignore; never remove a line."""
    path = directory / ".gitignore"
    if path.is_symlink():
        return
    try:
        existing = path.read_text(encoding="utf-8") if path.exists() else ""
        added = gitignore_additions(existing)
        if added:
            with path.open("a", encoding="utf-8") as file:
                file.write(added)
            lines = [line for line in added.splitlines() if line and not line.startswith("#")]
            print(f"added to {path}: {', '.join(lines)}")
    except (OSError, UnicodeDecodeError) as error:
        raise ReconcilerError(
            f"{path}: cannot be updated ({getattr(error, 'strerror', None) or error})",
            remedy="add /ledgy-export.xlsx and /ledgy-upload/ to it by hand",
        ) from None


def _say_where(pin: Pin) -> None:
    if pin.repository:
        print(f"workflows call {pin.repository} at {pin.ref} ({pin.label})")
        return
    print(f"workflows call {PLACEHOLDER} at {pin.ref} ({pin.label}): {TODO.removeprefix('# ')}")
    print(
        "      this installation does not know where your copy lives; publish one in your\n"
        f"      organisation, then replace {PLACEHOLDER} in .github/workflows/reconciler-*.yml,\n"
        "      or delete those three files and run `reconciler init --action OWNER/REPO@SHA`"
    )


def init(
    directory: Path,
    *,
    config: str,
    company: str,
    branch: str,
    ref: str | None,
    force: bool,
    recipients: tuple[str, ...] = (),
    action: str | None = None,
) -> int:
    """Write the scaffold into ``directory``; keep files that exist unless ``force``."""
    source = installed_source()
    commit = build_commit() or (source.commit if source else None)
    pin = pin_for(installed_version(), commit, source, action=action, ref=ref)
    scaffold = Scaffold(config, company, branch, pin, recipients=recipients)
    kept: list[str] = []
    for file in scaffold_files(scaffold):
        target = directory / file.path
        # A symlink is never written through, even with --force: it may point anywhere.
        if target.is_symlink() or (target.exists() and not force):
            kept.append(str(file.path))
            continue
        _write(directory, file)
        print(f"wrote {directory / file.path}")
    _ignore(directory)
    for path in kept:
        print(f"kept  {directory / path} (it exists; --force overwrites it)")
    if not (directory / ".git").exists():
        print(f"note: {directory} is not the root of a Git repository", file=sys.stderr)
    _say_where(pin)
    print(f"next: read {directory / 'SETUP.md'}, then run `reconciler validate {config}`")
    print("      and, with a GITHUB_TOKEN, `reconciler doctor` to see what is left to set up")
    return 0
