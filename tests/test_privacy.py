"""Delete my data, and Wipe this chat."""

from __future__ import annotations

from sqlalchemy import select, text

from bot.app import App
from core.context import ChannelCapabilities
from storage.models import ChatMessage, User
from tests.chat import CollectingChannel, ScriptedUser
from tests.databases import table_names
from tests.helpers import onboard


async def all_rows(app: App) -> dict[str, list[tuple]]:
    async with app.sessions() as session:
        tables = await table_names(session)
        return {table: list((await session.execute(text(f'SELECT * FROM "{table}"'))).all()) for table in tables}


async def test_delete_my_data_leaves_no_row_that_names_her(app: App, make_user) -> None:
    user = make_user(user_key="777001")
    other = make_user(user_key="555")
    await onboard(user, "en", "Osh region")
    await onboard(other, "ru", None)
    await user.press("Settings")
    await user.press("Delete my data")
    assert "cannot be undone" in user.text
    await user.press("Yes, delete my data")
    assert "Your data has been deleted" in user.text

    rows = await all_rows(app)
    dump = repr({table: content for table, content in rows.items() if table != "alembic_version"})
    assert "777001" not in dump
    async with app.sessions() as session:
        remaining = (await session.execute(select(User.channel, User.external_id, User.language).order_by(User.id))).all()
    # the other person is untouched; hers is a blank row, so that her id is never given to anyone else
    assert remaining == [("gone", "1", None), ("telegram", "555", "ru")]


async def test_after_deletion_she_starts_afresh(app: App, make_user) -> None:
    user = make_user(language_hint="en")
    await onboard(user, "ky", "Naryn region" if False else None)
    await user.send("/menu")
    await user.press_action("priv:del_ok")
    await user.send("hello")
    assert "Choose your language" in user.text  # no language remembered


async def test_wipe_this_chat_deletes_what_was_sent_and_received(app: App, make_user, channel: CollectingChannel) -> None:
    user = make_user()
    await onboard(user, "en", None)
    await user.send("/help")
    await user.press("Main menu")
    await user.press("Settings")
    await user.press("Wipe this chat")
    await user.press("Yes, wipe this chat")
    sent_ids = {message_id for message_id, _ in channel.sent}
    assert set(channel.deleted) >= sent_ids  # every message the bot sent
    assert len(channel.deleted) == len(set(channel.deleted))
    assert user.replies == []  # nothing new appears in the emptied chat
    async with app.sessions() as session:
        assert (await session.scalars(select(ChatMessage))).all() == []


async def test_wipe_skips_messages_older_than_48_hours(app: App, make_user, channel: CollectingChannel, clock) -> None:
    from datetime import timedelta

    user = make_user()
    await onboard(user, "en", None)
    old_ids = {message_id for message_id, _ in channel.sent}
    clock.now += timedelta(hours=50)  # ids are kept 49 hours, since their time is kept to the hour
    await user.send("/menu")
    await user.press("Settings")
    await user.press("Wipe this chat")
    await user.press("Yes, wipe this chat")
    assert not old_ids & set(channel.deleted)
    assert channel.deleted


async def test_wipe_where_the_channel_cannot_delete_says_so(app: App) -> None:
    channel = CollectingChannel(capabilities=ChannelCapabilities(name="whatsapp"))
    user = ScriptedUser(app.engine, channel, channel_name="whatsapp")
    await onboard(user, "en", None)
    await user.press("Settings")
    await user.press("Wipe this chat")
    assert "WhatsApp does not let the bot delete messages" in user.text
    assert channel.deleted == []


async def test_message_ids_of_someone_who_deleted_her_data_do_not_break_the_next_update(app: App, make_user) -> None:
    """Sent message ids are written with the next transaction; hers must not be written after she
    is gone (a foreign key would fail someone else's update)."""
    leaving = make_user(user_key="801")
    staying = make_user(user_key="802")
    await onboard(leaving, "en", None)
    await leaving.press("Settings")
    await leaving.press("Delete my data")
    await leaving.press("Yes, delete my data")
    await staying.send("/start")
    assert "Choose your language" in staying.text
    async with app.sessions() as session:
        owners = set((await session.scalars(select(ChatMessage.user_id))).all())
        users = set((await session.scalars(select(User.id))).all())
    assert owners <= users


async def test_the_hourly_cleanup_forgets_old_ids_in_batches_and_keeps_the_recent(app: App, make_user, clock,  # type: ignore[no-untyped-def]
                                                                                monkeypatch) -> None:
    """Chat message ids older than Telegram lets a bot delete, and delivery ids older than Meta
    retries, are forgotten a batch a transaction (the chats are answered in between), every one
    of them, however many batches it takes; the recent ones stay."""
    from datetime import timedelta

    from sqlalchemy import insert

    from scheduler.runner import hourly_cleanup
    from storage import people_repo
    from storage.models import InboundMessage, hour_of

    user = make_user(user_key="777100")
    await onboard(user, "en", None)
    now = clock.now
    old_chat, old_inbound = hour_of(now - timedelta(hours=50)), hour_of(now - timedelta(days=9))
    async with app.sessions() as session, session.begin():
        user_id = await session.scalar(select(User.id).where(User.external_id == "777100"))
        await session.execute(insert(ChatMessage), [
            {"user_id": user_id, "chat_key": "777100", "message_id": f"old-{number}", "at": old_chat} for number in range(23)])
        await session.execute(insert(InboundMessage), [
            {"channel": "whatsapp", "message_id": f"old-{number}", "received_at": old_inbound} for number in range(17)])
        await session.execute(insert(InboundMessage), [{"channel": "whatsapp", "message_id": "new", "received_at": hour_of(now)}])
    monkeypatch.setattr(people_repo, "FORGET_AT_ONCE", 5)
    await hourly_cleanup(app)
    async with app.sessions() as session:
        kept = set(await session.scalars(select(ChatMessage.message_id)))
        inbound = set(await session.scalars(select(InboundMessage.message_id)))
    assert kept and not any(message.startswith("old-") for message in kept)  # her onboarding's ids stay
    assert "new" in inbound and not any(message.startswith("old-") for message in inbound)
