"""APScheduler drives the ticks; what is due always comes from the database."""

from __future__ import annotations

from collections.abc import Mapping

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.app import App
from bot.engine import OutputChannel
from scheduler.broadcasts import BroadcastService
from scheduler.daily_lessons import send_due_daily_lessons
from scheduler.sender import RateLimiter, Sender

LESSON_TICK_SECONDS = 30
OUTBOX_TICK_SECONDS = 1


def build_sender(app: App, channels: Mapping[str, OutputChannel]) -> tuple[Sender, BroadcastService]:
    broadcasts = BroadcastService(app, dict(channels))
    limiter = RateLimiter(app.settings.send_rate, app.settings.per_chat_seconds)
    sender = Sender(app.sessions, channels, {"broadcast": broadcasts.render}, limiter, clock=app.engine.clock)
    sender.after_batch.append(lambda: broadcasts.report_progress(app.engine.clock()))
    return sender, broadcasts


async def outbox_tick(app: App, sender: Sender, broadcasts: BroadcastService) -> None:
    await broadcasts.start_due(app.engine.clock())
    await sender.drain()
    await broadcasts.report_progress(app.engine.clock())


async def start_scheduler(app: App, channels: Mapping[str, OutputChannel]) -> AsyncIOScheduler:
    sender, broadcasts = build_sender(app, channels)
    await sender.recover()
    scheduler = AsyncIOScheduler(timezone=app.settings.timezone)
    now = app.engine.clock()
    scheduler.add_job(send_due_daily_lessons, "interval", seconds=LESSON_TICK_SECONDS, args=[app, channels],
                      id="daily-lessons", max_instances=1, coalesce=True, next_run_time=now)
    scheduler.add_job(outbox_tick, "interval", seconds=OUTBOX_TICK_SECONDS, args=[app, sender, broadcasts],
                      id="outbox", max_instances=1, coalesce=True, next_run_time=now)
    scheduler.start()
    return scheduler
