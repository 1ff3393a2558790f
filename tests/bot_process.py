"""The real `python -m bot run` in a child process, pointed at a fake Bot API."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
import time
from pathlib import Path

from cryptography.fernet import Fernet

from tests.fake_telegram import Call, FakeBotAPI

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class BotProcess:
    def __init__(self, fake: FakeBotAPI, data_dir: Path, *args: str, **settings: str) -> None:
        """`args` go after `python -m bot run` (such as --workers 2); `settings` are environment."""
        self.fake = fake
        self.data_dir = data_dir
        self.data_key = Fernet.generate_key().decode()
        self.args = args
        self.settings = settings
        self.dashboard_port = free_port()
        self.process: asyncio.subprocess.Process | None = None

    def environment(self) -> dict[str, str]:
        keep = {key: value for key, value in os.environ.items() if not key.startswith(
            ("TELEGRAM_", "WEBHOOK_", "DATABASE_", "DATA_", "ADMIN_", "WHATSAPP_", "FLOOD_", "DASHBOARD_",
              "MONITORING_"))}
        return {
            **keep,
            "PYTHONPATH": str(ROOT),
            "TELEGRAM_BOT_TOKEN": self.fake.token,
            "TELEGRAM_API_URL": self.fake.base_url,
            "DATA_DIR": str(self.data_dir),
            "DATA_KEY": self.data_key,
            "LOG_LEVEL": "INFO",
            "MONITORING_TICK_SECONDS": "1",  # a reminder written by a test is queued within a second
            "DASHBOARD_PORT": str(self.dashboard_port),  # each process its own: several run at once
            **self.settings,
        }

    async def start(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.log = open(self.data_dir / "bot.log", "ab")  # noqa: SIM115
        began = time.monotonic()  # the fake's clock: a dead process's last long poll came before this
        self.process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", *self.args,
            cwd=self.data_dir, env=self.environment(), stdout=self.log, stderr=self.log,
        )
        ready = "setWebhook" if "WEBHOOK_URL" in self.settings else "getUpdates"
        processes = int(self.args[self.args.index("--workers") + 1]) if "--workers" in self.args else 1

        def started(call: Call) -> bool:
            return call.method == ready and sum(c.method == ready and c.at >= began for c in self.fake.calls) >= processes

        await self.fake.wait_for(started, timeout=60)

    async def stop(self, kill: bool = False) -> int:
        assert self.process is not None
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
        try:
            code = await asyncio.wait_for(self.process.wait(), timeout=15)
        except TimeoutError:
            self.process.kill()
            code = await self.process.wait()
        self.log.close()
        return code

    def log_text(self) -> str:
        return (self.data_dir / "bot.log").read_text(errors="replace")
