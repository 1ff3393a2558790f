from __future__ import annotations

import functools
import shutil

from collections.abc import AsyncIterator, Callable, Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest
from aiohttp import CookieJar, web
from aiohttp.test_utils import TestClient, TestServer
from cryptography.fernet import Fernet
from pydantic import SecretStr

from bot.app import App, build_app
from dashboard import server as dashboard_server
from content import CONTENT_DIR, Content, load_content
from bot.settings import Settings
from tests.chat import CollectingChannel, ScriptedUser
from tests.databases import ON_POSTGRES, POSTGRES_URL, Databases, PostgresDatabases, SQLiteDatabases

TEST_KEY = Fernet.generate_key().decode()


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        return self.now


def pytest_configure(config: pytest.Config) -> None:
    if ON_POSTGRES and not POSTGRES_URL:
        pytest.exit("TEST_DATABASE=postgresql needs TEST_POSTGRES_URL=postgresql+asyncpg://user:password@host/db", 4)


# A test that asks for none of these touches no database: it runs once, in the SQLite pass.
DATABASE_FIXTURES = {"app", "settings", "new_database", "databases", "make_user", "channel", "browser", "bot", "own_postgres"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The PostgreSQL pass runs what a database can change: tests with no database, and the
    browser walks (whose pages' queries the aiohttp tests run on PostgreSQL), are left to the
    SQLite pass."""
    if not ON_POSTGRES:
        return
    once = pytest.mark.skip(reason="the same on every database: run in the SQLite pass")
    for item in items:
        browser_walk = item.path.name == "test_dashboard_browser.py"
        if browser_walk or not DATABASE_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(once)


def pytest_report_header() -> str:
    return f"database: {'postgresql' if ON_POSTGRES else 'sqlite'}"


@pytest.fixture(scope="session")
def databases(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Iterator[Databases]:
    made = PostgresDatabases(POSTGRES_URL, worker_id) if ON_POSTGRES else SQLiteDatabases(tmp_path_factory.mktemp("template"))
    yield made
    made.close()


@pytest.fixture
def new_database(databases: Databases) -> Iterator[Callable[..., str]]:
    """`new_database(data_dir)`: the URL of a migrated database of this test's own (an empty one
    with `migrated=False`, for a bot process to migrate); dropped after the test."""
    made: list[str] = []

    def create(data_dir: Path, migrated: bool = True) -> str:
        made.append(databases.create(data_dir, migrated))
        return made[-1]

    yield create
    for url in made:
        databases.drop(url)


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


@functools.cache
def shared_content() -> Content:
    """The shipped content, loaded once per test process; nothing changes it at run time."""
    return load_content()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def settings(tmp_path: Path, new_database: Callable[..., str]) -> Settings:
    return make_settings(tmp_path, database_url=new_database(tmp_path))


@pytest.fixture
async def app(settings: Settings, clock: Clock) -> AsyncIterator[App]:
    application = await build_app(settings, clock=clock, run_migrations=False, content=shared_content())
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


@pytest.fixture
async def browser(app: App) -> AsyncIterator[TestClient]:
    """A browser on the dashboard: aiohttp's test client, keeping its cookies."""
    root = web.Application()
    dashboard_server.mount(root, app)
    client = TestClient(TestServer(root), cookie_jar=CookieJar(unsafe=True))
    await client.start_server()
    yield client
    await client.close()


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    """A copy of the shipped content folder, for a test to break."""
    copy = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, copy, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return copy
