"""Resident memory of the bot process with 100,000 people in the database.

The parent creates the database with build_app (migrations), onboards one person through the
engine to learn what a real user row and conversation row look like, and bulk-inserts 100,000
users and their conversations with SQLAlchemy core inserts in chunks. Then a FRESH process
(this script with --child) imports the app and the Telegram channel (aiogram), builds the app
and a Bot + Dispatcher (no network), parses a message and a button press through aiogram's
models (so that the models the bot uses are built), and drives 2,000 updates from 2,000 random people of those
100,000 through the engine, concurrently in waves. It reports its RSS (psutil) after the imports,
before the load, after it, and the peak (getrusage's ru_maxrss).

The same child runs twice: as the bot runs (`import bot` first, so aiogram's models build on
first use: bot/lazy_models.py) and with `import aiogram` first (every model built at import, as
aiogram ships). The baseline is the RSS of a bare `python -c "import aiogram, sqlalchemy"`
process (with psutil imported to read it; aiogram's models built at import), so the difference
is what our code, our data and the load add.

    .venv/bin/python bench/memory_users.py [--users 100000] [--updates 2000] [--quick]
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import psutil

if "--eager" in sys.argv:  # the comparison child: aiogram's own import builds every model, before bot/ defers them
    import aiogram  # noqa: F401

from common import ROOT, BenchUser, banner, light_channel, make_settings, parser, peak_rss_mb, rss_mb, temp_dir, write_json

AIM_MB = 150.0
CHUNK = 5000
FIRST_EXTERNAL_ID = 10_000_000


async def create_database(directory: Path, key: str, users: int) -> dict[str, float]:
    from pydantic import SecretStr
    from sqlalchemy import insert, select

    from bot.app import build_app
    from storage.models import Conversation, User

    settings = make_settings(directory, data_key=SecretStr(key))
    started = time.perf_counter()
    app = await build_app(settings, run_migrations=True)
    migrated = time.perf_counter() - started
    try:
        # One real person, onboarded through the engine: her rows are the template for everyone.
        channel = light_channel(app.content)
        model = BenchUser(app.engine, channel, "template", [])
        await model.send("/start")
        await model.press("English")
        await model.press("Skip")
        async with app.sessions() as session:
            user = await session.scalar(select(User).where(User.external_id == "template"))
            conversation = await session.get(Conversation, user.id)
            template_user = {column.key: getattr(user, column.key) for column in User.__table__.columns}
            template_conversation = {
                column.key: getattr(conversation, column.key) for column in Conversation.__table__.columns
            }
            first_id = int(await session.scalar(select(User.id).order_by(User.id.desc()).limit(1))) + 1

        started = time.perf_counter()
        now = app.engine.clock()
        async with app.database.begin() as connection:
            for start in range(0, users, CHUNK):
                ids = range(first_id + start, first_id + min(start + CHUNK, users))
                user_rows = []
                conversation_rows = []
                for user_id in ids:
                    seen = now - timedelta(minutes=user_id % 50_000)
                    user_rows.append({
                        **template_user,
                        "id": user_id,
                        "external_id": str(FIRST_EXTERNAL_ID + user_id - first_id),
                        "region": None if user_id % 3 else "osh_city",
                        "created_at": seen,
                        "last_seen_at": seen,
                    })
                    conversation_rows.append({**template_conversation, "user_id": user_id, "updated_at": seen})
                await connection.execute(insert(User), user_rows)
                await connection.execute(insert(Conversation), conversation_rows)
        inserted = time.perf_counter() - started
    finally:
        await app.close()
    size = sum(path.stat().st_size for path in directory.glob("tynchtyk.db*"))
    return {"migrate_s": migrated, "insert_s": inserted, "db_mb": size / 2**20}


async def child(directory: Path, key: str, users: int, updates: int, batch: int, seed: int) -> dict[str, Any]:
    """Runs in the fresh process: imports, builds the app, drives the load; returns RSS figures."""
    figures: dict[str, Any] = {"start_mb": rss_mb()}
    import bot.channels.telegram as telegram  # with --eager, aiogram was imported first, at the top
    from aiogram.types import Update
    from pydantic import SecretStr
    from bot.app import build_app

    figures["imports_mb"] = rss_mb()
    settings = make_settings(directory, data_key=SecretStr(key), telegram_bot_token=SecretStr("123456:MEMORY-BENCH"))
    app = await build_app(settings, run_migrations=False)
    bot = telegram.create_bot(settings)  # no request is made: its HTTP session opens on first use
    telegram.TelegramChannel(bot, app.engine).dispatcher()
    for update in SAMPLE_UPDATES:
        Update.model_validate(update, context={"bot": bot})
    figures["ready_s"] = time.time() - psutil.Process().create_time()  # since the process started
    figures["before_mb"] = rss_mb()

    channel = light_channel(app.content)
    chosen = random.Random(seed).sample(range(users), updates)
    keys = [str(FIRST_EXTERNAL_ID + index) for index in chosen]
    timings: list[float] = []

    async def one(index: int, key: str) -> None:
        user = BenchUser(app.engine, channel, key, timings)
        kind = index % 5
        if kind == 0:
            await user.send("/menu")
        elif kind == 1:
            await user.press_action("set", "1")  # Settings, on her last menu
        elif kind == 2:
            await user.send("/help")
        elif kind == 3:
            await user.send("Settings")  # a typed label of her stored main menu
        else:
            await user.press_action("home", "1")

    started = time.perf_counter()
    for start in range(0, len(keys), batch):
        await asyncio.gather(*(one(start + offset, key) for offset, key in enumerate(keys[start : start + batch])))
    figures["load_s"] = time.perf_counter() - started
    figures["updates"] = len(timings)
    figures["errors"] = channel.errors
    figures["expired"] = channel.expired
    figures["after_mb"] = rss_mb()
    await bot.session.close()
    await app.close()
    figures["peak_mb"] = peak_rss_mb()
    return figures


SAMPLE_UPDATES = (
    {"update_id": 1, "message": {"message_id": 1, "date": 1764547200, "text": "/help",
                                 "chat": {"id": 1, "type": "private"},
                                 "from": {"id": 1, "is_bot": False, "first_name": "A"}}},
    {"update_id": 2, "callback_query": {"id": "1", "chat_instance": "1", "data": "home",
                                        "from": {"id": 1, "is_bot": False, "first_name": "A"},
                                        "message": {"message_id": 2, "date": 1764547200, "text": "Menu",
                                                    "chat": {"id": 1, "type": "private"}}}},
)


def start_baseline() -> subprocess.Popen[str]:
    """The bare process, started early so that it runs while the database is being filled."""
    code = "import aiogram, sqlalchemy, psutil; print(psutil.Process().memory_info().rss)"
    return subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)


def baseline_mb(process: subprocess.Popen[str]) -> float:
    output, _ = process.communicate(timeout=120)
    if process.returncode != 0:
        raise SystemExit("the baseline process failed")
    return int(output.strip()) / 2**20


def main() -> None:
    arguments = parser(__doc__.splitlines()[0])
    arguments.add_argument("--users", type=int, default=100_000)
    arguments.add_argument("--updates", type=int, default=2000)
    arguments.add_argument("--batch", type=int, default=50, help="updates in flight at a time")
    arguments.add_argument("--seed", type=int, default=1)
    arguments.add_argument("--child", type=Path, default=None, help=argparse_hidden())
    arguments.add_argument("--key", default=None, help=argparse_hidden())
    arguments.add_argument("--eager", action="store_true", help=argparse_hidden())
    options = arguments.parse_args()
    if options.quick:
        options.users, options.updates = 5000, 200

    if options.child is not None:  # the fresh process
        figures = asyncio.run(child(options.child, options.key, options.users, options.updates, options.batch,
                                    options.seed))
        print(json.dumps(figures))
        return

    from cryptography.fernet import Fernet

    banner("memory_users: resident memory with many people in the database")
    baseline = start_baseline()
    try:
        key = Fernet.generate_key().decode()
        with temp_dir("memory") as directory:
            created = asyncio.run(create_database(Path(directory), key, options.users))
            print(f"database                    {options.users:,} users + conversations inserted in "
                  f"{created['insert_s']:.1f} s (migrations {created['migrate_s']:.1f} s), "
                  f"{created['db_mb']:.1f} MB on disk")
            command = [sys.executable, str(Path(__file__).resolve()), "--child", directory,
                       f"--key={key}",  # "--key=" because a key may start with "-"
                       "--users", str(options.users), "--updates", str(options.updates),
                       "--batch", str(options.batch), "--seed", str(options.seed)]
            figures = run_child(command)
            eager = run_child([*command, "--eager"])
        base = baseline_mb(baseline)
    finally:
        if baseline.poll() is None:  # we failed before reading it
            baseline.kill()
            baseline.communicate()

    print(f"fresh process: {figures['updates']} updates from {options.updates:,} random people in "
          f"{figures['load_s']:.1f} s ({figures['updates'] / figures['load_s']:,.0f}/s, {figures['errors']} errors, "
          f"{figures['expired']} 'button expired')")
    print(f"  RSS at start (python, psutil, pydantic) {figures['start_mb']:7.1f} MB")
    print(f"  RSS after imports (app, aiogram)        {figures['imports_mb']:7.1f} MB")
    print(f"  RSS before the load (app + Bot built)   {figures['before_mb']:7.1f} MB")
    print(f"  RSS after the load                      {figures['after_mb']:7.1f} MB")
    print(f"  peak RSS                                {figures['peak_mb']:7.1f} MB   aim < {AIM_MB:.0f} MB: "
          f"{'meets the aim' if figures['peak_mb'] < AIM_MB else 'MISSES the aim'}")
    print(f"  process start to the first parsed update {figures['ready_s']:6.2f} s")
    print("the same with aiogram's models built at import (import aiogram first):")
    print(f"  RSS after imports                       {eager['imports_mb']:7.1f} MB")
    print(f"  peak RSS                                {eager['peak_mb']:7.1f} MB   "
          f"lazy / eager: {figures['peak_mb'] / eager['peak_mb']:.2f}")
    print(f"  process start to the first parsed update {eager['ready_s']:6.2f} s   "
          f"lazy / eager: {figures['ready_s'] / eager['ready_s']:.2f}")
    print(f"baseline: python -c 'import aiogram, sqlalchemy'  {base:7.1f} MB")
    print(f"  peak - baseline                         {figures['peak_mb'] - base:7.1f} MB")
    print(f"  load (after - before)                   {figures['after_mb'] - figures['before_mb']:7.1f} MB")
    write_json(options.json, {**figures, **created, "eager_peak_mb": eager["peak_mb"], "eager_ready_s": eager["ready_s"], "users": options.users, "baseline_mb": base,
                              "over_baseline_mb": figures["peak_mb"] - base, "aim_mb": AIM_MB})


def run_child(command: list[str]) -> dict[str, Any]:
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    if result.returncode != 0:
        sys.stderr.write(result.stderr)
        raise SystemExit(f"the child process failed ({result.returncode})")
    return json.loads(result.stdout.strip().splitlines()[-1])


def argparse_hidden() -> str:
    import argparse

    return argparse.SUPPRESS


if __name__ == "__main__":
    main()
