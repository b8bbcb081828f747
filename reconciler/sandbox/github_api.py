"""HTTP pieces shared by the GitHub emulator's endpoints: replies, errors, pages, callers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request

from reconciler.domain.json import Json

MAX_BODY = 65536


@dataclass
class Reply:
    """An answer before its URLs are resolved and headers added; ``raw`` answers bytes
    (a file asked for with the raw media type) in place of ``body``."""

    body: Any
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    raw: bytes | None = None


def not_found(message: str = "Not Found") -> Reply:
    """GitHub's 404."""
    return Reply({"message": message, "documentation_url": "https://docs.github.com/rest"}, 404)


def invalid(message: str, status: int = 422) -> Reply:
    """An error answer with one message (422 unless said otherwise)."""
    return Reply({"message": message, "documentation_url": "https://docs.github.com/rest"}, status)


def failed(resource: str, code: str, **detail: str) -> Reply:
    """GitHub's 422 "Validation Failed" with one entry in ``errors``."""
    reply = invalid("Validation Failed")
    reply.body["errors"] = [{"resource": resource, "code": code, **detail}]
    return reply


def too_long(body: object, resource: str) -> Reply | None:
    """GitHub's refusal of a body over 65,536 characters."""
    if not isinstance(body, str) or len(body) <= MAX_BODY:
        return None
    return failed(
        resource,
        "unprocessable",
        field="data",
        message="Body is too long (maximum is 65536 characters)",
    )


def page(request: Request, items: list[Json]) -> Reply:
    """One page of a list, with GitHub's ``Link`` header."""
    size = max(1, min(100, _number(request.query_params.get("per_page"), 30)))
    number = max(1, _number(request.query_params.get("page"), 1))
    last = max(1, -(-len(items) // size))
    links = []
    base = str(request.url.remove_query_params(["page"]))
    joiner = "&" if "?" in base else "?"
    if number < last:
        links.append(f'<{base}{joiner}page={number + 1}>; rel="next"')
        links.append(f'<{base}{joiner}page={last}>; rel="last"')
    extra = {"link": ", ".join(links)} if links else {}
    return Reply(items[(number - 1) * size : number * size], headers=extra)


def counted_page(request: Request, key: str, items: list[Json]) -> Reply:
    """One page of a list GitHub wraps in an object: ``{"total_count": n, key: [...]}``."""
    reply = page(request, items)
    reply.body = {"total_count": len(items), key: reply.body}
    return reply


def _number(text: str | None, default: int) -> int:
    """A paging parameter; GitHub ignores one that is not a number."""
    return int(text) if text is not None and text.isdigit() else default


def newest_first(request: Request, items: list[Json]) -> list[Json]:
    """GitHub's list order: ``sort=created`` (the default) or ``updated``, ``direction``
    ``desc`` (the default) or ``asc``."""
    ascending = request.query_params.get("direction", "desc") == "asc"
    field = "updated_at" if request.query_params.get("sort") == "updated" else "created_at"
    return sorted(items, key=lambda i: (i[field], i["id"]), reverse=not ascending)


@dataclass
class Caller:
    """Who is asking: their user object, whether they administer the repository, and
    whether they may push to it (write access: set labels, create labels)."""

    user: Json
    admin: bool
    push: bool = True

    def forbidden(self) -> Reply:
        """GitHub's 403 for a token without the permission."""
        message = (
            "Resource not accessible by integration"
            if self.user["type"] == "Bot"
            else "Must have admin rights to Repository."
        )
        return invalid(message, 403)

    def no_push(self) -> Reply:
        """GitHub's 403 for a caller with read access only."""
        if self.user["type"] == "Bot":
            return invalid("Resource not accessible by integration", 403)
        return invalid("Must have push access to repository", 403)


Handler = Callable[[Caller, Request], Awaitable[Reply]]
