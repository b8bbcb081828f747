"""The GitHub emulator's check runs, check suites and commit statuses.

As https://docs.github.com/en/rest/checks and
https://docs.github.com/en/rest/commits/statuses document them:

- **Check runs** (``POST /check-runs``, ``GET /check-runs/{id}``, ``GET
  /commits/{ref}/check-runs``) can only be created by a GitHub App: the workflow's
  token is the GitHub Actions app (id 15368), a person's token is refused (403).
  Each belongs to the check suite of its app on its commit (``GET
  /commits/{ref}/check-suites``), made with the first run. A run given a
  ``conclusion`` is ``completed``; ``output`` needs a ``title`` and a ``summary``
  of at most 65,535 characters.
- **Statuses** (``POST /statuses/{sha}``, ``GET /commits/{ref}/statuses``, ``GET
  /commits/{ref}/status``) may be set by anyone with push access, under any
  ``context``; the combined status is ``failure`` if the latest status of any
  context failed, ``pending`` if any is pending (or there are none), else
  ``success``.

What a merge requires of them is in :mod:`reconciler.sandbox.github_required`; their
JSON shapes in :mod:`reconciler.sandbox.github_check_shapes`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from starlette.requests import Request

from reconciler.domain.json import Json
from reconciler.sandbox import github_shapes as shapes
from reconciler.sandbox.github_api import Caller, Reply, failed, invalid, not_found

if TYPE_CHECKING:
    from reconciler.sandbox.github import GitHubData

MAX_SUMMARY = 65535
CONCLUSIONS = frozenset(
    {
        "action_required",
        "cancelled",
        "failure",
        "neutral",
        "success",
        "skipped",
        "stale",
        "timed_out",
    }
)
PASSING = frozenset({"success", "neutral", "skipped"})
STATES = frozenset({"error", "failure", "pending", "success"})


def app_of(data: GitHubData, login: str) -> Json | None:
    """The GitHub App a token acts as (the workflow's token: GitHub Actions), if any."""
    return data.apps.get(login)


class Checks:
    """Check runs, check suites and commit statuses of the repository's commits."""

    def __init__(self, data: GitHubData) -> None:
        self.data = data

    # -- check runs ----------------------------------------------------------

    async def create_run(self, who: Caller, request: Request) -> Reply:
        """``POST /check-runs``: a GitHub App's check run on a commit."""
        app = app_of(self.data, who.user["login"])
        if app is None:
            return invalid("You must authenticate via a GitHub App.", 403)
        body = await request.json()
        refusal = _refused_run(body)
        if refusal is not None:
            return refusal
        sha = str(body["head_sha"])
        if sha not in self.data.git.commits:
            return failed(
                "CheckRun", "invalid", field="head_sha", message=f"No commit found for SHA: {sha}"
            )
        return Reply(self.data.add_check_run(sha, app, body), 201)

    async def run(self, who: Caller, request: Request) -> Reply:
        """``GET /check-runs/{id}``."""
        wanted = int(request.path_params["id"])
        found = next((r for r in self.data.check_runs if r["id"] == wanted), None)
        return Reply(found) if found is not None else not_found()

    async def runs_of(self, who: Caller, request: Request) -> Reply:
        """``GET /commits/{ref}/check-runs``: ``check_name``, ``status``, ``app_id`` and
        ``filter`` (``latest``, the default: the newest run of each name; or ``all``)."""
        sha = self._sha(request)
        if sha is None:
            return _no_commit(request)
        query = request.query_params
        runs = [r for r in self.data.check_runs if r["head_sha"] == sha]
        if query.get("filter", "latest") == "latest":
            runs = latest_runs(runs)
        runs = [
            r
            for r in runs
            if query.get("check_name") in (None, r["name"])
            and query.get("status") in (None, r["status"])
            and query.get("app_id") in (None, str(r["app"]["id"]))
        ]
        return Reply({"total_count": len(runs), "check_runs": runs})

    async def suites_of(self, who: Caller, request: Request) -> Reply:
        """``GET /commits/{ref}/check-suites``: one suite per app that reported."""
        sha = self._sha(request)
        if sha is None:
            return _no_commit(request)
        suites = [self._suite(s) for s in self.data.check_suites if s["head_sha"] == sha]
        return Reply({"total_count": len(suites), "check_suites": suites})

    def _suite(self, suite: Json) -> Json:
        """A suite with its status and conclusion as its latest runs make them."""
        runs = latest_runs(r for r in self.data.check_runs if r["check_suite"]["id"] == suite["id"])
        done = all(r["status"] == "completed" for r in runs)
        conclusions = {r["conclusion"] for r in runs}
        failed_ = conclusions - PASSING
        conclusion = (sorted(failed_)[0] if failed_ else "success") if done else None
        return suite | {
            "status": "completed" if done else "in_progress",
            "conclusion": conclusion,
            "latest_check_runs_count": len(runs),
        }

    # -- statuses ------------------------------------------------------------

    async def create_status(self, who: Caller, request: Request) -> Reply:
        """``POST /statuses/{sha}``: anyone with push access, under any context."""
        if not who.push:
            return who.no_push()
        sha = request.path_params["sha"]
        if sha not in self.data.git.commits:
            return failed(
                "Status", "invalid", field="sha", message=f"No commit found for SHA: {sha}"
            )
        body = await request.json()
        state = body.get("state")
        if state not in STATES:
            return failed("Status", "invalid", field="state")
        description = body.get("description")
        if isinstance(description, str) and len(description) > 140:
            return failed(
                "Status", "custom", message="description is too long (maximum is 140 characters)"
            )
        made = self.data.add_status(
            sha,
            state,
            context=str(body.get("context") or "default"),
            description=description,
            target_url=body.get("target_url"),
            by=who.user["login"],
        )
        return Reply(made, 201)

    async def statuses_of(self, who: Caller, request: Request) -> Reply:
        """``GET /commits/{ref}/statuses``: every status, newest first."""
        sha = self._sha(request)
        if sha is None:
            return _no_commit(request)
        found = self.data.statuses.get(sha, [])
        return Reply(list(reversed(found)))

    async def combined(self, who: Caller, request: Request) -> Reply:
        """``GET /commits/{ref}/status``: the latest status of each context, and their sum."""
        sha = self._sha(request)
        if sha is None:
            return _no_commit(request)
        latest = latest_statuses(self.data.statuses.get(sha, []))
        states = {s["state"] for s in latest}
        if states & {"error", "failure"}:
            state = "failure"
        elif not latest or "pending" in states:
            state = "pending"
        else:
            state = "success"
        api = f"{shapes.API}/repos/{self.data.repository}"
        return Reply(
            {
                "state": state,
                "statuses": latest,
                "sha": sha,
                "total_count": len(latest),
                "repository": self.data.repo,
                "commit_url": f"{api}/commits/{sha}",
                "url": f"{api}/commits/{sha}/status",
            }
        )

    def _sha(self, request: Request) -> str | None:
        made = self.data.git.resolve(request.path_params["ref"])
        return None if made is None else made.sha


def _refused_run(body: Json) -> Reply | None:
    """What GitHub refuses in a new check run (422), if anything."""
    for key in ("name", "head_sha"):
        if not body.get(key):
            return failed("CheckRun", "missing_field", field=key)
    conclusion = body.get("conclusion")
    if conclusion is not None and conclusion not in CONCLUSIONS:
        return failed("CheckRun", "invalid", field="conclusion")
    if body.get("status") == "completed" and conclusion is None:
        return failed("CheckRun", "missing_field", field="conclusion")
    output = body.get("output")
    if output is not None:
        if not isinstance(output, dict) or not output.get("title") or not output.get("summary"):
            return failed("CheckRun", "missing_field", field="output")
        if len(str(output["summary"])) > MAX_SUMMARY:
            return failed(
                "CheckRun",
                "custom",
                field="output",
                message=f"summary is too long (maximum is {MAX_SUMMARY} characters)",
            )
    return None


def _no_commit(request: Request) -> Reply:
    return invalid(f"No commit found for SHA: {request.path_params['ref']}")


def latest_runs(runs: Iterable[Json]) -> list[Json]:
    """The newest check run of each name (of each app), as ``filter=latest`` lists them."""
    newest: dict[tuple[str, int], Json] = {}
    for run in runs:
        newest[(run["name"], run["app"]["id"])] = run
    return list(newest.values())


def latest_statuses(statuses: Iterable[Json]) -> list[Json]:
    """The newest status of each context."""
    newest: dict[str, Json] = {}
    for status in statuses:
        newest[status["context"]] = status
    return list(newest.values())
