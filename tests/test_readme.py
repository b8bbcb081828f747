"""The README's reference tables match the code they describe."""

from __future__ import annotations

from reconciler.fields import CHARLIEHR_KEYS
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_starts_with_the_two_commands() -> None:
    head = README.splitlines()[:6]
    assert any(line.startswith("make demo") for line in head)
    assert any(line.startswith("make test") for line in head)


def test_every_raw_key_is_in_the_readme_with_its_confidence() -> None:
    for key in CHARLIEHR_KEYS:
        assert f"| `{key.role}` | `{key.key}` |" in README
        row = next(line for line in README.splitlines() if line.startswith(f"| `{key.role}` |"))
        assert f"| {key.confidence} |" in row
