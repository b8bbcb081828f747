"""Exit codes and what each kind of error prints."""

from __future__ import annotations

import pytest

from reconciler.error_handler import ExitCode, error_handler
from reconciler.errors import ReconcilerError


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
