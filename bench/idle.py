"""What an idle bot costs: its scheduler's statements, commits and CPU while nobody writes.

The app is built on a temp-file SQLite database, the scheduler started with a channel that sends
nothing, and for `--seconds` the statements and COMMITs reaching the driver are counted (bench/common.py's
`DatabaseCounter`) with the process's CPU time. The baseline, in the same process:
the same time with the scheduler paused, which is what the process costs doing nothing at all.

    .venv/bin/python bench/idle.py [--seconds 20] [--quick]
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from common import DatabaseCounter, banner, light_channel, make_settings, parser, temp_dir, write_json

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
        counter = DatabaseCounter(app.database)
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
                with counter.counting() as counted:
                    cpu, wall = time.process_time(), time.perf_counter()
                    await asyncio.sleep(seconds)
                    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
                statements, commits = len(counted.statements) / wall, counted.commits / wall
                figures[name] = {"statements/s": statements, "commits/s": commits, "cpu %": 100 * cpu / wall}
                print(f"   {name:18} {statements:5.2f} statements/s, {commits:5.2f} commits/s, "
                      f"{100 * cpu / wall:5.2f} % of a core")
            write_json(args.json, figures)
        finally:
            await ticks.stop()
            await app.close()


if __name__ == "__main__":
    asyncio.run(main())
