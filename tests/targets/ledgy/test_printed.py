"""The built-in Ledgy operations printed ahead of time: fresh, equal to what graphql-core
prints, refused when printed from other sources, and read without graphql-core."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from reconciler.targets.ledgy import printed
from reconciler.targets.ledgy.operations import load_operations, printed_file_text
from reconciler.targets.ledgy.printed import (
    FILE,
    OPERATIONS,
    SCHEMA,
    printed_operations,
    source_digest,
)
from tests.conftest import ROOT

PACKAGE_DIR = ROOT / "reconciler" / "targets" / "ledgy"


def test_the_committed_file_is_fresh() -> None:
    # If this fails: python scripts/print_operations.py
    assert (PACKAGE_DIR / FILE).read_text("utf-8") == printed_file_text()


def test_each_printed_text_is_what_graphql_core_prints_for_the_checked_operation() -> None:
    ahead = printed_operations()
    operations = load_operations()
    assert ahead is not None
    assert dict(ahead.texts) == {name: operations.text(name) for name in operations.by_name}
    assert ahead.root_fields == operations.root_fields()


def test_the_digest_changes_with_either_source_and_with_where_they_split() -> None:
    base = source_digest("type Query { a: Int }", "query A { a }")
    assert source_digest("type Query { a: Int } ", "query A { a }") != base
    assert source_digest("type Query { a: Int }", "query A { a } ") != base
    assert source_digest("type Query { a: Int }q", "uery A { a }") != base


@pytest.fixture
def other_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A package of its own holding a copy of the three files, read in place of ours."""
    package = tmp_path / "ledgy_copy"
    package.mkdir()
    (package / "__init__.py").write_text("")
    for name in (FILE, SCHEMA, OPERATIONS):
        (package / name).write_text((PACKAGE_DIR / name).read_text("utf-8"), "utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "ledgy_copy", raising=False)  # another test's copy
    monkeypatch.setattr(printed, "PACKAGE", "ledgy_copy")
    printed_operations.cache_clear()
    yield package
    printed_operations.cache_clear()
    sys.modules.pop("ledgy_copy", None)


def test_a_copy_of_the_files_serves(other_package: Path) -> None:
    assert printed_operations() is not None


def test_texts_printed_from_another_operations_file_are_not_used(other_package: Path) -> None:
    operations = other_package / OPERATIONS
    operations.write_text(operations.read_text() + "\n# edited after printing\n")
    assert printed_operations() is None


def test_texts_printed_from_another_schema_are_not_used(other_package: Path) -> None:
    schema = other_package / SCHEMA
    schema.write_text(schema.read_text().replace("companyName", "companyTitle"))
    assert printed_operations() is None


@pytest.mark.parametrize("text", ["", "not json", "[]", '{"digest": 1}'])
def test_a_missing_or_broken_file_is_not_used(other_package: Path, text: str) -> None:
    (other_package / FILE).write_text(text)
    assert printed_operations() is None


def test_a_read_and_its_probe_need_no_graphql_core() -> None:
    code = """
import asyncio, json, sys
import httpx
from reconciler.config.secrets import Secret
from reconciler.targets.ledgy.client import LedgyClient

sent = []
def answer(request):
    sent.append(json.loads(request.content)["query"])
    return httpx.Response(200, json={"data": {"auth": {"companyId": "c", "companyName": "n"}}})

async def main():
    client = LedgyClient("https://ledgy.test/graphql", Secret("k"), None,
                         transport=httpx.MockTransport(answer))
    await client.ready()
    roots = sorted(client.root_fields())
    print(json.dumps({"auth": await client.auth(), "sent": sent, "roots": roots,
                      "graphql": any(m.split(".")[0] == "graphql" for m in sys.modules)}))
    await client.aclose()
asyncio.run(main())
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    result = json.loads(done.stdout)
    assert result["auth"] == ["c", "n"]
    assert result["sent"] == [load_operations().text("Auth")]
    assert result["roots"] == sorted(load_operations().root_fields())
    assert result["graphql"] is False
