"""Findings as workflow commands: exact form, the runner's escaping, nothing hidden."""

from __future__ import annotations

from reconciler.errors import Problem
from reconciler.github.annotations import annotation


def test_an_error_with_a_hint_is_one_error_command_with_the_hint_on_its_second_line() -> None:
    problem = Problem(
        "examples/company.yaml", 3, 5, "unknown key 'salry'", hint="did you mean 'salary'?"
    )
    assert annotation(problem) == (
        "::error file=examples/company.yaml,line=3,col=5,title=reconciler::"
        "unknown key 'salry'%0Ahint: did you mean 'salary'?"
    )


def test_a_warning_is_a_warning_command_without_a_hint_line() -> None:
    problem = Problem("a.yaml", 1, 2, "unused rule", severity="warning")
    assert annotation(problem, title="plan") == (
        "::warning file=a.yaml,line=1,col=2,title=plan::unused rule"
    )


def test_properties_escape_percent_colon_and_comma_and_the_message_escapes_percent() -> None:
    problem = Problem("dir/a,b:c%.yaml", 3, 5, "100% sure: a, b", hint="50%")
    assert annotation(problem, title="plan: a,b") == (
        "::error file=dir/a%2Cb%3Ac%25.yaml,line=3,col=5,title=plan%3A a%2Cb"
        "::100%25 sure: a, b%0Ahint: 50%25"
    )


def test_line_breaks_and_terminal_escapes_in_a_value_are_shown_not_obeyed() -> None:
    problem = Problem("a\nb.yaml", 1, 1, "x\n::error::forged\r\x1b[31m", hint="h\n::warning::y")
    assert annotation(problem, title="t\nu") == (
        "::error file=a\\nb.yaml,line=1,col=1,title=t\\nu"
        "::x\\n::error::forged\\r\\x1b[31m%0Ahint: h\\n::warning::y"
    )
