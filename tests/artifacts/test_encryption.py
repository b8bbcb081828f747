"""age encryption: to recipients only, decrypted with a listed identity and no other."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyrage import x25519

from reconciler.artifacts import encryption
from reconciler.errors import EncryptionError

IDENTITY = x25519.Identity.generate()
OTHER = x25519.Identity.generate()
RECIPIENT = str(IDENTITY.to_public())


def test_a_file_decrypts_with_a_recipients_key_and_not_with_another() -> None:
    sealed = encryption.encrypt(b"payroll", [RECIPIENT, str(OTHER.to_public())])
    assert b"payroll" not in sealed
    mine = encryption.identities({encryption.IDENTITY_VARIABLE: str(IDENTITY)})
    assert encryption.decrypt(sealed, mine, what="f") == b"payroll"
    only_mine = encryption.encrypt(b"payroll", [RECIPIENT])
    theirs = encryption.identities({encryption.IDENTITY_VARIABLE: str(OTHER)})
    with pytest.raises(EncryptionError, match="f: cannot be decrypted"):
        encryption.decrypt(only_mine, theirs, what="f")


def test_no_recipients_means_nothing_is_written() -> None:
    with pytest.raises(EncryptionError, match="no recipients"):
        encryption.encrypt(b"x", [])


def test_a_malformed_recipient_is_named_without_the_whole_value() -> None:
    with pytest.raises(EncryptionError) as caught:
        encryption.encrypt(b"x", ["age1notakeyatallreallynotakey"])
    assert "is not an age recipient" in caught.value.message
    assert "notakeyatallreallynotakey" not in caught.value.message


def test_the_identity_may_be_a_key_file(tmp_path: Path) -> None:
    key = tmp_path / "key.txt"
    key.write_text(f"# created: today\n# public key: {RECIPIENT}\n{IDENTITY}\n")
    (found,) = encryption.identities({encryption.IDENTITY_VARIABLE: str(key)})
    assert str(found.to_public()) == RECIPIENT


def test_a_missing_or_broken_identity_says_what_to_set(tmp_path: Path) -> None:
    with pytest.raises(EncryptionError, match="RECONCILER_AGE_IDENTITY is not set"):
        encryption.identities({})
    with pytest.raises(EncryptionError, match="cannot be read"):
        encryption.identities({encryption.IDENTITY_VARIABLE: str(tmp_path / "nope.txt")})
    broken = "AGE-SECRET-KEY-1" + "Q" * 10
    with pytest.raises(EncryptionError) as caught:
        encryption.identities({encryption.IDENTITY_VARIABLE: broken})
    assert "malformed" in caught.value.message and broken not in caught.value.diagnostics()
