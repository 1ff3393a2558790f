"""The channel-neutral vocabulary: what a person sends (Incoming) and what the bot answers.

Channels turn native updates into `Incoming` and render `Reply` / `DeleteMessages` into native
calls. Handlers see nothing else, so one conversation serves Telegram, WhatsApp and the console.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


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


@dataclass(frozen=True)
class Button:
    label: str
    action: str | None = None  # a short code decoded by bot.actions; None when url is set
    url: str | None = None


@dataclass(frozen=True)
class OutgoingFile:
    file_name: str
    content: bytes
    kind: str = "document"  # document | photo


@dataclass(frozen=True)
class Reply:
    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    edit: bool = False  # replace the menu the button was pressed on, where the channel can
    file: OutgoingFile | None = None

    @property
    def flat_buttons(self) -> list[Button]:
        return [button for row in self.buttons for button in row]


@dataclass(frozen=True)
class DeleteMessages:
    """Remove these messages from the chat, where the channel allows it."""

    message_ids: tuple[str, ...]


@dataclass(frozen=True)
class Notify:
    """A message to someone else (a coordinator, a reporter), delivered after the update commits."""

    channel: str
    chat_key: str
    reply: Reply


Effect = Reply | DeleteMessages | Notify


@dataclass
class Delivery:
    """What a channel reports back after rendering effects."""

    sent_message_ids: list[str] = field(default_factory=list)
    deleted_message_ids: list[str] = field(default_factory=list)
    blocked: bool = False  # the person blocked the bot
    retry_after: float | None = None  # the channel asks to wait this long before any more
    failed: bool = False  # another error; worth a later retry
