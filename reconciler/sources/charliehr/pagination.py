"""What a CharlieHR server's list pages show about its paging, for the first-contact report.

From a list's first page (and the page past it, when that was asked for): which
``meta`` keys of :data:`~reconciler.domain.fields.PAGINATION_KEYS` it carries, the
page size it served, and how it answered past the end. Pure: the caller does the
requests (``reconciler doctor --apis``) and passes the decoded answers.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

from reconciler.domain.fields import PAGINATION_KEYS
from reconciler.sources.charliehr.listing import parse_page, past_end
from reconciler.sources.charliehr.pages import page_ref

Json = dict[str, Any]
EndOfList = Literal["not_read", "empty", "not_found", "repeat_last", "more_items", "other"]
"""The answer to the page past a list's last page: not asked for, an empty page, 404,
the last page again, a page of new items (the first page was not the last), or
another status (``past_status`` says which)."""
_ENDS: dict[str, EndOfList] = {"empty": "empty", "not_found": "not_found", "repeat": "repeat_last"}


@dataclass(frozen=True, slots=True)
class PaginationFindings:
    """What one list's pages show about the server's paging. Holds no item or value."""

    keys: dict[str, str]
    """Each role found in the first page's ``meta`` (``next_url``, ``total``, ...) and the
    key it was found under."""
    other_keys: tuple[str, ...]
    """``meta`` keys of the first page that the client does not read (``previous_url``,
    or a name for a role that the table lacks)."""
    items: int
    """Items on the first page."""
    total: int | None
    """Items in the whole list, as the first page's totals give them."""
    page_size: int | None
    """The page size the server served: echoed, or the items of a first page that more
    follow; ``None`` when neither shows it (a list that fits in one page)."""
    end: EndOfList
    past_status: int | None
    """The HTTP status of the page past the end, when it was asked for."""

    @property
    def exact_in_one_read(self) -> bool:
        """The totals count the items: a list is read once, never past its end."""
        return self.total is not None

    def to_dict(self) -> dict[str, Any]:
        """The findings as JSON-ready values."""
        return {**asdict(self), "other_keys": list(self.other_keys)}


def pagination_findings(
    first: Json,
    *,
    asked: int,
    past: tuple[int, Json | None] | None = None,
    last: Json | None = None,
) -> PaginationFindings:
    """What a list's first page, asked with ``per_page=asked``, shows about paging.

    ``first`` and ``last`` are decoded ``{success, data, meta}`` answers; ``past`` is
    the status and decoded answer of the page after ``last`` (``first`` when omitted).
    """
    meta = first.get("meta")
    meta = meta if isinstance(meta, dict) else {}
    keys: dict[str, str] = {}
    for known in PAGINATION_KEYS:
        if known.key in meta:
            keys.setdefault(known.role, known.key)
    named = {known.key for known in PAGINATION_KEYS}
    page = parse_page(first, page_ref("list", 1, asked))
    size_key = keys.get("per_page")
    echoed = size_key is not None and str(meta[size_key]) == str(page.per_page)
    shown = page.per_page if echoed else len(page.items) if page.has_more else None
    return PaginationFindings(
        keys=keys,
        other_keys=tuple(sorted(k for k in meta if k not in named)),
        items=len(page.items),
        total=page.total,
        page_size=shown or None,
        end=_end(past, last or first, asked),
        past_status=None if past is None else past[0],
    )


def _end(past: tuple[int, Json | None] | None, last: Json, asked: int) -> EndOfList:
    if past is None:
        return "not_read"
    status, body = past
    if status == 404:
        return "not_found"
    data = body.get("data") if isinstance(body, dict) else None
    if status != 200 or not isinstance(data, list) or not all(isinstance(i, dict) for i in data):
        return "other"
    before = parse_page(last, page_ref("list", 1, asked))
    after = parse_page({"data": data}, page_ref("list", 2, asked))
    kind = past_end(after, before)
    return "more_items" if kind is None else _ENDS[kind]
