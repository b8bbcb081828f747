"""The emulator's labels: created with push access, dropped from new issues otherwise."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.sandbox.github_helpers import REPO, Gh, served

READER = "reader-token"


@pytest.fixture
def gh() -> Iterator[Gh]:
    with served() as hub:
        hub.data.add_user("rita", token=READER, read_only=True)
        yield hub


def _labels_of(gh: Gh, token: str, labels: list[str]) -> list[str]:
    made = gh.call("POST", f"{REPO}/issues", token, json={"title": "t", "labels": labels})
    assert made.status_code == 201
    return [label["name"] for label in made.json()["labels"]]


def test_a_label_is_created_once_and_found_whatever_its_case(gh: Gh) -> None:
    new = {"name": "reconciler-drift", "color": "d93f0b", "description": "HR drift"}
    made = gh.call("POST", f"{REPO}/labels", json=new)
    assert made.status_code == 201 and made.json()["color"] == "d93f0b"
    again = gh.call("POST", f"{REPO}/labels", json=new | {"name": "Reconciler-Drift"})
    assert again.status_code == 422 and again.json()["errors"][0]["code"] == "already_exists"
    found = gh.call("GET", f"{REPO}/labels/RECONCILER-DRIFT")
    assert found.status_code == 200 and found.json()["name"] == "reconciler-drift"
    assert gh.call("GET", f"{REPO}/labels/other").status_code == 404
    assert [x["name"] for x in gh.call("GET", f"{REPO}/labels").json()] == ["reconciler-drift"]
    bad = gh.call("POST", f"{REPO}/labels", json={"name": "x", "color": "red"})
    assert bad.status_code == 422


def test_someone_without_push_access_may_not_create_a_label(gh: Gh) -> None:
    refused = gh.call("POST", f"{REPO}/labels", READER, json={"name": "d", "color": "ededed"})
    assert refused.status_code == 403
    assert refused.json()["message"] == "Must have push access to repository"
    assert gh.data.labels == {}


def test_labels_of_a_new_issue_are_dropped_silently_without_push_or_when_missing(gh: Gh) -> None:
    gh.data.add_label("reconciler-drift")
    assert _labels_of(gh, READER, ["reconciler-drift"]) == []
    assert _labels_of(gh, "sandbox-github-token", ["reconciler-drift", "missing"]) == [
        "reconciler-drift"
    ]
    assert "missing" not in gh.data.labels
