from __future__ import annotations

import pytest

from reconciler.sources.charliehr.pages import (
    ForeignNextUrl,
    PageRef,
    numbered,
    page_ref,
    resolve_next,
)

ROOT = "https://charliehr.com/api/v1"
CURRENT = page_ref("team_members", 1)


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
    ("ref", "number"),
    [
        (page_ref("teams", 3), 3),
        (PageRef("teams", (("page", "2"),)), 2),
        (PageRef("teams", (("per_page", "25"), ("page", "4"))), 4),
        (PageRef("teams", (("page", "2"), ("cursor", "abc"))), None),  # followed as written
        (PageRef("teams", (("page", "2"), ("page", "3"))), None),
        (PageRef("offices", (("page", "2"),)), None),
        (PageRef("teams", (("cursor", "abc"),)), None),
    ],
)
def test_a_next_url_names_a_page_by_number_only_with_page_and_per_page(
    ref: PageRef, number: int | None
) -> None:
    assert numbered(ref, "teams") == number
