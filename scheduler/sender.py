"""The outbox sender: every campaign alert (and, later, every reminder) goes out through here, at
the channel's pace.

- A global rate (messages per second) and at most one message per second to any one chat.
- A row is claimed (`sending`, committed) just before its send and finished just after, so a
  restart never sends a row twice: a row found in `sending` at start is in doubt and marked
  `unknown`, not sent again.
- 429: everyone waits `retry_after`, the row goes back to the queue. 403: the person blocked the
  bot, she is marked inactive. Other errors: retried with backoff, three times, then `failed`.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.engine import OutputChannel
from bot.logs import log_event
from bot.messages import Delivery, Effect, Incoming, IncomingKind
from storage.models import Outbox, OutboxStatus, User, utcnow

logger = logging.getLogger("tynchtyk.sender")

MAX_ATTEMPTS = 3
BATCH = 200

# Renders one outbox row into what the person receives; the owner of the row's kind provides it.
Renderer = Callable[[AsyncSession, Outbox], Awaitable[list[Effect] | None]]


class RateLimiter:
    """Spaces sends evenly: never more than `rate` in any second overall, and at most one per
    `per_chat_seconds` to the same chat. `pause` holds everything back after a 429."""

    def __init__(self, rate: float, per_chat_seconds: float = 1.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.interval = 1.0 / rate
        self.per_chat = per_chat_seconds
        self._clock = clock
        self._next_slot = 0.0
        self._chat_next: dict[str, float] = {}
        self._paused_until = 0.0
        self._lock = asyncio.Lock()

    async def acquire(self, chat: str) -> None:
        async with self._lock:
            now = self._clock()
            start = max(now, self._next_slot, self._paused_until, self._chat_next.get(chat, 0.0))
            self._next_slot = start + self.interval
            self._chat_next[chat] = start + self.per_chat
            if len(self._chat_next) > 100_000:
                self._chat_next = {key: value for key, value in self._chat_next.items() if value > now}
        delay = start - self._clock()
        if delay > 0:
            await asyncio.sleep(delay)

    def pause(self, seconds: float) -> None:
        self._paused_until = max(self._paused_until, self._clock() + seconds)


class Sender:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        channels: Mapping[str, OutputChannel],
        renderers: Mapping[str, Renderer],
        limiter: RateLimiter,
        clock: Callable[[], datetime] = utcnow,
        workers: int = 16,
    ) -> None:
        self.sessions = sessions
        self.channels = channels
        self.renderers = renderers
        self.limiter = limiter
        self.clock = clock
        self.workers = workers
        self.after_batch: list[Callable[[], Awaitable[None]]] = []  # e.g. progress messages

    async def recover(self) -> int:
        """At start: rows left in `sending` by a stopped process are in doubt; never resend them."""
        async with self.sessions() as session, session.begin():
            result = await session.execute(
                update(Outbox).where(Outbox.status == OutboxStatus.SENDING).values(status=OutboxStatus.UNKNOWN)
            )
        return result.rowcount or 0

    async def drain(self, stop: asyncio.Event | None = None) -> int:
        """Send everything that is due; returns how many rows were handled."""
        handled = 0
        while stop is None or not stop.is_set():
            batch = await self._due()
            if not batch:
                break
            queue: asyncio.Queue[int] = asyncio.Queue()
            for row_id in batch:
                queue.put_nowait(row_id)
            done = await asyncio.gather(*(self._work(queue, stop) for _ in range(min(self.workers, len(batch)))))
            handled += sum(done)
            for hook in self.after_batch:
                await hook()
        return handled

    async def _due(self) -> list[int]:
        async with self.sessions() as session:
            rows = await session.scalars(
                select(Outbox.id)
                .where(Outbox.status == OutboxStatus.PENDING, Outbox.next_attempt_at <= self.clock())
                .order_by(Outbox.id)
                .limit(BATCH)
            )
            return list(rows)

    async def _work(self, queue: asyncio.Queue[int], stop: asyncio.Event | None) -> int:
        handled = 0
        while not queue.empty() and (stop is None or not stop.is_set()):
            row_id = queue.get_nowait()
            handled += await self._send_one(row_id)
        return handled

    async def _send_one(self, row_id: int) -> int:
        async with self.sessions() as session, session.begin():
            row = await session.get(Outbox, row_id)
            if row is None or row.status != OutboxStatus.PENDING:
                return 0
            effects = await self._render(session, row)
            if effects is None:
                row.status = OutboxStatus.SKIPPED
                return 1
            row.status = OutboxStatus.SENDING
            channel_name, chat_key, user_id = row.channel, row.chat_key, row.user_id
        channel = self.channels.get(channel_name)
        if channel is None:
            await self._finish(row_id, OutboxStatus.SKIPPED, error="no channel")
            return 1
        await self.limiter.acquire(f"{channel_name}:{chat_key}")
        incoming = Incoming(channel_name, chat_key, chat_key, IncomingKind.ACTION, scheduled=True)
        try:
            delivery = await channel.deliver(incoming, effects)
        except Exception:  # a channel bug must not stop the queue
            log_event(logger, "channel raised", logging.ERROR, exc_info=True)
            delivery = Delivery(failed=True)
        await self._record(row_id, user_id, delivery)
        return 1

    async def _render(self, session: AsyncSession, row: Outbox) -> list[Effect] | None:
        renderer = self.renderers.get("broadcast" if row.broadcast_id else "other")
        return await renderer(session, row) if renderer else None

    async def _record(self, row_id: int, user_id: int | None, delivery: Delivery) -> None:
        now = self.clock()
        if delivery.blocked:
            await self._finish(row_id, OutboxStatus.BLOCKED, error="blocked")
            if user_id is not None:
                async with self.sessions() as session, session.begin():
                    await session.execute(update(User).where(User.id == user_id).values(active=False))
            return
        if delivery.retry_after is not None:
            self.limiter.pause(delivery.retry_after)
            async with self.sessions() as session, session.begin():
                await session.execute(
                    update(Outbox).where(Outbox.id == row_id).values(
                        status=OutboxStatus.PENDING, next_attempt_at=now + timedelta(seconds=delivery.retry_after)
                    )
                )
            return
        if delivery.failed:
            async with self.sessions() as session, session.begin():
                row = await session.get(Outbox, row_id)
                if row is None:
                    return
                row.attempts += 1
                if row.attempts >= MAX_ATTEMPTS:
                    row.status, row.error = OutboxStatus.FAILED, "failed"
                else:
                    row.status = OutboxStatus.PENDING
                    row.next_attempt_at = now + timedelta(seconds=2 ** row.attempts)
            return
        await self._finish(row_id, OutboxStatus.SENT, sent_at=now)

    async def _finish(self, row_id: int, status: str, error: str | None = None, sent_at: datetime | None = None) -> None:
        async with self.sessions() as session, session.begin():
            await session.execute(
                update(Outbox).where(Outbox.id == row_id).values(status=status, error=error, sent_at=sent_at)
            )
