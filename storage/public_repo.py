"""The public figures an admin published (`PublicSnapshot`): already suppressed, so nothing here
holds a small number."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import PublicSnapshot, User


async def publish(session: AsyncSession, figures: dict[str, Any], by: User, now: datetime) -> PublicSnapshot:
    snapshot = PublicSnapshot(figures=figures, published_by=by.id, published_at=now)
    session.add(snapshot)
    await session.flush()
    return snapshot


async def newest(session: AsyncSession) -> PublicSnapshot | None:
    query = select(PublicSnapshot).order_by(PublicSnapshot.published_at.desc(), PublicSnapshot.id.desc()).limit(1)
    return await session.scalar(query)
