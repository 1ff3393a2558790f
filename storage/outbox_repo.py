"""The outbox in the database: rows claimed for sending and the outcome of each send. The sender
(core/delivery.py) decides; these functions only read and write."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import exists, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.messages import Notify, notice_payload
from storage.crypto import Cipher
from storage.models import Broadcast, BroadcastStatus, Outbox, OutboxStatus, User


async def mark_in_doubt(session: AsyncSession) -> int:
    """Rows a stopped process left in `sending`: perhaps sent, never sent again."""
    result = await session.execute(
        update(Outbox).where(Outbox.status == OutboxStatus.SENDING).values(status=OutboxStatus.UNKNOWN)
    )
    return result.rowcount or 0


async def mark_row_in_doubt(session: AsyncSession, row_id: int, reason: str) -> None:
    """A send whose fate is unknown: perhaps she has it, so it is never sent again."""
    await session.execute(
        update(Outbox).where(Outbox.id == row_id).values(status=OutboxStatus.UNKNOWN, error=reason[:64])
    )


@dataclass(frozen=True)
class DueWork:
    """What an outbox tick has to do."""

    alerts_to_start: bool  # an alert whose time has come
    rows: bool  # rows due to be sent
    alerts_sending: bool  # alerts on their way, whose progress to report


async def due_work(session: AsyncSession, now: datetime) -> DueWork:
    """What there is to do, in one read: an idle tick costs this statement and no commit."""
    found = (await session.execute(select(
        exists().where(Broadcast.status == BroadcastStatus.SCHEDULED, Broadcast.send_at <= now),
        exists().where(Outbox.status == OutboxStatus.PENDING, Outbox.next_attempt_at <= now),
        exists().where(Broadcast.status == BroadcastStatus.SENDING),
    ))).one()
    return DueWork(*(bool(value) for value in found))


async def due_rows(
    session: AsyncSession, now: datetime, limit: int, only: list[int] | None = None, after_id: int = 0
) -> list[Outbox]:
    """Pending rows whose time has come, oldest first from `after_id` on, locked for this sender
    (PostgreSQL: another sender passes them by)."""
    query = select(Outbox).where(Outbox.status == OutboxStatus.PENDING, Outbox.next_attempt_at <= now,
                                 Outbox.id > after_id)
    if only is not None:
        query = query.where(Outbox.id.in_(only))
    return list(await session.scalars(query.order_by(Outbox.id).limit(limit).with_for_update(skip_locked=True)))


async def mark_sending(session: AsyncSession, row_ids: list[int]) -> None:
    """Claimed: one UPDATE for the claim, not an ORM flush row by row."""
    if row_ids:
        await session.execute(update(Outbox).where(Outbox.id.in_(row_ids)).values(status=OutboxStatus.SENDING)
                              .execution_options(synchronize_session=False))


async def last_seen(session: AsyncSession, user_ids: set[int]) -> dict[int, datetime]:
    """When each of these people last wrote (the hour), for a channel's reply window."""
    if not user_ids:
        return {}
    found = await session.execute(select(User.id, User.last_seen_at).where(User.id.in_(user_ids)))
    return {user_id: seen for user_id, seen in found.all()}


async def mark_sent(session: AsyncSession, row_ids: list[int], now: datetime) -> None:
    """Sent: and a sent notice forgets what it said, so the report it was about is not tied to the moment."""
    if not row_ids:
        return
    await session.execute(
        update(Outbox).where(Outbox.id.in_(row_ids)).values(status=OutboxStatus.SENT, sent_at=now, error=None)
    )
    await session.execute(update(Outbox).where(Outbox.id.in_(row_ids), Outbox.kind == "notice").values(payload_token=None))


async def set_channel_message(session: AsyncSession, row_id: int, message_id: str) -> None:
    """The channel's id of the message, which its later receipts name."""
    await session.execute(update(Outbox).where(Outbox.id == row_id).values(channel_message_id=message_id))


async def mark_skipped(session: AsyncSession, row_id: int, reason: str) -> None:
    await session.execute(update(Outbox).where(Outbox.id == row_id).values(status=OutboxStatus.SKIPPED, error=reason[:64]))


async def mark_blocked(session: AsyncSession, row_id: int, user_id: int | None) -> None:
    """She blocked the bot: the row says so and she is inactive until she writes again."""
    await session.execute(update(Outbox).where(Outbox.id == row_id).values(status=OutboxStatus.BLOCKED, error="blocked"))
    if user_id is not None:
        await session.execute(update(User).where(User.id == user_id).values(active=False))


async def retry_later(session: AsyncSession, row_id: int, at: datetime, attempts: int | None = None) -> None:
    values: dict[str, object] = {"status": OutboxStatus.PENDING, "next_attempt_at": at}
    if attempts is not None:
        values["attempts"] = attempts
    await session.execute(update(Outbox).where(Outbox.id == row_id).values(**values))


async def mark_failed(session: AsyncSession, row_id: int, attempts: int) -> None:
    await session.execute(
        update(Outbox).where(Outbox.id == row_id).values(status=OutboxStatus.FAILED, error="failed", attempts=attempts)
    )


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=2**attempts)


async def queue_notices(
    session: AsyncSession, cipher: Cipher, notices: list[Notify], now: datetime, default_language: str
) -> list[int]:
    """Notices as pending outbox rows, their texts encrypted; returns the rows' ids, for the sender
    to send right after the transaction commits (`Sender.send_now`)."""
    rows = [
        Outbox(kind="notice", user_id=notice.user_id, channel=notice.channel, chat_key=notice.chat_key,
               language=notice.reply.language or default_language, status=OutboxStatus.PENDING,
               attempts=0, next_attempt_at=now, payload_token=cipher.encrypt_json(notice_payload(notice)))
        for notice in notices
    ]
    if not rows:
        return []
    session.add_all(rows)
    await session.flush()
    return [row.id for row in rows]
