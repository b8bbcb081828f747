"""Pagination of CharlieHR lists: page parameters and ``meta.next_url`` in its forms.

Facts, as clients of the live API show them: pages start at 1, at most 25 per page
(``hris.page_size`` asks for more from a server that serves more), ``meta.next_url``
is relative (``?page=2&per_page=25`` or ``team_members?page=2``) and null on the last
page; totals may be given under keys whose names are unknown (see
:mod:`reconciler.sources.charliehr.listing` for how they are used).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

PER_PAGE = 25


@dataclass(frozen=True, slots=True)
class PageRef:
    """A request for one page: a path under the API root and its query."""

    path: str
    params: tuple[tuple[str, str], ...]

    @property
    def page(self) -> int | None:
        """The page number asked for, when the query names one."""
        value = dict(self.params).get("page")
        return int(value) if value and value.isdigit() else None


def page_ref(path: str, page: int, size: int = PER_PAGE) -> PageRef:
    """The request for page ``page`` of a list, ``size`` items a page."""
    return PageRef(path, (("page", str(page)), ("per_page", str(size))))


def numbered(ref: PageRef, path: str) -> int | None:
    """The page number ``ref`` asks for, when it asks for a page of ``path`` by number only.

    Such a ``next_url`` can be asked with our own page size; any other (a cursor, a
    filter) is followed as the server wrote it.
    """
    names = [name for name, _ in ref.params]
    if ref.path != path or sorted(set(names)) != sorted(names) or set(names) - {"page", "per_page"}:
        return None
    return ref.page


class ForeignNextUrl(ValueError):
    """A ``next_url`` pointing away from the API root; following it would leak the token."""


def resolve_next(current: PageRef, next_url: str, api_root: str) -> PageRef:
    """Turn a ``meta.next_url`` into a request under the API root.

    Accepted forms: ``?query`` (same endpoint), ``path?query`` (under the root),
    ``/api/v1/path?query`` and an absolute URL on the root's host.
    """
    root = urlsplit(api_root)
    root_path = root.path.rstrip("/") + "/"
    parts = urlsplit(next_url)
    absolute = bool(parts.scheme or parts.netloc)
    on_root = (parts.scheme, parts.netloc) == (root.scheme, root.netloc)
    if absolute and not (on_root and parts.path.startswith(root_path)):
        raise ForeignNextUrl(next_url)
    params = tuple(parse_qsl(parts.query, keep_blank_values=True))
    if not parts.path:
        return PageRef(current.path, params)
    path = parts.path.removeprefix(root_path)
    return PageRef(path.strip("/"), params)
