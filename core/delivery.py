"""The outbox sender: the one path of every message the bot sends on its own or to someone else
(notices to coordinators and reporters, campaign alerts, reminders, summaries), at the channel's
pace. Each sent message's id is kept for its recipient's "Wipe this chat".

- Notices are rows written in the transaction of the update that causes them; the engine asks
  for them to be sent right after it commits (`send_now`), and the tick sends whatever is left.
- A global rate (messages per second) and at most one message per second to any one chat.
- A row is claimed (`sending`, committed) just before its send and finished just after, so a
  restart never sends a row twice: a row found in `sending` at start is in doubt and marked
  `unknown`, not sent again.
- 429: everyone waits `retry_after`, the row goes back to the queue. 403: the person blocked the
  bot, she is marked inactive. Other errors: retried with backoff, three times, then `failed`.
- Only a send the channel certainly did not carry out is retried. One in doubt (its answer timed
  out, the connection broke mid-answer, a server error) is marked `unknown`, like a row found
  `sending` after a restart, and so is a row of which a part went out before a later part failed.
  So she gets each row at most once; the price is that a message in doubt which did not reach
  her is not sent again, and the alert's figures count it with the failed ones.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.context import ChannelCapabilities
from core.engine import OutputChannel
from core.logs import log_event
from core.messages import (
    REPLY_WINDOWS,
    Delivery,
    Effect,
    Incoming,
    IncomingKind,
    reply_from_payload,
    within_reply_window,
)
from storage import outbox_repo, people_repo
from storage.crypto import Cipher
from storage.models import Outbox, OutboxStatus, utcnow

logger = logging.getLogger("tynchtyk.sender")

MAX_ATTEMPTS = 3
BATCH = 200

# Renders one outbox row into what the person receives; the owner of the row's kind provides it.
Renderer = Callable[[AsyncSession, Outbox], Awaitable[list[Effect] | None]]


class RateLimiter:
    """Spaces sends evenly: never more than `rate` in any second overall (checked over a slightly
    longer window, so that network jitter cannot squeeze one more into a second at the server),
    and at most one per `per_chat_seconds` to the same chat. `pause` holds everything back after
    a 429."""

    def __init__(self, rate: float, per_chat_seconds: float = 1.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = rate
        self.interval = 1.0 / rate
        # The margin over one second absorbs timing jitter between here and the server.
        self.window = 1.0 + max(0.02, 2 * self.interval)
        self.per_chat = per_chat_seconds
        self._clock = clock
        self._next_slot = 0.0
        self._recent: deque[float] = deque()
        self._chat_next: dict[str, float] = {}
        self._paused_until = 0.0
        self._lock = asyncio.Lock()

    async def acquire(self, chat: str) -> None:
        async with self._lock:
            now = self._clock()
            start = max(now, self._next_slot, self._paused_until, self._chat_next.get(chat, 0.0))
            limit = max(1, int(self.rate))
            while self._recent and self._recent[0] <= start - self.window:
                self._recent.popleft()
            if len(self._recent) >= limit:
                start = max(start, self._recent[-limit] + self.window)
            self._recent.append(start)
            if len(self._recent) > limit:
                self._recent.popleft()
            self._next_slot = start + self.interval
            self._chat_next[chat] = start + self.per_chat
            if len(self._chat_next) > 100_000:
                self._chat_next = {key: value for key, value in self._chat_next.items() if value > now}
        delay = start - self._clock()
        if delay > 0:
            await asyncio.sleep(delay)

    def ready(self, chat: str, ahead: float = 0.0) -> bool:
        """Whether a message to this chat could go within `ahead` seconds."""
        return self._chat_next.get(chat, 0.0) <= self._clock() + ahead

    def pause(self, seconds: float) -> None:
        self._paused_until = max(self._paused_until, self._clock() + seconds)


@dataclass(frozen=True)
class _Claimed:
    id: int
    user_id: int | None
    channel: str
    chat_key: str
    attempts: int
    effects: list[Effect]
    window_open: bool = True


def _succeeded(delivery: Delivery) -> bool:
    return not (delivery.blocked or delivery.failed or delivery.retry_after is not None or delivery.undeliverable
                or delivery.in_doubt)


def _in_doubt(delivery: Delivery) -> bool:
    """Whether sending the row again could give her a second copy: a send whose fate is unknown,
    or a retry that would repeat the messages of it that already went out."""
    retry = delivery.failed or delivery.retry_after is not None
    return delivery.in_doubt or (retry and bool(delivery.sent_message_ids))


class Sender:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        channels: Mapping[str, OutputChannel],
        renderers: Mapping[str, Renderer],
        limiter: RateLimiter,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.sessions = sessions
        self.channels = channels
        self.renderers = renderers
        self.limiter = limiter
        self.clock = clock
        self.after_batch: list[Callable[[], Awaitable[None]]] = []  # e.g. progress messages

    async def recover(self) -> int:
        """At start: rows left in `sending` by a stopped process are in doubt; never resend them."""
        async with self.sessions() as session, session.begin():
            return await outbox_repo.mark_in_doubt(session)

    async def send_now(self, row_ids: list[int]) -> None:
        """Send these rows at once (the notices an update just queued); what cannot go now stays
        queued for the tick. A failure here never reaches the person whose update it was."""
        try:
            claimed, _ = await self._claim(len(row_ids), only=row_ids)
            if claimed:
                await self._record_all(list(await asyncio.gather(*(self._deliver(row) for row in claimed))))
        except Exception:  # the database is away, say: the rows stay pending, the tick retries
            log_event(logger, "immediate send failed", logging.WARNING, exc_info=True)

    async def drain(self, stop: asyncio.Event | None = None) -> int:
        """Send everything that is due; returns how many rows were handled.

        Rows are claimed a small batch at a time (about a tenth of a second's worth), sent
        concurrently at the limiter's pace, and their outcomes recorded together. A crash can
        leave at most one batch in doubt: claimed, perhaps sent, never sent again.
        """
        handled = 0
        batch_size = max(10, min(BATCH, int(self.limiter.rate / 10)))
        while stop is None or not stop.is_set():
            claimed, waiting = await self._claim(batch_size)
            if not claimed and waiting:
                await asyncio.sleep(0.05)  # every due message is for a chat that just got one
                continue
            if not claimed:
                break
            outcomes = await asyncio.gather(*(self._deliver(row) for row in claimed))
            await self._record_all(outcomes)
            handled += len(claimed)
            for hook in self.after_batch:
                await hook()
        return handled

    async def _claim(self, size: int, only: list[int] | None = None) -> tuple[list[_Claimed], int]:
        """Mark up to `size` due rows `sending` and commit, before any of them is sent. `only`:
        these rows, whatever the pace (the limiter still spaces their sends)."""
        async with self.sessions() as session, session.begin():
            rows = await outbox_repo.due_rows(session, self.clock(), size * 4, only)
            claimed = []
            waiting = 0
            chats: set[tuple[str, str]] = set()
            horizon = size / self.limiter.rate
            last_message = await self._last_messages(session, rows)
            now = self.clock()
            for row in rows:
                if len(claimed) >= size:
                    break
                chat = (row.channel, row.chat_key)
                if only is None and (chat in chats or not self.limiter.ready(f"{row.channel}:{row.chat_key}", horizon)):
                    waiting += 1
                    continue  # a chat that just got a message waits for a later batch; others go first
                chats.add(chat)
                effects = await self._render(session, row)
                if effects is None or row.channel not in self.channels:
                    row.status, row.error = OutboxStatus.SKIPPED, ("no channel" if effects else "cancelled")
                    continue
                row.status = OutboxStatus.SENDING
                window_open = within_reply_window(row.channel, last_message.get(row.user_id or 0), now)
                claimed.append(
                    _Claimed(row.id, row.user_id, row.channel, row.chat_key, row.attempts, effects, window_open)
                )
        return claimed, waiting

    @staticmethod
    async def _last_messages(session: AsyncSession, rows: list[Outbox]) -> dict[int, datetime]:
        """When each recipient on a channel with a reply window last wrote, in one query."""
        ids = {row.user_id for row in rows if row.user_id is not None and row.channel in REPLY_WINDOWS}
        return await outbox_repo.last_seen(session, ids)

    async def _deliver(self, row: _Claimed) -> tuple[_Claimed, Delivery]:
        channel = self.channels[row.channel]
        await self.limiter.acquire(f"{row.channel}:{row.chat_key}")
        incoming = Incoming(
            row.channel, row.chat_key, row.chat_key, IncomingKind.ACTION, scheduled=True, window_open=row.window_open
        )
        try:
            delivery = await channel.deliver(incoming, row.effects)
        except Exception:  # a channel bug must not stop the queue
            log_event(logger, "channel raised", logging.ERROR, exc_info=True)
            delivery = Delivery(failed=True)
        if delivery.retry_after is not None:
            self.limiter.pause(delivery.retry_after)
        return row, delivery

    async def _record_all(self, outcomes: list[tuple[_Claimed, Delivery]]) -> None:
        now = self.clock()
        sent = [row.id for row, delivery in outcomes if _succeeded(delivery)]
        async with self.sessions() as session, session.begin():
            await outbox_repo.mark_sent(session, sent, now)
            await people_repo.remember_messages(session, [  # not hers if she left while they were sent
                (row.user_id, row.chat_key, delivery.sent_message_ids, now) for row, delivery in outcomes
                if row.user_id is not None and delivery.sent_message_ids and self._capabilities(row.channel).keeps_message_ids
            ])
            for row, delivery in outcomes:
                if _succeeded(delivery) and delivery.sent_message_ids and self._capabilities(row.channel).delivery_receipts:
                    # receipts name the last message: the one with the buttons
                    await outbox_repo.set_channel_message(session, row.id, delivery.sent_message_ids[-1])
                elif delivery.undeliverable:
                    await outbox_repo.mark_skipped(session, row.id, delivery.undeliverable)
                elif delivery.blocked:
                    await outbox_repo.mark_blocked(session, row.id, row.user_id)
                elif _in_doubt(delivery):
                    reason = "in doubt" if delivery.in_doubt else "partly sent"
                    await outbox_repo.mark_row_in_doubt(session, row.id, reason)
                elif delivery.retry_after is not None:
                    await outbox_repo.retry_later(session, row.id, now + timedelta(seconds=delivery.retry_after))
                elif delivery.failed:
                    attempts = row.attempts + 1
                    if attempts >= MAX_ATTEMPTS:
                        await outbox_repo.mark_failed(session, row.id, attempts)
                    else:
                        await outbox_repo.retry_later(session, row.id, now + outbox_repo.backoff(attempts), attempts)

    def _capabilities(self, channel_name: str) -> ChannelCapabilities:
        """What the named channel can do; a channel not running here can do nothing."""
        channel = self.channels.get(channel_name)
        return channel.capabilities if channel is not None else ChannelCapabilities(name=channel_name)

    async def _render(self, session: AsyncSession, row: Outbox) -> list[Effect] | None:
        renderer = self.renderers.get(row.kind)
        return await renderer(session, row) if renderer else None



class NoticeRenderer:
    """What a notice says, from its encrypted row; one meant for staff is dropped when she is
    no longer a coordinator or an admin."""

    def __init__(self, cipher: Cipher) -> None:
        self.cipher = cipher

    async def __call__(self, session: AsyncSession, row: Outbox) -> list[Effect] | None:
        if row.payload_token is None or row.user_id is None:
            return None
        payload = self.cipher.decrypt_json(row.payload_token)
        if payload.get("as_staff"):
            if not await people_repo.is_staff(session, row.user_id):
                return None
        return [reply_from_payload(payload)]
