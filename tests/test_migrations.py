"""The migrations, on whichever database the suite runs on (SQLite, then PostgreSQL in CI)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.engine import Connection

from alembic.script import ScriptDirectory

from storage.db import alembic_config, create_engine, current_revision, head_revision, migrate
from storage.models import Base


async def test_the_migrations_make_the_schema_the_models_describe(tmp_path: Path, new_database: Callable[..., str]) -> None:
    engine = create_engine(new_database(tmp_path, migrated=False))
    try:
        await migrate(engine)
        async with engine.connect() as connection:
            differences = await connection.run_sync(_differences)
    finally:
        await engine.dispose()
    assert differences == []


async def test_a_start_knows_the_newest_migration_without_alembic(tmp_path: Path, new_database: Callable[..., str]) -> None:
    """A start on an up-to-date database skips Alembic: it must know the newest migration from the
    files as Alembic does, or a new migration would never run at a start."""
    assert head_revision() == ScriptDirectory.from_config(alembic_config()).get_current_head()
    engine = create_engine(new_database(tmp_path, migrated=False))
    try:
        async with engine.connect() as connection:
            assert await current_revision(connection) is None
        await migrate(engine, "0009")
        await migrate(engine)  # one behind: migrated
        async with engine.connect() as connection:
            assert await current_revision(connection) == head_revision()
            assert "dashboard_links" in await connection.run_sync(_tables)
    finally:
        await engine.dispose()


async def test_every_migration_goes_down_and_up_again(tmp_path: Path, new_database: Callable[..., str]) -> None:
    engine = create_engine(new_database(tmp_path))
    try:
        async with engine.begin() as connection:
            await connection.run_sync(lambda sync: command.downgrade(alembic_config(sync), "base"))
            assert await connection.run_sync(_tables) <= {"alembic_version"}
        await migrate(engine)
        async with engine.connect() as connection:
            assert await connection.run_sync(_tables) == set(Base.metadata.tables) | {"alembic_version"}
            assert await connection.run_sync(_differences) == []
    finally:
        await engine.dispose()


def _differences(connection: Connection) -> list[object]:
    return compare_metadata(MigrationContext.configure(connection), Base.metadata)


def _tables(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names())


async def test_an_older_database_is_upgraded_with_its_texts_encrypted_and_its_times_to_the_hour(
    tmp_path: Path, new_database: Callable[..., str]
) -> None:
    """What version 0007 kept plain (task titles, alert texts, summaries, group invite codes,
    WhatsApp message ids) is encrypted or hashed by the upgrade, with the key and secret the bot
    hands in; times that could tie an anonymous report to a person keep only the hour."""
    import secrets as random_secrets
    from datetime import datetime, timezone

    from cryptography.fernet import Fernet
    from sqlalchemy import text

    from storage.crypto import Cipher
    from storage.secrets import Hasher

    cipher, hasher = Cipher([Fernet.generate_key()]), Hasher(random_secrets.token_bytes(32))
    engine = create_engine(new_database(tmp_path, migrated=False))
    moment = datetime(2026, 11, 20, 14, 33, 5, 123456, tzinfo=timezone.utc)
    try:
        await migrate(engine, "0007")
        async with engine.begin() as connection:
            insert = lambda statement, **values: connection.execute(text(statement), values)  # noqa: E731
            await insert("INSERT INTO users (id, channel, external_id, role, coordinator_regions, active, alerts_muted,"
                         " created_at, last_seen_at) VALUES (1, 'whatsapp', '996555123456', 'member', '[]', true, false,"
                         " :at, :at)", at=moment)
            await insert("INSERT INTO monitoring_groups (id, name, region, invite_code, quiet_start, quiet_end,"
                         " default_offsets, created_at) VALUES (1, 'Naryn', 'naryn', 'K7F9QX', '22:00', '08:00', '[]', :at)",
                         at=moment)
            await insert("INSERT INTO tasks (id, group_id, title, description, due_at, offsets, next_created, created_at)"
                         " VALUES (1, 1, 'Visit the polling station', 'School 5', :at, '[]', false, :at)", at=moment)
            await insert("INSERT INTO broadcasts (id, status, texts, audience, ask_ack, send_at, created_at)"
                         " VALUES (1, 'scheduled', :texts, '{}', false, :at, :at)", texts='{"all": "Hearing on Monday"}',
                         at=moment)
            await insert("INSERT INTO outbox (id, kind, payload, channel, chat_key, language, status, attempts,"
                         " next_attempt_at) VALUES (1, 'summary', :payload, 'telegram', '5', 'en', 'pending', 0, :at)",
                         payload='{"overdue": [{"title": "Visit the polling station"}]}', at=moment)
            await insert("INSERT INTO inbound_messages (channel, message_id, received_at)"
                         " VALUES ('whatsapp', 'wamid.HBgMOTk2NTU1MTIzNDU2', :at)", at=moment)
            await insert("INSERT INTO reports (id, reference, kind, form_id, form_version, status, contact_allowed,"
                         " wants_legal_aid, answers, created_at, updated_at) VALUES (1, 'R-AAAAAA', 'incident',"
                         " 'incident', 1, 'new', false, false, :answers, :at, :at)", answers=cipher.encrypt_json({}),
                         at=moment)
        await migrate(engine, cipher=cipher, hasher=hasher)
        async with engine.connect() as connection:
            row = lambda statement: connection.execute(text(statement))  # noqa: E731
            (title, description), = (await row("SELECT title_token, description_token FROM tasks")).all()
            (texts,), = (await row("SELECT texts_token FROM broadcasts")).all()
            (payload,), = (await row("SELECT payload_token FROM outbox")).all()
            (invite_hash, invite_token), = (await row("SELECT invite_hash, invite_token FROM monitoring_groups")).all()
            (message_id,), = (await row("SELECT message_id FROM inbound_messages")).all()
            (created,), = (await row("SELECT created_at FROM reports")).all()
            (seen,), = (await row("SELECT last_seen_at FROM users")).all()
    finally:
        await engine.dispose()
    assert cipher.decrypt(title) == b"Visit the polling station" and cipher.decrypt(description) == b"School 5"
    assert cipher.decrypt_json(texts) == {"all": "Hearing on Monday"}
    assert cipher.decrypt_json(payload)["overdue"][0]["title"] == "Visit the polling station"
    assert cipher.decrypt(invite_token) == b"K7F9QX" and invite_hash == hasher.digest("group-invite", "K7F9QX")
    assert message_id == hasher.digest("inbound", "whatsapp:wamid.HBgMOTk2NTU1MTIzNDU2") and "HBgM" not in message_id
    for stored in (created, seen):
        stored = stored if isinstance(stored, datetime) else datetime.fromisoformat(stored)
        assert (stored.hour, stored.minute, stored.second, stored.microsecond) == (14, 0, 0, 0)
