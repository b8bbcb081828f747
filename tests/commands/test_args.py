"""The shared argument groups: ``--sandbox`` never swallows the config path."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from reconciler.commands.args import BUILTIN, Parser, bounded, reading_args, split_sandbox_dir


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
