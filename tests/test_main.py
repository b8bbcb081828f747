from __future__ import annotations

import argparse
import gc
import subprocess
import sys
from pathlib import Path

import pytest

from reconciler.error_handler import EXIT_USAGE
from reconciler.main import build_parser, main
from tests.conftest import DATA, ROOT
from tests.e2e.harness import live, member

CONFIGS = DATA / "configs"


def test_validate_a_valid_config_exits_0_with_a_summary(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(ROOT / "examples" / "company.yaml")]) == 0
    out = capsys.readouterr().out
    assert "is valid" in out and "Ledgy company 'Acme Ltd'" in out


def test_validate_an_invalid_config_exits_1_listing_every_problem(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["validate", str(CONFIGS / "invalid-five-errors.yaml")]) == 1
    err = capsys.readouterr().err
    assert err.count("invalid-five-errors.yaml:") == 7  # six problems and the total
    assert "6 problems in the config" in err
    assert "Traceback" not in err


def test_validate_github_format_prints_annotations(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(["validate", "--format", "github", str(CONFIGS / "invalid-unknown-key-typo.yaml")])
        == 1
    )
    out = capsys.readouterr().out
    assert out.splitlines()[0] == (
        f"::error file={CONFIGS / 'invalid-unknown-key-typo.yaml'},line=10,col=3,"
        "title=reconciler validate::unknown key 'grup' in 'stakeholders'; did you mean 'group'?"
        "%0Ahint: known keys here: sensitive_exceptions, identifier, email, group, "
        "optional_fields, custom_fields, sync_if, terminated, adoption, matches, conflicts, on_removed_field"
    )


def test_validate_github_format_prints_warnings_too(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(["validate", "--format", "github", str(CONFIGS / "valid-sensitive-exception.yaml")])
        == 0
    )
    assert capsys.readouterr().out.startswith("::warning file=")


def test_a_missing_file_exits_1(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["validate", str(tmp_path / "none.yaml")]) == 1
    assert "no such file" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv",
    [
        ["plan"],  # validate and test without one check every declared config
        ["frobnicate"],
        ["apply", "examples/company.yaml", "--for"],
        ["plan", "--detailed-exitcodes", "x"],
        ["plan", "x", "--format", "yaml"],
    ],
    ids=["missing-config", "unknown-command", "abbreviated-force", "misspelt-flag", "bad-choice"],
)
def test_usage_errors_exit_64_never_2_which_means_changes(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as caught:
        main(argv)
    assert caught.value.code == EXIT_USAGE == 64
    assert "usage: reconciler" in capsys.readouterr().err


def _every_parser(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    found = [parser]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                found += _every_parser(child)
    return found


def test_every_command_lists_its_exit_codes_in_help() -> None:
    parsers = _every_parser(build_parser())
    assert len(parsers) > 10
    for parser in parsers:
        text = parser.format_help()
        assert "exit codes:" in text and "64   usage error" in text, parser.prog
        changes = "2    the plan has changes" in text
        assert changes == (parser.prog == "reconciler plan"), parser.prog


def _leaf_verbs() -> list[argparse.ArgumentParser]:
    return [p for p in _every_parser(build_parser())[1:] if p._subparsers is None]


def test_each_verb_says_what_its_own_exit_codes_mean() -> None:
    epilogs = {parser.prog: parser.epilog for parser in _leaf_verbs()}
    assert len(epilogs) > 15
    for prog, epilog in epilogs.items():
        assert epilog is not None and epilog.startswith("exit codes:"), prog
        ok, fixable = epilog.splitlines()[1:3]
        assert ok.startswith("  0 ") and fixable.startswith("  1 "), prog
        assert "(plan: no changes)" not in ok, f"{prog} lists the shared meaning of 0"
    meanings = [e.splitlines()[1:3] for e in epilogs.values() if e is not None]
    assert len({tuple(m) for m in meanings}) == len(meanings), "two verbs share their codes"


def test_validate_says_1_is_a_config_with_problems_and_schema_that_it_is_stale() -> None:
    epilogs = {parser.prog: parser.epilog or "" for parser in _leaf_verbs()}
    assert "0    the config is valid" in epilogs["reconciler validate"]
    assert "1    --check: the committed schema is stale" in epilogs["reconciler schema"]
    assert "2    the plan has changes" in epilogs["reconciler plan"]


@pytest.mark.parametrize(
    ("argv", "verbose"),
    [
        (["-v", "validate", "x.yaml"], True),
        (["validate", "x.yaml", "-v"], True),
        (["validate", "-v", "x.yaml"], True),
        (["--verbose", "sandbox", "init", "d"], True),
        (["sandbox", "init", "d", "--verbose"], True),
        (["validate", "x.yaml"], False),
    ],
)
def test_verbose_works_before_or_after_the_command(argv: list[str], verbose: bool) -> None:
    assert build_parser().parse_args(argv).verbose is verbose


def test_python_dash_m_runs_the_cli() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "reconciler", "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.startswith("reconciler ")


def _program(tmp_path: Path, *argv: str, hook: str = "") -> subprocess.CompletedProcess[str]:
    """``reconciler ARGV`` as the installed program runs it (reconciler.main.run)."""
    code = f"import sys\n{hook}\nsys.argv = ['reconciler', *{list(argv)!r}]\n"
    code += "from reconciler.main import run\nrun()\n"
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, check=False
    )


def test_the_program_ends_with_mains_exit_code_and_all_its_output(tmp_path: Path) -> None:
    config = ROOT / "examples" / "company.yaml"
    valid = _program(tmp_path, "validate", str(config))
    assert valid.returncode == 0
    assert valid.stdout.strip() and valid.stdout.endswith("\n")
    assert _program(tmp_path, "--no-such-flag").returncode == 64
    assert _program(tmp_path, "--version").returncode == 0


def test_the_program_runs_exit_handlers_before_it_ends(tmp_path: Path) -> None:
    # Coverage, temporary directories' finalizers and callers' hooks depend on them.
    hook = "import atexit, pathlib\natexit.register(pathlib.Path('ran').write_text, 'yes')"
    done = _program(tmp_path, "--version", hook=hook)
    assert done.returncode == 0
    assert (tmp_path / "ran").read_text() == "yes"


def test_a_string_exit_is_reported_and_ends_with_1(tmp_path: Path) -> None:
    hook = "import reconciler.main as m\nm.main = lambda: sys.exit('stopped: why')"
    done = _program(tmp_path, hook=hook)
    assert (done.returncode, done.stderr.strip()) == (1, "stopped: why")


def test_a_refused_ledgy_key_is_one_clear_error_and_leaves_nothing_unawaited(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    members = [member(n) for n in range(1, 60)]  # several CharlieHR pages still in flight
    with live(tmp_path, monkeypatch, members, []) as run:
        monkeypatch.setenv("LEDGY_KEY", "not-the-key")
        assert main(["plan", str(run.loaded.path)]) == 1
        gc.collect()  # a coroutine never awaited warns when it is collected
    err = capsys.readouterr().err
    assert "Ledgy refused the API key" in err and "LEDGY_KEY" in err
    assert "never awaited" not in err and "bug" not in err
    assert not [r for r in caplog.records if "never retrieved" in r.getMessage()]


def test_the_version_is_read_only_when_asked(capsys: pytest.CaptureFixture[str]) -> None:
    import reconciler
    from reconciler import release

    vars(reconciler).pop("__version__", None)
    build_parser()
    assert "__version__" not in vars(reconciler)  # no metadata read to build the parser
    with pytest.raises(SystemExit) as stop:
        build_parser().parse_args(["--version"])
    assert stop.value.code == 0
    assert capsys.readouterr().out == f"reconciler {release.installed_version()}\n"
