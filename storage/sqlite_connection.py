"""SQLite on the event loop's own thread, waiting for another writer without holding the loop.

SQLAlchemy's aiosqlite adapter sends each statement to aiosqlite's thread: a queue put, a switch
of threads and a wake-up of the event loop, three or four times a statement, around work that
SQLite does in a few microseconds. One trip per statement (the previous form of this module)
halved that; no trip at all is cheaper again. An update's statements take SQLite a fraction of a
millisecond, less than the trips cost, so here they run where SQLAlchemy asks for them, on the
event loop's thread (bench/engine_menus.py: 263 -> 405 updates/s and a one-at-a-time p50 of
7.5 -> 2.1 ms in one run; bench/README.md).

What must not run there is a wait. A wait for another connection's write lock (this process's
other pooled connection, a command line run beside the bot, a second process) used to sleep in
SQLite's busy handler, up to 30 s; on the loop's thread that would freeze every chat. So the
busy timeout of these connections is 0: a statement that meets the lock fails at once with
SQLITE_BUSY, having done nothing, and `_wait_for_the_lock` runs it again after an asyncio sleep
(1 ms, doubling up to 50 ms) for up to LOCK_WAIT_SECONDS, the old busy timeout, then lets the
error go up as SQLite's would have. The loop serves everyone else meanwhile. A stale snapshot
(SQLITE_BUSY_SNAPSHOT: another connection wrote after this transaction read) is not retried:
waiting cannot mend it, and SQLite's busy handler did not retry it either.

The price: a statement holds the loop for as long as SQLite works on it. The bot's own take tens
of microseconds; the heaviest in a serving process, the dashboard's reads over its filters, up
to 4 ms with 10,000 reports (over bench/dashboard_pages.py). Exports and charts are built in
a process of their own. A commit that checkpoints the journal (each 1,000 pages written) syncs
the files to disk on the loop too.

aiosqlite still opens and closes the connection on its thread, and runs SQLAlchemy's
`create_function` and isolation-level calls there; its `_conn` is how the statements reach the
sqlite3 connection. aiosqlite is pinned in constraints.txt, and tests/test_statements.py checks
that an update makes no trip to the thread, so that an upgrade that changes this fails there.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from typing import Any

import aiosqlite

LOCK_WAIT_SECONDS = 30.0
FIRST_PAUSE = 0.001
LONGEST_PAUSE = 0.05

Row = tuple[Any, ...]
Outcome = tuple[Any, int, int | None, list[Row]]  # description, rowcount, lastrowid, rows


def connector(database: str) -> Callable[[], OnLoopConnection]:
    """What `create_async_engine(..., async_creator=...)` calls for each new connection."""

    def connect() -> OnLoopConnection:
        # timeout=0: SQLite never sleeps on a lock here; _wait_for_the_lock does, on the loop.
        opened = partial(sqlite3.connect, database, timeout=0, check_same_thread=False)
        connection = OnLoopConnection(opened, iter_chunk_size=64)
        connection._thread.daemon = True  # as SQLAlchemy's adapter does: a forgotten connection never holds up an exit
        return connection

    return connect


class OnLoopConnection(aiosqlite.Connection):
    def cursor(self) -> OnLoopCursor:  # type: ignore[override]
        return OnLoopCursor(self)

    async def commit(self) -> None:
        self._conn.commit()  # in WAL mode a COMMIT takes no lock it does not hold: it never meets SQLITE_BUSY

    async def rollback(self) -> None:
        self._conn.rollback()


class OnLoopCursor:
    """The part of aiosqlite's Cursor that SQLAlchemy uses, run on the event loop's thread."""

    arraysize = 1

    def __init__(self, connection: OnLoopConnection) -> None:
        self._connection = connection
        self.description: Any = None
        self.rowcount = -1
        self.lastrowid: int | None = None
        self._rows: list[Row] = []

    async def __aenter__(self) -> OnLoopCursor:
        return self

    async def __aexit__(self, *_: object) -> None:
        return None

    async def execute(self, sql: str, parameters: Sequence[Any] | dict[str, Any] = ()) -> OnLoopCursor:
        self._take(await _wait_for_the_lock(_execute, self._connection._conn, sql, parameters))
        return self

    async def executemany(self, sql: str, parameters: Any) -> OnLoopCursor:
        self._take(await _wait_for_the_lock(_executemany, self._connection._conn, sql, parameters))
        return self

    async def fetchall(self) -> list[Row]:
        rows, self._rows = self._rows, []
        return rows

    async def fetchone(self) -> Row | None:
        return self._rows.pop(0) if self._rows else None

    async def fetchmany(self, size: int | None = None) -> list[Row]:
        size = self.arraysize if size is None else size
        rows, self._rows = self._rows[:size], self._rows[size:]
        return rows

    async def close(self) -> None:
        self._rows = []

    def _take(self, outcome: Outcome) -> None:
        self.description, self.rowcount, self.lastrowid, self._rows = outcome


async def _wait_for_the_lock(run: Callable[[sqlite3.Connection, str, Any], Outcome],
                             connection: sqlite3.Connection, sql: str, parameters: Any) -> Outcome:
    """The statement, run again while another connection holds the lock it needs, sleeping on the
    loop in between; SQLITE_BUSY goes up once LOCK_WAIT_SECONDS have passed."""
    waits = None
    while True:
        try:
            return run(connection, sql, parameters)
        except sqlite3.OperationalError as error:
            if error.sqlite_errorcode != sqlite3.SQLITE_BUSY:  # type: ignore[attr-defined]
                raise
            waits = waits or pauses()
            pause = next(waits, None)
            if pause is None:
                raise
        await asyncio.sleep(pause)


def pauses() -> Iterator[float]:
    """The sleeps between tries of what waits for another connection: 1 ms, doubling up to 50 ms,
    for LOCK_WAIT_SECONDS in all from the first."""
    deadline, pause = time.monotonic() + LOCK_WAIT_SECONDS, FIRST_PAUSE
    while time.monotonic() < deadline:
        yield pause
        pause = min(pause * 2, LONGEST_PAUSE)


def _execute(connection: sqlite3.Connection, sql: str, parameters: Any) -> Outcome:
    """The statement, its rows, and what SQLAlchemy reads of its cursor."""
    cursor = connection.cursor()
    try:
        cursor.execute(sql, parameters)
        rows = cursor.fetchall() if cursor.description else []
        return cursor.description, cursor.rowcount, cursor.lastrowid, rows
    finally:
        cursor.close()


def _executemany(connection: sqlite3.Connection, sql: str, parameters: Any) -> Outcome:
    cursor = connection.cursor()
    try:
        cursor.executemany(sql, parameters)
        return cursor.description, cursor.rowcount, cursor.lastrowid, []
    finally:
        cursor.close()
