"""The review loop's parsers: what each verb takes, and the usage errors they refuse."""

from __future__ import annotations

import pytest

from reconciler.main import build_parser, main


def test_plan_takes_its_review_options() -> None:
    args = build_parser().parse_args(
        ["plan", "company.yaml", "--format", "json", "--save", "p.json", "--detailed-exitcode"]
    )
    assert args.output_format == "json" and str(args.save) == "p.json"
    assert args.detailed_exitcode and not args.show_values and not args.comment


def test_apply_json_needs_an_out_file_and_the_other_way_round(
    capsys: pytest.CaptureFixture[str],
) -> None:
    for argv in (["--format", "json"], ["--out", "result.json"]):
        with pytest.raises(SystemExit) as stopped:
            main(["apply", "company.yaml", *argv])
        assert stopped.value.code == 64
    assert capsys.readouterr().err.count("--format json and --out FILE go together") == 2


def test_explain_needs_someone_to_explain(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        build_parser().parse_args(["explain", "company.yaml"])
    assert stopped.value.code == 64
    assert "identifier" in capsys.readouterr().err
