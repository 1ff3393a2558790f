"""Monitoring reminders.

1. 10,000 members with 3 tasks falling due in the same minute, queued by the reminder tick and
   sent through the shared rate limiter to the fake Bot API (in a process of its own) at a set
   rate of 1,000 per second: the achieved rate as a ratio of the set rate.
2. 600 members with 3 tasks due in the same minute at 30 per second, Telegram's limit for a
   bot's messages to many chats: the achieved rate, and the most messages the fake server
   received in any 1-second window (it must not pass 30).
3. The scheduler's CPU time while idle for 60 s with 100,000 future reminders in the database
   (the real APScheduler jobs, ticking every second), as a share of one core.
"""

from __future__ import annotations

import asyncio
import resource
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from common import banner, fake_bot_api_process, make_settings, parser, serving_heap, temp_dir, verdict, write_json
from sqlalchemy import func, insert, select

from bot.app import App, build_app
from bot.channels.telegram import TelegramChannel
from core.delivery import RateLimiter
from core.messages import Incoming, IncomingKind
from scheduler.runner import build_sender, queue_monitoring, start_scheduler
from storage.models import GroupMember, MonitoringGroup, Outbox, Reminder, Task, User
from tests.helpers import busiest_second

FIRST_CHAT = 700_000


def now() -> datetime:
    return datetime.now(timezone.utc)


async def populate(app: App, members: int, tasks: int, due: datetime) -> None:
    async with app.sessions() as session, session.begin():
        await session.execute(insert(User), [
            {"channel": "telegram", "external_id": str(FIRST_CHAT + number), "language": "ky", "region": "osh_oblast",
             "role": "member", "coordinator_regions": [], "active": True, "alerts_muted": False}
            for number in range(members)
        ])
        group = MonitoringGroup(name="Bench", region="osh_oblast", invite_hash="bench",
                                invite_token=app.cipher.encrypt(b"BENCH1"), quiet_start="00:00",
                                quiet_end="00:00", default_offsets=[])
        session.add(group)
        await session.flush()
        user_ids = list(await session.scalars(select(User.id).order_by(User.id)))
        await session.execute(insert(GroupMember), [{"group_id": group.id, "user_id": user_id} for user_id in user_ids])
        for number in range(tasks):
            task = Task(group_id=group.id, title_token=app.cipher.encrypt(f"Task {number + 1}".encode()), due_at=due,
                        offsets=[])
            session.add(task)
            await session.flush()
            await session.execute(insert(Reminder), [
                {"task_id": task.id, "user_id": user_id, "kind": "due", "send_at": due, "status": "pending"}
                for user_id in user_ids
            ])


async def burst(members: int, rate: float) -> dict[str, float]:
    accepted: list[float] = []
    with temp_dir("bench-reminders") as folder:
        app = await build_app(make_settings(Path(folder), send_rate=rate))
        try:
            async with fake_bot_api_process(Path(folder), accepted) as bot:
                await populate(app, members, 3, now())
                app.engine.clock = now
                sender, _ = build_sender(app, {"telegram": TelegramChannel(bot, app.engine)})
                with serving_heap():
                    started, cpu = time.perf_counter(), time.process_time()
                    while True:
                        await queue_monitoring(app)
                        handled = await sender.drain()
                        async with app.sessions() as session:
                            left = await session.scalar(
                                select(func.count()).select_from(Reminder).where(Reminder.status == "pending"))
                        if not handled and not left:
                            break
                    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
                async with app.sessions() as session:
                    sent = await session.scalar(select(func.count()).select_from(Outbox).where(Outbox.status == "sent"))
        finally:
            await app.close()
    span = accepted[-1] - accepted[0] if len(accepted) > 1 else elapsed
    return {"reminders": members * 3, "sent": sent, "accepted": len(accepted), "wall_seconds": elapsed,
            "achieved_rate": (len(accepted) - 1) / span if span else 0.0, "set_rate": rate,
            "busiest_second": busiest_second(accepted), "cpu_ms_per_message": 1000 * cpu / max(1, len(accepted))}


async def baseline(members: int, rate: float) -> dict[str, float]:
    """The message one member gets (rendered by the bot from her reminder), sent to as many
    chats through the limiter and the Telegram channel alone: no database, no sender."""
    accepted: list[float] = []
    with temp_dir("bench-reminders-bare") as folder:
        app = await build_app(make_settings(Path(folder), send_rate=rate))
        try:
            await populate(app, 1, 1, now())
            app.engine.clock = now
            await queue_monitoring(app)
            async with app.sessions() as session:
                row = await session.scalar(select(Outbox))
                effects = await app.engine.routes.renderers["reminder"](app)(session, row)
            limiter = RateLimiter(rate, per_chat_seconds=1.0)
            async with fake_bot_api_process(Path(folder), accepted) as bot:
                channel = TelegramChannel(bot, app.engine)
                chats = iter(range(FIRST_CHAT, FIRST_CHAT + members))

                async def worker() -> None:
                    for chat in chats:
                        incoming = Incoming("telegram", str(chat), str(chat), IncomingKind.ACTION, scheduled=True)
                        async with limiter.sending(f"telegram:{chat}"):
                            await channel.deliver(incoming, effects)

                with serving_heap():
                    started, cpu = time.perf_counter(), time.process_time()
                    await asyncio.gather(*(worker() for _ in range(max(10, min(200, int(rate / 10))))))
                    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        finally:
            await app.close()
    span = accepted[-1] - accepted[0] if len(accepted) > 1 else elapsed
    return {"accepted": len(accepted), "wall_seconds": elapsed,
            "achieved_rate": (len(accepted) - 1) / span if span else 0.0,
            "cpu_ms_per_message": 1000 * cpu / max(1, len(accepted))}


async def idle(reminders: int, seconds: float) -> dict[str, float]:
    with temp_dir("bench-idle") as folder:
        app = await build_app(make_settings(Path(folder)))
        try:
            members = 1000
            await populate(app, members, reminders // members, now() + timedelta(days=30))
            scheduler = await start_scheduler(app, {})
            await asyncio.sleep(2)  # the first ticks at start
            cpu_before = resource.getrusage(resource.RUSAGE_SELF)
            wall = time.perf_counter()
            await asyncio.sleep(seconds)
            cpu_after = resource.getrusage(resource.RUSAGE_SELF)
            wall = time.perf_counter() - wall
            await scheduler.stop()
        finally:
            await app.close()
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    return {"reminders": reminders, "seconds": wall, "cpu_seconds": cpu, "share_of_a_core": cpu / wall}


def main() -> None:
    options = parser(__doc__.splitlines()[0]).parse_args()
    banner("monitoring reminders")
    members = 500 if options.quick else 10_000
    floor = asyncio.run(baseline(3 * members, 1000.0))
    result = asyncio.run(burst(members, 1000.0))
    ratio = result["achieved_rate"] / result["set_rate"]
    print(f"   baseline, one member's message through the limiter and the channel alone: {floor['accepted']:,} accepted "
          f"in {floor['wall_seconds']:.1f} s; {floor['achieved_rate']:.0f}/s = {floor['achieved_rate'] / 1000:.2f} of the "
          f"set rate, {floor['cpu_ms_per_message']:.2f} ms of CPU per message")
    print(f"   {result['reminders']:,} reminders due in the same minute ({members:,} members x 3 tasks): "
          f"{result['accepted']:,} accepted in {result['wall_seconds']:.1f} s; achieved {result['achieved_rate']:.0f}/s "
          f"= {ratio:.2f} of the set rate of 1,000/s (aim >= 0.95) {verdict(ratio >= 0.95)}; "
          f"{result['achieved_rate'] / floor['achieved_rate']:.2f} of the baseline; "
          f"{result['cpu_ms_per_message']:.2f} ms of CPU per message (queueing included) = "
          f"{result['cpu_ms_per_message'] / floor['cpu_ms_per_message']:.2f} x the baseline's")
    seconds = 5 if options.quick else 60
    steady = asyncio.run(burst(30 * seconds // 3, 30.0))
    steady_ratio = steady["achieved_rate"] / steady["set_rate"]
    print(f"   {steady['reminders']:,} reminders due in the same minute at 30/s, Telegram's limit for a bot's messages "
          f"to many chats: achieved {steady['achieved_rate']:.1f}/s = {steady_ratio:.2f} of the set rate (aim >= 0.95) "
          f"{verdict(steady_ratio >= 0.95)}; busiest 1-second window {steady['busiest_second']} messages "
          f"(must not pass 30) {verdict(steady['busiest_second'] <= 30)}")
    quiet = asyncio.run(idle(10_000 if options.quick else 100_000, seconds))
    print(f"   idle for {quiet['seconds']:.0f} s with {quiet['reminders']:,} future reminders: "
          f"{quiet['cpu_seconds']:.2f} s of CPU = {100 * quiet['share_of_a_core']:.1f}% of one core "
          f"{verdict(quiet['share_of_a_core'] < 0.05)} (aim: under 5%)")
    write_json(options.json, {"burst": result, "burst_ratio": ratio, "baseline": floor, "steady": steady,
                              "idle": quiet})


if __name__ == "__main__":
    main()
