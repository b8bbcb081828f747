"""Tests mirror the package: ``reconciler/<dir>/<mod>.py`` is tested in
``tests/<dir>/test_<mod>.py``, or listed below with the reason it has no test module
of its own. A new module with neither fails here; so does an entry that has gone stale
(the module is gone, or has a test module now).
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).parent.parent
PACKAGE = ROOT / "reconciler"
GENERATED = {"_build.py": "written by setuptools-scm when the package is built; not in git"}

NO_TEST_MODULE = {
    # Entry points and declarations: nothing of their own to test.
    "__main__.py": "`raise SystemExit(main())`; tests/test_main.py runs `python -m reconciler`",
    "domain/json.py": "declares the Json type alias only",
    "sources/base.py": "the HR source Protocol only (no code)",
    "targets/base.py": "the target Protocols only; InMemoryTarget and the drivers keep them",
    "commands/sandbox_choice.py": "one frozen value, set by tests/cli/test_args.py and read by "
    "tests/commands/test_context.py",
    "errors.py": "the error classes; each is raised and its message pinned where it arises "
    "(tests/test_error_handler.py pins the exit codes and diagnostics)",
    # Values and tables whose behaviour is pinned through the modules that use them.
    "domain/writes.py": "the Write and WriteResult values; pinned through tests/targets/",
    # Verb bodies, tested through main([...]) under the verb's name.
    # The Ledgy workbook driver's files, tested with the driver.
    # Emulator parts, covered by their app's tests (tests/sandbox/).
    "sandbox/server.py": "serves an app under uvicorn; the loopback tests (tests/github/"
    "test_client.py's socket tests, tests/sandbox/test_github.py) serve through it",
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
