"""The GitHub emulator's repository endpoints: Git refs, contents, commits, settings.

Refs as ``/git/ref/heads/<b>`` (get), ``/git/refs`` (create) and
``/git/refs/heads/<b>`` (get, update with the fast-forward rule, delete);
contents with GitHub's blob-sha precondition (422 without ``sha`` for an
existing file, 409 for a stale one) and GitHub's sizes: a file over 1 MB comes
with ``"encoding": "none"`` and no content unless the raw media type is asked for,
which answers the bytes; over 100 MB it is a 403 ``too_large``
(https://docs.github.com/en/rest/repos/contents#get-repository-content);
environments, secrets by name only, and branch protection (admins only, 404
"Branch not protected" when off).
"""

from __future__ import annotations

import base64
import binascii
from typing import TYPE_CHECKING

from starlette.requests import Request

from reconciler.domain.json import Json
from reconciler.sandbox import github_shapes as shapes
from reconciler.sandbox.github_api import (
    Caller,
    Reply,
    counted_page,
    failed,
    invalid,
    not_found,
    page,
)
from reconciler.sandbox.github_git import Commit, blob_sha

if TYPE_CHECKING:
    from reconciler.sandbox.github import GitHubData

BRANCH_PREFIX = "heads/"
RAW_TYPES = frozenset(
    {
        "application/vnd.github.raw",
        "application/vnd.github.raw+json",
        "application/vnd.github.v3.raw",
        "application/vnd.github.v3.raw+json",
    }
)
"""The ``Accept`` values that ask for a file's bytes."""


class Repo:
    """Git data and repository settings."""

    def __init__(self, data: GitHubData) -> None:
        self.data = data
        self.git = data.git

    @property
    def name(self) -> str:
        return self.data.repository

    async def repository(self, who: Caller, request: Request) -> Reply:
        return Reply(self.data.repo)

    # -- refs ----------------------------------------------------------------

    def _ref(self, branch: str) -> Json:
        return shapes.ref(self.name, branch, self.git.branches[branch])

    async def get_ref(self, who: Caller, request: Request) -> Reply:
        """``GET /git/ref/{ref}``: one reference, or 404."""
        branch = _branch(request.path_params["ref"])
        if branch is None or branch not in self.git.branches:
            return not_found()
        return Reply(self._ref(branch))

    async def refs(self, who: Caller, request: Request) -> Reply:
        """``/git/refs/{ref}``: get (exact match, else the matching list), update, delete."""
        name = request.path_params["ref"]
        branch = _branch(name)
        if request.method == "GET" and branch not in self.git.branches:
            prefix = "refs/" + name
            found = [
                self._ref(b)
                for b in sorted(self.git.branches)
                if f"refs/heads/{b}".startswith(prefix)
            ]
            return Reply(found) if found else not_found()
        if branch is None or branch not in self.git.branches:
            return invalid("Reference does not exist")
        if request.method == "GET":
            return Reply(self._ref(branch))
        if request.method == "DELETE":
            del self.git.branches[branch]
            return Reply(None, 204)
        body = await request.json()
        sha = str(body.get("sha") or "")
        if sha not in self.git.commits:
            return invalid("Object does not exist")
        if not body.get("force") and not self.git.is_ancestor(self.git.branches[branch], sha):
            return invalid("Update is not a fast forward")
        self.git.branches[branch] = sha
        return Reply(self._ref(branch))

    async def all_refs(self, who: Caller, request: Request) -> Reply:
        """``/git/refs``: list every branch, or create one."""
        if request.method == "GET":
            return page(request, [self._ref(b) for b in sorted(self.git.branches)])
        if not who.push:  # a token with `contents: read` only
            return who.no_push()
        body = await request.json()
        ref, sha = str(body.get("ref") or ""), str(body.get("sha") or "")
        if not ref.startswith("refs/") or ref.count("/") < 2:
            return invalid("Reference name must start with 'refs/' and have at least two slashes.")
        branch = _branch(ref.removeprefix("refs/"))
        if branch is None:
            return invalid("Only branch references are emulated")
        if branch in self.git.branches:
            return invalid("Reference already exists")
        if sha not in self.git.commits:
            return invalid("Object does not exist")
        self.git.branches[branch] = sha
        return Reply(self._ref(branch), 201)

    # -- contents ------------------------------------------------------------

    async def contents(self, who: Caller, request: Request) -> Reply:
        path = request.path_params["path"].strip("/")
        if request.method == "PUT":
            if not who.push:  # a token with `contents: read` only
                return who.no_push()
            return self._put(who, path, await request.json())
        ref = request.query_params.get("ref") or self.git.default_branch
        made = self.git.resolve(ref)
        if made is None:
            return not_found(f"No commit found for the ref {ref}")
        if path in made.tree:
            return self._file(request, path, made.tree[path], ref)
        inside = sorted(p for p in made.tree if p.startswith(path + "/") or not path)
        if not inside:
            return not_found()
        return Reply([self._entry(made, path, p, ref) for p in _children(path, inside)])

    def _file(self, request: Request, path: str, text: str, ref: str) -> Reply:
        data = text.encode()
        if len(data) > self.data.max_file:
            reply = failed("Blob", "too_large", field="data")
            reply.status = 403
            reply.body["message"] = (
                "This API returns blobs up to 100 MB in size. The requested blob is too large "
                "to fetch via the API, but you can use the Git Data API to request blobs up to "
                "100 MB in size."
            )
            return reply
        if _wants_raw(request):
            return Reply(None, raw=data)
        return Reply(shapes.content(self.name, path, text, ref))

    def _entry(self, made: Commit, folder: str, child: str, ref: str) -> Json:
        full = f"{folder}/{child}".strip("/")
        if full in made.tree:
            listed = shapes.content(self.name, full, made.tree[full], ref, inline=False)
            return {k: v for k, v in listed.items() if k != "encoding"} | {"content": None}
        return {
            "type": "dir",
            "name": child,
            "path": full,
            "sha": blob_sha(full),
            "url": f"{shapes.API}/repos/{self.name}/contents/{full}?ref={ref}",
            "html_url": f"{shapes.WEB}/{self.name}/tree/{ref}/{full}",
        }

    def _put(self, who: Caller, path: str, body: Json) -> Reply:
        message = body.get("message")
        if not message:
            return invalid('Invalid request.\n\n"message" wasn\'t supplied.')
        try:
            text = base64.b64decode(str(body.get("content", "")), validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            return invalid("content is not valid Base64")
        branch = str(body.get("branch") or self.git.default_branch)
        if branch not in self.git.branches:
            return not_found(f"Branch {branch} not found")
        current = self.git.commits[self.git.branches[branch]].tree.get(path)
        sha = body.get("sha")
        if current is not None and not sha:
            return invalid('Invalid request.\n\n"sha" wasn\'t supplied.')
        if current is not None and sha != blob_sha(current):
            return invalid(f"{path} does not match {sha}", 409)
        made = self.git.change(branch, {path: text}, str(message), who.user["login"])
        answer = {
            "content": shapes.content(self.name, path, text, branch),
            "commit": _git_commit(self.name, made, who.user),
        }
        return Reply(answer, 201 if current is None else 200)

    # -- commits -------------------------------------------------------------

    async def commits(self, who: Caller, request: Request) -> Reply:
        """``GET /commits?sha=``: the history from a branch or commit (the default branch
        if none), newest first, paged."""
        ref = request.query_params.get("sha")
        start = self.git.resolve(ref)
        if start is None:
            return not_found(f"No commit found for SHA: {ref}")
        listed = [
            shapes.listed_commit(self.name, made, self.data.user(made.author), self.git)
            for made in self.git.log(start.sha)
        ]
        return page(request, listed)

    async def commit(self, who: Caller, request: Request) -> Reply:
        ref = request.path_params["ref"]
        made = self.git.resolve(ref)
        if made is None:
            return invalid(f"No commit found for SHA: {ref}")
        return Reply(shapes.commit(self.name, made, self.data.user(made.author), self.git))

    # -- settings ------------------------------------------------------------

    def _environment(self, name: str) -> Json:
        number = 7000 + sorted(self.data.environments).index(name)
        return {
            "id": number,
            "node_id": shapes.node_id("Environment", number),
            "name": name,
            "url": f"{shapes.API}/repos/{self.name}/environments/{name}",
            "html_url": f"{shapes.WEB}/{self.name}/deployments/{name}",
            "created_at": "2024-01-02T09:00:00Z",
            "updated_at": "2024-01-02T09:00:00Z",
            "protection_rules": [],
            "deployment_branch_policy": self.data.branch_policies.get(name),
        }

    async def environments(self, who: Caller, request: Request) -> Reply:
        found = [self._environment(n) for n in sorted(self.data.environments)]
        return counted_page(request, "environments", found)

    async def environment_secrets(self, who: Caller, request: Request) -> Reply:
        name = request.path_params["name"]
        if name not in self.data.environments:
            return not_found()
        if not who.admin:
            return who.forbidden()
        return counted_page(request, "secrets", _secrets(self.data.environments[name]))

    async def repo_secrets(self, who: Caller, request: Request) -> Reply:
        if not who.admin:
            return who.forbidden()
        return counted_page(request, "secrets", _secrets(self.data.repo_secrets))

    async def workflow_permissions(self, who: Caller, request: Request) -> Reply:
        if not who.admin:
            return who.forbidden()
        return Reply(dict(self.data.workflow_permissions))

    async def protection(self, who: Caller, request: Request) -> Reply:
        branch = request.path_params["branch"]
        if branch not in self.git.branches:
            return not_found("Branch not found")
        if not who.admin:
            return who.forbidden()
        rules = self.data.protection.get(branch)
        return Reply(rules) if rules is not None else not_found("Branch not protected")


def _wants_raw(request: Request) -> bool:
    """Whether the ``Accept`` header asks for the raw media type."""
    asked = request.headers.get("accept", "").split(",")
    return any(a.split(";")[0].strip().lower() in RAW_TYPES for a in asked)


def _branch(ref: str) -> str | None:
    """``heads/<b>`` → ``<b>``; anything else (tags, notes) is not emulated."""
    ref = ref.removeprefix("refs/")
    return ref.removeprefix(BRANCH_PREFIX) if ref.startswith(BRANCH_PREFIX) else None


def _children(folder: str, paths: list[str]) -> list[str]:
    depth = len(folder.split("/")) if folder else 0
    return sorted({p.split("/")[depth] for p in paths})


def _secrets(names: list[str]) -> list[Json]:
    at = "2024-01-02T09:00:00Z"
    return [{"name": n, "created_at": at, "updated_at": at} for n in sorted(set(names))]


def _git_commit(full_name: str, made: Commit, author: Json) -> Json:
    """A commit as the contents endpoint describes the one it made."""
    person = {
        "name": author["login"],
        "email": f"{author['login']}@users.example",
        "date": made.date,
    }
    api = f"{shapes.API}/repos/{full_name}/git/commits/{made.sha}"
    return {
        "sha": made.sha,
        "node_id": shapes.node_id("Commit", made.sha),
        "url": api,
        "html_url": f"{shapes.WEB}/{full_name}/commit/{made.sha}",
        "author": person,
        "committer": person,
        "message": made.message,
        "tree": {
            "url": f"{shapes.API}/repos/{full_name}/git/trees/{made.tree_sha}",
            "sha": made.tree_sha,
        },
        "parents": [
            {
                "url": f"{shapes.API}/repos/{full_name}/git/commits/{p}",
                "html_url": f"{shapes.WEB}/{full_name}/commit/{p}",
                "sha": p,
            }
            for p in made.parents
        ],
        "verification": shapes.UNSIGNED,
    }
