"""No trace, through the real bot process and the fake Bot API: what a person who takes her phone
would see after Wipe this chat, and what a copy of the data folder holds after Delete my data."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from datetime import datetime, timezone
from pathlib import Path

import pytest
import pytest_asyncio
from sqlalchemy import insert

from storage.crypto import Cipher
from storage.db import create_engine
from storage.models import GroupMember, MonitoringGroup, Reminder, Report, Task
from tests import e2e_helpers
from tests.bot_process import BotProcess
from tests.databases import Databases, fetch
from tests.e2e_helpers import last_menu, onboard_over_telegram, press, sent_to
from tests.fake_telegram import FakeBotAPI

pytestmark = pytest.mark.asyncio(loop_scope="module")
fake, own_fake = e2e_helpers.fake, e2e_helpers.own_fake  # the shared fixtures, here by their names

COORDINATOR = 6102


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def running(fake: FakeBotAPI, tmp_path_factory: pytest.TempPathFactory,
                  databases: Databases) -> AsyncIterator[tuple[BotProcess, str]]:
    data = tmp_path_factory.mktemp("no-trace") / "data"
    url = databases.create(data, migrated=False)
    process = BotProcess(fake, data, DATABASE_URL=url, ADMIN_IDS=str(COORDINATOR))
    await process.start()
    yield process, url
    await process.stop()
    databases.drop(url)


async def user_id(url: str, chat: int) -> int:
    [(found,)] = await fetch(url, "SELECT id FROM users WHERE external_id = :chat", chat=str(chat))
    return int(found)


async def test_a_wipe_after_an_alert_a_question_and_a_reminder_leaves_no_bot_message(
    fake: FakeBotAPI, running: tuple[BotProcess, str]
) -> None:
    process, url = running
    woman = 6101
    await onboard_over_telegram(fake, woman)
    await onboard_over_telegram(fake, COORDINATOR)
    cipher = Cipher([process.data_key.encode()])
    her_id = await user_id(url, woman)
    now = datetime.now(timezone.utc)
    database = create_engine(url)
    try:
        async with database.begin() as connection:
            report_id = (await connection.execute(insert(Report).values(
                reference="R-WIPE01", kind="incident", form_id="incident", form_version=1, category="family_violence",
                region="batken", status="new", reporter_id=her_id, contact_allowed=True, wants_legal_aid=False,
                answers=cipher.encrypt_json({}), created_at=now, updated_at=now).returning(Report.id))).scalar_one()
    finally:
        await database.dispose()

    # a coordinator's question reaches her chat through the outbox
    await press(fake, COORDINATOR, "coord", "Coordinator")
    fake.callback_update(COORDINATOR, f"rep:s:{report_id}:needs_info", message_id=last_menu(fake, COORDINATOR))
    await fake.wait_for(sent_to(COORDINATOR, "Type the question for the reporter"))
    fake.message_update(COORDINATOR, "Were there witnesses?")
    await fake.wait_for(sent_to(woman, "Were there witnesses?"))

    # a campaign alert
    await press(fake, COORDINATOR, "bc:new", "Send the text of the alert")
    fake.message_update(COORDINATOR, "Hearing on Monday at the akimiat")
    await fake.wait_for(sent_to(COORDINATOR, "Hearing on Monday"))
    await press(fake, COORDINATOR, "bc:go", "Sending to")
    await fake.wait_for(sent_to(woman, "Hearing on Monday at the akimiat"), timeout=20)

    # a reminder of her monitoring group's task
    database = create_engine(url)
    try:
        async with database.begin() as connection:
            group = (await connection.execute(insert(MonitoringGroup).values(
                name="Batken monitors", region="batken", invite_hash="e2e", invite_token=cipher.encrypt(b"E2E"),
                quiet_start="00:00", quiet_end="00:00", default_offsets=[], created_at=now,
            ).returning(MonitoringGroup.id))).scalar_one()
            await connection.execute(insert(GroupMember).values(group_id=group, user_id=her_id, joined_at=now))
            task = (await connection.execute(insert(Task).values(
                group_id=group, title_token=cipher.encrypt(b"Visit the polling station"), due_at=now, offsets=[],
                created_at=now).returning(Task.id))).scalar_one()
            await connection.execute(insert(Reminder).values(task_id=task, user_id=her_id, kind="due", send_at=now,
                                                             status="pending"))
    finally:
        await database.dispose()
    await fake.wait_for(sent_to(woman, "Visit the polling station"), timeout=20)

    fake.message_update(woman, "/menu")
    await fake.wait_for(sent_to(woman, "Main menu"))
    await press(fake, woman, "set", "Settings")
    await press(fake, woman, "priv:wipe", "Delete the messages of this chat")
    assert len(fake.bot_messages(woman)) >= 5
    query = fake.callback_update(woman, "priv:wipe_ok", message_id=last_menu(fake, woman))
    answer = await fake.wait_for(
        lambda call: call.method == "answerCallbackQuery" and call.params.get("callback_query_id") == query
    )
    assert fake.messages_in_chat(woman) == {}  # no message of the bot's, nor of hers
    assert "messages were removed from this chat" in answer.params["text"]


async def test_an_update_telegram_sends_again_is_answered_once(fake: FakeBotAPI, running: tuple[BotProcess, str]) -> None:
    """After a restart Telegram sends again what the bot had not confirmed; it is answered once."""
    chat = 6103
    await onboard_over_telegram(fake, chat)
    fake.message_update(chat, "/help")
    update_id = fake.last_update_id
    await fake.wait_for(sent_to(chat, "/language"))
    fake.deliver_again(update_id)
    after = time.monotonic()  # the fake's clock
    fake.message_update(chat, "/menu")  # her updates are answered in order: this one comes after
    await fake.wait_for(lambda call: call.at >= after and sent_to(chat, "Main menu")(call))
    helps = [call for call in fake.calls if call.method == "sendMessage" and int(call.params["chat_id"]) == chat
             and "/language" in call.params.get("text", "")]
    assert len(helps) == 1


async def test_after_delete_my_data_and_a_clean_stop_her_id_is_in_no_file(
    own_fake: FakeBotAPI, tmp_path: Path, new_database: Callable[..., str]
) -> None:
    """With a fake of its own: the shared bot process would answer on the shared one."""
    fake, woman = own_fake, 735926481
    data = tmp_path / "data"
    url = new_database(data, migrated=False)
    process = BotProcess(fake, data, DATABASE_URL=url)
    await process.start()
    try:
        await onboard_over_telegram(fake, woman, "naryn")
        await press(fake, woman, "les", "Choose a course")  # a saved menu, message ids
        await press(fake, woman, "les:c:wps1325", "1325")
        await press(fake, woman, "set", "Settings")
        await press(fake, woman, "priv:del", "Delete everything the bot knows about you")
        await press(fake, woman, "priv:del_ok", "Your data has been deleted")
    finally:
        assert await process.stop() == 0
    forms = [str(woman).encode(), woman.to_bytes(4, "big"), woman.to_bytes(8, "big")]
    if url.startswith("sqlite"):
        for path in data.rglob("*"):
            if path.is_file():
                content = path.read_bytes()
                assert not any(form in content for form in forms), path.name
    else:
        for (value,) in await fetch(url, "SELECT row_to_json(users)::text FROM users"):
            assert str(woman) not in value
    assert "735926481" not in process.log_text()
