"""Where the records of prepared uploads live on a machine: the file beside the config,
and CI's copy on the reconciler/pending branch as the last fetch brought it."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from reconciler.domain.pending import UploadRecord, records_text
from reconciler.errors import TargetError
from reconciler.targets.ledgy.pending_store import FileStore, merged, record_file

pytestmark = pytest.mark.anyio


def _record(label: str, at: str = "2026-11-25T10:30Z") -> UploadRecord:
    return UploadRecord(label, f"hmac-sha256:{label}", at, f"ledgy-upload/{label}", "k")


def test_the_record_file_is_named_after_the_config() -> None:
    assert record_file(Path("people/company.yaml")) == Path("people/company.pending.json")


async def test_a_file_store_keeps_exactly_what_it_is_given(tmp_path: Path) -> None:
    store = FileStore(tmp_path / "company.pending.json", read_remote=False)
    assert await store.load() == ()
    await store.save([_record("bbbbbbbbbbbb"), _record("aaaaaaaaaaaa", "2026-11-24T08:00Z")])
    assert [r.label for r in await store.load()] == ["aaaaaaaaaaaa", "bbbbbbbbbbbb"]
    await store.save([])  # everything settled: no file left to commit
    assert not store.path.exists()


async def test_a_damaged_file_stops_the_plan_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "company.pending.json"
    path.write_text("{ not json")
    with pytest.raises(TargetError) as caught:
        await FileStore(path, read_remote=False).load()
    assert str(path) in caught.value.message and "no one is prepared twice" in caught.value.message


def _git(where: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(where), "-c", "user.name=t", "-c", "user.email=t@t", *args],
        check=True,
        capture_output=True,
    )


async def test_a_clone_sees_what_ci_kept_on_its_branch_once_fetched(tmp_path: Path) -> None:
    origin = tmp_path / "origin"
    origin.mkdir()
    _git(origin, "init", "-q", "-b", "main")
    (origin / "company.yaml").write_text("version: 1\n")
    _git(origin, "add", ".")
    _git(origin, "commit", "-qm", "config")
    _git(origin, "checkout", "-qb", "reconciler/pending/company")
    (origin / "company.pending.json").write_text(records_text([_record("cccccccccccc")]))
    _git(origin, "add", ".")
    _git(origin, "commit", "-qm", "record")
    _git(origin, "checkout", "-q", "main")
    clone = tmp_path / "clone"
    _git(tmp_path, "clone", "-q", str(origin), str(clone))
    (clone / "company.pending.json").write_text(records_text([_record("dddddddddddd")]))
    records = await FileStore(clone / "company.pending.json").load()
    assert [r.label for r in records] == ["cccccccccccc", "dddddddddddd"]
    assert await FileStore(clone / "company.pending.json", read_remote=False).load() == (
        _record("dddddddddddd"),
    )


def test_the_same_record_from_two_places_counts_once() -> None:
    one = _record("aaaaaaaaaaaa")
    assert merged([one], [one, _record("bbbbbbbbbbbb")]) == (one, _record("bbbbbbbbbbbb"))
