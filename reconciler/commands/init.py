"""``reconciler init [DIR]``: scaffold an adopter's repository; never overwrite unasked."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path, PurePosixPath

from reconciler.commands.init_next import add_next, checked_name, checklist, is_next
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
    setup_path,
)
from reconciler.scaffold.recipients import add_recipients


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


def _ignore(directory: Path, config: str) -> None:
    """Append what must never be committed to .gitignore; never remove a line."""
    path = directory / ".gitignore"
    if path.is_symlink():
        return
    try:
        existing = path.read_text(encoding="utf-8") if path.exists() else ""
        added = gitignore_additions(existing, config)
        if added:
            with path.open("a", encoding="utf-8") as file:
                file.write(added)
            lines = [line for line in added.splitlines() if line and not line.startswith("#")]
            print(f"added to {path}: {', '.join(lines)}")
    except (OSError, UnicodeDecodeError) as error:
        raise ReconcilerError(
            f"{path}: cannot be updated ({getattr(error, 'strerror', None) or error})",
            remedy="add these lines to it by hand:\n"
            + gitignore_additions("", config).replace("\n", "\n    "),
        ) from None


def _add_recipients(path: Path, recipients: tuple[str, ...]) -> int:
    """List new age recipients in a config that was kept; 1 when it must be done by hand."""
    try:
        text = "" if path.is_symlink() else path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        text = ""
    edit = add_recipients(text, recipients, str(path))
    if not edit.added:
        print(f"{path} lists every --age-recipient already")
        return 0
    if edit.text is None or not text:
        reason = edit.reason if text else "it cannot be read or is a symbolic link"
        print(
            f"{path}: the age recipients were not added, because {reason}; add them by hand "
            f"(then run `reconciler validate {path}`):\n{edit.by_hand}",
            file=sys.stderr,
        )
        return 1
    try:
        path.write_text(edit.text, encoding="utf-8", newline="")
    except OSError as error:
        raise ReconcilerError(f"{path}: cannot be written ({error.strerror})") from None
    keys = "1 key" if len(edit.added) == 1 else f"{len(edit.added)} keys"
    print(f"added to {path}: {keys} under ledgy.workbook.recipients")
    print(
        f"      next: `reconciler ledgy-state update EXPORT.xlsx --config {path}` encrypts the "
        "export to them; commit the file it writes"
    )
    return 0


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
    first = is_next(directory, config)
    if first is not None:  # the next company: added to reconciler.yaml
        scaffold = replace(scaffold, name=checked_name(config, first))
        kept = add_next(
            directory,
            scaffold,
            first,
            single=lambda path: replace(scaffold, config=path, name=None),
            write=_write,
            force=force,
        )
    else:
        kept = _write_all(directory, scaffold, force=force)
    _ignore(directory, config)
    for path in kept:
        print(f"kept  {directory / path} (it exists; --force overwrites it)")
    status = (
        _add_recipients(directory / config, recipients)
        if recipients and str(PurePosixPath(config)) in kept
        else 0
    )
    if not (directory / ".git").exists():
        print(f"note: {directory} is not the root of a Git repository", file=sys.stderr)
    _say_where(pin)
    if scaffold.several:
        print(f"next: read {directory / setup_path(scaffold)}")
        print(checklist(scaffold))
        return status
    print(f"next: read {directory / 'SETUP.md'}, then run `reconciler validate {config}`")
    print("      and, with a GITHUB_TOKEN, `reconciler doctor` to see what is left to set up")
    return status


def _write_all(directory: Path, scaffold: Scaffold, *, force: bool) -> list[str]:
    """Write the scaffold of a repository's first config; return the paths kept."""
    kept: list[str] = []
    for file in scaffold_files(scaffold):
        target = directory / file.path
        # A symlink is never written through, even with --force: it may point anywhere.
        if target.is_symlink() or (target.exists() and not force):
            kept.append(str(file.path))
            continue
        _write(directory, file)
        print(f"wrote {directory / file.path}")
    return kept
