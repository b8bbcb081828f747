"""``reconciler init`` as an adopter runs it: writes once, never overwrites unasked."""

from __future__ import annotations

from pathlib import Path

import pytest

from reconciler.config.load import load_config
from reconciler.main import main
from tests.scratch import git, git_repo

COMMIT = "0123456789abcdef0123456789abcdef01234567"


def _init(repo: Path, *args: str) -> int:
    return main(["init", str(repo), "--ref", COMMIT, *args])


def test_init_writes_the_scaffold(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _init(tmp_path, "--config", "people/company.yaml") == 0
    assert (tmp_path / "people" / "company.yaml").is_file()
    assert (tmp_path / "schemas" / "company.schema.json").is_file()
    assert len(list((tmp_path / ".github" / "workflows").glob("reconciler-*.yml"))) == 3
    out = capsys.readouterr()
    assert f"workflows call OWNER/REPO at {COMMIT}" in out.out
    assert "not the root of a Git repository" in out.err


def test_rerunning_never_overwrites_without_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _init(tmp_path)
    config = tmp_path / "company.yaml"
    config.write_text("# edited by hand\n")
    capsys.readouterr()
    assert _init(tmp_path) == 0
    assert config.read_text() == "# edited by hand\n"
    out = capsys.readouterr().out
    assert "wrote" not in out
    assert f"kept  {config} (it exists; --force overwrites it)" in out
    assert _init(tmp_path, "--force") == 0
    assert config.read_text().startswith("# yaml-language-server: $schema=")


def test_a_missing_file_is_written_and_the_others_kept(tmp_path: Path) -> None:
    _init(tmp_path)
    (tmp_path / "SETUP.md").unlink()
    (tmp_path / "company.yaml").write_text("# mine\n")
    _init(tmp_path)
    assert (tmp_path / "SETUP.md").is_file()
    assert (tmp_path / "company.yaml").read_text() == "# mine\n"


def test_an_unwritable_place_is_a_user_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / ".github").write_text("a file where a directory should be")
    assert _init(tmp_path) == 1
    err = capsys.readouterr().err
    assert ".github" in err and "cannot be written" in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--config", "../../etc/company.yaml", "not a relative path"),
        ("--branch", "main]\n  x:", "not a branch name"),
        ("--age-recipient", "AGE-SECRET-KEY-1QQQ", "not an age public key"),
        ("--company", "Acme\nLtd", "on one line"),
    ],
)
def test_a_hostile_value_is_a_usage_error_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], option: str, value: str, message: str
) -> None:
    with pytest.raises(SystemExit) as stopped:
        _init(tmp_path, option, value)
    assert stopped.value.code == 64
    assert list(tmp_path.iterdir()) == []
    err = capsys.readouterr().err
    assert f"argument {option}" in err and message in err


def test_a_symlink_is_never_written_through(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("precious\n")
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "SETUP.md").symlink_to(outside)
    assert _init(repo, "--force") == 0
    assert outside.read_text() == "precious\n"


def test_gitignore_gets_the_export_and_upload_lines_once(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("node_modules/\n")
    _init(tmp_path)
    _init(tmp_path)
    lines = (tmp_path / ".gitignore").read_text().splitlines()
    assert lines[0] == "node_modules/"
    assert lines.count("/ledgy-export.xlsx") == 1 and lines.count("/ledgy-upload/") == 1
    assert lines.count(".reconciler/") == 1 and lines.count("*.key") == 1


COPY = "acme/ledgy-reconciler"  # a company's own copy, as the tests imagine one


def _uses(repo: Path) -> set[str]:
    workflows = sorted((repo / ".github" / "workflows").glob("reconciler-*.yml"))
    return {
        line.split("uses:")[1].split("/.github/")[0].strip() + "@" + line.split("@")[1].split()[0]
        for path in workflows
        for line in path.read_text().splitlines()
        if "uses:" in line
    }


def test_action_names_the_copy_every_workflow_calls(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["init", str(tmp_path), "--action", f"{COPY}@{COMMIT}"]) == 0
    assert _uses(tmp_path) == {f"{COPY}@{COMMIT}"}
    out = capsys.readouterr().out
    assert f"workflows call {COPY} at {COMMIT}" in out and "TODO" not in out
    assert "TODO" not in (tmp_path / "SETUP.md").read_text()


@pytest.mark.parametrize("ref", ["v1.2.0", "main", "0123abc"])
def test_action_pinned_by_tag_branch_or_short_sha_is_refused_with_why(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], ref: str
) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["init", str(tmp_path), "--action", f"{COPY}@{ref}"])
    assert stopped.value.code == 64
    assert list(tmp_path.iterdir()) == []
    err = capsys.readouterr().err
    assert f"{ref} is a" in err and "move a tag or a branch to other code" in err


def test_action_and_ref_cannot_both_be_given(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["init", str(tmp_path), "--action", f"{COPY}@{COMMIT}", "--ref", COMMIT])
    assert stopped.value.code == 64


def test_an_unknown_copy_is_a_todo_and_init_says_what_to_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # This checkout is installed from a directory, not from a GitHub repository.
    assert _init(tmp_path) == 0
    assert _uses(tmp_path) == {f"OWNER/REPO@{COMMIT}"}
    out = capsys.readouterr().out
    assert "TODO: set the repository your copy of the reconciler lives in" in out
    assert "reconciler init --action OWNER/REPO@SHA" in out
    plan = (tmp_path / ".github" / "workflows" / "reconciler-plan.yml").read_text()
    assert "# TODO: set the repository your copy of the reconciler lives in" in plan


AGE_CI = "age1" + "c" * 58
AGE_ADMIN = "age1" + "a" * 58


def test_a_config_in_a_folder_gets_ignore_lines_for_that_folder(tmp_path: Path) -> None:
    repo = git_repo(tmp_path / "repo")
    assert _init(repo, "--config", "people/company.yaml") == 0
    people = repo / "people"
    (people / "ledgy-export.xlsx").write_bytes(b"personal data")
    (people / "ledgy-upload" / "0a1b").mkdir(parents=True)
    (people / "ledgy-upload" / "0a1b" / "import.xlsx").write_bytes(b"personal data")
    (repo / ".reconciler").mkdir()
    (repo / ".reconciler" / "journal.jsonl").write_text('{"email": "ada@example.com"}\n')
    git(repo, "add", "--all")
    staged = git(repo, "diff", "--cached", "--name-only").split()
    assert "people/company.yaml" in staged
    assert not [name for name in staged if "ledgy-export" in name or "ledgy-upload" in name]
    assert not [name for name in staged if name.startswith(".reconciler")]


def test_age_recipient_on_a_kept_config_adds_the_keys_and_keeps_the_comments(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _init(tmp_path, "--config", "people/company.yaml") == 0
    config = tmp_path / "people" / "company.yaml"
    before = config.read_text()
    capsys.readouterr()
    assert _init(tmp_path, "--config", "people/company.yaml", "--age-recipient", AGE_CI) == 0
    assert _init(tmp_path, "--config", "people/company.yaml", "--age-recipient", AGE_ADMIN) == 0
    after = config.read_text()
    comments = [line for line in before.splitlines() if "#" in line]
    assert [line for line in after.splitlines() if line in comments] == comments
    workbook = load_config(config).config.ledgy.workbook
    assert workbook is not None and workbook.recipients == [AGE_CI, AGE_ADMIN]
    out = capsys.readouterr().out
    assert f"added to {config}: 1 key under ledgy.workbook.recipients" in out
    assert _init(tmp_path, "--config", "people/company.yaml", "--age-recipient", AGE_CI) == 0
    assert "lists every --age-recipient already" in capsys.readouterr().out
    assert config.read_text() == after


def test_age_recipient_that_cannot_be_added_safely_prints_the_edit_and_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "company.yaml"
    config.write_text(f"ledgy:\n  workbook: {{recipients: [{AGE_CI}], out_dir: up}}\n")
    before = config.read_text()
    assert _init(tmp_path, "--age-recipient", AGE_ADMIN) == 1
    assert config.read_text() == before
    err = capsys.readouterr().err
    assert "the age recipients were not added" in err
    assert f"    recipients:\n      - {AGE_CI}\n      - {AGE_ADMIN}\n" in err
