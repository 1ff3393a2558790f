"""What a handler receives: the person, her conversation, the session, and a way to answer."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from collections.abc import Awaitable, Callable

from core.router import Router
from core.messages import (
    Button,
    DeleteMessages,
    Effect,
    Incoming,
    Media,
    Notify,
    OutgoingFile,
    Reply,
    Toast,
)
from content import Content
from content.locales import LANGUAGES
from storage import people_repo
from storage.models import Role, User, hour_of
from storage.secrets import Hasher

if TYPE_CHECKING:  # the shell's typed settings; the core needs only their values
    from bot.settings import Settings


class StaleAction(Exception):
    """A button from an old menu, or one that no menu of ours offered."""


class AccessDenied(Exception):
    """The person's role does not allow this; checked in the handler that reads the data."""


@dataclass(frozen=True)
class ChannelCapabilities:
    name: str
    can_delete_messages: bool = False
    keeps_message_ids: bool = False
    redelivers: bool = False  # the same message may arrive twice (WhatsApp): answer each id once
    delivery_receipts: bool = False  # the channel reports later that a message arrived and was read
    start_link: str | None = None  # such as https://t.me/<bot>?start= : links that open the bot
    # The channel's limits: the longest text one message shows, the longest button label it
    # shows whole, the longest caption under a file. Handlers fit what they build to them
    # (ctx.fit_text, ctx.fit_label); the channel's renderer cuts a caption or moves it to a
    # message of its own.
    text_limit: int = 4096
    label_limit: int = 64
    caption_limit: int = 1024


@dataclass
class Context:
    session: AsyncSession
    user: User
    incoming: Incoming
    content: Content
    settings: Settings
    capabilities: ChannelCapabilities
    now: datetime
    state: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    effects: list[Effect] = field(default_factory=list)
    user_deleted: bool = False
    download: Callable[[Media], Awaitable[bytes]] | None = None  # done outside the transaction (Engine._answer)
    cipher: Any = None  # storage.crypto.Cipher: encrypted fields and evidence files
    hasher: Hasher | None = None  # keyed hashes of invite codes
    routes: Router = field(default_factory=lambda: Router("none"))  # every feature's registries, joined
    home_screen: Callable[["Context"], Awaitable[None]] | None = None  # the engine's home hook

    @property
    def hour(self) -> datetime:
        """The time written into rows that name her or belong to a report: no finer than the hour."""
        return hour_of(self.now)

    @property
    def language(self) -> str:
        """Her chosen language; before she chooses, her phone's, if we speak it."""
        if self.user.language:
            return self.user.language
        hint = (self.incoming.language_hint or "").split("-")[0].lower()
        return hint if hint in LANGUAGES else self.settings.default_language

    def t(self, key: str, /, **args: Any) -> str:
        return self.content.catalog.text(self.language, key, **args)

    def reply(
        self,
        text: str,
        buttons: list[list[Button]] | None = None,
        *,
        edit: bool = False,
        file: OutgoingFile | None = None,
    ) -> None:
        rows = tuple(tuple(row) for row in (buttons or []) if row)
        self.effects.append(Reply(text=text, buttons=rows, edit=edit, file=file, language=self.language))

    def notify(
        self, user: User, text: str, buttons: list[list[Button]] | None = None, *, as_staff: bool = False
    ) -> None:
        """A message to someone else, queued in this update's transaction and sent by the outbox.
        `as_staff`: meant for her as a coordinator; not sent if she no longer is one by then."""
        self.effects.append(Notify.to(user, text, buttons, default_language=self.settings.default_language,
                                      as_staff=as_staff))

    def text_for(self, user: User, key: str, /, **args: Any) -> str:
        """A text in another person's language."""
        return self.content.catalog.text(user.language or self.settings.default_language, key, **args)

    def fit_text(self, text: str) -> str:
        """The text cut to what one message of her channel shows, marked with an ellipsis."""
        limit = self.capabilities.text_limit
        return text if len(text) <= limit else text[: limit - 1] + "…"

    def fit_label(self, label: str) -> str:
        """A button label cut to what her channel shows whole."""
        limit = self.capabilities.label_limit
        return label if len(label) <= limit else label[: limit - 1] + "…"

    def delete_messages(self, message_ids: list[str]) -> None:
        self.effects.append(DeleteMessages(tuple(message_ids)))

    def toast(self, text: str) -> None:
        """A short notice that leaves no message behind where the channel can (a pressed button's
        answer on Telegram); elsewhere a message."""
        self.effects.append(Toast(text))

    async def home(self) -> None:
        """The main menu, whichever feature she is in."""
        if self.home_screen is not None:
            await self.home_screen(self)

    async def show(self, screen: str, *args: Any, **kwargs: Any) -> None:
        """Open another feature's screen by the name it registered (`router.screen`)."""
        await self.routes.screens[screen](self, *args, **kwargs)

    async def emit(self, event: str, *args: Any) -> None:
        """Tell the features that listen (`router.on`) that something happened."""
        for listener in self.routes.listeners.get(event, []):
            await listener(self, *args)

    def go(self, state: str | None, /, *, keep: bool = False, **data: Any) -> None:
        """Move to a conversation state; its data replaces the previous state's, or, with
        `keep`, is added to it (the next step of the same dialog)."""
        self.state = state
        self.data = {**self.data, **data} if keep else dict(data)

    def require_role(self, *roles: Role) -> None:
        if self.user.role not in roles:
            raise AccessDenied(self.user.role)

    @property
    def is_staff(self) -> bool:
        return self.user.role in (Role.COORDINATOR, Role.ADMIN)

    async def audit(self, action: str, target: str | None = None, **details: Any) -> None:
        await people_repo.audit(self.session, self.user, action, target, **details)
