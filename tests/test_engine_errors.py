"""When a handler fails, the person gets a clear message, her saved state is untouched, and the
log says where it failed without quoting her."""

from __future__ import annotations

import logging

from sqlalchemy import select

import handlers
from bot.app import App
from core.context import Context
from core.engine import Engine
from core.logs import JsonFormatter, quiet_talkative_libraries
from core.router import Router
from storage.models import ChatMessage
from tests.chat import CollectingChannel, ScriptedUser
from tests.databases import stored_bytes
from tests.helpers import onboard

SECRET_WORDS = "my husband beat me at the village council"


def failing_engine(app: App) -> Engine:
    router = Router("broken")

    @router.action("boom")
    async def boom(ctx: Context) -> None:
        ctx.go("onboarding.region", draft="half written")
        raise RuntimeError(f"failed on {ctx.incoming.text} {SECRET_WORDS}")

    @router.state("broken.state")
    async def broken_state(ctx: Context) -> None:
        raise ValueError(ctx.incoming.text)

    return Engine(
        settings=app.settings,
        sessions=app.sessions,
        content=app.content,
        cipher=app.cipher,
        routers=[*handlers.routers(), router],
        hooks=handlers.hooks(),
    )


async def test_a_failing_handler_keeps_the_state_and_answers_in_her_language(app: App, caplog) -> None:
    engine = failing_engine(app)
    user = ScriptedUser(engine, CollectingChannel(), language_hint="en")
    await onboard(user, "ky", None)
    caplog.set_level(logging.INFO)
    await user.press_action("boom")
    assert user.text == app.content.catalog.text("ky", "error-generic")
    await user.send("/menu")
    assert "Башкы меню" in user.text  # nothing of the failed update was saved
    formatted = "\n".join(JsonFormatter().format(record) for record in caplog.records)
    assert "RuntimeError" in formatted and "boom" in formatted
    assert SECRET_WORDS not in formatted


async def test_the_ids_of_messages_sent_before_a_failed_update_are_kept(app: App) -> None:
    """They were to be written with the next update's transaction, which was rolled back: they go
    with the one after it (or on their own), so that "Wipe this chat" still finds them."""
    engine = failing_engine(app)
    channel = CollectingChannel()
    user = ScriptedUser(engine, channel, language_hint="en")
    await onboard(user, "en", None)
    main_menu = channel.sent[-1][0]
    await user.press_action("boom")
    await engine.save_message_ids()
    async with app.sessions() as session:
        kept = set(await session.scalars(select(ChatMessage.message_id)))
    assert main_menu in kept


async def test_logs_never_hold_message_text(app: App, make_user, caplog) -> None:
    quiet_talkative_libraries()
    caplog.set_level(logging.DEBUG)
    user = make_user(user_key="99887766", language_hint="en")
    await onboard(user, "en", None)
    await user.send(SECRET_WORDS + " +996 555 123 456")
    formatted = "\n".join(JsonFormatter().format(record) for record in caplog.records)
    assert '"event": "update"' in formatted
    assert "village council" not in formatted and "555 123" not in formatted
    assert "99887766" not in formatted  # user ids are hashed


async def test_what_she_types_into_a_dialog_is_encrypted_at_rest(app: App, settings) -> None:
    router = Router("draft")

    @router.action("note")
    async def start_note(ctx: Context) -> None:
        ctx.go("draft.note")
        ctx.reply("Write your note")

    @router.state("draft.note")
    async def keep_note(ctx: Context) -> None:
        ctx.data["note"] = ctx.incoming.text
        ctx.reply("Kept")

    engine = Engine(
        settings=app.settings,
        sessions=app.sessions,
        content=app.content,
        cipher=app.cipher,
        routers=[*handlers.routers(), router],
        hooks=handlers.hooks(),
    )
    user = ScriptedUser(engine, CollectingChannel(), language_hint="en")
    await onboard(user, "en", None)
    await user.press_action("note")
    await user.send(SECRET_WORDS)
    assert user.text == "Kept"
    await app.database.dispose()  # checkpoint and close, so that every byte is in the files
    raw = await stored_bytes(settings.effective_database_url, settings.data_dir)
    assert b"draft.note" in raw  # the state name is plain, so the search is on the right file
    assert SECRET_WORDS.encode() not in raw
