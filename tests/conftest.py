from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator
from datetime import datetime, timezone
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from pydantic import SecretStr

from bot.app import App, build_app
from bot.settings import Settings
from storage.db import create_engine, migrate
from tests.chat import CollectingChannel, ScriptedUser

TEST_KEY = Fernet.generate_key().decode()


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"

    async def create() -> None:
        database = create_engine(f"sqlite+aiosqlite:///{path}")
        await migrate(database)
        await database.dispose()

    asyncio.run(create())
    return path


def make_settings(data_dir: Path, **overrides: object) -> Settings:
    values: dict[str, object] = dict(
        data_dir=data_dir,
        database_url=f"sqlite+aiosqlite:///{data_dir / 'tynchtyk.db'}",
        data_key=SecretStr(TEST_KEY),
        telegram_bot_token=None,
        admin_ids=[],
        flood_max_updates=1000,
    )
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def settings(tmp_path: Path, migrated_template: Path) -> Settings:
    shutil.copy(migrated_template, tmp_path / "tynchtyk.db")
    return make_settings(tmp_path)


@pytest.fixture
async def app(settings: Settings, clock: Clock) -> AsyncIterator[App]:
    application = await build_app(settings, clock=clock, run_migrations=False)
    yield application
    await application.close()


@pytest.fixture
def channel(app: App) -> CollectingChannel:
    collecting = CollectingChannel()
    app.engine.register_channel(collecting)
    return collecting


@pytest.fixture
def make_user(app: App, channel: CollectingChannel):  # type: ignore[no-untyped-def]
    def make(user_key: str = "42", language_hint: str | None = "ru") -> ScriptedUser:
        return ScriptedUser(app.engine, channel, user_key=user_key, language_hint=language_hint)

    return make
