"""The command line a technician uses: migrate, admin add, admin list."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet

from bot.app import build_app
from tests.chat import CollectingChannel, ScriptedUser
from tests.conftest import make_settings

ROOT = Path(__file__).resolve().parent.parent


def run_cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DATA", "DATABASE", "ADMIN"))}
    env.update(DATA_DIR=str(data_dir), PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=data_dir, env=env,
                          capture_output=True, text=True, timeout=60)


async def test_admin_add_makes_a_telegram_user_admin(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    assert "up to date" in run_cli(data, "migrate").stdout
    added = run_cli(data, "admin", "add", "424242")
    assert added.returncode == 0 and "424242 is an admin" in added.stdout
    assert (data / "secret.key").stat().st_mode & 0o777 == 0o600  # the key file made on first run
    listed = run_cli(data, "admin", "list")
    assert "telegram:424242\tadmin" in listed.stdout

    key = (data / "secret.key").read_text()
    app = await build_app(make_settings(data, data_key=None), run_migrations=False)
    try:
        user = ScriptedUser(app.engine, CollectingChannel(), user_key="424242", language_hint="en")
        await user.send("/start")
        await user.press("English")
        await user.press("Skip")
        assert any("Coordinator" in label for label in user.button_labels())
    finally:
        await app.close()
    assert Fernet(key.encode())  # the key file holds a valid key
