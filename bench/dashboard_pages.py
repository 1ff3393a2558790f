"""The coordinators' dashboard with 10,000 reports: time per page, served for real.

A temp-file SQLite database migrated by `build_app` gets 10,000 reports written straight into it
as the bot keeps them (answers encrypted with the app's cipher; spread over the nine regions,
both forms' categories, the five statuses and the last 12 months). The dashboard is served by
aiohttp on 127.0.0.1, as `python -m bot run` serves it, and an admin's session cookie (she sees
every report) asks for, one request at a time:

  - the baseline: a small static file of the same server (`/dashboard/static/dashboard.css`);
  - the inbox's first page (`/dashboard/`: 50 reports, newest first, and the count of all);
  - the inbox with a filter (one region, one status, the last six months);
  - a page halfway down the unfiltered inbox (page 100 of 200);
  - the map (`/dashboard/map`), when this tree has it.

The targets take turns, round after round, so that all of them see the same machine. Each
page's time is also read as a ratio to the static file's (the figure to compare across
machines): how many static requests one page costs.

    .venv/bin/python bench/dashboard_pages.py [--reports 10000] [--rounds 5] [--requests 20] [--quick]

(It is not called `dashboard.py`: run as a script, that name would hide the `dashboard` package.)
"""

from __future__ import annotations

import asyncio
import statistics
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from common import add_reports, banner, latency_line, latency_ms, make_settings, parser, percentile, temp_dir, write_json

import aiohttp
from aiohttp import web

STATIC = "/dashboard/static/dashboard.css"


async def admin_cookie(app: Any) -> str:
    """A live dashboard session of an admin, as her login link's Continue makes it."""
    from storage import dashboard_repo, people_repo
    from storage.models import Role

    now = app.engine.clock()
    async with app.sessions() as session, session.begin():
        admin, _ = await people_repo.get_or_create_user(session, "telegram", "1", now)
        admin.role, admin.language = Role.ADMIN, "en"
        await session.flush()
        token = await dashboard_repo.issue_link(session, app.hasher, admin, now)
        spent = await dashboard_repo.spend_link(session, app.hasher, token, now)
    assert spent is not None
    return spent[1]


async def admin_id(app: Any) -> int:
    from storage import people_repo

    async with app.sessions() as session:
        found = await people_repo.find_user(session, "telegram", "1")
    assert found is not None
    return found.id


async def timed(client: aiohttp.ClientSession, url: str, count: int, timings: list[float]) -> int:
    """`count` GETs one after the other; the size of the last body."""
    size = 0
    for _ in range(count):
        started = time.perf_counter()
        async with client.get(url, allow_redirects=False) as response:
            body = await response.read()
            if response.status != 200:
                raise SystemExit(f"{url}: HTTP {response.status}")
        timings.append(time.perf_counter() - started)
        size = len(body)
    return size


async def run(reports: int, rounds: int, requests: int) -> dict[str, Any]:
    from bot.app import build_app
    from dashboard import server as dashboard_server
    from tests.bot_process import free_port

    with temp_dir("dashboard") as directory:
        app = await build_app(make_settings(Path(directory)))
        try:
            cookie = await admin_cookie(app)
            started = time.perf_counter()
            await add_reports(app, reports, seed=7, days=365, assigned_to=await admin_id(app))
            print(f"   {reports:,} reports written in {time.perf_counter() - started:.1f} s")

            root = web.Application()
            dashboard_server.mount(root, app)
            runner = web.AppRunner(root, access_log=None)
            await runner.setup()
            port = free_port()
            await web.TCPSite(runner, "127.0.0.1", port).start()
            base = f"http://127.0.0.1:{port}"
            middle = max(1, reports // 100)  # halfway down the unfiltered list, 50 a page
            since = (app.engine.clock() - timedelta(days=183)).date().isoformat()
            targets = {
                "static file": STATIC,
                "inbox, first page": "/dashboard/",
                "inbox, filtered": f"/dashboard/?region=naryn&status=in_review&since={since}",
                f"inbox, page {middle}": f"/dashboard/?page={middle}",
                "map": "/dashboard/map",
            }
            try:
                async with aiohttp.ClientSession(base, headers={"Cookie": f"tynchtyk_session={cookie}"}) as client:
                    async with client.get("/dashboard/map", allow_redirects=False) as probe:
                        if probe.status == 404:
                            print("   (map skipped: this tree has no /dashboard/map page yet)")
                            del targets["map"]
                    timings: dict[str, list[float]] = {name: [] for name in targets}
                    sizes: dict[str, int] = {}
                    for name, url in targets.items():  # warm up: templates, SQL compile caches
                        sizes[name] = await timed(client, url, 3, [])
                    for _ in range(rounds):
                        for name, url in targets.items():
                            sizes[name] = await timed(client, url, requests, timings[name])
            finally:
                await runner.cleanup()
        finally:
            await app.close()

    base_p50 = percentile(timings["static file"], 0.5)
    figures: dict[str, Any] = {"reports": reports, "requests_each": rounds * requests, "pages": {}}
    print(f"   {rounds} rounds x {requests} requests per address, one at a time\n")
    for name, samples in timings.items():
        p50 = percentile(samples, 0.5)
        ratio = p50 / base_p50
        figures["pages"][name] = latency_ms(samples) | {"bytes": sizes[name], "ratio": ratio,
                                                        "per_s": 1 / statistics.fmean(samples)}
        print(f"   {name:<19} {latency_line(samples)}")
        print(f"   {'':<19} {sizes[name]:,} bytes, {1 / statistics.fmean(samples):,.0f} requests/s, "
              f"p50 {ratio:.1f} x the static file's")
    figures["map_measured"] = "map" in timings
    return figures


def main() -> None:
    arguments = parser(__doc__.splitlines()[0])
    arguments.add_argument("--reports", type=int, default=10_000)
    arguments.add_argument("--rounds", type=int, default=5)
    arguments.add_argument("--requests", type=int, default=20, help="requests per address per round")
    options = arguments.parse_args()
    if options.quick:
        options.reports, options.rounds, options.requests = 300, 2, 5
    banner(f"dashboard pages with {options.reports:,} reports (SQLite, aiohttp on 127.0.0.1)")
    figures = asyncio.run(run(options.reports, options.rounds, options.requests))
    write_json(options.json, figures)


if __name__ == "__main__":
    main()
