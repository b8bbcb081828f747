"""Where the workbook driver's Ledgy export comes from: encrypted beside the config and
decrypted in memory, or a plaintext file that Git must ignore (real files, real Git
repositories, real age keys)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyrage import x25519

from reconciler.artifacts import encryption
from reconciler.errors import EncryptionError, TargetError
from reconciler.targets.ledgy.export_file import (
    DOWNLOAD,
    ExportFile,
    default_state,
    ensure_ignored,
    fingerprint,
    in_ci,
)
from tests.scratch import git_repo

KEY = x25519.Identity.generate()
ENVIRON = {encryption.IDENTITY_VARIABLE: str(KEY)}


def test_the_encrypted_state_lives_beside_the_config_under_its_name() -> None:
    assert default_state(Path("people/acme.yaml")) == Path("people/acme.ledgy.xlsx.age")
    assert default_state(Path("company.yml")) == Path("company.ledgy.xlsx.age")


@pytest.mark.parametrize(
    ("environ", "ci"),
    [
        ({"CI": "true"}, True),
        ({"CI": "TRUE"}, True),
        ({"CI": "1"}, True),
        ({"GITHUB_ACTIONS": "true"}, True),
        ({"CI": "false"}, False),
        ({"CI": ""}, False),
        ({}, False),
    ],
)
def test_a_ci_job_is_told_by_its_variables(environ: dict[str, str], ci: bool) -> None:
    assert in_ci(environ) is ci


def test_an_encrypted_export_is_decrypted_in_memory(tmp_path: Path) -> None:
    sealed = tmp_path / "company.ledgy.xlsx.age"
    sealed.write_bytes(encryption.encrypt(b"PK workbook", [str(KEY.to_public())]))
    assert ExportFile(sealed, True, ENVIRON).read() == b"PK workbook"
    with pytest.raises(EncryptionError, match="RECONCILER_AGE_IDENTITY is not set"):
        ExportFile(sealed, True, {}).read()


def test_a_plaintext_export_outside_any_repository_is_read_as_it_is(tmp_path: Path) -> None:
    export = tmp_path / "export.xlsx"
    export.write_bytes(b"PK workbook")
    assert ExportFile(export, False, {}).read() == b"PK workbook"


def test_a_plaintext_export_in_a_repository_must_be_git_ignored(tmp_path: Path) -> None:
    repo = git_repo(tmp_path / "repo")
    export = repo / "ledgy" / "export.xlsx"
    export.parent.mkdir()
    export.write_bytes(b"PK workbook")
    with pytest.raises(EncryptionError) as caught:
        ExportFile(export, False, {}).read()
    assert caught.value.message == (
        f"{export}: the plaintext Ledgy export is inside the Git repository {repo.resolve()} "
        "and not git-ignored, so it could be committed with everyone's personal data"
    )
    assert caught.value.remedy == (
        "add 'export.xlsx' to .gitignore, or keep the file outside the repository"
    )
    (repo / ".gitignore").write_text("*.xlsx\n")
    assert ExportFile(export, False, {}).read() == b"PK workbook"


def test_an_encrypted_export_may_be_committed(tmp_path: Path) -> None:
    repo = git_repo(tmp_path / "repo")
    sealed = repo / "company.ledgy.xlsx.age"
    sealed.write_bytes(encryption.encrypt(b"PK", [str(KEY.to_public())]))
    assert ExportFile(sealed, True, ENVIRON).read() == b"PK"


def test_a_path_not_made_yet_is_checked_from_the_nearest_directory_there(tmp_path: Path) -> None:
    repo = git_repo(tmp_path / "repo")
    with pytest.raises(EncryptionError, match="inside the Git repository"):
        ensure_ignored(repo / "not" / "yet" / "upload.xlsx", "the upload")
    (repo / ".gitignore").write_text("not/\n")
    ensure_ignored(repo / "not" / "yet" / "upload.xlsx", "the upload")


def test_a_missing_export_says_where_to_download_it(tmp_path: Path) -> None:
    with pytest.raises(TargetError) as plain:
        ExportFile(tmp_path / "export.xlsx", False, {}).read()
    assert plain.value.message.endswith("export.xlsx: no such file")
    assert plain.value.remedy == DOWNLOAD
    with pytest.raises(TargetError) as sealed:
        ExportFile(tmp_path / "company.ledgy.xlsx.age", True, ENVIRON).read()
    assert sealed.value.remedy is not None
    assert sealed.value.remedy.startswith(DOWNLOAD + ", then run `reconciler ledgy-state update")


def test_an_unreadable_export_is_named_with_the_reason(tmp_path: Path) -> None:
    directory = tmp_path / "export.xlsx.age"
    directory.mkdir()
    with pytest.raises(TargetError, match=r"export\.xlsx\.age: cannot be read \(Is a directory\)"):
        ExportFile(directory, True, ENVIRON).read()


def test_a_fingerprint_tells_two_exports_apart_and_is_short() -> None:
    first = fingerprint(b"PK one")
    assert first == fingerprint(b"PK one") != fingerprint(b"PK two")
    assert len(first) == 16 and int(first, 16) >= 0
