"""Prepared uploads: a new folder per plan for an admin, or in CI an encrypted pack of
it; the steps in Ledgy's words; the report apply prints (real files, real age keys)."""

from __future__ import annotations

import io
import stat
import tarfile
from pathlib import Path

import pytest
from pyrage import x25519

from reconciler.artifacts import encryption
from reconciler.errors import EncryptionError, TargetError
from reconciler.targets.ledgy.upload import (
    BULK_EDIT_FILE,
    IMPORT_FILE,
    PreparedUpload,
    prepared_path,
    shown,
    unpack,
    upload_steps,
    write_prepared,
)

KEY = x25519.Identity.generate()
FILES = {IMPORT_FILE: b"PK import", "README.txt": b"steps\n"}


def test_the_steps_name_only_the_files_prepared_then_the_refresh() -> None:
    both = upload_steps([IMPORT_FILE, BULK_EDIT_FILE], "people/company.yaml")
    assert len(both) == 4
    assert both[0].startswith("In Ledgy, go to Stakeholders > Import") and IMPORT_FILE in both[0]
    assert both[1].startswith("Go to Stakeholders > Bulk Edit") and BULK_EDIT_FILE in both[1]
    assert both[2].endswith(
        "reconciler ledgy-state update EXPORT.xlsx --config people/company.yaml"
    )
    assert "Then delete this folder and the export" in both[3]
    updates_only = upload_steps([BULK_EDIT_FILE], "company.yaml")
    assert len(updates_only) == 3 and IMPORT_FILE not in " ".join(updates_only)


def test_a_folder_is_written_for_the_owner_only(tmp_path: Path) -> None:
    where, encrypted = write_prepared(tmp_path / "out", "ab12cd34", FILES, recipients=[], ci=False)
    assert (where, encrypted) == (tmp_path / "out" / "ab12cd34", False)
    assert where == prepared_path(tmp_path / "out", "ab12cd34", ci=False)
    assert {p.name: p.read_bytes() for p in where.iterdir()} == FILES
    assert stat.S_IMODE(where.stat().st_mode) == 0o700
    assert {stat.S_IMODE(p.stat().st_mode) for p in where.iterdir()} == {0o600}


def test_in_ci_only_an_encrypted_pack_is_written_and_unpacks_to_the_files(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out"
    recipients = [str(KEY.to_public())]
    where, encrypted = write_prepared(out, "ab12cd34", FILES, recipients=recipients, ci=True)
    assert (where, encrypted) == (out / "ab12cd34.tar.age", True)
    assert where == prepared_path(out, "ab12cd34", ci=True)
    assert [p.name for p in out.iterdir()] == ["ab12cd34.tar.age"]
    assert b"PK import" not in where.read_bytes()
    assert unpack(encryption.decrypt(where.read_bytes(), [KEY], what="pack")) == FILES


def test_in_ci_without_recipients_nothing_is_written(tmp_path: Path) -> None:
    with pytest.raises(EncryptionError) as caught:
        write_prepared(tmp_path / "out", "ab12cd34", FILES, recipients=[], ci=True)
    assert "ledgy.workbook.recipients is empty; nothing was written" in caught.value.message
    assert list((tmp_path / "out").iterdir()) == []


@pytest.mark.parametrize("ci", [False, True])
def test_a_plan_is_prepared_once(tmp_path: Path, ci: bool) -> None:
    recipients = [str(KEY.to_public())]
    first, _ = write_prepared(tmp_path, "ab12cd34", FILES, recipients=recipients, ci=ci)
    for again in (False, True):  # whichever way it was prepared
        with pytest.raises(TargetError) as caught:
            write_prepared(tmp_path, "ab12cd34", FILES, recipients=recipients, ci=again)
        assert caught.value.message == f"{first}: already prepared for this plan"


def test_a_place_that_cannot_be_written_is_named(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    with pytest.raises(TargetError, match=r"a-file/out: cannot be written \("):
        write_prepared(blocker / "out", "ab12cd34", FILES, recipients=[], ci=False)


def test_unpack_keeps_regular_files_at_the_top_only() -> None:
    entries = [
        ("ok.xlsx", tarfile.REGTYPE),
        ("sub/evil.xlsx", tarfile.REGTYPE),  # no paths: nothing lands outside DIR
        ("..", tarfile.REGTYPE),
        ("link", tarfile.SYMTYPE),
        ("dir", tarfile.DIRTYPE),
    ]
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for name, kind in entries:
            info = tarfile.TarInfo(name)
            info.type = kind
            regular = kind == tarfile.REGTYPE
            info.size = 2 if regular else 0
            tar.addfile(info, io.BytesIO(b"PK") if regular else None)
    assert unpack(buffer.getvalue()) == {"ok.xlsx": b"PK"}


def test_a_path_is_shown_relative_to_the_working_directory_when_inside(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert shown(tmp_path / "out" / "ab12cd34") == Path("out/ab12cd34")
    assert shown(Path("/elsewhere/out")) == Path("/elsewhere/out")


def test_the_report_says_nothing_was_written_and_where_the_files_are(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    steps = ("Upload it.", "Refresh the export.")
    folder = PreparedUpload(tmp_path / "out" / "ab12cd34", 2, 1, False, steps)
    assert folder.lines() == [
        "Prepared 2 creates and 1 updates for upload: nothing was written to Ledgy",
        "folder: out/ab12cd34",
        "upload steps (also in README.txt there):",
        "  1. Upload it.",
        "  2. Refresh the export.",
    ]
    pack = PreparedUpload(
        tmp_path / "out" / "ab12cd34.tar.age",
        2,
        1,
        True,
        steps,
        record="company.pending.json",
        record_local_only=True,
    )
    lines = pack.lines()
    assert lines[1] == "encrypted folder: out/ab12cd34.tar.age (upload it as a build artifact)"
    assert "reconciler ledgy-state open out/ab12cd34.tar.age --into DIR" in lines[2]
    assert lines[3].startswith("record: company.pending.json; until the refreshed export")
    assert lines[4].startswith("warning: the record is on this runner only: commit")
