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
import cProfile
import pstats
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from common import (
    ROOT,
    BenchUser,
    LightChannel,
    light_channel,
    banner,
    latency_line,
    latency_ms,
    make_settings,
    parser,
    temp_dir,
    verdict,
    write_json,
)

AIM_P99_MS = 10.0  # one person at a time
AIM_CONCURRENT_P99_MS = 250.0  # 50 people at once


async def walk(user: BenchUser) -> None:
    """One person's session: onboarding, then the menus (9 updates, 4 of them typed)."""
    await user.send("/start")  # the language picker
    await user.press("English")  # -> which region?
    await user.press("Skip")  # -> welcome + main menu
    await user.send("settings")  # a typed label presses the button -> settings
    await user.press("Language")  # the language picker (it has no Back button: choosing goes back)
    await user.press("English")  # "language changed" + main menu
    await user.press("Find legal aid")  # a section of the main menu (its topics)
    await user.send("/help")
    await user.send("/menu")


STEPS_PER_USER = 9


async def run_wave(app: Any, keys: list[str], timings: list[float], channel: LightChannel) -> float:
    started = time.perf_counter()
    await asyncio.gather(*(walk(BenchUser(app.engine, channel, key, timings)) for key in keys))
    return time.perf_counter() - started


async def bare_wave(app: Any, user_ids: list[int], steps: int, timings: list[float]) -> float:
    """The floor: per "update" one read + write transaction (session.get, an attribute update,
    commit), same async engine, same concurrency, same number of steps per person."""
    from storage.models import User

    now = app.engine.clock()

    async def one_user(user_id: int) -> None:
        for step in range(steps):
            began = time.perf_counter()
            async with app.sessions() as session, session.begin():
                user = await session.get(User, user_id)
                assert user is not None
                user.last_seen_at = now + timedelta(microseconds=step + 1)  # a real change: an UPDATE each time
            timings.append(time.perf_counter() - began)

    started = time.perf_counter()
    await asyncio.gather(*(one_user(user_id) for user_id in user_ids))
    return time.perf_counter() - started


async def main_async(users: int, batch: int, serial_users: int, bare_updates: int, json_path: Path | None,
                     profile_top: int = 0) -> None:
    from sqlalchemy import select

    from bot.app import build_app
    from storage.models import User

    banner("engine_menus: updates through the engine on SQLite")
    with temp_dir("engine") as directory:
        settings = make_settings(Path(directory))
        app = await build_app(settings, run_migrations=True)
        channel = light_channel(app.content)
        try:
            # Warm-up (imports, caches, the connection pool), not measured.
            await run_wave(app, [f"warm{index}" for index in range(min(batch, 20))], [], channel)
            # As `serve` does before it listens: what is loaded by now stays out of the collector's passes.
            from bot.run import keep_startup_objects_out_of_collections

            keep_startup_objects_out_of_collections()

            # Our waves, with a bare wave after every few of them, so that both see the same machine.
            keys = [str(100_000 + index) for index in range(users)]
            waves = [keys[start : start + batch] for start in range(0, len(keys), batch)]
            bare_waves = max(1, round(bare_updates / (batch * STEPS_PER_USER)))
            bare_every = max(1, len(waves) // bare_waves)
            timings: list[float] = []
            bare_timings: list[float] = []
            wall = bare_wall = cpu = bare_cpu = 0.0
            for index, wave in enumerate(waves):
                cpu_before = time.process_time()
                wall += await run_wave(app, wave, timings, channel)
                cpu += time.process_time() - cpu_before
                if index % bare_every == bare_every - 1 or len(waves) == 1:
                    async with app.sessions() as session:
                        ids = list((await session.scalars(select(User.id).where(User.external_id.in_(wave)))).all())
                    cpu_before = time.process_time()
                    bare_wall += await bare_wave(app, ids, STEPS_PER_USER, bare_timings)
                    bare_cpu += time.process_time() - cpu_before
            updates = len(timings)
            rate = updates / wall
            bare_rate = len(bare_timings) / bare_wall

            # People one at a time: the engine's own time per update, without queueing behind others.
            serial: list[float] = []
            profile = cProfile.Profile() if profile_top else None
            serial_wall = serial_cpu = 0.0
            for index in range(serial_users):
                if profile is not None:
                    profile.enable()
                cpu_before = time.process_time()
                serial_wall += await run_wave(app, [str(900_000 + index)], serial, channel)
                serial_cpu += time.process_time() - cpu_before
                if profile is not None:
                    profile.disable()
        finally:
            await app.close()

    concurrent = latency_ms(timings)
    serial_figures = latency_ms(serial)
    print(f"users                       {users} ({STEPS_PER_USER} updates each, {batch} walking at a time)")
    print(f"total updates               {updates}")
    print(f"wall time                   {wall:.2f} s")
    print(f"updates/s                   {rate:,.0f}")
    print(f"engine time, {batch} at a time  {latency_line(timings)}")
    print(
        f"engine time, 1 at a time    {latency_line(serial)}  "
        f"[{len(serial)} updates, {len(serial) / serial_wall:,.0f} updates/s]"
    )
    cpu_ms, serial_cpu_ms = cpu * 1000 / updates, serial_cpu * 1000 / len(serial)
    bare_cpu_ms = bare_cpu * 1000 / len(bare_timings)
    print(f"CPU per update              {cpu_ms:.2f} ms {batch} at a time, {serial_cpu_ms:.2f} ms 1 at a time "
          f"(the process's, aiosqlite's threads included; a bare transaction {bare_cpu_ms:.2f} ms)")
    print(f"aim                         p99 < {AIM_P99_MS:.0f} ms one at a time, < {AIM_CONCURRENT_P99_MS:.0f} ms 50 at a time")
    print(f"  {batch} at a time p99         {concurrent['p99_ms']:.2f} ms: "
          f"{verdict(concurrent['p99_ms'] < AIM_CONCURRENT_P99_MS)}  (includes waiting behind the other {batch - 1})")
    print(f"  1 at a time p99           {serial_figures['p99_ms']:.2f} ms: "
          f"{verdict(serial_figures['p99_ms'] < AIM_P99_MS)}")
    bare = latency_ms(bare_timings)
    print(f"bare baseline               {len(bare_timings)} read+write transactions in {bare_wall:.2f} s = "
          f"{bare_rate:,.0f}/s, {batch} at a time (p50 {bare['p50_ms']:.2f} ms, p99 {bare['p99_ms']:.2f} ms)")
    print(f"ours / bare                 {rate / bare_rate:.2f}  (1.00: an update costs as much as one bare transaction)")
    print(f"answers                     {channel.replies} replies, {channel.errors} error replies, "
          f"{channel.expired} 'button expired' replies")
    if profile is not None:
        show_profile(profile, profile_top)
    write_json(json_path, {
        "updates": updates,
        "wall_s": wall,
        "updates_per_s": rate,
        "concurrent": concurrent,
        "serial": serial_figures,
        "bare_per_s": bare_rate,
        "bare": bare,
        "ratio_to_bare": rate / bare_rate,
        "cpu_ms_per_update": cpu_ms,
        "serial_cpu_ms_per_update": serial_cpu_ms,
        "bare_cpu_ms": bare_cpu_ms,
        "errors": channel.errors,
        "expired": channel.expired,
        "aim_p99_ms": AIM_P99_MS,
        "aim_concurrent_p99_ms": AIM_CONCURRENT_P99_MS,
    })


OUR_CODE = tuple(str(ROOT / package) + "/" for package in ("bot", "core", "handlers", "scheduler", "storage", "content"))


def show_profile(profile: cProfile.Profile, top: int) -> None:
    """The entries of our own code (bot/, core/, handlers/, scheduler/, storage/, content/) with the most
    cumulative time.

    Under asyncio, cProfile counts each resumption of a coroutine as a call, and a coroutine's
    time only while it runs (not while it awaits); SQL runs in aiosqlite's thread, which is not
    profiled. Read it as "where the event loop's CPU went", not as latency.
    """
    stats = pstats.Stats(profile)
    total = stats.total_tt  # type: ignore[attr-defined]
    ours = [
        (cumulative, own, file, line, name)
        for (file, line, name), (_, _, own, cumulative, _) in stats.stats.items()  # type: ignore[attr-defined]
        if file.startswith(OUR_CODE)
    ]
    ours.sort(reverse=True)
    print(f"profile of the one-at-a-time run ({total:.2f} s profiled); our code by cumulative time:")
    print("   cumulative      own  function")
    for cumulative, own, file, line, name in ours[:top]:
        print(f"   {cumulative:8.2f} s {own:6.2f} s  {Path(file).relative_to(ROOT)}:{line}({name})")
    by_package: dict[str, float] = {}
    for (file, _, _), (_, _, own, _, _) in stats.stats.items():  # type: ignore[attr-defined]
        by_package[_package(file)] = by_package.get(_package(file), 0.0) + own
    print("   own time by package: " + ", ".join(
        f"{name} {seconds / total:.0%}" for name, seconds in sorted(by_package.items(), key=lambda item: -item[1])[:8]
    ))


def _package(file: str) -> str:
    if "/site-packages/" in file:
        return file.split("/site-packages/", 1)[1].split("/", 1)[0]
    if file.startswith(str(ROOT)):
        return Path(file).relative_to(ROOT).parts[0] + "/"
    if file.startswith(("~", "<")):
        return "C builtins"
    return "stdlib"


def main() -> None:
    arguments = parser(__doc__.splitlines()[0])
    arguments.add_argument("--users", type=int, default=1000)
    arguments.add_argument("--batch", type=int, default=50, help="people walking at the same time")
    arguments.add_argument("--serial-users", type=int, default=20, help="people walked one at a time, for latency")
    arguments.add_argument("--profile", type=int, default=0, metavar="N",
                           help="cProfile the one-at-a-time run and print the top N entries of our own code")
    arguments.add_argument("--bare-updates", type=int, default=550, help="transactions in the bare baseline (about)")
    options = arguments.parse_args()
    if options.quick:
        options.users, options.batch, options.serial_users, options.bare_updates = 40, 20, 5, 500
    asyncio.run(main_async(options.users, options.batch, options.serial_users, options.bare_updates, options.json,
                            options.profile))


if __name__ == "__main__":
    main()
