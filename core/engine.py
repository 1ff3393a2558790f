"""The conversation engine: one Incoming in, Replies out.

For each update it loads the person and her conversation, calls the handler that answers it,
saves the state and commits once; then the channel renders the replies. One person's updates run
in order, never two at once. Errors stop here: the person gets a clear message in her language,
her saved state is untouched, the log gets the details without her words.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import functools
import hashlib
import logging
import secrets
import time
import unicodedata
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Protocol, TYPE_CHECKING, cast

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.actions import InvalidAction, decode
from core.context import AccessDenied, ChannelCapabilities, Context, StaleAction
from core.flood import FloodGuard, FloodVerdict
from core.logs import log_event, user_ref
from core.messages import (
    Delivery,
    Effect,
    Incoming,
    IncomingKind,
    Media,
    Notify,
    Reply,
    Toast,
    within_reply_window,
)
from core.router import Router, join
from content import Content
from content.locales import LANGUAGES
from storage import outbox_repo, people_repo
from storage.crypto import Cipher, DecryptionError
from storage.db import erase_deleted_pages
from storage.models import Role, User, hour_of, utcnow
from storage.secrets import Hasher

if TYPE_CHECKING:  # the shell's typed settings; the core needs only their values
    from bot.settings import Settings

logger = logging.getLogger("tynchtyk.engine")

PERSON_LOCKS = 1  # the first number of PostgreSQL advisory locks on a person (the scheduler's is 2)
# Files of one update fetched outside its transaction (an update carries one); any further one a
# handler asks for is downloaded inside it, so that an update runs its transaction a bounded number of times.
FILES_FETCHED_FIRST = 2
MIN_TYPED_PREFIX = 4  # letters of a button's label that, typed, press it when no other label starts so


class OutputChannel(Protocol):
    capabilities: ChannelCapabilities

    async def deliver(self, incoming: Incoming, effects: list[Effect]) -> Delivery: ...


class MediaSource(Protocol):
    async def download(self, media: Media) -> bytes: ...


class QueuedDelivery(Protocol):
    """The outbox sender: sends queued rows now (they stay queued for a later try if it cannot)."""

    async def send_now(self, row_ids: list[int]) -> None: ...


@dataclass
class Hooks:
    """Handlers the engine itself needs: the home menu, and what to do with an unknown user."""

    home: Callable[[Context], Awaitable[None]]
    not_understood: Callable[[Context], Awaitable[None]]
    onboarding: Callable[[Context], Awaitable[None]]


@dataclass
class Engine:
    settings: Settings
    sessions: async_sessionmaker[AsyncSession]
    content: Content
    cipher: Cipher
    routers: list[Router]
    hooks: Hooks
    clock: Callable[[], datetime] = utcnow
    flood: FloodGuard | None = None
    hasher: Hasher | None = None
    outbox: QueuedDelivery | None = None  # set by the wiring once the sender exists
    _routes: Router = field(init=False)
    _locks: weakref.WeakValueDictionary[str, asyncio.Lock] = field(
        init=False, default_factory=weakref.WeakValueDictionary
    )
    _action_arity: dict[str, int] = field(init=False)
    _outbound: dict[str, OutputChannel] = field(init=False, default_factory=dict)
    # Ids of messages just sent, written with the next transaction instead of one of their own.
    _unsaved_ids: list[tuple[int, str, list[str], datetime]] = field(init=False, default_factory=list)
    _in_flight: int = field(init=False, default=0)
    _idle: asyncio.Event = field(init=False, default_factory=asyncio.Event)
    _flush: asyncio.Task[None] | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        if self.hasher is None:
            self.hasher = Hasher(secrets.token_bytes(32))
        self._routes = join(self.routers)
        self._action_arity = {route: spec.arity for route, spec in self._routes.actions.items()}
        if self.flood is None:
            self.flood = FloodGuard(
                self.settings.flood_max_updates,
                self.settings.flood_window_seconds,
                self.settings.flood_mute_seconds,
            )

    async def handle(self, incoming: Incoming, channel: OutputChannel) -> list[Effect]:
        """Answer one update and deliver the answer; returns what was delivered."""
        if incoming.text:
            incoming = replace(incoming, text=without_control_characters(incoming.text))
        self._in_flight += 1
        self._idle.clear()
        try:
            return await self._handle_in_order(incoming, channel)
        finally:
            self._in_flight -= 1
            if self._in_flight == 0:
                self._idle.set()

    def register_channel(self, channel: OutputChannel) -> None:
        """A channel that messages to other people (notifications) can go out through."""
        self._outbound[channel.capabilities.name] = channel

    @property
    def routes(self) -> Router:
        """Every feature's routes and registries, joined."""
        return self._routes

    @property
    def channels(self) -> dict[str, OutputChannel]:
        """The registered channels, by name (the sender's view of them: it sees later ones too)."""
        return self._outbound

    async def drain(self, timeout: float) -> None:
        """Wait until the updates being handled are answered, for a clean stop."""
        if self._in_flight:
            try:
                await asyncio.wait_for(self._idle.wait(), timeout)
            except TimeoutError:
                log_event(logger, "stopped with updates in flight", logging.WARNING, count=self._in_flight)
        await self.save_message_ids()

    async def save_message_ids(self) -> None:
        pending = self._take_unsaved_ids()
        if not pending:
            return
        try:
            async with self.sessions() as session, session.begin():
                await people_repo.remember_messages(session, pending)
        except (SQLAlchemyError, OSError):
            self._put_back_unsaved_ids(pending)
            raise

    def _save_ids_soon(self) -> None:
        """Ids of sent messages ride along with the next update's transaction; when none comes
        within a second, they are written on their own, so that a stop loses none of them."""
        if self._flush is not None and not self._flush.done():
            return

        async def flush_later() -> None:
            await asyncio.sleep(1.0)
            try:
                await self.save_message_ids()
            except (SQLAlchemyError, OSError):
                log_event(logger, "could not save message ids", logging.WARNING, exc_info=True)

        self._flush = asyncio.get_running_loop().create_task(flush_later())

    def _take_unsaved_ids(self) -> list[tuple[int, str, list[str], datetime]]:
        pending, self._unsaved_ids = self._unsaved_ids, []
        return pending

    def _put_back_unsaved_ids(self, pending: list[tuple[int, str, list[str], datetime]]) -> None:
        """Their transaction was rolled back: they go with the next one."""
        if pending:
            self._unsaved_ids[:0] = pending
            self._save_ids_soon()

    async def _handle_in_order(self, incoming: Incoming, channel: OutputChannel) -> list[Effect]:
        key = f"{incoming.channel}:{incoming.user_key}"
        lock = self._locks.get(key)
        if lock is None:
            lock = self._locks[key] = asyncio.Lock()
        async with lock:
            started = time.perf_counter()
            verdict = self.flood.check(key) if self.flood and not incoming.scheduled else FloodVerdict.PASS
            if verdict is FloodVerdict.DROP:
                return await self._answer_muted(incoming, channel)
            if verdict is FloodVerdict.WARN:
                effects: list[Effect] = [Reply(self._text(incoming.language_hint, "flood-slow-down"))]
                user_id, queued = None, []
                delivery = await channel.deliver(incoming, effects)
            elif not incoming.private_chat:
                effects, user_id, queued = self._group_answer(incoming), None, []
                delivery = await channel.deliver(incoming, effects)
            else:
                async with self._her_turn() as sessions:
                    effects, user_id, window_open, queued = await self._answer(incoming, channel, sessions)
                    if not window_open:
                        incoming = replace(incoming, window_open=False)
                    effects = await self._build_files(effects, incoming.language_hint)
                    delivery = await channel.deliver(incoming, [effect for effect in effects if not isinstance(effect, Notify)])
            await self._after_delivery(incoming, channel.capabilities, user_id, delivery)
            if queued and self.outbox is not None:
                await self.outbox.send_now(queued)
            log_event(
                logger,
                "update",
                user=user_ref(incoming.channel, incoming.user_key),
                kind=incoming.kind.value,
                ms=round((time.perf_counter() - started) * 1000, 2),
            )
            return effects

    @contextlib.asynccontextmanager
    async def _her_turn(self) -> AsyncIterator[Callable[[], AsyncSession]]:
        """Where her update's transaction runs. On PostgreSQL, on a connection held until her
        replies are delivered: the lock on her that the transaction takes (`hold_person`) lasts
        that long, so that her next update, taken by another process, waits until these replies
        are out and hers never arrive in swapped order. (Within a process the engine's own lock
        already orders them; SQLite serves one process.) The price is one statement, and a
        pooled connection kept for the time of a send."""
        engine = self.sessions.kw.get("bind")
        if engine is None or engine.dialect.name != "postgresql":
            yield self.sessions
            return
        connection = None
        with contextlib.suppress(SQLAlchemyError, OSError, TimeoutError):
            connection = await engine.connect()
        if connection is None:  # the database is away: her transaction fails too, and she is told to try again
            yield self.sessions
            return
        try:
            yield functools.partial(self.sessions, bind=connection)
        finally:
            try:  # outside any transaction: one statement, no COMMIT
                await connection.execution_options(isolation_level="AUTOCOMMIT")
                await connection.execute(text("SELECT pg_advisory_unlock_all()"))
            except (SQLAlchemyError, OSError, TimeoutError):
                with contextlib.suppress(SQLAlchemyError, OSError, TimeoutError):
                    await connection.invalidate()  # a lock must never stay on a pooled connection
            finally:
                with contextlib.suppress(SQLAlchemyError, OSError, TimeoutError):
                    await connection.close()

    async def _build_files(self, effects: list[Effect], language_hint: str | None) -> list[Effect]:
        """The files of these replies that are made once the transaction has committed
        (`OutgoingFile.build`), built; one that cannot be built becomes a reply saying so."""
        built: list[Effect] = []
        for effect in effects:
            if isinstance(effect, Reply) and effect.file is not None and effect.file.build is not None:
                try:
                    content = await effect.file.build()
                except Exception:
                    log_event(logger, "file not built", logging.ERROR, exc_info=True)
                    effect = Reply(self._text(effect.language or language_hint, "error-generic"), effect.buttons,
                                   language=effect.language)
                else:
                    effect = replace(effect, file=replace(effect.file, content=content, build=None))
            built.append(effect)
        return built

    async def _answer_muted(self, incoming: Incoming, channel: OutputChannel) -> list[Effect]:
        """During the flood mute a pressed button gets a short notice, so that the bot does not
        look dead; typed messages get nothing more than the warning. No database work here."""
        if incoming.kind is not IncomingKind.ACTION:
            return []
        effects: list[Effect] = [Toast(self._text(incoming.language_hint, "flood-muted"))]
        await channel.deliver(incoming, effects)
        return effects

    async def _answer(
        self, incoming: Incoming, channel: OutputChannel, sessions: Callable[[], AsyncSession]
    ) -> tuple[list[Effect], int | None, bool, list[int]]:
        """The replies, her user id when her state was saved, whether free-form messages may
        reach her now (a scheduled send on WhatsApp after 24 hours of silence may not), and the
        outbox rows this update queued for other people.

        A file the handler downloads (`ctx.download`) is fetched outside the transaction: the
        first time it asks, the transaction is rolled back, the file fetched, and the update run
        again with it. (A file she is sent is built after the commit: `OutgoingFile.build`.) On
        SQLite a transaction that has written holds the one write lock, and a long wait inside it
        made every other person's update wait too. Her own next update still waits (the engine's
        lock on her is held), and nothing reaches anyone before the pass that commits."""
        # Ids of the messages sent since the last transaction; written with hers, in one statement.
        taken_ids = self._take_unsaved_ids()
        now = self.clock()  # one moment for every pass: what they do is the same again
        fetched: dict[str, bytes | Exception] = {}  # by file id: the file, or the error its download gave
        while True:
            download = _download(channel, fetched, fetch_first=len(fetched) < FILES_FETCHED_FIRST)
            try:
                return await self._answer_once(incoming, channel, sessions, now, list(taken_ids), download)
            except _FetchFirst as wanted:
                fetched[wanted.media.file_id] = await _fetch(channel, wanted.media)

    async def _answer_once(
        self, incoming: Incoming, channel: OutputChannel, sessions: Callable[[], AsyncSession], now: datetime,
        unsaved_ids: list[tuple[int, str, list[str], datetime]], download: Callable[[Media], Awaitable[bytes]] | None,
    ) -> tuple[list[Effect], int | None, bool, list[int]]:
        capabilities = channel.capabilities
        language = self._language_guess(incoming.language_hint)
        deleted = False
        try:
            async with sessions() as session, session.begin():
                await hold_person(session, incoming.channel, incoming.user_key)
                delivery_key = incoming.delivery_key or (incoming.message_id if capabilities.redelivers else None)
                if (
                    delivery_key
                    and not incoming.scheduled
                    and not await people_repo.first_delivery(session, self.hasher, incoming.channel, delivery_key, now)
                ):
                    await people_repo.remember_messages(session, unsaved_ids)
                    return [], None, True, []  # delivered again by the channel: answered already
                if incoming.scheduled:
                    found = await people_repo.find_person(session, incoming.channel, incoming.user_key)
                    if found is None:
                        await people_repo.remember_messages(session, unsaved_ids)
                        return [], None, True, []  # she deleted her data since it was scheduled
                    user, conversation = found
                else:
                    user, conversation = await people_repo.find_or_create_person(
                        session, incoming.channel, incoming.user_key, now
                    )
                language = user.language or language
                await self._apply_configured_admin(session, user)
                window_open = within_reply_window(incoming.channel, user.last_seen_at, now)
                if not incoming.scheduled:
                    # Set only when they change: an attribute set even to its own value makes
                    # every flush of this update look for changes in her row.
                    if user.last_seen_at < hour_of(now):  # the hour only: not a write on every update
                        user.last_seen_at = hour_of(now)
                    if not user.active:
                        user.active = True
                loaded_data = self._decrypt_state(conversation.data)
                loaded_menu = self._decrypt_state(conversation.menu_token, default=[])
                ctx = Context(
                    session=session,
                    user=user,
                    incoming=incoming,
                    content=self.content,
                    settings=self.settings,
                    capabilities=capabilities,
                    now=now,
                    state=conversation.state,
                    data=copy.deepcopy(loaded_data),
                    download=download,
                    cipher=self.cipher,
                    hasher=self.hasher,
                    routes=self._routes,
                    home_screen=self.hooks.home,
                )
                if capabilities.keeps_message_ids and incoming.message_id and incoming.kind != IncomingKind.ACTION:
                    unsaved_ids.append((user.id, incoming.chat_key, [incoming.message_id], now))
                # Before the handler: "Wipe this chat" deletes what is recorded by then.
                await people_repo.remember_messages(session, unsaved_ids)
                await self._dispatch(ctx, [tuple(entry) for entry in loaded_menu])
                queued = await self._queue_notices(session, ctx.effects, now)
                if ctx.user_deleted:
                    deleted = True
                    return ctx.effects, None, True, queued
                changes: dict[str, Any] = {}
                if ctx.state != conversation.state:
                    changes["state"] = ctx.state
                if ctx.data != loaded_data:  # encrypting anew changes the bytes, so only on a change
                    changes["data"] = self.cipher.encrypt_json(ctx.data) if ctx.data else None
                menu = self._last_menu(ctx.effects)
                if menu is not None and menu != loaded_menu:
                    changes["menu_token"] = self.cipher.encrypt_json(menu) if menu else None
                if changes and conversation.updated_at != hour_of(now):
                    changes["updated_at"] = hour_of(now)
                await people_repo.save_conversation(session, user.id, conversation, changes, now)
                return ctx.effects, user.id, window_open or not incoming.scheduled, queued
        except (SQLAlchemyError, OSError, TimeoutError):  # OSError: the database server is away
            deleted = False
            self._put_back_unsaved_ids(unsaved_ids)
            log_event(logger, "database error", logging.ERROR, exc_info=True,
                      user=user_ref(incoming.channel, incoming.user_key))
            return [Reply(self._text(language, "error-try-again"))], None, True, []
        except Exception:
            deleted = False
            self._put_back_unsaved_ids(unsaved_ids)
            log_event(logger, "handler failed", logging.ERROR, exc_info=True,
                      user=user_ref(incoming.channel, incoming.user_key))
            return [Reply(self._text(language, "error-generic"))], None, True, []
        finally:
            if deleted and not await erase_deleted_pages(self.sessions):  # committed: now overwrite what it freed
                log_event(logger, "journal not emptied after a deletion", logging.WARNING)

    async def _dispatch(self, ctx: Context, menu: list[tuple[str, ...]]) -> None:
        try:
            await self._route(ctx, menu)
        except StaleAction:
            ctx.effects.clear()
            ctx.reply(ctx.t("button-expired"))
            await self.hooks.home(ctx)
        except AccessDenied:
            ctx.effects.clear()
            await ctx.audit("access.denied", detail=ctx.incoming.kind.value)
            ctx.reply(ctx.t("access-denied"))
            await self.hooks.home(ctx)

    async def _route(self, ctx: Context, menu: list[tuple[str, ...]]) -> None:
        incoming = ctx.incoming
        text = (incoming.text or "").strip()
        if incoming.kind is IncomingKind.TEXT and text.startswith("/"):
            name, _, payload = text[1:].partition(" ")
            handler = self._routes.commands.get(name.split("@", 1)[0].lower())
            if handler is None:
                ctx.reply(ctx.t("unknown-command"))
                await self.hooks.home(ctx)
            else:
                await handler(ctx, payload.strip())
            return
        if incoming.kind is IncomingKind.ACTION:
            await self._press(ctx, incoming.action)
            return
        state_route = self._routes.states.get(ctx.state or "")
        if incoming.kind is IncomingKind.TEXT:
            accepts_text = state_route is not None and state_route.takes_text(ctx)
            action = match_menu(menu, text, allow_number=not accepts_text)
            if action is not None:
                await self._press(ctx, action)
                return
        if ctx.user.language is None and state_route is None:
            await self.hooks.onboarding(ctx)
        elif state_route is not None:
            await state_route.handler(ctx)
        else:
            await self.hooks.not_understood(ctx)

    async def _press(self, ctx: Context, data: str | None) -> None:
        try:
            action = decode(data, self._action_arity)
        except InvalidAction as error:
            raise StaleAction(str(error)) from error
        await self._routes.actions[action.name].handler(ctx, *action.args)

    async def _after_delivery(
        self,
        incoming: Incoming,
        capabilities: ChannelCapabilities,
        user_id: int | None,
        delivery: Delivery,
    ) -> None:
        if user_id is not None and capabilities.keeps_message_ids and delivery.sent_message_ids:
            self._unsaved_ids.append((user_id, incoming.chat_key, list(delivery.sent_message_ids), self.clock()))
            self._save_ids_soon()
        if not delivery.blocked:
            return
        try:
            async with self.sessions() as session, session.begin():
                await people_repo.mark_inactive(session, incoming.channel, incoming.user_key)
        except SQLAlchemyError:
            log_event(logger, "could not record delivery", logging.WARNING, exc_info=True)

    async def _queue_notices(self, session: AsyncSession, effects: list[Effect], now: datetime) -> list[int]:
        """Messages to other people become outbox rows in this update's own transaction: sent
        right after it commits, retried or recorded by the sender, never lost between the two."""
        notices = [effect for effect in effects if isinstance(effect, Notify)]
        return await outbox_repo.queue_notices(session, self.cipher, notices, now, self.settings.default_language)

    def _group_answer(self, incoming: Incoming) -> list[Effect]:
        if incoming.kind is IncomingKind.TEXT and (incoming.text or "").startswith("/"):
            return [Reply(self._text(incoming.language_hint, "group-write-privately"))]
        return []

    async def _apply_configured_admin(self, session: AsyncSession, user: User) -> None:
        """ADMIN_IDS makes an admin; an id taken out of it loses the role at her next update (an
        admin made by `admin add` or in the chat keeps it)."""
        listed = user.channel == "telegram" and user.external_id.isdecimal() and int(user.external_id) in self.settings.admin_ids
        if listed and (user.role != Role.ADMIN or not user.configured_admin):
            if user.role != Role.ADMIN:
                await people_repo.audit(session, None, "role.admin", target=str(user.id), source="ADMIN_IDS")
            user.role, user.configured_admin = Role.ADMIN, True
        elif not listed and user.configured_admin:
            await people_repo.end_staff_role(session, user, self.clock())
            await people_repo.audit(session, None, "role.admin.removed", target=str(user.id), source="ADMIN_IDS")

    def _decrypt_state(self, token: bytes | None, default: Any = None) -> Any:
        empty = {} if default is None else default
        if not token:
            return empty
        try:
            value = self.cipher.decrypt_json(token)
        except DecryptionError:
            log_event(logger, "conversation state unreadable with the current key", logging.ERROR)
            raise
        return value if isinstance(value, type(empty)) else empty

    def _language_guess(self, hint: str | None) -> str:
        code = (hint or "").split("-")[0].lower()
        return code if code in LANGUAGES else self.settings.default_language

    def _text(self, hint_or_language: str | None, key: str) -> str:
        return self.content.catalog.text(self._language_guess(hint_or_language), key)

    @staticmethod
    def _last_menu(effects: list[Effect]) -> list[list[str]] | None:
        """The buttons of the last reply, which typed labels and numbers refer to from now on. A
        file sent without buttons (an export, a chart) leaves the menu above it in force."""
        for effect in reversed(effects):
            if isinstance(effect, Reply) and not (effect.file and not effect.buttons):
                return [[button.label, button.action] for button in effect.flat_buttons if button.action]
        return None


class _FetchFirst(BaseException):
    """A handler's download inside an update's transaction: the engine rolls the transaction
    back, fetches the file and runs the update again. A BaseException, as a cancellation is, so
    that a handler's `except Exception` around its download lets it through."""

    def __init__(self, media: Media) -> None:
        super().__init__(media.kind)
        self.media = media


def _download(channel: OutputChannel, fetched: dict[str, bytes | Exception],
              fetch_first: bool) -> Callable[[Media], Awaitable[bytes]] | None:
    """`ctx.download` for one pass of an update: a file fetched before this pass (or the error its
    download gave), else a request to fetch it outside the transaction first."""
    if getattr(channel, "download", None) is None:
        return None
    source = cast(MediaSource, channel)

    async def download(media: Media) -> bytes:
        if media.file_id in fetched:
            outcome = fetched[media.file_id]
            if isinstance(outcome, Exception):
                raise outcome
            return outcome
        if fetch_first:
            raise _FetchFirst(media)
        return await source.download(media)

    return download


async def _fetch(channel: OutputChannel, media: Media) -> bytes | Exception:
    """The file, or the error its download gave: the handler is given that error in the next
    pass, where it tells her as it would have."""
    try:
        return await cast(MediaSource, channel).download(media)
    except Exception as error:
        return error


async def hold_person(session: AsyncSession, channel: str, user_key: str) -> None:
    """On PostgreSQL, one person's updates never run at once in two processes: a lock on her
    connection, held past the commit until the engine has delivered the replies and lets go
    (`Engine._her_turn`). (Within a process the engine's own lock already orders them.)"""
    if session.bind is None or session.bind.dialect.name != "postgresql":
        return
    digest = hashlib.blake2b(f"{channel}:{user_key}".encode(), digest_size=4).digest()
    await session.execute(
        text("SELECT pg_advisory_lock(:space, :key)"),
        {"space": PERSON_LOCKS, "key": int.from_bytes(digest, "big", signed=True)},
    )


def match_menu(menu: list[tuple[str, ...]], text: str, allow_number: bool) -> str | None:
    """A typed label, or a typed number when numbers are not an answer, presses that button."""
    wanted = _comparable(text)
    if not wanted:
        return None
    for label, action in menu:
        if _comparable(label) == wanted:
            return action
    if allow_number and wanted.isdecimal():  # not isdigit: "¹" is a digit int() cannot read
        index = int(wanted) - 1
        if 0 <= index < len(menu):
            return menu[index][1]
    if allow_number and len(wanted) >= MIN_TYPED_PREFIX:
        # A label shown shortened (WhatsApp's 20-character buttons), typed as she saw it.
        found = [action for label, action in menu if _comparable(label).startswith(wanted)]
        if len(found) == 1:
            return found[0]
    return None


def without_control_characters(text: str) -> str:
    """What a person typed, without NUL and other control characters (PostgreSQL refuses NUL;
    none of them means anything in a chat). Line breaks and tabs stay."""
    if text.isprintable():
        return text
    return "".join(char for char in text if char in "\n\t" or unicodedata.category(char) != "Cc")


def _comparable(label: str) -> str:
    """A label as typed on a phone: no emoji or tick marks, any case, single spaces."""
    kept = "".join(char if char.isalnum() else " " for char in label)
    return " ".join(kept.split()).casefold()
