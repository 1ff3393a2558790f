"""End-to-end checks of tests/fake_telegram.py driven by the real aiogram client."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiogram import Bot, Dispatcher, Router
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
)
from aiogram.filters import CommandStart
from aiogram.types import (
    BotCommand,
    BufferedInputFile,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
)

from tests.fake_telegram import FakeBotAPI

USER = 555001


@pytest.fixture
async def api() -> AsyncIterator[FakeBotAPI]:
    fake = FakeBotAPI()
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
async def bot(api: FakeBotAPI) -> AsyncIterator[Bot]:
    session = AiohttpSession(api=TelegramAPIServer.from_base(api.base_url))
    real_bot = Bot(api.token, session=session, default=DefaultBotProperties())
    yield real_bot
    # AiohttpSession.close() sleeps 0.25 s to let TLS connections shut down; with plain
    # HTTP to a local server closing the underlying aiohttp session is enough.
    if session._session is not None:
        await session._session.close()


def keyboard(*callback_data: str) -> InlineKeyboardMarkup:
    row = [InlineKeyboardButton(text=f"btn {data}", callback_data=data) for data in callback_data]
    return InlineKeyboardMarkup(inline_keyboard=[row])


async def test_get_me(api: FakeBotAPI, bot: Bot) -> None:
    me = await bot.get_me()

    assert (me.id, me.username, me.is_bot) == (123456, "tynchtyk_test_bot", True)
    assert [(c.method, c.status) for c in api.calls] == [("getMe", 200)]


async def test_send_with_inline_keyboard_then_edit(api: FakeBotAPI, bot: Bot) -> None:
    user_message_id = api.message_update(USER, "hi")

    sent = await bot.send_message(USER, "Choose", reply_markup=keyboard("a", "b"))

    assert sent.message_id == user_message_id + 1  # one per-chat counter
    assert sent.from_user is not None and sent.from_user.id == api.bot_id
    assert sent.reply_markup is not None
    assert sent.reply_markup.model_dump() == keyboard("a", "b").model_dump()
    # aiogram JSON-encodes reply_markup inside the form; the fake decodes it.
    params = api.calls_to("sendMessage")[0].params
    assert params["chat_id"] == USER
    assert params["reply_markup"]["inline_keyboard"][0][1]["callback_data"] == "b"

    edited = await bot.edit_message_text("Chosen: a", chat_id=USER, message_id=sent.message_id)

    assert isinstance(edited, Message) and edited.text == "Chosen: a"
    assert edited.reply_markup is None
    assert [m["text"] for m in api.bot_messages(USER)] == ["Chosen: a"]
    assert "reply_markup" not in api.bot_messages(USER)[0]

    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await bot.edit_message_text("Chosen: a", chat_id=USER, message_id=sent.message_id)
    with pytest.raises(TelegramBadRequest, match="message to edit not found"):
        await bot.edit_message_text("x", chat_id=USER, message_id=user_message_id)
    with pytest.raises(TelegramBadRequest, match="message to edit not found"):
        await bot.edit_message_reply_markup(
            chat_id=USER, message_id=999, reply_markup=keyboard("c")
        )


async def test_callback_data_is_limited_to_64_bytes(api: FakeBotAPI, bot: Bot) -> None:
    api.message_update(USER, "/start")
    at_limit = "я" * 32  # 64 bytes in UTF-8
    too_long = at_limit + "a"  # only 33 characters, but 65 bytes

    await bot.send_message(USER, "ok", reply_markup=keyboard(at_limit))
    with pytest.raises(TelegramBadRequest, match="BUTTON_DATA_INVALID"):
        await bot.send_message(USER, "bad", reply_markup=keyboard(too_long))

    assert [c.status for c in api.calls_to("sendMessage")] == [200, 400]
    assert [m["text"] for m in api.bot_messages(USER)] == ["ok"]


async def test_inline_button_needs_exactly_one_action(api: FakeBotAPI, bot: Bot) -> None:
    api.message_update(USER, "/start")
    both = InlineKeyboardButton(text="x", callback_data="a", url="https://example.org")
    no_text = InlineKeyboardButton(text="", callback_data="a")

    for button in (both, no_text):
        with pytest.raises(TelegramBadRequest, match="can't parse inline keyboard button"):
            markup = InlineKeyboardMarkup(inline_keyboard=[[button]])
            await bot.send_message(USER, "t", reply_markup=markup)
    assert api.bot_messages(USER) == []


async def test_text_length_limits(api: FakeBotAPI, bot: Bot) -> None:
    api.message_update(USER, "/start")

    await bot.send_message(USER, "x" * 4096)
    with pytest.raises(TelegramBadRequest, match="message is too long"):
        await bot.send_message(USER, "x" * 4097)
    with pytest.raises(TelegramBadRequest, match="message text is empty"):
        await bot.send_message(USER, "   ")
    with pytest.raises(TelegramBadRequest, match="chat not found"):
        await bot.send_message(USER + 1, "who?")

    assert [len(m["text"]) for m in api.bot_messages(USER)] == [4096]


async def test_html_parse_mode_is_parsed_and_checked(api: FakeBotAPI, bot: Bot) -> None:
    api.message_update(USER, "/start")

    sent = await bot.send_message(USER, "<b>Hi</b> &amp; bye", parse_mode="HTML")
    with pytest.raises(TelegramBadRequest, match="can't parse entities"):
        await bot.send_message(USER, "<div>nope</div>", parse_mode="HTML")

    assert sent.text == "Hi & bye"
    assert sent.entities is not None
    assert [(e.type, e.offset, e.length) for e in sent.entities] == [("bold", 0, 2)]


async def test_flood_error_surfaces_as_retry_after(api: FakeBotAPI, bot: Bot) -> None:
    api.message_update(USER, "/start")
    api.fail_next("sendMessage", retry_after=3)

    with pytest.raises(TelegramRetryAfter) as caught:
        await bot.send_message(USER, "first")
    await bot.send_message(USER, "second")

    assert caught.value.retry_after == 3
    assert [c.status for c in api.calls_to("sendMessage")] == [429, 200]


async def test_a_lost_answer_leaves_the_message_in_the_chat(api: FakeBotAPI, bot: Bot) -> None:
    api.message_update(USER, "/start")
    api.answer_late("sendMessage", 5.0)
    api.drop_answer("sendMessage")
    bot.session.timeout = 0.5

    with pytest.raises(TelegramNetworkError, match="Request timeout error"):
        await bot.send_message(USER, "late")
    with pytest.raises(TelegramNetworkError, match="ServerDisconnectedError"):
        await bot.send_message(USER, "dropped")
    await bot.send_message(USER, "answered")

    assert [m["text"] for m in api.bot_messages(USER)] == ["late", "dropped", "answered"]
    assert [c.answer_lost for c in api.calls_to("sendMessage")] == [True, True, False]


async def test_a_stopped_fake_refuses_connections_and_comes_back_with_its_chats(api: FakeBotAPI, bot: Bot) -> None:
    api.message_update(USER, "/start")
    port = api.port
    await api.stop()
    with pytest.raises(TelegramNetworkError, match="ClientConnectorError"):
        await bot.send_message(USER, "refused")
    await api.start(port)
    await bot.send_message(USER, "after")

    assert [m["text"] for m in api.bot_messages(USER)] == ["after"]


async def test_blocked_user_gives_forbidden(api: FakeBotAPI, bot: Bot) -> None:
    api.message_update(USER, "/start")
    sent = await bot.send_message(USER, "before")
    api.block_user(USER)

    with pytest.raises(TelegramForbiddenError, match="bot was blocked by the user"):
        await bot.send_message(USER, "after")
    with pytest.raises(TelegramForbiddenError):
        await bot.edit_message_text("edited", chat_id=USER, message_id=sent.message_id)

    assert [m["text"] for m in api.bot_messages(USER)] == ["before"]


async def test_delete_message_once(api: FakeBotAPI, bot: Bot) -> None:
    user_message_id = api.message_update(USER, "/start")
    sent = await bot.send_message(USER, "to delete")

    assert await bot.delete_message(USER, sent.message_id) is True
    assert list(api.messages_in_chat(USER)) == [user_message_id]
    with pytest.raises(TelegramBadRequest, match="message to delete not found"):
        await bot.delete_message(USER, sent.message_id)


async def test_message_older_than_48_hours_cannot_be_deleted(api: FakeBotAPI, bot: Bot) -> None:
    api.message_update(USER, "/start")
    old = await bot.send_message(USER, "old")
    fresh = await bot.send_message(USER, "fresh")
    api.age_message(USER, old.message_id, 48 * 3600 + 60)

    with pytest.raises(TelegramBadRequest, match="can't be deleted for everyone"):
        await bot.delete_message(USER, old.message_id)
    await bot.delete_message(USER, fresh.message_id)

    assert [m["text"] for m in api.bot_messages(USER)] == ["old"]


async def test_get_updates_and_offset_confirmation(api: FakeBotAPI, bot: Bot) -> None:
    message_id = api.message_update(USER, "hello", language_code="ky")

    updates = await bot.get_updates(timeout=1)

    assert len(updates) == 1
    message = updates[0].message
    assert message is not None and message.message_id == message_id and message.text == "hello"
    assert message.from_user is not None and message.from_user.language_code == "ky"
    assert await bot.get_updates(offset=updates[0].update_id + 1, timeout=0) == []
    assert api.pending_updates == []


async def test_long_poll_returns_when_an_update_arrives(api: FakeBotAPI, bot: Bot) -> None:
    loop = asyncio.get_running_loop()
    loop.call_later(0.2, api.message_update, USER, "late")

    started = loop.time()
    updates = await bot.get_updates(timeout=30)

    assert [u.message.text for u in updates if u.message] == ["late"]
    assert 0.15 < loop.time() - started < 0.9


async def test_callback_query_answer(api: FakeBotAPI, bot: Bot) -> None:
    api.message_update(USER, "/start")
    sent = await bot.send_message(USER, "pick", reply_markup=keyboard("a"))
    query_id = api.callback_update(USER, "a", message_id=sent.message_id)

    [*_, update] = await bot.get_updates(timeout=0)
    assert update.callback_query is not None and update.callback_query.data == "a"
    assert await bot.answer_callback_query(query_id, text="done") is True
    with pytest.raises(TelegramBadRequest, match="query ID is invalid"):
        await bot.answer_callback_query(query_id)


async def test_get_file_and_download(api: FakeBotAPI, bot: Bot) -> None:
    content = b"\x89PNG\r\n\x1a\n fake image bytes"
    api.add_file("FILE-1", content, "photos/file_7.png")

    telegram_file = await bot.get_file("FILE-1")
    downloaded = await bot.download("FILE-1")

    assert telegram_file.file_path == "photos/file_7.png"
    assert telegram_file.file_size == len(content)
    assert downloaded is not None and downloaded.read() == content
    assert api.downloads == ["photos/file_7.png"]


async def test_document_upload_is_multipart(api: FakeBotAPI, bot: Bot) -> None:
    api.message_update(USER, "/start")

    sent = await bot.send_document(
        USER, BufferedInputFile(b"%PDF-1.4 report", filename="report.pdf"), caption="Report"
    )
    with pytest.raises(TelegramBadRequest, match="caption is too long"):
        await bot.send_photo(USER, BufferedInputFile(b"jpg", filename="p.jpg"), caption="c" * 1025)

    document = api.calls_to("sendDocument")[0].params["document"]
    assert document == {"filename": "report.pdf", "size": 15, "content": b"%PDF-1.4 report"}
    assert sent.document is not None and sent.caption == "Report"
    downloaded = await bot.download(sent.document.file_id)
    assert downloaded is not None and downloaded.read() == b"%PDF-1.4 report"


async def test_commands_round_trip(api: FakeBotAPI, bot: Bot) -> None:
    start = BotCommand(command="start", description="Start")
    await bot.set_my_commands([start], language_code="ky")

    assert [c.command for c in await bot.get_my_commands(language_code="ky")] == ["start"]
    assert await bot.get_my_commands() == []
    with pytest.raises(TelegramBadRequest, match="BOT_COMMAND_INVALID"):
        await bot.set_my_commands([BotCommand(command="Bad Command", description="x")])
    await bot.delete_my_commands(language_code="ky")
    assert api.commands(language_code="ky") == []


async def test_json_body_get_query_and_http_errors(api: FakeBotAPI) -> None:
    api.message_update(USER, "/start")
    markup = {"inline_keyboard": [[{"text": "go", "url": "https://example.org"}]]}
    async with aiohttp.ClientSession() as http:
        url = f"{api.base_url}/bot{api.token}"
        payload = {"chat_id": USER, "text": "j", "reply_markup": markup}
        async with http.post(f"{url}/sendMessage", json=payload) as r:
            sent = await r.json()
        async with http.get(f"{url}/getme") as r:
            me = await r.json()
        async with http.get(f"{api.base_url}/bot1:WRONG/getMe") as r:
            unauthorized = (r.status, await r.json())
        async with http.post(f"{url}/sendSomething", data={"a": "b"}) as r:
            not_found = (r.status, await r.json())

    assert sent["ok"] and sent["result"]["reply_markup"] == markup
    assert me["result"]["id"] == api.bot_id
    assert unauthorized == (401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
    assert not_found == (404, {"ok": False, "error_code": 404, "description": "Not Found"})
    assert [(c.method, c.status) for c in api.calls] == [
        ("sendMessage", 200),
        ("getMe", 200),
        ("getMe", 401),
        ("sendSomething", 404),
    ]
    # JSON bodies keep their types; nothing is double-decoded.
    assert api.calls[0].params == payload


async def test_polling_dispatcher_answers_start(api: FakeBotAPI, bot: Bot) -> None:
    router = Router()

    @router.message(CommandStart())
    async def echo(message: Message) -> None:
        await message.answer(f"echo: {message.text}")

    dp = Dispatcher()
    dp.include_router(router)
    polling = asyncio.create_task(
        dp.start_polling(bot, handle_signals=False, close_bot_session=False, polling_timeout=1)
    )
    try:
        api.message_update(USER, "/start")
        answer = await api.wait_for(lambda c: c.method == "sendMessage", timeout=5)
    finally:
        if not polling.done():
            await dp.stop_polling()
        await polling  # re-raises if polling crashed

    assert answer.status == 200 and answer.params["text"] == "echo: /start"
    assert [m["text"] for m in api.bot_messages(USER)] == ["echo: /start"]
    assert api.calls_to("getUpdates")[0].params["allowed_updates"] == ["message"]
