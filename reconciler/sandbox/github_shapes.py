"""The JSON objects of the GitHub emulator, shaped as GitHub's REST reference documents them.

Users, repositories, issues, comments, pull requests, reviews, refs, contents and
commits carry their ``url``/``html_url``/``node_id``, timestamps and full user
objects, so an independent client (PyGithub) can follow them. API URLs are
written against :data:`API`, a placeholder origin the app swaps for the address
each request came in on (see :func:`resolve_urls`).
"""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from reconciler.domain.json import Json
from reconciler.sandbox.github_git import Commit, GitStore, blob_sha, now

API = "http://api.github.emulator"
"""Placeholder origin of API URLs; answers carry the real loopback address instead."""
WEB = "https://github.example"
UNSIGNED: Json = {
    "verified": False,
    "reason": "unsigned",
    "signature": None,
    "payload": None,
    "verified_at": None,
}


def node_id(kind: str, number: int | str) -> str:
    """An opaque global id, as GitHub's ``node_id`` (stable for the same object)."""
    return base64.b64encode(f"0:{kind}{number}".encode()).decode().rstrip("=")


def user(login: str, number: int, kind: str = "User", *, admin: bool = False) -> Json:
    """A full user object (``kind`` is ``User``, ``Bot`` or ``Organization``)."""
    api = f"{API}/users/{login}"
    return {
        "login": login,
        "id": number,
        "node_id": node_id(kind, number),
        "avatar_url": f"https://avatars.example/u/{number}?v=4",
        "gravatar_id": "",
        "url": api,
        "html_url": f"{WEB}/{login.replace('[bot]', '')}"
        if kind != "Bot"
        else f"{WEB}/apps/{login.removesuffix('[bot]')}",
        "followers_url": f"{api}/followers",
        "following_url": f"{api}/following{{/other_user}}",
        "gists_url": f"{api}/gists{{/gist_id}}",
        "starred_url": f"{api}/starred{{/owner}}{{/repo}}",
        "subscriptions_url": f"{api}/subscriptions",
        "organizations_url": f"{api}/orgs",
        "repos_url": f"{api}/repos",
        "events_url": f"{api}/events{{/privacy}}",
        "received_events_url": f"{api}/received_events",
        "type": kind,
        "user_view_type": "public",
        "site_admin": False,
    }


_REPO_LINKS = {
    "archive_url": "/{archive_format}{/ref}",
    "assignees_url": "/assignees{/user}",
    "blobs_url": "/git/blobs{/sha}",
    "branches_url": "/branches{/branch}",
    "collaborators_url": "/collaborators{/collaborator}",
    "comments_url": "/comments{/number}",
    "commits_url": "/commits{/sha}",
    "compare_url": "/compare/{base}...{head}",
    "contents_url": "/contents/{+path}",
    "contributors_url": "/contributors",
    "deployments_url": "/deployments",
    "downloads_url": "/downloads",
    "events_url": "/events",
    "forks_url": "/forks",
    "git_commits_url": "/git/commits{/sha}",
    "git_refs_url": "/git/refs{/sha}",
    "git_tags_url": "/git/tags{/sha}",
    "hooks_url": "/hooks",
    "issue_comment_url": "/issues/comments{/number}",
    "issue_events_url": "/issues/events{/number}",
    "issues_url": "/issues{/number}",
    "keys_url": "/keys{/key_id}",
    "labels_url": "/labels{/name}",
    "languages_url": "/languages",
    "merges_url": "/merges",
    "milestones_url": "/milestones{/number}",
    "notifications_url": "/notifications{?since,all,participating}",
    "pulls_url": "/pulls{/number}",
    "releases_url": "/releases{/id}",
    "stargazers_url": "/stargazers",
    "statuses_url": "/statuses/{sha}",
    "subscribers_url": "/subscribers",
    "subscription_url": "/subscription",
    "tags_url": "/tags",
    "teams_url": "/teams",
    "trees_url": "/git/trees{/sha}",
}


def repository(full_name: str, owner: Json, default_branch: str) -> Json:
    """The repository object (the "full-repository" schema)."""
    api = f"{API}/repos/{full_name}"
    web = f"{WEB}/{full_name}"
    at = "2024-01-02T09:00:00Z"
    return {
        "id": 4242,
        "node_id": node_id("Repository", 4242),
        "name": full_name.split("/")[1],
        "full_name": full_name,
        "owner": owner,
        "private": True,
        "html_url": web,
        "description": "Who holds equity, as code",
        "fork": False,
        "url": api,
        **{key: api + tail for key, tail in _REPO_LINKS.items()},
        "git_url": f"git://github.example/{full_name}.git",
        "ssh_url": f"git@github.example:{full_name}.git",
        "clone_url": f"{web}.git",
        "svn_url": web,
        "mirror_url": None,
        "homepage": None,
        "language": "YAML",
        "size": 12,
        "forks": 0,
        "forks_count": 0,
        "stargazers_count": 0,
        "watchers": 0,
        "watchers_count": 0,
        "subscribers_count": 1,
        "network_count": 0,
        "open_issues": 0,
        "open_issues_count": 0,
        "license": None,
        "topics": [],
        "default_branch": default_branch,
        "visibility": "private",
        "is_template": False,
        "archived": False,
        "disabled": False,
        "has_issues": True,
        "has_projects": False,
        "has_wiki": False,
        "has_pages": False,
        "has_downloads": False,
        "has_discussions": False,
        "allow_forking": False,
        "web_commit_signoff_required": False,
        "created_at": at,
        "updated_at": at,
        "pushed_at": at,
        "permissions": {
            "admin": False,
            "maintain": False,
            "push": True,
            "triage": True,
            "pull": True,
        },
    }


def profile(person: Json) -> Json:
    """A user with the public profile fields ``GET /user`` adds."""
    return person | {
        "name": None,
        "company": None,
        "blog": "",
        "location": None,
        "email": None,
        "hireable": None,
        "bio": None,
        "public_repos": 0,
        "public_gists": 0,
        "followers": 0,
        "following": 0,
        "created_at": "2024-01-02T09:00:00Z",
        "updated_at": "2024-01-02T09:00:00Z",
    }


def reactions(url: str) -> Json:
    """An empty reaction rollup."""
    counts = dict.fromkeys(
        ("+1", "-1", "laugh", "hooray", "confused", "heart", "rocket", "eyes"), 0
    )
    return {"url": f"{url}/reactions", "total_count": 0, **counts}


def label(full_name: str, name: str, color: str = "ededed", description: str | None = None) -> Json:
    """A label object."""
    number = int(hashlib.sha1(name.encode(), usedforsecurity=False).hexdigest()[:8], 16)
    return {
        "id": number,
        "node_id": node_id("Label", number),
        "url": f"{API}/repos/{full_name}/labels/{name}",
        "name": name,
        "color": color,
        "default": False,
        "description": description,
        "archived_at": None,
        "archived_by": None,
    }


def issue(full_name: str, number: int, ident: int, author: Json, at: str, **fields: Any) -> Json:
    """An issue object (``fields``: title, body, labels)."""
    api = f"{API}/repos/{full_name}/issues/{number}"
    return {
        "id": ident,
        "node_id": node_id("Issue", ident),
        "url": api,
        "repository_url": f"{API}/repos/{full_name}",
        "labels_url": f"{api}/labels{{/name}}",
        "comments_url": f"{api}/comments",
        "events_url": f"{api}/events",
        "html_url": f"{WEB}/{full_name}/issues/{number}",
        "number": number,
        "state": "open",
        "state_reason": None,
        "title": fields["title"],
        "body": fields.get("body", ""),
        "user": author,
        "labels": [
            found if isinstance(found, dict) else label(full_name, found)
            for found in fields.get("labels", [])
        ],
        "assignee": None,
        "assignees": [],
        "milestone": None,
        "locked": False,
        "active_lock_reason": None,
        "comments": 0,
        "created_at": at,
        "updated_at": at,
        "closed_at": None,
        "closed_by": None,
        "author_association": "NONE" if author["type"] == "Bot" else "MEMBER",
        "reactions": reactions(api),
    }


def comment(full_name: str, page: str, number: int, ident: int, author: Json, body: str) -> Json:
    """An issue comment; ``page`` is ``issues`` or ``pull`` (where its html_url points)."""
    api = f"{API}/repos/{full_name}/issues/comments/{ident}"
    at = now()
    return {
        "id": ident,
        "node_id": node_id("IssueComment", ident),
        "url": api,
        "html_url": f"{WEB}/{full_name}/{page}/{number}#issuecomment-{ident}",
        "issue_url": f"{API}/repos/{full_name}/issues/{number}",
        "body": body,
        "user": author,
        "created_at": at,
        "updated_at": at,
        "author_association": "NONE" if author["type"] == "Bot" else "MEMBER",
        "performed_via_github_app": None,
        "reactions": reactions(api),
    }


def branch_side(full_name: str, owner: Json, repo: Json, ref: str, sha: str) -> Json:
    """The ``head`` or ``base`` of a pull request."""
    return {
        "label": f"{owner['login']}:{ref}",
        "ref": ref,
        "sha": sha,
        "user": owner,
        "repo": repo,
    }


def pull(full_name: str, number: int, ident: int, author: Json, at: str, **fields: Any) -> Json:
    """A pull request object (``fields``: title, body, head, base: branch sides)."""
    api = f"{API}/repos/{full_name}/pulls/{number}"
    issue_api = f"{API}/repos/{full_name}/issues/{number}"
    html = f"{WEB}/{full_name}/pull/{number}"
    return {
        "url": api,
        "id": ident,
        "node_id": node_id("PullRequest", ident),
        "html_url": html,
        "diff_url": f"{html}.diff",
        "patch_url": f"{html}.patch",
        "issue_url": issue_api,
        "commits_url": f"{api}/commits",
        "review_comments_url": f"{api}/comments",
        "review_comment_url": f"{API}/repos/{full_name}/pulls/comments{{/number}}",
        "comments_url": f"{issue_api}/comments",
        "statuses_url": f"{API}/repos/{full_name}/statuses/{fields['head']['sha']}",
        "number": number,
        "state": "open",
        "locked": False,
        "title": fields["title"],
        "user": author,
        "body": fields.get("body", ""),
        "labels": [],
        "milestone": None,
        "active_lock_reason": None,
        "created_at": at,
        "updated_at": at,
        "closed_at": None,
        "merged_at": None,
        "merge_commit_sha": None,
        "assignee": None,
        "assignees": [],
        "requested_reviewers": [],
        "requested_teams": [],
        "head": fields["head"],
        "base": fields["base"],
        "_links": {
            "self": {"href": api},
            "html": {"href": html},
            "issue": {"href": issue_api},
            "comments": {"href": f"{issue_api}/comments"},
            "review_comments": {"href": f"{api}/comments"},
            "commits": {"href": f"{api}/commits"},
            "statuses": {"href": f"{API}/repos/{full_name}/statuses/{fields['head']['sha']}"},
            "review_comment": {"href": f"{API}/repos/{full_name}/pulls/comments{{/number}}"},
        },
        "author_association": "NONE" if author["type"] == "Bot" else "MEMBER",
        "auto_merge": None,
        "draft": False,
        "merged": False,
        "mergeable": True,
        "rebaseable": True,
        "mergeable_state": "clean",
        "merged_by": None,
        "comments": 0,
        "review_comments": 0,
        "maintainer_can_modify": False,
        "commits": 1,
        "additions": 0,
        "deletions": 0,
        "changed_files": 0,
    }


def issue_of_pull(pr: Json) -> Json:
    """A pull request as the issues endpoints list it (with a ``pull_request`` key)."""
    api = pr["issue_url"]
    found = {
        "id": pr["id"],
        "node_id": pr["node_id"],
        "url": api,
        "repository_url": api.rsplit("/issues/", 1)[0],
        "labels_url": f"{api}/labels{{/name}}",
        "comments_url": f"{api}/comments",
        "events_url": f"{api}/events",
        "html_url": pr["html_url"],
        "number": pr["number"],
        "state": pr["state"],
        "state_reason": None,
        "title": pr["title"],
        "body": pr["body"],
        "user": pr["user"],
        "labels": pr["labels"],
        "assignee": None,
        "assignees": [],
        "milestone": None,
        "locked": False,
        "active_lock_reason": None,
        "comments": pr["comments"],
        "created_at": pr["created_at"],
        "updated_at": pr["updated_at"],
        "closed_at": pr["closed_at"],
        "author_association": pr["author_association"],
        "draft": False,
        "pull_request": {
            "url": pr["url"],
            "html_url": pr["html_url"],
            "diff_url": pr["diff_url"],
            "patch_url": pr["patch_url"],
            "merged_at": pr["merged_at"],
        },
        "reactions": reactions(api),
    }
    return found


def review(pr: Json, ident: int, author: Json, state: str, commit_id: str, body: str) -> Json:
    """A pull request review."""
    html = f"{pr['html_url']}#pullrequestreview-{ident}"
    return {
        "id": ident,
        "node_id": node_id("PullRequestReview", ident),
        "user": author,
        "body": body,
        "state": state,
        "html_url": html,
        "pull_request_url": pr["url"],
        "author_association": "NONE" if author["type"] == "Bot" else "MEMBER",
        "_links": {"html": {"href": html}, "pull_request": {"href": pr["url"]}},
        "submitted_at": now(),
        "commit_id": commit_id,
    }


def ref(full_name: str, branch: str, sha: str) -> Json:
    """A Git reference to a branch."""
    return {
        "ref": f"refs/heads/{branch}",
        "node_id": node_id("Ref", f"{branch}"),
        "url": f"{API}/repos/{full_name}/git/refs/heads/{branch}",
        "object": {
            "type": "commit",
            "sha": sha,
            "url": f"{API}/repos/{full_name}/git/commits/{sha}",
        },
    }


INLINE_LIMIT = 1024 * 1024
"""Past this many bytes the JSON form of a file has no content (``encoding: none``)."""


def content(
    full_name: str, path: str, text: str, ref_name: str, *, inline: bool | None = None
) -> Json:
    """A file as the contents endpoint returns it: base64 in lines of 60 as GitHub, or,
    over 1 MB (or with ``inline`` False), ``"encoding": "none"`` and empty content
    (https://docs.github.com/en/rest/repos/contents#get-repository-content)."""
    sha = blob_sha(text)
    size = len(text.encode())
    if inline is None:
        inline = size <= INLINE_LIMIT
    encoded = base64.b64encode(text.encode()).decode() if inline else ""
    wrapped = "".join(encoded[i : i + 60] + "\n" for i in range(0, len(encoded), 60))
    api = f"{API}/repos/{full_name}/contents/{path}?ref={ref_name}"
    html = f"{WEB}/{full_name}/blob/{ref_name}/{path}"
    git = f"{API}/repos/{full_name}/git/blobs/{sha}"
    return {
        "type": "file",
        "encoding": "base64" if inline else "none",
        "size": size,
        "name": path.rsplit("/", 1)[-1],
        "path": path,
        "content": wrapped,
        "sha": sha,
        "url": api,
        "git_url": git,
        "html_url": html,
        "download_url": f"https://raw.github.example/{full_name}/{ref_name}/{path}",
        "_links": {"self": api, "git": git, "html": html},
    }


def commit(full_name: str, made: Commit, author: Json, store: GitStore) -> Json:
    """A commit as ``GET /repos/{owner}/{repo}/commits/{ref}`` returns it, with ``files``."""
    api = f"{API}/repos/{full_name}/commits/{made.sha}"
    person = {
        "name": author["login"],
        "email": f"{author['login']}@users.example",
        "date": made.date,
    }
    files = []
    for path, status in store.changed_files(made):
        text = made.tree.get(path, "")
        files.append(
            {
                "sha": blob_sha(text) if status != "removed" else None,
                "filename": path,
                "status": status,
                "additions": 0 if status == "removed" else text.count("\n"),
                "deletions": 0,
                "changes": 0 if status == "removed" else text.count("\n"),
                "blob_url": f"{WEB}/{full_name}/blob/{made.sha}/{path}",
                "raw_url": f"{WEB}/{full_name}/raw/{made.sha}/{path}",
                "contents_url": f"{API}/repos/{full_name}/contents/{path}?ref={made.sha}",
            }
        )
    return {
        "sha": made.sha,
        "node_id": node_id("Commit", made.sha),
        "url": api,
        "html_url": f"{WEB}/{full_name}/commit/{made.sha}",
        "comments_url": f"{api}/comments",
        "commit": {
            "url": f"{API}/repos/{full_name}/git/commits/{made.sha}",
            "author": person,
            "committer": person,
            "message": made.message,
            "tree": {
                "url": f"{API}/repos/{full_name}/git/trees/{made.tree_sha}",
                "sha": made.tree_sha,
            },
            "comment_count": 0,
            "verification": UNSIGNED,
        },
        "author": author,
        "committer": author,
        "parents": [
            {
                "sha": p,
                "url": f"{API}/repos/{full_name}/commits/{p}",
                "html_url": f"{WEB}/{full_name}/commit/{p}",
            }
            for p in made.parents
        ],
        "stats": {"additions": 0, "deletions": 0, "total": 0},
        "files": files,
    }


def listed_commit(full_name: str, made: Commit, author: Json, store: GitStore) -> Json:
    """A commit as ``GET /repos/{owner}/{repo}/commits`` lists it: without ``files``
    and ``stats``."""
    whole = commit(full_name, made, author, store)
    return {key: value for key, value in whole.items() if key not in ("files", "stats")}


def resolve_urls(value: object, origin: str) -> object:
    """``value`` with every URL field's placeholder origin replaced by ``origin``."""
    if isinstance(value, list):
        return [resolve_urls(v, origin) for v in value]
    if not isinstance(value, dict):
        return value
    out: Json = {}
    for key, item in value.items():
        if isinstance(item, str) and (key.endswith("url") or key in ("href", "self", "git")):
            out[key] = item.replace(API, origin, 1) if item.startswith(API) else item
        else:
            out[key] = resolve_urls(item, origin)
    return out
