"""The hashing secret: a random key made on first run and kept beside the key file (never in the
database, never a default), so that a copy of the database or of the logs cannot be turned back
into a phone number, a user id or an invite code by trying them all.

Keyed hashes are HMAC-SHA256 with a label per use, so that a log pseudonym and an invite code
hash of the same text never match."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

SECRET_FILE_NAME = "hash.key"
SECRET_BYTES = 32


class Hasher:
    def __init__(self, secret: bytes) -> None:
        if len(secret) < 16:
            raise ValueError("the hashing secret is too short")
        self._secret = secret

    def digest(self, label: str, value: str, length: int = 32) -> str:
        """A keyed hash of `value` for one use (`label`), as `length` hex characters."""
        mac = hmac.new(self._secret, f"{label}\x00{value}".encode(), hashlib.sha256)
        return mac.hexdigest()[:length]


def load_hasher(folder: Path) -> Hasher:
    return Hasher(load_secret(folder / SECRET_FILE_NAME))


def load_secret(path: Path) -> bytes:
    """The secret in `path`, created (mode 0600, folder 0700) on first run."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process made it a moment ago
            pass
        else:
            with os.fdopen(descriptor, "w") as handle:
                handle.write(secrets.token_hex(SECRET_BYTES) + "\n")
                handle.flush()
                os.fsync(handle.fileno())
    text = path.read_text().strip()
    if not text:
        raise ValueError(f"{path} is empty")
    return bytes.fromhex(text)
