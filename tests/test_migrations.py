"""The migrations build exactly the schema the models describe, and go down and up again."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from bot.settings import Settings
from storage.db import alembic_config, create_engine, migrate
from storage.models import Base


def _differences(connection) -> list:  # type: ignore[no-untyped-def]
    context = MigrationContext.configure(connection, opts={"compare_type": False})
    return compare_metadata(context, Base.metadata)


async def test_the_migrated_schema_matches_the_models(settings: Settings) -> None:
    database = create_engine(settings.effective_database_url)
    try:
        async with database.connect() as connection:
            differences = await connection.run_sync(_differences)
            tables = await connection.run_sync(lambda sync: set(inspect(sync).get_table_names()))
    finally:
        await database.dispose()
    assert differences == []
    assert {"outbox", "inbound_messages", "reports", "users"} <= tables


async def test_the_last_migration_goes_down_and_up_again(settings: Settings) -> None:
    database = create_engine(settings.effective_database_url)
    try:
        async with database.begin() as connection:
            await connection.run_sync(lambda sync: command.downgrade(alembic_config(sync), "0006"))
        async with database.connect() as connection:
            tables = await connection.run_sync(lambda sync: set(inspect(sync).get_table_names()))
        assert "inbound_messages" not in tables
        await migrate(database)
        async with database.connect() as connection:
            columns = await connection.run_sync(lambda sync: {c["name"] for c in inspect(sync).get_columns("outbox")})
        assert {"channel_message_id", "delivered_at", "read_at"} <= columns
    finally:
        await database.dispose()
