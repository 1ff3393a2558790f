"""What the database sees for one update: few statements and one commit, and no ROLLBACK after
it (the counts of every kind of update: bench/statement_counts.py). Counted, not timed."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import aiosqlite
import pytest
from sqlalchemy import event, text

from bot.app import App
from storage.db import create_engine
from storage.sqlite_connection import OnLoopConnection
from tests.chat import ScriptedUser
from tests.databases import ON_POSTGRES

sqlite_only = pytest.mark.skipif(ON_POSTGRES, reason="how aiosqlite is driven")
# A main-menu button: her user row with her conversation (one SELECT), the ids of the messages
# sent since the last update (one INSERT), her conversation's new menu (one UPDATE). PostgreSQL
# adds the lock that keeps her updates and replies in order across processes, and its release
# once the replies are delivered.
MENU_BUTTON_STATEMENTS = 3 + (2 if ON_POSTGRES else 0)


@dataclass
class Seen:
    statements: list[str] = field(default_factory=list)
    commits: int = 0
    driver_rollbacks: int = 0  # ROLLBACKs that reached aiosqlite, the pool's reset on return included
    trips: int = 0  # functions run on aiosqlite's thread (none for a statement: storage/sqlite_connection.py)


@contextmanager
def what_the_database_sees(app: App, monkeypatch: pytest.MonkeyPatch) -> Iterator[Seen]:
    seen = Seen()
    engine = app.database.sync_engine

    def statement(_connection: Any, _cursor: Any, sql: str, *_: Any) -> None:
        seen.statements.append(sql)

    def commit(_connection: Any) -> None:
        seen.commits += 1

    rollback = OnLoopConnection.rollback

    async def counted_rollback(self: OnLoopConnection) -> None:
        seen.driver_rollbacks += 1
        await rollback(self)

    run_on_thread = aiosqlite.Connection._execute

    async def counted_trip(self: aiosqlite.Connection, *arguments: Any, **keywords: Any) -> Any:
        seen.trips += 1
        return await run_on_thread(self, *arguments, **keywords)

    monkeypatch.setattr(OnLoopConnection, "rollback", counted_rollback)
    monkeypatch.setattr(aiosqlite.Connection, "_execute", counted_trip)
    event.listen(engine, "before_cursor_execute", statement)
    event.listen(engine, "commit", commit)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", statement)
        event.remove(engine, "commit", commit)
        monkeypatch.setattr(OnLoopConnection, "rollback", rollback)
        monkeypatch.setattr(aiosqlite.Connection, "_execute", run_on_thread)


@sqlite_only
async def test_a_connection_given_back_inside_a_transaction_is_rolled_back(settings) -> None:
    """The pool's reset skips the ROLLBACK only when no transaction is open."""
    engine = create_engine(settings.effective_database_url)
    try:
        async with engine.connect() as connection:
            raw = await connection.get_raw_connection()
            driver = raw.driver_connection
            assert isinstance(driver, aiosqlite.Connection)
            # A write SQLAlchemy knows nothing of: only the pool's reset can end its transaction.
            await driver.execute("INSERT INTO legal_aid_lookups (day, region, topic, count) VALUES ('x', 'y', 'z', 1)")
            assert driver.in_transaction
        assert not driver.in_transaction
        async with engine.connect() as connection:
            assert (await connection.execute(text("SELECT count(*) FROM legal_aid_lookups"))).scalar() == 0
    finally:
        await engine.dispose()


async def test_a_menu_button_costs_few_statements_and_one_commit(app: App, make_user, monkeypatch) -> None:
    user: ScriptedUser = make_user(user_key="4711", language_hint="en")
    await user.send("/start")
    await user.press("English")
    await user.press(user.button_labels()[-1])  # Skip the region
    await user.send("/menu")  # its replies' ids are written with the next update
    with what_the_database_sees(app, monkeypatch) as seen:
        await user.press(app.content.catalog.text("en", "menu-legal"))
    assert user.button_labels(), "the press was answered with the section's buttons"
    assert len(seen.statements) <= MENU_BUTTON_STATEMENTS, "\n".join(seen.statements)
    assert seen.commits == 1
    if not ON_POSTGRES:
        assert seen.driver_rollbacks == 0  # none after the commit either
        assert seen.trips == 0  # no trip to aiosqlite's thread: the statements and the COMMIT run on the loop
