"""The outbox sender: the one path of every message the bot sends on its own or to someone else
(notices to coordinators and reporters, campaign alerts, reminders, summaries), at the channel's
pace. Each sent message's id is kept for its recipient's "Wipe this chat".

- Notices are rows written in the transaction of the update that causes them; the engine asks
  for them to be sent right after it commits (`send_now`), and the tick sends whatever is left.
- A global rate (messages per second, as the server counts them) and at most one message per
  second to any one chat: `RateLimiter`.
- A row is claimed (`sending`, committed) before its send and its outcome recorded soon after,
  in the transaction that claims the next batch, so a restart never sends a row twice: a row
  found in `sending` at start is in doubt and marked `unknown`, not sent again.
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
import math
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from collections.abc import Set as AbstractSet
from contextlib import asynccontextmanager
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
    Reply,
    reply_from_payload,
    within_reply_window,
)
from storage import outbox_repo, people_repo
from storage.crypto import Cipher
from storage.models import Outbox, OutboxStatus, utcnow

logger = logging.getLogger("tynchtyk.sender")

MAX_ATTEMPTS = 3
BATCH = 200
CLAIM_PAGES = 4  # pages of due rows a claim reads, when rows for chats that must wait are passed over
HOOK_SECONDS = 1.0  # how often a drain runs its `after_batch` hooks

# Renders one outbox row into what the person receives; the owner of the row's kind provides it.
# A renderer may also have `async prepare(session, rows)`: the rows of a claim, given before each
# of them is rendered in the same transaction, so that it can read what they need in one query.
Renderer = Callable[[AsyncSession, Outbox], Awaitable[list[Effect] | None]]


class _Send:
    """One message let through; `answered` is when its call came back (None: on its way)."""

    __slots__ = ("answered",)

    def __init__(self) -> None:
        self.answered: float | None = None


class RateLimiter:
    """Spaces sends evenly, never more than `rate` in any second and at most one per
    `per_chat_seconds` to the same chat, as the server counts them.

    The second is counted from when earlier sends were answered, not from when they left. A
    message reaches the server after it leaves here and before its answer comes back, so one
    that leaves a second after the answer of the one `rate` messages before it cannot share a
    second with it at the server, whatever delays (a busy event loop, the network) there were
    on the way. Slots are planned a little wider than `1 / rate` (`MARGIN`), so that this rule
    holds a send back only when an answer takes longer than the margin.

    Many sends wait at once, each for its planned slot; the rules are checked again when the
    slot comes, and one held back then (a 429's pause, a slow answer) takes a new slot after
    those planned, so that those held do not all go together when it ends. Sleepers wake on a
    grid of a few milliseconds, those due together in one pass of the event loop: one wake-up
    per send cost about a quarter of a core at 1,000 a second."""

    MARGIN = 0.02  # of a second: how late an answer may come before it slows the pace
    WAKE_GRID = 0.005
    CATCH_UP = 0.05  # of a second: how far behind its plan the pace may make up at once

    def __init__(
        self,
        rate: float,
        per_chat_seconds: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        self.rate = rate
        self.limit = max(1, int(rate))  # messages in any second
        self.interval = (1.0 + self.MARGIN) / rate
        self.per_chat = per_chat_seconds
        self._clock = clock
        self._sleep = sleep
        self._next_slot = 0.0
        self._sends: deque[_Send] = deque(maxlen=self.limit)  # the last `limit` messages let through
        self._chat_next: dict[str, float] = {}  # planned: each chat's next slot
        self._chat_last: dict[str, _Send] = {}  # each chat's last message
        self._paused_until = 0.0

    @asynccontextmanager
    async def sending(self, chat: str, messages: int = 1) -> AsyncIterator[None]:
        """Wait for this chat's turn, then send up to `messages` messages inside the block."""
        sends = await self._let_through(chat, min(max(1, messages), self.limit))
        try:
            yield
        finally:
            answered = self._clock()
            for send in sends:
                send.answered = answered

    async def _let_through(self, chat: str, messages: int) -> list[_Send]:
        now = self._clock()
        # Slots missed while the loop was busy, up to CATCH_UP seconds' worth, are made up (the
        # window counted from answers still keeps every second at the server under the rate);
        # after a longer pause the pace starts again from now.
        if self._next_slot < now - self.CATCH_UP:
            self._next_slot = now
        slot = self._plan(max(self._chat_next.get(chat, 0.0), self._paused_until), chat, messages)
        while True:
            if slot > now:
                await self._sleep(math.ceil(slot / self.WAKE_GRID) * self.WAKE_GRID - now)
                now = self._clock()
            held = max(self._paused_until, self._after(self._chat_last.get(chat), self.per_chat, now),
                       self._window_frees(messages, now))
            if held <= now:
                break
            slot = self._plan(held, chat, messages)
        sends = [_Send() for _ in range(messages)]
        self._sends.extend(sends)
        self._chat_last[chat] = sends[-1]
        if len(self._chat_last) > 100_000:
            self._forget_quiet_chats(now)
        return sends

    def _plan(self, earliest: float, chat: str, messages: int) -> float:
        """The next free slot from `earliest` on, taken for this chat."""
        slot = max(earliest, self._next_slot)
        self._next_slot = slot + messages * self.interval
        self._chat_next[chat] = slot + self.per_chat
        return slot

    def _window_frees(self, messages: int, now: float) -> float:
        """When `messages` more may go without passing `limit` in a second after the answers
        of those before them."""
        over = len(self._sends) + messages - self.limit
        if over <= 0:
            return 0.0
        return max(self._after(self._sends[index], 1.0, now) for index in range(over))

    def _after(self, send: _Send | None, seconds: float, now: float) -> float:
        """When a message may follow `send` by `seconds`; one still on its way holds it a little."""
        if send is None:
            return 0.0
        return send.answered + seconds if send.answered is not None else now + self.WAKE_GRID

    def _forget_quiet_chats(self, now: float) -> None:
        self._chat_next = {key: value for key, value in self._chat_next.items() if value > now}
        self._chat_last = {key: last for key, last in self._chat_last.items()
                           if last.answered is None or last.answered + self.per_chat > now}

    def ready(self, chat: str, ahead: float = 0.0) -> bool:
        """Whether a message to this chat could go within `ahead` seconds."""
        return self._chat_next.get(chat, 0.0) <= self._clock() + ahead

    async def sleep(self, seconds: float) -> None:
        """Wait on the limiter's clock (for a chat to be ready, say)."""
        await self._sleep(seconds)

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

    @property
    def chat(self) -> str:
        return f"{self.channel}:{self.chat_key}"

    @property
    def messages(self) -> int:
        """How many messages the row makes, for the pace."""
        return sum(isinstance(effect, Reply) for effect in self.effects)


Outcome = tuple[_Claimed, Delivery]


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

    @property
    def batch_size(self) -> int:
        """Rows claimed at a time: about a tenth of a second's worth."""
        return max(10, min(BATCH, int(self.limiter.rate / 10)))

    async def send_now(self, row_ids: list[int]) -> None:
        """Send these rows at once (the notices an update just queued); what cannot go now stays
        queued for the tick. A failure here never reaches the person whose update it was."""
        try:
            async with self.sessions() as session, session.begin():
                claimed, _ = await self._claim(session, len(row_ids), only=row_ids)
            if claimed:
                outcomes = list(await asyncio.gather(*(self._deliver(row) for row in claimed)))
                async with self.sessions() as session, session.begin():
                    await self._record(session, outcomes)
        except Exception:  # the database is away, say: the rows stay pending, the tick retries
            log_event(logger, "immediate send failed", logging.WARNING, exc_info=True)

    async def drain(self, stop: asyncio.Event | None = None) -> int:
        """Send everything that is due; returns how many rows were handled.

        Rows are claimed a batch at a time (about a tenth of a second's worth, `sending` and
        committed before any of them goes), and their sends start at once, queued in the
        limiter behind those of the batch before. While one batch goes, a transaction records
        the outcomes of the batch before it and another claims the next, so the limiter never
        waits for the database. A crash leaves at most two batches in doubt: claimed, perhaps
        sent, never sent again. The `after_batch` hooks run about once a second, and at the end.
        A row whose renderer raises is marked failed; the others go on.
        """
        handled = 0
        flights: deque[tuple[list[_Claimed], asyncio.Future[list[Outcome]]]] = deque()
        finished: list[Outcome] = []
        hooks_due = time.monotonic() + HOOK_SECONDS
        try:
            while True:
                stopping = stop is not None and stop.is_set()
                claimed: list[_Claimed] = []
                waiting = 0
                if finished:  # in a transaction of its own: a claim that fails cannot take it back
                    async with self.sessions() as session, session.begin():
                        await self._record(session, finished)
                if not stopping:
                    async with self.sessions() as session, session.begin():
                        busy = {row.chat for rows, _ in flights for row in rows}
                        claimed, waiting = await self._claim(session, self.batch_size, busy=busy)
                handled += len(finished)
                finished = []
                if claimed:
                    flights.append((claimed, asyncio.gather(*(self._deliver(row) for row in claimed))))
                if handled and time.monotonic() >= hooks_due:
                    hooks_due = time.monotonic() + HOOK_SECONDS
                    await self._after_batch()
                if not flights:
                    if waiting and not stopping:
                        await self.limiter.sleep(0.05)  # every due message is for a chat that just got one
                        continue
                    break
                if len(flights) == 2 or not claimed:
                    finished = list(await flights[0][1])  # the older batch is sent: record it, claim one more
                    flights.popleft()
        finally:
            # The database failed: the batches on their way still go, and their rows stay in
            # `sending` (in doubt at the next start), as after a crash.
            for _, flight in flights:
                await asyncio.gather(flight, return_exceptions=True)
        if handled:
            await self._after_batch()
        return handled

    async def _after_batch(self) -> None:
        for hook in self.after_batch:
            await hook()

    async def _claim(
        self, session: AsyncSession, size: int, only: list[int] | None = None, busy: AbstractSet[str] = frozenset()
    ) -> tuple[list[_Claimed], int]:
        """Mark up to `size` due rows `sending` in this transaction, which commits before any of
        them is sent; also how many were passed over for chats that just got a message or have
        one on its way (`busy`). `only`: these rows, whatever the pace (the limiter still spaces
        their sends)."""
        claimed: list[_Claimed] = []
        waiting = 0
        chats: set[str] = set(busy)
        horizon = 2 * size / self.limiter.rate
        after_id = 0
        for _ in range(CLAIM_PAGES):
            rows = await outbox_repo.due_rows(session, self.clock(), size, only, after_id=after_id)
            if not rows:
                break
            after_id = rows[-1].id
            last_message = await self._last_messages(session, rows)
            await self._prepare(session, rows)
            now = self.clock()
            for row in rows:
                if len(claimed) >= size:
                    break
                chat = f"{row.channel}:{row.chat_key}"
                if only is None and (chat in chats or not self.limiter.ready(chat, horizon)):
                    waiting += 1
                    continue  # a chat that just got a message waits for a later batch; others go first
                chats.add(chat)
                try:
                    effects = await self._render(session, row)
                except Exception:  # a renderer's bug must not stop the queue behind this row
                    if not session.is_active:
                        raise  # the database failed: the transaction is gone
                    log_event(logger, "renderer raised", logging.ERROR, exc_info=True, kind=row.kind)
                    row.status, row.error = OutboxStatus.FAILED, "render failed"
                    continue
                if effects is None or row.channel not in self.channels:
                    row.status, row.error = OutboxStatus.SKIPPED, ("no channel" if effects else "cancelled")
                    continue
                window_open = within_reply_window(row.channel, last_message.get(row.user_id or 0), now)
                claimed.append(
                    _Claimed(row.id, row.user_id, row.channel, row.chat_key, row.attempts, effects, window_open)
                )
            if len(claimed) >= size or len(rows) < size:
                break
        await outbox_repo.mark_sending(session, [row.id for row in claimed])
        return claimed, waiting

    @staticmethod
    async def _last_messages(session: AsyncSession, rows: list[Outbox]) -> dict[int, datetime]:
        """When each recipient on a channel with a reply window last wrote, in one query."""
        ids = {row.user_id for row in rows if row.user_id is not None and row.channel in REPLY_WINDOWS}
        return await outbox_repo.last_seen(session, ids)

    async def _deliver(self, row: _Claimed) -> Outcome:
        channel = self.channels[row.channel]
        incoming = Incoming(
            row.channel, row.chat_key, row.chat_key, IncomingKind.ACTION, scheduled=True, window_open=row.window_open
        )
        async with self.limiter.sending(row.chat, messages=row.messages):
            try:
                delivery = await channel.deliver(incoming, row.effects)
            except Exception:  # a channel bug must not stop the queue
                log_event(logger, "channel raised", logging.ERROR, exc_info=True)
                delivery = Delivery(failed=True)
        if delivery.retry_after is not None:
            self.limiter.pause(delivery.retry_after)
        return row, delivery

    async def _record(self, session: AsyncSession, outcomes: list[Outcome]) -> None:
        if not outcomes:
            return
        now = self.clock()
        sent = [row.id for row, delivery in outcomes if _succeeded(delivery)]
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

    async def _prepare(self, session: AsyncSession, rows: list[Outbox]) -> None:
        """A renderer that reads for many rows at once (`prepare`) is given a page's rows of
        its kind first."""
        kinds: dict[str, list[Outbox]] = {}
        for row in rows:
            kinds.setdefault(row.kind, []).append(row)
        for kind, of_kind in kinds.items():
            prepare = getattr(self.renderers.get(kind), "prepare", None)
            if prepare is not None:
                await prepare(session, of_kind)

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
