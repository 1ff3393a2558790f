"""Alembic environment. Migrations run on a connection handed in by `storage.db.migrate`, or,
from the `alembic` command line, on `DATABASE_URL`."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.engine import Connection

from storage.models import Base, UTCDateTime

target_metadata = Base.metadata


def render_item(type_: str, item: object, autogen_context: object) -> str | bool:
    """Our UTCDateTime is a plain timezone-aware DateTime in the database."""
    if type_ == "type" and isinstance(item, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def run_on(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        render_item=render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


async def run_from_settings() -> None:
    from bot.settings import Settings
    from storage.db import create_engine

    engine = create_engine(Settings().effective_database_url)
    async with engine.begin() as connection:
        await connection.run_sync(run_on)
    await engine.dispose()


connection = context.config.attributes.get("connection")
if connection is not None:
    run_on(connection)
else:
    asyncio.run(run_from_settings())
