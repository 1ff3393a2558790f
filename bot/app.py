"""Wiring: settings in, the bot's services (core.services.App) out: content, key, database,
engine, the one sender. Used by the command line, the channels and the tests."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import handlers
from bot.settings import Settings
from core.engine import Engine
from core.services import App
from content import Content, load_content
from core.logs import use_hasher
from core.delivery import NoticeRenderer, RateLimiter, Sender
from storage.crypto import load_cipher
from storage.secrets import load_hasher
from storage.db import create_engine, migrate, session_factory
from storage.models import utcnow


CONTENT_PASSED = "content-passed"  # in the data folder: the digest of the content that last passed every check


async def build_app(
    settings: Settings,
    clock: Callable[[], datetime] = utcnow,
    run_migrations: bool = True,
    content: Content | None = None,  # already loaded (the tests share one: loading takes a second)
) -> App:
    protect_data_folder(settings.data_dir)
    content = content or load_content(passed=settings.data_dir / CONTENT_PASSED)
    cipher = load_cipher(settings.data_key.get_secret_value() if settings.data_key else None, settings.key_file)
    hasher = load_hasher(settings.secrets_dir)
    use_hasher(hasher)
    database = create_engine(settings.effective_database_url)
    if run_migrations:
        await migrate(database, cipher=cipher, hasher=hasher)
    sessions = session_factory(database)
    engine = Engine(
        settings=settings,
        sessions=sessions,
        content=content,
        cipher=cipher,
        hasher=hasher,
        routers=handlers.routers(),
        hooks=handlers.hooks(),
        clock=clock,
    )
    limiter = RateLimiter(settings.send_rate, settings.per_chat_seconds)
    sender = Sender(sessions, engine.channels, {"notice": NoticeRenderer(cipher)}, limiter, clock=clock)
    engine.outbox = sender
    return App(settings, database, sessions, content, cipher, hasher, engine, sender)


def protect_data_folder(data_dir: Path) -> None:
    """The data folder is 0700 and what the bot writes in it 0600 (the database, its journal,
    evidence, exports), also for a folder made by an older version with looser modes."""
    os.umask(0o077)
    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    data_dir.chmod(0o700)
    for path in data_dir.rglob("*"):
        if path.is_symlink():
            continue
        path.chmod(0o700 if path.is_dir() else 0o600)
