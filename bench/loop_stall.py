"""How long the event loop stands still while a coordinator asks for the reports' chart (PNG) or
the XLSX export in the chat: everyone else's updates wait that long. And how long another person
writing meanwhile waits for her answers: the file is built outside the update's transaction, whose
write lock (SQLite has one) would otherwise hold her writes up until the file is done.

A temp-file SQLite database gets reports written straight into it (as bench/dashboard_pages.py
does); an admin presses the chart and the XLSX export through the engine while a ticker task
sleeps 5 ms at a time and records the longest gap between its wake-ups. The baseline, in the same
process: the same renderers called on the loop itself, as the chat did before they moved out of
it (to a thread, then to a process of their own). The figure is the longest stall with each.

Before any of that, the chat's chart and XLSX are asked for once, and the process's resident
memory is read before and after: built in a process of their own, they leave matplotlib and
openpyxl out of the bot's process (a thread kept about 46 MB of them for the process's life).

    .venv/bin/python bench/loop_stall.py [--reports 2000] [--quick]
"""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

from common import add_reports, banner, light_channel, make_settings, parser, rss_mb, serving_heap, temp_dir, write_json

from bot.app import build_app
from core.messages import Incoming, IncomingKind
from handlers.reporting import Reader, export_headers, export_rows
from storage import export, people_repo, reports_repo
from storage.models import Role


TICK = 0.005


async def alongside(work, step) -> tuple[list[float], float]:  # type: ignore[no-untyped-def]
    """`step()` again and again while `work()` runs: how long each one took, and the work's
    time, in seconds."""
    took: list[float] = []
    done = asyncio.Event()

    async def steps() -> None:
        while not done.is_set():
            started = time.perf_counter()
            await step()
            took.append(time.perf_counter() - started)

    with serving_heap():
        task = asyncio.create_task(steps())
        await asyncio.sleep(TICK * 3)
        started = time.perf_counter()
        await work()
        work_took = time.perf_counter() - started
        done.set()
        await task
    return took, work_took


async def longest_stall(work, every: float = TICK) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """(the loop's longest gap between ticks `every` seconds apart while `work()` runs, the work's
    time), in ms."""
    async def tick() -> None:
        await asyncio.sleep(every)

    ticks, took = await alongside(work, tick)
    return (max(ticks) - every) * 1000, took * 1000


async def others_wait(work, other) -> tuple[float, float, int]:  # type: ignore[no-untyped-def]
    """(the longest another person waited for an answer while `work()` ran, the work's time) in ms,
    and how many answers she got: she writes again 5 ms after each answer."""
    async def write() -> None:
        await other()
        await asyncio.sleep(TICK)

    waits, took = await alongside(work, write)
    return (max(waits) - TICK) * 1000, took * 1000, len(waits)


async def main() -> None:
    arguments = parser(__doc__.splitlines()[0])
    arguments.add_argument("--reports", type=int, default=2000)
    args = arguments.parse_args()
    count = 200 if args.quick else args.reports
    banner(f"the event loop while a chart and an XLSX are made ({count:,} reports)")
    with temp_dir("stall") as folder:
        app = await build_app(make_settings(Path(folder)))
        try:
            await add_reports(app, count)
            channel = light_channel(app.content)
            app.engine.register_channel(channel)
            async with app.sessions() as session, session.begin():
                admin, _ = await people_repo.get_or_create_user(session, "telegram", "1", app.engine.clock())
                admin.language, admin.role = "en", Role.ADMIN
                found, _ = await reports_repo.find_reports(session, None)
                reader = Reader(app.content, app.cipher, "en")
                rows = await export_rows(session, reader, found, include_contact=True)
            headers = export_headers(reader)
            now = app.engine.clock()

            def press(action: str):  # type: ignore[no-untyped-def]
                async def work() -> None:
                    await app.engine.handle(Incoming(channel="telegram", user_key="1", chat_key="1",
                                                     kind=IncomingKind.ACTION, action=action, message_id="1"), channel)
                return work

            async def chart_on_loop() -> None:
                export.chart_png(rows, "Reports", now, 90)

            async def xlsx_on_loop() -> None:
                export.to_xlsx(rows, headers, True, "Reports")

            before_mb = rss_mb()
            await press("rep:x:png")()
            await press("rep:x:xlsx")()
            heavy = sorted({name.split(".")[0] for name in sys.modules} & {"matplotlib", "openpyxl", "PIL", "numpy"})
            print(f"   resident memory around the chat's first chart and XLSX: {before_mb:.1f} MB before, "
                  f"{rss_mb():.1f} MB after; loaded here: {', '.join(heavy) or 'none of matplotlib, openpyxl'}")
            await longest_stall(chart_on_loop)  # the first chart also imports and sets up matplotlib
            figures = {}
            for name, baseline, ours in (("chart (PNG)", chart_on_loop, press("rep:x:png")),
                                         ("XLSX export", xlsx_on_loop, press("rep:x:xlsx"))):
                before, before_took = await longest_stall(baseline)
                after, after_took = await longest_stall(ours)
                figures[name] = {"on the loop": round(before, 1), "now": round(after, 1)}
                print(f"   {name:12} longest stall: on the loop {before:7.1f} ms (work {before_took:6.0f} ms); "
                      f"now, through the chat {after:6.1f} ms (work {after_took:6.0f} ms): x{after / before:.2f}")
            # Another person writing while the chat's export is built: the build is done outside
            # the update's transaction, which on SQLite would hold her writes up for as long.
            async with app.sessions() as session, session.begin():
                other, _ = await people_repo.get_or_create_user(session, "telegram", "2", app.engine.clock())
                other.language = "en"

            async def menu() -> None:
                await app.engine.handle(Incoming(channel="telegram", user_key="2", chat_key="2", kind=IncomingKind.TEXT,
                                                 text="/menu", message_id="2"), channel)

            for name, action in (("chart (PNG)", "rep:x:png"), ("XLSX export", "rep:x:xlsx")):
                waited, took, answers = await others_wait(press(action), menu)
                figures[name]["another person's longest wait"] = round(waited, 1)
                print(f"   {name:12} another person writing meanwhile: her longest wait for an answer {waited:7.1f} ms "
                      f"({answers} answers while the work took {took:6.0f} ms)")
            write_json(args.json, figures)
        finally:
            await app.close()


if __name__ == "__main__":
    asyncio.run(main())
