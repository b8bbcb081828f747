"""``reconciler ledgy-state``: keep Ledgy's stakeholder export in Git, encrypted.

``update EXPORT.xlsx --config company.yaml`` checks the export an admin downloaded
(Stakeholders > Bulk Edit > Natural person > Download), encrypts it with age to
``ledgy.workbook.recipients`` and writes ``<config name>.ledgy.xlsx.age`` (or
``ledgy.workbook.state``) next to the config, ready for a pull request. The
plaintext export must not be committable: inside the repository it must be
git-ignored. ``show`` decrypts it in memory and says what it holds; ``open``
decrypts a prepared upload folder (``.tar.age``) for the admin who uploads it.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from reconciler import concurrency
from reconciler.artifacts import encryption
from reconciler.config.load import LoadedConfig, load_config
from reconciler.config.secrets import ledgy_key
from reconciler.errors import EncryptionError, ReconcilerError
from reconciler.targets.ledgy.export_file import ExportFile, default_state, ensure_ignored
from reconciler.targets.ledgy.pending_store import MemoryStore
from reconciler.targets.ledgy.upload import SEALED, unpack
from reconciler.targets.ledgy.workbook import WorkbookTarget, workbook_target


def _settings(loaded: LoadedConfig) -> tuple[Path, tuple[str, ...]]:
    settings = loaded.config.ledgy.workbook
    if settings is None or not settings.recipients:
        raise EncryptionError(
            f"{loaded.path}: ledgy.workbook.recipients is empty, so there is no one to "
            "encrypt the export to",
            remedy="add the CI's and the admins' age public keys (age-keygen -y KEY.txt) "
            "under ledgy.workbook.recipients",
        )
    base = loaded.path.parent
    state = base / settings.state if settings.state else default_state(loaded.path)
    return state, tuple(settings.recipients)


def update(export: Path, config: Path) -> int:
    """Encrypt a fresh export to the recipients and write it next to the config."""
    loaded = load_config(config)
    state, recipients = _settings(loaded)
    ensure_ignored(export, "the plaintext Ledgy export")
    people = _count(loaded, ExportFile(export, False))
    content = export.read_bytes()
    _write_atomically(state, encryption.encrypt(content, recipients))
    print(
        f"wrote {state} ({people} stakeholders, encrypted to {len(recipients)} recipients)\n"
        f"next: git add {state.name} and open a pull request; then delete {export} "
        "(it holds everyone's personal data)"
    )
    return 0


def show(config: Path) -> int:
    """Decrypt the committed export in memory and say what it holds (no values)."""
    loaded = load_config(config)
    state, recipients = _settings(loaded)
    people = _count(loaded, ExportFile(state, True))
    print(f"{state}: {people} stakeholders; encrypted to {len(recipients)} recipients")
    return 0


def open_folder(sealed: Path, into: Path) -> int:
    """Decrypt a prepared upload folder (``.tar.age``) into a directory, for the upload."""
    if not sealed.name.endswith(SEALED):
        raise ReconcilerError(f"{sealed}: not a prepared upload (*{SEALED})")
    ensure_ignored(into, "the decrypted upload folder")
    try:
        content = sealed.read_bytes()
    except OSError as error:
        raise ReconcilerError(f"{sealed}: cannot be read ({error.strerror})") from None
    files = unpack(encryption.decrypt(content, encryption.identities(), what=str(sealed)))
    try:
        into.mkdir(parents=True, exist_ok=True, mode=0o700)
        for name, body in files.items():
            (into / name).write_bytes(body)
            (into / name).chmod(0o600)
    except OSError as error:
        raise ReconcilerError(f"{into}: cannot be written ({error.strerror})") from None
    print(f"decrypted {len(files)} files into {into}; follow {into / 'README.txt'}")
    return 0


def _count(loaded: LoadedConfig, export: ExportFile) -> int:
    """Read the export as a plan would, so a wrong file is refused now, not in CI."""
    # Prepared uploads are not this command's business: no record is read.
    target: WorkbookTarget = workbook_target(loaded, ledgy_key(loaded), store=MemoryStore())
    target.export = export
    state = concurrency.run(target.read())
    for _, message in state.notes:  # what each plan will warn about: say it now
        print(f"warning: {message}", file=sys.stderr)
    return len(state.stakeholders)


def _write_atomically(path: Path, content: bytes) -> None:
    try:
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".ledgy-state-")
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        os.replace(temporary, path)
    except OSError as error:
        raise ReconcilerError(f"{path}: cannot be written ({error.strerror})") from None
