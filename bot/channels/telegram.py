"""Telegram through aiogram 3: native updates become `Incoming`, `Reply`s become Bot API calls.

The only module that knows aiogram. Menus are inline keyboards that edit in place; API errors are
mapped to neutral outcomes (retry after N seconds, blocked by the user, bad request, in doubt).

A new message (sendMessage, sendPhoto, sendDocument) is sent again only when Telegram certainly
did not take it: the connection was never made, or Telegram refused it (a 4xx answer, 429
included). When the answer is lost (a timeout, the connection dropped mid-answer, a 5xx, an
answer that cannot be read) Telegram may have delivered it: the send is reported in doubt and
never repeated, here or by the outbox. So at worst she gets one copy of a message; what she may
miss is a message in doubt that did not arrive after all. Calls that give the same result when
repeated (edits, deletes, answers to a pressed button, getMe, setMyCommands, getFile) are tried
again whatever happened.
"""

from __future__ import annotations

import asyncio
import datetime
import logging
from enum import Enum
from collections.abc import Awaitable, Callable
from functools import lru_cache
from typing import Any

from aiogram import Bot, Dispatcher, F, Router
from aiogram.client.default import Default, DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    ClientDecodeError,
    TelegramAPIError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.types import (
    BotCommand,
    BotCommandScopeDefault,
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    Message,
    TelegramObject,
    Update,
)

from aiogram.client.session.base import Response
from aiogram.client.session.middlewares.base import BaseRequestMiddleware
from aiogram.methods import (
    AnswerCallbackQuery,
    DeleteMessages as DeleteMessagesMethod,
    EditMessageText,
    SendDocument,
    SendMessage,
    SendPhoto,
    SetMyCommands,
)
from aiogram.methods.base import TelegramMethod
from aiohttp import BytesPayload
from pydantic import BaseModel, ConfigDict

from core.context import ChannelCapabilities
from core.engine import Engine
from core.logs import log_event, user_ref
from core.messages import (
    Button,
    DeleteMessages,
    Delivery,
    Effect,
    Incoming,
    IncomingKind,
    Location,
    Media,
    Reply,
    Toast,
    split_text,
)
from bot.channels.network import never_connected
from bot.settings import Settings
from content import Content
from content.locales import LANGUAGES

logger = logging.getLogger("tynchtyk.telegram")

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
BUTTON_TEXT_LIMIT = 64
TOAST_LIMIT = 200  # the text of an answer to a pressed button
DELETE_BATCH = 100  # deleteMessages takes up to 100 ids
RETRY_PAUSE = 0.5  # seconds before the second try of a call that met a server or network error
COMMANDS = ("menu", "help", "language", "status", "cancel", "start")


Caller = Callable[["TelegramMethod[Any]"], Awaitable[Any]]

class SentMessage(BaseModel):
    """What the channel reads of a message it sent or edited: its id. aiogram would rebuild the
    whole message, its keyboard included, as models after every send, for nothing."""

    model_config = ConfigDict(extra="ignore")
    message_id: int


# The methods the channel sends, each answered with no more than SentMessage.
class SendText(SendMessage):
    __returning__ = SentMessage


class SendPhotoFile(SendPhoto):
    __returning__ = SentMessage


class SendDocumentFile(SendDocument):
    __returning__ = SentMessage


class EditText(EditMessageText):
    __returning__ = SentMessage | bool


# Calls that leave a new message in her chat each time Telegram carries them out.
SENDS = (SendMessage, SendPhoto, SendDocument)


class KeepResponseTypes(BaseRequestMiddleware):
    """aiogram builds `Response[<result type>]` for every call; pydantic caches those generic
    classes only weakly, so without a strong reference each is rebuilt (tens of milliseconds)
    whenever the garbage collector has run. Each is kept from its method's first call on (not
    built at import: the models build on first use, see bot/lazy_models.py)."""

    kept: dict[Any, type] = {}  # for the life of the process, whichever Bot made them

    async def __call__(self, make_request: Any, bot: Bot, method: TelegramMethod[Any]) -> Any:
        returning = method.__returning__
        if returning not in self.kept:
            self.kept[returning] = Response[returning]  # type: ignore[valid-type]
        return await make_request(bot, method)


class JsonBodySession(AiohttpSession):
    """aiogram's session, with a call that carries no file sent as one JSON body (which the Bot
    API takes for every method) instead of a form of JSON-encoded fields. The form cost about a
    third of a send's CPU, most of it dumping and walking every field of every button again for
    each message; here a call's fields are read as they are, the bot's defaults filled in the
    same way, and a keyboard (the same for thousands of people under an alert) is made plain
    once. A call with a file (a photo, a document) still goes as aiogram's multipart form."""

    KEPT_OBJECTS = 512  # plain forms of keyboards and the like, newest kept

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._plain_objects: dict[int, tuple[TelegramObject, Any]] = {}

    def build_form_data(self, bot: Bot, method: TelegramMethod[Any]) -> Any:
        fields: dict[str, Any] = {}
        try:
            for key, value in method:
                if value is not None and (plain := self._plain(value, bot)) is not None:
                    fields[key] = plain
        except _HasFile:
            return super().build_form_data(bot, method)
        return BytesPayload(self.json_dumps(fields).encode(), content_type="application/json")

    def _plain(self, value: Any, bot: Bot) -> Any:
        """A call's value as plain JSON, as aiogram's `prepare_value` makes it for the form:
        defaults filled in from the bot, empty values left out, enums and times as Telegram
        takes them."""
        if isinstance(value, (str, int, float)):  # bool is an int
            return value
        if isinstance(value, Default):
            default = bot.default[value.name]
            return None if default is None else self._plain(default, bot)
        if isinstance(value, TelegramObject):
            kept = self._plain_objects.get(id(value))
            if kept is None or kept[0] is not value:
                kept = (value, self._plain(value.model_dump(warnings=False, exclude_none=True), bot))
                if len(self._plain_objects) >= self.KEPT_OBJECTS:
                    del self._plain_objects[next(iter(self._plain_objects))]
                self._plain_objects[id(value)] = kept  # the object is kept with it: its id stays its own
            return kept[1]
        if isinstance(value, dict):
            return {key: plain for key, item in value.items()
                    if item is not None and (plain := self._plain(item, bot)) is not None}
        if isinstance(value, list):
            return [plain for item in value if item is not None and (plain := self._plain(item, bot)) is not None]
        if isinstance(value, InputFile):
            raise _HasFile
        if isinstance(value, Enum):
            return self._plain(value.value, bot)
        if isinstance(value, datetime.timedelta):
            return round((datetime.datetime.now() + value).timestamp())
        if isinstance(value, datetime.datetime):
            return round(value.timestamp())
        return value


class _HasFile(Exception):
    pass


class DeliveryFailed(Exception):
    pass


class SendInDoubt(Exception):
    """A send whose answer was lost: Telegram may have delivered it. It is not sent again."""

    def __init__(self, method: str, reason: str) -> None:
        super().__init__(f"{method}: {reason}")
        self.method = method
        self.reason = reason  # the error's type: TimeoutError, ServerDisconnectedError, ...


def not_carried_out(error: Exception) -> bool:
    """Whether Telegram certainly did not carry out the call that failed with this error: the
    request never reached it, or it answered with a refusal (4xx, 429 included). A timeout, a
    connection lost after the request was written, a 5xx or an unreadable answer leave it open."""
    if isinstance(error, TelegramNetworkError):
        return never_connected(error.__cause__)
    return isinstance(error, TelegramAPIError) and not isinstance(error, TelegramServerError)


def _failure_name(error: Exception) -> str:
    """The error's type for the log, the network's own under aiogram's wrapper (never its
    message, which may hold an address with the token)."""
    cause = error.__cause__ if isinstance(error, TelegramNetworkError) else None
    return type(cause or error).__name__


def create_bot(settings: Settings) -> Bot:
    if settings.telegram_bot_token is None:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    session = JsonBodySession()
    if settings.telegram_api_url:
        session = JsonBodySession(api=TelegramAPIServer.from_base(settings.telegram_api_url))
    session.middleware(KeepResponseTypes())
    return Bot(
        settings.telegram_bot_token.get_secret_value(),
        session=session,
        default=DefaultBotProperties(link_preview_is_disabled=True),
    )


class TelegramChannel:
    capabilities = ChannelCapabilities(name="telegram", can_delete_messages=True, keeps_message_ids=True,
                                       text_limit=TEXT_LIMIT, label_limit=BUTTON_TEXT_LIMIT, caption_limit=CAPTION_LIMIT)

    def __init__(self, bot: Bot, engine: Engine) -> None:
        self.bot = bot
        self.engine = engine
        self._answered: set[str] = set()  # pressed buttons already answered with a toast

    def dispatcher(self) -> Dispatcher:
        router = Router(name="tynchtyk")
        router.message.register(self.on_message)
        router.callback_query.register(self.on_callback, F.data)
        dispatcher = Dispatcher()
        dispatcher.include_router(router)
        return dispatcher

    async def on_message(self, message: Message, event_update: Update) -> None:
        incoming = message_to_incoming(message, event_update.update_id)
        if incoming is not None:
            await self.engine.handle(incoming, self)

    async def on_callback(self, query: CallbackQuery, event_update: Update) -> None:
        incoming = callback_to_incoming(query, event_update.update_id)
        try:
            if incoming is not None:
                await self.engine.handle(incoming, self)
        finally:
            if query.id in self._answered:
                self._answered.discard(query.id)
            else:
                try:
                    await self.bot.answer_callback_query(query.id)
                except TelegramAPIError:
                    pass  # too old to answer: the person already sees the new menu

    async def deliver(self, incoming: Incoming, effects: list[Effect]) -> Delivery:
        # The outbox sender keeps its own pace and its own retries: its sends try once.
        call = self._caller(attempts=1 if incoming.scheduled else 3)
        delivery = Delivery()
        chat_id = int(incoming.chat_key)
        menu_message = int(incoming.message_id) if incoming.kind is IncomingKind.ACTION and incoming.message_id else None
        try:
            for effect in effects:
                if isinstance(effect, DeleteMessages):
                    delivery.deleted_message_ids.extend(await self._delete(call, chat_id, effect.message_ids))
                    menu_message = None
                    continue
                if isinstance(effect, Toast):
                    if incoming.callback_id and incoming.callback_id not in self._answered:
                        await call(AnswerCallbackQuery(callback_query_id=incoming.callback_id,
                                                       text=effect.text[:TOAST_LIMIT], show_alert=True))
                        self._answered.add(incoming.callback_id)
                    else:
                        delivery.sent_message_ids.extend(await self._send(call, chat_id, Reply(effect.text)))
                    continue
                if not isinstance(effect, Reply):
                    continue
                if effect.edit and menu_message is not None and await self._edit(call, chat_id, menu_message, effect):
                    menu_message = None  # the menu is edited once; later replies are new messages
                    continue
                delivery.sent_message_ids.extend(await self._send(call, chat_id, effect))
        except TelegramForbiddenError:
            delivery.blocked = True
        except TelegramRetryAfter as error:
            delivery.retry_after = float(error.retry_after)
        except SendInDoubt as doubt:
            delivery.in_doubt = True
            log_event(logger, "send in doubt, not sent again", logging.WARNING, method=doubt.method, error=doubt.reason,
                      scheduled=incoming.scheduled, user=user_ref(incoming.channel, incoming.user_key))
        except (TelegramAPIError, ClientDecodeError, DeliveryFailed) as error:
            delivery.failed = True
            log_event(logger, "delivery failed", logging.WARNING, error=_failure_name(error))
        return delivery

    async def download(self, media: Media) -> bytes:
        """A file she sent (getFile, then the file download), for evidence."""
        buffer = await self.bot.download(media.file_id)
        if buffer is None:
            raise DeliveryFailed("empty download")
        return buffer.read()

    async def register_commands(self, content: Content) -> None:
        """The command list in each language (setMyCommands with language_code), and a default."""
        call = self._caller(attempts=3)
        for language in (*LANGUAGES, None):
            commands = [
                BotCommand(command=name, description=content.catalog.text(language or "ru", f"command-{name}"))
                for name in COMMANDS
            ]
            await call(SetMyCommands(commands=commands, scope=BotCommandScopeDefault(), language_code=language))

    async def _send(self, call: Caller, chat_id: int, reply: Reply) -> list[str]:
        markup = keyboard(reply)
        if reply.file is not None:
            upload = BufferedInputFile(reply.file.content, filename=reply.file.file_name)
            caption = reply.text[:self.capabilities.caption_limit] or None
            method: TelegramMethod[SentMessage]
            if reply.file.kind == "photo":
                method = SendPhotoFile(chat_id=chat_id, photo=upload, caption=caption, reply_markup=markup)
            else:
                method = SendDocumentFile(chat_id=chat_id, document=upload, caption=caption, reply_markup=markup)
            return [str((await call(method)).message_id)]
        chunks = split_text(reply.text, TEXT_LIMIT)
        sent = []
        for index, chunk in enumerate(chunks):
            last = index == len(chunks) - 1
            message = await call(SendText(chat_id=chat_id, text=chunk, reply_markup=markup if last else None))
            sent.append(str(message.message_id))
        return sent

    async def _edit(self, call: Caller, chat_id: int, message_id: int, reply: Reply) -> bool:
        if reply.file is not None or len(reply.text) > TEXT_LIMIT:
            return False
        try:
            await call(EditText(chat_id=chat_id, message_id=message_id, text=reply.text, reply_markup=keyboard(reply)))
        except TelegramBadRequest as error:
            return "message is not modified" in error.message
        return True

    async def _delete(self, call: Caller, chat_id: int, message_ids: tuple[str, ...]) -> list[str]:
        """deleteMessages, a hundred at a time; Telegram skips the ones already gone or older
        than 48 hours."""
        numbers = [int(message_id) for message_id in message_ids if message_id.isdecimal()]
        deleted: list[str] = []
        for start in range(0, len(numbers), DELETE_BATCH):
            batch = numbers[start : start + DELETE_BATCH]
            try:
                await call(DeleteMessagesMethod(chat_id=chat_id, message_ids=batch))
            except TelegramBadRequest:
                continue
            deleted.extend(str(number) for number in batch)
        return deleted

    def _caller(self, attempts: int) -> Caller:
        """Bot API calls that try again, up to `attempts` times: on 429 after as long as told, on a
        server error or a broken connection after a growing pause (0.5 s, 1 s, ...).

        A send is tried again only when Telegram certainly did not carry it out; when it may
        have, `SendInDoubt` is raised at once, whatever `attempts` says: she gets at most one
        copy, and the one in doubt is not repeated even if it never reached her."""

        async def call(method: TelegramMethod[Any]) -> Any:
            for attempt in range(attempts):
                try:
                    return await self.bot(method)
                except TelegramRetryAfter as error:
                    if attempt == attempts - 1:
                        raise
                    await asyncio.sleep(error.retry_after)
                except (TelegramServerError, TelegramNetworkError, ClientDecodeError) as error:
                    if isinstance(method, SENDS) and not not_carried_out(error):
                        raise SendInDoubt(method.__api_method__, _failure_name(error)) from error
                    if attempt == attempts - 1:
                        raise
                    await asyncio.sleep(RETRY_PAUSE * 2**attempt)
            raise DeliveryFailed("no attempt made")

        return call


def keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    return _keyboard(reply.buttons) if reply.buttons else None


@lru_cache(maxsize=512)
def _keyboard(buttons: tuple[tuple[Button, ...], ...]) -> InlineKeyboardMarkup:
    """The same menu (an alert's buttons to thousands of people) is built once."""
    rows = [
        [
            InlineKeyboardButton(text=button.label[:BUTTON_TEXT_LIMIT], url=button.url)
            if button.url
            else InlineKeyboardButton(text=button.label[:BUTTON_TEXT_LIMIT], callback_data=button.action)
            for button in row
        ]
        for row in buttons
    ]
    return InlineKeyboardMarkup(inline_keyboard=rows)


def message_to_incoming(message: Message, update_id: int | None = None) -> Incoming | None:
    if message.from_user is None or message.from_user.is_bot:
        return None
    base = dict(
        channel="telegram",
        user_key=str(message.from_user.id),
        chat_key=str(message.chat.id),
        message_id=str(message.message_id),
        language_hint=message.from_user.language_code,
        private_chat=message.chat.type == "private",
        delivery_key=f"update:{update_id}" if update_id is not None else None,
    )
    if message.text is not None:
        return Incoming(kind=IncomingKind.TEXT, text=message.text, **base)
    if message.location is not None:
        location = Location(message.location.latitude, message.location.longitude)
        return Incoming(kind=IncomingKind.LOCATION, location=location, **base)
    media = _media_of(message)
    if media is not None:
        return Incoming(kind=IncomingKind.MEDIA, media=media, text=message.caption, **base)
    return Incoming(kind=IncomingKind.OTHER, **base)


def callback_to_incoming(query: CallbackQuery, update_id: int | None = None) -> Incoming | None:
    message = query.message
    if message is None or not isinstance(message, Message):
        return None  # an inaccessible message: too old to edit
    return Incoming(
        channel="telegram",
        user_key=str(query.from_user.id),
        chat_key=str(message.chat.id),
        kind=IncomingKind.ACTION,
        action=query.data,
        message_id=str(message.message_id),
        language_hint=query.from_user.language_code,
        private_chat=message.chat.type == "private",
        delivery_key=f"update:{update_id}" if update_id is not None else None,
        callback_id=query.id,
    )


def _media_of(message: Message) -> Media | None:
    if message.photo:
        largest = message.photo[-1]
        return Media("photo", largest.file_id, size=largest.file_size, mime_type="image/jpeg")
    for kind in ("document", "voice", "audio", "video"):
        item = getattr(message, kind)
        if item is not None:
            return Media(
                kind,
                item.file_id,
                file_name=getattr(item, "file_name", None),
                mime_type=getattr(item, "mime_type", None),
                size=item.file_size,
            )
    return None
