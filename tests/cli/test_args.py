"""The shared argument groups: ``--sandbox`` never swallows the config path."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from reconciler.cli.args import Parser, bounded, reading_args, split_sandbox_dir
from reconciler.commands.sandbox_choice import BUILTIN


def _parse(*argv: str) -> argparse.Namespace:
    parser = Parser()
    reading_args(parser)
    return parser.parse_args(split_sandbox_dir(argv))


def test_sandbox_alone_is_the_builtin_company_and_leaves_the_config_alone() -> None:
    parsed = _parse("--sandbox", "company.yaml")
    assert parsed.sandbox == BUILTIN
    assert parsed.config == Path("company.yaml")


def test_sandbox_equals_dir_and_sandbox_dir_name_a_directory() -> None:
    assert _parse("company.yaml", "--sandbox=demo").sandbox == Path("demo")
    assert _parse("--sandbox-dir", "demo", "company.yaml").sandbox == Path("demo")


def test_no_sandbox_means_the_live_apis() -> None:
    assert _parse("company.yaml").sandbox is None


def test_sandbox_and_sandbox_dir_together_are_a_usage_error() -> None:
    with pytest.raises(SystemExit):
        _parse("company.yaml", "--sandbox", "--sandbox-dir", "demo")


def test_split_stops_at_double_dash() -> None:
    assert split_sandbox_dir(["--", "--sandbox=x"]) == ["--", "--sandbox=x"]


def test_options_are_never_abbreviated() -> None:
    parser = Parser()
    parser.add_argument("--force", action="store_true")
    with pytest.raises(SystemExit):
        parser.parse_args(["--for"])


@pytest.mark.parametrize(
    ("kind", "text"),
    [(int, "-3"), (int, "x"), (int, "2.5"), (float, "nan"), (float, "1e400"), (float, "101")],
)
def test_bounded_refuses_what_is_out_of_range_or_not_a_number(
    kind: type[int] | type[float], text: str
) -> None:
    with pytest.raises(argparse.ArgumentTypeError):
        bounded(kind, 0, 100)(text)


def test_bounded_accepts_its_range() -> None:
    assert bounded(int, 1)("300") == 300
    assert bounded(float, 0, 1)("0.5") == 0.5


def _verb() -> Parser:
    top = Parser(prog="reconciler")
    top.add_argument("-v", "--verbose", action="store_true")
    verbs = top.add_subparsers(dest="command", required=True)
    plan = verbs.add_parser("plan")
    plan.add_argument("--detailed-exitcode", action="store_true")
    plan.add_argument("--show-values", action="store_true")
    return top


@pytest.mark.parametrize(
    ("argv", "meant"),
    [
        (["plan", "--detailed-exitcodes"], "--detailed-exitcode"),
        (["plan", "--show-value=yes"], "--show-values"),
        (["--verbos", "plan"], "--verbose"),
    ],
)
def test_a_mistyped_option_is_a_usage_error_that_says_what_was_meant(
    argv: list[str], meant: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as caught:
        _verb().parse_args(argv)
    assert caught.value.code == 64
    assert capsys.readouterr().err.endswith(f"; did you mean {meant}?\n")


def test_an_option_like_none_and_a_stray_word_get_no_guess(
    capsys: pytest.CaptureFixture[str],
) -> None:
    for argv in (["plan", "--zzz"], ["plan", "stray"]):
        with pytest.raises(SystemExit) as caught:
            _verb().parse_args(argv)
        assert caught.value.code == 64
        err = capsys.readouterr().err
        assert "unrecognized arguments" in err and "did you mean" not in err
