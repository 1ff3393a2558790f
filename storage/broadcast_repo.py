"""Audiences, broadcasts and their outbox rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, case, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.messages import Receipt
from storage.crypto import Cipher
from storage.db import insert_for
from storage.models import Broadcast, BroadcastStatus, LessonProgress, Outbox, OutboxStatus, User


@dataclass(frozen=True)
class Audience:
    """Who gets an alert. Empty lists mean "any"; `within_regions` is the coordinator's limit."""

    regions: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    courses: tuple[str, ...] = ()
    within_regions: tuple[str, ...] | None = None  # None: an admin, every region

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Audience:
        within = data.get("within_regions")
        return cls(
            regions=tuple(data.get("regions", ())),
            languages=tuple(data.get("languages", ())),
            roles=tuple(data.get("roles", ())),
            courses=tuple(data.get("courses", ())),
            within_regions=tuple(within) if within is not None else None,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "regions": list(self.regions),
            "languages": list(self.languages),
            "roles": list(self.roles),
            "courses": list(self.courses),
            "within_regions": list(self.within_regions) if self.within_regions is not None else None,
        }


def audience_query(audience: Audience) -> Select[tuple[User]]:
    """Active people who have not muted alerts and match every filter."""
    query = select(User).where(User.active.is_(True), User.alerts_muted.is_(False), User.language.is_not(None))
    if audience.within_regions is not None:
        query = query.where(User.region.in_(audience.within_regions))
    if audience.regions:
        query = query.where(User.region.in_(audience.regions))
    if audience.languages:
        query = query.where(User.language.in_(audience.languages))
    if audience.roles:
        query = query.where(User.role.in_(audience.roles))
    if audience.courses:
        took = select(LessonProgress.user_id).where(LessonProgress.course_id.in_(audience.courses))
        query = query.where(User.id.in_(took))
    return query


async def count_audience(session: AsyncSession, audience: Audience) -> int:
    return await session.scalar(select(func.count()).select_from(audience_query(audience).subquery())) or 0


async def create_broadcast(session: AsyncSession, cipher: Cipher, texts: dict[str, str], **fields: Any) -> Broadcast:
    """A new alert; its texts are kept encrypted."""
    broadcast = Broadcast(texts_token=cipher.encrypt_json(texts), **fields)
    session.add(broadcast)
    await session.flush()
    return broadcast


# Recipients queued in one transaction. Queueing an alert's 30,000 at once held the event loop
# (SQLite runs on it) and the write lock for 1.4 s: every chat waited as the alert started.
ENQUEUED_AT_ONCE = 1000


async def enqueue(session: AsyncSession, broadcast: Broadcast, now: datetime, after: int | None = None,
                  limit: int | None = None) -> int | None:
    """Outbox rows, one per recipient chosen now, for the next `limit` (ENQUEUED_AT_ONCE) recipients by id after
    `after` (None: after the last one queued, as when a stop came between two batches); the
    last id queued, or None once every recipient is, and the alert is SENDING. A recipient
    queued already is left as she is (the unique key, and ON CONFLICT DO NOTHING)."""
    limit = ENQUEUED_AT_ONCE if limit is None else limit
    if after is None:
        after = await session.scalar(select(func.max(Outbox.user_id)).where(Outbox.broadcast_id == broadcast.id)) or 0
    audience = Audience.from_json(broadcast.audience)
    users = (await session.execute(audience_query(audience).where(User.id > after).order_by(User.id).limit(limit)
                                   .with_only_columns(User.id, User.channel, User.external_id, User.language))).all()
    if users:
        await session.execute(insert_for(session, Outbox).on_conflict_do_nothing(index_elements=["broadcast_id", "user_id"]), [
            {"broadcast_id": broadcast.id, "user_id": user_id, "channel": channel, "chat_key": external_id,
             "language": language, "status": OutboxStatus.PENDING, "attempts": 0, "next_attempt_at": now}
            for user_id, channel, external_id, language in users
        ])
    if len(users) < limit:
        broadcast.status = BroadcastStatus.SENDING
        return None
    return int(users[-1][0])


async def due_broadcasts(session: AsyncSession, now: datetime) -> list[Broadcast]:
    rows = await session.scalars(
        select(Broadcast).where(Broadcast.status == BroadcastStatus.SCHEDULED, Broadcast.send_at <= now)
        .order_by(Broadcast.send_at, Broadcast.id)
    )
    return list(rows)


async def counts(session: AsyncSession, broadcast_id: int) -> dict[str, int]:
    rows = await session.execute(
        select(Outbox.status, func.count()).where(Outbox.broadcast_id == broadcast_id).group_by(Outbox.status)
    )
    result = {status.value: 0 for status in OutboxStatus}
    result.update({status: count for status, count in rows.all()})
    figures = (await session.execute(
        select(
            func.count(Outbox.acked_at),
            func.count(Outbox.delivered_at),
            func.count(Outbox.read_at),
            func.sum(case((Outbox.channel == "whatsapp", 1), else_=0)),
            func.sum(case((Outbox.error == "outside-window", 1), else_=0)),
        ).where(Outbox.broadcast_id == broadcast_id)
    )).one()
    for name, value in zip(("acked", "delivered", "opened", "whatsapp", "outside_window"), figures, strict=True):
        result[name] = int(value or 0)
    return result


async def sending_broadcasts(session: AsyncSession) -> list[Broadcast]:
    return list(await session.scalars(select(Broadcast).where(Broadcast.status == BroadcastStatus.SENDING)))


async def cancel(session: AsyncSession, broadcast: Broadcast, now: datetime) -> None:
    broadcast.status = BroadcastStatus.CANCELLED
    broadcast.finished_at = now
    await session.execute(
        update(Outbox)
        .where(Outbox.broadcast_id == broadcast.id, Outbox.status == OutboxStatus.PENDING)
        .values(status=OutboxStatus.SKIPPED, error="cancelled")
    )


async def recent(session: AsyncSession, created_by: int | None, limit: int = 10) -> list[Broadcast]:
    query = select(Broadcast).order_by(Broadcast.id.desc()).limit(limit)
    if created_by is not None:
        query = query.where(Broadcast.created_by == created_by)
    return list(await session.scalars(query))


async def acknowledge(session: AsyncSession, broadcast_id: int, user_id: int, now: datetime) -> bool:
    result = await session.execute(
        update(Outbox)
        .where(Outbox.broadcast_id == broadcast_id, Outbox.user_id == user_id, Outbox.acked_at.is_(None))
        .values(acked_at=now)
    )
    return bool(result.rowcount)


# The receipts that change an outbox row; "sent" only repeats what the send's answer said.
RECORDED_RECEIPTS = frozenset({"delivered", "read", "failed"})


async def record_receipts(session: AsyncSession, receipts: list[Receipt]) -> int:
    """Delivery receipts from a channel (WhatsApp's status callbacks) on the outbox rows they name.

    Receipts may come out of order (read before delivered); a later one never undoes an earlier.
    Receipts that change nothing ("sent") do not reach the database."""
    receipts = [receipt for receipt in receipts if receipt.status in RECORDED_RECEIPTS]
    if not receipts:
        return 0
    ids = [receipt.message_id for receipt in receipts]
    rows = {
        row.channel_message_id: row
        for row in await session.scalars(select(Outbox).where(Outbox.channel_message_id.in_(ids)))
    }
    for receipt in receipts:
        row = rows.get(receipt.message_id)
        if row is None:
            continue  # an answer in a conversation, not an alert or a reminder
        if receipt.status in ("delivered", "read"):  # read implies delivered, by then at the latest
            row.delivered_at = min(row.delivered_at or receipt.at, receipt.at)
        if receipt.status == "read":
            row.read_at = min(row.read_at or receipt.at, receipt.at)
        if receipt.status == "failed" and row.delivered_at is None:
            row.status, row.error = OutboxStatus.FAILED, (receipt.error or "failed")[:64]
    return len(rows)
