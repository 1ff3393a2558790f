"""APScheduler drives the ticks; what is due always comes from the database."""

from __future__ import annotations

from collections.abc import Mapping

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.app import App
from bot.engine import OutputChannel
from scheduler.daily_lessons import send_due_daily_lessons

TICK_SECONDS = 30


def start_scheduler(app: App, channels: Mapping[str, OutputChannel]) -> AsyncIOScheduler:
    scheduler = AsyncIOScheduler(timezone=app.settings.timezone)
    scheduler.add_job(
        send_due_daily_lessons,
        "interval",
        seconds=TICK_SECONDS,
        args=[app, channels],
        id="daily-lessons",
        max_instances=1,
        coalesce=True,
        next_run_time=None,
    )
    scheduler.start()
    scheduler.modify_job("daily-lessons", next_run_time=app.engine.clock())  # a first tick at start
    return scheduler
