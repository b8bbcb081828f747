"""The GitHub Actions environment a run needs, read once and checked.

Everything comes from the standard variables (GITHUB_TOKEN, GITHUB_REPOSITORY,
GITHUB_EVENT_PATH, GITHUB_API_URL, GITHUB_SERVER_URL, GITHUB_RUN_ID, GITHUB_SHA,
GITHUB_STEP_SUMMARY, GITHUB_ACTOR), so GitHub Enterprise works by its own API URL. A run that
posts as a GitHub App names the App's login in RECONCILER_BOT_LOGIN.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from reconciler.config.secrets import Secret
from reconciler.errors import GitHubError

BOT = "github-actions[bot]"
"""The login the workflow token posts as; a GitHub App posts as ``<app-slug>[bot]``."""
BOT_VARIABLE = "RECONCILER_BOT_LOGIN"

REMEDY = (
    "run this in GitHub Actions with `env: GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}` "
    "(the other variables are set by the runner)"
)


@dataclass(frozen=True)
class ActionsContext:
    """Where the run is: repository, API, event, run and summary file."""

    token: Secret
    repository: str
    api_url: str = "https://api.github.com"
    server_url: str = "https://github.com"
    run_id: str | None = None
    sha: str | None = None
    event_name: str | None = None
    event: Mapping[str, object] = field(default_factory=dict)
    step_summary: Path | None = None
    bot: str = BOT
    """Whose marker comments are trusted: the workflow's own identity (RECONCILER_BOT_LOGIN)."""
    actor: str | None = None
    """Who started the run (GITHUB_ACTOR): for a run started by hand, the person."""

    @property
    def pull_number(self) -> int | None:
        """The pull request the event is about, if any."""
        for key in ("pull_request", "issue"):
            item = self.event.get(key)
            if isinstance(item, dict) and isinstance(item.get("number"), int):
                return int(item["number"])
        number = self.event.get("number")
        return number if isinstance(number, int) else None

    @property
    def head_sha(self) -> str | None:
        """The commit the run is about: the PR's head, else GITHUB_SHA."""
        pull = self.event.get("pull_request")
        if isinstance(pull, dict) and isinstance(pull.get("head"), dict):
            sha = pull["head"].get("sha")
            if isinstance(sha, str):
                return sha
        return self.sha

    @property
    def base_sha(self) -> str | None:
        """The base commit of the event's pull request (``pull_request.base.sha``)."""
        pull = self.event.get("pull_request")
        base = pull.get("base") if isinstance(pull, dict) else None
        sha = base.get("sha") if isinstance(base, dict) else None
        return sha if isinstance(sha, str) and sha else None

    @property
    def before(self) -> str | None:
        """A push event's ``before``: the branch's commit before the push."""
        sha = self.event.get("before") if self.event_name == "push" else None
        return sha if isinstance(sha, str) and sha else None

    @property
    def run_url(self) -> str | None:
        """The link to this workflow run."""
        if self.run_id is None:
            return None
        return f"{self.server_url}/{self.repository}/actions/runs/{self.run_id}"


def summary_file(environ: Mapping[str, str] | None = None) -> Path | None:
    """The job summary file, when running in Actions."""
    env = os.environ if environ is None else environ
    path = env.get("GITHUB_STEP_SUMMARY")
    return Path(path) if path else None


def actions_context(environ: Mapping[str, str] | None = None) -> ActionsContext:
    """Read the Actions environment; name what is missing, never a value."""
    env = os.environ if environ is None else environ
    missing = [name for name in ("GITHUB_TOKEN", "GITHUB_REPOSITORY") if not env.get(name)]
    if missing:
        raise GitHubError(
            f"missing the environment variable(s) {', '.join(missing)}", remedy=REMEDY
        )
    event: Mapping[str, object] = {}
    event_path = env.get("GITHUB_EVENT_PATH")
    if event_path:
        try:
            event = json.loads(Path(event_path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise GitHubError(
                f"GITHUB_EVENT_PATH {event_path} cannot be read ({type(error).__name__})"
            ) from None
    return ActionsContext(
        token=Secret(env["GITHUB_TOKEN"]),
        repository=env["GITHUB_REPOSITORY"],
        api_url=env.get("GITHUB_API_URL", "https://api.github.com").rstrip("/"),
        server_url=env.get("GITHUB_SERVER_URL", "https://github.com").rstrip("/"),
        run_id=env.get("GITHUB_RUN_ID") or None,
        sha=env.get("GITHUB_SHA") or None,
        event_name=env.get("GITHUB_EVENT_NAME") or None,
        event=event,
        step_summary=summary_file(env),
        bot=env.get(BOT_VARIABLE) or BOT,
        actor=env.get("GITHUB_ACTOR") or None,
    )
