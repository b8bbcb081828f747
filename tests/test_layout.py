"""Tests mirror the package: ``reconciler/<dir>/<mod>.py`` is tested in
``tests/<dir>/test_<mod>.py``, or listed below with the reason it needs no test module
of its own: it declares without logic, or it is a part of an emulator. A new module
with neither fails here; so does an entry that has gone stale (the module is gone, or
has a test module now)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).parent.parent
PACKAGE = ROOT / "reconciler"
GENERATED = {"_build.py": "written by setuptools-scm when the package is built; not in git"}

NO_TEST_MODULE = {
    # Declarations: no code of their own, so nothing a test of their own could pin.
    "__main__.py": "one call, `run()`: no logic (tests/test_main.py runs the program "
    "as a process, with `python -m reconciler` and `run()`)",
    "domain/json.py": "declares the Json type alias only: no code",
    "domain/writes.py": "the Write and WriteResult frozen values and a callback type: no "
    "methods, no logic",
    "sources/base.py": "the HR source Protocol only: a contract, no code",
    "targets/base.py": "the target Protocols only: a contract, no code",
    "commands/sandbox_choice.py": "one constant: no code",
    "errors.py": "the error classes: each message is the raiser's, pinned where it arises, "
    "and what every error prints and exits with is the error handler's "
    "(tests/test_error_handler.py)",
    # Emulator parts: test doubles, not the product; each is exercised through its
    # emulator's app, whose tests say what the real API does.
    "sandbox/server.py": "the loopback server every socket test serves through "
    "(tests/sandbox/test_github.py, tests/commands/test_sandbox.py)",
    "sandbox/demo_ledgy.py": "the demo company's Ledgy side; tests/sandbox/test_demo.py",
    "sandbox/github_app.py": "the GitHub emulator's app; tests/sandbox/test_github.py",
    "sandbox/github_api.py": "GitHub emulator routes; tests/sandbox/test_github.py",
    "sandbox/github_pulls.py": "GitHub emulator pull routes; tests/sandbox/test_github.py",
    "sandbox/github_required.py": "GitHub emulator required checks; "
    "tests/sandbox/test_github_checks.py",
    "sandbox/github_shapes.py": "GitHub answer shapes; tests/sandbox/test_github_schema.py "
    "validates them against GitHub's OpenAPI description",
    "sandbox/github_check_shapes.py": "check-run shapes; tests/sandbox/test_github_checks.py",
    "sandbox/github_rule_shapes.py": "ruleset shapes; tests/sandbox/test_github_schema.py",
    "sandbox/ledgy_data.py": "the Ledgy emulator's data; tests/sandbox/test_ledgy.py",
    "sandbox/ledgy_gate.py": "the Ledgy emulator's auth and rate limit; "
    "tests/sandbox/test_ledgy.py",
    "sandbox/ledgy_schema.py": "the Ledgy emulator's request checks; tests/sandbox/test_ledgy.py",
    "sandbox/ledgy_workbook.py": "the Ledgy emulator's workbook import; "
    "tests/sandbox/test_ledgy.py",
}


def _modules() -> list[str]:
    found = sorted(PACKAGE.rglob("*.py"))
    return [
        p.relative_to(PACKAGE).as_posix()
        for p in found
        if p.name != "__init__.py" and p.relative_to(PACKAGE).as_posix() not in GENERATED
    ]


def _test_module(module: str) -> Path:
    path = Path(module)
    return ROOT / "tests" / path.parent / f"test_{path.name}"


def test_every_module_has_a_test_module_of_its_name_or_a_reason() -> None:
    lacking = [m for m in _modules() if not _test_module(m).exists() and m not in NO_TEST_MODULE]
    assert lacking == [], (
        "write tests/<dir>/test_<module>.py for each, or list it in NO_TEST_MODULE with why"
    )


def test_every_listed_module_exists_and_has_no_test_module_yet() -> None:
    modules = set(_modules())
    assert sorted(set(NO_TEST_MODULE) - modules) == [], "listed, but no such module"
    tested = sorted(m for m in NO_TEST_MODULE if _test_module(m).exists())
    assert tested == [], "has a test module now: take it off the list"


def test_the_test_modules_a_reason_names_exist() -> None:
    named = {
        word.strip("(),;")
        for reason in NO_TEST_MODULE.values()
        for word in reason.split()
        if word.startswith("tests/") and word.strip("(),;").endswith(".py")
    }
    assert named and sorted(n for n in named if not (ROOT / n).exists()) == []
