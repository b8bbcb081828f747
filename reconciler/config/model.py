"""The company.yaml contract as frozen pydantic models (docs/config.md).

Pure: no file, network or environment access. Field docstrings become the
descriptions in ``schemas/company.schema.json``, so an editor shows them on hover.
Checks that need a sibling value (a country rule's values, a custom field's
sensitive category) report their findings at the exact item they concern.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from reconciler.config import checks, limits, schema_extra
from reconciler.config.endpoints import endpoint_problem
from reconciler.config.issues import KEY, Finding, fail, raise_all
from reconciler.config.suggest import did_you_mean
from reconciler.domain import text_checks
from reconciler.domain.fields import FIELD_NAMES, RAW_KEYS, RAW_PREFIX
from reconciler.domain.skips import SKIP_REASONS

ENV_REF = re.compile(r"^env/([A-Za-z_][A-Za-z0-9_]*)$")
RAW_KEY = re.compile(r"^[A-Za-z0-9_]+$")
LOCAL_ENDPOINTS = "local_endpoints"
"""The validation context key that allows http and local addresses as endpoints (the
sandbox and the local test mode; :mod:`reconciler.config.endpoints`)."""
DEFAULT_HRIS_URL = "https://charliehr.com/api/v1"
DEFAULT_LEDGY_URL = "https://app.ledgy.com/graphql"


class _Model(BaseModel):
    # The docstring under each field is its description in the JSON Schema. Reading
    # them means reading and parsing this file's source (25 ms at every start), so the
    # schema's maker adds them (reconciler.config.schema), and nothing else needs them.
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


def _secret_ref(value: str) -> str:
    if ENV_REF.match(value):
        return value
    # Never echo the value: it may be the secret itself.
    fail(
        "secrets are never written in the config; this value is not a reference "
        "of the form env/VARIABLE",
        hint="put the secret in an environment variable (a CI secret) and write "
        "env/VARIABLE_NAME here",
    )


def _endpoint(value: str, info: ValidationInfo) -> str:
    local = bool((info.context or {}).get(LOCAL_ENDPOINTS))
    problem = endpoint_problem(value, local=local)
    if problem is not None:
        fail(problem[0], hint=problem[1])
    return value


Endpoint = Annotated[StrictStr, Field(pattern=r"^https?://\S+$"), AfterValidator(_endpoint)]
"""An API root that receives credentials: https and a public host (see
:func:`reconciler.config.endpoints.endpoint_problem`)."""


SecretRef = Annotated[
    StrictStr,
    AfterValidator(_secret_ref),
    WithJsonSchema({"type": "string", "pattern": ENV_REF.pattern}),
]


def field_ref_problem(value: str) -> tuple[str, str] | None:
    """Say what is wrong with a field reference, as (message, hint), or ``None``."""
    if value in FIELD_NAMES:
        return None
    if value.startswith(RAW_PREFIX):
        if RAW_KEY.match(value[len(RAW_PREFIX) :]):
            return None
        return (
            f"'{value}' is not a raw CharlieHR key",
            "a raw key is letters, digits and underscores: raw.<key>",
        )
    return (
        f"unknown HR field '{value}'{did_you_mean(value, FIELD_NAMES)}",
        "use a canonical HR field (README: 'Fields') or raw.<key> for any raw CharlieHR key",
    )


def _field_ref(value: str) -> str:
    problem = field_ref_problem(value)
    if problem is not None:
        fail(problem[0], hint=problem[1])
    return value


FieldRef = Annotated[
    StrictStr,
    AfterValidator(_field_ref),
    WithJsonSchema(schema_extra.field_ref_schema()),
]

RuleValue = StrictStr | StrictBool | StrictInt | StrictFloat | date
NonEmpty = Annotated[StrictStr, Field(min_length=1)]


def _plain_name(value: str) -> str:
    found = text_checks.hidden_character(value)
    if found is not None:
        fail(
            f"a name cannot hold {found}",
            hint="names are shown in Ledgy and in the plan; retype it without the character",
        )
    return value


def _relative_path(value: str) -> str:
    problem = text_checks.path_text_problem(value)
    if problem is not None:
        fail(problem, hint="write the path relative to the directory of this file")
    return value


RelativePath = Annotated[StrictStr, Field(min_length=1), AfterValidator(_relative_path)]
"""A path inside the config's directory: relative, no '..'."""

Name = Annotated[StrictStr, Field(min_length=1), AfterValidator(_plain_name)]
"""A group, custom field, header or company name: visible text, no control characters."""


def _real_words(value: str) -> str:
    problem = text_checks.reason_problem(value)
    if problem is not None:
        fail(problem, hint="say in words why this data may be copied (legal basis, who asked)")
    return value


def _version_one(value: Any) -> Any:
    if isinstance(value, bool | float):
        fail(
            f"must be 1, not {value!r}".replace("True", "true").replace("False", "false"),
            hint="write version: 1",
        )
    if isinstance(value, str) and value.strip() == "1":
        fail("must be the number 1, not the text '1'", hint="write version: 1, without quotes")
    return value


class Hris(_Model):
    """The HR system to read: CharlieHR, with credentials by reference."""

    provider: Literal["charliehr"]
    """The HR system. Only CharlieHR is supported."""
    client_id: SecretRef
    """CharlieHR API client id, as env/VARIABLE (Company > Integrations > API Keys)."""
    client_secret: SecretRef
    """CharlieHR API client secret, as env/VARIABLE. Never write the secret itself."""
    base_url: Endpoint = DEFAULT_HRIS_URL
    """API root; it receives the CharlieHR credentials. https and a public host (plain
    http and local addresses only in the sandbox). A pull request that changes it is
    planned and applied against the base branch's value."""
    field_keys: dict[StrictStr, Annotated[StrictStr, Field(pattern=RAW_KEY.pattern)]] = Field(
        default_factory=dict,
        json_schema_extra={"propertyNames": {"enum": list(sorted(RAW_KEYS))}},
    )
    """Override a raw CharlieHR key name by its role, e.g. {mobile_phone: mobile}."""
    fetch_details: StrictBool = False
    """Fetch /team_members/{id} for each employee when the list lacks fields."""
    concurrency: Annotated[StrictInt, Field(ge=1, le=limits.CONCURRENCY.whole)] = 8
    """Most CharlieHR requests in flight at once."""
    requests_per_second: (
        Annotated[StrictFloat, Field(gt=0, le=limits.REQUESTS_PER_SECOND.most)] | None
    ) = None
    """Most CharlieHR requests per second, shared by every endpoint; unset: as fast as
    concurrency allows. Either way a 429 pauses every request for its Retry-After and
    halves the pace, which doubles back each second."""
    timeout_seconds: Annotated[StrictFloat, Field(gt=0, le=limits.TIMEOUT_SECONDS.most)] = 30
    """Timeout of one CharlieHR request, in seconds."""
    page_size: Annotated[StrictInt, Field(ge=1, le=limits.PAGE_SIZE.whole)] = 25
    """Items asked for per page of a CharlieHR list; 25 is the most every public source
    describes. Raise it (at most 100) only for a server that serves bigger pages: a
    server that serves fewer is read at the size it serves."""
    read_deadline_seconds: Annotated[
        StrictFloat, Field(gt=0, le=limits.READ_DEADLINE_SECONDS.most)
    ] = 900
    """Seconds the whole CharlieHR read may take, waits for 429s included; past them the
    run stops, naming what it was still waiting for."""

    @field_validator("field_keys")
    @classmethod
    def _known_roles(cls, value: dict[str, str]) -> dict[str, str]:
        issues = [
            (
                (role, KEY),
                f"unknown raw-key role '{role}'{did_you_mean(role, RAW_KEYS)}",
                "roles are listed in README: 'Raw CharlieHR keys'",
            )
            for role in value
            if role not in RAW_KEYS
        ]
        raise_all("field_keys", issues)
        return value


AgeRecipient = Annotated[
    StrictStr, Field(pattern=r"^(age1[0-9a-z]{58}|ssh-(ed25519|rsa) [A-Za-z0-9+/=]+( .*)?)$")
]


class Workbook(_Model):
    """Ledgy's bulk Excel files, for accounts without API writes."""

    export: RelativePath | None = None
    """Path of a plaintext bulk-edit export (natural persons, .xlsx); must be git-ignored."""
    recipients: list[AgeRecipient] = Field(default_factory=list)
    """age public keys (CI's and admins'): the export is kept encrypted to them in Git."""
    state: RelativePath | None = None
    """The encrypted export; default: next to the config, <config name>.ledgy.xlsx.age."""
    out_dir: RelativePath = "ledgy-upload"
    """Directory where each apply prepares a folder of upload files, named by plan checksum."""
    columns: dict[StrictStr, Name] = Field(default_factory=dict)
    """The export's column for a role, when matching cannot find it, e.g.
    {stakeholder_id: Key, hris.start_date: Start date}. Roles: stakeholder_id and plan
    field names."""
    headers: dict[StrictStr, Name] = Field(
        default_factory=dict, json_schema_extra={"deprecated": True}
    )
    """The older name of `columns`, still read; set one of the two."""

    @model_validator(mode="after")
    def _has_a_state(self) -> Workbook:
        if self.export is None and not self.recipients:
            fail(
                "the workbook driver needs recipients (an encrypted export) or export",
                hint="add recipients: [age1…] and run `reconciler ledgy-state update`",
            )
        if self.columns and self.headers:
            fail(
                "set columns or headers (its older name), not both",
                hint="move the entries of headers under columns",
            )
        return self

    @property
    def column_names(self) -> dict[str, str]:
        """The export's column by role, as the config names it (either spelling)."""
        return {**self.headers, **self.columns}

    @property
    def columns_key(self) -> str:
        """The key the config used (`columns`, or the older `headers`), for messages."""
        return "headers" if self.headers else "columns"


class Ledgy(_Model):
    """The Ledgy company to keep in step, and how to write to it."""

    company: Name
    """Company name; must equal what the API key's `auth` query returns."""
    driver: Literal["api", "workbook"] = "api"
    """api: write through the GraphQL API. workbook: write upload-ready Excel files."""
    api_key: SecretRef | None = None
    """Ledgy API key, as env/VARIABLE. Required by the api driver."""
    url: Endpoint = DEFAULT_LEDGY_URL
    """GraphQL endpoint; it receives the Ledgy API key. https and a public host (plain
    http and local addresses only in the sandbox). A pull request that changes it is
    planned and applied against the base branch's value."""
    batch_size: Annotated[StrictInt, Field(ge=1, le=limits.BATCH_SIZE.whole)] = 50
    """Stakeholder writes sent in one request, as aliased mutations."""
    operations: RelativePath | None = None
    """A .graphql file replacing the built-in stakeholder operations."""
    workbook: Workbook | None = None
    """Where the export is read and the upload files written (workbook driver)."""

    model_config = ConfigDict(json_schema_extra=schema_extra.ledgy_rules)

    @model_validator(mode="after")
    def _driver_needs(self) -> Ledgy:
        if self.driver == "api" and self.api_key is None:
            fail(
                "the api driver needs api_key",
                hint="add api_key: env/LEDGY_API_KEY, or set driver: workbook",
            )
        if self.driver == "workbook" and self.workbook is None:
            fail(
                "the workbook driver needs a workbook section",
                hint="add workbook: {export: ledgy-export.xlsx, out_dir: ledgy-upload}",
            )
        return self


class CustomField(_Model):
    """Copy one HR field into a Ledgy custom field."""

    from_: FieldRef = Field(alias="from")
    """A canonical HR field, or raw.<key> for any raw CharlieHR key."""
    to: Name
    """The Ledgy custom field's name, exactly as in Ledgy's Data Management page."""


class Rule(_Model):
    """Sync an employee only when the field's value is one of `in` (OR)."""

    field: FieldRef
    """A canonical HR field or raw.<key>."""
    in_: tuple[RuleValue, ...] = Field(alias="in", min_length=1)
    """Accepted values; compared case-insensitively after trimming."""

    model_config = ConfigDict(json_schema_extra=schema_extra.rule_rules)

    @model_validator(mode="after")
    def _values_fit_field(self) -> Rule:
        raise_all("rule", checks.value_issues(self.field, self.in_))
        return self


class Terminated(_Model):
    """What happens to employees who have left."""

    action: Literal["skip", "sync", "group"] = "sync"
    """skip: leave them alone. sync: keep them in step. group: sync into `group`."""
    group: Name | None = None
    """Stakeholder group for leavers (action: group), e.g. Alumni."""

    model_config = ConfigDict(json_schema_extra=schema_extra.terminated_rules)

    @model_validator(mode="after")
    def _group_with_action(self) -> Terminated:
        if self.action == "group" and self.group is None:
            fail("action: group needs a group", hint="add group: Alumni (or any name)")
        if self.action != "group" and self.group is not None:
            fail(
                f"group is only used with action: group, not action: {self.action}",
                hint="set action: group, or remove group",
            )
        return self


class SensitiveException(_Model):
    """Allow one field in a refused sensitive category, with a written reason."""

    field: FieldRef
    """The field as written in custom_fields or sync_if, e.g. raw.ethnicity."""
    reason: Annotated[StrictStr, Field(min_length=10), AfterValidator(_real_words)]
    """Why this data may be copied (legal basis, who asked): words, at least 10 characters."""


def _adoption_groups(value: Any) -> Any:
    if isinstance(value, str) and value not in ADOPT_FROM:
        fail(
            f"must be managed, any or a list of group names, not '{value}'",
            hint=f"write [{value}] to allow that one group",
        )
    return value


ADOPT_FROM = ("managed", "any")


class Adoption(_Model):
    """Which Ledgy stakeholders without an identifier an employee may take over by name."""

    by_name: StrictBool = True
    """Adopt the one stakeholder without identifier that has the employee's name (and no
    other employee's). false: such a name match is skipped, for a person to settle in
    `matches`."""
    groups: Annotated[
        Literal["managed", "any"] | tuple[Name, ...], BeforeValidator(_adoption_groups)
    ] = "managed"
    """Groups a stakeholder may be adopted from: managed (stakeholders.group and
    terminated.group), any, or a list of group names (only those). Adopting from a group
    this config does not manage is a high-risk change: apply refuses it without --force."""
    ungrouped: StrictBool = True
    """Stakeholders in no group may be adopted too (those made by hand before the
    integration)."""


def _plain_value(value: str) -> str:
    found = text_checks.hidden_character(value)
    if found is not None:
        fail(f"cannot hold {found}", hint="retype the value without the character")
    return value


PlainText = Annotated[StrictStr, Field(min_length=1), AfterValidator(_plain_value)]

NEW_STAKEHOLDER = "new"
"""The pinned `stakeholder` that says: create a new stakeholder for this employee."""


class PinnedMatch(_Model):
    """One match settled by hand: this employee is this Ledgy stakeholder."""

    employee: PlainText
    """The employee's work email or CharlieHR id."""
    stakeholder: PlainText
    """The Ledgy Stakeholder ID it matches, or new: a new stakeholder is created, whatever
    stakeholder has the same name or a look-alike identifier."""


ConflictPolicy = Literal["hr_wins", "ledgy_wins", "review"]


class Conflicts(_Model):
    """What a plan does with a value someone edited in Ledgy: it differs from the value
    last applied and from HR's (docs/config.md, "Edits made in Ledgy")."""

    default: ConflictPolicy = "hr_wins"
    """hr_wins: the update to HR's value is planned, flagged as a conflict. ledgy_wins:
    Ledgy's value stays, with a note. review: the field is held out of the plan, with a
    warning, until this config says hr_wins or ledgy_wins for it."""
    fields: dict[StrictStr, ConflictPolicy] = Field(
        default_factory=dict,
        json_schema_extra={
            "propertyNames": {
                "anyOf": [{"enum": list(checks.PLAN_FIELDS)}, {"pattern": r"^custom_fields\..+$"}]
            }
        },
    )
    """A policy per plan field, over the default, e.g. {name: review, birthdate: review}."""

    @field_validator("fields")
    @classmethod
    def _plan_fields(cls, value: dict[str, str]) -> dict[str, str]:
        raise_all("fields", checks.conflict_field_issues(value))
        return value


class Stakeholders(_Model):
    """How employees become Ledgy stakeholders."""

    sensitive_exceptions: tuple[SensitiveException, ...] = ()
    """Fields in a refused category that may still be read, each with a reason."""
    identifier: StrictStr = Field(default="work_email", json_schema_extra={"enum": ["work_email"]})
    """The HR value that identifies a stakeholder. For CharlieHR: work_email."""
    email: Literal["work_email", "personal_email"] = "work_email"
    """Which HR email becomes the stakeholder's primary email."""
    group: Name = "Employees"
    """Stakeholder group for synced employees."""
    optional_fields: tuple[Literal["manager", "mobile_phone", "pay_rate"], ...] = Field(
        default=(), json_schema_extra={"uniqueItems": True}
    )
    """Fields beyond the default set. pay_rate also syncs pay period and currency."""
    custom_fields: tuple[CustomField, ...] = ()
    """HR fields copied into Ledgy custom fields."""
    sync_if: tuple[Rule, ...] = ()
    """Rules an employee must all pass to be synced (AND across rules)."""
    terminated: Terminated = Terminated()
    """Leavers: skip them, sync them, or sync them into a group such as Alumni."""
    adoption: Adoption = Adoption()
    """Which stakeholders without identifier an employee may take over by name."""
    matches: tuple[PinnedMatch, ...] = ()
    """Matches settled by hand, e.g. {employee: ada@acme.test, stakeholder: <Stakeholder
    ID>}: they win over identifiers and names."""

    @property
    def managed_groups(self) -> frozenset[str]:
        """The groups this config puts stakeholders in."""
        leavers = self.terminated.group if self.terminated.action == "group" else None
        return frozenset(g for g in (self.group, leavers) if g is not None)

    # Edits made in Ledgy, and fields no longer synced (the record of applied values).
    conflicts: Conflicts = Conflicts()
    """What a plan does with a value edited in Ledgy since it was last applied."""
    on_removed_field: Literal["keep", "clear"] = "keep"
    """A field this config stops syncing (say mobile_phone left out of optional_fields):
    keep leaves its values in Ledgy; clear plans to empty it for every stakeholder this
    config manages that it was applied to."""

    @field_validator("identifier")
    @classmethod
    def _work_email_only(cls, value: str) -> str:
        if value != "work_email":
            fail(
                f"CharlieHR stakeholders are identified by work_email, not '{value}'",
                hint="write identifier: work_email (the only HR value that is unique "
                "per employee and known to Ledgy)",
            )
        return value

    @field_validator("optional_fields")
    @classmethod
    def _no_repeats(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        seen: set[str] = set()
        issues = []
        for index, name in enumerate(value):
            if name in seen:
                issues.append(((index,), f"'{name}' is listed twice", None))
            seen.add(name)
        raise_all("optional_fields", issues)
        return value

    @field_validator("custom_fields")
    @classmethod
    def _custom_fields_ok(
        cls, value: tuple[CustomField, ...], info: ValidationInfo
    ) -> tuple[CustomField, ...]:
        issues = checks.duplicate_targets([c.to for c in value])
        issues += checks.sensitive_issues(
            [(i, "from", c.from_) for i, c in enumerate(value)], _exceptions(info)
        )
        raise_all("custom_fields", issues)
        return value

    @field_validator("matches")
    @classmethod
    def _each_once(cls, value: tuple[PinnedMatch, ...]) -> tuple[PinnedMatch, ...]:
        issues: list[Finding] = []
        seen: dict[tuple[str, str], int] = {}
        for index, pin in enumerate(value):
            for side, given in (("employee", pin.employee), ("stakeholder", pin.stakeholder)):
                key = (side, given.strip().casefold())
                if side == "stakeholder" and key[1] == NEW_STAKEHOLDER:
                    continue
                if key in seen:
                    issues.append(
                        (
                            (index, side),
                            f"{side} '{given}' is pinned twice (also in matches[{seen[key]}])",
                            "keep one pin per employee and per stakeholder",
                        )
                    )
                seen.setdefault(key, index)
        raise_all("matches", issues)
        return value

    @field_validator("conflicts")
    @classmethod
    def _conflicts_name_custom_fields(cls, value: Conflicts, info: ValidationInfo) -> Conflicts:
        written = [c.to for c in info.data.get("custom_fields", ())]
        issues = checks.conflict_field_issues(value.fields, written)
        raise_all("conflicts", [(("fields", *loc), m, h) for loc, m, h in issues])
        return value

    @field_validator("sync_if")
    @classmethod
    def _rules_ok(cls, value: tuple[Rule, ...], info: ValidationInfo) -> tuple[Rule, ...]:
        issues = checks.sensitive_issues(
            [(i, "field", r.field) for i, r in enumerate(value)], _exceptions(info)
        )
        raise_all("sync_if", issues)
        return value


def _exceptions(info: ValidationInfo) -> frozenset[str]:
    validated: tuple[SensitiveException, ...] = info.data.get("sensitive_exceptions", ())
    return frozenset(e.field for e in validated)


class Safety(_Model):
    """Limits an automatic apply must respect unless run with --force. A pull request is
    judged by the base branch's safety section, never by its own."""

    max_update_percent: Annotated[StrictFloat, Field(ge=0, le=limits.PERCENT.most)] = 30
    """Refuse a plan that updates more than this share of existing stakeholders."""
    max_create_percent: Annotated[StrictFloat, Field(ge=0, le=limits.MAX_CREATE_PERCENT.most)] = 100
    """Refuse a plan that creates more than this share of existing stakeholders (from the
    first stakeholder up; the first sync of an empty Ledgy is limited by max_creates)."""
    max_creates: Annotated[StrictInt, Field(ge=0, le=limits.COUNT.whole)] = 100
    """Refuse a plan that creates more than this many stakeholders, whatever the share."""
    min_existing: Annotated[StrictInt, Field(ge=0, le=limits.MIN_EXISTING.whole)] = 10
    """The shares are taken of at least this many stakeholders: with fewer in Ledgy (or
    none), a plan may still update and create that share of this number."""
    min_source_percent: Annotated[StrictFloat, Field(ge=0, le=limits.PERCENT.most)] = 50
    """Refuse when HR returns fewer employees than this share of Ledgy's identifiers."""
    required_approvals: Annotated[StrictInt, Field(ge=0, le=limits.REQUIRED_APPROVALS.whole)] = 1
    """Approving reviews a merged PR needs before its plan is applied: by people (not its
    author, not a bot), on its last commit, before the merge. The base branch's value
    counts, never the PR's own; 0 turns the check off, and every plan then warns."""


class Expectation(_Model):
    """What a rule test expects for its fixture employee."""

    synced: StrictBool
    """True when the employee should become a stakeholder."""
    reason: Annotated[StrictStr, AfterValidator(_skip_reason)] | None = Field(
        default=None, json_schema_extra={"enum": list(SKIP_REASONS)}
    )
    """For synced: false, the skip reason (sync_if, terminated, missing_identifier, …)."""
    rule: Annotated[StrictInt, Field(ge=0)] | None = None
    """For reason: sync_if, the index of the first sync_if rule that should fail."""
    group: Name | None = None
    """The stakeholder group the employee should land in."""
    fields: dict[StrictStr, RuleValue | None] = Field(default_factory=dict)
    """Expected stakeholder values by plan field name, e.g. {email: a@b.test}."""


def _skip_reason(value: str) -> str:
    if value not in SKIP_REASONS:
        fail(
            f"must be one of {', '.join(SKIP_REASONS)}, not '{value}'"
            f"{did_you_mean(value.replace('-', '_'), SKIP_REASONS)}",
            hint="these are the reasons a plan gives for a skipped employee",
        )
    return value


class RuleTest(_Model):
    """An offline test of the mapping: a fixture employee and the expected outcome."""

    name: NonEmpty
    """What the test shows, in words."""
    employee: dict[StrictStr, RuleValue | None] = Field(
        json_schema_extra={"propertyNames": schema_extra.field_ref_schema()}
    )
    """The fixture employee in canonical HR fields (raw.<key> allowed)."""
    expect: Expectation
    """The outcome the config should produce."""

    @field_validator("employee")
    @classmethod
    def _canonical_keys(cls, value: dict[str, Any]) -> dict[str, Any]:
        problems = ((key, field_ref_problem(key)) for key in value)
        issues: list[Finding] = [((key, KEY), p[0], p[1]) for key, p in problems if p is not None]
        issues += checks.fixture_value_issues(value)
        raise_all("employee", issues)
        return value


class Config(_Model):
    """company.yaml: how CharlieHR employees become Ledgy stakeholders."""

    version: Annotated[Literal[1], BeforeValidator(_version_one)]
    """Version of this file's format. Always 1."""
    hris: Hris
    """The HR system to read."""
    ledgy: Ledgy
    """The Ledgy company to keep in step."""
    stakeholders: Stakeholders = Stakeholders()
    """How employees become stakeholders."""
    safety: Safety = Safety()
    """Limits an automatic apply must respect."""
    tests: tuple[RuleTest, ...] = ()
    """Offline rule tests run by `reconciler test`."""
