"""Alembic environment. Migrations run on a connection handed in by `storage.db.migrate` (through
`python -m bot migrate` or the bot's start), which also hands in the key and the hashing secret."""

from __future__ import annotations

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


connection = context.config.attributes.get("connection")
if connection is None:
    raise SystemExit("Run the migrations with `python -m bot migrate`: they need the key and the hashing secret.")
run_on(connection)
