"""The emulator's contents endpoint at GitHub's sizes: 1 MB inline, 100 MB raw at most."""

from __future__ import annotations

import base64
from collections.abc import Iterator

import pytest

from reconciler.sandbox.github import GitHubData
from reconciler.sandbox.github_git import blob_sha
from tests.sandbox.github_helpers import REPO, Gh, served

RAW = {"Accept": "application/vnd.github.raw+json"}
MB = 1024 * 1024


@pytest.fixture
def gh() -> Iterator[Gh]:
    with served() as hub:
        yield hub


def test_a_file_of_1_mb_is_inline_and_one_byte_more_has_no_content(gh: Gh) -> None:
    exactly, over = "a" * MB, "a" * MB + "\n"
    gh.data.commit_files("main", {"exactly.json": exactly, "over.json": over})
    inline = gh.call("GET", f"{REPO}/contents/exactly.json").json()
    assert (
        inline["encoding"] == "base64" and base64.b64decode(inline["content"]) == exactly.encode()
    )
    left_out = gh.call("GET", f"{REPO}/contents/over.json").json()
    assert (left_out["encoding"], left_out["content"]) == ("none", "")
    assert left_out["size"] == MB + 1 and left_out["sha"] == blob_sha(over)


@pytest.mark.parametrize(
    "accept",
    [
        "application/vnd.github.raw+json",
        "application/vnd.github.raw",
        "application/vnd.github.v3.raw",
        "text/plain, application/vnd.github.raw+json; q=0.9",
    ],
)
def test_the_raw_media_type_answers_the_bytes_of_any_size(gh: Gh, accept: str) -> None:
    text = '{"changes": ["é"]}\n' * 200_000  # 4 MB
    gh.data.commit_files("main", {"company.plan.json": text})
    raw = gh.call("GET", f"{REPO}/contents/company.plan.json", headers={"Accept": accept})
    assert raw.status_code == 200 and raw.content == text.encode()
    assert raw.headers["content-type"].startswith("application/vnd.github.raw")
    assert raw.headers["x-ratelimit-remaining"]  # GitHub's headers as on every answer


def test_a_directory_asked_for_raw_is_still_its_json_listing(gh: Gh) -> None:
    gh.data.commit_files("main", {"plans/a.json": "{}\n", "plans/b.json": "{}\n"})
    listed = gh.call("GET", f"{REPO}/contents/plans", headers=RAW)
    assert listed.headers["content-type"] == "application/json"
    assert [(e["name"], e["type"], e["content"]) for e in listed.json()] == [
        ("a.json", "file", None),
        ("b.json", "file", None),
    ]
    assert "encoding" not in listed.json()[0]


def test_a_file_over_the_largest_is_refused_as_too_large_raw_or_not() -> None:
    data = GitHubData(max_file=1000)  # GitHub's is 100 MB; a small one keeps the test fast
    data.commit_files("main", {"huge.json": "x" * 1001, "fits.json": "x" * 1000})
    with served(data) as gh:
        for headers in ({}, RAW):
            refused = gh.call("GET", f"{REPO}/contents/huge.json", headers=headers)
            assert refused.status_code == 403
            assert refused.json()["errors"][0]["code"] == "too_large"
            assert "up to 100 MB" in refused.json()["message"]
        assert gh.call("GET", f"{REPO}/contents/fits.json", headers=RAW).content == b"x" * 1000
