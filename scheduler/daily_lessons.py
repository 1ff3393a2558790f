"""The daily lesson tick: the database says who is due; each due card is claimed (its next time
written and committed) before it is sent, so a restart never sends one twice, and a card that
fell due while the bot was down goes out once when it starts."""

from __future__ import annotations

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
    for channel_name, external_id in claimed:
        incoming = Incoming(
            channel=channel_name,
            user_key=external_id,
            chat_key=external_id,
            kind=IncomingKind.ACTION,
            action=app.engine.routes.scheduled["daily-lesson"],  # the lessons feature's own action
            scheduled=True,
        )
        await app.engine.handle(incoming, channels[channel_name])
    if claimed:
        log_event(logger, "daily lessons sent", count=len(claimed))
    return len(claimed)
