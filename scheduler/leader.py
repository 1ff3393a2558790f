"""One scheduler among several bot processes: the process that holds the leader lock runs the
ticks; the others try again every few seconds and one takes over when the leader dies.

PostgreSQL: a session advisory lock on a connection kept open for it; the server lets it go as
soon as that connection ends, which `kill -9` of the process does. SQLite (one machine): an
exclusive lock on a file beside the database, which the kernel lets go when the process ends.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import logging
import os
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from core.logs import log_event

logger = logging.getLogger("tynchtyk.leader")

SCHEDULER_LOCK = (2, 0)  # PostgreSQL advisory lock (space, key); people's locks use space 1
CHECK_SECONDS = 10.0


class Running(Protocol):
    async def stop(self, timeout: float = 10.0) -> None: ...


class Lock(Protocol):
    async def try_acquire(self) -> bool: ...
    async def still_held(self) -> bool: ...
    async def release(self) -> None: ...


class PostgresLock:
    def __init__(self, database: AsyncEngine) -> None:
        self.database = database
        self._connection: AsyncConnection | None = None

    async def try_acquire(self) -> bool:
        connection = await self.database.connect()
        try:
            held = await connection.scalar(text("SELECT pg_try_advisory_lock(:space, :key)"),
                                           dict(zip(("space", "key"), SCHEDULER_LOCK, strict=True)))
            await connection.commit()
        except BaseException:
            await connection.close()
            raise
        if not held:
            await connection.close()
            return False
        self._connection = connection
        return True

    async def still_held(self) -> bool:
        if self._connection is None:
            return False
        try:
            await self._connection.execute(text("SELECT 1"))
            await self._connection.commit()
        except Exception:  # the server restarted or the network went: the lock is gone with it
            return False
        return True

    async def release(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            with contextlib.suppress(Exception):
                await connection.execute(text("SELECT pg_advisory_unlock_all()"))
                await connection.commit()
            with contextlib.suppress(Exception):
                await connection.close()


class FileLock:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    async def try_acquire(self) -> bool:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        self._fd = fd
        return True

    async def still_held(self) -> bool:
        return self._fd is not None

    async def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


def lock_for(database: AsyncEngine, data_dir: Path) -> Lock:
    if database.dialect.name == "postgresql":
        return PostgresLock(database)
    return FileLock(data_dir / "scheduler.lock")


async def lead(lock: Lock, start: Callable[[], Awaitable[Running]], stop: asyncio.Event,
               every: float = CHECK_SECONDS) -> None:
    """Run the scheduler while this process holds the lock, until `stop` is set."""
    running: Any = None
    try:
        while not stop.is_set():
            try:
                if running is None and await lock.try_acquire():
                    log_event(logger, "leading the scheduler", pid=os.getpid())
                    try:
                        running = await start()
                    except BaseException:
                        await lock.release()  # or no process would ever lead again
                        raise
                elif running is not None and not await lock.still_held():
                    log_event(logger, "scheduler lock lost", logging.WARNING, pid=os.getpid())
                    await running.stop()
                    running = None
                    await lock.release()
            except Exception as error:  # the database is away (OSError among others): try again later
                log_event(logger, "scheduler lock check failed", logging.WARNING, error=type(error).__name__)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=every)
    finally:
        if running is not None:
            await running.stop()
        await lock.release()
