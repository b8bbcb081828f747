"""The emulator's Git store on its own: blob ids as Git's, ancestry, changed files.

(The endpoint modules, ``github_issues``, ``github_pulls``, ``github_repo``, are
exercised over HTTP in ``test_github.py``, ``test_github_pygithub.py`` and
``test_github_schema.py``.)
"""

from __future__ import annotations

from reconciler.sandbox.github_git import GitStore, blob_sha


def test_blob_ids_are_gits() -> None:
    assert blob_sha("") == "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391"
    assert blob_sha("hello\n") == "ce013625030ba8dba906f756967f9e9ca394464a"


def test_a_branch_moves_forward_and_ancestry_is_followed_through_merges() -> None:
    git = GitStore()
    root = git.branches["main"]
    one = git.change("main", {"a.yaml": "1\n"}, "one", "ada")
    git.branches["side"] = one.sha
    two = git.change("side", {"b.yaml": "2\n", "README.md": None}, "two", "ada")
    merge = git.commit(two.tree, (one.sha, two.sha), "merge", "ada")
    assert git.is_ancestor(root, merge.sha) and git.is_ancestor(two.sha, merge.sha)
    assert not git.is_ancestor(two.sha, one.sha)
    assert git.changed_files(two) == [("README.md", "removed"), ("b.yaml", "added")]
    assert git.changed_files(merge) == git.changed_files(two)
    assert git.resolve("refs/heads/side") == two and git.resolve(one.sha) == one
    assert git.resolve("nope") is None


def test_the_same_change_twice_makes_two_commits() -> None:
    git = GitStore()
    first = git.change("main", {"a": "1"}, "m", "ada")
    second = git.change("main", {"a": "1"}, "m", "ada")
    assert first.sha != second.sha and git.changed_files(second) == []
    assert first.tree_sha == second.tree_sha
