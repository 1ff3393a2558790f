"""aiogram's models built on first use (bot/lazy_models.py) read and send exactly what the models
built at import do, for every Bot API type the bot reads and every method it calls; and what a
serving process imports leaves out what only some commands need.

Each side runs in a process of its own: the eager one imports aiogram before `bot` (aiogram's
own import then builds every model), the lazy one imports `bot` first, as the bot does."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = r'''
import asyncio, json, sys
if sys.argv[1] == "eager":
    import aiogram  # before bot/: every model is built by aiogram's import
import bot
from aiogram import Bot, methods, types
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.session.base import Response
from aiogram.methods.base import TelegramMethod
from aiogram.types.base import TelegramObject
import bot.channels.telegram as telegram
from core.messages import Button, Reply
from pydantic.json_schema import GenerateJsonSchema

class Schema(GenerateJsonSchema):
    def handle_invalid_for_json_schema(self, schema, error_info):
        return {"invalid": error_info}  # a file to upload has no JSON schema

built_at_import = {name: getattr(types, name).__pydantic_complete__ for name in ("Update", "Message", "CallbackQuery")}
built_at_import["SendMessage"] = methods.SendMessage.__pydantic_complete__

# What the channel module names, and what aiogram itself calls for it (polling, webhook, files).
method_classes = {value.__name__: value for value in vars(telegram).values()
                  if isinstance(value, type) and issubclass(value, TelegramMethod) and value is not TelegramMethod}
method_classes.update({name: getattr(methods, name) for name in ("GetUpdates", "GetMe", "DeleteWebhook", "SetWebhook", "GetFile")})
used_methods = sorted(method_classes)
used_types = sorted({value.__name__ for value in vars(telegram).values()
                     if isinstance(value, type) and issubclass(value, TelegramObject)} | {"Update", "User", "File"})

chat = {"id": 42, "type": "private", "first_name": "Aida"}
person = {"id": 42, "is_bot": False, "first_name": "Aida", "language_code": "ky"}
message = {"message_id": 7, "date": 1764547200, "chat": chat, "from": person}
menu = {"inline_keyboard": [[{"text": "Сабактар", "callback_data": "les"}], [{"text": "Сайт", "url": "https://example.org"}]]}
sent = {**message, "from": {"id": 1, "is_bot": True, "first_name": "Tynchtyk", "username": "tynchtyk_bot"},
        "text": "Башкы меню", "reply_markup": menu}
updates = [
    {"update_id": 1, "message": {**message, "text": "/start join-abc",
                                 "entities": [{"type": "bot_command", "offset": 0, "length": 6}]}},
    {"update_id": 2, "message": {**message, "text": "Салам \u0000 👋"}},
    {"update_id": 3, "message": {**message, "location": {"latitude": 40.05, "longitude": 70.8}}},
    {"update_id": 4, "message": {**message, "caption": "сүрөт", "photo": [
        {"file_id": "p1", "file_unique_id": "u1", "width": 90, "height": 90, "file_size": 900},
        {"file_id": "p2", "file_unique_id": "u2", "width": 800, "height": 800, "file_size": 90000}]}},
    {"update_id": 5, "message": {**message, "document": {"file_id": "d", "file_unique_id": "ud",
                                                         "file_name": "акт.pdf", "mime_type": "application/pdf", "file_size": 5}}},
    {"update_id": 6, "message": {**message, "voice": {"file_id": "v", "file_unique_id": "uv", "duration": 3,
                                                      "mime_type": "audio/ogg", "file_size": 5}}},
    {"update_id": 7, "message": {**message, "video": {"file_id": "vi", "file_unique_id": "uvi", "width": 1, "height": 1,
                                                      "duration": 1, "file_size": 5}}},
    {"update_id": 8, "message": {**message, "audio": {"file_id": "a", "file_unique_id": "ua", "duration": 1}}},
    {"update_id": 9, "message": {**message, "contact": {"phone_number": "+996", "first_name": "A"}}},
    {"update_id": 10, "message": {**message, "chat": {"id": -100, "type": "supergroup", "title": "Топ"}, "text": "/help"}},
    {"update_id": 11, "callback_query": {"id": "c1", "chat_instance": "ci", "data": "les", "from": person,
                                         "message": sent}},
    {"update_id": 12, "callback_query": {"id": "c2", "chat_instance": "ci", "data": "les", "from": person,
                                         "message": {"message_id": 3, "date": 0, "chat": chat}}},
    {"update_id": 13, "edited_message": {**message, "text": "оңдолду", "edit_date": 1764547300}},
    {"update_id": 14, "my_chat_member": {"chat": chat, "from": person, "date": 1764547200,
                                         "old_chat_member": {"status": "member", "user": sent["from"]},
                                         "new_chat_member": {"status": "kicked", "user": sent["from"], "until_date": 0}}},
]
results = {
    "SendMessage": sent, "SendPhoto": sent, "SendDocument": sent, "EditMessageText": sent,
    "SendText": sent, "SendPhotoFile": sent, "SendDocumentFile": sent, "EditText": sent,
    "AnswerCallbackQuery": True, "DeleteMessages": True, "SetMyCommands": True, "DeleteWebhook": True, "SetWebhook": True,
    "GetMe": sent["from"], "GetUpdates": updates, "GetFile": {"file_id": "d", "file_unique_id": "ud", "file_path": "a/b.pdf"},
}

def form_fields(form):
    """name, value of each field sent; a file's random attach:// name and its reader made alike."""
    fields = [[options["name"], str(value)] for options, _headers, value in form._fields]
    uploads = {value.removeprefix("attach://") for _name, value in fields if value.startswith("attach://")}
    return [["<upload>", "<file>"] if name in uploads else [name, "attach://<upload>" if value.startswith("attach://") else value]
            for name, value in fields]

async def main():
    client = Bot("123456:PROBE")
    session = AiohttpSession()
    keyboard = telegram.keyboard(Reply("x", buttons=((Button("Сабактар", "les"),), (Button("Сайт", url="https://example.org"),))))
    calls = [
        telegram.SendText(chat_id=42, text="Башкы меню", reply_markup=keyboard),
        telegram.EditText(chat_id=42, message_id=7, text="Сабак 1/3", reply_markup=keyboard),
        telegram.SendPhotoFile(chat_id=42, photo=types.BufferedInputFile(b"png", filename="chart.png"), caption="график"),
        telegram.SendDocumentFile(chat_id=42, document=types.BufferedInputFile(b"xlsx", filename="reports.xlsx")),
        methods.AnswerCallbackQuery(callback_query_id="c1", text="Кийинчерээк", show_alert=True),
        methods.DeleteMessages(chat_id=42, message_ids=[1, 2, 3]),
        methods.SetMyCommands(commands=[types.BotCommand(command="menu", description="Меню")],
                              scope=types.BotCommandScopeDefault(), language_code="ky"),
        methods.GetUpdates(offset=3, timeout=20, allowed_updates=["message", "callback_query"]),
        methods.SetWebhook(url="https://example.org/hook", secret_token="s", allowed_updates=["message"]),
    ]
    out = {"built_at_import": built_at_import, "used_methods": used_methods, "used_types": used_types}
    out["schemas"] = {name: getattr(types, name).model_json_schema(schema_generator=Schema) for name in used_types}
    out["schemas"].update({name: method_classes[name].model_json_schema(schema_generator=Schema) for name in used_methods})
    out["parsed"] = [types.Update.model_validate(update, context={"bot": client}).model_dump(mode="json", exclude_unset=True)
                     for update in updates]
    out["requests"] = [[type(call).__name__, form_fields(session.build_form_data(client, call))] for call in calls]
    out["responses"] = {}
    for name, result in results.items():
        method = method_classes.get(name) or getattr(methods, name)
        response = Response[method.__returning__].model_validate({"ok": True, "result": result}, context={"bot": client})
        out["responses"][name] = repr(response.result)
    await session.close()
    print(json.dumps(out, ensure_ascii=False, sort_keys=True, default=str))

asyncio.run(main())
'''

SERVING = r'''
import asyncio, json, sys
from pathlib import Path
from pydantic import SecretStr
import bot.run
from bot.app import build_app
from bot.settings import Settings

async def main():
    settings = Settings(_env_file=None, data_dir=Path(sys.argv[1]), data_key=SecretStr(sys.argv[2]),
                        telegram_bot_token=SecretStr("123456:PROBE"))
    app = await build_app(settings)
    await app.close()

asyncio.run(main())
heavy = sorted({name.split(".")[0] for name in sys.modules} & {"alembic", "mako", "matplotlib", "openpyxl", "PIL", "numpy"})
print(json.dumps(heavy))
'''


def run_probe(code: str, *arguments: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code, *arguments], capture_output=True, text=True, cwd=ROOT, timeout=300,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout.strip().splitlines()[-1]


def test_models_built_on_first_use_read_and_send_what_eager_ones_do() -> None:
    with ThreadPoolExecutor(2) as both:  # the two processes side by side
        eager, lazy = (json.loads(output) for output in both.map(lambda mode: run_probe(PROBE, mode), ("eager", "lazy")))

    # The hook took effect: nothing of what the bot uses was built at import, unlike aiogram's own way.
    assert set(lazy.pop("built_at_import").values()) == {False}
    assert eager.pop("built_at_import") == {"Update": True, "Message": True, "CallbackQuery": True, "SendMessage": True}
    assert {"SendText", "EditText", "AnswerCallbackQuery", "GetUpdates"} <= set(lazy["used_methods"])
    assert lazy["responses"]["SendText"] == "SentMessage(message_id=7)"
    assert {"Update", "Message", "CallbackQuery", "InlineKeyboardMarkup"} <= set(lazy["used_types"])
    assert lazy["parsed"][0]["message"]["text"] == "/start join-abc"
    assert lazy["parsed"][10]["callback_query"]["message"]["reply_markup"]["inline_keyboard"][0][0]["text"] == "Сабактар"
    assert ["text", "Башкы меню"] in lazy["requests"][0][1]
    for part in ("schemas", "parsed", "requests", "responses"):
        assert lazy[part] == eager[part], part


def test_a_serving_process_imports_no_migration_chart_or_spreadsheet_machinery(tmp_path: Path) -> None:
    from cryptography.fernet import Fernet

    key = Fernet.generate_key().decode()
    first_start = json.loads(run_probe(SERVING, str(tmp_path), key))  # an empty database: migrated
    assert "alembic" in first_start
    assert json.loads(run_probe(SERVING, str(tmp_path), key)) == []  # already at the newest migration
