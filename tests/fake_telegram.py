"""A fake Telegram Bot API server for end-to-end tests.

``FakeBotAPI`` is a small aiohttp server on 127.0.0.1 (random free port) that speaks
enough of the Bot API for the real aiogram 3 client to run against it::

    api = FakeBotAPI()
    base_url = await api.start()
    bot = Bot(api.token, session=AiohttpSession(api=TelegramAPIServer.from_base(base_url)))

It records every call (``calls``), keeps per-chat message history (user messages pushed
as updates and the bot's own sends/edits/deletes), serves ``getUpdates`` with long
polling, and rejects what the real Bot API rejects (too long texts, bad inline keyboards,
edits of unknown or unchanged messages, deletes of old or missing messages, unknown
chats, ...), answering the same error JSON Telegram does.

Faults on demand: error answers (``fail_next``), slow answers (``slow_next``), a call carried
out whose answer comes too late or never (``answer_late``, ``drop_answer``: the message is in
the chat, the client sees a timeout or a lost connection), and an address that refuses
connections for a while (``stop``, then ``start(api.port)``: the chats are kept).

Request bodies are accepted as aiogram sends them (``application/x-www-form-urlencoded``,
or ``multipart/form-data`` when a file is uploaded, nested objects JSON-encoded, files
referenced as ``attach://<part name>``), as ``application/json`` and as GET query strings.
"""

from __future__ import annotations

import asyncio
import copy
import html
import itertools
import json
import re
import socket
import time
from collections import deque
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from aiohttp import BodyPartReader, web

if TYPE_CHECKING:
    from aiogram import Bot

__all__ = ["ApiError", "Call", "FakeBotAPI"]

MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_DATA_BYTES = 64
MAX_INLINE_BUTTONS = 100
MAX_CALLBACK_ANSWER_LENGTH = 200
DELETE_WINDOW_SECONDS = 48 * 3600
LONG_POLL_CAP_SECONDS = 1.0

# Parameters whose form value is a JSON-encoded object or array.
JSON_FIELDS = frozenset(
    "reply_markup entities caption_entities commands scope allowed_updates"
    " link_preview_options reply_parameters message_ids media".split()
)
INT_FIELDS = frozenset(
    "chat_id message_id from_chat_id offset limit timeout message_thread_id"
    " reply_to_message_id user_id cache_time max_connections until_date".split()
)
BOOL_FIELDS = frozenset(
    "disable_notification protect_content allow_sending_without_reply"
    " disable_web_page_preview show_alert drop_pending_updates has_spoiler"
    " disable_content_type_detection allow_paid_broadcast show_caption_above_media".split()
)
# Inline button fields of which exactly one must be present.
BUTTON_ACTIONS = (
    "callback_data url web_app login_url switch_inline_query switch_inline_query_current_chat"
    " switch_inline_query_chosen_chat copy_text callback_game pay".split()
)
CHAT_ACTIONS = frozenset(
    "typing upload_photo record_video upload_video record_voice upload_voice upload_document"
    " choose_sticker find_location record_video_note upload_video_note".split()
)
# Update types delivered when allowed_updates is empty (Telegram's default).
OPT_IN_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
MESSAGE_UPDATE_KEYS = ("message", "edited_message", "channel_post", "edited_channel_post")

NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)
QUERY_INVALID = (
    "query is too old and response timeout expired or query ID is invalid"
)

Params = dict[str, Any]
JsonDict = dict[str, Any]


@dataclass
class Call:
    """One request received by the fake, as decoded and as answered."""

    method: str
    params: dict[str, Any]
    at: float
    status: int
    answer_lost: bool = False  # carried out, but the answer came too late or never


class ApiError(Exception):
    """An error answer: ``{"ok": false, "error_code": status, "description": ...}``."""

    def __init__(
        self, status: int, description: str, parameters: JsonDict | None = None
    ) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters

    def body(self) -> JsonDict:
        body: JsonDict = {"ok": False, "error_code": self.status, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad_request(reason: str) -> ApiError:
    return ApiError(400, f"Bad Request: {reason}")


@dataclass
class _StoredMessage:
    message: JsonDict
    from_bot: bool
    sent_at: float  # time.time()


@dataclass
class _StoredFile:
    file_id: str
    file_unique_id: str
    content: bytes
    file_path: str


@dataclass
class _LostAnswer:
    late_by: float | None  # None: the connection is closed instead of answering


@dataclass
class _Failure:
    status: int
    description: str
    parameters: JsonDict | None


class _Notifier:
    """Wakes every coroutine waiting for "something changed" (a fresh event per change)."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def notify(self) -> None:
        self._event.set()
        self._event = asyncio.Event()

    async def wait(self, timeout: float) -> None:
        event = self._event
        try:
            await asyncio.wait_for(event.wait(), timeout=max(timeout, 0))
        except TimeoutError:
            pass


def _is_upload(value: Any) -> bool:
    """An uploaded file part as decoded: {"filename", "size", "content"}."""
    return isinstance(value, dict) and isinstance(value.get("content"), bytes)


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


# --------------------------------------------------------------------------- HTML parse mode

_ATTRS = r"""(?:\s+[a-zA-Z-]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?)*"""
_TAG_RE = re.compile(rf"<(/?)([a-zA-Z][a-zA-Z0-9-]*)({_ATTRS})\s*/?>")
_ATTR_RE = re.compile(r"""([a-zA-Z-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?""")
_HTML_ENTITY_TYPES = {
    **dict.fromkeys(("b", "strong"), "bold"),
    **dict.fromkeys(("i", "em"), "italic"),
    **dict.fromkeys(("u", "ins"), "underline"),
    **dict.fromkeys(("s", "strike", "del"), "strikethrough"),
    **dict.fromkeys(("tg-spoiler", "span"), "spoiler"),
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_OpenTag = tuple[str, int, "JsonDict | None"]  # tag, utf-16 start offset, entity (None: none)


def _html_entity(tag: str, attrs: dict[str, str], stack: list[_OpenTag]) -> JsonDict | None:
    """The entity a start tag opens, or None for <code> inside <pre> (it sets the language)."""
    entity: JsonDict = {"type": _HTML_ENTITY_TYPES[tag]}
    if tag == "a":
        entity["url"] = attrs.get("href", "")
    elif tag == "blockquote" and "expandable" in attrs:
        entity["type"] = "expandable_blockquote"
    elif tag == "tg-emoji":
        entity["custom_emoji_id"] = attrs.get("emoji-id", "")
    elif tag == "code" and stack and stack[-1][0] == "pre" and stack[-1][2] is not None:
        if language := attrs.get("class", "").removeprefix("language-"):
            stack[-1][2]["language"] = language
        return None
    return entity


def parse_html(source: str) -> tuple[str, list[JsonDict]]:
    """Strip Telegram-HTML markup like the Bot API does; returns (text, entities).

    Raises ApiError for a stray "<" and for unsupported or unbalanced tags, like Telegram.
    """

    def fail(reason: str, pos: int) -> ApiError:
        offset = len(source[:pos].encode("utf-8"))
        return bad_request(f"can't parse entities: {reason} at byte offset {offset}")

    text_parts: list[str] = []
    utf16_pos = 0
    stack: list[_OpenTag] = []
    entities: list[JsonDict] = []
    pos = 0
    while True:
        lt = source.find("<", pos)
        plain = html.unescape(source[pos:] if lt == -1 else source[pos:lt])
        text_parts.append(plain)
        utf16_pos += utf16_len(plain)
        if lt == -1:
            break
        match = _TAG_RE.match(source, lt)
        if match is None:
            raise fail('unexpected "<"', lt)
        closing, tag = match.group(1) == "/", match.group(2).lower()
        attrs = {
            m.group(1).lower(): html.unescape(m.group(2) or m.group(3) or m.group(4) or "")
            for m in _ATTR_RE.finditer(match.group(3))
        }
        plain_span = tag == "span" and not closing and attrs.get("class") != "tg-spoiler"
        if tag not in _HTML_ENTITY_TYPES or plain_span:
            raise fail(f'Unsupported {"end" if closing else "start"} tag "{tag}"', lt)
        if not closing:
            stack.append((tag, utf16_pos, _html_entity(tag, attrs, stack)))
        elif not stack or stack[-1][0] != tag:
            raise fail(f'Unmatched end tag "{tag}"', lt)
        else:
            _, start, entity = stack.pop()
            if entity is not None and utf16_pos > start:
                entities.append({**entity, "offset": start, "length": utf16_pos - start})
        pos = match.end()
    if stack:
        raise fail(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"', len(source))
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(text_parts), entities


# --------------------------------------------------------------------------- the server


class FakeBotAPI:
    """In-process fake of the Telegram Bot API; see the module docstring."""

    def __init__(
        self,
        token: str = "123456:TEST-TOKEN",
        bot_id: int = 123456,
        username: str = "tynchtyk_test_bot",
        accept_unknown_chats: bool = False,
    ) -> None:
        self.token = token
        self.accept_unknown_chats = accept_unknown_chats  # for load tests: any positive chat id is a person
        self.bot_id = bot_id
        self.username = username
        self.base_url = ""
        self.calls: list[Call] = []
        self.downloads: list[str] = []  # file paths served by the file endpoint

        self._runner: web.AppRunner | None = None
        self._stopped = asyncio.Event()  # late answers are given at once when the server stops
        self._stopping = False
        self._calls_changed = _Notifier()
        self._updates_changed = _Notifier()

        self._updates: list[JsonDict] = []
        self._pushed: dict[int, JsonDict] = {}  # every update ever queued, by id
        self._update_ids = itertools.count(1000)
        self._allowed_updates: list[str] = []
        self._chats: dict[int, JsonDict] = {}
        self._messages: dict[int, dict[int, _StoredMessage]] = {}
        self._last_message_id: dict[int, int] = {}
        self._callback_queries: dict[str, JsonDict] = {}
        self._callback_ids = itertools.count(1)
        self._files: dict[str, _StoredFile] = {}
        self._file_ids = itertools.count(1)
        self._failures: dict[str, deque[_Failure]] = {}
        self._delays: dict[str, deque[float]] = {}
        # Seconds every answer takes to come back after the call is received: a network between
        # the bot and the Bot API (the call's time is when it arrived).
        self.answer_delay = 0.0
        self._lost_answers: dict[str, deque[_LostAnswer]] = {}
        self._blocked: set[int] = set()
        self._commands: dict[tuple[str, str], list[JsonDict]] = {}
        self._webhook: JsonDict = {"url": ""}

        handlers: dict[str, Callable[[Params], Awaitable[Any]]] = {
            "getMe": self._get_me,
            "getUpdates": self._get_updates,
            "sendMessage": self._send_message,
            "editMessageText": self._edit_message_text,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "answerCallbackQuery": self._answer_callback_query,
            "deleteMessage": self._delete_message,
            "deleteMessages": self._delete_messages,
            "setMyCommands": self._set_my_commands,
            "getMyCommands": self._get_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "sendDocument": self._send_document,
            "sendPhoto": self._send_photo,
            "sendChatAction": self._send_chat_action,
            "getFile": self._get_file,
            "close": self._ok,
            "logOut": self._ok,
        }
        # Telegram method names are case-insensitive.
        self._handlers = {name.lower(): (name, handler) for name, handler in handlers.items()}

    # ------------------------------------------------------------------ lifecycle

    async def start(self, port: int = 0) -> str:
        """Start listening on 127.0.0.1:<free port>, or on `port` (the one of an earlier start:
        the same chats and messages); returns the base url."""
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=2.0)
        await self._runner.setup()
        self._stopped = asyncio.Event()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # a restart on the same port
        sock.bind(("127.0.0.1", port))
        await web.SockSite(self._runner, sock).start()
        self._stopping = False
        self.base_url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        return self.base_url

    @property
    def port(self) -> int:
        return int(self.base_url.rsplit(":", 1)[1])

    async def stop(self) -> None:
        """Stop the server; pending long polls return at once. Until the next `start`, a
        connection to its address is refused."""
        self._stopping = True
        self._updates_changed.notify()
        self._stopped.set()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeBotAPI:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    def make_bot(self) -> Bot:
        """A real aiogram Bot talking to this fake (close its session when done)."""
        from aiogram import Bot
        from aiogram.client.default import DefaultBotProperties
        from aiogram.client.session.aiohttp import AiohttpSession
        from aiogram.client.telegram import TelegramAPIServer

        session = AiohttpSession(api=TelegramAPIServer.from_base(self.base_url))
        return Bot(self.token, session=session, default=DefaultBotProperties())

    # ------------------------------------------------------------------ test helpers

    @property
    def bot_user(self) -> JsonDict:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": "Tynchtyk",
            "username": self.username,
        }

    def calls_to(self, method: str) -> list[Call]:
        return [call for call in self.calls if call.method == method]

    async def wait_for(self, predicate: Callable[[Call], bool], timeout: float = 10.0) -> Call:
        """Return the first recorded call (past or future) satisfying ``predicate``."""
        deadline = time.monotonic() + timeout
        checked = 0
        while True:
            for call in self.calls[checked:]:
                if predicate(call):
                    return call
            checked = len(self.calls)
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"no matching call within {timeout} s; calls: {self._summary()}")
            await self._calls_changed.wait(remaining)

    def push_update(self, update: Mapping[str, Any]) -> int:
        """Queue a raw Update dict for getUpdates; assigns and returns its update_id."""
        stored = copy.deepcopy(dict(update))
        stored["update_id"] = update_id = next(self._update_ids)
        self._absorb_update(stored)
        self._updates.append(stored)
        self._pushed[update_id] = stored
        self._updates_changed.notify()
        return update_id

    @property
    def last_update_id(self) -> int:
        return max(self._pushed)

    def deliver_again(self, update_id: int) -> None:
        """Queue an update once more with its own id, as Telegram does when the bot stopped
        before confirming it."""
        self._updates.append(copy.deepcopy(self._pushed[update_id]))
        self._updates_changed.notify()

    def message_update(
        self,
        user_id: int,
        text: str | None = None,
        *,
        chat_id: int | None = None,
        chat_type: str = "private",
        language_code: str | None = "en",
        extra: Mapping[str, Any] | None = None,
    ) -> int:
        """Push a user's message update; returns the message_id the fake assigned."""
        chat_id = user_id if chat_id is None else chat_id
        user = self._user(user_id, language_code)
        if chat_type == "private":
            chat = {k: v for k, v in user.items() if k in ("id", "first_name", "username")}
            chat["id"] = chat_id
            chat["type"] = "private"
        else:
            chat = {"id": chat_id, "type": chat_type, "title": f"Test {chat_type} {chat_id}"}
        message_id = self._next_message_id(chat_id)
        message: JsonDict = {
            "message_id": message_id,
            "from": user,
            "chat": chat,
            "date": int(time.time()),
        }
        if text is not None:
            message["text"] = text
            if command := re.match(r"/[A-Za-z0-9_]+(@[A-Za-z0-9_]+)?", text):
                length = utf16_len(command.group())
                message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        message.update(copy.deepcopy(dict(extra or {})))
        self.push_update({"message": message})
        return message_id

    def callback_update(
        self,
        user_id: int,
        data: str,
        *,
        message_id: int,
        chat_id: int | None = None,
        language_code: str | None = "en",
    ) -> str:
        """Push a press on an inline button of the bot's message; returns the query id."""
        chat_id = user_id if chat_id is None else chat_id
        stored = self._messages.get(chat_id, {}).get(message_id)
        if stored is None or not stored.from_bot:
            raise ValueError(f"chat {chat_id} has no bot message {message_id}")
        query_id = f"{self.bot_id}{next(self._callback_ids):08d}"
        self.push_update(
            {
                "callback_query": {
                    "id": query_id,
                    "from": self._user(user_id, language_code),
                    "message": copy.deepcopy(stored.message),
                    "chat_instance": f"ci{chat_id}",
                    "data": data,
                }
            }
        )
        return query_id

    def add_private_chat(self, user_id: int, language_code: str | None = "en") -> None:
        """Make a private chat known, as if she had written to the bot long ago (no update)."""
        user = self._user(user_id, language_code)
        chat = {k: v for k, v in user.items() if k in ("id", "first_name", "username")}
        chat["type"] = "private"
        self._chats.setdefault(user_id, chat)

    def add_file(self, file_id: str, content: bytes, file_path: str = "photos/file_0.jpg") -> None:
        self._files[file_id] = _StoredFile(file_id, f"u{file_id}"[:32], bytes(content), file_path)

    def fail_next(
        self,
        method: str,
        *,
        status: int = 429,
        retry_after: int = 1,
        description: str | None = None,
        count: int = 1,
    ) -> None:
        """Make the next ``count`` calls of ``method`` answer an error (default: flood 429)."""
        parameters: JsonDict | None = None
        if status == 429:
            parameters = {"retry_after": retry_after}
            description = description or f"Too Many Requests: retry after {retry_after}"
        description = description or HTTPStatus(status).phrase
        queue = self._failures.setdefault(method.lower(), deque())
        queue.extend(_Failure(status, description, parameters) for _ in range(count))

    def slow_next(self, method: str, seconds: float, count: int = 1) -> None:
        """Make the next ``count`` calls of ``method`` take ``seconds`` longer to answer."""
        self._delays.setdefault(method.lower(), deque()).extend([seconds] * count)

    def answer_late(self, method: str, seconds: float, count: int = 1) -> None:
        """Carry out the next ``count`` successful calls of ``method`` (a sent message is in the
        chat at once) but answer only ``seconds`` later: a client with a shorter timeout gives up."""
        self._lost_answers.setdefault(method.lower(), deque()).extend([_LostAnswer(seconds)] * count)

    def drop_answer(self, method: str, count: int = 1) -> None:
        """Carry out the next ``count`` successful calls of ``method``, then close the
        connection instead of answering."""
        self._lost_answers.setdefault(method.lower(), deque()).extend([_LostAnswer(None)] * count)

    def block_user(self, chat_id: int) -> None:
        """Every later send/edit to ``chat_id`` answers 403."""
        self._blocked.add(chat_id)

    def unblock_user(self, chat_id: int) -> None:
        self._blocked.discard(chat_id)

    def age_message(self, chat_id: int, message_id: int, seconds: float) -> None:
        """Pretend the message was sent ``seconds`` earlier than it was."""
        stored = self._messages[chat_id][message_id]
        stored.sent_at -= seconds
        stored.message["date"] = int(stored.sent_at)

    def messages_in_chat(self, chat_id: int) -> dict[int, JsonDict]:
        """message_id -> message as it stands now, deleted messages left out."""
        stored = sorted(self._messages.get(chat_id, {}).items())
        return {message_id: copy.deepcopy(s.message) for message_id, s in stored}

    def bot_messages(self, chat_id: int) -> list[JsonDict]:
        """The bot's messages still in the chat, oldest first."""
        stored = sorted(self._messages.get(chat_id, {}).items())
        return [copy.deepcopy(s.message) for _, s in stored if s.from_bot]

    def commands(
        self, scope: Mapping[str, Any] | None = None, language_code: str = ""
    ) -> list[JsonDict]:
        """Commands currently set for a scope (default scope if None) and language."""
        return copy.deepcopy(self._commands.get(self._commands_key(scope, language_code), []))

    @property
    def pending_updates(self) -> list[JsonDict]:
        return copy.deepcopy(self._updates)

    # ------------------------------------------------------------------ HTTP layer

    async def _handle_api(self, request: web.Request) -> web.Response:
        at = time.monotonic()
        known = self._handlers.get(request.match_info["method"].lower())
        method = known[0] if known else request.match_info["method"]
        params: Params = {}
        try:
            params = await self._read_raw_params(request)
            if request.match_info["token"] != self.token:
                raise ApiError(401, "Unauthorized")
            if known is None:
                raise ApiError(404, "Not Found")
            params = self._decode_params(params)
            delays = self._delays.get(method.lower())
            if delays:
                await asyncio.sleep(delays.popleft())
            if self.answer_delay:
                await asyncio.sleep(self.answer_delay)
            self._raise_injected_failure(method)
            result = await known[1](params)
            status, body = 200, {"ok": True, "result": result}
        except ApiError as error:
            status, body = error.status, error.body()
        lost = self._lost_answers.get(method.lower()) if status == 200 else None
        lost_answer = lost.popleft() if lost else None
        self.calls.append(Call(method, params, at, status, answer_lost=lost_answer is not None))
        self._calls_changed.notify()
        if lost_answer is not None and lost_answer.late_by is None and request.transport is not None:
            request.transport.close()
        elif lost_answer is not None and lost_answer.late_by is not None:
            await self._answer_after(lost_answer.late_by)
        return web.json_response(body, status=status)

    async def _answer_after(self, seconds: float) -> None:
        try:
            await asyncio.wait_for(self._stopped.wait(), seconds)
        except TimeoutError:
            pass

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return web.json_response(ApiError(401, "Unauthorized").body(), status=401)
        path = request.match_info["path"]
        self.downloads.append(path)
        for stored in self._files.values():
            if stored.file_path == path:
                return web.Response(body=stored.content, content_type="application/octet-stream")
        return web.json_response(ApiError(404, "Not Found").body(), status=404)

    async def _read_raw_params(self, request: web.Request) -> Params:
        params: Params = dict(request.query)
        if not request.body_exists:
            return params
        if request.content_type == "application/json":
            try:
                body = await request.json()
            except ValueError as error:
                raise bad_request("can't parse JSON object") from error
            if not isinstance(body, dict):
                raise bad_request("can't parse JSON object")
            params.update(body)
        elif request.content_type == "multipart/form-data":
            reader = await request.multipart()
            while (part := await reader.next()) is not None:
                if not isinstance(part, BodyPartReader) or part.name is None:
                    continue
                if part.filename is not None:
                    content = bytes(await part.read())
                    params[part.name] = {
                        "filename": part.filename,
                        "size": len(content),
                        "content": content,
                    }
                else:
                    params[part.name] = await part.text()
        else:
            params.update(await request.post())
        return params

    def _decode_params(self, raw: Params) -> Params:
        """Parse JSON-encoded fields, numbers and booleans; resolve ``attach://`` files."""
        params: Params = {}
        for key, value in raw.items():
            if isinstance(value, str):
                if key in JSON_FIELDS:
                    try:
                        value = json.loads(value)
                    except ValueError as error:
                        what = "reply keyboard markup" if key == "reply_markup" else key
                        raise bad_request(f"can't parse {what} JSON object") from error
                elif key in INT_FIELDS and re.fullmatch(r"-?\d+", value.strip()):
                    value = int(value)
                elif key in BOOL_FIELDS and value.lower() in ("true", "false", "1", "0"):
                    value = value.lower() in ("true", "1")
            params[key] = value
        uploads = {key: value for key, value in params.items() if _is_upload(value)}
        attached: set[str] = set()

        def resolve(value: Any) -> Any:
            if isinstance(value, str) and value.startswith("attach://") and value[9:] in uploads:
                attached.add(value[9:])
                return uploads[value[9:]]
            if isinstance(value, list):
                return [resolve(item) for item in value]
            if isinstance(value, dict) and not _is_upload(value):
                return {k: resolve(v) for k, v in value.items()}
            return value

        resolved = {key: resolve(value) for key, value in params.items()}
        return {key: value for key, value in resolved.items() if key not in attached}

    def _raise_injected_failure(self, method: str) -> None:
        queue = self._failures.get(method.lower())
        if queue:
            failure = queue.popleft()
            raise ApiError(failure.status, failure.description, failure.parameters)

    def _summary(self) -> str:
        return ", ".join(f"{c.method}:{c.status}" for c in self.calls) or "none"

    # ------------------------------------------------------------------ state helpers

    def _user(self, user_id: int, language_code: str | None) -> JsonDict:
        user: JsonDict = {
            "id": user_id,
            "is_bot": False,
            "first_name": f"User{user_id}",
            "username": f"user{user_id}",
        }
        if language_code is not None:
            user["language_code"] = language_code
        return user

    def _next_message_id(self, chat_id: int) -> int:
        self._last_message_id[chat_id] = self._last_message_id.get(chat_id, 0) + 1
        return self._last_message_id[chat_id]

    def _remember_message(self, message: JsonDict, *, from_bot: bool) -> None:
        chat_id, message_id = message["chat"]["id"], message["message_id"]
        self._chats.setdefault(chat_id, copy.deepcopy(message["chat"]))
        self._last_message_id[chat_id] = max(self._last_message_id.get(chat_id, 0), message_id)
        sent_at = float(message.get("date", time.time()))
        self._messages.setdefault(chat_id, {})[message_id] = _StoredMessage(
            copy.deepcopy(message), from_bot, sent_at
        )

    def _absorb_update(self, update: JsonDict) -> None:
        """Learn chats, user messages and callback query ids from a pushed update."""
        for key, value in update.items():
            if not isinstance(value, dict):
                continue
            has_chat = isinstance(value.get("chat"), dict)
            if key in MESSAGE_UPDATE_KEYS and has_chat and "message_id" in value:
                from_bot = value.get("from", {}).get("id") == self.bot_id
                self._remember_message(value, from_bot=from_bot)
            elif has_chat:
                self._chats.setdefault(value["chat"]["id"], copy.deepcopy(value["chat"]))
            if key == "callback_query" and "id" in value:
                self._callback_queries[str(value["id"])] = value
                if isinstance(value.get("message"), dict) and "chat" in value["message"]:
                    chat = value["message"]["chat"]
                    self._chats.setdefault(chat["id"], copy.deepcopy(chat))

    def _target_chat(self, params: Params, *, check_blocked: bool = True) -> int:
        chat_id = params.get("chat_id")
        if chat_id is None or chat_id == "":
            raise bad_request("chat_id is empty")
        if isinstance(chat_id, str):  # "@username"
            wanted = chat_id.removeprefix("@").lower()
            chat_id = next(
                (cid for cid, chat in self._chats.items()
                 if str(chat.get("username", "")).lower() == wanted),
                None,
            )
            if chat_id is None:
                raise bad_request("chat not found")
        if check_blocked and chat_id in self._blocked:
            chat_type = self._chats.get(chat_id, {}).get("type", "private")
            if chat_type == "private":
                raise ApiError(403, "Forbidden: bot was blocked by the user")
            raise ApiError(403, f"Forbidden: bot was kicked from the {chat_type} chat")
        if chat_id not in self._chats and self.accept_unknown_chats and isinstance(chat_id, int) and chat_id > 0:
            self.add_private_chat(chat_id)
        if chat_id not in self._chats:
            raise bad_request("chat not found")
        return int(chat_id)

    def _int_param(self, params: Params, name: str) -> int:
        value = params.get(name)
        if value is None or value == "":
            raise bad_request(f"{name} is empty")
        if not isinstance(value, int) or isinstance(value, bool):
            raise bad_request(f"invalid {name} specified")
        return value

    def _formatted(
        self, params: Params, key: str, entities_key: str, limit: int, *, required: bool
    ) -> tuple[str, list[JsonDict]]:
        """Validate text/caption, apply parse_mode; returns (plain text, entities)."""
        raw = params.get(key)
        if raw is None:
            raw = ""
        if not isinstance(raw, str):
            raw = str(raw)
        entities = params.get(entities_key) or []
        parse_mode = str(params.get("parse_mode") or "")
        if parse_mode.lower() == "html":
            text, entities = parse_html(raw)
        else:
            text = raw
        if required and not text.strip():
            raise bad_request(f"message {key} is empty")
        if len(text) > limit:
            raise bad_request("message is too long" if key == "text" else "message caption is too long")
        if not isinstance(entities, list):
            raise bad_request(f"can't parse {entities_key} JSON object")
        return text, entities

    def _inline_markup(self, params: Params) -> JsonDict | None:
        """Validate reply_markup; return the inline keyboard to store on the message, if any."""
        markup = params.get("reply_markup")
        if markup is None or markup == "":
            return None
        if not isinstance(markup, dict):
            raise bad_request("can't parse reply keyboard markup JSON object")
        if "inline_keyboard" in markup:
            rows = markup["inline_keyboard"]
            if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
                raise bad_request(
                    'field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays'
                )
            buttons = [button for row in rows for button in row]
            if len(buttons) > MAX_INLINE_BUTTONS:
                raise bad_request("reply markup is too long")
            for button in buttons:
                self._check_inline_button(button)
            rows = [row for row in rows if row]
            return {"inline_keyboard": copy.deepcopy(rows)} if rows else None
        if "keyboard" in markup:
            rows = markup["keyboard"]
            if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
                raise bad_request(
                    'field "keyboard" of the ReplyKeyboardMarkup must be an Array of Arrays'
                )
            for button in (b for row in rows for b in row):
                text = button.get("text") if isinstance(button, dict) else button
                if not isinstance(text, str) or not text:
                    raise bad_request("can't parse keyboard button: Text must be non-empty")
            return None
        if markup.get("remove_keyboard") is True or markup.get("force_reply") is True:
            return None
        raise bad_request("can't parse reply keyboard markup JSON object")

    @staticmethod
    def _check_inline_button(button: Any) -> None:
        def unparsable(reason: str) -> ApiError:
            return bad_request(f"can't parse inline keyboard button: {reason}")

        if not isinstance(button, dict):
            raise unparsable("InlineKeyboardButton must be an Object")
        text = button.get("text")
        if not isinstance(text, str) or not text.strip():
            raise unparsable("Text must be non-empty")
        actions = [name for name in BUTTON_ACTIONS if name in button]
        if not actions:
            raise unparsable("Text buttons are unallowed in the inline keyboard")
        if len(actions) > 1:
            raise unparsable("exactly one of the optional fields must be used")
        if "callback_data" in button:
            data = button["callback_data"]
            size = len(data.encode("utf-8")) if isinstance(data, str) else 0
            if not 1 <= size <= MAX_CALLBACK_DATA_BYTES:
                raise bad_request("BUTTON_DATA_INVALID")
        if "url" in button and (not isinstance(button["url"], str) or not button["url"].strip()):
            raise bad_request("BUTTON_URL_INVALID")

    def _new_bot_message(self, chat_id: int, content: JsonDict) -> JsonDict:
        message: JsonDict = {
            "message_id": self._next_message_id(chat_id),
            "from": self.bot_user,
            "chat": copy.deepcopy(self._chats[chat_id]),
            "date": int(time.time()),
            **content,
        }
        self._messages.setdefault(chat_id, {})[message["message_id"]] = _StoredMessage(
            copy.deepcopy(message), True, time.time()
        )
        return message

    def _message_to_edit(self, params: Params) -> tuple[int, _StoredMessage]:
        if params.get("inline_message_id"):
            raise bad_request("message to edit not found")
        chat_id = self._target_chat(params)
        message_id = self._int_param(params, "message_id")
        stored = self._messages.get(chat_id, {}).get(message_id)
        if stored is None or not stored.from_bot:
            raise bad_request("message to edit not found")
        return chat_id, stored

    @staticmethod
    def _apply_edit(stored: _StoredMessage, changes: JsonDict, markup: JsonDict | None) -> JsonDict:
        before = {k: stored.message.get(k) for k in (*changes, "reply_markup")}
        after = {**changes, "reply_markup": markup}
        normalized = {k: v or None for k, v in after.items()}
        if {k: v or None for k, v in before.items()} == normalized:
            raise bad_request(NOT_MODIFIED)
        for key, value in normalized.items():
            if value is None:
                stored.message.pop(key, None)
            else:
                stored.message[key] = copy.deepcopy(value)
        stored.message["edit_date"] = int(time.time())
        return copy.deepcopy(stored.message)

    def _register_upload(self, value: Any, kind: str) -> _StoredFile:
        """Turn an uploaded file, known file_id or URL into a stored file."""
        number = next(self._file_ids)
        if _is_upload(value):
            if not value["content"]:
                raise bad_request("file must be non-empty")
            suffix = re.sub(r"[^A-Za-z0-9.]", "", PurePosixPath(str(value["filename"])).suffix)
            stored = _StoredFile(
                f"fake-{kind}-{number}",
                f"uq{kind}{number}",
                value["content"],
                f"{kind}s/file_{number}{suffix}",
            )
            self._files[stored.file_id] = stored
            return stored
        if isinstance(value, str) and value in self._files:
            return self._files[value]
        if isinstance(value, str) and re.match(r"https?://", value):
            path = f"{kind}s/file_{number}"
            stored = _StoredFile(f"fake-{kind}-{number}", f"uq{kind}{number}", b"", path)
            self._files[stored.file_id] = stored
            return stored
        if value is None or value == "":
            raise bad_request(f"there is no {kind} in the request")
        raise bad_request("wrong file identifier/HTTP URL specified")

    def _media_content(self, params: Params) -> JsonDict:
        content: JsonDict = {}
        caption, entities = self._formatted(
            params, "caption", "caption_entities", MAX_CAPTION_LENGTH, required=False
        )
        if caption:
            content["caption"] = caption
        if entities:
            content["caption_entities"] = entities
        return content

    @staticmethod
    def _commands_key(scope: Any, language_code: Any) -> tuple[str, str]:
        scope = scope or {"type": "default"}
        return json.dumps(scope, sort_keys=True), str(language_code or "")

    # ------------------------------------------------------------------ Bot API methods

    async def _ok(self, params: Params) -> bool:
        return True

    async def _get_me(self, params: Params) -> JsonDict:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _get_updates(self, params: Params) -> list[JsonDict]:
        if self._webhook["url"]:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = params.get("offset", 0)
        limit = params.get("limit", 100)
        timeout = params.get("timeout", 0)
        if not all(isinstance(v, int) for v in (offset, limit, timeout)):
            raise bad_request("wrong parameter in request")
        limit = min(max(limit, 1), 100)
        if "allowed_updates" in params:
            if not isinstance(params["allowed_updates"], list):
                raise bad_request("can't parse allowed updates")
            self._allowed_updates = [str(t) for t in params["allowed_updates"]]
        deadline = time.monotonic() + min(max(timeout, 0), LONG_POLL_CAP_SECONDS)
        while True:
            if offset > 0:  # confirms every update with a smaller id
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
            elif offset < 0:  # keep only the last -offset updates
                self._updates = self._updates[offset:]
            self._updates = [u for u in self._updates if self._is_allowed(u)]
            if self._updates or self._stopping or time.monotonic() >= deadline:
                return copy.deepcopy(self._updates[:limit])
            await self._updates_changed.wait(deadline - time.monotonic())

    def _is_allowed(self, update: JsonDict) -> bool:
        kind = next((k for k in update if k != "update_id"), "")
        if self._allowed_updates:
            return kind in self._allowed_updates
        return kind not in OPT_IN_UPDATES

    async def _send_message(self, params: Params) -> JsonDict:
        chat_id = self._target_chat(params)
        text, entities = self._formatted(params, "text", "entities", MAX_TEXT_LENGTH, required=True)
        markup = self._inline_markup(params)
        content: JsonDict = {"text": text}
        if entities:
            content["entities"] = entities
        if markup:
            content["reply_markup"] = markup
        return self._new_bot_message(chat_id, content)

    async def _edit_message_text(self, params: Params) -> JsonDict:
        text, entities = self._formatted(params, "text", "entities", MAX_TEXT_LENGTH, required=True)
        markup = self._inline_markup(params)
        _, stored = self._message_to_edit(params)
        if "text" not in stored.message:
            raise bad_request("there is no text in the message to edit")
        return self._apply_edit(stored, {"text": text, "entities": entities}, markup)

    async def _edit_message_reply_markup(self, params: Params) -> JsonDict:
        markup = self._inline_markup(params)
        _, stored = self._message_to_edit(params)
        return self._apply_edit(stored, {}, markup)

    async def _answer_callback_query(self, params: Params) -> bool:
        query_id = str(params.get("callback_query_id") or "")
        if query_id not in self._callback_queries:
            raise bad_request(QUERY_INVALID)
        if len(str(params.get("text") or "")) > MAX_CALLBACK_ANSWER_LENGTH:
            raise bad_request("MESSAGE_TOO_LONG")
        del self._callback_queries[query_id]  # a query can be answered once
        return True

    async def _delete_message(self, params: Params) -> bool:
        chat_id = self._target_chat(params, check_blocked=False)
        message_id = self._int_param(params, "message_id")
        messages = self._messages.get(chat_id, {})
        stored = messages.get(message_id)
        if stored is None:
            raise bad_request("message to delete not found")
        if time.time() - stored.sent_at > DELETE_WINDOW_SECONDS:
            raise bad_request("message can't be deleted for everyone")
        del messages[message_id]
        return True

    async def _delete_messages(self, params: Params) -> bool:
        chat_id = self._target_chat(params, check_blocked=False)
        message_ids = params.get("message_ids")
        if not isinstance(message_ids, list) or not 1 <= len(message_ids) <= 100:
            raise bad_request("too many messages to delete" if message_ids else "message ids are empty")
        messages = self._messages.get(chat_id, {})
        for message_id in message_ids:  # missing or undeletable messages are skipped
            stored = messages.get(message_id)
            if stored is not None and time.time() - stored.sent_at <= DELETE_WINDOW_SECONDS:
                del messages[message_id]
        return True

    async def _set_my_commands(self, params: Params) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list):
            raise bad_request("can't parse commands JSON object")
        if len(commands) > 100:
            raise bad_request("too many commands")
        for command in commands:
            if not isinstance(command, dict):
                raise bad_request("can't parse BotCommand JSON object")
            name, description = command.get("command"), command.get("description")
            if not isinstance(name, str) or not re.fullmatch(r"[a-z0-9_]{1,32}", name):
                raise bad_request("BOT_COMMAND_INVALID")
            if not isinstance(description, str) or not 1 <= len(description.strip()) <= 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        key = self._commands_key(params.get("scope"), params.get("language_code"))
        if commands:
            self._commands[key] = copy.deepcopy(commands)
        else:
            self._commands.pop(key, None)
        return True

    async def _get_my_commands(self, params: Params) -> list[JsonDict]:
        return self.commands(params.get("scope"), str(params.get("language_code") or ""))

    async def _delete_my_commands(self, params: Params) -> bool:
        key = self._commands_key(params.get("scope"), params.get("language_code"))
        self._commands.pop(key, None)
        return True

    async def _set_webhook(self, params: Params) -> bool:
        url = str(params.get("url") or "")
        if url and not url.startswith("https://"):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        if params.get("drop_pending_updates") is True:
            self._updates.clear()
        self._webhook = {"url": url}
        if "allowed_updates" in params and isinstance(params["allowed_updates"], list):
            self._allowed_updates = [str(t) for t in params["allowed_updates"]]
        return True

    async def _delete_webhook(self, params: Params) -> bool:
        if params.get("drop_pending_updates") is True:
            self._updates.clear()
        self._webhook = {"url": ""}
        return True

    async def _get_webhook_info(self, params: Params) -> JsonDict:
        info: JsonDict = {
            "url": self._webhook["url"],
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }
        if self._webhook["url"] and self._allowed_updates:
            info["allowed_updates"] = list(self._allowed_updates)
        return info

    async def _send_document(self, params: Params) -> JsonDict:
        chat_id = self._target_chat(params)
        content = self._media_content(params)
        markup = self._inline_markup(params)
        stored = self._register_upload(params.get("document"), "document")
        uploaded = params.get("document")
        file_name = uploaded["filename"] if _is_upload(uploaded) else PurePosixPath(stored.file_path).name
        content["document"] = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_name": file_name,
            "file_size": len(stored.content),
        }
        if markup:
            content["reply_markup"] = markup
        return self._new_bot_message(chat_id, content)

    async def _send_photo(self, params: Params) -> JsonDict:
        chat_id = self._target_chat(params)
        content = self._media_content(params)
        markup = self._inline_markup(params)
        stored = self._register_upload(params.get("photo"), "photo")
        content["photo"] = [
            {
                "file_id": stored.file_id,
                "file_unique_id": stored.file_unique_id,
                "width": 800,
                "height": 600,
                "file_size": len(stored.content),
            }
        ]
        if markup:
            content["reply_markup"] = markup
        return self._new_bot_message(chat_id, content)

    async def _send_chat_action(self, params: Params) -> bool:
        self._target_chat(params)
        if params.get("action") not in CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        return True

    async def _get_file(self, params: Params) -> JsonDict:
        stored = self._files.get(str(params.get("file_id") or ""))
        if stored is None:
            raise bad_request("invalid file_id")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.content),
            "file_path": stored.file_path,
        }
