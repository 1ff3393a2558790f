"""Reading the audit log (written by `people_repo.audit`): the entries an admin asks for, newest
first, and the actions it holds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import AuditEntry


@dataclass(frozen=True)
class AuditFilter:
    action: str | None = None
    actor_id: int | None = None
    since: datetime | None = None  # at or after
    until: datetime | None = None  # before


async def audit_entries(session: AsyncSession, wanted: AuditFilter, offset: int = 0, limit: int | None = None
                        ) -> tuple[list[AuditEntry], int]:
    """The entries the filter keeps, newest first, with their count."""
    total = await session.scalar(_select(wanted, func.count(AuditEntry.id))) or 0
    query = _select(wanted).order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).offset(offset)
    if limit is not None:
        query = query.limit(limit)
    return list(await session.scalars(query)), total


async def audit_actions(session: AsyncSession) -> list[str]:
    """Every action the log holds, in order."""
    return list(await session.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action)))


def _select(wanted: AuditFilter, *columns: Any) -> Select[Any]:
    query = select(*columns) if columns else select(AuditEntry)
    if wanted.action:
        query = query.where(AuditEntry.action == wanted.action)
    if wanted.actor_id is not None:
        query = query.where(AuditEntry.actor_id == wanted.actor_id)
    if wanted.since:
        query = query.where(AuditEntry.at >= wanted.since)
    if wanted.until:
        query = query.where(AuditEntry.at < wanted.until)
    return query
