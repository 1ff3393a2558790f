"""`python -m bot rotate-key`: re-encrypt everything under a new key, and lose nothing if it
stops at any point.

The steps, in this order, and why:
1. The new key is stored before any byte is rewritten. The key file holds [new, *old]; with
   DATA_KEY (which this command cannot change) the new key goes to `rotating.key` beside the
   key file, which `load_keys` reads before DATA_KEY's keys. From here on the keys the bot
   loads open both the old and the new values. An interrupted rotation with DATA_KEY is
   finished under the key already in `rotating.key`, never a third one.
2. `.rotating` files left by an interrupted run are removed: step 3 redoes them, which is safe
   since the old and the new keys are both known.
3. One transaction re-encrypts every value of ENCRYPTED_COLUMNS; before it commits, every file
   of ENCRYPTED_FOLDERS is re-encrypted into `<name>.rotating` beside it (fsynced). A failure
   up to the commit leaves the database and the files as they were.
4. After the commit each `.rotating` file is renamed over its original: one by one, each file is
   under the old or the new key at every moment, and both are known.
5. Only then the old keys leave the key file. With DATA_KEY the technician sets DATA_KEY to the
   new key; `rotating.key` stays until a start finds DATA_KEY set to it, so the key is kept even
   if she did not copy it.

A file that is missing or that no known key opens is skipped and counted, never an abort: it is
lost already, and the rest must not wait for it. The caller holds the scheduler's lock, so that
no bot process writes under the old key meanwhile.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet
from sqlalchemy import inspect, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import InstrumentedAttribute

from storage import evidence
from storage.crypto import (
    KEY_FILE_NAME, Cipher, DecryptionError, fsync_directory, load_keys, pending_key_file, write_key_file,
)
from storage.models import (
    Broadcast, Conversation, Draft, Evidence, GroupMember, MonitoringGroup, Outbox, Report, ReportEvent, Task,
)

# Every encrypted column: a new one is added here, and rotate-key re-encrypts it.
ENCRYPTED_COLUMNS: tuple[InstrumentedAttribute[Any], ...] = (
    Conversation.data,
    Conversation.menu_token,
    Draft.data,
    Report.answers,
    ReportEvent.text,
    Broadcast.texts_token,
    Outbox.payload_token,
    Task.title_token,
    Task.description_token,
    MonitoringGroup.invite_token,
    GroupMember.display_name_token,
)
# The folders of encrypted files under the data folder: evidence (of reports and of drafts, which
# no row names yet) and alert photos (storage.evidence.ALERT_PHOTOS). Every *.bin in them.
ENCRYPTED_FOLDERS = (evidence.FOLDER, evidence.ALERT_PHOTOS)
# The columns that name a file, so that a file gone missing is told.
FILE_COLUMNS: tuple[InstrumentedAttribute[Any], ...] = (Evidence.path, Broadcast.photo_path)
STAGED_SUFFIX = ".rotating"


@dataclass(frozen=True)
class Rotated:
    values: int
    files: int
    new_key: bytes
    key_kept_in: Path  # the key file, or with DATA_KEY the rotating.key beside it
    unreadable_files: list[str] = field(default_factory=list)  # missing, or no known key opens them
    unreadable_values: list[str] = field(default_factory=list)  # no known key opens them


async def rotate_key(
    sessions: async_sessionmaker[AsyncSession], data_key: str | None, data_dir: Path, key_file: Path | None = None
) -> Rotated:
    key_file = key_file or data_dir / KEY_FILE_NAME
    new_key, known_keys, kept_in = _store_new_key(data_key, key_file)
    cipher = Cipher([new_key, *known_keys])
    _remove_staged(data_dir)
    staged: list[Path] = []
    try:
        async with sessions() as session, session.begin():
            values, unreadable_values = await _rotate_values(session, cipher)
            named = {path for column in FILE_COLUMNS for path in await session.scalars(select(column)) if path}
            unreadable_files = _stage_files(cipher, data_dir, named, staged)
    except BaseException:
        for path in staged:  # the database kept the old values: the files keep theirs too
            path.unlink(missing_ok=True)
        raise
    _replace_originals(staged)
    if not data_key:
        write_key_file(key_file, [new_key])
    return Rotated(values, len(staged), new_key, kept_in, unreadable_files, unreadable_values)


def _store_new_key(data_key: str | None, key_file: Path) -> tuple[bytes, list[bytes], Path]:
    """The new key, the keys known before (newest first) and the file the new key is in, which
    holds it before this returns."""
    known = load_keys(data_key, key_file)
    if not data_key:
        new_key = Fernet.generate_key()
        write_key_file(key_file, [new_key, *known])
        return new_key, known, key_file
    pending = pending_key_file(key_file)
    if pending.exists():  # a rotation DATA_KEY has not taken in yet: finish it under its key
        return known[0], known, pending
    new_key = Fernet.generate_key()
    write_key_file(pending, [new_key])
    return new_key, known, pending


async def _rotate_values(session: AsyncSession, cipher: Cipher) -> tuple[int, list[str]]:
    count, unreadable = 0, []
    for column in ENCRYPTED_COLUMNS:
        model = column.class_
        mapper = inspect(model)
        keys = [mapper.get_property_by_column(key).key for key in mapper.primary_key]
        changes = []
        for *ids, token in await session.execute(select(*mapper.primary_key, column).where(column.is_not(None))):
            if not token:
                continue
            try:
                changes.append({**dict(zip(keys, ids, strict=True)), column.key: cipher.rotate(token)})
            except DecryptionError:
                unreadable.append(f"{model.__tablename__}.{column.key} of #{'/'.join(map(str, ids))}")
        if changes:
            await session.execute(update(model), changes)  # by primary key, in batches
        count += len(changes)
    return count, unreadable


def _stage_files(cipher: Cipher, data_dir: Path, named: set[str], staged: list[Path]) -> list[str]:
    """Write each file re-encrypted beside it (added to `staged`); what could not be read."""
    unreadable = []
    for folder in ENCRYPTED_FOLDERS:
        for path in sorted((data_dir / folder).glob("*.bin")):
            try:
                content = cipher.rotate(path.read_bytes())
            except (OSError, DecryptionError):
                unreadable.append(f"{folder}/{path.name}")
                continue
            staged.append(_write_beside(path, content))
    missing = sorted(path for path in named if not (data_dir / path).exists())
    return unreadable + [f"{path} (missing)" for path in missing]


def _write_beside(path: Path, content: bytes) -> Path:
    staged = path.with_name(path.name + STAGED_SUFFIX)
    descriptor = os.open(staged, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())
    return staged


def _replace_originals(staged: list[Path]) -> None:
    for path in staged:
        os.replace(path, path.with_name(path.name.removesuffix(STAGED_SUFFIX)))
    for folder in {path.parent for path in staged}:
        fsync_directory(folder)


def _remove_staged(data_dir: Path) -> None:
    for folder in ENCRYPTED_FOLDERS:
        for path in (data_dir / folder).glob(f"*.bin{STAGED_SUFFIX}"):
            path.unlink()
