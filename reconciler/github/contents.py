"""A repository file as the contents API answers it, raw or as JSON.

https://docs.github.com/en/rest/repos/contents#get-repository-content: with the raw
media type (:data:`RAW`) a file comes back as its bytes, up to 100 MB; without it, a
JSON object whose ``content`` is base64, except that a file over 1 MB comes back with
``"encoding": "none"`` and no content. Directories and submodules answer JSON
whatever is asked. A raw answer carries no blob sha, so it is computed as Git does.
"""

from __future__ import annotations

import base64
import binascii
import hashlib

import httpx

from reconciler.errors import GitHubError

RAW = "application/vnd.github.raw+json"
"""The media type that asks for a file's bytes."""


def git_blob_sha(data: bytes) -> str:
    """Git's object id of a blob holding ``data`` (what ``git hash-object`` prints)."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


def file_of(response: httpx.Response, where: str) -> tuple[str, str]:
    """``(text, blob sha)`` from a 200 answer of the contents endpoint."""
    if _is_json(response):
        return _from_json(response, where)
    return _text(response.content, where), git_blob_sha(response.content)


def _is_json(response: httpx.Response) -> bool:
    media = str(response.headers.get("content-type", "")).split(";")[0].strip().lower()
    return media == "application/json"


def _from_json(response: httpx.Response, where: str) -> tuple[str, str]:
    """The JSON form: a directory listing, a submodule, or a file (a proxy or an older
    GitHub Enterprise may ignore the raw media type)."""
    try:
        found: object = response.json()
    except ValueError:
        raise GitHubError(f"{where}: the answer is not JSON") from None
    if not isinstance(found, dict) or found.get("type") != "file":
        kind = "a directory" if isinstance(found, list) else "not a file"
        raise GitHubError(f"{where}: {kind}", remedy="name a file")
    if found.get("encoding") != "base64":
        size = found.get("size")
        bytes_ = f", {size:,} bytes" if isinstance(size, int) else ""
        raise GitHubError(
            f"{where}: GitHub answered without the file's content "
            f"(encoding {str(found.get('encoding'))[:20]!r}{bytes_})",
            remedy="files over 1 MB need the raw media type; check that nothing between "
            "here and GitHub drops the Accept header",
        )
    try:
        data = base64.b64decode(str(found.get("content") or ""))
    except (binascii.Error, ValueError):
        raise GitHubError(f"{where}: the content is not valid base64") from None
    return _text(data, where), str(found.get("sha") or git_blob_sha(data))


def _text(data: bytes, where: str) -> str:
    try:
        return data.decode()
    except UnicodeDecodeError:
        raise GitHubError(f"{where}: the file is not UTF-8 text") from None
