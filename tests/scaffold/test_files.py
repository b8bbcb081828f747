"""The scaffold: pinned, quoted, and valid as written."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from reconciler.config.load import load_config
from reconciler.errors import ReconcilerError
from reconciler.release import Source
from reconciler.scaffold.files import (
    PLACEHOLDER,
    PLAN_CHECKS,
    TODO,
    Pin,
    Scaffold,
    ScaffoldFile,
    gitignore_additions,
    parse_action,
    pin_for,
    plan_file,
    scaffold_files,
    state_file,
)
from tests.conftest import ROOT

COMMIT = "0123456789abcdef0123456789abcdef01234567"
OTHER = "89abcdef0123456789abcdef0123456789abcdef"
AGE_KEY = "age1" + "q" * 58
COPY = "acme/ledgy-reconciler"  # a company's own copy, as the tests imagine one
PIN = Pin(COMMIT, "v1.2.0", tag="v1.2.0", repository=COPY)
DEV_PIN = Pin(COMMIT, "reconciler 1.2.1.dev3", tag=None, repository=COPY)
UNKNOWN_PIN = Pin(COMMIT, "v1.2.0", tag="v1.2.0")


def _files(**changes: Any) -> dict[str, str]:
    settings: dict[str, Any] = {
        "config": "company.yaml",
        "company": "Acme Ltd",
        "branch": "main",
        "pin": PIN,
    }
    files = scaffold_files(Scaffold(**{**settings, **changes}))
    return {str(f.path): f.text for f in files}


def _yaml(text: str) -> Any:
    return YAML(typ="safe", pure=True).load(text)


def _write(tmp_path: Path, files: tuple[ScaffoldFile, ...]) -> Path:
    for file in files:
        (tmp_path / file.path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / file.path).write_text(file.text)
    return tmp_path


def test_the_files_an_adopter_gets() -> None:
    assert sorted(_files()) == [
        ".github/CODEOWNERS",
        ".github/workflows/reconciler-apply.yml",
        ".github/workflows/reconciler-plan.yml",
        ".github/workflows/reconciler-sync.yml",
        "SETUP.md",
        "company.yaml",
        "schemas/company.schema.json",
    ]


def test_plan_file_sits_next_to_the_config() -> None:
    assert plan_file("company.yaml") == "company.plan.json"
    assert plan_file("people/acme.yml") == "people/acme.plan.json"


@pytest.mark.parametrize("config", ["company.yaml", "people/hr/company.yml"])
def test_workflows_trigger_on_the_config_and_its_saved_plan(config: str) -> None:
    files = _files(config=config)
    apply = _yaml(files[".github/workflows/reconciler-apply.yml"])
    assert apply["on"]["push"]["paths"][:3] == [config, plan_file(config), state_file(config)]
    # The plan workflow's checks are required: it runs on every pull request, no filter.
    plan = _yaml(files[".github/workflows/reconciler-plan.yml"])
    assert plan["on"] == {"pull_request": None}
    for verb in ("plan", "apply", "sync"):
        (job,) = _yaml(files[f".github/workflows/reconciler-{verb}.yml"])["jobs"].values()
        assert job["with"]["config"] == config
        assert job["uses"] == f"{COPY}/.github/workflows/reusable-{verb}.yml@{COMMIT}"


def test_apply_runs_on_the_chosen_branch_only() -> None:
    workflow = _yaml(_files(branch="trunk")[".github/workflows/reconciler-apply.yml"])
    assert workflow["on"]["push"]["branches"] == ["trunk"]


def test_the_schema_line_points_at_the_release_and_the_local_copy_is_named() -> None:
    text = _files(config="people/company.yaml")["people/company.yaml"]
    first = text.splitlines()[0]
    assert first == (
        "# yaml-language-server: $schema=https://raw.githubusercontent.com/"
        f"{COPY}/v1.2.0/schemas/company.schema.json"
    )
    assert "../schemas/company.schema.json" in text


def test_a_dev_build_points_the_schema_line_at_the_local_copy() -> None:
    text = _files(config="people/company.yaml", pin=DEV_PIN)["people/company.yaml"]
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../schemas/company.schema.json"


@pytest.mark.parametrize("company", ["Acme: Ltd #1", 'O"Brien & Söhne', "@REF@ GmbH", "- x"])
def test_any_company_name_is_quoted_and_read_back_unchanged(company: str) -> None:
    assert _yaml(_files(company=company)["company.yaml"])["ledgy"]["company"] == company


def test_the_scaffolded_config_validates_and_its_rule_tests_pass(tmp_path: Path) -> None:
    repo = _write(tmp_path, scaffold_files(Scaffold("company.yaml", "Acme Ltd", "main", PIN)))
    loaded = load_config(repo / "company.yaml")
    assert loaded.config.ledgy.driver == "workbook"
    assert not [w for w in loaded.warnings if w.severity == "error"]
    result = subprocess.run(
        [sys.executable, "-m", "reconciler", "test", "company.yaml"],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed, 0 failed" in result.stdout


def test_setup_names_the_checks_environments_and_forks() -> None:
    setup = _files()["SETUP.md"]
    for check in PLAN_CHECKS:
        assert f"`{check}`" in setup
    for needed in ("`reconciler-plan`", "`reconciler-apply`", "`CHARLIEHR_CLIENT_SECRET`"):
        assert needed in setup
    assert "required approval" in setup and "fork" in setup
    assert not re.search(r"@[A-Z_]+@", setup)
    assert f"`{COPY}`" in setup and f"`{COMMIT}` (v1.2.0)" in setup and "TODO" not in setup


def test_codeowners_names_the_config_and_the_workflows() -> None:
    owners = _files(config="people/company.yaml")[".github/CODEOWNERS"]
    assert "/people/company.yaml @" in owners
    assert "/people/company.plan.json @" in owners
    assert "/.gitignore @" in owners


@pytest.mark.parametrize(
    "changes",
    [
        {"config": "../outside.yaml"},
        {"config": "/etc/company.yaml"},
        {"config": "company.yaml\n  evil: true"},
        {"config": "company.json"},
        {"branch": "main]\n  workflow_dispatch:"},
        {"company": "Acme\nLtd"},
        {"company": "  "},
        {"pin": Pin("main # x\nevil", "x")},
        {"pin": Pin("v1.2.0", "v1.2.0", tag="v1.2.0", repository=COPY)},
        {"pin": Pin(COMMIT, "x", repository="acme/x/.github/workflows/evil.yml@main #")},
    ],
    ids=lambda c: next(iter(c)),
)
def test_a_name_that_would_change_a_workflow_is_refused(changes: dict[str, Any]) -> None:
    with pytest.raises(ReconcilerError, match="--"):
        _files(**changes)


def test_pin_calls_the_repository_the_package_came_from_at_the_commit_it_was_built_from() -> None:
    source = Source(COPY, COMMIT)
    assert pin_for("1.2.0", COMMIT, source) == Pin(COMMIT, "v1.2.0", tag="v1.2.0", repository=COPY)
    assert pin_for("1.2.1.dev3+gabc", COMMIT, source) == Pin(
        COMMIT, "reconciler 1.2.1.dev3+gabc", repository=COPY
    )
    assert pin_for("1.2.0", COMMIT, None) == UNKNOWN_PIN


def test_ref_keeps_the_repository_and_pins_another_full_commit() -> None:
    assert pin_for("1.2.0", COMMIT, Source(COPY), ref=OTHER) == Pin(OTHER, OTHER, repository=COPY)
    assert pin_for("1.2.0", None, None, ref=COMMIT.upper()) == Pin(COMMIT, COMMIT)
    with pytest.raises(ReconcilerError, match=re.escape("--ref: v1.3.0 is a tag or a branch")):
        pin_for("1.2.0", COMMIT, None, ref="v1.3.0")


def test_action_names_the_copy_and_the_commit_whatever_was_installed() -> None:
    assert pin_for("1.2.0", COMMIT, None, action=f"acme/copy@{OTHER}") == Pin(
        OTHER, "set by init --action", repository="acme/copy"
    )
    # The installed release's own commit keeps its tag as the comment and for $schema.
    assert pin_for("1.2.0", COMMIT, Source(COPY), action=f"acme/copy@{COMMIT}") == Pin(
        COMMIT, "v1.2.0", tag="v1.2.0", repository="acme/copy"
    )


def test_pin_without_a_commit_asks_for_action() -> None:
    with pytest.raises(ReconcilerError, match="without git metadata") as raised:
        pin_for("0.0.0", None, Source(COPY))
    assert "--action OWNER/REPO@SHA" in (raised.value.remedy or "")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"acme/ledgy-reconciler@{COMMIT}", Source("acme/ledgy-reconciler", COMMIT)),
        (f"Acme-Corp/rec.on_ciler@{COMMIT.upper()}", Source("Acme-Corp/rec.on_ciler", COMMIT)),
    ],
)
def test_action_takes_owner_repo_at_a_full_sha(text: str, expected: Source) -> None:
    assert parse_action(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("acme/copy@v1.2.0", "v1.2.0 is a tag or a branch, not a commit SHA"),
        ("acme/copy@main", "main is a tag or a branch, not a commit SHA"),
        ("acme/copy@0123abc", "0123abc is a short commit SHA"),
        ("acme/copy", "no commit after the repository"),
        (f"acme@{COMMIT}", "'acme' is not a GitHub repository"),
        (f"-acme/copy@{COMMIT}", "is not a GitHub repository"),
        (f"acme/../copy@{COMMIT}", "is not a GitHub repository"),
        (f"acme/..@{COMMIT}", "is not a GitHub repository"),
        (f"acme/copy@{COMMIT} # x", "is not a commit SHA"),
    ],
)
def test_action_refuses_what_is_not_pinned_by_sha_and_says_why(text: str, message: str) -> None:
    with pytest.raises(ReconcilerError, match=re.escape(message)) as raised:
        parse_action(text)
    if "commit" in message:
        remedy = raised.value.remedy or ""
        assert "full 40-character commit SHA" in remedy and "move a tag" in remedy


def test_where_the_copy_lives_is_unknown_the_workflows_say_todo_and_nothing_else() -> None:
    files = _files(pin=UNKNOWN_PIN)
    for verb in ("plan", "apply", "sync"):
        text = files[f".github/workflows/reconciler-{verb}.yml"]
        lines = text.splitlines()
        (at,) = [i for i, line in enumerate(lines) if line.strip().startswith("uses:")]
        assert lines[at - 3].strip() == TODO
        assert lines[at - 1].strip() == "# `reconciler init --action OWNER/REPO@SHA`."
        assert lines[at].strip().startswith(f"uses: {PLACEHOLDER}/.github/workflows/")
        (job,) = _yaml(text)["jobs"].values()
        assert job["uses"] == f"{PLACEHOLDER}/.github/workflows/reusable-{verb}.yml@{COMMIT}"
    setup = files["SETUP.md"]
    assert "Say where your copy of the reconciler lives" in setup
    assert "reconciler init --action OWNER/REPO@SHA" in setup
    # No schema URL can be named for a repository nobody named: the local copy.
    assert files["company.yaml"].splitlines()[0].endswith("$schema=schemas/company.schema.json")


def test_a_known_copy_has_no_todo_anywhere() -> None:
    assert not [path for path, text in _files().items() if "TODO" in text or PLACEHOLDER in text]


def _tool(name: str) -> str:
    found = shutil.which(name, path=str(Path(sys.executable).parent))
    assert found, f"{name} is a dev dependency"
    return found


@pytest.mark.parametrize("name", [None, "acme"], ids=["one-config", "several"])
@pytest.mark.parametrize("pin", [PIN, UNKNOWN_PIN], ids=["copy-known", "copy-todo"])
def test_the_scaffolded_workflows_pass_zizmor_and_the_schema(
    tmp_path: Path, pin: Pin, name: str | None
) -> None:
    scaffold = Scaffold("people/company.yaml", "Acme", "main", pin, name=name)
    repo = _write(tmp_path, scaffold_files(scaffold))
    workflows = repo / ".github" / "workflows"
    zizmor = subprocess.run(
        [_tool("zizmor"), "--offline", "--persona", "auditor", "--no-progress", str(workflows)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert "No findings to report" in zizmor.stdout + zizmor.stderr, zizmor.stdout
    schema = subprocess.run(
        [_tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows"]
        + [str(p) for p in sorted(workflows.glob("*.yml"))],
        capture_output=True,
        text=True,
        check=False,
    )
    assert schema.returncode == 0, schema.stdout + schema.stderr


def test_age_recipients_keep_the_export_encrypted_in_git(tmp_path: Path) -> None:
    files = _files(recipients=(AGE_KEY,))
    workbook = _yaml(files["company.yaml"])["ledgy"]["workbook"]
    assert workbook == {"recipients": [AGE_KEY], "out_dir": "ledgy-upload"}
    repo = _write(
        tmp_path, scaffold_files(Scaffold("company.yaml", "Acme", "main", PIN, (AGE_KEY,)))
    )
    assert load_config(repo / "company.yaml").config.ledgy.workbook is not None
    assert "`RECONCILER_AGE_IDENTITY`" in files["SETUP.md"]


def test_without_recipients_the_export_is_a_local_plaintext_file() -> None:
    workbook = _yaml(_files()["company.yaml"])["ledgy"]["workbook"]
    assert workbook == {"export": "ledgy-export.xlsx", "out_dir": "ledgy-upload"}


@pytest.mark.parametrize("key", ["age1short", "AGE-SECRET-KEY-1" + "Q" * 58, AGE_KEY + "\nevil: 1"])
def test_a_recipient_that_is_not_an_age_public_key_is_refused(key: str) -> None:
    with pytest.raises(ReconcilerError, match="not an age public key"):
        _files(recipients=(key,))


PRIVATE = [".reconciler/", "*.key", "key.txt", "keys.txt"]


def test_gitignore_additions_append_only_what_is_missing() -> None:
    added = gitignore_additions("node_modules")
    assert added.startswith("\n# reconciler")
    lines = [line for line in added.splitlines() if line and not line.startswith("#")]
    assert lines == ["/ledgy-export.xlsx", "/ledgy-upload/", *PRIVATE]
    again = gitignore_additions("/ledgy-upload/\n" + "\n".join(PRIVATE) + "\n")
    assert again.splitlines()[1:] == ["/ledgy-export.xlsx"]
    assert gitignore_additions(added) == ""


def test_gitignore_lines_follow_a_config_in_a_folder() -> None:
    added = gitignore_additions("", "people/company.yaml")
    lines = [line for line in added.splitlines() if not line.startswith("#")]
    assert lines == ["/people/ledgy-export.xlsx", "/people/ledgy-upload/", *PRIVATE]


def test_setup_names_keygen_and_never_a_key_in_the_repository() -> None:
    setup = _files(config="people/company.yaml")["SETUP.md"]
    assert "reconciler keygen" in setup and "age-keygen" not in setup
    assert "reconciler-ci.key" not in setup
    assert "gh secret set RECONCILER_AGE_IDENTITY --env reconciler-plan < ~/.config/" in setup
    assert "ledgy-state update people/ledgy-export.xlsx --config people/company.yaml" in setup


@pytest.mark.parametrize("verb", ["plan", "apply", "sync"])
def test_each_scaffolded_caller_grants_what_its_reusable_workflow_asks(verb: str) -> None:
    (job,) = _yaml(_files()[f".github/workflows/reconciler-{verb}.yml"])["jobs"].values()
    called = _yaml((ROOT / ".github" / "workflows" / f"reusable-{verb}.yml").read_text())
    asked: dict[str, str] = {}
    for called_job in called["jobs"].values():
        for scope, level in called_job["permissions"].items():
            asked[scope] = "write" if "write" in (level, asked.get(scope)) else level
    assert job["permissions"] == asked
