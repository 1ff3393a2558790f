"""Helpers the Telegram end-to-end tests share: a fake Bot API as a fixture, waiting for what the
bot sent to a chat, pressing a button of its last menu, and onboarding over the fake server.
A module uses the fixtures by binding them to their names: `fake = e2e_helpers.fake`."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio

from tests.fake_telegram import Call, FakeBotAPI


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def fake() -> AsyncIterator[FakeBotAPI]:
    """One fake Bot API for a whole module, shared by its bot process and its tests."""
    api = FakeBotAPI()
    await api.start()
    yield api
    await api.stop()


@pytest_asyncio.fixture
async def fake_per_test() -> AsyncIterator[FakeBotAPI]:
    """A fake Bot API of a test's own, that takes messages to chats it has never seen (people and
    alerts written straight into the database)."""
    api = FakeBotAPI(accept_unknown_chats=True)
    await api.start()
    yield api
    await api.stop()


@pytest_asyncio.fixture(loop_scope="module")
async def own_fake() -> AsyncIterator[FakeBotAPI]:
    """A fake Bot API of the test's own, for a bot process the shared one must not answer."""
    api = FakeBotAPI()
    await api.start()
    yield api
    await api.stop()


def sent_to(chat_id: int, contains: str):  # type: ignore[no-untyped-def]
    """A `fake.wait_for` condition: the bot sent or edited, in this chat, a text containing `contains`."""
    def match(call: Call) -> bool:
        return (
            call.method in ("sendMessage", "editMessageText")
            and call.status == 200
            and int(call.params.get("chat_id", 0)) == chat_id
            and contains in call.params.get("text", "")
        )

    return match


def last_menu(fake: FakeBotAPI, chat_id: int) -> int:
    """The message id of the last message with buttons the bot sent to this chat."""
    with_buttons = [message for message in fake.bot_messages(chat_id) if message.get("reply_markup")]
    return with_buttons[-1]["message_id"]


async def press(fake: FakeBotAPI, chat_id: int, data: str, expect: str, timeout: float = 15) -> Call:
    """Press the button `data` of the last menu; the bot's answer that contains `expect`."""
    fake.callback_update(chat_id, data, message_id=last_menu(fake, chat_id))
    return await fake.wait_for(sent_to(chat_id, expect), timeout=timeout)


async def onboard_over_telegram(fake: FakeBotAPI, chat_id: int, region: str = "batken") -> None:
    """/start in English, then the region by its id, up to the main menu."""
    fake.message_update(chat_id, "/start", language_code="en")
    await fake.wait_for(sent_to(chat_id, "Choose your language"))
    await press(fake, chat_id, "ob:lang:en", "Which region")
    await press(fake, chat_id, f"ob:reg:{region}", "Main menu")
