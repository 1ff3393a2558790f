"""End to end: the real bot process, the real aiogram client, a fake Bot API on 127.0.0.1."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import aiohttp
import pytest
import pytest_asyncio

from tests import e2e_helpers
from tests.bot_process import BotProcess, free_port
from tests.databases import Databases, fetch
from tests.e2e_helpers import last_menu, onboard_over_telegram, press, sent_to
from tests.fake_telegram import FakeBotAPI

# Starting the bot costs seconds (aiogram builds its types at import), so the tests that need no
# fresh process share one, each as a different person.
pytestmark = pytest.mark.asyncio(loop_scope="module")
fake, own_fake = e2e_helpers.fake, e2e_helpers.own_fake  # the shared fixtures, here by their names


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def bot(fake: FakeBotAPI, tmp_path_factory: pytest.TempPathFactory,
              databases: Databases) -> AsyncIterator[BotProcess]:
    data = tmp_path_factory.mktemp("shared") / "data"
    url = databases.create(data, migrated=False)  # the bot migrates it as it starts
    process = BotProcess(fake, data, DATABASE_URL=url)
    await process.start()
    yield process
    await process.stop()
    databases.drop(url)


async def test_onboarding_and_wipe_this_chat_through_the_real_process(fake: FakeBotAPI, bot: BotProcess) -> None:
    USER = 5001
    first_message = fake.message_update(USER, "/start", language_code="ky")
    await fake.wait_for(sent_to(USER, "Тилди тандаңыз"))
    # The command menu is set in each language while the bot already answers.
    await fake.wait_for(lambda call: call.method == "setMyCommands" and "language_code" not in call.params, timeout=30)
    commands = fake.calls_to("setMyCommands")
    assert {call.params.get("language_code") for call in commands} == {"ky", "ru", "en", None}
    assert fake.bot_messages(USER)[-1]["reply_markup"]["inline_keyboard"][0][0]["text"] == "✓ Кыргызча"

    edited = await press(fake, USER, "ob:lang:en", "Which region")
    assert edited.method == "editMessageText"  # menus edit in place
    await press(fake, USER, "ob:reg:osh_city", "Main menu")
    await press(fake, USER, "set", "Region: Osh city")
    fake.message_update(USER, "/help")
    await fake.wait_for(sent_to(USER, "/language"))
    await press(fake, USER, "set", "Settings")
    await press(fake, USER, "priv:wipe", "Delete the messages of this chat")

    existing = set(fake.messages_in_chat(USER))
    assert first_message in existing and len(existing) >= 5
    query = fake.callback_update(USER, "priv:wipe_ok", message_id=last_menu(fake, USER))
    answer = await fake.wait_for(
        lambda call: call.method == "answerCallbackQuery" and call.params.get("callback_query_id") == query
    )
    asked = {number for call in fake.calls_to("deleteMessages") for number in call.params["message_ids"]}
    assert asked == existing  # exactly the messages of the chat: hers and the bot's
    assert fake.messages_in_chat(USER) == {}
    assert all(call.status == 200 for call in fake.calls_to("deleteMessages"))
    # what was removed is said in a notice that leaves nothing in the chat
    assert answer.params.get("show_alert") and f"{len(existing)} messages were removed" in answer.params["text"]


@pytest.mark.twin  # tests/test_onboarding.py: test_restart_in_the_middle_of_onboarding_goes_on
async def test_restart_in_the_middle_of_onboarding(own_fake: FakeBotAPI, tmp_path: Path, new_database: Callable[..., str]) -> None:
    USER, fake = 5002, own_fake
    bot = BotProcess(fake, tmp_path / "data", DATABASE_URL=new_database(tmp_path / "data", migrated=False))
    await bot.start()
    fake.message_update(USER, "/start", language_code="ru")
    await fake.wait_for(sent_to(USER, "Выберите язык"))
    await press(fake, USER, "ob:lang:ru", "В каком вы регионе")
    await bot.stop()

    await bot.start()
    fake.message_update(USER, "привет")
    await fake.wait_for(sent_to(USER, "В каком вы регионе"))  # asked where she was
    await press(fake, USER, "ob:reg:batken", "Главное меню")
    await bot.stop()


async def test_groups_forged_buttons_and_stickers_do_not_break_it(fake: FakeBotAPI, bot: BotProcess) -> None:
    USER = 5003
    fake.message_update(USER, "/start", chat_id=-100123, chat_type="supergroup")
    await fake.wait_for(sent_to(-100123, "private chat"))
    fake.message_update(USER, "/start")
    await fake.wait_for(sent_to(USER, "Choose your language"))
    fake.callback_update(USER, "adm:rm:1", message_id=last_menu(fake, USER))
    await fake.wait_for(sent_to(USER, "only for coordinators and admins"))
    fake.message_update(USER, None, extra={"sticker": {
        "file_id": "st1", "file_unique_id": "st1u", "type": "regular", "width": 512, "height": 512,
        "is_animated": False, "is_video": False}})
    fake.message_update(USER, "ж" * 10_000)
    await fake.wait_for(sent_to(USER, "Choose your language"), timeout=10)
    await asyncio.sleep(0.5)
    mine = [call for call in fake.calls if int(call.params.get("chat_id", 0) or 0) in (USER, -100123)]
    assert mine and all(call.status == 200 for call in mine)
    assert "Traceback" not in bot.log_text()


async def test_a_user_who_blocked_the_bot_is_marked_inactive(fake: FakeBotAPI, bot: BotProcess) -> None:
    USER = 5004
    fake.message_update(USER, "/start")
    await fake.wait_for(sent_to(USER, "Choose your language"))
    fake.block_user(USER)
    fake.message_update(USER, "/help")
    await fake.wait_for(lambda call: call.status == 403)
    await asyncio.sleep(0.5)
    assert await fetch(bot.settings["DATABASE_URL"], "SELECT active FROM users WHERE external_id = :id", id=str(USER)) \
        == [(False,)]


async def test_429_is_waited_out_and_the_message_still_arrives(fake: FakeBotAPI, bot: BotProcess) -> None:
    USER = 5005
    fake.fail_next("sendMessage", status=429, retry_after=1)
    fake.message_update(USER, "/start")
    await fake.wait_for(sent_to(USER, "Choose your language"), timeout=15)
    attempts = [call for call in fake.calls_to("sendMessage") if int(call.params["chat_id"]) == USER]
    assert [call.status for call in attempts] == [429, 200]
    assert attempts[1].at - attempts[0].at >= 0.9


async def test_webhook_refuses_requests_without_the_secret(own_fake: FakeBotAPI, tmp_path: Path, new_database: Callable[..., str]) -> None:
    USER, fake = 5006, own_fake
    port = free_port()
    process = BotProcess(
        fake, tmp_path / "data", DATABASE_URL=new_database(tmp_path / "data", migrated=False),
        WEBHOOK_URL="https://bot.example.org", WEBHOOK_SECRET="s3cret-token",
        WEBHOOK_HOST="127.0.0.1", WEBHOOK_PORT=str(port), DASHBOARD_PORT=str(port),
    )
    await process.start()
    try:
        async with aiohttp.ClientSession() as http:  # the dashboard shares the webhooks' port and site
            async with http.get(f"http://127.0.0.1:{port}/dashboard/public") as response:
                assert response.status == 200 and "default-src 'self'" in response.headers["Content-Security-Policy"]
        webhook = fake.calls_to("setWebhook")[-1].params
        assert webhook["url"] == "https://bot.example.org/telegram/webhook"
        assert webhook["secret_token"] == "s3cret-token"
        fake.message_update(USER, "seed the chat")  # the fake learns the chat; this update is not polled
        update = {"update_id": 1, "message": {
            "message_id": 77, "date": 0, "chat": {"id": USER, "type": "private"},
            "from": {"id": USER, "is_bot": False, "first_name": "A", "language_code": "en"}, "text": "/start"}}
        url = f"http://127.0.0.1:{port}/telegram/webhook"
        async with aiohttp.ClientSession() as http:
            for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "wrong"}):
                async with http.post(url, json=update, headers=headers) as response:
                    assert response.status == 401
            await asyncio.sleep(0.3)
            assert not fake.calls_to("sendMessage")
            async with http.post(url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret-token"}) as response:
                assert response.status == 200
        await fake.wait_for(sent_to(USER, "Choose your language"))
        assert not fake.calls_to("getUpdates")
    finally:
        await process.stop()


async def test_the_polling_process_serves_the_dashboard_on_its_own_port(fake: FakeBotAPI, bot: BotProcess) -> None:
    async with aiohttp.ClientSession() as http:
        async with http.get(f"http://127.0.0.1:{bot.dashboard_port}/dashboard/login/not-a-link") as response:
            page = await response.text()
    assert response.status == 200 and 'id="refused"' in page and 'id="continue"' not in page
    assert response.headers["X-Frame-Options"] == "DENY"


async def test_an_incident_report_with_a_photo_through_telegram(fake: FakeBotAPI, bot: BotProcess) -> None:
    """The photo goes getFile → file download from the fake server → encrypted evidence."""
    import hashlib

    USER = 5007
    photo = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 40
    fake.add_file("AgACphoto1", photo, "photos/file_7.jpg")
    await onboard_over_telegram(fake, USER, "naryn")
    await press(fake, USER, "rep:new", "Are you somewhere safe")
    await press(fake, USER, "f:y:safe:yes", "Step 2")
    await press(fake, USER, "f:c:category:family_violence", "Step 3")
    await press(fake, USER, "f:c:whom:me", "Step 4")
    await press(fake, USER, "f:c:region:naryn", "Step 5")
    await press(fake, USER, "f:skip:district", "Step 6")
    await press(fake, USER, "f:d:date:1", "Step 7")
    await press(fake, USER, "f:c:place:home", "Step 8")
    fake.message_update(USER, "He locked me in the house and took my passport and my salary card.")
    await fake.wait_for(sent_to(USER, "Step 9"))
    fake.message_update(USER, None, extra={"photo": [
        {"file_id": "AgACphoto1", "file_unique_id": "u1", "width": 640, "height": 480, "file_size": len(photo)}]})
    await fake.wait_for(sent_to(USER, "Received (1 of 5)"))
    await press(fake, USER, "f:done:evidence", "Step 10")
    await press(fake, USER, "f:y:legal_aid:yes", "Step 11")
    await press(fake, USER, "f:c:contact:anonymous", "Step 12")
    await press(fake, USER, "f:y:consent:yes", "Please check your answers")
    await press(fake, USER, "f:send", "Your reference code")
    await fake.wait_for(sent_to(USER, "In danger now?"))  # the legal-aid contacts for family violence
    assert fake.downloads == ["photos/file_7.jpg"]
    assert any(call.method == "getFile" for call in fake.calls)
    await asyncio.sleep(0.3)
    [(reporter, category)] = await fetch(bot.settings["DATABASE_URL"], "SELECT reporter_id, category FROM reports")
    [(digest, path)] = await fetch(bot.settings["DATABASE_URL"], "SELECT sha256, path FROM evidence")
    assert reporter is None and category == "family_violence"
    assert digest == hashlib.sha256(photo).hexdigest()
    assert photo[:64] not in (bot.data_dir / path).read_bytes()
    assert all(call.status == 200 for call in fake.calls if int(call.params.get("chat_id", 0) or 0) == USER)
