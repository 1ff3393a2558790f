"""A fresh database for each test, on SQLite (the default) or on a PostgreSQL server.

`make test` runs the suite on SQLite, then again with TEST_DATABASE=postgresql when
TEST_POSTGRES_URL names a server and a role that may create databases (`.ci/run` starts one).
Both migrate one template once per test process and copy it for each test: a file copy on
SQLite, `CREATE DATABASE ... TEMPLATE` on PostgreSQL.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import secrets
import shutil
import threading
from collections.abc import Coroutine
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import asyncpg
from sqlalchemy import inspect, text
from sqlalchemy.engine import URL, make_url

from storage.db import create_engine, migrate

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "")
ON_POSTGRES = os.environ.get("TEST_DATABASE", "sqlite") == "postgresql"


class SQLiteDatabases:
    """A database is a file in the test's data folder, as the bot makes it by default."""

    def __init__(self, folder: Path) -> None:
        self.template = folder / "template.db"
        asyncio.run(_migrate(f"sqlite+aiosqlite:///{self.template}"))

    def create(self, data_dir: Path, migrated: bool = True) -> str:
        data_dir.mkdir(parents=True, exist_ok=True)
        if migrated:
            shutil.copy(self.template, data_dir / "tynchtyk.db")
        return f"sqlite+aiosqlite:///{data_dir / 'tynchtyk.db'}"

    def drop(self, url: str) -> None:
        pass  # the file goes with the test's temporary folder

    def close(self) -> None:
        pass


class PostgresDatabases:
    """Databases named after this test process, made and dropped through one admin connection.
    That connection lives on an event loop of its own, in a thread, so that sync fixtures and
    async ones (whose loop is running) can both ask for a database. The next test's database is
    made while this test runs, and a finished one is dropped while the next runs."""

    def __init__(self, server_url: str, worker: str) -> None:
        self.server = make_url(server_url)
        self.prefix = f"tynchtyk_test_{worker}_{secrets.token_hex(3)}"
        self.template = f"{self.prefix}_template"
        self.numbers = itertools.count(1)
        self.alive: set[str] = set()
        self.dropping: list[Future[None]] = []
        self.lock = asyncio.Lock()
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="test-databases", daemon=True)
        self.thread.start()
        self.admin: asyncpg.Connection = self._run(asyncpg.connect(
            user=self.server.username, password=self.server.password, host=self.server.host,
            port=self.server.port or 5432, database=self.server.database or "postgres",
        ))
        self._run(self._execute(f'CREATE DATABASE "{self.template}"'))
        self.alive.add(self.template)
        self._run(_migrate(self._url(self.template)))
        self.next = self._start(self._copy(self.template))

    def create(self, data_dir: Path, migrated: bool = True) -> str:
        if not migrated:
            return self._url(self._run(self._copy("template0")))
        name = self.next.result()
        self.next = self._start(self._copy(self.template))
        return self._url(name)

    def drop(self, url: str) -> None:
        name = make_url(url).database
        assert name is not None and name.startswith(self.prefix)
        for done in [work for work in self.dropping if work.done()]:
            self.dropping.remove(done)
            done.result()
        self.dropping.append(self._start(self._drop(name)))

    def close(self) -> None:
        """Drop every database left, even after a failed drop, then report the first failure."""
        errors = [error for work in [self.next, *self.dropping] if (error := work.exception()) is not None]
        for name in sorted(self.alive):
            try:
                self._run(self._drop(name))
            except Exception as error:  # noqa: BLE001 - the others are dropped all the same
                errors.append(error)
        self._run(self.admin.close())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join()
        self.loop.close()
        if errors:
            raise errors[0]

    async def _copy(self, source: str) -> str:
        name = f"{self.prefix}_{next(self.numbers)}"
        await self._execute(f'CREATE DATABASE "{name}" TEMPLATE "{source}"')
        self.alive.add(name)
        # A test's commits need not wait for the disk: a crash of the server loses the test anyway.
        await self._execute(f'ALTER DATABASE "{name}" SET synchronous_commit TO off')
        return name

    async def _drop(self, name: str) -> None:
        try:  # a bot process killed by its test may have left a connection behind
            await self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        except asyncpg.InsufficientPrivilegeError:
            # FORCE may not end the server's own autovacuum worker; a plain DROP stops it itself.
            await self._execute(f'DROP DATABASE IF EXISTS "{name}"')
        self.alive.discard(name)

    async def _execute(self, statement: str) -> None:
        async with self.lock:
            await self.admin.execute(statement)

    def _url(self, database: str) -> str:
        url: URL = self.server.set(database=database)
        return url.render_as_string(hide_password=False)

    def _start(self, work: Coroutine[Any, Any, Any]) -> Future[Any]:
        return asyncio.run_coroutine_threadsafe(work, self.loop)

    def _run(self, work: Coroutine[Any, Any, Any]) -> Any:
        return self._start(work).result()


Databases = SQLiteDatabases | PostgresDatabases


async def fetch(url: str, statement: str, **params: Any) -> list[tuple[Any, ...]]:
    """Rows from a bot's database while (or after) another process uses it."""
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            return [tuple(row) for row in await connection.execute(text(statement), params)]
    finally:
        await engine.dispose()


async def stored_bytes(url: str, data_dir: Path) -> bytes:
    """Everything the database holds. On SQLite, the bytes of its files, free pages and the
    write-ahead log included (close the engine first, so that nothing waits in memory); on a
    server, every value of every row of every table."""
    if make_url(url).get_backend_name() == "sqlite":
        return b"".join(path.read_bytes() for path in data_dir.glob("tynchtyk.db*"))
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            tables = await connection.run_sync(lambda sync: inspect(sync).get_table_names())
            values = [value for table in tables
                      for row in await connection.execute(text(f'SELECT * FROM "{table}"')) for value in row]
    finally:
        await engine.dispose()
    return b"\n".join(value if isinstance(value, bytes) else str(value).encode() for value in values)


async def table_names(session: Any) -> list[str]:
    connection = await session.connection()
    return await connection.run_sync(lambda sync: inspect(sync).get_table_names())


async def column_names(session: Any, table: str) -> set[str]:
    connection = await session.connection()
    return await connection.run_sync(lambda sync: {column["name"] for column in inspect(sync).get_columns(table)})


async def _migrate(url: str) -> None:
    engine = create_engine(url)
    try:
        await migrate(engine)
    finally:
        await engine.dispose()
