"""`python -m bot rotate-key`: re-encrypt everything under a new key.

The key file first holds the new key and the old ones, so that every value stays readable
whatever happens; then every encrypted column and evidence file is re-encrypted under the new key
in one transaction; only then the old keys leave the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cryptography.fernet import Fernet
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage import evidence
from storage.crypto import KEY_FILE_NAME, Cipher, load_keys, write_key_file
from storage.models import Conversation, Draft, Evidence, Report, ReportEvent


@dataclass(frozen=True)
class Rotated:
    values: int
    files: int
    new_key: bytes


async def rotate_key(
    sessions: async_sessionmaker[AsyncSession], data_key: str | None, data_dir: Path, key_file: Path | None = None
) -> Rotated:
    key_file = key_file or data_dir / KEY_FILE_NAME
    old_keys = load_keys(data_key, key_file)
    new_key = Fernet.generate_key()
    if not data_key:
        write_key_file(key_file, [new_key, *old_keys])
    cipher = Cipher([new_key, *old_keys])
    values = files = 0
    async with sessions() as session, session.begin():
        for model, column in ((Conversation, "data"), (Draft, "data"), (Report, "answers"), (ReportEvent, "text")):
            for row in await session.scalars(select(model)):
                token = getattr(row, column)
                if token:
                    setattr(row, column, cipher.rotate(token))
                    values += 1
        for item in await session.scalars(select(Evidence)):
            evidence.rotate(cipher, data_dir, item.path)
            files += 1
        files += _rotate_draft_files(cipher, data_dir, await session.scalars(select(Evidence.path)))
    if not data_key:
        write_key_file(key_file, [new_key])
    return Rotated(values, files, new_key)


def _rotate_draft_files(cipher: Cipher, data_dir: Path, filed_paths) -> int:  # type: ignore[no-untyped-def]
    """Files attached to drafts have no Evidence row yet; re-encrypt them too."""
    filed = set(filed_paths)
    count = 0
    folder = data_dir / evidence.FOLDER
    for path in sorted(folder.glob("*.bin")) if folder.exists() else []:
        relative = f"{evidence.FOLDER}/{path.name}"
        if relative not in filed:
            evidence.rotate(cipher, data_dir, relative)
            count += 1
    return count
