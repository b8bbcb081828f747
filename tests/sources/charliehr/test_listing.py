"""The checks that make a list read exact, on pages built by hand."""

from __future__ import annotations

from typing import Any

import pytest

from reconciler.errors import SourceError
from reconciler.sources.charliehr.listing import (
    ListMoved,
    Page,
    end_of,
    list_problem,
    page_problem,
    parse_page,
)
from reconciler.sources.charliehr.pages import page_ref


def _page(number: int, count: int, *, more: bool, total: int | None = None, size: int = 25) -> Page:
    items = [{"id": f"{number}-{n}"} for n in range(count)]
    return Page(number, items, "?page=next" if more else None, total, size)


def test_an_item_that_is_not_an_object_is_an_error_naming_endpoint_page_and_item() -> None:
    body: dict[str, Any] = {"success": True, "data": [{"id": "a"}, "b"], "meta": {}}
    with pytest.raises(SourceError) as caught:
        parse_page(body, page_ref("salaries", 3))
    assert caught.value.message.startswith(
        "CharlieHR GET /salaries page 3: item 2 is str, not an object"
    )


def test_a_page_reads_its_size_and_totals_from_meta_or_the_request() -> None:
    body = {"success": True, "data": [], "meta": {"total_results": 7, "results_per_page": 5}}
    assert parse_page(body, page_ref("teams", 2, 20)) == Page(2, [], None, 7, 5)
    bare = {"success": True, "data": [], "meta": None}
    assert parse_page(bare, page_ref("teams", 1, 20)) == Page(1, [], None, None, 20)


@pytest.mark.parametrize(
    ("page", "problem"),
    [
        (_page(1, 25, more=True, total=60), None),
        (_page(3, 10, more=False, total=60), None),
        (_page(3, 9, more=False, total=60), "has 9 items where its totals promise 10"),
        (_page(2, 0, more=False, total=60), "has 0 items where its totals promise 25"),
        (_page(1, 0, more=False, total=0), None),
        (_page(2, 25, more=True), None),
        (_page(2, 24, more=True), "has 24 of 25 items although more pages follow"),
        (_page(2, 0, more=True), "has 0 of 25 items although more pages follow"),
        (_page(4, 3, more=False), None),  # short, but the last: proven later
    ],
)
def test_a_page_on_its_own(page: Page, problem: str | None) -> None:
    assert page_problem(page) == problem


def test_pages_with_different_totals_are_a_list_that_moved() -> None:
    pages = [_page(1, 25, more=True, total=50), _page(2, 24, more=False, total=49)]
    assert list_problem(pages) == "its total changed while it was read (49, 50)"


def test_an_item_on_two_pages_is_a_list_that_moved() -> None:
    first, second = _page(1, 25, more=True), _page(2, 3, more=False)
    second.items.append(first.items[-1])
    assert list_problem([first, second]) == "an item came twice (on pages 1 and 2)"


def test_the_end_is_the_first_page_without_next_url_or_items() -> None:
    assert end_of([_page(1, 25, more=True), _page(2, 25, more=True)]) is None
    assert end_of([_page(1, 25, more=True), _page(2, 4, more=False), _page(3, 0, more=False)]) == 1
    assert end_of([_page(1, 25, more=True), _page(2, 0, more=False)]) == 1


def test_items_after_the_end_mean_the_end_was_a_spoiled_page() -> None:
    with pytest.raises(ListMoved, match="page 2 ended the list, but page 3 has items"):
        end_of([_page(1, 25, more=True), _page(2, 0, more=False), _page(3, 5, more=False)])
