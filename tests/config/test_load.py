from __future__ import annotations

from pathlib import Path

import pytest

from reconciler.config.load import MAX_BYTES, load_config
from reconciler.errors import ConfigError, Problem, ReconcilerError
from tests.conftest import DATA, ROOT

CONFIGS = DATA / "configs"

# Each invalid file is named after its case; the test pins the exact message and place.
EXPECTED = [
    ("invalid-api-driver-without-key.yaml", "6:1", "ledgy: the api driver needs api_key"),
    ("invalid-base-url-not-url.yaml", "6:13", "hris.base_url: must be an http:// or https:// URL"),
    ("invalid-binary-file.yaml", "1:1", "this is a binary file, not YAML"),
    (
        "invalid-custom-field-bad-raw-key.yaml",
        "12:14",
        "stakeholders.custom_fields[0].from: 'raw.cost-centre' is not a raw CharlieHR key",
    ),
    (
        "invalid-custom-field-duplicate-to.yaml",
        "13:24",
        "stakeholders.custom_fields[1].to: custom field 'Role' is already written by custom_fields[0]",
    ),
    (
        "invalid-custom-field-unknown-from.yaml",
        "12:14",
        "stakeholders.custom_fields[0].from: unknown HR field 'job_titel'; did you mean 'job_title'?",
    ),
    ("invalid-duplicate-key.yaml", "11:3", "duplicate key 'group' (first at line 10)"),
    (
        "invalid-email-choice.yaml",
        "11:10",
        "stakeholders.email: must be 'work_email' or 'personal_email', not 'office_email'; did you mean 'work_email'?",
    ),
    ("invalid-empty-file.yaml", "1:1", "the file is empty"),
    (
        "invalid-field-keys-unknown-role.yaml",
        "6:16",
        "hris.field_keys.mobile: unknown raw-key role 'mobile'; did you mean 'mobile_phone'?",
    ),
    (
        "invalid-identifier-not-work-email.yaml",
        "11:15",
        "stakeholders.identifier: CharlieHR stakeholders are identified by work_email, not 'personal_email'",
    ),
    (
        "invalid-list-where-map-expected.yaml",
        "2:1",
        "hris: must be a mapping (key: value lines), not a list",
    ),
    (
        "invalid-missing-client-secret.yaml",
        "2:1",
        "'hris' is missing the required key 'client_secret'",
    ),
    ("invalid-missing-hris.yaml", "1:1", "the file is missing the required key 'hris'"),
    ("invalid-non-utf8.yaml", "7:16", "not UTF-8: byte 0xE9 cannot be decoded"),
    ("invalid-only-comments.yaml", "1:1", "the file is empty"),
    (
        "invalid-optional-field-repeated.yaml",
        "11:44",
        "stakeholders.optional_fields[2]: 'manager' is listed twice",
    ),
    (
        "invalid-optional-field-unknown.yaml",
        "11:30",
        "stakeholders.optional_fields[1]: must be 'manager', 'mobile_phone' or 'pay_rate', not 'salary'",
    ),
    (
        "invalid-safety-percent-over-100.yaml",
        "12:23",
        "safety.max_update_percent: must be at most 100: it is a share in percent, and 100 is "
        "all of them",
    ),
    (
        "invalid-secret-bad-env-name.yaml",
        "8:12",
        "ledgy.api_key: secrets are never written in the config; this value is not a reference of the form env/VARIABLE",
    ),
    (
        "invalid-secret-inline.yaml",
        "5:18",
        "hris.client_secret: secrets are never written in the config; this value is not a reference of the form env/VARIABLE",
    ),
    (
        "invalid-sensitive-bank-key.yaml",
        "12:14",
        "stakeholders.custom_fields[0].from: 'raw.iban' reads banking or payment data, a sensitive category the reconciler refuses to copy",
    ),
    (
        "invalid-sensitive-custom-field.yaml",
        "12:14",
        "stakeholders.custom_fields[0].from: 'raw.ethnicity' reads racial or ethnic origin, a sensitive category the reconciler refuses to copy",
    ),
    (
        "invalid-sensitive-exception-short-reason.yaml",
        "12:14",
        "stakeholders.custom_fields[0].from: 'raw.union_member' reads trade union membership, a sensitive category the reconciler refuses to copy",
    ),
    (
        "invalid-sensitive-exception-short-reason.yaml",
        "14:41",
        "stakeholders.sensitive_exceptions[0].reason: must be at least 10 characters long",
    ),
    (
        "invalid-sensitive-sync-rule.yaml",
        "12:15",
        "stakeholders.sync_if[0].field: 'raw.religion' reads religious affiliation (including church tax elections), a sensitive category the reconciler refuses to copy",
    ),
    (
        "invalid-sync-if-country-name.yaml",
        "13:16",
        "stakeholders.sync_if[0].in[1]: countries are compared as ISO 3166 alpha-2 codes; write 'GB' for 'United Kingdom'",
    ),
    (
        "invalid-sync-if-country-name.yaml",
        "13:32",
        "stakeholders.sync_if[0].in[2]: countries are compared as ISO 3166 alpha-2 codes; write 'DE' for 'Germany'",
    ),
    (
        "invalid-sync-if-country-unknown-code.yaml",
        "12:29",
        "stakeholders.sync_if[0].in[0]: countries are compared as ISO 3166 alpha-2 codes; write 'GB' for 'UK'",
    ),
    (
        "invalid-sync-if-country-unknown-code.yaml",
        "12:33",
        "stakeholders.sync_if[0].in[1]: 'XX' is not an ISO 3166 alpha-2 country code",
    ),
    (
        "invalid-sync-if-empty-in.yaml",
        "12:24",
        "stakeholders.sync_if[0].in: must list at least one value",
    ),
    (
        "invalid-sync-if-status-capitalised.yaml",
        "13:12",
        "stakeholders.sync_if[0].in[0]: write 'active', not 'Active'",
    ),
    (
        "invalid-sync-if-unknown-status.yaml",
        "13:20",
        "stakeholders.sync_if[0].in[1]: 'terminated' is not an employment status (active, pending, inactive)",
    ),
    ("invalid-tab-indent.yaml", "10:1", "a tab character; YAML indents with spaces only"),
    (
        "invalid-terminated-group-missing.yaml",
        "11:3",
        "stakeholders.terminated: action: group needs a group",
    ),
    (
        "invalid-terminated-group-without-action.yaml",
        "11:3",
        "stakeholders.terminated: group is only used with action: group, not action: skip",
    ),
    (
        "invalid-terminated-unknown-action.yaml",
        "11:24",
        "stakeholders.terminated.action: must be 'skip', 'sync' or 'group', not 'delete'",
    ),
    (
        "invalid-test-employee-unknown-field.yaml",
        "13:41",
        "tests[0].employee.leaving_date: unknown HR field 'leaving_date'",
    ),
    (
        "invalid-top-level-list.yaml",
        "1:1",
        "the file must be a mapping (key: value lines), not a list",
    ),
    ("invalid-unclosed-quote.yaml", "7:12", "a quoted string starts here and is never closed"),
    (
        "invalid-unknown-key-typo.yaml",
        "10:3",
        "unknown key 'grup' in 'stakeholders'; did you mean 'group'?",
    ),
    ("invalid-unknown-provider.yaml", "3:13", "hris.provider: must be 'charliehr', not 'bamboohr'"),
    (
        "invalid-unknown-top-level-key.yaml",
        "9:1",
        "unknown key 'stakeholder' at the top level; did you mean 'stakeholders'?",
    ),
    ("invalid-version-2.yaml", "1:10", "version: must be 1, not 2"),
    (
        "invalid-workbook-driver-without-workbook.yaml",
        "6:1",
        "ledgy: the workbook driver needs a workbook section",
    ),
    (
        "invalid-wrong-type-list.yaml",
        "11:20",
        "stakeholders.optional_fields: must be a list, not text",
    ),
    (
        "invalid-conflict-fields.yaml",
        "13:14",
        "stakeholders.conflicts.default: must be 'hr_wins', 'ledgy_wins' or 'review', not 'hr'",
    ),
    (
        "invalid-conflict-fields.yaml",
        "15:7",
        "stakeholders.conflicts.fields.nmae: unknown plan field 'nmae'; did you mean 'name'?",
    ),
    (
        "invalid-conflict-fields.yaml",
        "17:7",
        "stakeholders.conflicts.fields.identifier: identifier never conflicts: stakeholders "
        "are matched on it",
    ),
    (
        "invalid-conflict-fields.yaml",
        "19:21",
        "stakeholders.on_removed_field: must be 'keep' or 'clear', not 'delete'",
    ),
    (
        "invalid-wrong-type-number.yaml",
        "9:15",
        "ledgy.batch_size: must be a whole number, not text",
    ),
]


def _problems(path: Path) -> list[tuple[str, str]]:
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    return [(f"{p.line}:{p.col}", p.message) for p in caught.value.problems]


def _expected_for(name: str) -> list[tuple[str, str]]:
    return [(where, message) for file, where, message in EXPECTED if file == name]


@pytest.mark.parametrize("name", sorted({row[0] for row in EXPECTED}))
def test_invalid_config_reports_exact_message_and_place(name: str) -> None:
    assert _problems(CONFIGS / name) == _expected_for(name)


def test_every_invalid_file_has_an_expectation() -> None:
    files = {p.name for p in CONFIGS.glob("invalid-*.yaml")}
    assert files == {row[0] for row in EXPECTED} | {"invalid-five-errors.yaml"}
    assert len(files) >= 30


def test_five_different_errors_are_reported_in_one_run() -> None:
    assert _problems(CONFIGS / "invalid-five-errors.yaml") == [
        (
            "5:18",
            "hris.client_secret: secrets are never written in the config; this value is not a reference of the form env/VARIABLE",
        ),
        ("8:11", "ledgy.driver: must be 'api' or 'workbook', not 'excel'"),
        ("11:3", "unknown key 'grup' in 'stakeholders'; did you mean 'group'?"),
        (
            "13:14",
            "stakeholders.custom_fields[0].from: 'raw.ethnic_origin' reads racial or ethnic origin, a sensitive category the reconciler refuses to copy",
        ),
        (
            "15:29",
            "stakeholders.sync_if[0].in[0]: countries are compared as ISO 3166 alpha-2 codes; write 'GB' for 'United Kingdom'",
        ),
        ("17:17", "safety.min_existing: must be at least 0"),
    ]


def test_hints_say_what_to_do() -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(CONFIGS / "invalid-unknown-key-typo.yaml")
    (problem,) = caught.value.problems
    assert problem.hint is not None and "group" in problem.hint
    assert str(problem).startswith(f"{CONFIGS / 'invalid-unknown-key-typo.yaml'}:10:3: unknown key")


def test_an_inline_secret_is_never_echoed() -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(CONFIGS / "invalid-secret-inline.yaml")
    assert "sk_live_9f8e7d6c5b4a" not in caught.value.diagnostics()


def test_a_file_over_128_kibibytes_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    text = (CONFIGS / "valid-minimal.yaml").read_text()
    big.write_text(text + "#" * MAX_BYTES)
    with pytest.raises(ConfigError) as caught:
        load_config(big)
    assert caught.value.problems == (
        Problem(
            str(big),
            1,
            1,
            "the file is over 128 KiB; a config is much smaller than that",
            "check that this is the right file",
        ),
    )


def test_a_missing_file_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(ReconcilerError, match="no such file"):
        load_config(tmp_path / "nope.yaml")


def test_the_minimal_config_is_valid_with_defaults() -> None:
    loaded = load_config(CONFIGS / "valid-minimal.yaml")
    assert loaded.warnings == ()
    config = loaded.config
    assert config.stakeholders.identifier == "work_email"
    assert config.stakeholders.terminated.action == "sync"
    assert config.safety.max_update_percent == 30
    assert config.ledgy.driver == "api"


def test_the_example_is_valid_and_uses_every_section() -> None:
    loaded = load_config(ROOT / "examples" / "company.yaml")
    config = loaded.config
    assert config.hris.field_keys and config.ledgy.workbook and config.tests
    assert config.stakeholders.sensitive_exceptions and config.stakeholders.sync_if
    assert config.stakeholders.terminated.action == "group"
    assert [w.severity for w in loaded.warnings] == ["warning"]


def test_yaml_anchors_and_merge_keys_are_followed(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(
        (CONFIGS / "valid-minimal.yaml").read_text()
        + "  custom_fields:\n"
        + "    - &jt {from: job_title, to: Job title}\n"
        + "    - {<<: *jt, to: Role}\n"
    )
    fields = load_config(path).config.stakeholders.custom_fields
    assert [(c.from_, c.to) for c in fields] == [("job_title", "Job title"), ("job_title", "Role")]


def test_a_problem_found_later_points_at_its_value_with_its_hint() -> None:
    loaded = load_config(CONFIGS / "valid-minimal.yaml")
    where = ("ledgy", "api_key")
    problem = loaded.problem_at(where, "ledgy.api_key: refused", "use another key")
    assert problem == Problem(
        str(CONFIGS / "valid-minimal.yaml"), 8, 12, "ledgy.api_key: refused", "use another key"
    )
    assert problem.key_path == where
    assert loaded.problem_at(where, "no remedy").hint is None


MINIMAL = (CONFIGS / "valid-minimal.yaml").read_text()


def _unknown_keys(tmp_path: Path, count: int) -> list[Problem]:
    path = tmp_path / "c.yaml"
    path.write_text(MINIMAL + "".join(f"zz{i:03}: 1\n" for i in range(count)))
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    return list(caught.value.problems)


@pytest.mark.parametrize(
    ("count", "more"), [(100, None), (101, "1 more problem"), (150, "50 more problems")]
)
def test_problems_past_the_hundredth_are_counted_not_shown(
    tmp_path: Path, count: int, more: str | None
) -> None:
    problems = _unknown_keys(tmp_path, count)
    first_line = MINIMAL.count("\n") + 1
    shown = [p for p in problems if p.message.startswith("unknown key")]
    assert [p.line for p in shown] == list(range(first_line, first_line + 100))
    if more is None:
        assert len(problems) == 100
        return
    assert len(problems) == 101
    assert problems[-1] == Problem(str(tmp_path / "c.yaml"), first_line + 99, 1, f"... and {more}")


def test_an_empty_file_points_at_the_example(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("# nothing yet\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert caught.value.problems == (
        Problem(str(path), 1, 1, "the file is empty", "start from examples/company.yaml"),
    )


@pytest.mark.parametrize(
    ("offset", "expected"),
    [
        (8191, ("1:1", "this is a binary file, not YAML", "give the path of company.yaml")),
        (
            8192,
            (
                "3:8183",
                "a control character (U+0000) that YAML does not allow",
                "delete it; if the value needs it, write it as an escape in double quotes",
            ),
        ),
    ],
)
def test_a_nul_byte_in_the_first_eight_kibibytes_makes_a_binary_file(
    tmp_path: Path, offset: int, expected: tuple[str, str, str]
) -> None:
    head = "a: 1\nb: 2\n# "
    text = head + "x" * (offset - len(head)) + "\x00\n"
    path = tmp_path / "c.yaml"
    path.write_bytes(text.encode())
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert [(f"{p.line}:{p.col}", p.message, p.hint) for p in caught.value.problems] == [expected]
    assert caught.value.problems[0].path == str(path)


@pytest.mark.parametrize(
    ("raw", "where"),
    [(b"\xe9a: 1\n", "1:1"), (b"a: 1\nb: 2\nc: ab\xff\n", "3:6"), (b"\nx: \xff\n", "2:4")],
)
def test_a_byte_that_is_not_utf8_is_named_at_its_place(
    tmp_path: Path, raw: bytes, where: str
) -> None:
    byte = "E9" if b"\xe9" in raw else "FF"
    path = tmp_path / "c.yaml"
    path.write_bytes(raw)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    (problem,) = caught.value.problems
    assert problem.path == str(path)
    assert (f"{problem.line}:{problem.col}", problem.message, problem.hint) == (
        where,
        f"not UTF-8: byte 0x{byte} cannot be decoded",
        "save the file as UTF-8",
    )


def test_a_byte_order_mark_is_read_past(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + MINIMAL.encode())
    assert load_config(path).config.version == 1


def test_a_file_of_exactly_128_kibibytes_is_read(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    padding = MAX_BYTES - len(MINIMAL.encode()) - 1
    path.write_text(MINIMAL + "#" * padding + "\n")
    assert path.stat().st_size == MAX_BYTES
    assert load_config(path).config.version == 1


@pytest.mark.parametrize("where", ["directory", "/proc/self/status", "/dev/null"])
def test_a_config_that_is_not_a_regular_file_is_refused_with_a_remedy(
    tmp_path: Path, where: str
) -> None:
    path = tmp_path if where == "directory" else Path(where)
    with pytest.raises(ReconcilerError) as caught:
        load_config(path)
    assert caught.value.diagnostics() == (
        f"{path}: not a regular file (a directory, device, FIFO or system file)\n"
        "  what to do: give the path of your company.yaml"
    )


def test_a_missing_file_says_what_to_give(tmp_path: Path) -> None:
    with pytest.raises(ReconcilerError) as caught:
        load_config(tmp_path / "nope.yaml")
    assert caught.value.diagnostics() == (
        f"{tmp_path / 'nope.yaml'}: no such file\n  what to do: give the path of your company.yaml"
    )


# The remedy of every problem of every invalid file, in file order (None: the message says it).
HINTS = {
    "invalid-api-driver-without-key.yaml": [
        "add api_key: env/LEDGY_API_KEY, or set driver: workbook"
    ],
    "invalid-base-url-not-url.yaml": [None],
    "invalid-binary-file.yaml": ["give the path of company.yaml"],
    "invalid-custom-field-bad-raw-key.yaml": [
        "a raw key is letters, digits and underscores: raw.<key>"
    ],
    "invalid-conflict-fields.yaml": [
        None,
        "use a plan field name: name, email, birthdate, group, address.<part>, hris.<field> "
        "or custom_fields.<Ledgy name>",
        "remove it; list the fields whose edits in Ledgy matter, e.g. name or birthdate",
        None,
    ],
    "invalid-custom-field-duplicate-to.yaml": [
        "each Ledgy custom field can be fed by one HR field only"
    ],
    "invalid-custom-field-unknown-from.yaml": [
        "use a canonical HR field (README: 'Fields') or raw.<key> for any raw CharlieHR key"
    ],
    "invalid-duplicate-key.yaml": ["YAML keeps only one of them; remove or rename one"],
    "invalid-email-choice.yaml": [None],
    "invalid-empty-file.yaml": ["start from examples/company.yaml"],
    "invalid-field-keys-unknown-role.yaml": ["roles are listed in README: 'Raw CharlieHR keys'"],
    "invalid-five-errors.yaml": [
        "put the secret in an environment variable (a CI secret) and write env/VARIABLE_NAME here",
        None,
        "known keys here: sensitive_exceptions, identifier, email, group, optional_fields, custom_fields, sync_if, terminated, adoption, matches, conflicts, on_removed_field",
        "remove it, or list it in stakeholders.sensitive_exceptions with the reason it may be copied",
        None,
        None,
    ],
    "invalid-identifier-not-work-email.yaml": [
        "write identifier: work_email (the only HR value that is unique per employee and known to Ledgy)"
    ],
    "invalid-list-where-map-expected.yaml": [None],
    "invalid-missing-client-secret.yaml": [None],
    "invalid-missing-hris.yaml": ["examples/company.yaml shows every key"],
    "invalid-non-utf8.yaml": ["save the file as UTF-8"],
    "invalid-only-comments.yaml": ["start from examples/company.yaml"],
    "invalid-optional-field-repeated.yaml": [None],
    "invalid-optional-field-unknown.yaml": [None],
    "invalid-safety-percent-over-100.yaml": [None],
    "invalid-secret-bad-env-name.yaml": [
        "put the secret in an environment variable (a CI secret) and write env/VARIABLE_NAME here"
    ],
    "invalid-secret-inline.yaml": [
        "put the secret in an environment variable (a CI secret) and write env/VARIABLE_NAME here"
    ],
    "invalid-sensitive-bank-key.yaml": [
        "remove it, or list it in stakeholders.sensitive_exceptions with the reason it may be copied"
    ],
    "invalid-sensitive-custom-field.yaml": [
        "remove it, or list it in stakeholders.sensitive_exceptions with the reason it may be copied"
    ],
    "invalid-sensitive-exception-short-reason.yaml": [
        "remove it, or list it in stakeholders.sensitive_exceptions with the reason it may be copied",
        None,
    ],
    "invalid-sensitive-sync-rule.yaml": [
        "remove it, or list it in stakeholders.sensitive_exceptions with the reason it may be copied"
    ],
    "invalid-sync-if-country-name.yaml": [None, None],
    "invalid-sync-if-country-unknown-code.yaml": [
        None,
        "write the two-letter code, e.g. GB, DE, US",
    ],
    "invalid-sync-if-empty-in.yaml": [None],
    "invalid-sync-if-status-capitalised.yaml": [
        "employment statuses are lower case: active, pending, inactive"
    ],
    "invalid-sync-if-unknown-status.yaml": ["a leaver is 'inactive', a future starter 'pending'"],
    "invalid-tab-indent.yaml": ["replace tabs by spaces"],
    "invalid-terminated-group-missing.yaml": ["add group: Alumni (or any name)"],
    "invalid-terminated-group-without-action.yaml": ["set action: group, or remove group"],
    "invalid-terminated-unknown-action.yaml": [None],
    "invalid-test-employee-unknown-field.yaml": [
        "use a canonical HR field (README: 'Fields') or raw.<key> for any raw CharlieHR key"
    ],
    "invalid-top-level-list.yaml": [None],
    "invalid-unclosed-quote.yaml": ["add the closing quote"],
    "invalid-unknown-key-typo.yaml": [
        "known keys here: sensitive_exceptions, identifier, email, group, optional_fields, custom_fields, sync_if, terminated, adoption, matches, conflicts, on_removed_field"
    ],
    "invalid-unknown-provider.yaml": [None],
    "invalid-unknown-top-level-key.yaml": [
        "known keys here: version, hris, ledgy, stakeholders, safety, tests"
    ],
    "invalid-version-2.yaml": [None],
    "invalid-workbook-driver-without-workbook.yaml": [
        "add workbook: {export: ledgy-export.xlsx, out_dir: ledgy-upload}"
    ],
    "invalid-wrong-type-list.yaml": [None],
    "invalid-wrong-type-number.yaml": [None],
}


@pytest.mark.parametrize("name", sorted(HINTS))
def test_every_problem_of_an_invalid_file_gives_its_remedy(name: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(CONFIGS / name)
    assert [p.hint for p in caught.value.problems] == HINTS[name]


def test_every_invalid_file_has_its_remedies_listed() -> None:
    assert set(HINTS) == {p.name for p in CONFIGS.glob("invalid-*.yaml")}


def test_a_value_refused_while_reading_is_reported_once_beside_the_other_problems(
    tmp_path: Path,
) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(MINIMAL.replace("version: 1", "version: !!binary MQ==") + "extra: 1\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert {p.path for p in caught.value.problems} == {str(path)}
    assert [(p.line, p.col, p.message) for p in caught.value.problems] == [
        (1, 10, "unknown tag '!!binary'; a config uses plain YAML values only"),
        (11, 1, "unknown key 'extra' at the top level"),
    ]


def test_warnings_point_at_the_rule_and_the_unused_exception(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(
        MINIMAL
        + "  sync_if:\n    - {field: raw.religion, in: [x]}\n"
        + "  sensitive_exceptions:\n"
        + "    - {field: raw.religion, reason: church tax in Germany}\n"
        + "    - {field: raw.ethnicity, reason: a survey by law here}\n"
    )
    warnings = load_config(path).warnings
    assert warnings == (
        Problem(
            str(path),
            12,
            15,
            "'raw.religion' reads religious affiliation (including church tax elections); "
            "allowed by a sensitive exception",
            None,
            "warning",
        ),
        Problem(
            str(path),
            15,
            15,
            "the exception for 'raw.ethnicity' is not used by any custom field or rule",
            "remove it, so the file shows exactly what sensitive data is copied",
            "warning",
        ),
    )
    assert [w.key_path for w in warnings] == [
        ("stakeholders", "sync_if", 0, "field"),
        ("stakeholders", "sensitive_exceptions", 1, "field"),
    ]


@pytest.mark.parametrize(
    ("name", "reason"), [("x" * 300, "File name too long"), ("c.yaml/inner", "Not a directory")]
)
def test_a_path_that_cannot_be_looked_at_says_why(tmp_path: Path, name: str, reason: str) -> None:
    (tmp_path / "c.yaml").write_text(MINIMAL)
    path = tmp_path / name
    with pytest.raises(ReconcilerError) as caught:
        load_config(path)
    assert caught.value.diagnostics() == f"{path}: cannot be read ({reason})"


def test_a_refused_number_is_reported_once_not_again_as_a_missing_value(tmp_path: Path) -> None:
    # The reader marks the value's place as reported, so validation does not add a
    # second problem for the empty value it leaves there.
    path = tmp_path / "company.yaml"
    minimal = (CONFIGS / "valid-minimal.yaml").read_text()
    path.write_text(minimal + "safety:\n  max_creates: 99999999999999999999999999999999\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert [(p.line, p.col, p.message) for p in caught.value.problems] == [
        (12, 16, "a whole number of more than 18 digits")
    ]
