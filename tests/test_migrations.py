"""The migrations, on whichever database the suite runs on (SQLite, then PostgreSQL in CI)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.engine import Connection

from storage.db import alembic_config, create_engine, migrate
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
