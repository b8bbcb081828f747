"""Prepared uploads: one folder per apply, named after the plan, for an admin to upload.

The workbook driver cannot write to Ledgy; a person uploads the files. So an
apply *prepares*: a new folder ``<out_dir>/<short checksum>/`` holding only this
plan's import and bulk-edit files, a ``README.txt`` with the upload steps in
Ledgy's words, and a ``manifest.json`` (the folder's record: identifiers, keyed
digests, no personal value). In CI the folder never touches the disk in plaintext:
it is packed and encrypted to the recipients as ``<out_dir>/<short checksum>.tar.age``
for an artifact step.

Later plans do not need the folder: they read the record the apply kept
(``pending_store``), wherever they run, and show its people as awaiting upload.
"""

from __future__ import annotations

import io
import tarfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from reconciler.artifacts import encryption
from reconciler.errors import EncryptionError, TargetError

IMPORT_FILE = "ledgy-import-natural-persons.xlsx"
BULK_EDIT_FILE = "ledgy-bulk-edit-natural-persons.xlsx"
README = "README.txt"
MANIFEST = "manifest.json"
SEALED = ".tar.age"


def shown(path: Path) -> Path:
    """A path as the user would type it: relative to the working directory when inside."""
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


def upload_steps(files: Sequence[str], config: str) -> list[str]:
    """What the admin does in Ledgy, in the words of Ledgy's help centre."""
    steps = []
    if IMPORT_FILE in files:
        steps.append(
            f"In Ledgy, go to Stakeholders > Import, choose the Natural person template and "
            f"upload {IMPORT_FILE}; check the preview, then click Import now."
        )
    if BULK_EDIT_FILE in files:
        steps.append(
            f"Go to Stakeholders > Bulk Edit > Natural person and upload {BULK_EDIT_FILE}; "
            "rows are matched by Stakeholder ID."
        )
    steps.append(
        "Download the refreshed export (Stakeholders > Bulk Edit > Natural person > Download "
        f"stakeholder file) and run: reconciler ledgy-state update EXPORT.xlsx --config {config}"
    )
    steps.append(
        "Commit the updated encrypted export in a pull request; its plan should show no "
        "changes. Then delete this folder and the export: they hold personal data."
    )
    return steps


@dataclass(frozen=True)
class PreparedUpload:
    """What an apply prepared, where, and what the admin must do next."""

    where: Path
    creates: int
    updates: int
    encrypted: bool
    steps: tuple[str, ...]
    record: str = ""
    """Where the record of this upload is kept (``pending_store``)."""
    record_local_only: bool = False
    """True when no run on another machine sees the record (CI without GitHub)."""

    def lines(self) -> list[str]:
        """The report apply prints instead of "Applied"."""
        lines = [
            f"Prepared {self.creates} creates and {self.updates} updates for upload: "
            "nothing was written to Ledgy",
        ]
        where = shown(self.where)
        if self.encrypted:
            lines += [
                f"encrypted folder: {where} (upload it as a build artifact)",
                "decrypt it with a recipient's key: "
                f"reconciler ledgy-state open {where} --into DIR "
                f"(or: age -d -i KEY.txt {where} | tar -x)",
            ]
        else:
            lines.append(f"folder: {where}")
        if self.record:
            lines.append(
                f"record: {self.record}; until the refreshed export holds them, every plan "
                "shows these people as awaiting upload and prepares none of them again"
            )
        if self.record_local_only:
            lines.append(
                f"warning: the record is on this runner only: commit {self.record} to the "
                "repository, or the next run on a fresh runner prepares these people again"
            )
        lines.append("upload steps (also in README.txt there):")
        lines += [f"  {n}. {step}" for n, step in enumerate(self.steps, start=1)]
        return lines


def prepared_path(out_dir: Path, label: str, *, ci: bool) -> Path:
    """Where :func:`write_prepared` puts a plan's files: the folder, or in CI its pack."""
    return out_dir / (label + SEALED) if ci else out_dir / label


def write_prepared(
    out_dir: Path,
    label: str,
    files: Mapping[str, bytes],
    *,
    recipients: Sequence[str],
    ci: bool,
) -> tuple[Path, bool]:
    """Write the folder (plaintext) or, in CI, its encrypted pack; refuse to overwrite."""
    folder = out_dir / label
    sealed = out_dir / (label + SEALED)
    if folder.exists() or sealed.exists():
        raise TargetError(
            f"{folder if folder.exists() else sealed}: already prepared for this plan",
            remedy="upload it in Ledgy and refresh the export; a plan then shows what is left",
        )
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        if ci:
            if not recipients:
                raise EncryptionError(
                    "in CI the upload files are only written encrypted, and "
                    "ledgy.workbook.recipients is empty; nothing was written",
                    remedy="list the admins' age public keys under ledgy.workbook.recipients",
                )
            sealed.write_bytes(encryption.encrypt(_pack(files), recipients))
            return sealed, True
        folder.mkdir(mode=0o700)
        for name, content in files.items():
            (folder / name).write_bytes(content)
            (folder / name).chmod(0o600)
    except OSError as error:
        raise TargetError(f"{out_dir}: cannot be written ({error.strerror})") from None
    return folder, False


def _pack(files: Mapping[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for name, content in sorted(files.items()):
            info = tarfile.TarInfo(name)
            info.size = len(content)
            info.mode = 0o600
            tar.addfile(info, io.BytesIO(content))
    return buffer.getvalue()


def unpack(content: bytes) -> dict[str, bytes]:
    """The files of a decrypted pack (regular files only, no paths)."""
    found: dict[str, bytes] = {}
    with tarfile.open(fileobj=io.BytesIO(content), mode="r") as tar:
        for member in tar.getmembers():
            extracted = tar.extractfile(member) if member.isfile() else None
            if extracted is not None and "/" not in member.name and member.name != "..":
                found[member.name] = extracted.read()
    return found
