"""Outside values cannot change what the reconciler prints or posts.

The property test puts one arbitrary string into every slot of a plan, a receipt,
an explanation and a config finding that can hold a value from CharlieHR, Ledgy
or a config, and renders all of them. Each document must have the structure it
has with a harmless value, and no value may make a mention, link, image, HTML,
issue reference, hidden character or workflow command.
"""

from __future__ import annotations

import json
import logging
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from reconciler.domain.employee import Employee
from reconciler.domain.writes import Write, WriteResult
from reconciler.engine.approval import Approved
from reconciler.engine.canonical import SANDBOX_KEY
from reconciler.engine.desired import Outcome
from reconciler.engine.effect import Effect
from reconciler.engine.explain import Explanation
from reconciler.engine.plan import Counts, Fingerprints, Plan
from reconciler.engine.rules import RuleResult
from reconciler.engine.values import Change, FieldChange, Orphan, PlanWarning, Skip
from reconciler.error_handler import ExitCode, error_handler
from reconciler.errors import Problem, ReconcilerError
from reconciler.github.actions import annotate
from reconciler.github.publish import sticky_body
from reconciler.github.sticky import CommentState, read_state
from reconciler.render.comment import comparison, drift_issue, receipt, sync_pull_body
from reconciler.render.escape import (
    TerminalLogFormatter,
    json_text,
    md_code,
    md_text,
    term,
    term_block,
    visible,
)
from reconciler.render.explain import render_explanation
from reconciler.render.json_plan import render_json
from reconciler.render.markdown import render_markdown
from reconciler.render.text import render_text
from tests.render.structure import (
    JOINER,
    hidden_characters,
    references,
    shape,
    workflow_commands,
)

STATE_LINE = re.compile(r"<!-- reconciler:state .* -->")
HARMLESS = "harmless"
KEY = "examples/company.yaml"
RUN = "https://github.com/acme/people/actions/runs/1"
APPROVED = Approved("sha256:" + "0" * 64, "company.plan.json", {"create": 1}, frozenset())

NASTY = [
    "`",
    "``",
    "```",
    "|",
    "\n",
    "\r\n",
    "\n\n",
    "@x",
    "@org/team",
    "#1",
    "GH-1",
    "o/r#1",
    "[a](b)",
    "![i](http://x.y/i.png)",
    "<b>",
    "<!-- reconciler:plan k -->",
    "<!-- reconciler:state {} -->",
    "-->",
    "&amp;",
    "&#64;",
    "::error::",
    "::warning file=a::x",
    "##[error]",
    "\x1b[31m",
    "\u202e",
    "\u2066",
    "\u200b",
    "\x00",
    "\x7f",
    "\x85",
    "\u2028",
    "http://x.y",
    "https://a.b/c?d=e",
    "www.x.com",
    "a@b.co",
    "mailto:a@b.co",
    "- ",
    "* ",
    "+ ",
    "> ",
    "# ",
    "1. ",
    "1) ",
    "|---|",
    "    ",
    "\t",
    "\\",
    "*",
    "_",
    "~~",
    "$x$",
    "[",
    "]",
    "(",
    ")",
    "<",
    ">",
    "&",
    "===",
    "---",
    "<details>",
    "</details>",
    ":smile:",
    "\ufeff",
]
FRAGMENTS = st.sampled_from(NASTY) | st.text(max_size=4)
VALUES = st.one_of(
    st.lists(FRAGMENTS, min_size=1, max_size=6).map("".join),
    st.text(max_size=20),
)


def _plan(v: str) -> Plan:
    create = Change(
        "create",
        v,
        v,
        (
            FieldChange("group", None, v),
            FieldChange(f"custom_fields.{v}", None, v),
            FieldChange("address.line2", None, v, personal=True),
        ),
    )
    update = Change("update", v + "2", v, (FieldChange("name", v, v + "3"),), v, adopted=True)
    return Plan(
        changes=(create, update),
        unchanged=1,
        skipped=(Skip(v, v, "sync_if", v), Skip(v, None, "terminated", v)),
        warnings=(
            PlanWarning(v, "unknown_group", v, v),
            PlanWarning(v + "4", "unknown_group", v, v),
            PlanWarning(None, "invalid_mobile", v, v),
        ),
        orphaned=(Orphan(v, v, v),),
        fingerprints=Fingerprints("s", "t", "c"),
        counts=Counts(3, 3, 3),
        key=SANDBOX_KEY,
    )


def _explanation(v: str) -> Explanation:
    person = Employee(id=v, name=v, work_email=v, job_title=v)
    update = Change("update", v, v, (FieldChange(v, v, v), FieldChange("address.city", v, v, True)))
    return Explanation(
        identifier=v,
        employee=person,
        rules=(RuleResult(0, v, v, (v, 1), True), RuleResult(1, "address.city", v, (v,), False)),
        outcome=Outcome(person, v, {v: v, "address.city": v}, None, (PlanWarning(v, "c", v),)),
        matched=v,
        change=update,
        personal=frozenset({"address.city"}),
    )


def _markdown(v: str) -> dict[str, str]:
    plan = _plan(v)
    at, sha = "2026-11-25 10:00", "abc1234"
    effect = Effect((v,), ((v, v),), plan.changes, plan.changes, None)
    results = [
        WriteResult(Write("create", v), ok=True, stakeholder_id=v),
        WriteResult(Write("update", v, stakeholder_id=v), ok=False, error=v),
    ]
    with tempfile.TemporaryDirectory() as scratch:
        summary = Path(scratch) / "summary.md"
        annotate([Problem(v, 1, 2, v, hint=v), Problem(v, 3, 4, v)], summary, title="reconciler")
        job_summary = summary.read_text(encoding="utf-8")
    return {
        "markdown plan": render_markdown(plan),
        "markdown plan with values": render_markdown(plan, show_values=True),
        "sticky comment": sticky_body(
            plan, CommentState(), key=KEY, at=at, sha=sha, effect=effect, run_url=RUN
        ),
        "refused comment": sticky_body(
            plan, CommentState(), key=KEY, at=at, sha=sha, refusal=v, run_url=RUN
        ),
        "receipt": receipt(KEY, plan.checksum, results, run_url=RUN),
        "sync PR body": sync_pull_body(
            plan, key=KEY, path="company.plan.json", approvals=1, refusal=v, run_url=RUN
        ),
        "not applied": comparison(KEY, APPROVED, plan, run_url=RUN),
        "drift issue": drift_issue(KEY, plan, run_url=RUN)[1],
        "job summary": job_summary,
    }


def _terminal(v: str) -> dict[str, str]:
    plan = _plan(v)
    problems = [Problem(v, 1, 2, v, hint=v), Problem(v, 3, 4, v, severity="warning")]
    return {
        "text plan": render_text(plan),
        "text plan with values": render_text(plan, show_values=True),
        "explain": render_explanation(_explanation(v)),
        "explain with values": render_explanation(_explanation(v), show_values=True),
        "annotations": "\n".join(annotate(problems, None, title="reconciler")),
        "json plan": render_json(plan, show_values=True),
    }


_BASELINE_MD = {name: shape(doc) for name, doc in _markdown(HARMLESS).items()}
_BASELINE_TEXT = {name: doc.count("\n") for name, doc in _terminal(HARMLESS).items()}


@settings(
    derandomize=True,
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(VALUES)
@example("`|\n@x #1 [a](b) <b> ::error:: \x1b[31m \u202e http://x.y - > # 1. |---| ```")
@example("<!-- reconciler:state {} -->")
def test_outside_values_cannot_change_the_markdown(value: str) -> None:
    for name, doc in _markdown(value).items():
        assert shape(doc) == _BASELINE_MD[name], name
        assert references(doc) == [], name
        assert hidden_characters(doc, allowed="\n" + JOINER) == [], name
        # The state line is JSON for the reconciler, posted and never printed to a log.
        assert workflow_commands(STATE_LINE.sub("", doc)) == [], name
    state = read_state(_markdown(value)["sticky comment"])
    assert state.checksum == _plan(value).checksum  # no value forged the state line


@settings(derandomize=True, max_examples=60, deadline=None)
@given(VALUES)
@example("x\n::error::pwned\n##[error]pwned\x1b]0;title\x07\u202e")
def test_outside_values_cannot_change_the_terminal_output(value: str) -> None:
    for name, doc in _terminal(value).items():
        assert doc.count("\n") == _BASELINE_TEXT[name], name
        assert hidden_characters(doc) == [], name
        if name == "json plan":  # escaped, and still the same value to a JSON reader
            assert json.loads(doc)["changes"][0]["name"] == value
        if name == "annotations":
            assert all(line.startswith(("::error ", "::warning ")) for line in doc.split("\n"))
        else:
            assert workflow_commands(doc) == [], name


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("a\x1b[31mb", "a\\x1b[31mb"),
        ("\u202egnp.exe", "\\u202egnp.exe"),
        ("a\u200bb", "a\\u200bb"),
        ("line\nbreak", "line\\nbreak"),
        ("\U000e0041", "\\U000e0041"),
        ("Zoë Ünal", "Zoë Ünal"),
    ],
)
def test_visible_shows_what_a_terminal_would_hide(value: str, shown: str) -> None:
    assert visible(value) == shown


def test_a_value_never_starts_a_workflow_command() -> None:
    assert term("::error::x") == "\\x3a:error::x"
    assert term("  ::set-output name=a::b") == "  \\x3a:set-output name=a::b"
    assert term("a ##[error]b") == "a ##\\x5berror]b"
    assert term("a::b") == "a::b"  # only a line's start is a command
    assert term_block("error: x\n::error::y") == "error: x\n\\x3a:error::y"


@pytest.mark.parametrize(
    ("value", "markdown"),
    [
        ("Ada Lovelace", "Ada Lovelace"),
        ("Jean-Luc O'Neil", "Jean-Luc O'Neil"),
        ("a|b", "a\\|b"),
        ("<b>", "&lt;b&gt;"),
        ("[a](b)", "\\[a\\](b)"),
        ("- item", "\\- item"),
        ("12. item", "12\\. item"),
        ("@x", f"{JOINER}@{JOINER}x"),
        ("#1", f"\\#{JOINER}1"),
        ("GH-1", f"GH{JOINER}-1"),
        ("http://x.y", f"http:{JOINER}//x.y"),
        ("www.x.com", f"www{JOINER}.x.com"),
        ("gh-12 WWW.x", f"gh{JOINER}-12 WWW{JOINER}.x"),
        ("XL", "XL"),
        ("1) a", "1\\) a"),
        ("+ a & b", "\\+ a &amp; b"),
    ],
)
def test_md_text_keeps_words_readable_and_markup_inert(value: str, markdown: str) -> None:
    assert md_text(value) == markdown


@pytest.mark.parametrize(
    ("value", "markdown"),
    [
        ("ada@acme.test", "`ada@acme.test`"),
        ("a`b", "``a`b``"),
        ("``x`", "``` ``x` ```"),
        (" x", "`  x `"),
        ("", ""),
        ("a|b", "a\\|b"),  # a code span cannot hold a pipe in a table row
        ("<!-- x", f"`<!-{JOINER}- x`"),
        ("a\nb", "`a\\nb`"),
        ("x ", "` x  `"),
        ("XL X", "`XL X`"),
        ("a`", "`` a` ``"),
        ("a ##[b", f"`a #{JOINER}#[b`"),
    ],
)
def test_md_code_picks_a_fence_the_value_cannot_close(value: str, markdown: str) -> None:
    assert md_code(value) == markdown


def test_a_harmless_plan_still_has_its_tables_and_links() -> None:
    comment = _BASELINE_MD["sticky comment"]
    assert "Create (1)" in comment.headings
    assert comment.cells > 20
    assert RUN in comment.links


HOSTILE_LINE = "x\n::error::pwned \x1b[2J \u202e ##[warning]y"


def test_log_records_cannot_start_a_command_or_repaint_the_terminal() -> None:
    formatter = TerminalLogFormatter("%(levelname)s %(name)s: %(message)s")
    record = logging.LogRecord(
        "reconciler", logging.WARNING, __file__, 1, "bad %s", (HOSTILE_LINE,), None
    )
    text = formatter.format(record)
    assert text == "WARNING reconciler: bad x\n\\x3a:error::pwned \\x1b[2J \\u202e ##\\x5bwarning]y"
    assert hidden_characters(text) == [] and workflow_commands(text) == []


def test_a_user_error_echoing_a_value_is_printed_inert(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(ExitCode), error_handler(verbose=False):
        raise ReconcilerError(f"Ledgy refused {HOSTILE_LINE}", remedy="check the \x1b[31mname")
    err = capsys.readouterr().err
    assert "\\x3a:error::pwned" in err and "\\x1b[31mname" in err
    assert hidden_characters(err) == [] and workflow_commands(err) == []


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("Zoë \u202egnp.exe", '"Zoë \\u202egnp.exe"'),
        ("tag \U000e0041", '"tag \\udb40\\udc41"'),  # astral: a surrogate pair, as JSON spells it
        ("private \U000f0000", '"private \\udb80\\udc00"'),
        ("a ##[error] b", '"a ##\\u005berror] b"'),
    ],
)
def test_json_text_escapes_hidden_characters_and_reads_back_the_same(
    value: str, written: str
) -> None:
    assert json_text(value) == written
    assert json.loads(written) == value


def test_json_text_is_indented_by_two() -> None:
    assert json_text({"a": [1, "ü"]}) == '{\n  "a": [\n    1,\n    "ü"\n  ]\n}'
