"""Evidence files, encrypted under `<data_dir>/evidence/`, each with the SHA-256 of its original
bytes so that it can later be shown unaltered."""

from __future__ import annotations

import contextlib
import hashlib
import os
import uuid
from dataclasses import dataclass
from pathlib import Path

from storage.crypto import Cipher, DecryptionError

FOLDER = "evidence"
ALERT_PHOTOS = "broadcasts"  # the photos of campaign alerts, encrypted like evidence


class EvidenceAltered(Exception):
    pass


@dataclass(frozen=True)
class StoredFile:
    path: str  # relative to the data folder
    sha256: str
    size: int


def store(cipher: Cipher, data_dir: Path, content: bytes, folder: str = FOLDER) -> StoredFile:
    """Encrypt `content` into a new file of `folder` (evidence/, or an alert's photos)."""
    (data_dir / folder).mkdir(parents=True, exist_ok=True, mode=0o700)
    relative = f"{folder}/{uuid.uuid4().hex}.bin"
    descriptor = os.open(data_dir / relative, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(cipher.encrypt(content))
    return StoredFile(relative, hashlib.sha256(content).hexdigest(), len(content))


def read(cipher: Cipher, data_dir: Path, relative: str, folder: str) -> bytes:
    """A stored file's content, without the evidence check (an alert's photo)."""
    return cipher.decrypt((data_dir / _inside(relative, folder)).read_bytes())


def load(cipher: Cipher, data_dir: Path, relative: str, sha256: str) -> bytes:
    content = cipher.decrypt((data_dir / _inside(relative)).read_bytes())
    if hashlib.sha256(content).hexdigest() != sha256:
        raise EvidenceAltered(relative)
    return content


def read_alert_photo(cipher: Cipher, data_dir: Path, relative: str | None) -> bytes | None:
    """An alert's photo, decrypted; None when it is gone or unreadable."""
    if not relative:
        return None
    try:
        return read(cipher, data_dir, relative, ALERT_PHOTOS)
    except (OSError, ValueError, DecryptionError):
        return None


def remove_alert_photo(data_dir: Path, relative: str | None) -> None:
    if relative:
        with contextlib.suppress(ValueError):
            delete(data_dir, relative, ALERT_PHOTOS)


def delete(data_dir: Path, relative: str, folder: str = FOLDER) -> None:
    (data_dir / _inside(relative, folder)).unlink(missing_ok=True)


def rotate(cipher: Cipher, data_dir: Path, relative: str) -> None:
    path = data_dir / _inside(relative)
    path.write_bytes(cipher.rotate(path.read_bytes()))


def _inside(relative: str, folder: str = FOLDER) -> str:
    if not relative.startswith(f"{folder}/") or ".." in relative or "/" in relative[len(folder) + 1 :]:
        raise ValueError(f"not a path in {folder}/")
    return relative
