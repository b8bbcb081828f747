"""An age identity that Git would commit stops validate and plan, named with a remedy."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path, PurePosixPath

import pytest
from pyrage import x25519

from reconciler.artifacts.identity_files import (
    MAX_READ,
    Exposed,
    exposed_identities,
    holds_identity,
    refuse_exposed_identities,
)
from reconciler.errors import EncryptionError
from reconciler.main import main
from tests.conftest import ROOT
from tests.scratch import commit_all, git, git_repo

KEY_FILE = "# created: 2026-01-01T00:00:00Z\n# public key: age1…\n{}\n"


def _identity() -> str:
    return KEY_FILE.format(x25519.Identity.generate())


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository with a committed config, a .gitignore that ignores *.key."""
    place = git_repo(tmp_path / "repo")
    shutil.copy(ROOT / "examples" / "company.yaml", place / "company.yaml")
    (place / ".gitignore").write_text("*.key\n")
    commit_all(place)
    return place


def test_a_secret_key_line_is_an_identity_whatever_else_the_file_says() -> None:
    assert holds_identity(_identity().encode())
    assert holds_identity(str(x25519.Identity.generate()).encode())
    assert holds_identity(f"{x25519.Identity.generate()}\r\n".encode())
    # Prose and code that name the prefix are not keys.
    assert not holds_identity(b"set it to AGE-SECRET-KEY-1... from the file\n")
    assert not holds_identity(b'broken = "AGE-SECRET-KEY-1" + "Q" * 10\n')
    assert not holds_identity(b"-----BEGIN PRIVATE KEY-----\nMIIE...\n")


def test_an_ignored_key_and_a_key_outside_the_repository_are_fine(
    repo: Path, tmp_path: Path
) -> None:
    (repo / "reconciler-ci.key").write_text(_identity())
    (tmp_path / "outside.txt").write_text(_identity())
    assert exposed_identities(repo) == []
    refuse_exposed_identities(repo / "company.yaml")


def test_an_unignored_key_is_found_by_its_content_whatever_its_name(repo: Path) -> None:
    (repo / "people").mkdir()
    (repo / "people" / "notes.txt").write_text(_identity())
    (repo / "key.txt").write_text(_identity())
    (repo / "server.pem").write_text("-----BEGIN PRIVATE KEY-----\n")  # not age's: not ours
    found = exposed_identities(repo)
    assert sorted(found, key=str) == [
        Exposed(PurePosixPath("key.txt"), tracked=False),
        Exposed(PurePosixPath("people/notes.txt"), tracked=False),
    ]


def test_a_staged_or_committed_key_is_found_even_when_ignored_now(repo: Path) -> None:
    (repo / "notes.txt").write_text(_identity())
    git(repo, "add", "notes.txt")  # staged: what a pre-commit hook sees
    (repo / "old.key").write_text(_identity())
    git(repo, "add", "--force", "old.key")
    commit_all(repo)  # committed, though *.key is ignored
    (repo / "new.txt").write_text(_identity())
    git(repo, "add", "new.txt")
    tracked = {item.path for item in exposed_identities(repo) if item.tracked}
    assert tracked == {PurePosixPath("old.key"), PurePosixPath("new.txt")}


def test_the_refusal_names_the_file_and_what_to_do(repo: Path) -> None:
    (repo / "ci.age").write_text(_identity())
    with pytest.raises(EncryptionError) as raised:
        refuse_exposed_identities(repo / "company.yaml")
    text = raised.value.diagnostics()
    assert "ci.age is not git-ignored, so `git add -A` would commit it" in text
    assert "move it out of the repository" in text and ".gitignore" in text
    assert "if it was ever committed: make a new key" in text
    git(repo, "add", "ci.age")
    with pytest.raises(EncryptionError) as raised:
        refuse_exposed_identities(repo / "company.yaml")
    text = raised.value.diagnostics()
    assert "ci.age is staged or committed" in text and "`git rm --cached ci.age`" in text
    assert "ledgy-state update" in text  # rotate


def test_links_and_fifos_are_not_read(repo: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(_identity())
    (repo / "link.txt").symlink_to(secret)  # Git commits the link, not the key
    os.mkfifo(repo / "pipe")  # a read would block
    assert exposed_identities(repo) == []


def test_a_key_named_like_one_is_read_before_the_cap(repo: Path) -> None:
    for number in range(MAX_READ + 5):
        (repo / f"untracked-{number:05}.txt").write_text("x")
    (repo / "zz.txt").write_text(_identity())  # past the cap, so not read
    (repo / "zz").mkdir()
    (repo / "zz" / "keys.txt").write_text(_identity())  # named like a key: read first
    assert [item.path for item in exposed_identities(repo)] == [PurePosixPath("zz/keys.txt")]


def test_outside_a_repository_nothing_is_checked(tmp_path: Path) -> None:
    (tmp_path / "key.txt").write_text(_identity())
    refuse_exposed_identities(tmp_path / "company.yaml")


@pytest.mark.parametrize(
    "command",
    [["validate"], ["validate", "--format", "github"], ["plan", "--sandbox"]],
    ids=" ".join,
)
def test_validate_and_plan_refuse_an_unignored_key(
    repo: Path, command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    verb, *options = command
    (repo / "reconciler-ci.txt").write_text(_identity())
    assert main([verb, str(repo / "company.yaml"), *options]) == 1
    err = capsys.readouterr().err
    assert "reconciler-ci.txt is not git-ignored" in err and "what to do:" in err


def test_validate_json_says_why_it_is_not_valid(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "reconciler-ci.txt").write_text(_identity())
    assert main(["validate", str(repo / "company.yaml"), "--format", "json"]) == 1
    document = json.loads(capsys.readouterr().out)
    assert document["valid"] is False
    assert "reconciler-ci.txt is not git-ignored" in document["error"]
