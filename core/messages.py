"""The channel-neutral vocabulary: what a person sends (Incoming) and what the bot answers.

Channels turn native updates into `Incoming` and render `Reply` / `DeleteMessages` into native
calls. Handlers see nothing else, so one conversation serves Telegram, WhatsApp and the console.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol

# Channels that take free-form messages only for a while after the person last wrote; after
# that, only pre-approved templates (WhatsApp's 24-hour customer service window).
REPLY_WINDOWS: dict[str, timedelta] = {"whatsapp": timedelta(hours=24)}


def within_reply_window(channel: str, last_message_at: datetime | None, now: datetime) -> bool:
    window = REPLY_WINDOWS.get(channel)
    if window is None:
        return True
    return last_message_at is not None and now - last_message_at < window


class IncomingKind(StrEnum):
    TEXT = "text"
    ACTION = "action"  # a button was pressed
    MEDIA = "media"
    LOCATION = "location"
    OTHER = "other"  # a sticker, a poll, anything we cannot use


@dataclass(frozen=True)
class Media:
    kind: str  # photo | document | voice | audio | video
    file_id: str
    file_name: str | None = None
    mime_type: str | None = None
    size: int | None = None


@dataclass(frozen=True)
class Location:
    latitude: float
    longitude: float


@dataclass(frozen=True)
class Incoming:
    channel: str  # telegram | whatsapp | console
    user_key: str  # the channel's id of the person
    chat_key: str  # where to answer
    kind: IncomingKind
    text: str | None = None
    action: str | None = None
    media: Media | None = None
    location: Location | None = None
    message_id: str | None = None  # the person's message, or the menu a button was pressed on
    language_hint: str | None = None  # from the channel (Telegram's language_code)
    private_chat: bool = True
    scheduled: bool = False  # made by the scheduler, not by the person
    window_open: bool = True  # for a scheduled send: whether free-form messages may go out
    # The channel's id of this delivery, where it may deliver the same thing again (a WhatsApp
    # message id, a Telegram update id): each is answered once.
    delivery_key: str | None = None
    callback_id: str | None = None  # a pressed button's query, which a channel may answer with a toast


@dataclass(frozen=True)
class Button:
    label: str
    action: str | None = None  # a short code decoded by core.actions; None when url is set
    url: str | None = None


@dataclass(frozen=True)
class OutgoingFile:
    file_name: str
    content: bytes
    kind: str = "document"  # document | photo
    # A file made once the update's transaction has committed, just before the reply is sent (a
    # spreadsheet built in a process of its own: a wait inside the transaction would hold others
    # up); `content` is empty until the engine has built it. Channels only see built files.
    build: Callable[[], Awaitable[bytes]] | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Reply:
    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    edit: bool = False  # replace the menu the button was pressed on, where the channel can
    file: OutgoingFile | None = None
    language: str | None = None  # for the words a channel adds itself (a list's button)

    @property
    def flat_buttons(self) -> list[Button]:
        return [button for row in self.buttons for button in row]


@dataclass(frozen=True)
class Toast:
    """A short notice that leaves nothing in the chat where the channel can show one (Telegram's
    answer to a pressed button); elsewhere an ordinary message."""

    text: str


@dataclass(frozen=True)
class DeleteMessages:
    """Remove these messages from the chat, where the channel allows it."""

    message_ids: tuple[str, ...]


@dataclass(frozen=True)
class Notify:
    """A message to someone else (a coordinator, a reporter): the engine writes it to the outbox
    in the update's own transaction, so that it is sent, retried or recorded, never lost."""

    user_id: int
    channel: str
    chat_key: str
    reply: Reply
    as_staff: bool = False  # only while she is a coordinator or an admin

    @classmethod
    def to(cls, person: Person, text: str, buttons: list[list[Button]] | None = None, *,
           default_language: str, as_staff: bool = False) -> Notify:
        """A message to this person's chat, with her language (or the bot's) for the words the
        channel adds itself."""
        rows = tuple(tuple(row) for row in (buttons or []) if row)
        reply = Reply(text=text, buttons=rows, language=person.language or default_language)
        return cls(person.id, person.channel, person.external_id, reply, as_staff=as_staff)


class Person(Protocol):
    """Whom a notice goes to (a `storage.models.User`; the core does not import storage)."""

    id: int
    channel: str
    external_id: str
    language: str | None


Effect = Reply | DeleteMessages | Notify | Toast


def notice_payload(notice: Notify) -> dict[str, object]:
    """A notice as the outbox keeps it (encrypted), to be rendered when it is sent."""
    reply = notice.reply
    return {
        "text": reply.text,
        "buttons": [[[button.label, button.action, button.url] for button in row] for row in reply.buttons],
        "language": reply.language,
        "as_staff": notice.as_staff,
    }


def reply_from_payload(payload: dict[str, object]) -> Reply:
    rows = payload.get("buttons") or []
    buttons = tuple(tuple(Button(label, action, url) for label, action, url in row) for row in rows)  # type: ignore[union-attr]
    return Reply(text=str(payload.get("text") or ""), buttons=buttons, language=payload.get("language"))  # type: ignore[arg-type]


@dataclass
class Delivery:
    """What a channel reports back after rendering effects."""

    sent_message_ids: list[str] = field(default_factory=list)
    deleted_message_ids: list[str] = field(default_factory=list)
    blocked: bool = False  # the person blocked the bot
    retry_after: float | None = None  # the channel asks to wait this long before any more
    failed: bool = False  # another error; worth a later retry
    undeliverable: str | None = None  # why no retry can help (outside WhatsApp's window, say)
    # A message went out and the channel's answer did not come back (a timeout, a connection lost
    # mid-answer, a server error): she may have it. Sending it again could give her a second copy.
    in_doubt: bool = False


@dataclass(frozen=True)
class Receipt:
    """A channel's later word on a message it accepted: delivered, read, or failed after all."""

    message_id: str
    status: str  # sent | delivered | read | failed
    at: datetime
    error: str | None = None


def split_text(text: str, limit: int) -> list[str]:
    """Split at line breaks where possible, so that no piece passes the channel's limit."""
    text = text or "…"
    pieces: list[str] = []
    while len(text) > limit:
        cut = text.rfind("\n", 0, limit)
        if cut <= 0:
            cut = limit
        pieces.append(text[:cut])
        text = text[cut:].lstrip("\n") or ""
    if text:
        pieces.append(text)
    return pieces
