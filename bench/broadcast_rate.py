"""Campaign alerts through the outbox sender and the real aiogram client, against the fake Bot API.

1. 10,000 recipients at a set rate of 1,000 messages per second: the achieved rate (messages the
   fake server accepted per second, from its own clock) as a ratio of the set rate. Aim: >= 0.95.
   The sender is wired as the scheduler wires it (`build_sender`: the alert's progress is checked
   while it drains). The baseline, in the same run against the same fake server: the same
   messages through the same rate limiter and aiogram client, with no database and no sender,
   as many in flight as the sender keeps: what this machine lets through at the moment.
2. A set rate of 30 per second for 60 seconds (1,800 recipients), Telegram's own limit for a
   bot's messages to many chats: the achieved rate as a ratio of it, and the most messages the
   fake server received in any 1-second window. It must not pass 30.
3. The same at 30 per second for 30 seconds with every answer 100 ms late, as across a network:
   the limiter counts a second from the answers (so that no second at the server passes the
   rate whatever the delays), so it reaches at most 1 / (1 + 0.1) of the rate.
"""

from __future__ import annotations

import asyncio
import time
from datetime import datetime, timezone
from pathlib import Path

from common import banner, fake_bot_api_process, make_settings, parser, serving_heap, temp_dir, verdict, write_json
from sqlalchemy import insert

from bot.app import build_app
from bot.channels.telegram import TelegramChannel
from core.delivery import RateLimiter
from scheduler.runner import build_sender
from storage import broadcast_repo
from storage.models import User
from tests.helpers import busiest_second

FIRST_CHAT = 500_000
TEXT = "Оповещение кампании"
ROUND_TRIP = 0.1  # seconds from a call's arrival to its answer's, as from a server far from the Bot API
IN_FLIGHT = 100  # the sender's window at 1,000/s: a tenth of a second's worth


def now() -> datetime:
    return datetime.now(timezone.utc)


async def ours(recipients: int, rate: float, answer_delay: float = 0.0) -> dict[str, float]:
    accepted: list[float] = []
    with temp_dir("bench-broadcast") as folder:
        app = await build_app(make_settings(Path(folder), send_rate=rate, per_chat_seconds=1.0))
        try:
            async with fake_bot_api_process(Path(folder), accepted, answer_delay) as bot:
                async with app.sessions() as session, session.begin():
                    await session.execute(insert(User), [
                        {"channel": "telegram", "external_id": str(FIRST_CHAT + number), "language": "ru",
                         "region": "naryn", "role": "member", "coordinator_regions": [], "active": True,
                         "alerts_muted": False}
                        for number in range(recipients)
                    ])
                    await broadcast_repo.create_broadcast(session, app.cipher, created_by=None, status="scheduled",
                                                          texts={"all": TEXT}, audience={},
                                                          ask_ack=True, send_at=now())
                app.engine.clock = now
                sender, service = build_sender(app, {"telegram": TelegramChannel(bot, app.engine)})
                await service.start_due(now())
                with serving_heap():
                    started, cpu = time.perf_counter(), time.process_time()
                    await sender.drain()
                    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        finally:
            await app.close()
    return figures(recipients, rate, accepted, elapsed, cpu)


async def bare(recipients: int, rate: float) -> dict[str, float]:
    """The same alert to as many chats through the same limiter and client; nothing else."""
    from aiogram.methods import SendMessage
    from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

    accepted: list[float] = []
    markup = InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text="✅ Прочитано", callback_data="bc:read:1")]])
    limiter = RateLimiter(rate, per_chat_seconds=1.0)
    with temp_dir("bench-broadcast-bare") as folder:
        async with fake_bot_api_process(Path(folder), accepted) as bot:
            chats = iter(range(FIRST_CHAT, FIRST_CHAT + recipients))

            async def worker() -> None:
                for chat in chats:
                    async with limiter.sending(f"telegram:{chat}"):
                        await bot(SendMessage(chat_id=chat, text=f"📣 {TEXT}", reply_markup=markup))

            with serving_heap():
                started, cpu = time.perf_counter(), time.process_time()
                await asyncio.gather(*(worker() for _ in range(IN_FLIGHT)))
                elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    return figures(recipients, rate, accepted, elapsed, cpu)


def figures(recipients: int, rate: float, accepted: list[float], elapsed: float, cpu: float) -> dict[str, float]:
    span = accepted[-1] - accepted[0] if len(accepted) > 1 else elapsed
    return {
        "recipients": recipients,
        "accepted": len(accepted),
        "set_rate": rate,
        "achieved_rate": (len(accepted) - 1) / span if span > 0 else 0.0,
        "wall_seconds": elapsed,
        "busiest_second": busiest_second(accepted),
        "cpu_ms_per_message": 1000 * cpu / max(1, len(accepted)),  # this process's, its threads included
    }


def main() -> None:
    arguments = parser(__doc__.splitlines()[0])
    options = arguments.parse_args()
    banner("campaign alerts through the outbox sender")
    big = 1_000 if options.quick else 10_000
    steady_seconds = 5 if options.quick else 60
    floor = asyncio.run(bare(big, 1000.0))
    fast = asyncio.run(ours(big, 1000.0))
    ratio, floor_ratio = fast["achieved_rate"] / fast["set_rate"], floor["achieved_rate"] / floor["set_rate"]
    print(f"   baseline, the limiter and aiogram alone: {floor['accepted']:,} accepted in {floor['wall_seconds']:.1f} s; "
          f"{floor['achieved_rate']:.0f}/s = {floor_ratio:.2f} of the set rate, busiest second {floor['busiest_second']}, "
          f"{floor['cpu_ms_per_message']:.2f} ms of CPU per message")
    print(f"   {fast['recipients']:,} recipients at a set rate of 1,000/s: {fast['accepted']:,} accepted in "
          f"{fast['wall_seconds']:.1f} s; achieved {fast['achieved_rate']:.0f}/s = {ratio:.2f} of the set rate "
          f"(aim >= 0.95) {verdict(ratio >= 0.95)}; {fast['achieved_rate'] / floor['achieved_rate']:.2f} of the baseline; "
          f"busiest second {fast['busiest_second']} (must not pass 1,000) {verdict(fast['busiest_second'] <= 1000)}; "
          f"{fast['cpu_ms_per_message']:.2f} ms of CPU per message = {fast['cpu_ms_per_message'] / floor['cpu_ms_per_message']:.2f} x the baseline's")
    slow = asyncio.run(ours(30 * steady_seconds, 30.0))
    slow_ratio = slow["achieved_rate"] / slow["set_rate"]
    print(f"   {slow['recipients']:,} recipients at 30/s ({slow['wall_seconds']:.0f} s): achieved {slow['achieved_rate']:.1f}/s "
          f"= {slow_ratio:.2f} of the set rate (aim >= 0.95) {verdict(slow_ratio >= 0.95)}; busiest 1-second window "
          f"{slow['busiest_second']} messages (must not pass 30) {verdict(slow['busiest_second'] <= 30)}")
    far = asyncio.run(ours(30 * steady_seconds // 2, 30.0, answer_delay=ROUND_TRIP))
    far_ratio = far["achieved_rate"] / far["set_rate"]
    print(f"   {far['recipients']:,} recipients at 30/s, each answer {ROUND_TRIP * 1000:.0f} ms after its call arrived: "
          f"achieved {far['achieved_rate']:.1f}/s = {far_ratio:.2f} of the set rate (at most 1 / (1 + {ROUND_TRIP}) = "
          f"{1 / (1 + ROUND_TRIP):.2f}: the second is counted from the answers); busiest 1-second window "
          f"{far['busiest_second']} messages (must not pass 30) {verdict(far['busiest_second'] <= 30)}")
    write_json(options.json, {"fast": fast, "fast_ratio": ratio, "baseline": floor, "baseline_ratio": floor_ratio,
                              "steady": slow, "far": far})


if __name__ == "__main__":
    main()
