"""The job summary and the step's annotations: ten shown, all summarised, 1 MiB at most."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from reconciler.errors import Problem
from reconciler.github.actions import SUMMARY_LIMIT, annotate, write_summary


def _problems(count: int) -> list[Problem]:
    return [
        Problem("company.yaml", n, 2, f"problem {n}", hint=f"fix {n}" if n % 2 else None)
        for n in range(1, count + 1)
    ]


def test_the_summary_is_appended_to_with_a_line_break(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("# earlier step\n")
    write_summary(summary, "## Plan")
    write_summary(summary, "ünïcode")
    assert summary.read_text(encoding="utf-8") == "# earlier step\n## Plan\nünïcode\n"


def test_without_a_summary_file_nothing_is_written(tmp_path: Path) -> None:
    write_summary(None, "## Plan")
    assert annotate(_problems(1), None, title="t") == [
        "::error file=company.yaml,line=1,col=2,title=t::problem 1%0Ahint: fix 1"
    ]
    assert list(tmp_path.iterdir()) == []


def test_a_summary_of_exactly_the_limit_is_kept_whole(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    text = ("x" * 99 + "\n") * (SUMMARY_LIMIT // 100) + "y" * (SUMMARY_LIMIT % 100)
    assert len(text.encode()) == SUMMARY_LIMIT == 1024 * 1024 - 1024
    write_summary(summary, text)
    assert summary.read_text() == text + "\n"


def test_a_longer_summary_is_cut_at_a_line_end_and_says_so(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    line = "a " + "é" * 48 + "\n"  # 99 bytes
    assert SUMMARY_LIMIT % 99 == 33  # the cut falls inside a letter, after a space
    text = line * (SUMMARY_LIMIT // 99 + 2)
    write_summary(summary, text)
    kept = line * (SUMMARY_LIMIT // 99)
    assert summary.read_text(encoding="utf-8") == (
        kept.rstrip("\n")
        + "\n\n> Cut at GitHub's 1 MiB summary limit; the plan artifact has it all.\n\n"
    )


def test_a_summary_that_cannot_be_written_is_a_warning_and_the_run_goes_on(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="reconciler.github.actions"):
        write_summary(tmp_path, "## Plan")
    assert caplog.messages == [f"the job summary {tmp_path} cannot be written (Is a directory)"]


def test_ten_problems_are_ten_annotations_and_all_go_to_the_summary(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    lines = annotate(_problems(10), summary, title="Config")
    assert len(lines) == 10 and not any(line.startswith("::notice") for line in lines)
    assert lines[1] == "::error file=company.yaml,line=2,col=2,title=Config::problem 2"
    rows = summary.read_text().splitlines()
    assert rows[:4] == [
        "### Config",
        "",
        "| Where | Kind | Problem | Hint |",
        "| --- | --- | --- | --- |",
    ]
    # (a word joiner after each colon: "scheme:" is no autolink to GitHub)
    assert rows[4:6] == [
        "| company.yaml:\u20601:\u20602 | error | problem 1 | fix 1 |",
        "| company.yaml:\u20602:\u20602 | error | problem 2 |  |",
    ]
    assert len(rows) == 4 + 10


def test_past_ten_a_notice_points_to_the_summary_that_has_them_all(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    problems = [*_problems(11), Problem("a|b.yaml", 1, 1, "x*y*", severity="warning")]
    lines = annotate(problems, summary, title="Config")
    assert lines[10:] == ["::notice title=Config::2 more problem(s) are listed in the job summary"]
    assert len(lines) == 11
    rows = summary.read_text().splitlines()
    assert len(rows) == 4 + 12
    assert rows[-1] == "| a\\|b.yaml:\u20601:\u20601 | warning | x\\*y\\* |  |"


def test_no_problems_write_no_summary(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    assert annotate([], summary, title="Config") == []
    assert not summary.exists()
