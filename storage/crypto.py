"""Encryption of sensitive fields at rest (Fernet: AES-128-CBC with HMAC-SHA256).

The key comes from `DATA_KEY` or from a key file (`DATA_KEY_FILE`, by default
`<data_dir>/secret.key`), created on first run with mode 0600. Several keys may be given, comma-separated, newest first: data is written with the first
and read with any, which is how a key is rotated.

With DATA_KEY, `rotate-key` cannot change the environment: it keeps the new key in
`rotating.key` beside the key file, which is read before DATA_KEY's keys until a start finds
DATA_KEY set to it (see storage/rotation.py).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

KEY_FILE_NAME = "secret.key"
PENDING_KEY_FILE_NAME = "rotating.key"


class DecryptionError(Exception):
    pass


class Cipher:
    def __init__(self, keys: list[bytes]) -> None:
        if not keys:
            raise ValueError("at least one key is needed")
        self._fernet = MultiFernet([Fernet(key) for key in keys])

    def encrypt(self, plaintext: bytes) -> bytes:
        return self._fernet.encrypt(plaintext)

    def decrypt(self, token: bytes) -> bytes:
        try:
            return self._fernet.decrypt(token)
        except InvalidToken as error:
            raise DecryptionError("the data key does not open this value") from error

    def encrypt_json(self, value: Any) -> bytes:
        return self.encrypt(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode())

    def decrypt_json(self, token: bytes) -> Any:
        return json.loads(self.decrypt(token))

    def rotate(self, token: bytes) -> bytes:
        """The same value encrypted under the first key."""
        try:
            return self._fernet.rotate(token)
        except InvalidToken as error:
            raise DecryptionError("the data key does not open this value") from error


def load_cipher(data_key: str | None, key_file: Path) -> Cipher:
    return Cipher(load_keys(data_key, key_file))


def load_keys(data_key: str | None, key_file: Path) -> list[bytes]:
    """The keys, newest first: from DATA_KEY (comma-separated), after the key of a rotation
    not yet taken into DATA_KEY; else from the key file (one a line), which is created with a
    new key on first run."""
    if data_key:
        keys = [part.strip().encode() for part in data_key.split(",") if part.strip()]
        pending = pending_key_file(key_file)
        if not pending.exists():
            return keys
        rotated = _read_keys(pending)
        if rotated[:1] == keys[:1]:  # DATA_KEY holds the new key now: the file has done its work
            pending.unlink()
            return keys
        return [*rotated, *(key for key in keys if key not in rotated)]
    if not key_file.exists():
        write_key_file(key_file, [Fernet.generate_key()])
    return _read_keys(key_file)


def pending_key_file(key_file: Path) -> Path:
    """Where rotate-key keeps the new key when DATA_KEY is set."""
    return key_file.with_name(PENDING_KEY_FILE_NAME)


def write_key_file(path: Path, keys: list[bytes]) -> None:
    """Write the keys (mode 0600) next to the file, then move it into place in one step."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temporary = path.with_suffix(".new")
    temporary.unlink(missing_ok=True)
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(b"\n".join(keys) + b"\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
    fsync_directory(path.parent)


def fsync_directory(folder: Path) -> None:
    """Make the renames and new files of `folder` survive a power cut."""
    descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _read_keys(path: Path) -> list[bytes]:
    return [line.strip() for line in path.read_bytes().splitlines() if line.strip()]
