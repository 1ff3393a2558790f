"""APScheduler drives the ticks; what is due always comes from the database."""

from __future__ import annotations

import asyncio
import functools
import time
from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.delivery import Sender
from core.engine import OutputChannel
from core.services import App
from scheduler.broadcasts import BroadcastService
from scheduler.daily_lessons import send_due_daily_lessons
from storage import dashboard_repo, outbox_repo, people_repo
from storage.db import in_batches
from storage.evidence import ALERT_PHOTOS
from storage.models import Broadcast, BroadcastStatus
from storage.monitoring_repo import queue_due_reminders, queue_summaries, roll_recurrences

LESSON_TICK_SECONDS = 30
OUTBOX_TICK_SECONDS = 1
CLEANUP_TICK_SECONDS = 3600
UNUSED_PHOTO_SECONDS = 24 * 3600


def build_sender(app: App, channels: Mapping[str, OutputChannel]) -> tuple[Sender, BroadcastService]:
    """The process's one sender (made with the app, for notices) learns the renderers that the
    features registered for their kinds of rows (alerts, reminders, summaries)."""
    for channel in channels.values():
        app.engine.register_channel(channel)
    broadcasts = BroadcastService(app, dict(channels))
    sender = app.sender
    sender.renderers.update({kind: factory(app) for kind, factory in app.engine.routes.renderers.items()
                             if kind != "broadcast"})
    sender.renderers["broadcast"] = broadcasts.render  # the service's own: one renderer, its alerts read once
    sender.after_batch.append(lambda: broadcasts.report_progress(app.engine.clock()))
    return sender, broadcasts


async def outbox_tick(app: App, sender: Sender, broadcasts: BroadcastService) -> None:
    """Every second: alerts that are due start, the outbox is drained, and the progress of alerts
    on their way is reported; one read says which of these there is to do (usually none)."""
    now = app.engine.clock()
    async with app.sessions() as session:
        due = await outbox_repo.due_work(session, now)
    if due.alerts_to_start:
        await broadcasts.start_due(now)
    if due.rows or due.alerts_to_start:
        await sender.drain()
    if due.alerts_sending or due.alerts_to_start:
        await broadcasts.report_progress(app.engine.clock())


async def queue_monitoring(app: App) -> None:
    """Reminders that are due, next occurrences of recurring tasks, morning summaries: all into
    the outbox. Many reminders due at once are queued a batch per transaction, all of them in
    this tick (one batch a tick held 30,000 reminders due together to 500 a second), so that the
    sender has them at once and the database is never held long."""
    now = app.engine.clock()
    async with app.sessions() as session, session.begin():
        await roll_recurrences(session, now, app.settings.timezone)
        more = await queue_due_reminders(session, now)
        await queue_summaries(session, now, app.settings.timezone, app.cipher)
    if more:
        await in_batches(app.sessions, lambda session: queue_due_reminders(session, now))


async def hourly_cleanup(app: App) -> None:
    """What is kept only for a while goes: delivery ids kept against redeliveries (a week), ids of
    chat messages too old for Telegram to delete (48 hours), spent or expired dashboard links and
    ended dashboard sessions, and alert photos no alert waits for (left by an alert composed and
    abandoned)."""
    now = app.engine.clock()
    for forget in (people_repo.forget_old_inbound, people_repo.forget_undeletable_messages):
        await in_batches(app.sessions, functools.partial(_forgot_a_whole_batch, forget, now))
    async with app.sessions() as session, session.begin():
        await dashboard_repo.forget_stale(session, now)
        waiting = set(await session.scalars(
            select(Broadcast.photo_path).where(Broadcast.status.in_([BroadcastStatus.SCHEDULED, BroadcastStatus.SENDING]))
        ))
    folder = app.settings.data_dir / ALERT_PHOTOS
    for path in folder.glob("*.bin") if folder.exists() else []:
        relative = f"{ALERT_PHOTOS}/{path.name}"
        if relative not in waiting and time.time() - path.stat().st_mtime > UNUSED_PHOTO_SECONDS:
            path.unlink(missing_ok=True)


async def _forgot_a_whole_batch(forget: Callable[[AsyncSession, datetime], Awaitable[int]], now: datetime,
                                session: AsyncSession) -> bool:
    """One batch forgotten; whether it was a whole one, so that more may be left."""
    return await forget(session, now) == people_repo.FORGET_AT_ONCE


class Ticks:
    """The running scheduler, and a stop that lets a tick in progress finish: APScheduler's own
    shutdown cancels a running coroutine job, which would leave a claimed batch in doubt."""

    def __init__(self, scheduler: AsyncIOScheduler) -> None:
        self.scheduler = scheduler
        self.running: set[asyncio.Task[Any]] = set()

    def tracked(self, job: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
        async def run(*args: Any) -> Any:
            task = asyncio.current_task()
            if task is not None:
                self.running.add(task)
            try:
                return await job(*args)
            finally:
                self.running.discard(task)  # type: ignore[arg-type]

        return run

    async def stop(self, timeout: float = 10.0) -> None:
        self.scheduler.pause()
        if self.running:
            await asyncio.wait(set(self.running), timeout=timeout)
        self.scheduler.shutdown(wait=False)


async def start_scheduler(app: App, channels: Mapping[str, OutputChannel]) -> Ticks:
    sender, broadcasts = build_sender(app, channels)
    await sender.recover()
    # Each tick looks for what is due, so one is never run twice at once, ticks missed meanwhile
    # run as one, and a late one still runs: APScheduler's default skips a tick more than a
    # second late, with a warning, and what it would have found then waited for the next one
    # (the hourly cleanup, an hour).
    ticks = Ticks(AsyncIOScheduler(timezone=app.settings.timezone, job_defaults={
        "max_instances": 1, "coalesce": True, "misfire_grace_time": None,
    }))
    now = app.engine.clock()
    add = ticks.scheduler.add_job
    add(ticks.tracked(send_due_daily_lessons), "interval", seconds=LESSON_TICK_SECONDS, args=[app, channels],
        id="daily-lessons", next_run_time=now)
    # Reminders and recurring tasks are due to the minute: queued every few seconds (MONITORING_TICK_SECONDS),
    # not every second, so that an idle bot costs little. What they queue is sent by the next outbox tick.
    add(ticks.tracked(queue_monitoring), "interval", seconds=app.settings.monitoring_tick_seconds, args=[app],
        id="monitoring", next_run_time=now)
    add(ticks.tracked(outbox_tick), "interval", seconds=OUTBOX_TICK_SECONDS, args=[app, sender, broadcasts],
        id="outbox", next_run_time=now)
    add(ticks.tracked(hourly_cleanup), "interval", seconds=CLEANUP_TICK_SECONDS, args=[app], id="cleanup")
    ticks.scheduler.start()
    return ticks
