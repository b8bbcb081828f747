"""What makes a CharlieHR list read exact: each page checked, the whole list proven.

A page is checked on its own as soon as it arrives (:func:`page_problem`); a page
that fails is fetched again, like any transient failure. The pages of one read are
then checked together (:func:`list_problem`): one total for all of them, each the
page asked for, no item twice. A read that fails that is a list that moved while it
was read (:class:`ListMoved`), and the whole list is read again. Where a list ends is
told by its totals, a short page, or a page past the end (:func:`past_end`). The
``meta`` keys are read under every name in :data:`PAGINATION_KEYS`. A list without
totals is accepted when reads of it agree (:func:`agreed`). Pure: no I/O here.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal
from urllib.parse import parse_qsl, urlsplit

from reconciler.domain.fields import PagingRole, meta_keys
from reconciler.domain.json import Json
from reconciler.errors import SourceError
from reconciler.sources.charliehr.pages import PER_PAGE, PageRef

API = "CharlieHR"
PastEnd = Literal["not_found", "empty", "repeat"]
"""How a page asked for past a possible end said that the list ended before it."""


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
    """Items in the whole list, when ``meta`` gives them."""
    per_page: int
    """The page size the server used: echoed in ``meta``, else the size asked for."""
    total_pages: int | None = None
    """Pages in the whole list, when ``meta`` gives them."""
    echoed_page: int | None = None
    """The page number ``meta`` says was served, when it says one."""
    size_known: bool = True
    """``per_page`` is the size the server used: echoed, learned, or asked at most 25.
    Asked for more than 25 without an echo, a page of 25 may be a cut page (every
    public source says CharlieHR serves at most 25), not a short one."""

    @property
    def is_short(self) -> bool:
        """Fewer items than a full page: nothing can follow it."""
        full = self.per_page if self.size_known else min(self.per_page, PER_PAGE)
        return len(self.items) < full

    @property
    def has_more(self) -> bool:
        """Its ``meta`` says pages follow it."""
        if self.next_url:
            return True
        if self.total is not None:
            return self.total > (self.number - 1) * self.per_page + len(self.items)
        return self.total_pages is not None and self.total_pages > self.number


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
    asked = _whole(dict(ref.params).get("per_page"), 1)
    echoed = _read(meta, "per_page", 1)
    per_page = echoed or asked or PER_PAGE
    next_url = next((str(meta[k]) for k in meta_keys("next_url") if meta.get(k)), None)
    page = Page(
        number=number,
        items=data,
        next_url=next_url,
        total=_total(meta, number, per_page, len(data)),
        per_page=per_page,
        total_pages=_read(meta, "total_pages", 0),
        echoed_page=_read(meta, "page", 1),
        size_known=echoed is not None or per_page <= PER_PAGE,
    )
    return page if page.size_known or number != 1 else _cut_size(page)


def _whole(value: object, least: int) -> int | None:
    """A whole number at least ``least``, given as a number or as digits."""
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and value >= least:
        return value
    return None


def _read(meta: Json, role: PagingRole, least: int) -> int | None:
    """The first key of ``role`` that ``meta`` holds a fitting number under."""
    found = (_whole(meta.get(key), least) for key in meta_keys(role))
    return next((value for value in found if value is not None), None)


def _total(meta: Json, number: int, per_page: int, count: int) -> int | None:
    """The items of the whole list, under a total's name or as ``count`` when it can be one.

    ``count`` is the list's total for some servers and the page's own items for
    others. It is read as the total unless no total could be that small, or it is
    the items of a full first page (then it proves nothing either way).
    """
    total = _read(meta, "total", 0)
    if total is not None:
        return total
    counted = _read(meta, "total_or_page_count", 0)
    if counted is None or counted < (number - 1) * per_page + count:
        return None
    return None if number == 1 and counted == count == per_page else counted


def _cut_size(first: Page) -> Page:
    """The first page, with the size the server used when it cut a page bigger than 25.

    Its ``next_url`` may name that size; else a first page that more follow is full,
    whatever it holds (and a full one shows the size asked for is served). A page cut
    by a fault instead is still the first page at that size, so reading on at that
    size stays exact.
    """
    named = _whole(dict(parse_qsl(urlsplit(first.next_url or "").query)).get("per_page"), 1)
    if named is not None and named < first.per_page:
        return replace(first, per_page=named, size_known=True)
    count = len(first.items)
    if first.has_more and PER_PAGE <= count <= first.per_page:
        return replace(first, per_page=count, size_known=True)
    return first


def page_problem(page: Page) -> str | None:
    """What is wrong with a page on its own (a short or an empty page), or ``None``.

    With totals, every page must hold exactly what the totals promise it; with a page
    count only, every page before the last must be full and the last not empty.
    Without either, a page short of ``per_page`` (or empty) is allowed only as the last.
    """
    count, size = len(page.items), page.per_page
    if page.total is not None:
        expected = min(size, max(0, page.total - (page.number - 1) * size))
        if count != expected:
            return f"has {count} items where its totals promise {expected}"
        return None
    pages = page.total_pages
    if pages is not None and page.number < pages and count != size:
        return f"has {count} of {size} items although its totals give {pages} pages"
    if pages is not None and page.number == pages > 1 and not count:
        return f"is empty although its totals end the list on it ({pages} pages)"
    if page.next_url and count != size:
        return f"has {count} of {size} items although more pages follow"
    return None


def identity(item: Json) -> str:
    """What tells two items apart: the id, or the whole item when it has none."""
    if "id" in item:
        return str(item["id"])
    return json.dumps(item, sort_keys=True, default=str)


def list_problem(pages: Sequence[Page]) -> str | None:
    """What makes the pages of one read disagree with each other, or ``None``."""
    return checked_ids(pages)[1]


def checked_ids(pages: Sequence[Page]) -> tuple[tuple[str, ...], str | None]:
    """The items' identities in order (:func:`identity`), and what makes the pages of
    one read disagree with each other, or ``None`` (then the identities are partial)."""
    for name, values in (
        ("total", {p.total for p in pages}),
        ("page count", {p.total_pages for p in pages}),
    ):
        if len(values) > 1:
            shown = ", ".join(str(v) for v in sorted(values, key=lambda v: -1 if v is None else v))
            return (), f"its {name} changed while it was read ({shown})"
    for page in pages:
        if page.echoed_page is not None and page.echoed_page != page.number:
            return (), f"page {page.number} was answered as page {page.echoed_page}"
    seen: dict[str, int] = {}
    for page in pages:
        for item in page.items:
            key = identity(item)
            if key in seen:
                return tuple(seen), f"an item came twice (on pages {seen[key]} and {page.number})"
            seen[key] = page.number
    return tuple(seen), None


def page_count(first: Page) -> int | None:
    """How many pages the list has, by the first page's totals; ``None`` without totals."""
    if first.total is not None:
        return max(1, -(-first.total // first.per_page))
    if first.total_pages is not None:
        return max(1, first.total_pages)
    return None


def past_end(probe: Page | None, last: Page) -> PastEnd | None:
    """How a page asked for after ``last`` says the list ended there; ``None``: it holds more.

    ``None`` for the probe is a 404. A page of items all on ``last`` is ``last`` again
    (some servers answer any page past the end with the last one), or a cut copy of it.
    """
    if probe is None:
        return "not_found"
    if not probe.items:
        return "empty"
    on_last = {identity(item) for item in last.items}
    return "repeat" if all(identity(item) in on_last for item in probe.items) else None


def other_size(size: int) -> int:
    """The page size of every other read without totals (20 for 25): the last page
    falls elsewhere each time."""
    return size - max(1, size // 5) if size > 1 else 2


def agreed(ids: tuple[str, ...], reads: list[tuple[tuple[str, ...], int]]) -> bool:
    """True when two reads without totals at each of two page sizes gave these items,
    and no read gave them followed by more.

    One read at each size is not enough: a spoiled last page at one size (emptied)
    and at the other (cut short) can leave the same items, so 30 people read as 25
    twice over. Two reads at each size make such a coincidence need four spoiled
    pages that agree. A spoiled page only ever drops the items after it, so a read
    that went on past these items shows them cut (a list of one page, emptied four
    times in seven reads, is not read as empty). The sizes are those the server
    served, not those asked for.
    """
    sizes = [size for read, size in reads if read == ids]
    cut = any(len(read) > len(ids) and read[: len(ids)] == ids for read, _ in reads)
    return not cut and sum(1 for size in set(sizes) if sizes.count(size) >= 2) >= 2


def ended_early(reads: Sequence[tuple[str, ...]]) -> tuple[int, ...] | None:
    """How many items each read gave, when every read is the start of the longest one:
    they differ only in where they ended (a short or empty page), not in what they
    hold. ``None`` when two reads disagree about an item, or there is no read."""
    if not reads:
        return None
    longest = max(reads, key=len)
    if any(read != longest[: len(read)] for read in reads):
        return None
    return tuple(sorted({len(read) for read in reads}))


def cut_to(pages: list[Page], probe: Page) -> tuple[list[Page], Page]:
    """The pages so far and the one after them, at the size the server cut them to.

    Asked for more than 25 without an echo, a page of 25 or more that more items
    follow was full: the server serves pages of that size. A page after it holding
    more is a size that changed, not a cut.
    """
    cut = len(pages[-1].items)
    if len(probe.items) > cut:
        raise ListMoved(f"page {probe.number} holds more items than page {probe.number - 1}")
    sized = [replace(page, per_page=cut, size_known=True) for page in pages]
    return sized, replace(probe, per_page=cut, size_known=True)


def promised(page: object, number: int) -> Page:
    """A page asked for ahead that the list turned out to reach: 404 means it shrank."""
    if not isinstance(page, Page):
        raise ListMoved(f"page {number} answered 404 although the list reaches it")
    return page


def ended(pages: list[Page], ahead: dict[int, Page | None]) -> list[Page]:
    """The pages of a list that ended on the last of them. Pages asked for ahead past
    it must end it too (empty, 404, the last page again): one with other items shows
    the "end" was a spoiled page."""
    last = pages[-1]
    for number, page in sorted(ahead.items()):
        if page is not None and past_end(page, last) is None:
            raise ListMoved(f"page {last.number} ended the list, but page {number} has items")
    return pages


def items_of(pages: Sequence[Page]) -> list[Json]:
    """Every item of the pages, in order."""
    return [item for page in pages for item in page.items]
