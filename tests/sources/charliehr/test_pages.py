from __future__ import annotations

import pytest

from reconciler.sources.charliehr.pages import (
    ForeignNextUrl,
    PageRef,
    first_page,
    resolve_next,
    total_pages,
)

ROOT = "https://charliehr.com/api/v1"
CURRENT = first_page("team_members")


@pytest.mark.parametrize(
    "next_url",
    [
        "?page=2&per_page=25",
        "team_members?page=2&per_page=25",
        "/api/v1/team_members?page=2&per_page=25",
        "https://charliehr.com/api/v1/team_members?page=2&per_page=25",
        "/team_members/?page=2&per_page=25",
    ],
)
def test_every_relative_form_resolves_to_the_same_page(next_url: str) -> None:
    assert resolve_next(CURRENT, next_url, ROOT) == PageRef(
        "team_members", (("page", "2"), ("per_page", "25"))
    )


def test_a_url_on_another_host_is_refused() -> None:
    with pytest.raises(ForeignNextUrl):
        resolve_next(CURRENT, "https://evil.example/api/v1/team_members?page=2", ROOT)


@pytest.mark.parametrize(
    ("meta", "pages"),
    [
        ({"total_pages": 3}, 3),
        ({"total_results": 26, "results_per_page": 25}, 2),
        ({"next_url": "?page=2"}, None),
        (None, None),
        ({"total_results": 0, "results_per_page": 25}, 0),
    ],
)
def test_total_pages_from_whatever_meta_gives(
    meta: dict[str, object] | None, pages: int | None
) -> None:
    assert total_pages(meta) == pages
