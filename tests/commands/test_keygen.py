"""``reconciler keygen``: a private key written once, for its owner only, never into Git."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from reconciler.artifacts.encryption import decrypt, encrypt, identities, public_key
from reconciler.main import main
from tests.scratch import commit_all, git, git_repo

COMMIT = "0123456789abcdef0123456789abcdef01234567"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A home directory of its own, outside every repository."""
    place = tmp_path / "home"
    place.mkdir()
    monkeypatch.setenv("HOME", str(place))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    return place


def _secret_line(path: Path) -> str:
    return next(line for line in path.read_text().splitlines() if line.startswith("AGE-"))


def test_keygen_writes_a_private_key_outside_the_repository_and_prints_its_public_key(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["keygen"]) == 0
    key = home / ".config" / "reconciler" / "ci.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert stat.S_IMODE(key.parent.stat().st_mode) == 0o700
    out, err = capsys.readouterr()
    secret = _secret_line(key)
    assert out == f"{public_key(secret)}\n"
    assert secret not in out + err  # the private key is never shown
    assert "gh secret set RECONCILER_AGE_IDENTITY --env reconciler-plan < ~/.config/" in err
    assert f"reconciler init --config CONFIG --age-recipient {out.strip()}" in err


def test_the_file_is_what_age_and_the_reconciler_read(home: Path) -> None:
    target = home / "me.key"
    assert main(["keygen", str(target)]) == 0
    lines = target.read_text().splitlines()
    assert lines[0].startswith("# created: ") and lines[1].startswith("# public key: age1")
    keys = identities({"RECONCILER_AGE_IDENTITY": str(target)})
    assert decrypt(encrypt(b"x", [lines[1].split(": ")[1]]), keys, what="test") == b"x"


def test_xdg_config_home_is_where_the_default_key_goes(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert main(["keygen"]) == 0
    assert (tmp_path / "xdg" / "reconciler" / "ci.key").is_file()


def test_an_existing_file_is_never_replaced(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = home / "ci.key"
    target.write_text("the only copy\n")
    assert main(["keygen", str(target)]) == 1
    assert target.read_text() == "the only copy\n"
    assert "keygen never replaces a key" in capsys.readouterr().err


def test_a_link_is_never_written_through(home: Path) -> None:
    elsewhere = home / "elsewhere.txt"
    (home / "ci.key").symlink_to(elsewhere)  # dangling: O_EXCL still refuses it
    assert main(["keygen", str(home / "ci.key")]) == 1
    assert not elsewhere.exists()


def test_a_place_in_a_repository_that_git_would_commit_is_refused(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = git_repo(tmp_path / "repo")
    assert main(["keygen", str(repo / "reconciler-ci.key")]) == 1
    assert list(repo.iterdir()) == [repo / ".git"]
    err = capsys.readouterr().err
    assert "not git-ignored" in err and "nothing was written" in err
    assert "run `reconciler keygen` without a path" in err


def test_git_add_all_after_keygen_in_a_scaffolded_repository_adds_no_key(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = git_repo(tmp_path / "repo")
    assert main(["init", str(repo), "--ref", COMMIT]) == 0
    commit_all(repo, "scaffold")
    monkeypatch.chdir(repo)
    assert main(["keygen"]) == 0  # the default: outside the repository
    assert main(["keygen", "reconciler-ci.key"]) == 0  # in its root: git-ignored
    assert main(["keygen", "key.txt"]) == 0
    git(repo, "add", "--all")
    assert git(repo, "status", "--porcelain") == ""
    assert (repo / "reconciler-ci.key").is_file()
    assert main(["validate", "company.yaml"]) == 0
