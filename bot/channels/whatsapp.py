"""WhatsApp through the Cloud API: the webhook turns Meta's payloads into `Incoming`, `Reply`s
become `/messages` calls within WhatsApp's limits.

A thin client of our own on aiohttp rather than pywa: pywa's `GraphAPI` sets its session's base
URL to `https://graph.facebook.com/v{version}` in its constructor (pywa 4.5.0, `pywa/api.py`), so
`WHATSAPP_API_URL` (a business solution provider's endpoint, the tests' fake server) could be
honoured only by patching it after the fact. We use a small part of the API (send, upload, the
media download, the webhook), and aiohttp already serves our webhooks.

Rendering: up to 3 buttons become reply buttons, up to 10 a list message, more a numbered text;
titles are shortened so that nothing is rejected for length, and a typed number or label works
as the button. Link buttons become lines of the text. WhatsApp cannot edit or delete messages:
an edited menu is sent anew. Outside the 24-hour window a scheduled message goes out as the
approved template, or not at all.

A message (a `/messages` POST) is sent again only when Meta certainly did not take it: the
connection was never made, or Meta refused it (a 4xx answer; a rate limit is waited out). When
the answer is lost (a timeout, the connection dropped mid-answer, a 5xx, a 200 without the
message's id) it may be on her phone: the send is reported in doubt and never repeated, here or
by the outbox. So at worst she gets one copy; she may miss a message in doubt that did not
arrive after all. A media upload leaves nothing in her chat and may be repeated.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import mimetypes
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import replace
from datetime import datetime, timezone
from typing import Any

import aiohttp
from aiohttp import web

from core.context import ChannelCapabilities
from core.logs import log_event, user_ref
from core.messages import (
    Button,
    Delivery,
    Effect,
    Incoming,
    IncomingKind,
    Location,
    Media,
    OutgoingFile,
    Receipt,
    Reply,
    Toast,
    split_text,
)
from bot.channels.network import never_connected
from bot.settings import Settings
from content import Content

logger = logging.getLogger("tynchtyk.whatsapp")

TEXT_LIMIT = 4096
BUTTON_BODY_LIMIT = 1024
CAPTION_LIMIT = 1024
MAX_REPLY_BUTTONS = 3
BUTTON_TITLE_LIMIT = 20
MAX_LIST_ROWS = 10
ROW_TITLE_LIMIT = 24
ROW_DESCRIPTION_LIMIT = 72
LIST_BUTTON_LIMIT = 20
TEMPLATE_PARAMETER_LIMIT = 1024

# Graph API error codes (Meta's "Cloud API error codes" reference).
RATE_LIMITED = frozenset({4, 80007, 130429, 131048, 131056})
WINDOW_CLOSED = 131047  # re-engagement: more than 24 hours since she last wrote
PERMANENT = frozenset({100, 131026, 131050, 131051, 132000, 132001})
RATE_LIMIT_WAIT = 5.0  # seconds, when Meta gives no Retry-After
RETRY_PAUSE = 0.5  # seconds before the second try of a message that never reached Meta

ACK_SECONDS = 10.0  # answer Meta's POST by then even if a reply is still being sent
RECEIPTS_PER_WRITE = 500  # delivery receipts written by one transaction, at most
MEDIA_KINDS = {"image": "photo", "document": "document", "audio": "audio", "video": "video"}
DOCUMENT_TYPES = frozenset({
    "application/pdf", "text/plain", "application/msword", "application/vnd.ms-excel",
    "application/vnd.ms-powerpoint",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
})

Message = dict[str, Any]  # one /messages body, without `messaging_product` and `to`
Words = Callable[[str], str]  # a text of ours, in the language of the reply


class GraphError(Exception):
    def __init__(self, status: int, code: int | None, retry_after: float | None = None) -> None:
        super().__init__(f"HTTP {status}, code {code}")
        self.status = status
        self.code = code
        self.retry_after = retry_after


class MessageInDoubt(Exception):
    """A message whose answer was lost: Meta may have delivered it. It is not sent again."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # the error's type (TimeoutError, ...) or "HTTP 503"


def not_carried_out(error: Exception) -> bool:
    """Whether Meta certainly did not take the message whose send failed with this error: it
    answered with a refusal (4xx), or the request never reached it."""
    if isinstance(error, GraphError):
        return 400 <= error.status < 500
    return never_connected(error)


class GraphClient:
    """The few Graph API calls the bot makes, against `WHATSAPP_API_URL`."""

    def __init__(self, base_url: str, token: str, phone_number_id: str, timeout: float = 30.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.phone_number_id = phone_number_id
        self._headers = {"Authorization": f"Bearer {token}"}
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._session: aiohttp.ClientSession | None = None

    @property
    def session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(headers=self._headers, timeout=self._timeout)
        return self._session

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()

    async def send(self, to: str, message: Message) -> str:
        body = {"messaging_product": "whatsapp", "recipient_type": "individual", "to": to, **message}
        answer = await self._call("POST", f"/{self.phone_number_id}/messages", json=body)
        try:
            return str(answer["messages"][0]["id"])
        except (KeyError, IndexError, TypeError):
            raise GraphError(200, None) from None  # taken, it seems, but we cannot tell which message

    async def upload(self, file: OutgoingFile) -> str:
        form = aiohttp.FormData()
        mime_type = _mime_type(file)
        form.add_field("messaging_product", "whatsapp")
        form.add_field("type", mime_type)
        form.add_field("file", file.content, filename=file.file_name, content_type=mime_type)
        answer = await self._call("POST", f"/{self.phone_number_id}/media", data=form)
        return str(answer["id"])

    async def download(self, media_id: str) -> bytes:
        """A file she sent: its address first, then the bytes (both need the token)."""
        info = await self._call("GET", f"/{media_id}")
        async with self.session.get(info["url"]) as response:
            if response.status != 200:
                raise GraphError(response.status, None)
            return await response.read()

    async def display_number(self) -> str | None:
        answer = await self._call("GET", f"/{self.phone_number_id}", params={"fields": "display_phone_number"})
        number = answer.get("display_phone_number")
        return str(number) if number else None

    async def _call(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        async with self.session.request(method, self.base_url + path, **kwargs) as response:
            try:
                answer = await response.json(content_type=None)
            except ValueError:
                answer = {}
            if response.status == 200 and isinstance(answer, dict) and "error" not in answer:
                return answer
            error = answer.get("error", {}) if isinstance(answer, dict) else {}
            retry_after = response.headers.get("Retry-After")
            raise GraphError(
                response.status,
                error.get("code") if isinstance(error, dict) else None,
                float(retry_after) if retry_after and retry_after.isdecimal() else None,
            )


class WhatsAppChannel:
    # A label longer than a button's 20 characters is shortened on the button and shown whole
    # under it in a list row (72).
    capabilities = ChannelCapabilities(name="whatsapp", redelivers=True, delivery_receipts=True,
                                       text_limit=TEXT_LIMIT, label_limit=ROW_DESCRIPTION_LIMIT, caption_limit=CAPTION_LIMIT)

    def __init__(
        self,
        settings: Settings,
        engine: Any,  # core.engine.Engine; Any to keep this module free of the engine's imports
        content: Content,
        client: GraphClient | None = None,
        on_receipts: Callable[[list[Receipt]], Awaitable[Any]] | None = None,
    ) -> None:
        if not settings.whatsapp_enabled:
            raise ValueError(f"WhatsApp settings missing: {', '.join(settings.whatsapp_missing) or 'all'}")
        assert settings.whatsapp_token and settings.whatsapp_app_secret and settings.whatsapp_verify_token
        self.settings = settings
        self.engine = engine
        self.content = content
        self.phone_number_id = str(settings.whatsapp_phone_number_id)
        self.client = client or GraphClient(
            settings.whatsapp_api_url, settings.whatsapp_token.get_secret_value(), self.phone_number_id
        )
        self._receipts = ReceiptBatches(on_receipts) if on_receipts is not None else None
        self._app_secret = settings.whatsapp_app_secret.get_secret_value().encode()
        self._verify_token = settings.whatsapp_verify_token.get_secret_value()
        self._tasks: set[asyncio.Task[Any]] = set()

    async def start(self) -> None:
        """Links that open a chat with the bot, with a command typed in: wa.me/<number>?text=…"""
        try:
            number = await self.client.display_number()
        except (GraphError, aiohttp.ClientError, TimeoutError) as error:
            log_event(logger, "phone number not read; no join links", logging.WARNING, error=str(error))
            return
        digits = "".join(char for char in number or "" if char.isdecimal())
        if digits:
            self.capabilities = replace(self.capabilities, start_link=f"https://wa.me/{digits}?text=%2Fstart%20")

    async def close(self) -> None:
        if self._tasks:
            await asyncio.wait(self._tasks, timeout=ACK_SECONDS)
        await self.client.close()

    def add_routes(self, app: web.Application) -> None:
        app.router.add_get(self.settings.whatsapp_webhook_path, self.verify)
        app.router.add_post(self.settings.whatsapp_webhook_path, self.receive)

    async def verify(self, request: web.Request) -> web.Response:
        """Meta's subscription handshake: echo the challenge when the verify token matches."""
        query = request.query
        token = query.get("hub.verify_token", "")
        if query.get("hub.mode") == "subscribe" and hmac.compare_digest(token.encode(), self._verify_token.encode()):
            return web.Response(text=query.get("hub.challenge", ""))
        return web.Response(status=403)

    async def receive(self, request: web.Request) -> web.Response:
        body = await request.read()
        if not self._signed(body, request.headers.get("X-Hub-Signature-256", "")):
            log_event(logger, "webhook refused: bad signature", logging.WARNING)
            return web.Response(status=401)
        try:
            payload = json.loads(body)
        except ValueError:
            return web.Response(status=400)
        incoming, receipts = parse_webhook(payload, self.phone_number_id)
        if receipts and self._receipts is not None and not await self._receipts.record(receipts):
            return web.Response(status=503)  # not recorded: Meta sends the callback again later
        tasks = [self._spawn(self.engine.handle(update, self)) for update in incoming]
        if tasks:  # answer soon: a slow reply must not make Meta deliver the message again
            await asyncio.wait(tasks, timeout=ACK_SECONDS)
        return web.Response(text="ok")

    async def deliver(self, incoming: Incoming, effects: list[Effect]) -> Delivery:
        # A toast has no counterpart here: it is an ordinary message.
        replies = [Reply(effect.text) if isinstance(effect, Toast) else effect
                   for effect in effects if isinstance(effect, (Reply, Toast))]
        delivery = Delivery()
        if not replies:
            return delivery
        attempts = 1 if incoming.scheduled else 3
        try:
            if incoming.scheduled and not incoming.window_open:
                template = self._template(replies)
                if template is None:
                    return Delivery(undeliverable="outside-window")
                delivery.sent_message_ids.append(await self._send(incoming.chat_key, template, attempts))
                return delivery
            for reply in replies:
                if reply.file is not None:
                    media_id = await self.client.upload(reply.file)
                    caption_fits = not reply.buttons and len(reply.text) <= self.capabilities.caption_limit
                    message = file_message(reply.file, media_id, reply.text if caption_fits else None)
                    delivery.sent_message_ids.append(await self._send(incoming.chat_key, message, attempts))
                    if caption_fits:
                        continue
                for message in render(reply, self._words(reply)):
                    delivery.sent_message_ids.append(await self._send(incoming.chat_key, message, attempts))
        except MessageInDoubt as doubt:
            delivery.in_doubt = True
            log_event(logger, "send in doubt, not sent again", logging.WARNING, error=doubt.reason,
                      scheduled=incoming.scheduled, user=user_ref(incoming.channel, incoming.user_key))
        except GraphError as error:
            _record_error(delivery, error)
        except (aiohttp.ClientError, TimeoutError) as error:
            delivery.failed = True
            log_event(logger, "send failed", logging.WARNING, error=type(error).__name__)
        return delivery

    async def download(self, media: Media) -> bytes:
        return await self.client.download(media.file_id)

    async def _send(self, to: str, message: Message, attempts: int) -> str:
        """One message, up to `attempts` tries in all: after a rate limit, and after a connection
        that could not be made. When Meta may have taken it, `MessageInDoubt` at once: she gets
        at most one copy, and the one in doubt is not repeated even if it never reached her."""
        for attempt in range(attempts):
            last = attempt == attempts - 1
            try:
                return await self.client.send(to, message)
            except GraphError as error:
                if not not_carried_out(error):
                    raise MessageInDoubt(f"HTTP {error.status}") from error
                rate_limited = error.code in RATE_LIMITED or error.status == 429
                if not rate_limited or last:
                    raise
                await asyncio.sleep(min(error.retry_after or 1.0 * (attempt + 1), RATE_LIMIT_WAIT))
            except (aiohttp.ClientError, TimeoutError) as error:
                if not not_carried_out(error):
                    raise MessageInDoubt(type(error).__name__) from error
                if last:
                    raise
                await asyncio.sleep(RETRY_PAUSE * 2**attempt)
        raise AssertionError("unreachable")

    def _template(self, replies: list[Reply]) -> Message | None:
        name = self.settings.whatsapp_template
        if not name:
            return None
        language = replies[0].language or self.settings.default_language
        code = self.settings.whatsapp_template_languages.get(language, language)
        return template_message(name, code, "\n".join(reply.text for reply in replies))

    def _words(self, reply: Reply) -> Words:
        language = reply.language or self.settings.default_language
        return lambda key: self.content.catalog.text(language, key)

    def _signed(self, body: bytes, header: str) -> bool:
        expected = "sha256=" + hmac.new(self._app_secret, body, hashlib.sha256).hexdigest()
        return hmac.compare_digest(expected.encode(), header.encode())

    def _spawn(self, work: Awaitable[Any]) -> asyncio.Task[Any]:
        task = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._finished)
        return task

    def _finished(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log_event(logger, "update failed", logging.ERROR, error=type(task.exception()).__name__)


class ReceiptBatches:
    """Delivery receipts written in few transactions: the receipts of the status callbacks that
    arrive while one transaction is being written go together in the next. A callback is
    answered once its own receipts are committed, so none is lost to a crash (Meta sends again
    what was not answered 200); under load, Meta's three callbacks for each message sent cost a
    share of a transaction each instead of one."""

    def __init__(self, write: Callable[[list[Receipt]], Awaitable[Any]]) -> None:
        self._write = write
        self._waiting: list[tuple[list[Receipt], asyncio.Future[bool]]] = []
        self._writer: asyncio.Task[None] | None = None

    async def record(self, receipts: list[Receipt]) -> bool:
        """Whether these receipts are committed, once they are (False: their transaction failed)."""
        committed: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._waiting.append((receipts, committed))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.ensure_future(self._write_waiting())
        return await committed

    async def _write_waiting(self) -> None:
        while self._waiting:
            batch = self._next_batch()
            try:
                await self._write([receipt for receipts, _ in batch for receipt in receipts])
                outcome = True
            except Exception:  # the database is away: these callbacks get a 503, and come again
                log_event(logger, "receipts not recorded", logging.ERROR, exc_info=True, callbacks=len(batch))
                outcome = False
            for _, committed in batch:
                if not committed.done():  # done already when Meta hung up before the answer
                    committed.set_result(outcome)

    def _next_batch(self) -> list[tuple[list[Receipt], asyncio.Future[bool]]]:
        count, taken = 0, 0
        for receipts, _ in self._waiting:
            if taken and count + len(receipts) > RECEIPTS_PER_WRITE:
                break
            count, taken = count + len(receipts), taken + 1
        batch, self._waiting = self._waiting[:taken], self._waiting[taken:]
        return batch


def _record_error(delivery: Delivery, error: GraphError) -> None:
    if error.code in RATE_LIMITED or error.status == 429:
        delivery.retry_after = error.retry_after or RATE_LIMIT_WAIT
    elif error.code == WINDOW_CLOSED:
        delivery.undeliverable = "outside-window"
    elif error.code in PERMANENT:
        delivery.undeliverable = f"whatsapp-{error.code}"
    else:
        delivery.failed = True
    level = logging.ERROR if error.status == 401 or error.code == 190 else logging.WARNING
    log_event(logger, "send refused", level, status=error.status, code=error.code)


# --- Rendering ------------------------------------------------------------------------------

def render(reply: Reply, words: Words) -> list[Message]:
    """The messages that show this reply's text and buttons within WhatsApp's limits."""
    text = reply.text.strip() or "…"
    links = [f"{button.label}: {button.url}" for button in reply.flat_buttons if button.url]
    if links:
        text = text + "\n\n" + "\n".join(links)
    # Two buttons to the same place (a lesson's title and "Next") would share an id, which
    # WhatsApp refuses: the first stands for both.
    actions: list[Button] = []
    for button in reply.flat_buttons:
        if button.action and all(button.action != kept.action for kept in actions):
            actions.append(button)
    if not actions:
        return [text_message(piece) for piece in split_text(text, TEXT_LIMIT)]
    if len(actions) > MAX_LIST_ROWS:
        numbered = "\n".join(f"{number}. {button.label}" for number, button in enumerate(actions, 1))
        menu = f"{text}\n\n{numbered}\n\n{words('whatsapp-number-hint')}"
        return [text_message(piece) for piece in split_text(menu, TEXT_LIMIT)]
    body_limit = BUTTON_BODY_LIMIT if len(actions) <= MAX_REPLY_BUTTONS else TEXT_LIMIT
    *lead, body = _pieces(text, body_limit)
    messages = [text_message(piece) for piece in lead]
    if len(actions) <= MAX_REPLY_BUTTONS:
        titles = unique_titles([button.label for button in actions], BUTTON_TITLE_LIMIT)
        buttons = [
            {"type": "reply", "reply": {"id": button.action, "title": title}}
            for button, title in zip(actions, titles, strict=True)
        ]
        messages.append(_interactive("button", body, {"buttons": buttons}))
        return messages
    titles = unique_titles([button.label for button in actions], ROW_TITLE_LIMIT)
    rows = []
    for button, title in zip(actions, titles, strict=True):
        row: dict[str, str] = {"id": str(button.action), "title": title}
        if title != button.label:  # shortened: the whole label below it
            row["description"] = shorten(button.label, ROW_DESCRIPTION_LIMIT)
        rows.append(row)
    label = shorten(words("whatsapp-list-button"), LIST_BUTTON_LIMIT)
    messages.append(_interactive("list", body, {"button": label, "sections": [{"rows": rows}]}))
    return messages


def text_message(text: str) -> Message:
    return {"type": "text", "text": {"body": text, "preview_url": False}}


def file_message(file: OutgoingFile, media_id: str, caption: str | None) -> Message:
    kind = "image" if file.kind == "photo" else "document"
    content: dict[str, str] = {"id": media_id}
    if kind == "document":
        content["filename"] = file.file_name
    if caption:
        content["caption"] = caption
    return {"type": kind, kind: content}


def template_message(name: str, language_code: str, text: str) -> Message:
    """An approved template whose one body variable carries the text. Meta refuses line breaks,
    tabs and long runs of spaces in a variable, so lines are joined with a middle dot."""
    lines = (" ".join(line.split()) for line in text.splitlines())
    flat = shorten(" · ".join(line for line in lines if line), TEMPLATE_PARAMETER_LIMIT)
    return {
        "type": "template",
        "template": {
            "name": name,
            "language": {"code": language_code},
            "components": [{"type": "body", "parameters": [{"type": "text", "text": flat}]}],
        },
    }


def shorten(label: str, limit: int) -> str:
    label = " ".join(label.split())
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def unique_titles(labels: list[str], limit: int) -> list[str]:
    """Shortened titles, numbered where shortening made two the same (WhatsApp refuses that)."""
    titles: list[str] = []
    for number, label in enumerate(labels, 1):
        title = shorten(label, limit)
        if title in titles:
            suffix = f" {number}"
            title = shorten(label, limit - len(suffix)) + suffix
        titles.append(title)
    return titles


def _pieces(text: str, last_limit: int) -> list[str]:
    """The text in messages of at most 4096 characters, the last within `last_limit`."""
    pieces = split_text(text, TEXT_LIMIT)
    if len(pieces[-1]) > last_limit:
        pieces[-1:] = split_text(pieces[-1], last_limit)
    return pieces


def _interactive(kind: str, body: str, action: dict[str, Any]) -> Message:
    return {"type": "interactive", "interactive": {"type": kind, "body": {"text": body}, "action": action}}


def _mime_type(file: OutgoingFile) -> str:
    guessed = mimetypes.guess_type(file.file_name)[0] or "application/octet-stream"
    if file.kind == "photo" or guessed in DOCUMENT_TYPES:
        return guessed
    return "text/plain" if guessed.startswith("text/") else guessed  # a CSV goes as plain text


# --- Webhook payloads ------------------------------------------------------------------------

def parse_webhook(payload: Any, phone_number_id: str) -> tuple[list[Incoming], list[Receipt]]:
    """Messages and delivery receipts for our phone number, in the order Meta lists them."""
    incoming: list[Incoming] = []
    receipts: list[Receipt] = []
    for value in _values(payload):
        metadata = value.get("metadata") or {}
        if str(metadata.get("phone_number_id", phone_number_id)) != phone_number_id:
            continue  # another number of the same business account
        for message in value.get("messages") or []:
            update = message_to_incoming(message)
            if update is not None:
                incoming.append(update)
        for status in value.get("statuses") or []:
            receipt = status_to_receipt(status)
            if receipt is not None:
                receipts.append(receipt)
    return incoming, receipts


def _values(payload: Any) -> Iterator[dict[str, Any]]:
    if not isinstance(payload, dict) or payload.get("object") != "whatsapp_business_account":
        return
    for entry in payload.get("entry") or []:
        for change in (entry or {}).get("changes") or []:
            if isinstance(change, dict) and change.get("field") == "messages" and isinstance(change.get("value"), dict):
                yield change["value"]


def message_to_incoming(message: dict[str, Any]) -> Incoming | None:
    sender = str(message.get("from") or "")
    kind = message.get("type")
    if not sender or kind in ("reaction", "system", "request_welcome"):
        return None
    base: dict[str, Any] = dict(channel="whatsapp", user_key=sender, chat_key=sender, message_id=message.get("id"),
                                delivery_key=message.get("id"))
    if kind == "text":
        return Incoming(kind=IncomingKind.TEXT, text=str((message.get("text") or {}).get("body", "")), **base)
    if kind == "interactive":
        interactive = message.get("interactive") or {}
        choice = interactive.get(interactive.get("type", "")) or {}
        if interactive.get("type") in ("button_reply", "list_reply") and choice.get("id"):
            return Incoming(kind=IncomingKind.ACTION, action=str(choice["id"]), **base)
    if kind == "button":  # a quick-reply button of a template: as if she typed its words
        return Incoming(kind=IncomingKind.TEXT, text=str((message.get("button") or {}).get("text", "")), **base)
    if kind == "location":
        place = message.get("location") or {}
        try:
            location = Location(float(place["latitude"]), float(place["longitude"]))
        except (KeyError, TypeError, ValueError):
            return Incoming(kind=IncomingKind.OTHER, **base)
        return Incoming(kind=IncomingKind.LOCATION, location=location, **base)
    if kind in MEDIA_KINDS:
        item = message.get(kind) or {}
        if item.get("id"):
            media_kind = "voice" if kind == "audio" and item.get("voice") else MEDIA_KINDS[kind]
            media = Media(media_kind, str(item["id"]), file_name=item.get("filename"), mime_type=item.get("mime_type"))
            return Incoming(kind=IncomingKind.MEDIA, media=media, text=item.get("caption"), **base)
    return Incoming(kind=IncomingKind.OTHER, **base)


def status_to_receipt(status: dict[str, Any]) -> Receipt | None:
    if not isinstance(status, dict) or not status.get("id") or not status.get("status"):
        return None
    try:
        at = datetime.fromtimestamp(int(status.get("timestamp", 0)), tz=timezone.utc)
    except (TypeError, ValueError):
        at = datetime.now(timezone.utc)
    errors = status.get("errors") or []
    error = f"whatsapp-{errors[0].get('code')}" if errors and isinstance(errors[0], dict) else None
    if error == f"whatsapp-{WINDOW_CLOSED}":
        error = "outside-window"
    return Receipt(str(status["id"]), str(status["status"]), at, error)
