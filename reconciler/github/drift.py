"""The drift issue's label, and finding the issue again.

GitHub drops the labels of a new issue, without an error, when the token may not push
to the repository (https://docs.github.com/en/rest/issues/issues#create-an-issue), and
does not document creating a label that does not exist. So the label is created first
(``POST /labels``; a refusal is said and the run goes on), and the issue is found by
its hidden marker (its first line) as well as by its label.
"""

from __future__ import annotations

import logging

from reconciler.errors import GitHubError
from reconciler.github.client import GitHubClient
from reconciler.github.models import Issue

logger = logging.getLogger(__name__)

DRIFT_LABEL = "reconciler-drift"
DRIFT_COLOR = "d93f0b"
DRIFT_DESCRIPTION = "Ledgy is behind CharlieHR (opened and closed by the reconciler)"


def _marked(issue: Issue, marker: str) -> bool:
    """The marker is the body's first line: a quote of it elsewhere is not the issue."""
    return issue.body.startswith(marker + "\n")


async def drift_issues(client: GitHubClient, marker: str) -> list[Issue]:
    """The open issues that carry ``marker``, newest first.

    By label first; when none has it, every open issue is looked through, so an issue
    whose label GitHub dropped is still found (and not opened a second time).
    """
    labelled = [i for i in await client.issues(label=DRIFT_LABEL) if _marked(i, marker)]
    if labelled:
        return labelled
    return [i for i in await client.issues() if _marked(i, marker)]


async def ensure_drift_label(client: GitHubClient) -> bool:
    """Make sure the repository has the drift label; ``False`` (and a warning) when it
    has none and may not get one, e.g. a token without push access."""
    try:
        if await client.label(DRIFT_LABEL) is not None:
            return True
        await client.create_label(DRIFT_LABEL, color=DRIFT_COLOR, description=DRIFT_DESCRIPTION)
    except GitHubError as error:
        logger.warning(
            "the label %s could not be created (%s); the drift issue is opened without it "
            "and found again by its hidden marker",
            DRIFT_LABEL,
            error.message,
        )
        return False
    return True
