"""What makes a CharlieHR list read exact: each page checked, the whole list proven.

A page is checked on its own as soon as it arrives (:func:`page_problem`); a page
that fails is fetched again, like any transient failure. The pages of one read are
then checked together (:func:`list_problem`): one total for all of them, no item
twice. A read that fails that is a list that moved while it was read
(:class:`ListMoved`), and the whole list is read again. Pure: no I/O here.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reconciler.errors import SourceError
from reconciler.sources.charliehr.pages import PER_PAGE, PageRef

API = "CharlieHR"
Json = dict[str, Any]


class ListMoved(Exception):
    """The pages of one read do not fit together: the list changed while it was read."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Page:
    """One page of a list, with what its ``meta`` says about the whole list."""

    number: int
    items: list[Json]
    next_url: str | None
    total: int | None
    """``meta.total_results``, when the API gives totals."""
    per_page: int

    @property
    def is_end(self) -> bool:
        """True for the last page: nothing follows it, or it is empty."""
        return not self.next_url or not self.items


def parse_page(body: Json, ref: PageRef, number: int | None = None) -> Page:
    """A page from a checked envelope; items that are not objects are an error."""
    data = body["data"]
    number = number or ref.page or 1
    where = f"{API} GET /{ref.path} page {number}"
    if not isinstance(data, list):
        raise SourceError(f"{where}: expected a list in data, got {type(data).__name__}")
    for index, item in enumerate(data):
        if not isinstance(item, dict):
            raise SourceError(
                f"{where}: item {index + 1} is {type(item).__name__}, not an object; "
                "refusing to plan from a list with items that cannot be read"
            )
    meta = body.get("meta")
    meta = meta if isinstance(meta, dict) else {}
    total = meta.get("total_results")
    size = meta.get("results_per_page")
    asked = dict(ref.params).get("per_page", "")
    return Page(
        number=number,
        items=data,
        next_url=str(meta["next_url"]) if meta.get("next_url") else None,
        total=total if isinstance(total, int) and total >= 0 else None,
        per_page=size
        if isinstance(size, int) and size > 0
        else int(asked)
        if asked.isdigit()
        else PER_PAGE,
    )


def page_problem(page: Page) -> str | None:
    """What is wrong with a page on its own (a short or an empty page), or ``None``.

    With totals, every page must hold exactly what the totals promise it. Without
    them, a page short of ``per_page`` (or empty) is allowed only as the last one.
    """
    count = len(page.items)
    if page.total is not None:
        expected = min(page.per_page, max(0, page.total - (page.number - 1) * page.per_page))
        if count != expected:
            return f"has {count} items where its totals promise {expected}"
        return None
    if page.next_url and count != page.per_page:
        return f"has {count} of {page.per_page} items although more pages follow"
    return None


def identity(item: Json) -> str:
    """What tells two items apart: the id, or the whole item when it has none."""
    if "id" in item:
        return str(item["id"])
    return json.dumps(item, sort_keys=True, default=str)


def list_problem(pages: Sequence[Page]) -> str | None:
    """What makes the pages of one read disagree with each other, or ``None``."""
    totals = {p.total for p in pages}
    if len(totals) > 1:
        shown = ", ".join(str(t) for t in sorted(totals, key=lambda t: -1 if t is None else t))
        return f"its total changed while it was read ({shown})"
    seen: dict[str, int] = {}
    for page in pages:
        for item in page.items:
            key = identity(item)
            if key in seen:
                return f"an item came twice (on pages {seen[key]} and {page.number})"
            seen[key] = page.number
    return None


def end_of(pages: Sequence[Page]) -> int | None:
    """Index of the last page in a run of consecutive pages, if the run reaches it.

    Pages fetched past the end must be empty; one that is not means the end moved.
    """
    for index, page in enumerate(pages):
        if page.is_end:
            after = [p.number for p in pages[index + 1 :] if p.items]
            if after:
                raise ListMoved(f"page {page.number} ended the list, but page {after[0]} has items")
            return index
    return None


def items_of(pages: Sequence[Page]) -> list[Json]:
    """Every item of the pages, in order."""
    return [item for page in pages for item in page.items]
