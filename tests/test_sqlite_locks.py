"""SQLite runs on the event loop's thread (storage/sqlite_connection.py): a statement that meets
another connection's lock waits without holding the loop, goes on once the lock is free, and
gives "try again" with her draft kept when the lock is held too long. Another connection here is
a plain sqlite3 one on the same file, as a command line run beside the bot would hold it."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from bot.app import App
from storage import sqlite_connection
from storage.db import erase_deleted_pages
from tests.databases import ON_POSTGRES
from tests.helpers import onboard, question, t, walk_to

pytestmark = pytest.mark.skipif(ON_POSTGRES, reason="how SQLite is driven")


@pytest.fixture
def other_connection(app: App) -> Iterator[sqlite3.Connection]:
    path = make_url(app.settings.effective_database_url).database
    assert path and Path(path).exists()
    connection = sqlite3.connect(path, isolation_level=None, timeout=0)
    yield connection
    connection.close()


def hold_the_write_lock(connection: sqlite3.Connection) -> None:
    connection.execute("BEGIN IMMEDIATE")
    connection.execute("INSERT INTO legal_aid_lookups (day, region, topic, count) VALUES ('held', 'x', 'y', 1)")


async def test_an_update_waits_for_another_writer_while_the_loop_serves_others(app: App, make_user,
                                                                               other_connection) -> None:
    async with app.database.connect() as connection:  # SQLite itself never sleeps on the loop's thread
        assert (await connection.exec_driver_sql("PRAGMA busy_timeout")).scalar() == 0
    user = make_user(user_key="501", language_hint="en")
    await onboard(user, "en", None)
    hold_the_write_lock(other_connection)
    waiting = asyncio.create_task(user.send("/menu"))
    served = 0
    for _ in range(20):  # the loop goes on: these sleeps end while her update waits for the lock
        await asyncio.sleep(0.01)
        served += 1
    assert served == 20 and not waiting.done()
    other_connection.execute("COMMIT")
    await asyncio.wait_for(waiting, 10)
    assert user.text == t(app, "en", "main-menu")  # answered once the lock was free
    assert t(app, "en", "menu-lessons") in user.button_labels()


async def test_a_lock_held_too_long_gives_try_again_and_her_draft_survives(app: App, make_user, other_connection,
                                                                           monkeypatch) -> None:
    user = make_user(user_key="502", language_hint="en")
    await onboard(user, "en", None)
    await walk_to(app, user, "district")
    assert question(app, "incident", "district", "en") in user.text
    monkeypatch.setattr(sqlite_connection, "LOCK_WAIT_SECONDS", 0.2)
    hold_the_write_lock(other_connection)
    await user.send("Kochkor district")
    assert t(app, "en", "error-try-again") in user.text
    other_connection.execute("ROLLBACK")
    await user.send("Kochkor district")  # the same answer again, now that the lock is free
    assert question(app, "incident", "date", "en") in user.text  # her earlier answers were kept


async def test_a_busy_statement_that_waiting_cannot_mend_fails_at_once(app: App, monkeypatch) -> None:
    """A transaction that read before another connection wrote cannot write (a stale snapshot):
    it fails at once, as it did with SQLite's own busy handler, instead of waiting."""
    waits: list[str] = []
    monkeypatch.setattr(sqlite_connection, "pauses", lambda: waits.append("wait") or iter([0.01]))
    async with app.database.connect() as first, app.database.connect() as second:
        reader = (await first.get_raw_connection()).driver_connection
        writer = (await second.get_raw_connection()).driver_connection
        await reader.cursor().execute("BEGIN")
        await reader.cursor().execute("SELECT count(*) FROM users")
        await writer.cursor().execute("INSERT INTO legal_aid_lookups (day, region, topic, count) VALUES ('d', 'x', 'y', 1)")
        await writer.commit()
        with pytest.raises(sqlite3.OperationalError) as failed:
            await reader.cursor().execute("INSERT INTO legal_aid_lookups (day, region, topic, count) VALUES ('e', 'x', 'y', 1)")
        assert failed.value.sqlite_errorcode == sqlite3.SQLITE_BUSY_SNAPSHOT  # type: ignore[attr-defined]
        assert waits == []
        await reader.rollback()


async def test_the_journal_is_emptied_once_a_reader_of_an_older_state_is_done(app: App, make_user,
                                                                               other_connection) -> None:
    user = make_user(user_key="503", language_hint="en")
    await onboard(user, "en", None)  # pages written to the journal
    other_connection.execute("BEGIN")
    other_connection.execute("SELECT count(*) FROM users").fetchall()  # reads the state before the next write
    await user.send("/menu")
    erasing = asyncio.create_task(erase_deleted_pages(app.sessions))
    await asyncio.sleep(0.1)
    assert not erasing.done()  # tried again and again while she reads
    other_connection.execute("COMMIT")
    assert await asyncio.wait_for(erasing, 10) is True
    journal = Path(make_url(app.settings.effective_database_url).database + "-wal")
    assert journal.stat().st_size == 0


async def test_a_journal_that_cannot_be_emptied_is_said_so(app: App, make_user, other_connection, monkeypatch) -> None:
    user = make_user(user_key="504", language_hint="en")
    await onboard(user, "en", None)
    other_connection.execute("BEGIN")
    other_connection.execute("SELECT count(*) FROM users").fetchall()
    await user.send("/menu")
    monkeypatch.setattr(sqlite_connection, "LOCK_WAIT_SECONDS", 0.1)
    assert await erase_deleted_pages(app.sessions) is False
    other_connection.execute("COMMIT")
