"""The checks that make a list read exact, on pages built by hand."""

from __future__ import annotations

from typing import Any

import pytest

from reconciler.domain.fields import PAGINATION_KEYS
from reconciler.errors import SourceError
from reconciler.sources.charliehr.listing import (
    Page,
    agreed,
    checked_ids,
    ended_early,
    identity,
    list_problem,
    page_count,
    page_problem,
    parse_page,
    past_end,
)
from reconciler.sources.charliehr.pages import page_ref


def _page(number: int, count: int, *, more: bool, total: int | None = None, size: int = 25) -> Page:
    items = [{"id": f"{number}-{n}"} for n in range(count)]
    return Page(number, items, "?page=next" if more else None, total, size)


def _body(items: int, /, **meta: Any) -> dict[str, Any]:
    return {"success": True, "data": [{"id": str(n)} for n in range(items)], "meta": meta}


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


@pytest.mark.parametrize("key", ["total_results", "total_count", "total", "count"])
def test_the_total_is_read_under_every_name_in_the_table(key: str) -> None:
    assert parse_page(_body(25, **{key: 60}), page_ref("teams", 1)).total == 60


def test_every_meta_key_the_client_reads_is_in_the_table_with_a_confidence() -> None:
    body = _body(
        3,
        next_url="?page=2",
        total_count=80,
        total_pages=4,
        page="2",  # digits as text are read too
        per_page=3,
    )
    page = parse_page(body, page_ref("teams", 2, 3))
    assert (page.next_url, page.total, page.total_pages, page.echoed_page, page.per_page) == (
        "?page=2",
        80,
        4,
        2,
        3,
    )
    assert {k.key for k in PAGINATION_KEYS} >= {"next_url", "total_count", "page", "per_page"}
    assert all(k.confidence in ("confirmed", "likely", "guess") for k in PAGINATION_KEYS)


def test_the_first_name_of_a_role_wins_and_nonsense_values_are_not_read() -> None:
    page = parse_page(_body(2, total_results=2, total=99, per_page=True), page_ref("teams", 1))
    assert (page.total, page.per_page) == (2, 25)
    assert parse_page(_body(2, total=-1, total_pages="x"), page_ref("teams", 1)).total is None


@pytest.mark.parametrize(
    ("number", "count", "given", "total"),
    [
        (1, 25, 60, 60),  # more than the page holds: the list's total
        (1, 3, 3, 3),  # a short first page: both readings end the list here
        (1, 25, 25, None),  # a full first page of 25: the page's own count, or the total?
        (2, 25, 25, None),  # no total could be that small: the page's own count
        (3, 10, 10, None),
        (3, 10, 60, 60),
    ],
)
def test_count_is_a_total_only_when_it_can_be_one(
    number: int, count: int, given: int, total: int | None
) -> None:
    assert parse_page(_body(count, count=given), page_ref("teams", number)).total == total


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
        (Page(1, [{"id": 1}], None, None, 25, total_pages=1), None),
        (Page(1, [], None, None, 25, total_pages=1), None),  # an empty list, or emptied
        (
            Page(1, [{"id": 1}], None, None, 25, total_pages=2),
            "has 1 of 25 items although its totals give 2 pages",
        ),
        (
            Page(2, [], None, None, 25, total_pages=2),
            "is empty although its totals end the list on it (2 pages)",
        ),
    ],
)
def test_a_page_on_its_own(page: Page, problem: str | None) -> None:
    assert page_problem(page) == problem


def test_pages_with_different_totals_are_a_list_that_moved() -> None:
    pages = [_page(1, 25, more=True, total=50), _page(2, 24, more=False, total=49)]
    assert list_problem(pages) == "its total changed while it was read (49, 50)"
    counted = [Page(1, [], None, None, 25, total_pages=3), Page(2, [], None, None, 25, 2)]
    assert list_problem(counted) == "its page count changed while it was read (2, 3)"


def test_an_item_on_two_pages_is_a_list_that_moved() -> None:
    first, second = _page(1, 25, more=True), _page(2, 3, more=False)
    second.items.append(first.items[-1])
    assert list_problem([first, second]) == "an item came twice (on pages 1 and 2)"


def test_a_page_served_for_another_number_is_a_list_that_moved() -> None:
    pages = [_page(1, 25, more=True), Page(2, [{"id": "x"}], None, None, 25, echoed_page=1)]
    assert list_problem(pages) == "page 2 was answered as page 1"


def test_the_page_count_comes_from_the_totals_or_is_unknown() -> None:
    assert page_count(_page(1, 25, more=True, total=51)) == 3
    assert page_count(_page(1, 0, more=False, total=0)) == 1
    assert page_count(Page(1, [], None, None, 25, total_pages=0)) == 1
    assert page_count(Page(1, [], None, None, 25, total_pages=4)) == 4
    assert page_count(_page(1, 25, more=True)) is None


def test_a_page_past_the_end_is_told_by_a_404_an_empty_page_or_the_last_page_again() -> None:
    last = _page(2, 25, more=False)
    assert past_end(None, last) == "not_found"
    assert past_end(_page(3, 0, more=False), last) == "empty"
    assert past_end(Page(3, list(last.items), None, None, 25), last) == "repeat"
    assert past_end(Page(3, last.items[:4], None, None, 25), last) == "repeat"  # cut short
    assert past_end(_page(3, 5, more=False), last) is None  # more items: not the end


@pytest.mark.parametrize(
    ("meta", "count", "size", "known"),
    [
        ({"per_page": 25}, 25, 25, True),  # echoed
        ({"next_url": "?page=2&per_page=25"}, 25, 25, True),  # named by next_url
        ({"next_url": "?page=2"}, 25, 25, True),  # a first page that more follow is full
        ({"total_count": 60}, 25, 25, True),
        ({"total_count": 250}, 100, 100, True),  # the size asked for is served
        ({}, 25, 100, False),  # the last page, or cut to 25? unknown
        ({}, 60, 100, False),
        ({"next_url": "?page=2"}, 10, 100, False),  # under 25: a spoiled page, not a size
    ],
)
def test_a_first_page_asked_bigger_than_25_learns_the_size_served(
    meta: dict[str, Any], count: int, size: int, known: bool
) -> None:
    page = parse_page(_body(count, **meta), page_ref("teams", 1, 100))
    assert (page.per_page, page.size_known) == (size, known)


def test_a_page_is_short_against_the_size_served_or_25_when_that_is_unknown() -> None:
    assert _page(1, 24, more=False).is_short
    assert not _page(1, 25, more=False).is_short
    assert Page(1, [{"id": n} for n in range(24)], None, None, 100, size_known=False).is_short
    assert not Page(1, [{"id": n} for n in range(25)], None, None, 100, size_known=False).is_short
    assert Page(1, [{"id": n} for n in range(99)], None, None, 100).is_short


def test_one_read_at_each_page_size_does_not_prove_a_list_without_totals() -> None:
    # 30 people: an emptied page 2 at 25 a page and a page 2 cut to 5 at 20 a page both
    # leave the first 25, so one agreeing read at each size is a coincidence, not proof.
    first = tuple(f"tm_{n}" for n in range(25))
    assert not agreed(first, [(first, 25), (first, 20)])
    assert not agreed(first, [(first, 25), (first, 20), (first, 20)])
    assert agreed(first, [(first, 25), (first, 20), (first, 25), (first, 20)])
    assert not agreed(first, [(first, 25), (first, 25), (first, 25), (first[:-1], 20)])


def test_items_that_another_read_went_on_past_are_a_cut_read_however_often_they_come() -> None:
    # A list of one page, emptied by faults four times in seven reads: the read that
    # gave its items shows the empty reads were cut, not that the list is empty.
    whole, empty = tuple(f"tm_{n}" for n in range(7)), ()
    reads = [(empty, 25), (empty, 20), (whole, 25), (empty, 20), (whole, 20), (empty, 25)]
    assert not agreed(empty, reads)
    assert not agreed(whole, [*reads, (whole, 25)])
    assert agreed(whole, [*reads, (whole, 25), (whole, 20)])


def test_reads_that_are_each_the_start_of_the_longest_only_ended_early() -> None:
    assert ended_early([("a", "b"), ("a", "b", "c"), ("a",)]) == (1, 2, 3)
    assert ended_early([("a", "b"), ("a", "b")]) == (2,)


def test_reads_that_disagree_about_an_item_did_not_only_end_early() -> None:
    assert ended_early([("a", "b"), ("a", "c", "d")]) is None
    assert ended_early([("b", "a"), ("a", "b")]) is None
    assert ended_early([]) is None


def test_the_identities_of_a_read_come_in_item_order_and_tell_a_repeat() -> None:
    pages = [_page(1, 25, more=True, total=50), _page(2, 25, more=False, total=50)]
    ids, problem = checked_ids(pages)
    assert problem is None
    assert ids == tuple(identity(item) for page in pages for item in page.items)
    again = [pages[0], Page(2, [pages[0].items[3]], None, 50, 25)]
    assert checked_ids(again)[1] == "an item came twice (on pages 1 and 2)"
