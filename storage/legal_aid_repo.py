"""The live legal-aid directory: the content file's entries with the admins' changes on top, and
anonymous lookup counts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from content.legal_aid_model import Directory, Entry
from storage.db import insert_for
from storage.models import LegalAidOverride, LookupCount


async def entries(session: AsyncSession, directory: Directory, include_hidden: bool = False) -> list[tuple[Entry, bool]]:
    """Every entry as people see it now, with whether it is hidden; file order, then new ones."""
    overrides = {row.entry_id: row for row in await session.scalars(select(LegalAidOverride))}
    result: list[tuple[Entry, bool]] = []
    for entry in directory.entries:
        row = overrides.pop(entry.id, None)
        current = Entry.model_validate(row.data) if row is not None and row.data else entry
        hidden = bool(row and row.hidden)
        result.append((current, hidden))
    for row in sorted(overrides.values(), key=lambda row: row.updated_at):
        if row.data:
            result.append((Entry.model_validate(row.data), row.hidden))
    return result if include_hidden else [(entry, hidden) for entry, hidden in result if not hidden]


async def save_entry(session: AsyncSession, entry: Entry, admin_id: int, now: datetime) -> None:
    row = await session.get(LegalAidOverride, entry.id)
    data: dict[str, Any] = entry.model_dump(mode="json", exclude_none=True)
    if row is None:
        session.add(LegalAidOverride(entry_id=entry.id, data=data, hidden=False, updated_at=now, updated_by=admin_id))
    else:
        row.data, row.updated_at, row.updated_by = data, now, admin_id


async def set_hidden(session: AsyncSession, entry_id: str, hidden: bool, admin_id: int, now: datetime) -> None:
    row = await session.get(LegalAidOverride, entry_id)
    if row is None:
        session.add(LegalAidOverride(entry_id=entry_id, data=None, hidden=hidden, updated_at=now, updated_by=admin_id))
    else:
        row.hidden, row.updated_at, row.updated_by = hidden, now, admin_id


async def count_lookup(session: AsyncSession, day: str, region: str, topic: str) -> None:
    statement = insert_for(session, LookupCount).values(day=day, region=region, topic=topic, count=1)
    statement = statement.on_conflict_do_update(
        index_elements=["day", "region", "topic"], set_={"count": LookupCount.count + 1}
    )
    await session.execute(statement)
