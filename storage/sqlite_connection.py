"""SQLite through aiosqlite, with one trip to its thread per statement.

SQLAlchemy's aiosqlite adapter asks aiosqlite for a cursor, then to execute, then for the rows,
then to close the cursor: up to four trips to aiosqlite's thread for each statement, each a
queue put, a switch of threads and a wake-up of the event loop, around work that SQLite itself
does in a few microseconds. Here the cursor SQLAlchemy holds lives on the event loop's side, and
its `execute` does all of that in one function on aiosqlite's thread, keeping the rows, the
description, `rowcount` and `lastrowid` for SQLAlchemy to read. Measured: bench/statement_counts.py
(trips per update) and bench/engine_menus.py.

What stays as it was: SQLite still runs on aiosqlite's thread, never on the event loop's (a
write waiting for another process's lock waits there, not in the loop), one thread per
connection, and every other call (commit, rollback, close, create_function) is aiosqlite's own.

Like SQLAlchemy's adapter (its `isolation_level` setter queues a function on aiosqlite's thread
the same way), this relies on `aiosqlite.Connection._execute` and `_conn`, which aiosqlite does
not document: the version is pinned in constraints.txt, and tests/test_statements.py counts
the trips, so that an upgrade that changes them fails there.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

import aiosqlite

Row = tuple[Any, ...]
Outcome = tuple[Any, int, int | None, list[Row]]  # description, rowcount, lastrowid, rows


def connector(database: str, **options: Any) -> Callable[[], OneTripConnection]:
    """What `create_async_engine(..., async_creator=...)` calls for each new connection."""

    def connect() -> OneTripConnection:
        connection = OneTripConnection(partial(sqlite3.connect, database, **options), iter_chunk_size=64)
        connection._thread.daemon = True  # as SQLAlchemy's adapter does: a forgotten connection never holds up an exit
        return connection

    return connect


class OneTripConnection(aiosqlite.Connection):
    def cursor(self) -> OneTripCursor:  # type: ignore[override]
        return OneTripCursor(self)


class OneTripCursor:
    """The part of aiosqlite's Cursor that SQLAlchemy uses, one trip per execute."""

    arraysize = 1

    def __init__(self, connection: OneTripConnection) -> None:
        self._connection = connection
        self.description: Any = None
        self.rowcount = -1
        self.lastrowid: int | None = None
        self._rows: list[Row] = []

    async def __aenter__(self) -> OneTripCursor:
        return self

    async def __aexit__(self, *_: object) -> None:
        return None

    async def execute(self, sql: str, parameters: Sequence[Any] | dict[str, Any] = ()) -> OneTripCursor:
        self._take(await self._connection._execute(_execute, self._connection._conn, sql, parameters))
        return self

    async def executemany(self, sql: str, parameters: Any) -> OneTripCursor:
        self._take(await self._connection._execute(_executemany, self._connection._conn, sql, parameters))
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


def _execute(connection: sqlite3.Connection, sql: str, parameters: Any) -> Outcome:
    """On aiosqlite's thread: the statement, its rows, and what SQLAlchemy reads of its cursor."""
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
