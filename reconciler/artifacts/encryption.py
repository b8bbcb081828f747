"""age encryption (through pyrage) for Ledgy's export and the prepared upload folders.

The export of Ledgy's stakeholders holds every employee's personal data, so it
lives in Git only encrypted to the recipients listed in company.yaml
(``ledgy.workbook.recipients``: the CI's key and the admins'). Plans decrypt it in
memory with the identity in ``RECONCILER_AGE_IDENTITY``; nothing here writes
plaintext to disk. Files are ordinary age files: ``age -d -i key.txt FILE``
decrypts them too.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path

import pyrage
from pyrage import ssh, x25519

from reconciler.errors import EncryptionError

IDENTITY_VARIABLE = "RECONCILER_AGE_IDENTITY"
"""The CI secret (or an admin's shell variable): an age identity, or the path of a key file."""
SECRET_PREFIX = "AGE-SECRET-KEY-1"

Recipient = x25519.Recipient | ssh.Recipient
Identity = x25519.Identity | ssh.Identity


def recipient(text: str) -> Recipient:
    """One recipient: an age public key (``age1…``) or an SSH public key line."""
    text = text.strip()
    try:
        if text.startswith("ssh-"):
            return ssh.Recipient.from_str(text)
        return x25519.Recipient.from_str(text)
    except (pyrage.RecipientError, ValueError):
        shown = text[:12] + "…" if len(text) > 12 else text
        raise EncryptionError(
            f"'{shown}' is not an age recipient",
            remedy="use the public key (age1…) that `reconciler keygen` or `age-keygen` prints, "
            "or an ssh-ed25519 line",
        ) from None


def encrypt(plaintext: bytes, recipients: Sequence[str]) -> bytes:
    """Encrypt to every recipient; refuse an empty list rather than write plaintext."""
    if not recipients:
        raise EncryptionError(
            "no recipients to encrypt to; nothing was written",
            remedy="list age public keys under ledgy.workbook.recipients in company.yaml",
        )
    return pyrage.encrypt(plaintext, [recipient(r) for r in recipients])


def identities(environ: Mapping[str, str] | None = None) -> list[x25519.Identity]:
    """The identities in ``RECONCILER_AGE_IDENTITY``: key text, or a key file's path."""
    env = os.environ if environ is None else environ
    value = env.get(IDENTITY_VARIABLE, "").strip()
    if not value:
        raise EncryptionError(
            f"{IDENTITY_VARIABLE} is not set, so the encrypted Ledgy export cannot be read",
            remedy=f"set {IDENTITY_VARIABLE} to an age identity (AGE-SECRET-KEY-1…) whose "
            "public key is in ledgy.workbook.recipients, or to the path of its key file; "
            "in GitHub Actions, from a secret",
        )
    text = value if SECRET_PREFIX in value else _key_file(Path(value))
    found = [
        _identity(line.strip()) for line in text.splitlines() if line.strip().startswith("AGE-")
    ]
    if not found:
        raise EncryptionError(f"{IDENTITY_VARIABLE} holds no age identity (AGE-SECRET-KEY-1…)")
    return found


def _key_file(path: Path) -> str:
    try:
        return path.expanduser().read_text(encoding="utf-8")
    except OSError as error:
        raise EncryptionError(
            f"{IDENTITY_VARIABLE} names {path}, which cannot be read ({error.strerror})",
            remedy="set it to the key itself (AGE-SECRET-KEY-1…) or to a readable key file",
        ) from None


def _identity(line: str) -> x25519.Identity:
    try:
        return x25519.Identity.from_str(line)
    except (pyrage.IdentityError, ValueError):
        raise EncryptionError(
            f"{IDENTITY_VARIABLE} holds a malformed age identity",
            remedy="copy the whole AGE-SECRET-KEY-1… line that age-keygen wrote",
        ) from None


def decrypt(ciphertext: bytes, keys: Sequence[Identity], *, what: str) -> bytes:
    """Decrypt in memory; a clear error when none of the keys is a recipient."""
    try:
        return pyrage.decrypt(ciphertext, list(keys))
    except pyrage.DecryptError:
        raise EncryptionError(
            f"{what}: cannot be decrypted with the identity in {IDENTITY_VARIABLE}",
            remedy="add this identity's public key to ledgy.workbook.recipients and have an "
            "admin run `reconciler ledgy-state update` again, or use a listed identity",
        ) from None


def public_key(identity_text: str) -> str:
    """The public key (recipient) of an age identity, as text."""
    return str(_identity(identity_text.strip()).to_public())


def new_identity(created: datetime) -> tuple[str, str]:
    """A fresh identity as ``age-keygen`` writes its file, and its public key.

    The file text has age-keygen's two comment lines (when, and the public key) above
    the secret key, so ``age -d -i FILE`` and ``RECONCILER_AGE_IDENTITY`` read it.
    """
    identity = x25519.Identity.generate()
    public = str(identity.to_public())
    text = (
        f"# created: {created.isoformat(timespec='seconds')}\n# public key: {public}\n{identity}\n"
    )
    return text, public
