"""The command line a technician uses: migrate, admin add, admin list."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from cryptography.fernet import Fernet

from bot.app import build_app
from tests.chat import CollectingChannel, ScriptedUser
from tests.conftest import make_settings
from tests.helpers import DESCRIPTION, answer_incident, start_incident

ROOT = Path(__file__).resolve().parent.parent


def run_cli(data_dir: Path, database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DATA", "DATABASE", "ADMIN"))}
    env.update(DATA_DIR=str(data_dir), DATABASE_URL=database_url, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=data_dir, env=env,
                          capture_output=True, text=True, timeout=60)


async def test_admin_add_makes_a_telegram_user_admin(tmp_path: Path, new_database: Callable[..., str]) -> None:
    data = tmp_path / "data"
    data.mkdir()
    url = new_database(data, migrated=False)
    assert "up to date" in run_cli(data, url, "migrate").stdout
    added = run_cli(data, url, "admin", "add", "424242")
    assert added.returncode == 0 and "424242 is an admin" in added.stdout
    assert (data / "secret.key").stat().st_mode & 0o777 == 0o600  # the key file made on first run
    added = run_cli(data, url, "admin", "add", "+996 555 123 456", "--whatsapp")
    assert added.returncode == 0 and "WhatsApp user 996555123456 is an admin" in added.stdout
    listed = run_cli(data, url, "admin", "list")
    assert "telegram:424242\tadmin" in listed.stdout and "whatsapp:996555123456\tadmin" in listed.stdout

    key = (data / "secret.key").read_text()
    app = await build_app(make_settings(data, database_url=url, data_key=None), run_migrations=False)
    try:
        user = ScriptedUser(app.engine, CollectingChannel(), user_key="424242", language_hint="en")
        await user.send("/start")
        await user.press("English")
        await user.press("Skip")
        assert any("Coordinator" in label for label in user.button_labels())
    finally:
        await app.close()
    assert Fernet(key.encode())  # the key file holds a valid key


async def test_export_reports_from_the_command_line(tmp_path: Path, new_database: Callable[..., str]) -> None:
    import csv
    import io

    data = tmp_path / "data"
    data.mkdir()
    url = new_database(data, migrated=False)
    assert run_cli(data, url, "migrate").returncode == 0
    app = await build_app(make_settings(data, database_url=url, data_key=None), run_migrations=False)
    try:
        channel = CollectingChannel()
        user = ScriptedUser(app.engine, channel, user_key="777", language_hint="en")
        await user.send("/start")
        await user.press("English")
        await user.press("Skip")
        await start_incident(app, user, "en")
        await answer_incident(app, user, "en", region="issyk_kul", photo=False)
        await user.press("Send")
    finally:
        await app.close()
    exported = run_cli(data, url, "export", "reports", "--format", "csv", "--language", "en", "--output", str(tmp_path / "out.csv"))
    assert exported.returncode == 0, exported.stderr
    assert "1 report(s) written" in exported.stdout
    rows = list(csv.reader(io.StringIO((tmp_path / "out.csv").read_text(encoding="utf-8-sig"))))
    assert rows[0][0] == "Code" and "Reporter's account" in rows[0]
    assert rows[1][rows[0].index("Region")] == "Issyk-Kul region"
    assert DESCRIPTION in rows[1] and "telegram:777" in rows[1]
    empty = run_cli(data, url, "export", "reports", "--region", "talas", "--output", str(tmp_path / "none.csv"))
    assert "0 report(s) written" in empty.stdout


def test_several_workers_are_refused_where_they_cannot_work(tmp_path: Path) -> None:
    """Before any slow start: several processes need PostgreSQL and webhooks."""
    on_sqlite = run_cli(tmp_path, f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}", "run", "--workers", "2")
    assert on_sqlite.returncode == 2 and "Several workers need PostgreSQL" in on_sqlite.stderr
    polling = run_cli(tmp_path, "postgresql+asyncpg://bot:secret@127.0.0.1:5432/bot", "run", "--workers", "2")
    assert polling.returncode == 2 and "long polling allows one process only" in polling.stderr
    assert "Traceback" not in on_sqlite.stderr + polling.stderr
