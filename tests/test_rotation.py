"""`python -m bot rotate-key` loses nothing.

What was seen: with DATA_KEY set, one missing evidence file aborted it after other files had been
rewritten under a new key that was never shown, and those files were lost; run while the bot was
up, the bot wrote a draft under the old key, and after a restart each of her updates answered
"Something went wrong". Here: a rotation with a key file and with DATA_KEY, a missing and an
unreadable file, a rotation stopped at each of its stages (and killed with -9) and run again,
and the refusal while the bot holds the scheduler lock.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography.fernet import Fernet, InvalidToken
from pydantic import SecretStr
from sqlalchemy import LargeBinary, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import SessionTransaction

from bot.app import App, build_app
from core.messages import Media
from bot.settings import Settings
from storage.evidence import ALERT_PHOTOS as PHOTO_FOLDER
from scheduler.leader import lock_for
from storage import evidence, rotation
from storage.crypto import Cipher, load_cipher, load_keys
from storage.models import (
    Base, Broadcast, BroadcastStatus, Conversation, Evidence, GroupMember, MonitoringGroup, Outbox, OutboxStatus,
    Report, ReportEvent, Task, User, utcnow,
)
from storage.rotation import ENCRYPTED_COLUMNS, ENCRYPTED_FOLDERS, rotate_key
from tests.chat import CollectingChannel, ScriptedUser
from tests.conftest import make_settings, shared_content
from tests.helpers import PHOTO, answer_incident, onboard, option, start_incident, t, walk_to

ROOT = Path(__file__).resolve().parent.parent
ALERT_PHOTO = b"\x89PNG alert photo bytes" * 40


@pytest.fixture(params=["key file", "DATA_KEY"])
def key_settings(request: pytest.FixtureRequest, tmp_path: Path, new_database: Callable[..., str]) -> Settings:
    """Settings keyed by a key file (DATA_KEY empty), or by DATA_KEY."""
    data_key = None if request.param == "key file" else SecretStr(Fernet.generate_key().decode())
    return make_settings(tmp_path, database_url=new_database(tmp_path), data_key=data_key)


@pytest.fixture
async def keyed_app(key_settings: Settings) -> AsyncIterator[App]:
    application = await build_app(key_settings, run_migrations=False, content=shared_content())
    yield application
    await application.close()


def data_key_of(settings: Settings) -> str | None:
    return settings.data_key.get_secret_value() if settings.data_key else None


def bot_cipher(settings: Settings) -> Cipher:
    """The keys a bot started now would load."""
    return load_cipher(data_key_of(settings), settings.key_file)


async def seed(app: App) -> None:
    """A filed report with a photo (42), a draft with a photo (43), and a row for every other
    encrypted column, with an alert photo."""
    channel = CollectingChannel()
    channel.files["photo-1"] = PHOTO
    app.engine.register_channel(channel)
    filer = ScriptedUser(app.engine, channel, user_key="42", language_hint="en")
    await onboard(filer, "en", None)
    await start_incident(app, filer, "en")
    await answer_incident(app, filer, "en")
    await filer.press("Send")
    drafter = ScriptedUser(app.engine, channel, user_key="43", language_hint="en")
    await onboard(drafter, "en", None)
    await walk_to(app, drafter, "evidence")
    await drafter.send_media(Media("photo", "photo-1", size=len(PHOTO), mime_type="image/jpeg"))
    assert t(app, "en", "form-file-received", count=1, limit=5) in drafter.text
    await seed_other_columns(app)


async def seed_other_columns(app: App) -> None:
    cipher = app.cipher
    photo = evidence.store(cipher, app.settings.data_dir, ALERT_PHOTO, PHOTO_FOLDER).path
    async with app.sessions() as session, session.begin():
        report = await session.scalar(select(Report))
        assert report is not None
        session.add(ReportEvent(report_id=report.id, kind="question", text=cipher.encrypt(b"Which village?")))
        broadcast = Broadcast(status=BroadcastStatus.DONE, texts_token=cipher.encrypt_json({"all": "Hearing on Friday"}),
                              photo_path=photo, audience={}, send_at=utcnow())
        group = MonitoringGroup(name="Naryn group", region="naryn", invite_hash="h" * 64,
                                invite_token=cipher.encrypt(b"invite-code"))
        someone = User(channel="telegram", external_id="500", language="en")
        session.add_all([broadcast, group, someone])
        await session.flush()
        session.add(Conversation(user_id=someone.id, state="lessons", data=cipher.encrypt_json({"lesson": "1325"}),
                                 menu_token=cipher.encrypt_json([["Next", "l:1325:2"]])))
        session.add(Outbox(kind="notice", payload_token=cipher.encrypt_json({"text": "notice"}), channel="telegram",
                           chat_key="500", language="en", status=OutboxStatus.SENT, broadcast_id=None))
        session.add(GroupMember(group_id=group.id, user_id=someone.id, display_name_token=cipher.encrypt(b"Aidai")))
        session.add(Task(group_id=group.id, title_token=cipher.encrypt(b"Monthly visit"),
                         description_token=cipher.encrypt(b"Visit the crisis centre"),
                         due_at=utcnow() + timedelta(days=3), offsets=[120]))


async def encrypted_values(session: AsyncSession) -> dict[str, list[bytes]]:
    found = {}
    for column in ENCRYPTED_COLUMNS:
        found[f"{column.class_.__tablename__}.{column.key}"] = [
            value for value in await session.scalars(select(column).where(column.is_not(None)))]
    return found


def encrypted_files(data_dir: Path) -> list[Path]:
    return sorted(path for folder in ENCRYPTED_FOLDERS for path in (data_dir / folder).glob("*.bin"))


async def assert_all_readable(app: App, cipher: Cipher, every_column: bool = True) -> None:
    """Every encrypted value and file opens with `cipher`, and every evidence file is unaltered;
    `every_column`: each encrypted column holds a value (once she has sent her draft, drafts hold none)."""
    async with app.sessions() as session:
        for name, values in (await encrypted_values(session)).items():
            assert values or not every_column, f"nothing seeded in {name}"
            for value in values:
                cipher.decrypt(value)
        items = (await session.scalars(select(Evidence))).all()
    for path in encrypted_files(app.settings.data_dir):
        cipher.decrypt(path.read_bytes())
    assert items
    for item in items:
        assert evidence.load(cipher, app.settings.data_dir, item.path, item.sha256) == PHOTO


def staged_files(data_dir: Path) -> list[Path]:
    return sorted(data_dir.rglob(f"*{rotation.STAGED_SUFFIX}"))


async def continue_the_draft_and_send(settings: Settings) -> None:
    """What she sees after a restart: her draft comes back, and the report goes out with its photo."""
    app = await build_app(settings, run_migrations=False, content=shared_content())
    try:
        channel = CollectingChannel()
        app.engine.register_channel(channel)
        user = ScriptedUser(app.engine, channel, user_key="43", language_hint="en")
        await user.send("/menu")
        await user.press_exactly(t(app, "en", "menu-report"))
        await user.press_exactly(t(app, "en", "form-continue"))
        assert "Something went wrong" not in user.text
        await user.press_exactly(t(app, "en", "form-done"))
        await user.press_exactly("No")
        await user.press_exactly(option(app, "incident", "contact", "contact", "en"))
        await user.press_exactly("Yes")
        await user.press("Send")
        assert "Something went wrong" not in user.text
        async with app.sessions() as session:
            items = (await session.scalars(select(Evidence))).all()
        assert len(items) == 2
        for item in items:
            assert evidence.load(app.cipher, settings.data_dir, item.path, item.sha256) == PHOTO
    finally:
        await app.close()


def test_every_encrypted_column_is_in_the_one_list() -> None:
    binary = {f"{table.name}.{column.name}" for table in Base.metadata.tables.values()
              for column in table.columns if isinstance(column.type, LargeBinary)}
    assert binary == {f"{column.class_.__tablename__}.{column.key}" for column in ENCRYPTED_COLUMNS}
    assert set(ENCRYPTED_FOLDERS) == {evidence.FOLDER, PHOTO_FOLDER}


async def test_rotation_reencrypts_everything_under_the_new_key_alone(keyed_app: App, key_settings: Settings) -> None:
    await seed(keyed_app)
    old_keys = load_keys(data_key_of(key_settings), key_settings.key_file)
    rotated = await rotate_key(keyed_app.sessions, data_key_of(key_settings), key_settings.data_dir,
                               key_settings.key_file)
    assert rotated.unreadable_files == [] and rotated.unreadable_values == []
    assert rotated.files == 3  # the report's photo, the draft's, the alert's
    new_only = Cipher([rotated.new_key])
    await assert_all_readable(keyed_app, new_only)
    async with keyed_app.sessions() as session:
        report = await session.scalar(select(Report))
    with pytest.raises(InvalidToken):
        Fernet(old_keys[0]).decrypt(report.answers)

    if key_settings.data_key is None:
        assert key_settings.key_file.read_bytes().split() == [rotated.new_key]
        assert rotated.key_kept_in == key_settings.key_file
        after = key_settings
    else:
        pending = key_settings.key_file.with_name("rotating.key")
        assert rotated.key_kept_in == pending and pending.read_bytes().split() == [rotated.new_key]
        assert pending.stat().st_mode & 0o777 == 0o600
        assert load_keys(data_key_of(key_settings), key_settings.key_file)[0] == rotated.new_key  # not copied yet
        assert pending.exists()
        after = key_settings.model_copy(update={"data_key": SecretStr(rotated.new_key.decode())})
        assert load_keys(data_key_of(after), after.key_file) == [rotated.new_key]
        assert not pending.exists()  # DATA_KEY holds it now
    await continue_the_draft_and_send(after)


@pytest.mark.parametrize("stage", ["staging the files", "commit", "renaming the files"])
async def test_a_rotation_stopped_midway_leaves_everything_readable_and_a_second_run_finishes(
    keyed_app: App, key_settings: Settings, monkeypatch: pytest.MonkeyPatch, stage: str
) -> None:
    await seed(keyed_app)

    class Stopped(Exception):
        pass

    def fail_on_second(real: Callable[..., object], of_staged: bool = False) -> Callable[..., object]:
        calls = []

        def stop(*args: object) -> object:
            if not of_staged or str(args[0]).endswith(rotation.STAGED_SUFFIX):
                calls.append(args)
            if len(calls) == 2:
                raise Stopped
            return real(*args)

        return stop

    if stage == "staging the files":
        monkeypatch.setattr(rotation, "_write_beside", fail_on_second(rotation._write_beside))
    elif stage == "commit":
        def fail(self: SessionTransaction, *args: object) -> None:
            raise Stopped
        monkeypatch.setattr(SessionTransaction, "commit", fail)
    else:
        monkeypatch.setattr(rotation.os, "replace", fail_on_second(os.replace, of_staged=True))  # one renamed
    data_key = data_key_of(key_settings)
    with pytest.raises(Stopped):
        await rotate_key(keyed_app.sessions, data_key, key_settings.data_dir, key_settings.key_file)
    monkeypatch.undo()
    # after the commit, the files not yet renamed are left staged for the next run to redo
    assert bool(staged_files(key_settings.data_dir)) == (stage == "renaming the files")
    await assert_all_readable(keyed_app, bot_cipher(key_settings))
    await continue_the_draft_and_send(key_settings)  # she can go on between the two runs

    rotated = await rotate_key(keyed_app.sessions, data_key, key_settings.data_dir, key_settings.key_file)
    assert rotated.unreadable_files == [] and rotated.unreadable_values == []
    await assert_all_readable(keyed_app, Cipher([rotated.new_key]), every_column=False)
    assert staged_files(key_settings.data_dir) == []


def rotate_key_command(settings: Settings) -> tuple[list[str], dict[str, str]]:
    """`python -m bot rotate-key` as the technician runs it, with these settings."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DATA", "ADMIN"))}
    env.update(DATA_DIR=str(settings.data_dir), DATABASE_URL=settings.effective_database_url, PYTHONPATH=str(ROOT))
    if settings.data_key is not None:
        env["DATA_KEY"] = settings.data_key.get_secret_value()
    return [sys.executable, "-m", "bot", "rotate-key"], env


def run_rotate_key(settings: Settings) -> subprocess.CompletedProcess[str]:
    command, env = rotate_key_command(settings)
    return subprocess.run(command, cwd=settings.data_dir, env=env, capture_output=True, text=True, timeout=120)


async def test_a_missing_or_unreadable_file_is_told_and_the_others_are_rotated(keyed_app: App, key_settings: Settings) -> None:
    await seed(keyed_app)
    async with keyed_app.sessions() as session:
        filed = await session.scalar(select(Evidence.path))
    (key_settings.data_dir / filed).unlink()  # a row names it, but it is gone
    foreign = key_settings.data_dir / PHOTO_FOLDER / "foreign.bin"
    foreign.write_bytes(Fernet(Fernet.generate_key()).encrypt(b"under a key nobody has"))

    done = run_rotate_key(key_settings)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert "Re-encrypted" in done.stdout and "2 file(s)" in done.stdout  # the draft's photo and the alert's
    assert f"2 files could not be read: {PHOTO_FOLDER}/foreign.bin, {filed} (missing)" in done.stdout
    if key_settings.data_key is None:
        new_key = key_settings.key_file.read_bytes().strip()
        assert f"The new key is in {key_settings.key_file}" in done.stdout
    else:
        new_key = key_settings.key_file.with_name("rotating.key").read_bytes().strip()
        assert "set it to the new key below" in done.stdout and new_key.decode() in done.stdout.splitlines()
        assert "rotating.key" in done.stdout
    new_only = Cipher([new_key])
    async with keyed_app.sessions() as session:
        for values in (await encrypted_values(session)).values():
            for value in values:
                new_only.decrypt(value)
    for path in encrypted_files(key_settings.data_dir):
        if path != foreign:
            new_only.decrypt(path.read_bytes())
    assert foreign.exists()  # left as it was: perhaps a key the technician still has opens it


async def test_rotate_key_refuses_while_the_bot_holds_the_scheduler_lock(keyed_app: App, key_settings: Settings) -> None:
    await seed(keyed_app)
    keys_before = load_keys(data_key_of(key_settings), key_settings.key_file)
    lock = lock_for(keyed_app.database, key_settings.data_dir)  # as a running bot holds it
    assert await lock.try_acquire()
    try:
        refused = run_rotate_key(key_settings)
    finally:
        await lock.release()
    assert refused.returncode == 2
    assert ("The bot is running (it holds the scheduler lock): stop it first, then run rotate-key."
            in refused.stderr)
    assert load_keys(data_key_of(key_settings), key_settings.key_file) == keys_before  # nothing changed
    assert not key_settings.key_file.with_name("rotating.key").exists()
    await assert_all_readable(keyed_app, Cipher(keys_before))

    done = run_rotate_key(key_settings)  # once the bot is stopped
    assert done.returncode == 0, done.stderr
    assert await lock.try_acquire()  # and it let the lock go
    await lock.release()


def key_stored(settings: Settings, keys_before: list[bytes]) -> bool:
    return load_keys(data_key_of(settings), settings.key_file) != keys_before


@pytest.mark.parametrize("moment", ["the new key is stored", "files are being staged"])
async def test_a_rotation_killed_midway_leaves_everything_readable_and_a_second_run_finishes(
    keyed_app: App, key_settings: Settings, moment: str
) -> None:
    """A real `kill -9` of `python -m bot rotate-key`: enough files that it is still at work
    when the test sees the moment come."""
    await seed(keyed_app)
    for _ in range(500):  # files of drafts, which no row names: a second or more of work (one fsync each)
        evidence.store(keyed_app.cipher, key_settings.data_dir, PHOTO)
    keys_before = load_keys(data_key_of(key_settings), key_settings.key_file)
    command, env = rotate_key_command(key_settings)
    process = subprocess.Popen(command, cwd=key_settings.data_dir, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    came = key_stored if moment == "the new key is stored" else lambda *_: bool(staged_files(key_settings.data_dir))
    deadline = time.monotonic() + 60
    while not came(key_settings, keys_before) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.001)
    process.send_signal(signal.SIGKILL)
    assert process.wait(timeout=30) == -signal.SIGKILL, "the rotation ended before the kill"
    assert key_stored(key_settings, keys_before)
    interrupted_keys = load_keys(data_key_of(key_settings), key_settings.key_file)

    await assert_all_readable(keyed_app, bot_cipher(key_settings))
    await continue_the_draft_and_send(key_settings)

    done = run_rotate_key(key_settings)
    assert done.returncode == 0, done.stderr
    if key_settings.data_key is None:
        new_key = key_settings.key_file.read_bytes().strip()
    else:  # finished under the key the first run stored, which is the one shown
        new_key = key_settings.key_file.with_name("rotating.key").read_bytes().strip()
        assert new_key == interrupted_keys[0] and new_key.decode() in done.stdout.splitlines()
    await assert_all_readable(keyed_app, Cipher([new_key]), every_column=False)
    assert staged_files(key_settings.data_dir) == []
