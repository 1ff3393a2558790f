"""Wiring: settings in, a ready engine out. Used by the command line, the channels and the tests."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

import handlers
from bot.engine import Engine
from bot.settings import Settings
from content import Content, load_content
from storage.crypto import Cipher, load_cipher
from storage.db import create_engine, migrate, session_factory
from storage.models import utcnow


@dataclass
class App:
    settings: Settings
    database: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    content: Content
    cipher: Cipher
    engine: Engine

    async def close(self) -> None:
        await self.database.dispose()


async def build_app(
    settings: Settings,
    clock: Callable[[], datetime] = utcnow,
    run_migrations: bool = True,
    content: Content | None = None,  # already loaded (the tests share one: loading takes a second)
) -> App:
    content = content or load_content()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    cipher = load_cipher(settings.data_key.get_secret_value() if settings.data_key else None, settings.data_dir)
    database = create_engine(settings.effective_database_url)
    if run_migrations:
        await migrate(database)
    sessions = session_factory(database)
    engine = Engine(
        settings=settings,
        sessions=sessions,
        content=content,
        cipher=cipher,
        routers=handlers.routers(),
        hooks=handlers.hooks(),
        clock=clock,
    )
    return App(settings, database, sessions, content, cipher, engine)
