"""``reconciler doctor`` against the GitHub emulator over loopback."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from reconciler.commands.doctor import expected_of
from reconciler.main import main
from reconciler.sandbox.github import ADMIN_TOKEN, SANDBOX_TOKEN, GitHubData
from reconciler.sandbox.github_app import create_app
from reconciler.sandbox.github_check_shapes import GITHUB_ACTIONS_APP_ID
from reconciler.sandbox.server import serve_in_thread
from reconciler.scaffold.checklist import Expected
from reconciler.scaffold.files import ALL_PLANS_CHECK, PLAN_CHECKS
from tests.conftest import ROOT
from tests.scratch import git, git_repo

SECRETS = [
    "CHARLIEHR_CLIENT_ID",
    "CHARLIEHR_CLIENT_SECRET",
    "RECONCILER_AGE_IDENTITY",
    "RECONCILER_PLAN_KEY",
]
AGE_KEY = "age1" + "q" * 58


@pytest.fixture
def github(monkeypatch: pytest.MonkeyPatch) -> Iterator[GitHubData]:
    data = GitHubData()
    with serve_in_thread(create_app(data)) as url:
        monkeypatch.setenv("GITHUB_API_URL", url)
        monkeypatch.setenv("GITHUB_REPOSITORY", data.repository)
        monkeypatch.setenv("GITHUB_TOKEN", ADMIN_TOKEN)
        yield data


@pytest.fixture
def config(tmp_path: Path) -> Path:
    assert main(["init", str(tmp_path), "--ref", "0" * 40, "--age-recipient", AGE_KEY]) == 0
    return tmp_path / "company.yaml"


def _set_up_as_setup_md_says(data: GitHubData) -> None:
    data.add_environment("reconciler-plan", SECRETS)
    data.add_environment("reconciler-apply", SECRETS, protected_branches=True)
    data.workflow_permissions["can_approve_pull_request_reviews"] = True
    data.protect("main", contexts=list(PLAN_CHECKS), approvals=1, app_id=GITHUB_ACTIONS_APP_ID)
    data.protection["main"]["required_pull_request_reviews"]["require_code_owner_reviews"] = True


def _doctor(config: Path | None, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["doctor", *([] if config is None else [str(config)]), *args])
    return code, capsys.readouterr().out


def test_a_fresh_repository_lacks_environments_and_protection(
    github: GitHubData, config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = _doctor(config, capsys)
    assert code == 1
    assert "MISSING  environment reconciler-plan" in out
    assert "MISSING  environment reconciler-apply" in out
    assert "deployment branches: main only" in out
    assert "MISSING  protection of main" in out
    assert "MISSING  Actions may create pull requests (the sync workflow opens one)" in out
    assert out.splitlines()[-1] == "4 missing: see SETUP.md"


def test_a_repository_set_up_as_setup_md_says_passes(
    github: GitHubData, config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _set_up_as_setup_md_says(github)
    code, out = _doctor(config, capsys)
    assert code == 0, out
    assert "MISSING" not in out and "unknown" not in out
    assert f"ok       required status check '{PLAN_CHECKS[1]}'" in out
    assert out.splitlines()[-1] == "everything the workflows need is in place"


def test_it_names_each_missing_secret_and_check(
    github: GitHubData, config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _set_up_as_setup_md_says(github)
    github.environments["reconciler-apply"].remove("CHARLIEHR_CLIENT_SECRET")
    github.protect("main", contexts=[PLAN_CHECKS[0]], approvals=None)
    code, out = _doctor(config, capsys)
    assert code == 1
    missing = [line for line in out.splitlines() if line.startswith("MISSING")]
    assert missing == [
        "MISSING  secret CHARLIEHR_CLIENT_SECRET in environment reconciler-apply",
        f"MISSING  required status check '{PLAN_CHECKS[1]}'",
        "MISSING  required approvals: 0",
    ]


def test_the_secrets_are_the_ones_the_config_names(
    github: GitHubData, config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _set_up_as_setup_md_says(github)
    text = config.read_text().replace("env/CHARLIEHR_CLIENT_ID", "env/HR_ID")
    config.write_text(text)
    _, out = _doctor(config, capsys)
    assert "MISSING  secret HR_ID in environment reconciler-plan" in out


def test_the_workflow_token_cannot_read_secrets_and_says_so(
    github: GitHubData,
    config: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _set_up_as_setup_md_says(github)
    monkeypatch.setenv("GITHUB_TOKEN", SANDBOX_TOKEN)
    code, out = _doctor(config, capsys)
    assert code == 0
    assert "ok       secret" not in out and "ok       protection" not in out
    assert "unknown  protection of main" in out
    assert "why:" in out and "admin" in out


def test_the_branch_to_check_can_be_named(
    github: GitHubData, config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _set_up_as_setup_md_says(github)
    _, out = _doctor(config, capsys, "--branch", "release")
    assert "MISSING  protection of release" in out


def test_without_a_token_it_says_how_to_get_one(
    github: GitHubData,
    config: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("GITHUB_TOKEN")
    monkeypatch.delenv("GH_TOKEN", raising=False)
    assert main(["doctor", str(config)]) == 1
    err = capsys.readouterr().err
    assert "GITHUB_TOKEN" in err and "gh auth token" in err and "Traceback" not in err


def test_a_bad_token_is_a_clear_user_error(
    github: GitHubData,
    config: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", "forged")
    assert main(["doctor", str(config)]) == 1
    err = capsys.readouterr().err
    assert "401" in err and "forged" not in err


@pytest.mark.parametrize(
    "origin", ["git@github.com:acme/people-config.git", "https://github.com/acme/people-config"]
)
def test_the_repository_comes_from_the_origin_remote(
    github: GitHubData,
    config: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    origin: str,
) -> None:
    repo = git_repo(config.parent / "clone")
    git(repo, "remote", "add", "origin", origin)
    monkeypatch.chdir(repo)
    monkeypatch.delenv("GITHUB_REPOSITORY")
    _, out = _doctor(config, capsys)
    assert out.splitlines()[0] == f"doctor: acme/people-config, config {config}"


def test_without_a_github_origin_it_asks_for_repo(
    github: GitHubData,
    config: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(git_repo(config.parent / "clone"))
    monkeypatch.delenv("GITHUB_REPOSITORY")
    assert main(["doctor", str(config)]) == 1
    assert "--repo OWNER/NAME" in capsys.readouterr().err


@pytest.mark.parametrize("name", ["../../user", "acme/people/../../x", "acme", "a b/c"])
def test_a_repository_name_that_is_not_one_is_refused(
    github: GitHubData, config: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["doctor", str(config), "--repo", name])
    assert stopped.value.code == 64
    assert "not a repository name" in capsys.readouterr().err


def test_a_plaintext_export_is_missing_for_ci_and_no_identity_is_asked(
    github: GitHubData, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _set_up_as_setup_md_says(github)
    main(["init", str(tmp_path / "plain"), "--ref", "0" * 40])
    code, out = _doctor(tmp_path / "plain" / "company.yaml", capsys)
    assert code == 1
    assert out.splitlines()[1].startswith("MISSING  Ledgy export encrypted in Git")
    assert "RECONCILER_AGE_IDENTITY" not in out


# -- repository rulesets, with or instead of branch protection ----------------


def _set_up_with_a_ruleset(data: GitHubData) -> None:
    _set_up_as_setup_md_says(data)
    del data.protection["main"]
    data.add_ruleset(
        "Protect main",
        approvals=1,
        contexts=list(PLAN_CHECKS),
        code_owners=True,
        integration_id=GITHUB_ACTIONS_APP_ID,
    )


def test_a_ruleset_in_place_of_branch_protection_passes(
    github: GitHubData, config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _set_up_with_a_ruleset(github)
    code, out = _doctor(config, capsys)
    assert code == 0, out
    assert "ok       protection of main (ruleset 'Protect main')" in out
    assert f"ok       required status check '{PLAN_CHECKS[0]}'" in out
    assert "ok       required approvals: 1" in out and "code owners" not in out


def test_the_workflow_token_reads_rulesets_where_branch_protection_is_closed_to_it(
    github: GitHubData,
    config: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _set_up_with_a_ruleset(github)
    monkeypatch.setenv("GITHUB_TOKEN", SANDBOX_TOKEN)
    _, out = _doctor(config, capsys)
    assert "ok       protection of main (ruleset 'Protect main')" in out
    assert "ok       required approvals: 1" in out
    assert "unknown  protection" not in out and "unknown  required" not in out


def test_what_a_ruleset_lacks_is_unknown_while_branch_protection_is_unreadable(
    github: GitHubData,
    config: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _set_up_as_setup_md_says(github)  # branch protection has everything; the token cannot see it
    github.add_ruleset("Reviews", approvals=1)
    monkeypatch.setenv("GITHUB_TOKEN", SANDBOX_TOKEN)
    code, out = _doctor(config, capsys)
    assert "MISSING  required status check" not in out
    assert f"unknown  required status check '{PLAN_CHECKS[0]}'" in out
    assert "Settings > Rules > Rulesets > 'Reviews' > Require status checks" in out
    assert code == 0


def test_branch_protection_and_rulesets_are_required_together(
    github: GitHubData, config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _set_up_as_setup_md_says(github)
    github.protect("main", contexts=[PLAN_CHECKS[0]], approvals=None)
    github.add_ruleset("Reviews", approvals=2, code_owners=True)
    github.add_ruleset("Checks", approvals=None, contexts=[PLAN_CHECKS[1]])
    github.add_ruleset("Releases", include=["refs/heads/release/*"], approvals=5)
    github.add_ruleset("Trial", approvals=3, enforcement="evaluate")
    code, out = _doctor(config, capsys)
    assert code == 0, out
    assert (
        "ok       protection of main (branch protection, ruleset 'Reviews', ruleset 'Checks')"
        in out
    )
    assert "ok       required approvals: 2" in out and "code owners" not in out
    assert "advice   ruleset 'Trial' (evaluate) is not enforced" in out
    assert "Enforcement status: Active, if it is meant to protect main" in out


def test_a_ruleset_name_is_printed_inert(
    github: GitHubData, config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    github.add_ruleset("evil\x1b[31m\n::error::x" + "y" * 200, approvals=1)
    _, out = _doctor(config, capsys)
    (line,) = [line for line in out.splitlines() if "protection of main" in line]
    assert "\x1b" not in out and "\n::error" not in out
    assert "evil\\x1b[31m\\n" in line and len(line) < 140


# -- the required checks: the ones SETUP.md names, from GitHub Actions ---------


def _checks_setup_md_names(setup: str) -> list[str]:
    """The checks step 4 of SETUP.md tells the adopter to require."""
    section = setup.split("## 4.", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^  - \[ \] `([^`]+)`$", section, re.MULTILINE)


def test_setup_md_and_doctor_name_the_same_checks(
    github: GitHubData, config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    named = _checks_setup_md_names((config.parent / "SETUP.md").read_text())
    assert named == list(Expected(secrets=()).checks) == list(PLAN_CHECKS)
    _set_up_as_setup_md_says(github)
    github.protect("main", contexts=named, approvals=1, app_id=GITHUB_ACTIONS_APP_ID)
    code, out = _doctor(config, capsys)
    for check in named:
        assert f"ok       required status check '{check}'" in out
    assert "from any source" not in out and "never reports" not in out
    assert code == 0, out


def test_checks_pinned_to_another_app_are_missing_and_any_source_is_advice(
    github: GitHubData, config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _set_up_as_setup_md_says(github)
    github.protect("main", contexts=list(PLAN_CHECKS), approvals=1, app_id=4242)
    code, out = _doctor(config, capsys)
    assert code == 1
    assert f"MISSING  required status check '{PLAN_CHECKS[0]}' from GitHub Actions" in out
    assert "it expects app 4242" in out
    github.protect("main", contexts=[*PLAN_CHECKS, "ci / lint"], approvals=1)  # any source
    code, out = _doctor(config, capsys)
    assert code == 0
    assert f"advice   required status checks from any source: {', '.join(PLAN_CHECKS)}" in out
    assert "advice   required status check 'ci / lint' never reports on the sync pull request" in (
        out
    )


def test_a_rulesets_check_pinned_to_another_app_is_read_too(
    github: GitHubData, config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _set_up_with_a_ruleset(github)
    github.rulesets.clear()
    github.add_ruleset("Main", approvals=1, contexts=list(PLAN_CHECKS), integration_id=7)
    _, out = _doctor(config, capsys)
    assert f"MISSING  required status check '{PLAN_CHECKS[1]}' from GitHub Actions" in out
    assert "Settings > Rules > Rulesets > 'Main' > Require status checks: set the source" in out


def test_configs_that_read_one_charliehr_account_are_shown(tmp_path: Path) -> None:
    from reconciler.commands.doctor import shared_accounts

    example = (ROOT / "examples" / "company.yaml").read_text(encoding="utf-8")
    for name in ("ltd", "gmbh", "other"):
        text = example if name != "other" else example.replace("CHARLIEHR_CLIENT_ID", "OTHER_ID")
        (tmp_path / f"{name}.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "reconciler.yaml").write_text(
        "version: 1\nconfigs:\n  - path: ltd.yaml\n  - path: gmbh.yaml\n  - path: other.yaml\n",
        encoding="utf-8",
    )
    assert shared_accounts(tmp_path) == [
        "info     one CharlieHR account (https://charliehr.com/api/v1, env/CHARLIEHR_CLIENT_ID) "
        "is read by ltd, gmbh: allowed, as long as their sync_if rules split the people"
    ]
    assert shared_accounts(tmp_path / "nowhere") == []


# -- a repository with reconciler.yaml: each config's environments, one required check --

BETA = "companies/beta/company.yaml"


@pytest.fixture
def several(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository where init added beta next to the first config (the index, a job per
    config), as the working directory."""
    root = tmp_path / "repo"
    for config in ("company.yaml", BETA):
        args = ["--ref", "0" * 40, "--age-recipient", AGE_KEY, "--config", config]
        assert main(["init", str(root), *args]) == 0
    monkeypatch.chdir(root)
    return root


def _set_up_several(data: GitHubData) -> None:
    _set_up_as_setup_md_says(data)
    data.add_environment("reconciler-plan-beta", SECRETS)
    data.add_environment("reconciler-apply-beta", SECRETS, protected_branches=True)
    data.protect("main", contexts=[ALL_PLANS_CHECK], approvals=1, app_id=GITHUB_ACTIONS_APP_ID)
    data.protection["main"]["required_pull_request_reviews"]["require_code_owner_reviews"] = True


def _missing(out: str) -> list[str]:
    return [line for line in out.splitlines() if line.startswith("MISSING")]


def test_a_config_of_an_index_is_checked_in_its_own_environments(
    github: GitHubData, several: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _set_up_as_setup_md_says(github)  # the first config's environments only
    code, out = _doctor(Path("beta"), capsys)
    assert code == 1
    assert out.splitlines()[0] == "doctor: acme/people-config, config " + BETA
    assert "MISSING  environment reconciler-plan-beta" in out
    assert "MISSING  environment reconciler-apply-beta" in out
    assert "deployment branches: main only" in out
    assert "environment reconciler-plan\n" not in out and "reconciler-apply " not in out
    github.add_environment("reconciler-plan-beta", SECRETS)
    github.add_environment("reconciler-apply-beta", SECRETS)  # any branch may deploy
    _, out = _doctor(Path(BETA), capsys)
    assert "MISSING  only chosen branches deploy to reconciler-apply-beta" in out


def test_the_first_config_keeps_its_environments_and_the_required_check_is_reconciler_plan(
    github: GitHubData, several: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _set_up_several(github)
    code, out = _doctor(Path("company"), capsys)
    assert code == 0, out
    assert "ok       environment reconciler-plan" in out
    assert "ok       environment reconciler-apply" in out
    assert f"ok       required status check '{ALL_PLANS_CHECK}'" in out
    assert f"'{PLAN_CHECKS[0]}'" not in out


def test_setup_md_of_the_next_config_and_doctor_name_the_same_checks(
    github: GitHubData, several: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    setup = (several / "companies" / "beta" / "SETUP.md").read_text()
    section = setup.split("## 3.", 1)[1]
    named = re.findall(r"^  - \[ \] `([^`]+)`$", section, re.MULTILINE)
    assert named == list(expected_of(several / BETA, several).checks) == [ALL_PLANS_CHECK]
    first = _checks_setup_md_names((several / "SETUP.md").read_text())  # init updated it
    assert first == list(expected_of(several / "company.yaml", several).checks) == named
    _set_up_several(github)
    code, out = _doctor(Path("beta"), capsys)
    assert f"ok       required status check '{ALL_PLANS_CHECK}'" in out
    assert code == 0, out


def test_with_no_config_every_declared_config_is_checked(
    github: GitHubData, several: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _set_up_several(github)
    github.environments["reconciler-apply-beta"].remove("CHARLIEHR_CLIENT_SECRET")
    code, out = _doctor(None, capsys)
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == "doctor: acme/people-config, 2 configs (reconciler.yaml)"
    company, beta, repository = (
        lines.index("config company (company.yaml):"),
        lines.index(f"config beta ({BETA}):"),
        lines.index("the repository:"),
    )
    assert company < beta < repository
    assert "ok       environment reconciler-plan" in lines[company:beta]
    assert "ok       environment reconciler-plan-beta" in lines[beta:repository]
    assert _missing(out) == [
        "MISSING  secret CHARLIEHR_CLIENT_SECRET in environment reconciler-apply-beta"
    ]
    assert sum("protection of main" in line for line in lines) == 1
    assert "is read by company, beta: allowed" in out


def test_a_broken_config_is_missing_and_the_others_are_checked_all_the_same(
    github: GitHubData, several: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _set_up_several(github)
    (several / BETA).write_text("version: 1\nhris: [\n")
    code, out = _doctor(None, capsys)
    assert code == 1
    assert _missing(out) == [f"MISSING  a valid config beta ({BETA})"]
    assert "run `reconciler validate beta`" in out
    assert "ok       environment reconciler-apply" in out


def test_the_checks_of_one_config_still_required_after_the_move_to_a_job_per_config_are_missing(
    github: GitHubData, several: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _set_up_several(github)
    github.protect("main", contexts=list(PLAN_CHECKS), approvals=1, app_id=GITHUB_ACTIONS_APP_ID)
    code, out = _doctor(Path("beta"), capsys)
    assert code == 1
    assert _missing(out) == [
        *(
            f"MISSING  required status check '{check}' is not reported on every pull request"
            for check in sorted(PLAN_CHECKS)
        ),
        f"MISSING  required status check '{ALL_PLANS_CHECK}'",
    ]
    assert f"remove '{PLAN_CHECKS[0]}', and add '{ALL_PLANS_CHECK}'" in out
    assert "no workflow reports this check of a single config any more" in out
    assert "never reports on the sync pull request" not in out


def test_a_required_check_of_one_config_holds_up_the_others_pull_requests(
    github: GitHubData, several: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _set_up_several(github)
    one = "reconciler plan beta / plan comment"
    github.protect("main", contexts=[ALL_PLANS_CHECK, one], approvals=1, app_id=1)
    code, out = _doctor(Path("beta"), capsys)
    assert code == 1
    assert f"MISSING  required status check '{one}' is not reported on every pull request" in out
    assert "reported only on the pull requests that change that config" in out


def test_one_config_requiring_the_check_of_a_job_per_config_waits_for_ever(
    github: GitHubData, config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _set_up_as_setup_md_says(github)
    github.protect(
        "main", contexts=[*PLAN_CHECKS, ALL_PLANS_CHECK], approvals=1, app_id=GITHUB_ACTIONS_APP_ID
    )
    code, out = _doctor(config, capsys)
    assert code == 1
    assert _missing(out) == [
        f"MISSING  required status check '{ALL_PLANS_CHECK}' is not reported on every pull request"
    ]
    assert "this one runs a single config" in out
