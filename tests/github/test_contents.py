"""A file from the contents API's answer, raw or JSON, with the blob sha Git gives it.

Answers are httpx responses as GitHub sends them (docs.github.com, "Get repository
content"); the client's requests for them are pinned in tests/github/test_client.py.
"""

from __future__ import annotations

import base64
import json

import httpx
import pytest

from reconciler.errors import GitHubError
from reconciler.github.contents import file_of, git_blob_sha

WHERE = "GitHub GET /repos/acme/people/contents/company.yaml"
A_YAML = "a8926a52d8dcba5c4386945476ab6a2ad008afd4"
"""``printf 'a: 1\\n' | git hash-object --stdin``"""


def _raw(content: bytes) -> httpx.Response:
    return httpx.Response(
        200, content=content, headers={"content-type": "application/vnd.github.raw+json"}
    )


def _json(answer: object, media: str = "application/json; charset=utf-8") -> httpx.Response:
    return httpx.Response(200, content=json.dumps(answer).encode(), headers={"content-type": media})


def _refusal(response: httpx.Response) -> GitHubError:
    with pytest.raises(GitHubError) as caught:
        file_of(response, WHERE)
    return caught.value


def test_the_blob_sha_is_the_one_git_computes() -> None:
    assert git_blob_sha(b"a: 1\n") == A_YAML
    assert git_blob_sha(b"") == "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391"  # Git's empty blob


def test_a_raw_answer_is_the_file_and_its_sha_is_computed() -> None:
    assert file_of(_raw(b"a: 1\n"), WHERE) == ("a: 1\n", A_YAML)
    assert file_of(_raw("名前: é\n".encode()), WHERE)[0] == "名前: é\n"


def test_a_json_answer_is_decoded_from_base64_with_githubs_sha() -> None:
    content = base64.encodebytes(b"a: 1\n").decode()  # GitHub breaks the lines
    answer = {"type": "file", "encoding": "base64", "content": content, "sha": "f1"}
    assert file_of(_json(answer), WHERE) == ("a: 1\n", "f1")
    answer.pop("sha")
    assert file_of(_json(answer, "Application/JSON"), WHERE) == ("a: 1\n", A_YAML)


def test_an_empty_file_is_empty_text_either_way() -> None:
    empty = "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391"
    assert file_of(_raw(b""), WHERE) == ("", empty)
    answer = {"type": "file", "encoding": "base64", "content": None}
    assert file_of(_json(answer), WHERE) == ("", empty)


def test_a_directory_or_a_submodule_is_not_a_file() -> None:
    listing = _refusal(_json([{"type": "file", "name": "company.yaml"}]))
    assert (listing.message, listing.remedy) == (f"{WHERE}: a directory", "name a file")
    assert _refusal(_json({"type": "submodule"})).message == f"{WHERE}: not a file"


def test_a_file_over_1_mb_without_its_content_says_to_keep_the_raw_media_type() -> None:
    error = _refusal(_json({"type": "file", "encoding": "none", "content": "", "size": 1_500_000}))
    assert error.message == (
        f"{WHERE}: GitHub answered without the file's content (encoding 'none', 1,500,000 bytes)"
    )
    assert error.remedy is not None and "raw media type" in error.remedy
    no_size = _refusal(_json({"type": "file", "content": ""}))
    assert no_size.message.endswith("without the file's content (encoding 'None')")


def test_broken_answers_are_named_never_quoted() -> None:
    assert _refusal(_json({"type": "file", "encoding": "base64", "content": "a"})).message == (
        f"{WHERE}: the content is not valid base64"
    )
    not_json = httpx.Response(200, content=b"<html>", headers={"content-type": "application/json"})
    assert _refusal(not_json).message == f"{WHERE}: the answer is not JSON"
    latin1 = "Zürich\n".encode("latin-1")
    assert _refusal(_raw(latin1)).message == f"{WHERE}: the file is not UTF-8 text"
    answer = {"type": "file", "encoding": "base64", "content": base64.b64encode(latin1).decode()}
    assert _refusal(_json(answer)).message == f"{WHERE}: the file is not UTF-8 text"
