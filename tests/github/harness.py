"""The GitHub emulator on loopback, and the Actions environment pointing at it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from reconciler.sandbox.github import SANDBOX_TOKEN, GitHubData
from reconciler.sandbox.github_app import create_app
from reconciler.sandbox.server import serve_in_thread


@dataclass
class Actions:
    data: GitHubData
    url: str
    tmp: Path
    monkeypatch: pytest.MonkeyPatch

    @property
    def summary(self) -> Path:
        return self.tmp / "summary.md"

    def pull_request_event(self, number: int, head: str) -> None:
        pull: dict[str, Any] = {"number": number, "head": {"sha": head}}
        found = self.data.pull(number)
        if found is not None:  # as GitHub's event: the base commit the pull request is on
            pull["base"] = {"sha": found["base"]["sha"], "ref": found["base"]["ref"]}
        self._event("pull_request", {"number": number, "pull_request": pull})
        self.monkeypatch.setenv("GITHUB_SHA", f"merge-of-{head}")

    def push_event(self, sha: str, *, before: str | None = None) -> None:
        payload = {"after": sha, "ref": "refs/heads/main"}
        if before is not None:
            payload["before"] = before
        self._event("push", payload)
        self.monkeypatch.setenv("GITHUB_SHA", sha)

    def dispatch_event(self, actor: str = "maintainer-mo") -> None:
        """A run started by hand (workflow_dispatch) by ``actor``."""
        self._event("workflow_dispatch", {"inputs": {}, "ref": "refs/heads/main"})
        self.monkeypatch.setenv("GITHUB_ACTOR", actor)

    def commit_config(self, path: Path | None = None, text: str | None = None) -> str:
        """Put the config on main, as the repository holds it (the checkout's copy unless
        ``text`` is given); the sha of the commit."""
        path = path or self.tmp / "company.yaml"
        name = path.resolve().relative_to(self.tmp.resolve()).as_posix()
        body = path.read_text() if text is None else text
        return self.data.commit_files("main", {name: body}, message=f"Add {name}")

    def schedule_event(self) -> None:
        self._event("schedule", {"schedule": "0 6 * * *"})

    def _event(self, name: str, payload: dict[str, Any]) -> None:
        path = self.tmp / f"event-{name}.json"
        path.write_text(json.dumps(payload))
        self.monkeypatch.setenv("GITHUB_EVENT_NAME", name)
        self.monkeypatch.setenv("GITHUB_EVENT_PATH", str(path))

    def open_pull(self, number: int, files: dict[str, str | None] | None = None) -> str:
        """A pull request by ada that changes ``files`` on its own branch (by default the
        checkout's config with one more line); its head sha."""
        branch = f"change-{number}"
        config = self.tmp / "company.yaml"
        mine = config.read_text() if config.exists() else ""
        self.data.commit_files(branch, files or {"company.yaml": mine + f"# change {number}\n"})
        self.data.add_pull(number, head=branch, by="ada")
        head = str(self.data.pull(number)["head"]["sha"])  # type: ignore[index]
        self.pull_request_event(number, head)
        return head

    def merge(self, number: int, *, approve_by: str | None = "grace") -> str:
        """Approve (unless ``approve_by`` is None), merge, and push the merge to main."""
        if approve_by is not None:
            self.data.add_review(number, approve_by, "APPROVED")
        pull = self.data.pull(number)
        assert pull is not None
        before = self.data.git.branches[pull["base"]["ref"]]
        sha = self.data.merge_pull(number)
        self.push_event(sha, before=before)
        return sha

    def comments(self, number: int) -> list[dict[str, Any]]:
        return self.data.issue_comments(number)

    def everything_posted(self) -> str:
        """Every comment, issue and summary text, for leak checks."""
        texts = [c["body"] for cs in self.data.comments.values() for c in cs]
        texts += [f"{i['title']}\n{i['body']}" for i in self.data.issues]
        if self.summary.exists():
            texts.append(self.summary.read_text())
        return "\n".join(texts)


@contextmanager
def actions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Actions]:
    data = GitHubData()
    with serve_in_thread(create_app(data)) as url:
        for name, value in {
            "GITHUB_TOKEN": SANDBOX_TOKEN,
            "GITHUB_REPOSITORY": data.repository,
            "GITHUB_API_URL": url,
            "GITHUB_SERVER_URL": "https://github.example",
            "GITHUB_RUN_ID": "4242",
            "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
            "GITHUB_ACTIONS": "true",
        }.items():
            monkeypatch.setenv(name, value)
        monkeypatch.chdir(tmp_path)  # the repository's checkout, as in a workflow
        yield Actions(data, url, tmp_path, monkeypatch)
