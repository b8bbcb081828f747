"""The Ledgy-side verbs' parsers: each verb names what it works on."""

from __future__ import annotations

import pytest

from reconciler.main import build_parser


@pytest.mark.parametrize(
    "argv",
    [
        ["ledgy-state", "show"],  # --config is required
        ["ledgy-state", "open", "folder.tar.age"],  # --into is required
        ["identifiers", "export", "company.yaml"],  # --out is required
        ["identifiers", "import", "company.yaml"],  # the reviewed workbook is required
    ],
)
def test_a_missing_argument_is_a_usage_error(argv: list[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        build_parser().parse_args(argv)
    assert stopped.value.code == 64


def test_identifiers_import_takes_the_apply_guards() -> None:
    args = build_parser().parse_args(
        ["identifiers", "import", "company.yaml", "review.xlsx", "--apply", "--force"]
    )
    assert args.apply and args.force and str(args.review) == "review.xlsx"
