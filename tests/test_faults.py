"""Faults a deployment must survive, with real bot processes and the fake Bot API: a worker killed
in the middle of an alert and of a report, the scheduler's process killed, PostgreSQL restarted
under people in dialogs, and a slow, failing Bot API. The multi-process ones need PostgreSQL
(TEST_DATABASE=postgresql); the others run on either database."""

from __future__ import annotations

import asyncio
import json
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select

from cryptography.fernet import Fernet

from storage.crypto import Cipher
from storage.db import create_engine
from storage.models import Broadcast, GroupMember, MonitoringGroup, Outbox, Reminder, Task, User
from tests.bot_process import BotProcess, free_port
from tests.databases import ON_POSTGRES
from tests.e2e_helpers import fake_per_test, onboard_over_telegram, press, sent_to
from tests.fake_telegram import Call, FakeBotAPI

needs_postgres = pytest.mark.skipif(not ON_POSTGRES, reason="several processes need PostgreSQL")
SECRET = "fault-secret"
ALERT = "Public hearing on Monday at the aiyl okmotu"
PEOPLE = 150
FIRST_CHAT = 9_000


fake = fake_per_test  # a fake Bot API of each test's own


async def start_report(fake: FakeBotAPI, chat_id: int) -> None:
    """She is on step 3 of an incident report: her draft holds two answers."""
    await onboard_over_telegram(fake, chat_id, "batken")
    await press(fake, chat_id, "rep:new", "Are you somewhere safe")
    await press(fake, chat_id, "f:y:safe:yes", "Step 2")
    await press(fake, chat_id, "f:c:category:family_violence", "Step 3")


async def people_and_an_alert(url: str, key: str, reminders: bool = False) -> None:
    """PEOPLE members in Batken, an alert to all of them due now, and a reminder each if asked;
    the texts encrypted with the bot's key."""
    cipher = Cipher([key.encode()])
    database = create_engine(url)
    now = datetime.now(timezone.utc)
    try:
        async with database.begin() as connection:
            await connection.execute(insert(User), [
                {"channel": "telegram", "external_id": str(FIRST_CHAT + n), "language": "en", "region": "batken",
                 "role": "member", "coordinator_regions": [], "active": True, "alerts_muted": False,
                 "created_at": now, "last_seen_at": now}
                for n in range(PEOPLE)
            ])
            await connection.execute(insert(Broadcast).values(
                status="scheduled", texts_token=cipher.encrypt_json({"all": ALERT}), audience={}, ask_ack=False,
                send_at=now, created_at=now))
            if reminders:
                ids = list(await connection.scalars(select(User.id).order_by(User.id)))
                group = (await connection.execute(insert(MonitoringGroup).values(
                    name="Batken monitors", region="batken", invite_hash="fault-test", invite_token=cipher.encrypt(b"FAULT1"), quiet_start="00:00",
                    quiet_end="00:00", default_offsets=[], created_at=now).returning(MonitoringGroup.id))).scalar_one()
                await connection.execute(insert(GroupMember), [{"group_id": group, "user_id": i} for i in ids])
                task = (await connection.execute(insert(Task).values(
                    group_id=group, title_token=cipher.encrypt("Visit the polling station".encode()), due_at=now, offsets=[],
                    created_at=now).returning(Task.id))).scalar_one()
                await connection.execute(insert(Reminder), [
                    {"task_id": task, "user_id": i, "kind": "due", "send_at": now, "status": "pending"} for i in ids])
    finally:
        await database.dispose()


async def outbox_settled(url: str, timeout: float = 90) -> dict[str, int]:
    """Wait until no outbox row is pending or being sent; the count of each status."""
    database = create_engine(url)
    try:
        for _ in range(int(timeout * 4)):
            async with database.connect() as connection:
                counts = dict((await connection.execute(
                    select(Outbox.status, func.count()).group_by(Outbox.status))).all())
            if counts and not counts.get("pending") and not counts.get("sending"):
                return counts
            await asyncio.sleep(0.25)
    finally:
        await database.dispose()
    raise AssertionError(f"the outbox did not settle: {counts}")


def leaders(log: str) -> list[int]:
    """The pids that took the scheduler, in order, from the JSON log lines."""
    found = []
    for line in log.splitlines():
        if "leading the scheduler" in line:
            try:
                found.append(int(json.loads(line)["pid"]))
            except (ValueError, KeyError):
                continue
    return found


def deliveries(fake: FakeBotAPI, text: str) -> Counter[int]:
    return Counter(int(call.params["chat_id"]) for call in fake.calls
                   if call.method == "sendMessage" and call.status == 200 and text in call.params.get("text", ""))


def server_errors(fake: FakeBotAPI) -> list[Call]:
    """The sends Telegram answered with a 5xx: in doubt, never repeated."""
    return [call for call in fake.calls_to("sendMessage") if call.status >= 500]


@needs_postgres
async def test_killing_the_scheduler_mid_alert_sends_nothing_twice_and_another_takes_over(
    fake: FakeBotAPI, tmp_path: Path, new_database: Callable[..., str]
) -> None:
    data = tmp_path / "data"
    url = new_database(data)
    key = Fernet.generate_key().decode()
    await people_and_an_alert(url, key, reminders=True)
    bot = BotProcess(fake, data, "--workers", "2", DATA_KEY=key, DATABASE_URL=url, WEBHOOK_URL="https://bot.example.org",
                     WEBHOOK_SECRET=SECRET, WEBHOOK_HOST="127.0.0.1", WEBHOOK_PORT=str(free_port()),
                     SEND_RATE="40", LEADER_CHECK_SECONDS="1")
    await bot.start()
    try:
        await fake.wait_for(lambda call: len(deliveries(fake, ALERT)) >= 30, timeout=30)
        [first] = leaders(bot.log_text())[:1]
        os.kill(first, signal.SIGKILL)  # in the middle of the alert
        counts = await outbox_settled(url)
        await asyncio.sleep(1)  # a send in flight when the rows settled would show now
    finally:
        await bot.stop()
    alerts, reminders = deliveries(fake, ALERT), deliveries(fake, "Visit the polling station")
    assert max(alerts.values()) == 1 and max(reminders.values()) == 1  # nothing twice
    assert counts.get("sent", 0) + counts.get("unknown", 0) == 2 * PEOPLE  # nothing lost or left
    assert counts.get("unknown", 0) <= 20  # at most the batch in flight when it was killed
    assert len(alerts) >= PEOPLE - counts.get("unknown", 0)
    taken_over = leaders(bot.log_text())
    assert len(taken_over) >= 2 and taken_over[1] != first


async def test_a_killed_process_loses_no_draft(fake: FakeBotAPI, tmp_path: Path, new_database: Callable[..., str]) -> None:
    data = tmp_path / "data"
    url = new_database(data)
    chat = 5101
    bot = BotProcess(fake, data, DATABASE_URL=url)
    await bot.start()
    try:
        await start_report(fake, chat)
    finally:
        await bot.stop(kill=True)
    again = BotProcess(fake, data, DATABASE_URL=url)
    again.data_key = bot.data_key
    await again.start()
    try:
        await press(fake, chat, "f:c:whom:me", "Step 4")  # the next step: both answers kept
        fake.message_update(chat, "/menu")
        await fake.wait_for(sent_to(chat, "Main menu"))
        await press(fake, chat, "rep:new", "unfinished")  # the draft is offered back
    finally:
        await again.stop()


async def test_a_slow_and_failing_bot_api_loses_no_update_and_sends_each_alert_once(
    fake: FakeBotAPI, tmp_path: Path, new_database: Callable[..., str]
) -> None:
    data = tmp_path / "data"
    url = new_database(data)
    key = Fernet.generate_key().decode()
    await people_and_an_alert(url, key)
    fake.fail_next("sendMessage", status=500, count=6)
    fake.fail_next("sendMessage", status=502, count=4)
    fake.slow_next("sendMessage", 1.5, count=10)
    bot = BotProcess(fake, data, DATA_KEY=key, DATABASE_URL=url, SEND_RATE="50")
    await bot.start()
    try:
        # The alerts meet the 5xx answers first: Telegram may have delivered those, so they are in
        # doubt and not sent again (a reply to her /start would be too: she would ask again).
        await fake.wait_for(lambda _: len(server_errors(fake)) == 10, timeout=60)
        fake.fail_next("getUpdates", status=502, count=3)
        for chat in (5201, 5202, 5203):
            fake.message_update(chat, "/start")
        for chat in (5201, 5202, 5203):
            await fake.wait_for(sent_to(chat, "Choose your language"), timeout=60)
        counts = await outbox_settled(url)
    finally:
        await bot.stop()
    alerts = deliveries(fake, ALERT)
    in_doubt = {int(call.params["chat_id"]) for call in server_errors(fake)}
    assert counts == {"sent": PEOPLE - 10, "unknown": 10} and len(in_doubt) == 10
    assert len(alerts) == PEOPLE - 10 and max(alerts.values()) == 1 and not in_doubt & set(alerts)
    for chat in (5201, 5202, 5203):
        assert len([c for c in fake.calls if sent_to(chat, "Choose your language")(c)]) == 1


# --------------------------------------------------------------------------- PostgreSQL restarted


@dataclass
class OwnPostgres:
    """A PostgreSQL server of this test's own, so that restarting it disturbs no other test."""

    folder: Path
    port: int
    bin: Path

    @property
    def url(self) -> str:
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/tynchtyk"

    def ctl(self, *args: str) -> None:
        subprocess.run(["runuser", "-u", "postgres", "--", str(self.bin / "pg_ctl"), "-D", str(self.folder / "data"),
                        "-l", str(self.folder / "server.log"), "-w", *args], check=True, capture_output=True)

    def start(self) -> None:
        self.ctl("-o", f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off", "start")

    def stop(self) -> None:
        self.ctl("-m", "fast", "stop")


@pytest.fixture
def own_postgres() -> Iterator[OwnPostgres]:
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if os.geteuid() != 0 or not versions or not shutil.which("runuser"):
        pytest.skip("needs root and PostgreSQL's server programs, to run a server of its own")
    folder = Path(tempfile.mkdtemp(prefix="tynchtyk-pg-"))
    postgres = pwd.getpwnam("postgres")
    os.chown(folder, postgres.pw_uid, postgres.pw_gid)
    server = OwnPostgres(folder, free_port(), versions[-1].parent)
    subprocess.run(["runuser", "-u", "postgres", "--", str(server.bin / "initdb"), "-D", str(folder / "data"),
                    "-A", "trust", "-U", "postgres", "--no-sync"], check=True, capture_output=True)
    server.start()
    subprocess.run(["runuser", "-u", "postgres", "--", str(server.bin / "createdb"), "-h", "127.0.0.1",
                    "-p", str(server.port), "tynchtyk"], check=True, capture_output=True)
    try:
        yield server
    finally:
        try:
            server.ctl("-m", "immediate", "stop")
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(folder, ignore_errors=True)


@needs_postgres
async def test_postgresql_restarted_under_a_dialog(fake: FakeBotAPI, tmp_path: Path, own_postgres: OwnPostgres) -> None:
    chat = 5301
    bot = BotProcess(fake, tmp_path / "data", DATABASE_URL=own_postgres.url)
    await bot.start()
    try:
        await start_report(fake, chat)
        await asyncio.to_thread(own_postgres.stop)
        await press(fake, chat, "f:c:whom:me", "try again in a minute")
        await asyncio.to_thread(own_postgres.start)
        await press(fake, chat, "f:c:whom:me", "Step 4")  # the same bot process, her draft intact
        assert bot.process is not None and bot.process.returncode is None
    finally:
        await bot.stop()


@needs_postgres
async def test_one_persons_updates_never_run_at_once_in_two_processes(settings, clock) -> None:  # type: ignore[no-untyped-def]
    """Two engines on one database, as two processes would be, given one new person's messages
    at the same moment: without the lock on her, both would create her and one would fail."""
    from bot.app import build_app
    from core.messages import Incoming, IncomingKind, Reply
    from tests.chat import CollectingChannel
    from tests.conftest import shared_content

    apps = [await build_app(settings, clock=clock, run_migrations=False, content=shared_content()) for _ in range(2)]
    channel = CollectingChannel()
    try:
        updates = [Incoming("telegram", "7777", "7777", IncomingKind.TEXT, text=text, message_id=str(n))
                   for n, text in enumerate(["/start", "/help", "/menu", "/start"] * 4)]
        answers = await asyncio.gather(*(apps[n % 2].engine.handle(update, channel) for n, update in enumerate(updates)))
        async with apps[0].sessions() as session:
            people = await session.scalar(select(func.count()).select_from(User).where(User.external_id == "7777"))
    finally:
        for app in apps:
            await app.close()
    failures = {apps[0].content.catalog.text(language, key) for language in ("ky", "ru", "en")
                for key in ("error-try-again", "error-generic")}
    texts = [effect.text for effects in answers for effect in effects if isinstance(effect, Reply)]
    assert len(texts) >= len(updates) and not failures & set(texts)
    assert people == 1


@needs_postgres
async def test_her_replies_keep_her_order_when_two_processes_take_her_messages(settings, clock) -> None:  # type: ignore[no-untyped-def]
    """She writes /help, then /menu at once; two processes take one each. The first one's reply
    is slow to send (a slow network). Her /menu must not be answered under her /help's answer
    still on its way: the second process waits until the first has delivered."""
    from bot.app import build_app
    from core.messages import Incoming, IncomingKind
    from tests.chat import CollectingChannel
    from tests.conftest import shared_content

    apps = [await build_app(settings, clock=clock, run_migrations=False, content=shared_content()) for _ in range(2)]
    order: list[str] = []
    first_delivering = asyncio.Event()

    class SlowFirstChannel(CollectingChannel):
        async def deliver(self, incoming, effects):  # type: ignore[no-untyped-def]
            if incoming.text == "/help":
                first_delivering.set()
                await asyncio.sleep(1.5)  # committed, its reply still on the way
            order.append(incoming.text or "")
            return await super().deliver(incoming, effects)

    channel = SlowFirstChannel()
    try:
        await apps[0].engine.handle(Incoming("telegram", "8888", "8888", IncomingKind.TEXT, text="/start"), channel)
        order.clear()
        first = asyncio.create_task(apps[0].engine.handle(
            Incoming("telegram", "8888", "8888", IncomingKind.TEXT, text="/help", message_id="1"), channel))
        await first_delivering.wait()
        await apps[1].engine.handle(Incoming("telegram", "8888", "8888", IncomingKind.TEXT, text="/menu", message_id="2"),
                                    channel)
        await first
    finally:
        for app in apps:
            await app.close()
    assert order == ["/help", "/menu"]
