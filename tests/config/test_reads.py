"""What a valid config reads from HR, and the warnings that do not stop a run: a
sensitive read a written exception allows, an exception nothing uses."""

from __future__ import annotations

from pathlib import Path

from reconciler.config.load import load_config
from reconciler.config.reads import field_reads
from tests.conftest import DATA

CONFIGS = DATA / "configs"


def test_every_custom_field_and_rule_read_is_found_where_it_is_written(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(
        (CONFIGS / "valid-minimal.yaml").read_text()
        + "  custom_fields: [{from: job_title, to: Job title}, {from: raw.cost_centre, to: Cost centre}]\n"
        + "  sync_if: [{field: country, in: [GB]}]\n"
    )
    assert field_reads(load_config(path).config) == [
        (("stakeholders", "custom_fields", 0, "from"), "job_title"),
        (("stakeholders", "custom_fields", 1, "from"), "raw.cost_centre"),
        (("stakeholders", "sync_if", 0, "field"), "country"),
    ]


def test_an_excepted_sensitive_field_is_a_warning() -> None:
    loaded = load_config(CONFIGS / "valid-sensitive-exception.yaml")
    assert [(w.line, w.col, w.severity, w.message) for w in loaded.warnings] == [
        (
            12,
            14,
            "warning",
            "'raw.ethnicity' reads racial or ethnic origin; allowed by a sensitive exception",
        )
    ]


def test_an_unused_exception_is_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(
        (CONFIGS / "valid-minimal.yaml").read_text()
        + "  sensitive_exceptions:\n    - {field: raw.religion, reason: church tax in Germany}\n"
    )
    (warning,) = load_config(path).warnings
    assert (warning.line, warning.message) == (
        12,
        "the exception for 'raw.religion' is not used by any custom field or rule",
    )


def test_an_excepted_dropped_category_warns_that_it_stays_empty(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(
        (CONFIGS / "valid-minimal.yaml").read_text()
        + "  custom_fields: [{from: raw.iban, to: IBAN}]\n"
        + "  sensitive_exceptions: [{field: raw.iban, reason: payouts of the ESPP refund}]\n"
    )
    (warning,) = load_config(path).warnings
    assert warning.hint == (
        "the CharlieHR client never keeps this category of data, so the value will always be empty"
    )
