"""The drift issue's label and look-up, against the emulator's label rules.

GitHub drops the labels of a new issue when the token may not push, and does not
document creating a missing label: the label is created first, and the issue is
found again by its marker when it has no label.
"""

from __future__ import annotations

import logging
from typing import Any

import httpx
import pytest

from reconciler.config.secrets import Secret
from reconciler.engine.build import build_plan
from reconciler.engine.canonical import SANDBOX_KEY
from reconciler.github.client import GitHubClient
from reconciler.github.context import ActionsContext
from reconciler.github.drift import (
    DRIFT_COLOR,
    DRIFT_DESCRIPTION,
    DRIFT_LABEL,
    drift_issues,
    ensure_drift_label,
)
from reconciler.github.models import Issue
from reconciler.github.publish import publish_drift
from reconciler.github.sticky import drift_marker
from reconciler.http.retry import RetryPolicy
from reconciler.sandbox.github import SANDBOX_TOKEN, GitHubData
from reconciler.sandbox.github_app import create_app
from tests.engine.helpers import config, employee, state
from tests.github.conftest import Scripted
from tests.github.scripted import Answer

pytestmark = pytest.mark.anyio
Hub = tuple[GitHubData, str, httpx.AsyncBaseTransport]
KEY = "examples/company.yaml"
MARKER = drift_marker(KEY)
READER = "reader-token"
PLAN = build_plan([employee(1), employee(2)], state(), config(), key=SANDBOX_KEY)
MORE = build_plan([employee(1), employee(2), employee(3)], state(), config(), key=SANDBOX_KEY)
NOTHING = build_plan([], state(), config(), key=SANDBOX_KEY)


@pytest.fixture
def hub() -> Hub:
    """The emulator in process (``httpx.ASGITransport``): no socket, no server thread."""
    data = GitHubData()
    data.add_user("rita", token=READER, read_only=True)
    return data, "http://github.test", httpx.ASGITransport(app=create_app(data))


def _client(
    url: str, token: str = SANDBOX_TOKEN, transport: httpx.AsyncBaseTransport | None = None
) -> GitHubClient:
    return GitHubClient(
        url,
        Secret(token),
        "acme/people-config",
        transport=transport,
        policy=RetryPolicy(attempts=1),
    )


def _ctx(url: str, token: str = SANDBOX_TOKEN) -> ActionsContext:
    return ActionsContext(
        token=Secret(token),
        repository="acme/people-config",
        api_url=url,
        server_url="https://github.example",
        run_id="4242",
        event={},
    )


def _labels(issue: dict[str, Any]) -> list[str]:
    return [label["name"] for label in issue["labels"]]


async def test_a_missing_label_is_created_before_the_issue_that_carries_it(
    hub: Hub,
) -> None:
    data, url, transport = hub
    async with _client(url, transport=transport) as client:
        opened = await publish_drift(client, _ctx(url), PLAN, key=KEY)
    label = data.find_label(DRIFT_LABEL)
    assert label is not None
    assert (label["color"], label["description"]) == (DRIFT_COLOR, DRIFT_DESCRIPTION)
    assert opened is not None and opened.number == data.issues[0]["number"]
    assert _labels(data.issues[0]) == [DRIFT_LABEL]


async def test_a_label_that_exists_is_not_created_again(hub: Hub) -> None:
    data, url, transport = hub
    data.add_label("Reconciler-Drift", "000000", "ours, renamed by a human")
    async with _client(url, transport=transport) as client:
        assert await ensure_drift_label(client) is True
    assert list(data.labels) == ["reconciler-drift"]
    assert data.labels["reconciler-drift"]["color"] == "000000"


async def test_without_push_access_the_label_is_refused_said_and_the_issue_found_by_marker(
    hub: Hub, caplog: pytest.LogCaptureFixture
) -> None:
    data, url, transport = hub
    with caplog.at_level(logging.WARNING, logger="reconciler.github.drift"):
        async with _client(url, READER, transport) as client:
            opened = await publish_drift(client, _ctx(url, READER), PLAN, key=KEY)
            kept = await publish_drift(client, _ctx(url, READER), MORE, key=KEY)
            assert await publish_drift(client, _ctx(url, READER), NOTHING, key=KEY) is None
    assert opened is not None and kept is not None
    (issue,) = data.issues  # found again though GitHub dropped its label: never doubled
    assert _labels(issue) == [] and issue["number"] == opened.number == kept.number
    assert kept.title.startswith("HR drift: 3 to create")
    assert issue["state"] == "closed"
    (warning,) = [r.getMessage() for r in caplog.records]
    assert warning.startswith(f"the label {DRIFT_LABEL} could not be created (GitHub POST")
    assert "answered 403" in warning and "found again by its hidden marker" in warning
    assert data.labels == {}


async def test_only_an_issue_whose_first_line_is_the_marker_is_the_drift_issue(
    hub: Hub,
) -> None:
    data, url, transport = hub
    data.add_issue("Question", f"What is this?\n\n> {MARKER}\n> HR drift", by="ada")
    data.add_issue("HR drift (another config)", drift_marker("other.yaml") + "\n\nx")
    ours = data.add_issue("HR drift", f"{MARKER}\n\n2 to create")
    async with _client(url, transport=transport) as client:
        found = await drift_issues(client, MARKER)
    assert [i.number for i in found] == [ours["number"]]


async def test_labelled_issues_are_read_first_and_the_rest_only_when_none_is_ours(
    scripted: Scripted,
) -> None:
    ours = {"number": 3, "body": f"{MARKER}\n\npending"}
    scripted.script.then("GET", Answer(200, [ours]))
    async with _client(scripted.url) as client:
        assert await drift_issues(client, MARKER) == [Issue(3, "", f"{MARKER}\n\npending", "")]
        scripted.script.then("GET", Answer(200, []), Answer(200, [{"number": 9, "body": ""}, ours]))
        assert await drift_issues(client, MARKER) == [Issue(3, "", f"{MARKER}\n\npending", "")]
    queries = [s.query for s in scripted.script.sent]
    assert queries == [
        "state=open&labels=reconciler-drift&per_page=100",
        "state=open&labels=reconciler-drift&per_page=100",
        "state=open&per_page=100",
    ]
