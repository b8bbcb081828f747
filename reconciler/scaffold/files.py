"""The files ``reconciler init`` scaffolds, rendered from the templates beside this module.

Rendering is pure: settings in, (path, text) pairs out. Every value that lands in a
YAML file is checked against a narrow pattern or quoted, so no name typed on the
command line can change the structure of a workflow.
"""

from __future__ import annotations

import json
import posixpath
import re
from dataclasses import dataclass
from importlib.resources import files
from pathlib import PurePosixPath

from reconciler.artifacts.encryption import IDENTITY_VARIABLE
from reconciler.artifacts.identity_files import IDENTITY_PATTERNS
from reconciler.config.matrix import APPLY_ENVIRONMENT as APPLY_ENVIRONMENT
from reconciler.config.matrix import PLAN_ENVIRONMENT as PLAN_ENVIRONMENT
from reconciler.config.matrix import environments
from reconciler.config.schema import DEFAULT_PATH, render_schema
from reconciler.errors import ReconcilerError
from reconciler.release import Source, is_repository, release_tag, schema_url

VERBS = ("plan", "apply", "sync")
# Status checks of the plan workflow, as GitHub names them: "<caller job> / <called job>"
# (reconciler-plan.yml's job, then reusable-plan.yml's). SETUP.md makes them required,
# `doctor` expects them, and `sync` reports them on its pull request, which no workflow
# runs on.
VALIDATE_CHECK = "reconciler plan / validate and rule tests"
PLAN_COMMENT_CHECK = "reconciler plan / plan comment"
PLAN_CHECKS = (VALIDATE_CHECK, PLAN_COMMENT_CHECK)
ALL_PLANS_CHECK = "reconciler plan"
"""With several configs, the check of the job that reports once every config's plan job
is done: the one check branch protection requires (the others are named per config)."""


def plan_checks(name: str | None) -> tuple[str, ...]:
    """The checks of a config's plan jobs: today's names with one config (``name`` None),
    else each named after the config, and the check of every config's."""
    if name is None:
        return PLAN_CHECKS
    caller = f"{ALL_PLANS_CHECK} {name}"
    return (
        VALIDATE_CHECK.replace(ALL_PLANS_CHECK, caller, 1),
        PLAN_COMMENT_CHECK.replace(ALL_PLANS_CHECK, caller, 1),
        ALL_PLANS_CHECK,
    )


def required_checks(matrix: bool) -> tuple[str, ...]:
    """The checks branch protection requires (SETUP.md names them, ``doctor`` expects
    them): the plan workflow's two with one config; with a job per config (``matrix``),
    the check of every config's, since each config's own are reported only on the pull
    requests that change it."""
    return (ALL_PLANS_CHECK,) if matrix else PLAN_CHECKS


RECOMMENDED_SECRETS = ("RECONCILER_PLAN_KEY",)
DEFAULT_SECRETS = ("CHARLIEHR_CLIENT_ID", "CHARLIEHR_CLIENT_SECRET")
EXPORT = "ledgy-export.xlsx"
OUT_DIR = "ledgy-upload"
JOURNAL = ".reconciler/"
"""The local journal of applies (work emails), under the directory a run starts in:
not anchored, so a run started next to a config in a folder is covered too."""

WORKFLOWS = PurePosixPath(".github/workflows")
MATRIX_MARK = "reusable-configs.yml"
"""What the workflows that run a job per config call."""
_PATH = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._/-]*\.ya?ml")
_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._/-]*")
_TOKEN = re.compile(r"@([A-Z_]+)@")
_AGE_RECIPIENT = re.compile(r"age1[0-9a-z]{58}")
_SHA = re.compile(r"[0-9a-fA-F]{40}")
_SHORT_SHA = re.compile(r"[0-9a-fA-F]{4,39}")
# What the `uses:` lines say while nobody has said where the adopter's copy lives.
PLACEHOLDER = "OWNER/REPO"
TODO = "# TODO: set the repository your copy of the reconciler lives in"
WHY_SHA = (
    "pin by the full 40-character commit SHA: anyone who can push to that repository can "
    "move a tag or a branch to other code, which the next run would execute with your "
    "CharlieHR and Ledgy credentials, and GitHub refuses short SHAs; a commit cannot change "
    "(`git rev-parse vX.Y.Z^{commit}` gives the SHA of a release tag)"
)


@dataclass(frozen=True, slots=True)
class Pin:
    """The repository and commit of the reconciler the scaffolded workflows call."""

    ref: str
    label: str
    tag: str | None = None
    repository: str | None = None
    """OWNER/REPO; None while unknown: the workflows then say TODO."""


@dataclass(frozen=True, slots=True)
class Scaffold:
    """What the adopter chose: the config's path in the repository, names, the pin."""

    config: str
    company: str
    branch: str
    pin: Pin
    recipients: tuple[str, ...] = ()
    """age public keys the Ledgy export is encrypted to in Git (CI's and admins')."""
    name: str | None = None
    """The config's name in reconciler.yaml; ``None`` with one config and no index."""

    @property
    def several(self) -> bool:
        """Whether the repository declares its configs in reconciler.yaml."""
        return self.name is not None

    @property
    def environments(self) -> tuple[str, str]:
        """The GitHub environments of its plan and sync jobs, and of its applies."""
        if self.name is None:
            return PLAN_ENVIRONMENT, APPLY_ENVIRONMENT
        return environments(self.name)

    @property
    def secrets(self) -> tuple[str, ...]:
        """The secrets the scaffolded config names, and the age identity CI decrypts with."""
        return (*DEFAULT_SECRETS, IDENTITY_VARIABLE)


@dataclass(frozen=True, slots=True)
class ScaffoldFile:
    """One file to write, by its path relative to the repository root."""

    path: PurePosixPath
    text: str


def parse_action(text: str) -> Source:
    """Return the repository and commit of ``--action OWNER/REPO@SHA``; refuse anything else."""
    repository, at, ref = text.partition("@")
    if not is_repository(repository):
        raise ReconcilerError(
            f"--action {text!r}: {repository!r} is not a GitHub repository (OWNER/REPO)",
            remedy="give the repository your copy of the reconciler lives in and the full "
            "commit SHA of a release: --action OWNER/REPO@SHA",
        )
    if not at:
        raise ReconcilerError(
            f"--action {text!r}: no commit after the repository", remedy=f"add @SHA: {WHY_SHA}"
        )
    return Source(repository, checked_sha("--action", ref))


def checked_sha(option: str, ref: str) -> str:
    """Return ``ref`` (lower case) if it is a full commit SHA; refuse a tag, a branch."""
    if _SHA.fullmatch(ref):
        return ref.lower()
    if _SHORT_SHA.fullmatch(ref):
        what = f"{ref} is a short commit SHA"
    elif _NAME.fullmatch(ref):
        what = f"{ref} is a tag or a branch, not a commit SHA"
    else:
        what = f"{ref!r} is not a commit SHA"
    raise ReconcilerError(f"{option}: {what}", remedy=WHY_SHA)


def checked_action(text: str) -> str:
    """Return ``text`` if it is ``OWNER/REPO@SHA``."""
    parse_action(text)
    return text


def checked_ref(text: str) -> str:
    """Return ``text`` if it is a full commit SHA to stand after ``uses: …@``."""
    return checked_sha("--ref", text)


def pin_for(
    version: str,
    commit: str | None,
    source: Source | None = None,
    *,
    action: str | None = None,
    ref: str | None = None,
) -> Pin:
    """Pin the workflows: ``--action`` if given; else the repository this reconciler came
    from (``source``, None when unknown) at ``--ref`` or the commit it was built from."""
    tag = release_tag(version)
    if action:
        chosen = parse_action(action)
        sha = chosen.commit or ""
        label = (tag or f"reconciler {version}") if sha == commit else "set by init --action"
        return Pin(sha, label, tag=tag if sha == commit else None, repository=chosen.repository)
    repository = source.repository if source else None
    if ref:
        sha = checked_ref(ref)
        same = sha == commit
        return Pin(
            sha, tag if same and tag else sha, tag=tag if same else None, repository=repository
        )
    if commit:
        return Pin(commit, tag or f"reconciler {version}", tag=tag, repository=repository)
    raise ReconcilerError(
        f"this reconciler ({version}) was built without git metadata, so init cannot tell "
        "which commit the workflows should call",
        remedy="pass --action OWNER/REPO@SHA: the repository your copy of the reconciler "
        "lives in and the full commit SHA of a release",
    )


def plan_file(config: str) -> str:
    """Return the saved plan's path next to the config: company.yaml -> company.plan.json."""
    path = PurePosixPath(config)
    return str(path.with_name(f"{path.stem}.plan.json"))


def state_file(config: str) -> str:
    """Return the encrypted Ledgy export's path: company.yaml -> company.ledgy.xlsx.age."""
    path = PurePosixPath(config)
    return str(path.with_name(f"{path.stem}.ledgy.xlsx.age"))


def gitignore_lines(config: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """What a repository must never commit, as .gitignore lines relative to its root.

    The export and the upload folder sit next to the config (the config's paths are
    relative to its directory), so ``people/company.yaml`` ignores ``/people/…``.
    """
    folder = posixpath.dirname(config)
    beside = f"/{folder}/" if folder else "/"
    return (
        (
            "# reconciler: Ledgy exports and upload files hold personal data",
            (f"{beside}{EXPORT}", f"{beside}{OUT_DIR}/"),
        ),
        (
            "# reconciler: the local journal (work emails) and age identities (private keys)",
            (JOURNAL, *IDENTITY_PATTERNS),
        ),
    )


def gitignore_additions(existing: str, config: str = "company.yaml") -> str:
    """Return the lines to append to a .gitignore so nothing personal or secret is committed."""
    present = {line.strip() for line in existing.splitlines()}
    added = ""
    for header, lines in gitignore_lines(config):
        missing = [line for line in lines if line not in present]
        if missing:
            added += header + "\n" + "".join(f"{line}\n" for line in missing)
    if not added:
        return ""
    return ("" if not existing or existing.endswith("\n") else "\n") + added


def checked_config(text: str) -> str:
    """Return ``text`` if it is a relative path to a YAML file inside the repository."""
    if not _PATH.fullmatch(text) or ".." in PurePosixPath(text).parts:
        raise ReconcilerError(
            f"--config {text!r}: not a relative path to a .yaml file",
            remedy="give a path inside the repository such as company.yaml or people/company.yaml "
            "(letters, digits, . _ - /)",
        )
    return text


def checked_branch(text: str) -> str:
    """Return ``text`` if it can stand as a branch name in a workflow."""
    if not _NAME.fullmatch(text):
        raise ReconcilerError(f"--branch {text!r}: not a branch name", remedy="e.g. --branch main")
    return text


def checked_recipient(text: str) -> str:
    """Return ``text`` if it is an age public key."""
    if not _AGE_RECIPIENT.fullmatch(text):
        raise ReconcilerError(
            f"--age-recipient {text[:12]!r}…: not an age public key",
            remedy="give the public key (age1…) that `reconciler keygen` or `age-keygen` prints",
        )
    return text


def checked_company(text: str) -> str:
    """Return ``text`` if it is a name on one line."""
    if not text.strip() or any(ord(c) < 32 for c in text):
        raise ReconcilerError(
            "--company: the company's name in Ledgy, on one line",
            remedy='e.g. --company "Acme Ltd"',
        )
    return text


def check_scaffold(scaffold: Scaffold) -> None:
    """Raise when a chosen name could not be written safely into the workflows."""
    checked_config(scaffold.config)
    checked_branch(scaffold.branch)
    checked_ref(scaffold.pin.ref)
    if scaffold.pin.repository is not None and not is_repository(scaffold.pin.repository):
        raise ReconcilerError(
            f"--action: {scaffold.pin.repository!r} is not a GitHub repository (OWNER/REPO)",
            remedy="give --action OWNER/REPO@SHA",
        )
    for key in scaffold.recipients:
        checked_recipient(key)
    checked_company(scaffold.company)


def _schema_line(scaffold: Scaffold) -> tuple[str, str]:
    local = posixpath.relpath(DEFAULT_PATH, posixpath.dirname(scaffold.config) or ".")
    if scaffold.pin.tag is None or scaffold.pin.repository is None:
        return local, ""
    url = schema_url(scaffold.pin.repository, scaffold.pin.tag)
    return url, f"\n# A copy of the schema of this release is in {local}."


def _workbook(scaffold: Scaffold) -> str:
    if not scaffold.recipients:
        return (
            f"    export: {EXPORT}           # a plaintext export (git-ignored), to try it\n"
            "                                        # locally; for CI, encrypt it: SETUP.md\n"
        )
    keys = "".join(f"      - {key}\n" for key in scaffold.recipients)
    return (
        "    recipients:                         # age public keys (CI's and admins'): the export\n"
        f"{keys}"
        f"    # is kept encrypted to them in Git, in {state_file(scaffold.config)}\n"
    )


_SOURCE_TODO = (
    f"    {TODO}\n"
    f"    # ({PLACEHOLDER} below; SETUP.md says how), or run\n"
    "    # `reconciler init --action OWNER/REPO@SHA`.\n"
)


def _source_step(pin: Pin) -> str:
    if pin.repository:
        return (
            f"The workflows call the reconciler's reusable workflows in `{pin.repository}` at\n"
            f"commit `{pin.ref}` ({pin.label}). To upgrade, change the SHA and its comment\n"
            "in the three workflow files (Dependabot's `github-actions` ecosystem does it).\n"
        )
    return (
        "- [ ] **Say where your copy of the reconciler lives.** GitHub runs the reconciler's\n"
        "  Action and reusable workflows from a repository, and this installation does not\n"
        f"  know which: the `uses:` lines of `.github/workflows/reconciler-*.yml` say\n"
        f"  `{PLACEHOLDER}` under a TODO. Publish a copy in your organisation (fork or copy\n"
        "  the reconciler's repository, tag a release), then replace\n"
        f"  `{PLACEHOLDER}` with it and the commit after `@` with the full commit SHA of that\n"
        "  release; or delete the three files and run\n"
        "  `reconciler init --action OWNER/REPO@SHA`, which writes them again.\n"
    )


def _values(scaffold: Scaffold, *, matrix: bool | None = None) -> dict[str, str]:
    """The templates' tokens; ``matrix``: the workflows run a job per config (by default,
    when the scaffold's config is one of several)."""
    matrix = scaffold.several if matrix is None else matrix
    schema, note = _schema_line(scaffold)
    values = {
        "WORKBOOK": _workbook(scaffold),
        "STATE_FILE": state_file(scaffold.config),
        "EXPORT_PATH": posixpath.join(posixpath.dirname(scaffold.config), EXPORT),
        "OUT_DIR": OUT_DIR,
        "SCHEMA": schema,
        "SCHEMA_NOTE": note,
        # Quoted as JSON (valid YAML), so no name can change the file's structure; the
        # comment after it stays in its column.
        "COMPANY": f"company: {json.dumps(scaffold.company, ensure_ascii=False)}".ljust(37) + " ",
        "CONFIG": scaffold.config,
        "PLAN_FILE": plan_file(scaffold.config),
        "REPOSITORY": scaffold.pin.repository or PLACEHOLDER,
        "SOURCE_TODO": "" if scaffold.pin.repository else _SOURCE_TODO,
        "SOURCE": _source_step(scaffold.pin),
        "REF": scaffold.pin.ref,
        "LABEL": scaffold.pin.label,
        "BRANCH": scaffold.branch,
        "PLAN_ENVIRONMENT": scaffold.environments[0],
        "APPLY_ENVIRONMENT": scaffold.environments[1],
        "ALL_CHECK": ALL_PLANS_CHECK,
        "NAME": scaffold.name or "",
        "CODEOWNERS_LINES": codeowners_lines(scaffold.config),
        "SECRETS": "\n".join(f"- [ ] `{name}`" for name in scaffold.secrets),
        "CHECKS": "\n".join(f"  - [ ] `{check}`" for check in required_checks(matrix)),
        "VALIDATE_CHECK": VALIDATE_CHECK,
        "PLAN_COMMENT_CHECK": PLAN_COMMENT_CHECK,
    }
    checks = "several/checks.md" if matrix else "checks.md"
    values["CHECKS_TEXT"] = _render(checks, values).rstrip("\n")
    return values


def _render(template: str, values: dict[str, str]) -> str:
    text = (files("reconciler.scaffold") / "templates" / template).read_text(encoding="utf-8")
    # One pass, so a value that happens to contain @TOKEN@ is never expanded again.
    return _TOKEN.sub(lambda match: values[match.group(1)], text)


def codeowners_lines(config: str) -> str:
    """Who reviews a config: its directory when it has one, else the config and its plan."""
    folder = posixpath.dirname(config)
    if folder:
        return f"/{folder}/ @your-org/people-team"
    return f"/{config} @your-org/people-team\n/{plan_file(config)} @your-org/people-team"


def setup_path(scaffold: Scaffold) -> PurePosixPath:
    """Where a config's checklist goes: SETUP.md, or beside a config added to an index."""
    if not scaffold.several:
        return PurePosixPath("SETUP.md")
    folder = PurePosixPath(scaffold.config).parent
    if folder == PurePosixPath("."):
        return PurePosixPath(f"SETUP-{scaffold.name}.md")
    return folder / "SETUP.md"


REQUIRED_CHECK_NOTE = PurePosixPath("SETUP-required-check.md")
"""Where ``init`` says that the required check changed, when SETUP.md was edited."""


def setup_with_matrix(first: Scaffold) -> ScaffoldFile:
    """The first config's SETUP.md (``first``: its scaffold, one config) once the
    workflows run a job per config: step 4 requires the check of every config's."""
    return ScaffoldFile(setup_path(first), _render("SETUP.md", _values(first, matrix=True)))


def required_check_note(scaffold: Scaffold) -> ScaffoldFile:
    """The note beside an edited SETUP.md when ``scaffold``'s config moved the workflows
    to a job per config: require ``reconciler plan`` instead of the single config's two."""
    return ScaffoldFile(
        REQUIRED_CHECK_NOTE, _render("several/REQUIRED-CHECK.md", _values(scaffold))
    )


def workflow_files(scaffold: Scaffold) -> tuple[ScaffoldFile, ...]:
    """The three workflows: for one config, or a job per config (several)."""
    check_scaffold(scaffold)
    values = _values(scaffold)
    folder = "several" if scaffold.several else "workflows"
    return tuple(
        ScaffoldFile(
            WORKFLOWS / f"reconciler-{verb}.yml", _render(f"{folder}/reconciler-{verb}.yml", values)
        )
        for verb in VERBS
    )


def scaffold_files(scaffold: Scaffold) -> tuple[ScaffoldFile, ...]:
    """Return every file ``reconciler init`` writes, config first."""
    check_scaffold(scaffold)
    values = _values(scaffold)
    return (
        ScaffoldFile(PurePosixPath(scaffold.config), _render("company.yaml", values)),
        ScaffoldFile(PurePosixPath(DEFAULT_PATH), render_schema()),
        *workflow_files(scaffold),
        ScaffoldFile(PurePosixPath(".github/CODEOWNERS"), _render("CODEOWNERS", values)),
        ScaffoldFile(
            setup_path(scaffold),
            _render("several/SETUP.md" if scaffold.several else "SETUP.md", values),
        ),
    )
