"""Exit codes and what each kind of error prints."""

from __future__ import annotations

import subprocess
import sys

import pytest

from reconciler.error_handler import ExitCode, error_handler
from reconciler.errors import ReconcilerError
from tests.conftest import ROOT


def test_unexpected_errors_exit_3_without_traceback_or_message(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(ExitCode) as caught, error_handler(verbose=False):
        raise KeyError("someone@example.com")
    assert caught.value.code == 3
    err = capsys.readouterr().err
    assert "KeyError" in err and "please report" in err.lower()
    assert "someone@example.com" not in err and "Traceback" not in err


def test_unexpected_errors_show_the_traceback_with_verbose(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(ExitCode), error_handler(verbose=True):
        raise RuntimeError("boom")
    assert "Traceback" in capsys.readouterr().err


def test_user_errors_exit_1_with_the_remedy(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(ExitCode) as caught, error_handler(verbose=False):
        raise ReconcilerError("Ledgy refused the key", remedy="rotate it")
    assert caught.value.code == 1
    assert capsys.readouterr().err == "error: Ledgy refused the key\n  what to do: rotate it\n"


def test_a_closed_pipe_ends_quietly_with_exit_1(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(ExitCode) as caught, error_handler(verbose=False):
        raise BrokenPipeError(32, "Broken pipe")
    assert caught.value.code == 1
    assert capsys.readouterr() == ("", "")


def test_a_reader_that_goes_away_is_not_a_bug() -> None:
    """`reconciler validate … | grep -q valid`: the reader leaves before we write."""
    with subprocess.Popen(
        [sys.executable, "-m", "reconciler", "validate", str(ROOT / "examples" / "company.yaml")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        process.stdout.close()  # long before the CLI has started and written
        err = process.stderr.read()
    assert process.returncode == 1
    assert "bug" not in err and "Traceback" not in err and "Exception ignored" not in err
