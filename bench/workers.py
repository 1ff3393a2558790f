"""Updates per second with 1, 2 and 4 bot processes (`python -m bot run --workers N`) on
PostgreSQL, behind one webhook port, against the fake Bot API; as ratios of the one-process
figure of the same run.

Each person types her way through the menus (the script of bench/telegram_vs_echo.py), one
update at a time: her next message goes when the bot's answer to the last one has reached the
fake Bot API. People run concurrently. Every run gets a fresh database.

On a small machine the bot processes share the cores with PostgreSQL, the fake Bot API and the
people (this script), so the wall-clock ratio says little about two cores of the bot's own. So
the CPU time of each side is read too (psutil: the bot's processes, every `postgres` process,
this one), and the figure for "two processes on two cores, the database elsewhere" is simulated
from the bot's own CPU time per update: N processes on N cores of their own do N / (its CPU per
update with N processes) updates a second, as long as nothing serialises them (different
people never wait for each other's lock). The ratio of that to one process is printed as
"on cores of their own".

Needs a PostgreSQL role that may create databases:

    BENCH_POSTGRES_URL=postgresql+asyncpg://user:password@127.0.0.1:5432/db \\
        .venv/bin/python bench/workers.py [--users 60] [--quick]

(TEST_POSTGRES_URL, as `.ci/run` sets it, is used when BENCH_POSTGRES_URL is not set.)
"""

from __future__ import annotations

import asyncio
import itertools
import os
import secrets
import time
from collections import Counter
from pathlib import Path
from typing import Any

from common import banner, parser, temp_dir, write_json
from telegram_vs_echo import TEXT_SCRIPT

import aiohttp
import asyncpg
import psutil
from sqlalchemy.engine import make_url

from tests.bot_process import BotProcess, free_port
from tests.fake_telegram import FakeBotAPI

SECRET = "bench-secret"
ANSWERS = ("sendMessage", "editMessageText")
FIRST_CHAT = 800_000


class Tally:
    """Answers recorded by the fake, per chat, and a way to wait for the n-th."""

    def __init__(self, fake: FakeBotAPI) -> None:
        self.fake = fake
        self.per_chat: Counter[int] = Counter()
        self._checked = 0
        self._changed = asyncio.Event()

    async def watch(self) -> None:
        while True:
            calls = self.fake.calls
            for call in calls[self._checked:]:
                if call.method in ANSWERS and call.status == 200:
                    self.per_chat[int(call.params.get("chat_id", 0))] += 1
            self._checked = len(calls)
            self._changed.set()
            self._changed = asyncio.Event()
            await asyncio.sleep(0.002)

    async def reach(self, chat: int, count: int) -> None:
        while self.per_chat[chat] < count:
            await self._changed.wait()


async def admin_connection(admin_url: str) -> asyncpg.Connection:
    url = make_url(admin_url)
    return await asyncpg.connect(user=url.username, password=url.password, host=url.host or "127.0.0.1",
                                 port=url.port or 5432, database=url.database)


async def database(admin_url: str) -> tuple[str, str]:
    """A fresh database for one run: its URL and its name."""
    name = f"bench_{secrets.token_hex(4)}"
    connection = await admin_connection(admin_url)
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False), name


async def drop(admin_url: str, name: str) -> None:
    connection = await admin_connection(admin_url)
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()


async def one_run(admin_url: str, workers: int, users: int) -> dict[str, Any]:
    url, name = await database(admin_url)
    fake = FakeBotAPI(accept_unknown_chats=True)
    await fake.start()
    port = free_port()
    update_ids = itertools.count(1)
    message_ids = itertools.count(1)
    try:
        with temp_dir(f"workers{workers}") as folder:
            bot = BotProcess(fake, Path(folder), "--workers", str(workers), DATABASE_URL=url,
                             WEBHOOK_URL="https://bot.example.org", WEBHOOK_SECRET=SECRET,
                             WEBHOOK_HOST="127.0.0.1", WEBHOOK_PORT=str(port), LOG_LEVEL="WARNING",
                             FLOOD_MAX_UPDATES="100000")
            await bot.start()
            assert bot.process is not None
            bot_processes = [psutil.Process(bot.process.pid), *psutil.Process(bot.process.pid).children(recursive=True)]
            tally = Tally(fake)
            watcher = asyncio.create_task(tally.watch())
            endpoint = f"http://127.0.0.1:{port}/telegram/webhook"
            try:
                async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as http:

                    async def person(chat: int) -> None:
                        expected = tally.per_chat[chat]
                        for text, answers in TEXT_SCRIPT:
                            update = {"update_id": next(update_ids), "message": {
                                "message_id": next(message_ids), "date": int(time.time()),
                                "chat": {"id": chat, "type": "private"},
                                "from": {"id": chat, "is_bot": False, "first_name": "A", "language_code": "en"},
                                "text": text}}
                            async with http.post(endpoint, json=update,
                                                 headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}) as response:
                                assert response.status == 200, response.status
                            expected += answers
                            await asyncio.wait_for(tally.reach(chat, expected), timeout=60)

                    await asyncio.gather(*(person(FIRST_CHAT - 1 - n) for n in range(2 * workers)))  # warm up
                    started, cpu_before = time.perf_counter(), cpu_seconds(bot_processes)
                    await asyncio.gather(*(person(FIRST_CHAT + n) for n in range(users)))
                    seconds = time.perf_counter() - started
                    cpu = {side: after - cpu_before[side] for side, after in cpu_seconds(bot_processes).items()}
            finally:
                watcher.cancel()
                await bot.stop()
    finally:
        await fake.stop()
        await drop(admin_url, name)
    updates = users * len(TEXT_SCRIPT)
    return {"workers": workers, "updates": updates, "seconds": seconds, "updates_per_s": updates / seconds,
            **{f"{side}_cpu_ms_per_update": 1000 * value / updates for side, value in cpu.items()}}


def cpu_seconds(bot_processes: list[psutil.Process]) -> dict[str, float]:
    """CPU seconds so far: the bot's processes, PostgreSQL's, and this one (the fake and the people)."""

    def used(process: psutil.Process) -> float:
        try:
            times = process.cpu_times()
        except psutil.Error:  # a PostgreSQL backend that just ended
            return 0.0
        return times.user + times.system

    postgres = [process for process in psutil.process_iter(["name"]) if process.info["name"] in ("postgres", "postmaster")]
    return {"bot": sum(map(used, bot_processes)), "postgres": sum(map(used, postgres)), "harness": used(psutil.Process())}


async def main_async(admin_url: str, users: int, counts: list[int], json_path: Path | None) -> None:
    banner(f"bot processes on PostgreSQL behind one webhook port, {users} people at once")
    results = [await one_run(admin_url, workers, users) for workers in counts]
    base = results[0]["updates_per_s"]
    own_cores_base = 1 / results[0]["bot_cpu_ms_per_update"]
    for result in results:
        result["ratio"] = result["updates_per_s"] / base
        result["own_cores_ratio"] = result["workers"] / result["bot_cpu_ms_per_update"] / own_cores_base
        print(f"   {result['workers']} process(es): {result['updates']} updates in {result['seconds']:.1f} s = "
              f"{result['updates_per_s']:.0f}/s, {result['ratio']:.2f} x one process; CPU per update: bot "
              f"{result['bot_cpu_ms_per_update']:.2f} ms, PostgreSQL {result['postgres_cpu_ms_per_update']:.2f} ms, "
              f"fake and people {result['harness_cpu_ms_per_update']:.2f} ms; on cores of their own "
              f"{result['own_cores_ratio']:.2f} x one process")
    write_json(json_path, {"users": users, "runs": results, "cores": os.cpu_count()})


def main() -> None:
    arguments = parser(__doc__.splitlines()[0])
    arguments.add_argument("--users", type=int, default=60)
    options = arguments.parse_args()
    admin_url = os.environ.get("BENCH_POSTGRES_URL") or os.environ.get("TEST_POSTGRES_URL")
    if not admin_url:
        raise SystemExit("Set BENCH_POSTGRES_URL=postgresql+asyncpg://user:password@host:port/db (a role that may "
                         "create databases).")
    users = 6 if options.quick else options.users
    asyncio.run(main_async(admin_url, users, [1, 2] if options.quick else [1, 2, 4], options.json))


if __name__ == "__main__":
    main()
