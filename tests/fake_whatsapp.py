"""A fake WhatsApp Cloud API (Meta Graph API) server for end-to-end tests.

``FakeGraphAPI`` is a small aiohttp server on 127.0.0.1 (random free port) that speaks
the part of the Graph API a WhatsApp bot uses::

    async with FakeGraphAPI() as graph:      # graph.base_url == "http://127.0.0.1:PORT/v26.0"
        graph.user_wrote("996700123456")     # opens the 24-hour customer service window
        ...                                  # run the bot with WHATSAPP_API_URL=graph.base_url
        sent = await graph.wait_for(lambda s: s.to == "996700123456")

Endpoints (all require ``Authorization: Bearer <token>``, else 401 / code 190):

* ``GET  /{version}/{phone_number_id}``          phone number info
* ``POST /{version}/{phone_number_id}/messages`` sends (text, interactive button/list, image,
  document, template) and mark-as-read; validated as Meta does, violations answer 400 with
  ``error.error_data.details`` naming the reason
* ``POST /{version}/{phone_number_id}/media``    multipart upload, answers ``{"id": ...}``
* ``GET  /{version}/{media_id}``                 media info with a download url
* ``GET  /media-download/{media_id}``            the media bytes

Sends outside the 24-hour window (``last_inbound``) succeed over HTTP but are recorded as
not accepted, with a ``failed`` status (code 131047) queued in ``statuses``, as on Meta.

Faults on demand: error answers (``fail_next``), slow answers (``fail_slow``), a message taken
whose answer comes too late or never (``answer_late``, ``drop_answer``: it is in ``sent``, the
client sees a timeout or a lost connection), and an address that refuses connections for a
while (``stop``, then ``start(graph.port)``: what was sent is kept).

Module-level builders (``text_message``, ``button_reply``, ``list_reply``, ...) produce the
webhook payloads Meta POSTs to the bot; ``post_webhook`` signs and delivers them.
"""

from __future__ import annotations

import asyncio
import copy
import hashlib
import hmac
import itertools
import json
import re
import secrets
import socket
import time
from collections import deque
from collections.abc import Callable, Container
from dataclasses import dataclass
from typing import Any, TypedDict, Unpack

import aiohttp
from aiohttp import BodyPartReader, web
from aiohttp.typedefs import Handler

__all__ = [
    "FakeGraphAPI", "GraphError", "Sent", "button_reply", "image_message", "list_reply",
    "location_message", "post_webhook", "sign", "status_payload", "sticker_message",
    "text_message",
]

JsonDict = dict[str, Any]

WABA_ID = "2000002"
PHONE_NUMBER_ID = "1000001"
DISPLAY_PHONE_NUMBER = "996 555 000 111"
VERIFIED_NAME = "Tynchtyk"
WINDOW_SECONDS = 24 * 3600
MAX_UPLOAD_BYTES = 100 * 1024 * 1024
MESSAGE_TYPES = ("text", "interactive", "image", "document", "template")
SIGNATURE_HEADER = "X-Hub-Signature-256"
RE_ENGAGEMENT_ERROR: JsonDict = {
    "code": 131047,
    "title": "Re-engagement message",
    "message": "Re-engagement message",
    "error_data": {
        "details": "Message failed to send because more than 24 hours have passed since "
        "the customer last replied to this number."
    },
}
_BAD_PARAM_TEXT = re.compile(r"[\n\t]| {5,}")
_inbound_ids = itertools.count(1)


class GraphError(Exception):
    """A Graph API error answer: ``{"error": {"message", "type", "code", ...}}``."""

    def __init__(self, status: int, code: int, message: str, details: str | None = None) -> None:
        super().__init__(details or message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details

    def body(self) -> JsonDict:
        error: JsonDict = {"message": self.message, "type": "OAuthException", "code": self.code}
        if self.details is not None:
            error["error_data"] = {"messaging_product": "whatsapp", "details": self.details}
        error["fbtrace_id"] = "A" + secrets.token_urlsafe(15)
        return {"error": error}


def invalid(details: str) -> GraphError:
    return GraphError(400, 100, "(#100) Invalid parameter", details)


def _no_such_object(node_id: str, verb: str) -> GraphError:
    return GraphError(
        404 if verb == "get" else 400, 100,
        f"Unsupported {verb} request. Object with ID '{node_id}' does not exist, cannot be "
        "loaded due to missing permissions, or does not support this operation.",
    )


@dataclass
class Sent:
    """One message send the fake answered with a message id (accepted or window-failed)."""

    id: str
    to: str
    type: str
    payload: JsonDict
    at: float
    accepted: bool
    answer_lost: bool = False  # taken, but the answer came too late or never

    @property
    def text(self) -> str | None:
        """The person-visible text: body, interactive body, caption or template parameters."""
        content = self.payload.get(self.type, {})
        if self.type == "text":
            return str(content["body"])
        if self.type == "interactive":
            return str(content["body"]["text"])
        if self.type in ("image", "document"):
            return content.get("caption")
        params = [
            str(param["text"])
            for component in content.get("components", [])
            if component.get("type") == "body"
            for param in component.get("parameters", [])
            if param.get("type") == "text"
        ]
        return " ".join(params) or None


# --------------------------------------------------------------------------- validation


def _obj(parent: JsonDict, key: str, path: str) -> JsonDict:
    value = parent.get(key)
    if value is None:
        raise invalid(f"Param {path} is required")
    if not isinstance(value, dict):
        raise invalid(f"Param {path} must be an object")
    return value


def _text(
    parent: JsonDict, key: str, path: str, max_len: int, *, required: bool = True
) -> str | None:
    value = parent.get(key)
    if value is None and not required:
        return None
    if value is None or (isinstance(value, str) and not value.strip()):
        raise invalid(f"Param {path} is required and must not be empty")
    if not isinstance(value, str):
        raise invalid(f"Param {path} must be a string")
    if len(value) > max_len:
        raise invalid(f"Param {path} must be at most {max_len} characters long (got {len(value)})")
    return value


def _validate_buttons(action: JsonDict) -> None:
    buttons = action.get("buttons")
    if not isinstance(buttons, list) or not 1 <= len(buttons) <= 3:
        raise invalid("Param interactive.action.buttons must be a list of 1 to 3 buttons")
    ids: set[str | None] = set()
    titles: set[str | None] = set()
    for i, button in enumerate(buttons):
        path = f"interactive.action.buttons[{i}]"
        if not isinstance(button, dict) or button.get("type") != "reply":
            raise invalid(f"Param {path}.type must be 'reply'")
        reply = _obj(button, "reply", f"{path}.reply")
        button_id = _text(reply, "id", f"{path}.reply.id", 256)
        title = _text(reply, "title", f"{path}.reply.title", 20)
        if title in titles:
            raise invalid(f"Button title {title!r} is not unique within the message")
        if button_id in ids:
            raise invalid(f"Button id {button_id!r} is not unique within the message")
        titles.add(title)
        ids.add(button_id)


def _validate_list(action: JsonDict) -> None:
    _text(action, "button", "interactive.action.button", 20)
    sections = action.get("sections")
    if not isinstance(sections, list) or not 1 <= len(sections) <= 10:
        raise invalid("Param interactive.action.sections must be a list of 1 to 10 sections")
    row_ids: set[str | None] = set()
    total = 0
    for i, section in enumerate(sections):
        path = f"interactive.action.sections[{i}]"
        if not isinstance(section, dict):
            raise invalid(f"Param {path} must be an object")
        _text(section, "title", f"{path}.title", 24, required=len(sections) > 1)
        rows = section.get("rows")
        if not isinstance(rows, list) or not rows:
            raise invalid(f"Param {path}.rows must be a non-empty list")
        total += len(rows)
        for j, row in enumerate(rows):
            row_path = f"{path}.rows[{j}]"
            if not isinstance(row, dict):
                raise invalid(f"Param {row_path} must be an object")
            row_id = _text(row, "id", f"{row_path}.id", 200)
            _text(row, "title", f"{row_path}.title", 24)
            _text(row, "description", f"{row_path}.description", 72, required=False)
            if row_id in row_ids:
                raise invalid(f"Row id {row_id!r} is not unique within the message")
            row_ids.add(row_id)
    if total > 10:
        raise invalid(f"Total row count exceeds max allowed count: 10 (got {total})")


def _validate_interactive(interactive: JsonDict) -> None:
    kind = interactive.get("type")
    if kind not in ("button", "list"):
        raise invalid(f"Param interactive.type must be 'button' or 'list', got {kind!r}")
    body = _obj(interactive, "body", "interactive.body")
    _text(body, "text", "interactive.body.text", 1024 if kind == "button" else 4096)
    if "header" in interactive:
        header = _obj(interactive, "header", "interactive.header")
        if header.get("type") != "text":
            raise invalid("Param interactive.header.type must be 'text'")
        _text(header, "text", "interactive.header.text", 60)
    if "footer" in interactive:
        footer = _obj(interactive, "footer", "interactive.footer")
        _text(footer, "text", "interactive.footer.text", 60)
    action = _obj(interactive, "action", "interactive.action")
    (_validate_buttons if kind == "button" else _validate_list)(action)


def _validate_media(kind: str, media: JsonDict, known_ids: Container[str]) -> None:
    if ("id" in media) == ("link" in media):
        raise invalid(f"Param {kind} must have exactly one of 'id' or 'link'")
    if "id" in media and media["id"] not in known_ids:
        raise invalid("unknown media id")
    link = media.get("link")
    if "link" in media and not (isinstance(link, str) and re.match(r"https?://", link)):
        raise invalid(f"Param {kind}.link must be an http(s) URL")
    _text(media, "caption", f"{kind}.caption", 1024, required=False)
    if kind == "document":
        _text(media, "filename", "document.filename", 240, required=False)


def _validate_template(template: JsonDict, approved: dict[str, set[str]]) -> None:
    name = _text(template, "name", "template.name", 512)
    language = _obj(template, "language", "template.language")
    code = _text(language, "code", "template.language.code", 15)
    if approved and code not in approved.get(str(name), set()):
        raise GraphError(
            404, 132001, "(#132001) Template name does not exist in the translation",
            f"template name ({name}) does not exist in {code}",
        )
    components = template.get("components", [])
    if not isinstance(components, list) or not all(isinstance(c, dict) for c in components):
        raise invalid("Param template.components must be a list of objects")
    for i, component in enumerate(components):
        params = component.get("parameters", [])
        if not isinstance(params, list) or not all(isinstance(p, dict) for p in params):
            raise invalid(f"Param template.components[{i}].parameters must be a list of objects")
        if component.get("type") != "body":
            continue
        for j, param in enumerate(params):
            if param.get("type") != "text":
                continue
            text, path = param.get("text"), f"template.components[{i}].parameters[{j}].text"
            problem = None
            if not isinstance(text, str) or not text.strip():
                problem = f"Param {path} is required and must be a non-empty string"
            elif _BAD_PARAM_TEXT.search(text):
                problem = ("Param text cannot have new-line/tab characters or more than "
                           f"4 consecutive spaces ({path})")
            elif len(text) > 1024:
                problem = f"Param {path} must be at most 1024 characters long (got {len(text)})"
            if problem:
                raise GraphError(
                    400, 132000,
                    "(#132000) There was an issue with the parameters in your template.", problem,
                )


def _validate_message(
    payload: JsonDict, known_media: Container[str], approved: dict[str, set[str]]
) -> tuple[str, str]:
    """Check a send request as Meta does; returns (recipient wa_id, message type)."""
    if payload.get("messaging_product") != "whatsapp":
        raise invalid("Param messaging_product must be 'whatsapp'")
    to = payload.get("to")
    if not isinstance(to, str) or not re.fullmatch(r"\+?[0-9]{5,20}", to):
        raise invalid(f"Param to must be a phone number of digits, got {to!r}")
    if payload.get("recipient_type", "individual") != "individual":
        raise invalid("Param recipient_type must be 'individual'")
    kind = payload.get("type", "text")
    if kind not in MESSAGE_TYPES:
        expected = ", ".join(MESSAGE_TYPES)
        raise invalid(f"Param type {kind!r} is not supported; expected one of {expected}")
    content = _obj(payload, kind, kind)
    if kind == "text":
        _text(content, "body", "text.body", 4096)
        if not isinstance(content.get("preview_url", False), bool):
            raise invalid("Param text.preview_url must be a boolean")
    elif kind == "interactive":
        _validate_interactive(content)
    elif kind == "template":
        _validate_template(content, approved)
    else:
        _validate_media(kind, content, known_media)
    return to.lstrip("+"), kind


# --------------------------------------------------------------------------- the server


class FakeGraphAPI:
    """In-process fake of the WhatsApp Cloud API; see the module docstring."""

    def __init__(
        self,
        token: str = "test-token",
        phone_number_id: str = PHONE_NUMBER_ID,
        display_phone_number: str = DISPLAY_PHONE_NUMBER,
        version: str = "v26.0",
        app_secret: str = "test-app-secret",
    ) -> None:
        self.token = token
        self.phone_number_id = phone_number_id
        self.display_phone_number = display_phone_number
        self.version = version
        self.app_secret = app_secret  # for signing webhooks with post_webhook()
        self.root_url = ""  # http://127.0.0.1:PORT
        self.base_url = ""  # root_url + "/" + version
        self.clock: Callable[[], float] = time.time

        self.enforce_window = True
        self.approved_templates: dict[str, set[str]] = {}  # empty: any template is approved
        self.last_inbound: dict[str, float] = {}
        self.sent: list[Sent] = []
        self.rejected: list[tuple[JsonDict, str]] = []  # (payload, details) of refused sends
        self.statuses: list[JsonDict] = []
        self.read_marks: list[str] = []
        self.uploads: dict[str, tuple[str, str, bytes]] = {}  # media id -> (filename, mime, bytes)
        self.media: dict[str, tuple[bytes, str]] = {}  # inbound media: id -> (bytes, mime)
        self.downloads: list[str] = []

        self._failures: deque[GraphError] = deque()
        self._delays: deque[float] = deque()
        self._lost_answers: deque[float | None] = deque()  # seconds late; None: connection closed
        self._media_ids = itertools.count(3000001)
        self._runner: web.AppRunner | None = None
        self._stopped = asyncio.Event()  # late answers are given at once when the server stops

    # ------------------------------------------------------------------ lifecycle

    async def start(self, port: int = 0) -> str:
        """Start listening on 127.0.0.1:<free port>, or on `port` (the one of an earlier start,
        with what was sent then); returns the versioned base url."""
        app = web.Application(middlewares=[self._middleware])
        app.router.add_get(f"/{self.version}/{{node_id}}", self._get_node)
        app.router.add_post(f"/{self.version}/{{node_id}}/messages", self._post_messages)
        app.router.add_post(f"/{self.version}/{{node_id}}/media", self._post_media)
        app.router.add_get("/media-download/{media_id}", self._download)
        app.router.add_route("*", "/{tail:.*}", self._unknown_path)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=2.0)
        await self._runner.setup()
        self._stopped = asyncio.Event()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # a restart on the same port
        sock.bind(("127.0.0.1", port))
        await web.SockSite(self._runner, sock).start()
        self.root_url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        self.base_url = f"{self.root_url}/{self.version}"
        return self.base_url

    @property
    def port(self) -> int:
        return int(self.root_url.rsplit(":", 1)[1])

    async def stop(self) -> None:
        """Until the next `start`, a connection to its address is refused."""
        self._stopped.set()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeGraphAPI:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    # ------------------------------------------------------------------ test controls

    def user_wrote(self, wa_id: str, at: float | None = None) -> None:
        """Record that the person wrote at ``at`` (default now): opens the 24-hour window."""
        self.last_inbound[wa_id] = self.clock() if at is None else at

    def add_media(self, media_id: str, content: bytes, mime_type: str = "image/jpeg") -> None:
        """Make inbound media (e.g. a photo a person sent) downloadable."""
        self.media[media_id] = (content, mime_type)

    def fail_next(
        self, code: int = 130429, http_status: int = 429, message: str = "Rate limit hit",
        count: int = 1,
    ) -> None:
        """The next ``count`` message sends answer this Graph error instead."""
        self._failures.extend(GraphError(http_status, code, message, message) for _ in range(count))

    def fail_slow(self, seconds: float, count: int = 1) -> None:
        """The next ``count`` message sends are answered only after ``seconds``."""
        self._delays.extend([seconds] * count)

    def answer_late(self, seconds: float, count: int = 1) -> None:
        """The next ``count`` accepted message sends are taken at once (they are in ``sent``)
        but answered ``seconds`` later: a client with a shorter timeout gives up."""
        self._lost_answers.extend([seconds] * count)

    def drop_answer(self, count: int = 1) -> None:
        """The next ``count`` accepted message sends are taken, then the connection is closed
        instead of answering."""
        self._lost_answers.extend([None] * count)

    def sent_to(self, wa_id: str) -> list[Sent]:
        return [sent for sent in self.sent if sent.to == wa_id]

    def texts_to(self, wa_id: str) -> list[str]:
        """Texts of the accepted messages to ``wa_id``, in order (see ``Sent.text``)."""
        return [s.text for s in self.sent_to(wa_id) if s.accepted and s.text is not None]

    def last_to(self, wa_id: str) -> Sent:
        sent = self.sent_to(wa_id)
        if not sent:
            raise AssertionError(f"nothing was sent to {wa_id}")
        return sent[-1]

    async def wait_for(self, predicate: Callable[[Sent], bool], timeout: float = 10.0) -> Sent:
        """The first recorded send matching ``predicate``, polling until ``timeout``."""
        deadline = time.monotonic() + timeout
        while True:
            for sent in self.sent:
                if predicate(sent):
                    return sent
            if time.monotonic() >= deadline:
                summary = [(s.to, s.type, s.text, s.accepted) for s in self.sent]
                raise AssertionError(f"no matching send within {timeout}s; sent: {summary}")
            await asyncio.sleep(0.02)

    # ------------------------------------------------------------------ handlers

    @web.middleware
    async def _middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        try:
            if request.headers.get("Authorization") != f"Bearer {self.token}":
                raise GraphError(401, 190, "Invalid OAuth access token.")
            return await handler(request)
        except GraphError as error:
            return web.json_response(error.body(), status=error.status)

    def _own_number(self, request: web.Request, verb: str) -> None:
        node_id = request.match_info["node_id"]
        if node_id != self.phone_number_id:
            raise _no_such_object(node_id, verb)

    def _media_blob(self, media_id: str) -> tuple[bytes, str] | None:
        if media_id in self.uploads:
            _, mime, content = self.uploads[media_id]
            return content, mime
        return self.media.get(media_id)

    async def _unknown_path(self, request: web.Request) -> web.Response:
        raise GraphError(400, 2500, f"Unknown path components: {request.path}")

    async def _get_node(self, request: web.Request) -> web.Response:
        node_id = request.match_info["node_id"]
        if node_id == self.phone_number_id:
            return web.json_response({
                "display_phone_number": self.display_phone_number,
                "verified_name": VERIFIED_NAME,
                "id": self.phone_number_id,
            })
        blob = self._media_blob(node_id)
        if blob is None:
            raise _no_such_object(node_id, "get")
        content, mime = blob
        return web.json_response({
            "url": f"{self.root_url}/media-download/{node_id}?token=x",
            "mime_type": mime,
            "sha256": hashlib.sha256(content).hexdigest(),
            "file_size": len(content),
            "id": node_id,
            "messaging_product": "whatsapp",
        })

    async def _download(self, request: web.Request) -> web.Response:
        media_id = request.match_info["media_id"]
        blob = self._media_blob(media_id)
        if blob is None:
            raise _no_such_object(media_id, "get")
        self.downloads.append(media_id)
        return web.Response(body=blob[0], content_type=blob[1])

    async def _post_media(self, request: web.Request) -> web.Response:
        self._own_number(request, "post")
        if not request.content_type.startswith("multipart/"):
            raise invalid("media upload must be multipart/form-data")
        fields: dict[str, str] = {}
        upload: tuple[str, bytes] | None = None
        size = 0
        async for part in await request.multipart():
            if not isinstance(part, BodyPartReader):
                continue
            if part.name != "file":
                fields[part.name or ""] = await part.text()
                continue
            chunks: list[bytes] = []
            while chunk := await part.read_chunk(1 << 16):
                size += len(chunk)
                if size <= MAX_UPLOAD_BYTES:
                    chunks.append(chunk)
            upload = (part.filename or "file", b"".join(chunks))
        if fields.get("messaging_product") != "whatsapp":
            raise invalid("Param messaging_product must be 'whatsapp'")
        if not fields.get("type"):
            raise invalid("Param type (the file's MIME type) is required")
        if upload is None:
            raise invalid("Param file is required")
        if size > MAX_UPLOAD_BYTES:
            raise invalid(f"file is {size} bytes; the limit is {MAX_UPLOAD_BYTES} bytes (100 MB)")
        media_id = str(next(self._media_ids))
        self.uploads[media_id] = (upload[0], fields["type"], upload[1])
        return web.json_response({"id": media_id})

    async def _post_messages(self, request: web.Request) -> web.Response:
        self._own_number(request, "post")
        try:
            payload = await request.json()
        except ValueError:
            raise invalid("request body must be JSON") from None
        if not isinstance(payload, dict):
            raise invalid("request body must be a JSON object")
        if payload.get("status") == "read":
            if payload.get("messaging_product") != "whatsapp":
                raise invalid("Param messaging_product must be 'whatsapp'")
            message_id = _text(payload, "message_id", "message_id", 256)
            self.read_marks.append(str(message_id))
            return web.json_response({"success": True})
        if self._delays:
            await asyncio.sleep(self._delays.popleft())
        if self._failures:
            raise self._failures.popleft()
        try:
            to, kind = _validate_message(payload, self.uploads, self.approved_templates)
        except GraphError as error:
            self.rejected.append((payload, error.details or error.message))
            raise
        now = self.clock()
        last = self.last_inbound.get(to)
        accepted = (
            kind == "template" or not self.enforce_window
            or (last is not None and now - last <= WINDOW_SECONDS)
        )
        message_id = f"wamid.{secrets.token_hex(16)}"
        lost = bool(self._lost_answers)
        late_by = self._lost_answers.popleft() if lost else None
        self.sent.append(Sent(message_id, to, kind, payload, now, accepted, answer_lost=lost))
        status: JsonDict = {
            "id": message_id, "status": "sent" if accepted else "failed",
            "timestamp": str(int(now)), "recipient_id": to,
        }
        if not accepted:
            status["errors"] = [copy.deepcopy(RE_ENGAGEMENT_ERROR)]
        self.statuses.append(status)
        if lost and late_by is None and request.transport is not None:
            request.transport.close()
        elif late_by is not None:
            try:
                await asyncio.wait_for(self._stopped.wait(), late_by)
            except TimeoutError:
                pass
        return web.json_response({
            "messaging_product": "whatsapp",
            "contacts": [{"input": payload["to"], "wa_id": to}],
            "messages": [{"id": message_id}],
        })


# --------------------------------------------------------------------------- webhook payloads


class WebhookOptions(TypedDict, total=False):
    """Keyword options shared by the inbound message builders."""

    message_id: str | None  # default: a fresh "wamid.<counter>"
    name: str  # the person's profile name, default "Айгуль"
    phone_number_id: str
    display_phone_number: str
    timestamp: float | None  # unix seconds, default now


def _envelope(value: JsonDict) -> JsonDict:
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": WABA_ID, "changes": [{"value": value, "field": "messages"}]}],
    }


def _metadata(options: WebhookOptions) -> JsonDict:
    return {
        "display_phone_number": re.sub(
            r"\D", "", options.get("display_phone_number", DISPLAY_PHONE_NUMBER)
        ),
        "phone_number_id": options.get("phone_number_id", PHONE_NUMBER_ID),
    }


def _inbound(wa_id: str, kind: str, content: JsonDict, options: WebhookOptions,
             context_id: str | None = None) -> JsonDict:
    timestamp = options.get("timestamp")
    message: JsonDict = {
        "from": wa_id,
        "id": options.get("message_id") or f"wamid.{next(_inbound_ids)}",
        "timestamp": str(int(time.time() if timestamp is None else timestamp)),
        "type": kind,
        kind: content,
    }
    if context_id is not None:
        message["context"] = {"from": _metadata(options)["display_phone_number"], "id": context_id}
    return _envelope({
        "messaging_product": "whatsapp",
        "metadata": _metadata(options),
        "contacts": [{"profile": {"name": options.get("name", "Айгуль")}, "wa_id": wa_id}],
        "messages": [message],
    })


def text_message(wa_id: str, body: str, **options: Unpack[WebhookOptions]) -> JsonDict:
    return _inbound(wa_id, "text", {"body": body}, options)


def button_reply(wa_id: str, button_id: str, title: str, *, context_id: str = "wamid.menu",
                 **options: Unpack[WebhookOptions]) -> JsonDict:
    reply = {"type": "button_reply", "button_reply": {"id": button_id, "title": title}}
    return _inbound(wa_id, "interactive", reply, options, context_id)


def list_reply(wa_id: str, row_id: str, title: str, description: str | None = None, *,
               context_id: str = "wamid.menu", **options: Unpack[WebhookOptions]) -> JsonDict:
    row: JsonDict = {"id": row_id, "title": title}
    if description is not None:
        row["description"] = description
    reply = {"type": "list_reply", "list_reply": row}
    return _inbound(wa_id, "interactive", reply, options, context_id)


def image_message(wa_id: str, media_id: str, *, caption: str | None = None,
                  mime_type: str = "image/jpeg", sha256: str | None = None,
                  **options: Unpack[WebhookOptions]) -> JsonDict:
    image: JsonDict = {
        "mime_type": mime_type,
        "sha256": sha256 or hashlib.sha256(media_id.encode()).hexdigest(),
        "id": media_id,
    }
    if caption is not None:
        image["caption"] = caption
    return _inbound(wa_id, "image", image, options)


def location_message(wa_id: str, latitude: float, longitude: float, *, name: str | None = None,
                     address: str | None = None, **options: Unpack[WebhookOptions]) -> JsonDict:
    location: JsonDict = {"latitude": latitude, "longitude": longitude}
    if name is not None:
        location["name"] = name
    if address is not None:
        location["address"] = address
    return _inbound(wa_id, "location", location, options)


def sticker_message(wa_id: str, media_id: str, **options: Unpack[WebhookOptions]) -> JsonDict:
    sticker = {"mime_type": "image/webp", "sha256": hashlib.sha256(media_id.encode()).hexdigest(),
               "id": media_id, "animated": False}
    return _inbound(wa_id, "sticker", sticker, options)


def status_payload(statuses: list[JsonDict], *, phone_number_id: str = PHONE_NUMBER_ID,
                   display_phone_number: str = DISPLAY_PHONE_NUMBER) -> JsonDict:
    """The webhook Meta POSTs for delivery statuses (e.g. ``FakeGraphAPI.statuses``)."""
    options = WebhookOptions(
        phone_number_id=phone_number_id, display_phone_number=display_phone_number
    )
    return _envelope({"messaging_product": "whatsapp", "metadata": _metadata(options),
                      "statuses": copy.deepcopy(statuses)})


def sign(body: bytes, app_secret: str) -> str:
    """The X-Hub-Signature-256 header value Meta sends for ``body``."""
    return "sha256=" + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()


async def post_webhook(url: str, payload: JsonDict, app_secret: str | None, *,
                       signature: str | None = None) -> tuple[int, str]:
    """POST ``payload`` as Meta does: compact JSON, signed with ``app_secret`` unless an explicit
    ``signature`` is given (no signature header when both are None); returns (status, text)."""
    body = json.dumps(payload, separators=(",", ":")).encode()  # non-ASCII \u-escaped, as Meta
    headers = {"Content-Type": "application/json"}
    if signature is not None:
        headers[SIGNATURE_HEADER] = signature
    elif app_secret is not None:
        headers[SIGNATURE_HEADER] = sign(body, app_secret)
    async with aiohttp.ClientSession() as session:
        async with session.post(url, data=body, headers=headers) as response:
            return response.status, await response.text()
