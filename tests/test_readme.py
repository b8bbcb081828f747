"""README and docs: their console samples are real output, and they stay inside the repository.

Every ```console block is a shell session: each ``$ command`` line is run from the
repository root and what it prints (stdout and stderr) must follow it
(scripts/docs_samples.py runs them). Volatile bits (checksums) are masked. To
regenerate the samples after a deliberate change of output: ``make readme``
(``python scripts/docs_samples.py --update``).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import re
from pathlib import Path
from types import ModuleType

import pytest

from reconciler.main import build_parser
from tests.conftest import ROOT

README = ROOT / "README.md"
DOCS = sorted((ROOT / "docs").glob("*.md"))
VENV_CLI = ".venv/bin/reconciler"


def _samples() -> ModuleType:
    """scripts/docs_samples.py, which generates and checks the console samples."""
    spec = importlib.util.spec_from_file_location(
        "docs_samples", ROOT / "scripts" / "docs_samples.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _check_console_blocks(path: Path) -> list[str]:
    stale: list[str] = _samples().check(path, update=os.environ.get("UPDATE_DOCS") == "1")
    return [] if os.environ.get("UPDATE_DOCS") == "1" else stale


@pytest.mark.parametrize("path", [README, *DOCS], ids=lambda path: path.name)
def test_console_samples_are_what_the_commands_print(path: Path) -> None:
    stale = _check_console_blocks(path)
    assert not stale, (
        "console samples differ from what the commands print; if the new output is "
        f"intended, run `make readme` and review the diff: {stale}"
    )


def test_readme_starts_with_the_two_commands() -> None:
    head = README.read_text(encoding="utf-8").splitlines()[:6]
    assert any(line.startswith("make demo") for line in head)
    assert any(line.startswith("make test") for line in head)


def test_readme_then_adopts_in_six_steps_with_init_the_action_the_first_contact_and_doctor() -> (
    None
):
    text = README.read_text(encoding="utf-8")
    sections = re.findall(r"(?m)^## (.+)$", text)
    assert sections[0] == "Adopt in your repository"
    adopt = text.split("## Adopt in your repository", 1)[1].split("\n## ", 1)[0]
    steps = re.findall(r"(?m)^(\d)\. ", adopt)
    assert steps == ["1", "2", "3", "4", "5", "6"]
    first_contact = "Before your first real run: `reconciler doctor company.yaml --apis`"
    for word in ("reconciler init", "GitHub Action", first_contact, "reconciler doctor"):
        assert word in adopt
    assert "docs/adopting.md" in adopt


def test_readme_commands_start_with_make_or_the_venv() -> None:
    text = README.read_text(encoding="utf-8")
    for kind, block in re.findall(r"(?ms)^```(sh|console)\n(.*?)^```\n", text):
        lines = block.splitlines()
        if kind == "console":
            commands = [line[2:] for line in lines if line.startswith("$ ")]
        else:
            commands = [line for line in lines if line and not line.startswith("#")]
        for command in commands:
            assert command.startswith(("make ", VENV_CLI)), command


def _commands_in_the_parser() -> dict[str, set[str]]:
    """Every command and the options it (or one of its verbs) takes."""

    def options(parser: argparse.ArgumentParser) -> set[str]:
        found = {o for a in parser._actions for o in a.option_strings}
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for child in action.choices.values():
                    found |= options(child)
        return found

    top = build_parser()
    sub = next(a for a in top._actions if isinstance(a, argparse._SubParsersAction))
    return {name: options(parser) for name, parser in sub.choices.items()}


def test_the_cli_reference_names_every_command_with_options_it_really_has() -> None:
    reference = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    documented: dict[str, str] = {}
    for line in reference.splitlines():
        cells = re.split(r"(?<!\\)\|", line)  # a table row; `\|` is a pipe inside a cell
        if len(cells) > 2 and cells[1].strip().startswith("`reconciler "):
            command = cells[1].split()[1]
            documented[command] = cells[1]
    commands = _commands_in_the_parser()
    missing = sorted(set(commands) - set(documented))
    assert not missing, f"add a row for each command to docs/cli.md: {missing}"
    for command, row in documented.items():
        assert command in commands, (
            f"docs/cli.md names `reconciler {command}`, which does not exist"
        )
        for option in re.findall(r"--[a-z][a-z-]*", row):
            assert option in commands[command], f"`reconciler {command}` has no {option}"


def test_every_command_the_readme_shows_has_the_options_it_uses() -> None:
    commands = _commands_in_the_parser()
    text = README.read_text(encoding="utf-8")
    for line in re.findall(r"(?m)^(?:\$ )?\.venv/bin/reconciler (.*)$", text):
        command, *rest = line.split("#")[0].split()
        assert command in commands, line
        for option in (word.split("=")[0] for word in rest if word.startswith("--")):
            assert option in commands[command], line


def test_a_sample_shows_the_exit_code_of_the_command_before_echo() -> None:
    session = _samples().session
    assert (
        session(["false", "echo $?", "true", "echo $?"])
        == "$ false\n$ echo $?\n1\n$ true\n$ echo $?\n0\n"
    )


def _verbs_in_the_parser() -> dict[str, list[str]]:
    """Each command that has verbs (``sandbox``, ``identifiers``…) and its verbs."""
    top = build_parser()
    sub = next(a for a in top._actions if isinstance(a, argparse._SubParsersAction))
    found: dict[str, list[str]] = {}
    for name, parser in sub.choices.items():
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                found[name] = list(action.choices)
    return found


def test_the_cli_reference_names_every_verb_of_every_command() -> None:
    reference = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    rows = [line for line in reference.splitlines() if line.startswith("| `reconciler ")]
    verbs = _verbs_in_the_parser()
    assert {"sandbox", "identifiers", "ledgy-state"} <= set(verbs)
    for command, names in verbs.items():
        row = next(r for r in rows if r.startswith(f"| `reconciler {command} "))
        for verb in names:
            shown = re.compile(rf"`(?:reconciler )?(?:{re.escape(command)} )?{verb}\b")
            assert shown.search(row), f"docs/cli.md: the `{command}` row lacks `{verb}`"
