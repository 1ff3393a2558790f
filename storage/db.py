"""The database engine and sessions, and migrations applied at start."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from pathlib import Path

from typing import TYPE_CHECKING, Any

from sqlalchemy import event, inspect, text
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from storage import sqlite_connection

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SQLITE_POOL_SIZE = 2
# A bot process needs few connections at once (one per update being handled, the scheduler's
# ticks, the sender); several processes share the server's max_connections (100 by default).
POSTGRES_POOL_SIZE = 5
POSTGRES_MAX_OVERFLOW = 5
POSTGRES_RECYCLE_SECONDS = 1800  # before a firewall or a pooler drops an idle connection


def create_engine(url: str) -> AsyncEngine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        # SQLite lets one writer in at a time and makes the others sleep and retry, which gives
        # long tails under load. Few connections, queued fairly by the pool, do better.
        # Statements run on the event loop's thread, and a lock is waited for there without
        # holding the loop (sqlite_connection.py).
        engine = create_async_engine(url, async_creator=sqlite_connection.connector(parsed.database or ":memory:"),
                                     pool_size=SQLITE_POOL_SIZE, max_overflow=0, pool_reset_on_return=None)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        event.listen(engine.sync_engine, "reset", _rollback_if_in_transaction)
        return engine
    return create_async_engine(
        url,
        pool_size=POSTGRES_POOL_SIZE,
        max_overflow=POSTGRES_MAX_OVERFLOW,
        pool_recycle=POSTGRES_RECYCLE_SECONDS,
        pool_pre_ping=True,
        connect_args={"server_settings": {"application_name": "tynchtyk"}} if parsed.get_driver_name() == "asyncpg" else {},
    )


def insert_for(session: AsyncSession, table: Any) -> Any:
    """An INSERT with ON CONFLICT clauses, in the dialect of the session's database."""
    return insert_in(session.bind.dialect.name if session.bind is not None else "sqlite", table)


def insert_in(dialect: str, table: Any) -> Any:
    """An INSERT with ON CONFLICT clauses, in this dialect ("postgresql" or "sqlite")."""
    return (postgresql_insert if dialect == "postgresql" else sqlite_insert)(table)


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


async def migrate(engine: AsyncEngine, revision: str = "head", cipher: Any = None, hasher: Any = None) -> None:
    """Apply the migrations. The key and the hashing secret let a migration encrypt or hash what
    an older version kept plain. A database already at the newest one is left alone without
    importing Alembic (11-12 MB and a second of a start for nothing)."""
    async with engine.connect() as connection:
        newest = head_revision()
        if revision == "head" and newest is not None and await current_revision(connection) == newest:
            return
        await connection.rollback()  # the look at the revision began a transaction; the migration has its own
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # SQLite changes a column by building the table anew; with foreign keys on, dropping
            # the old table would delete every row that points at it (ON DELETE CASCADE). The
            # pragma only takes effect outside a transaction, hence before it begins.
            await connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            await connection.commit()
        try:
            async with connection.begin():
                await connection.run_sync(_upgrade, revision, cipher, hasher)
                if sqlite:
                    broken = (await connection.exec_driver_sql("PRAGMA foreign_key_check")).all()
                    if broken:
                        raise RuntimeError(f"the migration left rows pointing at nothing: {broken[:5]}")
        finally:
            if sqlite:
                await connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                await connection.commit()


async def current_revision(connection: AsyncConnection) -> str | None:
    """The migration the database is at, or None for a database never migrated."""
    if not await connection.run_sync(lambda sync: inspect(sync).has_table("alembic_version")):
        return None
    return (await connection.exec_driver_sql("SELECT version_num FROM alembic_version")).scalar()


def head_revision() -> str | None:
    """The newest migration, read from the files in migrations/versions (the one that no other
    names as the one it revises); None when there is not exactly one."""
    revisions, revised = set(), set()
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        revisions.update(_REVISION.findall(source))
        revised.update(_DOWN_REVISION.findall(source))
    heads = revisions - revised
    return heads.pop() if len(heads) == 1 else None


_REVISION = re.compile(r"^revision\s*(?::[^=]*)?=\s*['\"](\w+)['\"]", re.MULTILINE)
_DOWN_REVISION = re.compile(r"^down_revision\s*(?::[^=]*)?=\s*['\"](\w+)['\"]", re.MULTILINE)


def alembic_config(connection: Connection | None = None, cipher: Any = None, hasher: Any = None) -> Config:
    from alembic.config import Config  # only when migrating: the serving process does without Alembic

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes.update(connection=connection, cipher=cipher, hasher=hasher)
    return config


def _upgrade(connection: Connection, revision: str, cipher: Any, hasher: Any) -> None:
    from alembic import command

    command.upgrade(alembic_config(connection, cipher, hasher), revision)


def _rollback_if_in_transaction(dbapi_connection, record, reset_state) -> None:  # type: ignore[no-untyped-def]
    """The pool's reset of a SQLite connection given back: a ROLLBACK only when a transaction is
    still open on it. Every transaction here ends itself before its connection goes back (the
    session commits or rolls back; a connection closed inside a transaction rolls it back and
    skips the reset), so the pool's usual ROLLBACK would be one more trip to aiosqlite's thread
    for nothing, after every commit. (The pool does nothing either when it may not touch the
    connection: one dropped without being given back is closed, never reused.) PostgreSQL keeps
    the pool's default."""
    if reset_state.asyncio_safe and record.driver_connection.in_transaction:
        dbapi_connection.rollback()


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # What is deleted is overwritten with zeros, so that a copy of the file keeps no trace of it.
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


async def erase_deleted_pages(sessions: async_sessionmaker[AsyncSession]) -> bool:
    """After a person's data is deleted: SQLite's secure_delete has overwritten the freed space
    in the pages; a checkpoint moves those pages from the journal (WAL) into the database file
    and empties the journal, so that neither file keeps a copy of what was deleted. (PostgreSQL:
    VACUUM, run by autovacuum, frees the dead rows; see the README.)

    The journal can be emptied only when no other connection still reads or writes an older
    state of it; SQLite then answers "busy" at once (no busy timeout here: sqlite_connection.py),
    and the checkpoint is tried again, the connection given back in between, for as long as a
    statement waits for a lock. False if it never could: the next checkpoint that can (at the
    latest when the bot stops) empties it."""
    waits = sqlite_connection.pauses()
    while True:
        async with sessions() as session:
            if session.bind is None or session.bind.dialect.name != "sqlite":
                return True
            busy, *_ = (await session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))).one()
        if not busy:
            return True
        pause = next(waits, None)
        if pause is None:
            return False
        await asyncio.sleep(pause)


async def in_batches(sessions: async_sessionmaker[AsyncSession], batch: Callable[[AsyncSession], Awaitable[bool]]) -> None:
    """`batch(session)`, each time in a transaction of its own, until it answers that nothing is
    left; the event loop is given back before each one. On SQLite the statements run on the loop
    and a transaction that has written holds the one write lock: a large write made at once held
    every chat up for its whole length (bench/scheduler_stalls.py)."""
    while True:
        await asyncio.sleep(0)
        async with sessions() as session, session.begin():
            if not await batch(session):
                return
