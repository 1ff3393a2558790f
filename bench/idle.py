"""What an idle bot costs: its scheduler's statements, commits and CPU while nobody writes.

The app is built on a temp-file SQLite database, the scheduler started with a channel that sends
nothing, and for `--seconds` the statements and COMMITs reaching the driver are counted (a
`before_cursor_execute` listener) with the process's CPU time. The baseline, in the same process:
the same time with the scheduler paused, which is what the process costs doing nothing at all.

    .venv/bin/python bench/idle.py [--seconds 20] [--quick]
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from common import banner, light_channel, make_settings, parser, temp_dir, write_json
from sqlalchemy import event

from bot.app import build_app
from scheduler.runner import start_scheduler


async def main() -> None:
    arguments = parser(__doc__.splitlines()[0])
    arguments.add_argument("--seconds", type=float, default=20.0)
    args = arguments.parse_args()
    seconds = 4.0 if args.quick else args.seconds
    banner(f"an idle bot for {seconds:.0f} s")
    with temp_dir("idle") as folder:
        app = await build_app(make_settings(Path(folder)))
        counted = {"statements": 0, "commits": 0}

        def statement(*_args: object) -> None:
            counted["statements"] += 1

        def commit(*_args: object) -> None:
            counted["commits"] += 1

        event.listen(app.database.sync_engine, "before_cursor_execute", statement)
        event.listen(app.database.sync_engine, "commit", commit)
        channel = light_channel(app.content)
        ticks = await start_scheduler(app, {"telegram": channel})
        try:
            await asyncio.sleep(2)  # the first ticks, at start, are not idle
            figures = {}
            for name in ("scheduler paused", "scheduler running"):
                if name == "scheduler paused":
                    ticks.scheduler.pause()
                else:
                    ticks.scheduler.resume()
                counted.update(statements=0, commits=0)
                cpu, wall = time.process_time(), time.perf_counter()
                await asyncio.sleep(seconds)
                cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
                figures[name] = {"statements/s": counted["statements"] / wall, "commits/s": counted["commits"] / wall,
                                 "cpu %": 100 * cpu / wall}
                print(f"   {name:18} {counted['statements'] / wall:5.2f} statements/s, {counted['commits'] / wall:5.2f} "
                      f"commits/s, {100 * cpu / wall:5.2f} % of a core")
            write_json(args.json, figures)
        finally:
            await ticks.stop()
            await app.close()


if __name__ == "__main__":
    asyncio.run(main())
