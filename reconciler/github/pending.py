"""The records of prepared uploads in GitHub Actions: a file on its own branch.

A runner is fresh every time: the folder an apply prepared leaves with the job (as an
encrypted artifact), so its record must live where the next run, on another runner,
reads it. That is the repository, but not the default branch: the apply job would
need a way around its protection (required reviews, required checks), which is the
very guard a reviewed plan relies on. So the record is committed, through the contents
API, to ``reconciler/pending/<config>`` (made from the default branch the first time),
at the same path as beside the config (``company.pending.json``). Writing needs
``contents: write`` in the apply job and no ruleset blocking that branch; reading needs
``contents: read``, which every job has. A record an admin's apply left beside the
config and committed is in the checkout: it is read too, so a run in CI sees what was
prepared on a machine.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from reconciler.domain.pending import UploadRecord, pending_branch, records_text
from reconciler.errors import GitHubError, TargetError
from reconciler.github.context import ActionsContext
from reconciler.github.publish import client_for
from reconciler.targets.ledgy.pending_store import FileStore, merged, parsed

WRITE_REMEDY = (
    "give the apply job `contents: write` (the reconciler's reusable apply workflow "
    "has it; a caller workflow must grant it too), and let no ruleset block pushes to "
    "{branch}; then apply again"
)


@dataclass
class BranchStore:
    """``<config stem>.pending.json`` on ``reconciler/pending/<config>``, via the API."""

    ctx: ActionsContext
    path: str
    """The record file's path in the repository (``company.pending.json``)."""
    checkout: Path | None = None
    """The same file in the job's checkout (committed with the config), read too."""
    local_only: bool = False

    @property
    def branch(self) -> str:
        return pending_branch(self.path)

    @property
    def where(self) -> str:
        return f"{self.path} on the branch {self.branch}"

    @property
    def run_url(self) -> str | None:
        return self.ctx.run_url

    async def load(self) -> tuple[UploadRecord, ...]:
        try:
            async with client_for(self.ctx) as client:
                found = await client.get_file(self.path, self.branch)
        except GitHubError as error:
            raise TargetError(
                f"{self.where}: the record of pending uploads cannot be read "
                f"({error.message}); nothing was planned, so no one is prepared twice",
                remedy="give the job `contents: read` and GITHUB_TOKEN, then run it again",
            ) from None
        kept = parsed(found.text, self.where) if found is not None else ()
        if self.checkout is None:
            return kept
        committed = await FileStore(self.checkout, read_remote=False).load()
        return merged(kept, committed)

    async def save(self, records: Sequence[UploadRecord]) -> None:
        text = records_text(records)
        try:
            async with client_for(self.ctx) as client:
                if await client.get_ref(self.branch) is None:
                    base = (await client.repo()).default_branch
                    head = await client.get_ref(base)
                    if head is None:
                        raise GitHubError(f"the default branch {base} does not exist")
                    await client.create_ref(self.branch, head.sha)
                current = await client.get_file(self.path, self.branch)
                if current is not None and current.text == text:
                    return
                labels = ", ".join(r.label for r in records) or "none"
                await client.put_file(
                    self.path,
                    text,
                    message=f"reconciler: uploads awaiting Ledgy for {self.path} ({labels})",
                    branch=self.branch,
                    sha=current.sha if current is not None else None,
                )
        except GitHubError as error:
            raise TargetError(
                f"{self.where}: the record of this upload cannot be kept ({error.message}); "
                "nothing was prepared, so no later run can prepare these people twice",
                remedy=WRITE_REMEDY.format(branch=self.branch),
            ) from None
