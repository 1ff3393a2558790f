"""Campaign alerts through the outbox sender and the real aiogram client, against the fake Bot API.

1. 10,000 recipients at a set rate of 1,000 messages per second: the achieved rate (messages the
   fake server accepted per second, from its own clock) as a ratio of the set rate. Aim: >= 0.95.
2. A set rate of 30 per second for 60 seconds (1,800 recipients): the most messages the fake
   server received in any 1-second window. It must not pass 30.
"""

from __future__ import annotations

import asyncio
import time
from datetime import datetime, timezone
from pathlib import Path


from common import banner, fake_bot_api_process, make_settings, parser, temp_dir, verdict, write_json
from sqlalchemy import insert

from bot.app import build_app
from bot.channels.telegram import TelegramChannel
from scheduler.broadcasts import BroadcastService
from core.delivery import RateLimiter, Sender
from storage import broadcast_repo
from storage.models import User

FIRST_CHAT = 500_000


def now() -> datetime:
    return datetime.now(timezone.utc)


async def run(recipients: int, rate: float) -> dict[str, float]:
    accepted: list[float] = []
    with temp_dir("bench-broadcast") as folder:
        app = await build_app(make_settings(Path(folder)))
        try:
            async with fake_bot_api_process(Path(folder), accepted) as bot:
                async with app.sessions() as session, session.begin():
                    await session.execute(insert(User), [
                        {"channel": "telegram", "external_id": str(FIRST_CHAT + number), "language": "ru",
                         "region": "naryn", "role": "member", "coordinator_regions": [], "active": True,
                         "alerts_muted": False}
                        for number in range(recipients)
                    ])
                    await broadcast_repo.create_broadcast(session, app.cipher, created_by=None, status="scheduled",
                                                          texts={"all": "Оповещение кампании"}, audience={},
                                                          ask_ack=True, send_at=now())
                channel = TelegramChannel(bot, app.engine)
                service = BroadcastService(app, {"telegram": channel})
                sender = Sender(app.sessions, {"telegram": channel}, {"broadcast": service.render},
                                RateLimiter(rate, per_chat_seconds=1.0), clock=now)
                await service.start_due(now())
                started = time.perf_counter()
                await sender.drain()
                elapsed = time.perf_counter() - started
        finally:
            await app.close()
    span = accepted[-1] - accepted[0] if len(accepted) > 1 else elapsed
    most, start = 0, 0
    for end, stamp in enumerate(accepted):
        while stamp - accepted[start] >= 1.0:
            start += 1
        most = max(most, end - start + 1)
    return {
        "recipients": recipients,
        "accepted": len(accepted),
        "set_rate": rate,
        "achieved_rate": (len(accepted) - 1) / span if span > 0 else 0.0,
        "wall_seconds": elapsed,
        "busiest_second": most,
    }


def main() -> None:
    arguments = parser(__doc__.splitlines()[0])
    options = arguments.parse_args()
    banner("campaign alerts through the outbox sender")
    big = 1_000 if options.quick else 10_000
    steady_seconds = 5 if options.quick else 60
    fast = asyncio.run(run(big, 1000.0))
    ratio = fast["achieved_rate"] / fast["set_rate"]
    print(f"   {fast['recipients']:,} recipients at a set rate of 1,000/s: {fast['accepted']:,} accepted in "
          f"{fast['wall_seconds']:.1f} s; achieved {fast['achieved_rate']:.0f}/s = {ratio:.2f} of the set rate "
          f"(aim >= 0.95) {verdict(ratio >= 0.95)}")
    slow = asyncio.run(run(30 * steady_seconds, 30.0))
    print(f"   {slow['recipients']:,} recipients at 30/s ({slow['wall_seconds']:.0f} s): busiest 1-second window "
          f"{slow['busiest_second']} messages (must not pass 30) {verdict(slow['busiest_second'] <= 30)}")
    write_json(options.json, {"fast": fast, "fast_ratio": ratio, "steady": slow})


if __name__ == "__main__":
    main()
