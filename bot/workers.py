"""`python -m bot run --workers N`: N bot processes share the webhook port (SO_REUSEPORT, the
kernel spreads the connections); this parent starts them, starts again one that dies, and passes
SIGTERM on. PostgreSQL keeps them apart: a lock per person, one scheduler among them."""

from __future__ import annotations

import asyncio
import logging
import signal
import sys

from core.logs import log_event

logger = logging.getLogger("tynchtyk.workers")

RESTART_DELAY = 1.0


async def supervise(count: int) -> int:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    processes: dict[int, asyncio.subprocess.Process] = {}

    async def keep(index: int) -> None:
        while not stop.is_set():
            process = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", "run", "--reuse-port")
            processes[index] = process
            log_event(logger, "worker started", worker=index, pid=process.pid)
            waiting = asyncio.create_task(process.wait())
            stopping = asyncio.create_task(stop.wait())
            await asyncio.wait({waiting, stopping}, return_when=asyncio.FIRST_COMPLETED)
            stopping.cancel()
            if stop.is_set():
                if process.returncode is None:
                    process.send_signal(signal.SIGTERM)
                await waiting
                return
            log_event(logger, "worker ended; starting it again", logging.WARNING, worker=index,
                      code=process.returncode)
            await asyncio.sleep(RESTART_DELAY)

    await asyncio.gather(*(keep(index) for index in range(count)))
    return 0
