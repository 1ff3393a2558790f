"""The daily lesson tick: the database says who is due; each due card is claimed (its next time
written and committed) before it is sent, so a restart never sends one twice, and a card that
fell due while the bot was down goes out once when it starts. The cards go at the sender's
pace (its rate limiter), like every message the bot sends on its own."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from datetime import datetime

from core.services import App
from core.engine import OutputChannel
from core.logs import log_event
from core.messages import Incoming, IncomingKind
from core.timing import next_daily_time
from storage import lessons_repo

logger = logging.getLogger("tynchtyk.scheduler")

SENT_AT_ONCE = 10  # cards on their way together, each in its slot of the rate


async def send_due_daily_lessons(app: App, channels: Mapping[str, OutputChannel], now: datetime | None = None) -> int:
    now = now or app.engine.clock()
    claimed: list[tuple[str, str]] = []
    async with app.sessions() as session, session.begin():
        for daily, user in await lessons_repo.due_daily_lessons(session, now):
            if user.channel not in channels:
                continue
            daily.last_sent_at = now
            daily.next_at = next_daily_time(daily.local_time, now, app.settings.timezone)
            claimed.append((user.channel, user.external_id))
    waiting = iter(claimed)

    async def send_in_turn() -> None:
        for channel_name, external_id in waiting:
            incoming = Incoming(
                channel=channel_name,
                user_key=external_id,
                chat_key=external_id,
                kind=IncomingKind.ACTION,
                action=app.engine.routes.scheduled["daily-lesson"],  # the lessons feature's own action
                scheduled=True,
            )
            # At the sender's pace: 500 cards due at 09:00 went out as fast as the engine made
            # them, hundreds a second, past what Telegram allows a bot.
            async with app.sender.limiter.sending(f"{channel_name}:{external_id}"):
                await app.engine.handle(incoming, channels[channel_name])

    await asyncio.gather(*(send_in_turn() for _ in range(min(SENT_AT_ONCE, len(claimed)))))
    if claimed:
        log_event(logger, "daily lessons sent", count=len(claimed))
    return len(claimed)
