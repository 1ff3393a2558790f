"""How soon `python -m bot run` answers: from starting the process to the fake Bot API receiving
the answer to a `/start` that was waiting for it (a restart after an upgrade or a crash, when
people keep writing).

- **first start**: an empty data folder (the migrations run, the key file is made).
- **restart**: the same folder again, at the newest migration: the usual start. Python writes its
  bytecode as on a server (PYTHONDONTWRITEBYTECODE is left out of the processes' environment).
- **echo bot**: a bare aiogram echo bot process (`import aiogram` as shipped, which builds all
  of its models at import; `start_polling`, one `message.answer`), against the same fake: what
  any aiogram bot pays here. The ratio ours / echo is the figure to compare across machines.

`--against REV` measures an earlier commit's `python -m bot run` too (checked out in a temporary
git worktree), interleaved with ours, round by round. The fake runs in this process; each start
is a fresh process, so the disk cache is warm after the first round (the first round is dropped
when there are more).

    .venv/bin/python bench/start_time.py [--rounds 3] [--against REV] [--quick]
"""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, banner, parser, write_json
from cryptography.fernet import Fernet

from tests.fake_telegram import FakeBotAPI

AIM_S = 3.0
USER = 4242

ECHO_BOT = r'''
import asyncio, sys
from aiogram import Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer

async def main():
    bot = Bot(sys.argv[1], session=AiohttpSession(api=TelegramAPIServer.from_base(sys.argv[2])))
    dispatcher = Dispatcher()

    @dispatcher.message()
    async def echo(message):
        await message.answer(message.text)

    await dispatcher.start_polling(bot, handle_signals=False)

asyncio.run(main())
'''


async def first_answer(fake: FakeBotAPI, command: list[str], cwd: Path, env: dict[str, str]) -> float:
    """Seconds from starting the process until the fake received the answer to the waiting update."""
    answered = len(fake.calls_to("sendMessage"))
    fake.message_update(USER, "/start")
    began = time.monotonic()
    process = await asyncio.create_subprocess_exec(*command, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                                                   stderr=subprocess.DEVNULL)
    try:
        call = await fake.wait_for(lambda call: call.method == "sendMessage"
                                   and len(fake.calls_to("sendMessage")) > answered, timeout=120)
        return call.at - began
    finally:
        process.terminate()
        try:
            await asyncio.wait_for(process.wait(), timeout=20)
        except TimeoutError:
            process.kill()
            await process.wait()


def deployed_environment() -> dict[str, str]:
    """This environment, as on a server: Python writes its bytecode (and the content's parsed UI
    strings beside it) once and reads them at every start after. A PYTHONDONTWRITEBYTECODE set
    here would have each restart compile the bot's modules and parse its strings again, which no
    server started by `make run` does, nor the Docker image (it builds both in)."""
    return {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def bot_environment(fake: FakeBotAPI, tree: Path, data_dir: Path, key: str) -> dict[str, str]:
    keep = {name: value for name, value in deployed_environment().items() if not name.startswith(
        ("TELEGRAM_", "WEBHOOK_", "DATABASE_", "DATA_", "ADMIN_", "WHATSAPP_", "DASHBOARD_"))}
    return {**keep, "PYTHONPATH": str(tree), "TELEGRAM_BOT_TOKEN": fake.token, "TELEGRAM_API_URL": fake.base_url,
            "DATA_DIR": str(data_dir), "DATA_KEY": key, "LOG_LEVEL": "WARNING", "DASHBOARD_ENABLED": "false"}


async def measure(rounds: int, against: Path | None) -> dict[str, list[float]]:
    trees = {"ours": ROOT, **({"earlier": against} if against else {})}
    runs: dict[str, list[float]] = {f"{name} {what}": [] for name in trees for what in ("first start", "restart")}
    runs["echo bot"] = []
    async with FakeBotAPI() as fake:
        fake.add_private_chat(USER, language_code="ru")
        with tempfile.TemporaryDirectory(prefix="tynchtyk-start-") as folder:
            for round_number in range(rounds):
                for name, tree in trees.items():
                    data_dir = Path(folder) / f"{name}-{round_number}"
                    data_dir.mkdir()
                    env = bot_environment(fake, tree, data_dir, Fernet.generate_key().decode())
                    command = [sys.executable, "-m", "bot", "run"]
                    for what in ("first start", "restart"):
                        runs[f"{name} {what}"].append(await first_answer(fake, command, data_dir, env))
                echo = [sys.executable, "-c", ECHO_BOT, fake.token, fake.base_url]
                runs["echo bot"].append(await first_answer(fake, echo, Path(folder), deployed_environment()))
                print(f"round {round_number + 1}: " + ", ".join(f"{name} {values[-1]:.2f} s" for name, values in runs.items()))
    return runs


def main() -> None:
    arguments = parser(__doc__.splitlines()[0])
    arguments.add_argument("--rounds", type=int, default=3)
    arguments.add_argument("--against", default=None, help="an earlier commit to measure too")
    options = arguments.parse_args()
    if options.quick:
        options.rounds = 1
    banner("start_time: from `python -m bot run` to the first answer")
    with tempfile.TemporaryDirectory(prefix="tynchtyk-earlier-") as folder:
        tree = None
        if options.against:
            tree = Path(folder) / "tree"
            subprocess.run(["git", "worktree", "add", "--detach", str(tree), options.against],
                           cwd=ROOT, check=True, capture_output=True)
        try:
            runs = asyncio.run(measure(options.rounds, tree))
        finally:
            if tree is not None:
                subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, capture_output=True)
    kept = {name: values[1:] if len(values) > 1 else values for name, values in runs.items()}
    medians = {name: statistics.median(values) for name, values in kept.items()}
    echo = medians["echo bot"]
    for name, value in medians.items():
        aim = f"   aim < {AIM_S:.0f} s: {'meets it' if value < AIM_S else 'MISSES it'}" if name == "ours restart" else ""
        print(f"{name:22} {value:6.2f} s   / echo bot {value / echo:5.2f}{aim}")
    if options.against:
        print(f"restart, ours / earlier: {medians['ours restart'] / medians['earlier restart']:.2f}")
    write_json(options.json, {"medians_s": medians, "runs": runs, "aim_s": AIM_S})


if __name__ == "__main__":
    main()
