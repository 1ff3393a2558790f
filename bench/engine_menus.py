"""Updates per second through the engine on SQLite, for many simulated people walking the menus.

Each person onboards (/start, a language, skip the region) and then walks the menus with a mix of
button presses and typed text. People run concurrently, in waves of `--batch`; one person's steps
run in order. Every `engine.handle` call is timed.

For a figure that can be compared across machines, the same process also runs a "bare" loop: the
same number of updates, with the same concurrency, where each update is only one SQLite read + write
transaction through the same async engine (session.get + an attribute update + commit). Our rate
is printed as a ratio of that rate.

    .venv/bin/python bench/engine_menus.py [--users 1000] [--batch 50] [--quick]
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

from common import (
    BenchUser,
    LightChannel,
    banner,
    error_texts,
    latency_line,
    latency_ms,
    make_settings,
    parser,
    temp_dir,
    verdict,
    write_json,
)

AIM_P99_MS = 20.0


async def walk(user: BenchUser) -> None:
    """One person's session: onboarding, then the menus (16 updates)."""
    await user.send("/start")  # the language picker
    await user.press("English")  # -> which region?
    await user.press("Skip")  # -> welcome + main menu
    await user.press("Settings")
    await user.press("Language")  # the language picker
    await user.press("English")  # language changed -> main menu
    await user.send("settings")  # a typed label presses the button
    await user.press("Region")
    await user.press("Osh city")  # -> settings again
    await user.press("Main menu")
    await user.press("Lessons")  # a section not yet open
    await user.press("Main menu")
    await user.send("/help")
    await user.send("/menu")
    await user.send("2")  # a typed number presses the second button (legal aid, not yet open)
    await user.send("hello")  # not understood -> main menu


STEPS_PER_USER = 16


async def run_walkers(app: Any, keys: list[str], batch: int, timings: list[float], channel: LightChannel) -> float:
    started = time.perf_counter()
    for start in range(0, len(keys), batch):
        wave = [BenchUser(app.engine, channel, key, timings) for key in keys[start : start + batch]]
        await asyncio.gather(*(walk(user) for user in wave))
    return time.perf_counter() - started


async def bare_loop(app: Any, user_ids: list[int], steps: int, batch: int) -> tuple[float, list[float]]:
    """The floor: one read + one write transaction per "update", same engine, same concurrency."""
    from storage.models import User

    timings: list[float] = []
    now = app.engine.clock()

    async def one_user(user_id: int) -> None:
        for _ in range(steps):
            began = time.perf_counter()
            async with app.sessions() as session, session.begin():
                user = await session.get(User, user_id)
                assert user is not None
                user.last_seen_at = now
                user.active = not user.active  # a real change, so an UPDATE is issued every time
            timings.append(time.perf_counter() - began)

    started = time.perf_counter()
    for start in range(0, len(user_ids), batch):
        await asyncio.gather(*(one_user(user_id) for user_id in user_ids[start : start + batch]))
    return time.perf_counter() - started, timings


async def main_async(users: int, batch: int, serial_users: int, json_path: Path | None) -> None:
    from sqlalchemy import select

    from bot.app import build_app
    from storage.models import User

    banner("engine_menus: updates through the engine on SQLite")
    with temp_dir("engine") as directory:
        settings = make_settings(Path(directory))
        app = await build_app(settings, run_migrations=True)
        channel = LightChannel(error_texts=error_texts(app.content))
        try:
            # Warm-up (imports, caches, the connection pool), not measured.
            await run_walkers(app, [f"warm{index}" for index in range(min(batch, 20))], batch, [], channel)

            timings: list[float] = []
            keys = [str(100_000 + index) for index in range(users)]
            wall = await run_walkers(app, keys, batch, timings, channel)
            updates = len(timings)
            rate = updates / wall

            serial: list[float] = []
            serial_keys = [str(900_000 + index) for index in range(serial_users)]
            serial_wall = await run_walkers(app, serial_keys, 1, serial, channel)

            async with app.sessions() as session:
                user_ids = list((await session.scalars(select(User.id).where(User.external_id.in_(keys)))).all())
            bare_wall, bare_timings = await bare_loop(app, user_ids, STEPS_PER_USER, batch)
            bare_rate = len(bare_timings) / bare_wall
        finally:
            await app.close()

    concurrent = latency_ms(timings)
    serial_figures = latency_ms(serial)
    print(f"users                       {users} ({STEPS_PER_USER} updates each, waves of {batch} at a time)")
    print(f"total updates               {updates}")
    print(f"wall time                   {wall:.2f} s")
    print(f"updates/s                   {rate:,.0f}")
    print(f"engine time, {batch} concurrent  {latency_line(timings)}")
    print(
        f"engine time, one at a time  {latency_line(serial)}  "
        f"[{len(serial)} updates of {serial_users} users, {len(serial) / serial_wall:,.0f} updates/s]"
    )
    print(f"aim                         p99 < {AIM_P99_MS:.0f} ms per update")
    print(f"  concurrent p99            {concurrent['p99_ms']:.2f} ms: {verdict(concurrent['p99_ms'] < AIM_P99_MS)}")
    print(f"  one-at-a-time p99         {serial_figures['p99_ms']:.2f} ms: "
          f"{verdict(serial_figures['p99_ms'] < AIM_P99_MS)}")
    print(f"bare baseline               {len(bare_timings)} read+write transactions in {bare_wall:.2f} s = "
          f"{bare_rate:,.0f}/s (p50 {latency_ms(bare_timings)['p50_ms']:.2f} ms)")
    print(f"ours / bare                 {rate / bare_rate:.2f}  (1.00 would be as fast as one bare transaction)")
    print(f"answers                     {channel.replies} replies, {channel.errors} error replies")
    write_json(json_path, {
        "updates": updates,
        "wall_s": wall,
        "updates_per_s": rate,
        "concurrent": concurrent,
        "serial": serial_figures,
        "bare_per_s": bare_rate,
        "ratio_to_bare": rate / bare_rate,
        "errors": channel.errors,
        "aim_p99_ms": AIM_P99_MS,
    })


def main() -> None:
    arguments = parser(__doc__.splitlines()[0])
    arguments.add_argument("--users", type=int, default=1000)
    arguments.add_argument("--batch", type=int, default=50, help="people walking at the same time")
    arguments.add_argument("--serial-users", type=int, default=50, help="people walked one at a time, for latency")
    options = arguments.parse_args()
    if options.quick:
        options.users, options.batch, options.serial_users = 40, 20, 5
    asyncio.run(main_async(options.users, options.batch, options.serial_users, options.json))


if __name__ == "__main__":
    main()
