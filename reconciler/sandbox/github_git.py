"""The Git side of the GitHub emulator: commits holding whole trees, and branches.

Enough of Git for the contents and refs endpoints: every commit keeps its full
tree as ``{path: text}``; blob shas are computed as Git computes them
(``sha1("blob <size>\\0" + bytes)``), so a client may compare them with ``git
hash-object``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime

DEFAULT_BRANCH = "main"


def now() -> str:
    """The current time as GitHub writes it (ISO 8601, UTC, seconds)."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def blob_sha(text: str) -> str:
    """Git's object id for a blob holding ``text`` (UTF-8)."""
    data = text.encode()
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


@dataclass(frozen=True)
class Commit:
    """One commit: its whole tree, its parents, who made it and why."""

    sha: str
    tree: dict[str, str]
    parents: tuple[str, ...]
    message: str
    author: str
    date: str

    @property
    def tree_sha(self) -> str:
        """A stable id for the tree (not Git's, which needs tree objects)."""
        listing = "".join(f"{p}\0{blob_sha(t)}\n" for p, t in sorted(self.tree.items()))
        return hashlib.sha1(listing.encode(), usedforsecurity=False).hexdigest()


@dataclass
class GitStore:
    """Commits by sha and branches by name; ``main`` starts with one commit."""

    commits: dict[str, Commit] = field(default_factory=dict)
    branches: dict[str, str] = field(default_factory=dict)
    default_branch: str = DEFAULT_BRANCH
    _counter: int = 0

    def __post_init__(self) -> None:
        if not self.branches:
            root = self.commit({"README.md": "# people-config\n"}, (), "Initial commit", "octocat")
            self.branches[self.default_branch] = root.sha

    def commit(
        self, tree: dict[str, str], parents: tuple[str, ...], message: str, author: str
    ) -> Commit:
        """Store a new commit (not on any branch yet)."""
        self._counter += 1
        seed = f"{self._counter}\0{message}\0{','.join(parents)}\0{sorted(tree.items())}"
        sha = hashlib.sha1(seed.encode(), usedforsecurity=False).hexdigest()
        made = Commit(sha, dict(tree), parents, message, author, now())
        self.commits[sha] = made
        return made

    def resolve(self, ref: str | None) -> Commit | None:
        """The commit a branch name, ``heads/<name>``, ``refs/heads/<name>`` or sha names."""
        name = ref or self.default_branch
        name = name.removeprefix("refs/").removeprefix("heads/")
        sha = self.branches.get(name, name)
        return self.commits.get(sha)

    def change(
        self, branch: str, files: dict[str, str | None], message: str, author: str
    ) -> Commit:
        """Commit ``files`` (``None`` deletes) on top of ``branch`` and move the branch."""
        parent = self.commits[self.branches[branch]]
        tree = dict(parent.tree)
        for path, text in files.items():
            if text is None:
                tree.pop(path, None)
            else:
                tree[path] = text
        made = self.commit(tree, (parent.sha,), message, author)
        self.branches[branch] = made.sha
        return made

    def is_ancestor(self, old: str, new: str) -> bool:
        """Whether ``old`` is reachable from ``new`` (a fast-forward from old to new)."""
        seen: set[str] = set()
        todo = [new]
        while todo:
            sha = todo.pop()
            if sha == old:
                return True
            if sha in seen or sha not in self.commits:
                continue
            seen.add(sha)
            todo.extend(self.commits[sha].parents)
        return False

    def log(self, sha: str) -> list[Commit]:
        """Every commit reachable from ``sha``, newest first, as ``git log`` lists them:
        by date, and commits of the same second in the order they were made."""
        order = {key: n for n, key in enumerate(self.commits)}
        seen: set[str] = set()
        todo = [sha]
        while todo:
            current = todo.pop()
            if current in seen or current not in self.commits:
                continue
            seen.add(current)
            todo.extend(self.commits[current].parents)
        found = [self.commits[s] for s in seen]
        return sorted(found, key=lambda c: (c.date, order[c.sha]), reverse=True)

    def changed_files(self, commit: Commit) -> list[tuple[str, str]]:
        """``(path, status)`` against the first parent: added, modified or removed."""
        before = self.commits[commit.parents[0]].tree if commit.parents else {}
        after = commit.tree
        found = []
        for path in sorted(set(before) | set(after)):
            if path not in before:
                found.append((path, "added"))
            elif path not in after:
                found.append((path, "removed"))
            elif before[path] != after[path]:
                found.append((path, "modified"))
        return found
