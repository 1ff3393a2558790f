"""A call without a file goes to the Bot API as one JSON body (`JsonBodySession`): the same
fields and values as aiogram's own form, the bot's defaults filled in, and a call with a file
still as aiogram's multipart form."""

from __future__ import annotations

import json
from typing import Any

import pytest
from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.methods import AnswerCallbackQuery, DeleteMessages, SetMyCommands
from aiogram.types import BotCommand, BufferedInputFile
from aiohttp import FormData

from bot.channels.telegram import EditText, JsonBodySession, SendPhotoFile, SendText, keyboard
from core.messages import Button, Reply

MENU = Reply("Main menu", buttons=((Button("Lessons", "m:les"), Button("Find legal aid", "m:aid")),
                                   (Button("Site", "", url="https://example.org"),)))


def bot_with(session: Any, **defaults: Any) -> Bot:
    return Bot("123456:TEST-TOKEN", session=session, default=DefaultBotProperties(**defaults))


def aiogram_form(method: Any, **defaults: Any) -> dict[str, Any]:
    """aiogram's own form for the call, each field's value decoded as the Bot API decodes it."""
    form = AiohttpSession().build_form_data(bot_with(AiohttpSession(), **defaults), method)
    fields = {}
    for options, _, value in form._fields:
        try:
            fields[options["name"]] = json.loads(value)
        except ValueError:
            fields[options["name"]] = value
    return fields


CALLS = [
    SendText(chat_id=501, text="Салам! Привет!", reply_markup=keyboard(MENU)),
    SendText(chat_id=501, text="no keyboard"),
    EditText(chat_id=501, message_id=77, text="edited", reply_markup=keyboard(MENU)),
    AnswerCallbackQuery(callback_query_id="q1", text="Done", show_alert=True),
    DeleteMessages(chat_id=501, message_ids=[10, 11]),
    SetMyCommands(commands=[BotCommand(command="menu", description="Main menu")]),
]


@pytest.mark.parametrize("defaults", [{"link_preview_is_disabled": True}, {"parse_mode": "HTML", "protect_content": True}])
@pytest.mark.parametrize("method", CALLS, ids=lambda method: type(method).__name__)
def test_a_call_without_a_file_is_one_json_body_with_aiograms_fields(method: Any, defaults: dict[str, Any]) -> None:
    session = JsonBodySession()
    body = session.build_form_data(bot_with(session, **defaults), method)
    assert body.content_type == "application/json"
    for _ in range(2):  # the keyboard's plain form, kept after the first call, is the same
        assert json.loads(body._value) == aiogram_form(method, **defaults)
        body = session.build_form_data(bot_with(session, **defaults), method)


def test_a_call_with_a_file_is_still_a_multipart_form() -> None:
    session = JsonBodySession()
    method = SendPhotoFile(chat_id=501, photo=BufferedInputFile(b"\xff\xd8", filename="chart.jpg"), caption="Chart")
    form = session.build_form_data(bot_with(session), method)
    assert isinstance(form, FormData)
    assert {options["name"] for options, _, _ in form._fields} >= {"chat_id", "caption"}
