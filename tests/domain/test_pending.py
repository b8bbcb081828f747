"""The record of prepared uploads: its document, read back exactly, and refused when bad."""

from __future__ import annotations

import json

import pytest

from reconciler.domain.pending import (
    PreparedPerson,
    UploadRecord,
    parse_records,
    pending_branch,
    records_text,
)

RECORD = UploadRecord(
    "08f2ab12cd34",
    "hmac-sha256:08f2ab12cd34ff",
    "2026-11-25T10:30Z",
    "ledgy-upload/08f2ab12cd34.tar.age",
    "0123456789abcdef",
    (PreparedPerson("ada@acme.test", {"name": "d1", "group": "d2"}),),
    (PreparedPerson("bo@acme.test", {"group": "d3"}, "sh_2"),),
    "https://github.com/acme/people/actions/runs/7",
)


def test_a_record_reads_back_as_written_and_the_text_is_stable() -> None:
    older = UploadRecord("aaaaaaaaaaaa", "c", "2026-11-24T09:00Z", "w", "k")
    text = records_text([RECORD, older])
    assert parse_records(text) == (older, RECORD)  # oldest first
    assert records_text(parse_records(text)) == text


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("{", "not JSON"),
        ('{"version": 2, "uploads": []}', "not a version 1 record"),
        ('{"version": 1, "uploads": {}}', "'uploads' is not a list"),
        ('{"version": 1, "uploads": [{"label": "x"}]}', "upload 1: 'checksum' is missing"),
    ],
)
def test_a_damaged_document_is_refused_saying_what_is_wrong(text: str, said: str) -> None:
    with pytest.raises(ValueError, match=said):
        parse_records(text)


def test_an_update_without_its_stakeholder_id_is_refused() -> None:
    data = RECORD.to_dict()
    del data["updates"][0]["stakeholder_id"]
    text = '{"version": 1, "uploads": [' + json.dumps(data) + "]}"
    with pytest.raises(ValueError, match="updates 1: 'stakeholder_id' is missing"):
        parse_records(text)


def test_each_config_has_its_own_branch() -> None:
    assert pending_branch("company.pending.json") == "reconciler/pending/company"
    assert pending_branch("people/uk.pending.json") == "reconciler/pending/people-uk"
