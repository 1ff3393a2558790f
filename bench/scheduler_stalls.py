"""How long the event loop stands still while the scheduler's largest writes run on SQLite (which
runs on the loop's thread): everyone's updates wait that long.

1. A campaign alert to 30,000 people starts: its outbox rows are written (`start_due`).
2. 30,000 reminders fall due in the same minute: the reminder tick queues them (`queue_monitoring`).
3. The hourly cleanup forgets an hour of message ids out of 400,000 kept (two days of a busy bot)
   and an hour of delivery ids out of 100,000.

A ticker task sleeps 1 ms at a time and records the longest gap between its wake-ups while each
runs; the work's whole time is printed beside it. The heap is frozen first, as `python -m bot run`
does once it serves, so that a collection of the setup's objects does not fall into a run.

    .venv/bin/python bench/scheduler_stalls.py [--people 30000] [--quick]
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

from common import banner, make_settings, parser, temp_dir, write_json
from loop_stall import longest_stall
from reminders import populate
from sqlalchemy import insert

from bot.app import App, build_app
from scheduler.broadcasts import BroadcastService
from scheduler.runner import hourly_cleanup, queue_monitoring
from storage import broadcast_repo
from storage.models import ChatMessage, InboundMessage, User, hour_of

TICK = 0.001


async def with_app(prefix: str, run: Callable[[App], Awaitable[tuple[float, float]]]) -> tuple[float, float]:
    with temp_dir(prefix) as folder:
        app = await build_app(make_settings(Path(folder)))
        try:
            return await run(app)
        finally:
            await app.close()


async def alert_starts(app: App, people: int) -> tuple[float, float]:
    now = datetime.now(timezone.utc)
    async with app.sessions() as session, session.begin():
        await session.execute(insert(User), [
            {"channel": "telegram", "external_id": str(500_000 + number), "language": "ru", "region": "naryn",
             "role": "member", "coordinator_regions": [], "active": True, "alerts_muted": False}
            for number in range(people)
        ])
        await broadcast_repo.create_broadcast(session, app.cipher, {"all": "Alert"}, created_by=None, status="scheduled",
                                              audience={}, ask_ack=True, send_at=now)
    return await longest_stall(lambda: BroadcastService(app, {}).start_due(now), every=TICK)


async def reminders_due(app: App, people: int) -> tuple[float, float]:
    await populate(app, people // 3, 3, datetime.now(timezone.utc))
    app.engine.clock = lambda: datetime.now(timezone.utc)
    return await longest_stall(lambda: queue_monitoring(app), every=TICK)


async def cleanup(app: App, message_ids: int) -> tuple[float, float]:
    now, chance, hours = app.engine.clock(), random.Random(1), 50
    async with app.sessions() as session, session.begin():
        await session.execute(insert(User), [
            {"channel": "telegram", "external_id": str(number), "role": "member", "coordinator_regions": [], "active": True}
            for number in range(10_000)
        ])
    for hour in range(hours):
        at = hour_of(now - timedelta(hours=hour))
        async with app.sessions() as session, session.begin():
            await session.execute(insert(ChatMessage), [
                {"user_id": chance.randrange(1, 10_001), "chat_key": "123456789", "message_id": str(number), "at": at}
                for number in range(message_ids // hours)
            ])
            await session.execute(insert(InboundMessage), [
                {"channel": "whatsapp", "message_id": f"{hour}-{number}", "received_at": at}
                for number in range(message_ids // hours // 4)
            ])
    app.engine.clock = lambda: now + timedelta(hours=1)
    return await longest_stall(lambda: hourly_cleanup(app), every=TICK)


async def main_async(people: int, message_ids: int) -> dict[str, dict[str, float]]:
    figures = {}
    for name, run in ((f"an alert to {people:,} people starts", lambda app: alert_starts(app, people)),
                      (f"{people:,} reminders due at once are queued", lambda app: reminders_due(app, people)),
                      (f"the hourly cleanup, {message_ids:,} message ids kept", lambda app: cleanup(app, message_ids))):
        stall, took = await with_app("stalls", run)
        figures[name] = {"longest_stall_ms": round(stall, 1), "took_ms": round(took)}
        print(f"   {name:48} longest stall {stall:7.1f} ms   (the work took {took:6.0f} ms)", flush=True)
    return figures


def main() -> None:
    arguments = parser(__doc__.splitlines()[0])
    arguments.add_argument("--people", type=int, default=30_000)
    arguments.add_argument("--message-ids", type=int, default=400_000)
    options = arguments.parse_args()
    if options.quick:
        options.people, options.message_ids = 3_000, 40_000
    banner("the event loop while the scheduler's largest writes run (SQLite)")
    write_json(options.json, asyncio.run(main_async(options.people, options.message_ids)))


if __name__ == "__main__":
    main()
