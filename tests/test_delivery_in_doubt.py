"""A send retried after a client-side timeout could arrive twice. The story: the outbox sender
marked a timed-out sendMessage for retry, so a campaign alert or a reminder that had reached her
phone came a second time. Now a send is retried only when the messenger certainly did not take
it (the connection was never made, a 4xx answer); one whose answer was lost is `unknown` (in
doubt), counted with the failed ones, and never sent again: at worst one copy.

The real aiogram client and our WhatsApp client talk HTTP to the fake servers on 127.0.0.1,
which can take a message and then answer too late or close the connection instead."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from aiogram import Bot
from pydantic import SecretStr
from sqlalchemy import select

from bot.app import App
from bot.channels.telegram import TelegramChannel
from bot.channels.whatsapp import GraphClient, WhatsAppChannel
from core.delivery import RateLimiter, Sender
from core.logs import JsonFormatter
from core.messages import Delivery, Effect, Incoming, IncomingKind, Reply
from scheduler.broadcasts import BroadcastService
from scheduler.runner import build_sender, queue_monitoring
from storage import broadcast_repo
from storage.models import Outbox, OutboxStatus, Role, User
from tests.chat import CollectingChannel
from tests.e2e_helpers import fake_per_test
from tests.fake_telegram import FakeBotAPI
from tests.fake_whatsapp import FakeGraphAPI
from tests.helpers import create_group, create_task, local, make_coordinator, onboard

# Short enough for a quick test, long enough that a call the fake answers at once never times out
# on a slow machine; the fake's late answers come far later than that.
CLIENT_TIMEOUT = 3
LATE = 20.0
ALERT = "Public hearing on the local budget, Friday 10:00"
COORDINATOR_CHAT = 8000
MEMBERS = (8001, 8002, 8003)
WA_MEMBER = "996700000501"


fake = fake_per_test  # a fake Bot API of each test's own


@pytest.fixture
async def bot(fake: FakeBotAPI) -> AsyncIterator[Bot]:
    bot = fake.make_bot()
    bot.session.timeout = CLIENT_TIMEOUT
    yield bot
    await bot.session.close()


@pytest.fixture
async def graph() -> AsyncIterator[FakeGraphAPI]:
    async with FakeGraphAPI() as api:
        yield api


def her_message(chat: int, text: str, message_id: int) -> Incoming:
    """A message she typed in her private chat, as the Telegram channel makes it."""
    return Incoming("telegram", str(chat), str(chat), IncomingKind.TEXT, text=text, message_id=str(message_id),
                    language_hint="en", delivery_key=f"update:{chat}{message_id}")


def alerts_in(fake: FakeBotAPI, chat: int) -> list[str]:
    """What she sees: the alert messages in her chat."""
    return [message["text"] for message in fake.bot_messages(chat) if ALERT in message.get("text", "")]


async def outbox(app: App) -> dict[str, Outbox]:
    async with app.sessions() as session:
        return {row.chat_key: row for row in (await session.scalars(select(Outbox))).all()}


async def alert_to_members(app: App) -> BroadcastService:
    """Three members in Talas and a coordinator who follows the alert's progress in her chat."""
    now = app.engine.clock()
    async with app.sessions() as session, session.begin():
        coordinator = User(channel="telegram", external_id=str(COORDINATOR_CHAT), language="en", role=Role.COORDINATOR,
                           coordinator_regions=["talas"])
        session.add_all([coordinator, *(
            User(channel="telegram", external_id=str(chat), language="en", region="talas", coordinator_regions=[])
            for chat in MEMBERS
        )])
        await session.flush()
        await broadcast_repo.create_broadcast(
            session, app.cipher, texts={"all": ALERT}, created_by=coordinator.id, status="scheduled",
            audience={"regions": ["talas"]}, ask_ack=False, send_at=now,
            progress_channel="telegram", progress_chat=str(COORDINATOR_CHAT),
        )
    return BroadcastService(app, {})


def telegram_sender(app: App, channel: TelegramChannel, service: BroadcastService) -> Sender:
    service.channels["telegram"] = channel
    return Sender(app.sessions, {"telegram": channel}, {"broadcast": service.render},
                  RateLimiter(1000, per_chat_seconds=0.0), clock=app.engine.clock)


async def test_an_alert_whose_answer_came_too_late_is_in_doubt_received_once_and_counted(
    app: App, fake: FakeBotAPI, bot: Bot, clock
) -> None:
    service = await alert_to_members(app)
    sender = telegram_sender(app, TelegramChannel(bot, app.engine), service)
    fake.answer_late("sendMessage", LATE)  # the first alert reaches her; its answer does not come back in time
    await service.start_due(clock.now)
    await sender.drain()
    for _ in range(3):  # later ticks, past every backoff: nothing is sent again
        clock.now += timedelta(minutes=5)
        await sender.drain()
    await service.report_progress(clock.now)

    late = next(call for call in fake.calls_to("sendMessage") if call.answer_lost)
    in_doubt = str(late.params["chat_id"])
    rows = await outbox(app)
    assert rows[in_doubt].status == OutboxStatus.UNKNOWN and rows[in_doubt].error == "in doubt"
    assert {chat: row.status for chat, row in rows.items() if chat != in_doubt} == dict.fromkeys(
        {str(chat) for chat in MEMBERS} - {in_doubt}, OutboxStatus.SENT)
    assert all(len(alerts_in(fake, chat)) == 1 for chat in MEMBERS)  # she too: once, not twice
    final = fake.bot_messages(COORDINATOR_CHAT)[-1]["text"]
    assert "is finished: sent 2, failed 1" in final  # counted as a row in doubt after a restart is


async def test_a_reminder_whose_connection_dropped_after_sending_is_in_doubt_and_received_once(
    app: App, fake: FakeBotAPI, bot: Bot, make_user, channel: CollectingChannel, clock
) -> None:
    clock.now = local(23, 12).astimezone(ZoneInfo("UTC"))
    coordinator = await make_coordinator(app, make_user)
    code = await create_group(coordinator)
    member = make_user(user_key="200", language_hint="en")
    await onboard(member, "en", "Naryn region")
    await member.send(f"/start join-{code}")
    await create_task(coordinator, "Visit the crisis centre", "27.11.2026 10:00")
    sender, _ = build_sender(app, {"telegram": TelegramChannel(bot, app.engine)})
    fake.drop_answer("sendMessage")

    clock.now = local(24, 10, 0).astimezone(ZoneInfo("UTC"))  # the reminder three days before
    for _ in range(3):
        await queue_monitoring(app)
        await sender.drain()
        clock.now += timedelta(minutes=5)

    reminders = [message for message in fake.bot_messages(200) if "Reminder: Visit the crisis" in message["text"]]
    assert len(reminders) == 1 and fake.calls_to("sendMessage")[0].answer_lost
    async with app.sessions() as session:
        row = await session.scalar(select(Outbox).where(Outbox.kind == "reminder"))
    assert row is not None and row.status == OutboxStatus.UNKNOWN and row.error == "in doubt"


async def test_an_alert_refused_before_it_was_sent_is_sent_again_and_received_once(
    app: App, fake: FakeBotAPI, bot: Bot, clock
) -> None:
    service = await alert_to_members(app)
    sender = telegram_sender(app, TelegramChannel(bot, app.engine), service)
    await service.start_due(clock.now)
    port = fake.port
    await fake.stop()  # connections to the Bot API are refused
    await sender.drain()
    rows = await outbox(app)
    assert all(rows[str(chat)].status == OutboxStatus.PENDING and rows[str(chat)].attempts == 1 for chat in MEMBERS)

    await fake.start(port)
    clock.now += timedelta(minutes=1)  # past the backoff
    await sender.drain()
    rows = await outbox(app)
    assert all(rows[str(chat)].status == OutboxStatus.SENT for chat in MEMBERS)
    assert all(len(alerts_in(fake, chat)) == 1 for chat in MEMBERS)


async def test_her_own_reply_that_timed_out_is_not_sent_again_and_the_log_says_so_without_her_words(
    app: App, fake: FakeBotAPI, bot: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    channel = TelegramChannel(bot, app.engine)
    app.engine.register_channel(channel)
    words = "Саламатсызбы, мага жардам керек"
    fake.answer_late("sendMessage", LATE)
    with caplog.at_level(logging.WARNING, logger="tynchtyk.telegram"):
        await app.engine.handle(her_message(5301, words, 1), channel)  # the three attempts of a reply: one used
    menus = [message for message in fake.bot_messages(5301) if "Choose your language" in message["text"]]
    assert len(menus) == 1 and len(fake.calls_to("sendMessage")) == 1
    logged = [JsonFormatter().format(record) for record in caplog.records]
    assert any('"send in doubt, not sent again"' in line and '"method": "sendMessage"' in line
               and '"error": "TimeoutError"' in line for line in logged), logged
    assert not any(words in line or "Choose your language" in line for line in logged)

    await app.engine.handle(her_message(5301, "/start", 2), channel)  # she asks again, and is answered
    menus = [message for message in fake.bot_messages(5301) if "Choose your language" in message["text"]]
    assert len(menus) == 2


async def test_her_own_reply_refused_at_first_is_sent_again_within_the_update_once(
    app: App, fake: FakeBotAPI, bot: Bot
) -> None:
    channel = TelegramChannel(bot, app.engine)
    port = fake.port
    await fake.stop()

    async def back_soon() -> None:
        await asyncio.sleep(0.2)
        await fake.start(port)

    comes_back = asyncio.create_task(back_soon())
    delivery = await channel.deliver(her_message(5302, "/help", 1), [Reply("The main menu is under /menu")])
    await comes_back
    assert not (delivery.failed or delivery.in_doubt) and len(delivery.sent_message_ids) == 1
    assert [message["text"] for message in fake.bot_messages(5302)] == ["The main menu is under /menu"]


async def test_an_edit_whose_answer_was_lost_is_made_again_and_leaves_one_menu(app: App, fake: FakeBotAPI, bot: Bot) -> None:
    """An edit gives the same result when repeated: it is retried whatever happened."""
    channel = TelegramChannel(bot, app.engine)
    fake.add_private_chat(5303)
    menu = await bot.send_message(5303, "Main menu")
    fake.drop_answer("editMessageText")
    pressed = Incoming("telegram", "5303", "5303", IncomingKind.ACTION, action="x", message_id=str(menu.message_id))
    delivery = await channel.deliver(pressed, [Reply("Lessons", edit=True)])
    assert not (delivery.failed or delivery.in_doubt) and delivery.sent_message_ids == []
    assert [message["text"] for message in fake.bot_messages(5303)] == ["Lessons"]
    assert len(fake.calls_to("editMessageText")) == 2  # the lost one, and its repeat


class PartlySent:
    """A channel that sends the first part of a long message and then fails on the second."""

    capabilities = CollectingChannel().capabilities

    def __init__(self) -> None:
        self.deliveries = 0

    async def deliver(self, incoming: Incoming, effects: list[Effect]) -> Delivery:
        self.deliveries += 1
        return Delivery(sent_message_ids=["77"], failed=True)


async def test_a_row_of_which_a_part_went_out_is_not_sent_again(app: App, clock) -> None:
    service = await alert_to_members(app)
    channel = PartlySent()
    service.channels["telegram"] = channel  # type: ignore[assignment]
    sender = Sender(app.sessions, {"telegram": channel}, {"broadcast": service.render},  # type: ignore[dict-item]
                    RateLimiter(1000, per_chat_seconds=0.0), clock=app.engine.clock)
    await service.start_due(clock.now)
    for _ in range(3):
        await sender.drain()
        clock.now += timedelta(minutes=5)
    rows = await outbox(app)
    assert channel.deliveries == len(MEMBERS)
    assert {rows[str(chat)].status for chat in MEMBERS} == {OutboxStatus.UNKNOWN}
    assert {rows[str(chat)].error for chat in MEMBERS} == {"partly sent"}


# --------------------------------------------------------------------------- WhatsApp


def whatsapp_for(app: App, graph: FakeGraphAPI) -> WhatsAppChannel:
    settings = app.settings.model_copy(update=dict(
        whatsapp_token=SecretStr(graph.token), whatsapp_phone_number_id=graph.phone_number_id,
        whatsapp_app_secret=SecretStr(graph.app_secret), whatsapp_verify_token=SecretStr("verify-me"),
        whatsapp_api_url=graph.base_url,
    ))
    client = GraphClient(graph.base_url, graph.token, graph.phone_number_id, timeout=CLIENT_TIMEOUT)
    return WhatsAppChannel(settings, app.engine, app.content, client=client)


async def whatsapp_alert(app: App, graph: FakeGraphAPI, channel: WhatsAppChannel) -> tuple[Sender, BroadcastService]:
    """A WhatsApp member who wrote an hour ago, and an alert to her due now."""
    now = app.engine.clock()
    graph.user_wrote(WA_MEMBER)
    async with app.sessions() as session, session.begin():
        session.add(User(channel="whatsapp", external_id=WA_MEMBER, language="en", region="batken", role="member",
                         coordinator_regions=[], last_seen_at=now - timedelta(hours=1)))
        await broadcast_repo.create_broadcast(session, app.cipher, texts={"all": ALERT}, created_by=None,
                                              status="scheduled", audience={}, ask_ack=False, send_at=now)
    service = BroadcastService(app, {"whatsapp": channel})
    sender = Sender(app.sessions, {"whatsapp": channel}, {"broadcast": service.render},
                    RateLimiter(1000, per_chat_seconds=0.0), clock=app.engine.clock)
    await service.start_due(now)
    return sender, service


def whatsapp_alerts(graph: FakeGraphAPI) -> list[str]:
    return [text for text in graph.texts_to(WA_MEMBER) if ALERT in text]


@pytest.mark.parametrize("lose", ["late", "dropped"])
async def test_a_whatsapp_alert_whose_answer_was_lost_is_in_doubt_and_received_once(
    app: App, graph: FakeGraphAPI, clock, lose: str
) -> None:
    channel = whatsapp_for(app, graph)
    sender, _ = await whatsapp_alert(app, graph, channel)
    if lose == "late":
        graph.answer_late(LATE)
    else:
        graph.drop_answer()
    try:
        for _ in range(3):
            await sender.drain()
            clock.now += timedelta(minutes=5)
    finally:
        await channel.client.close()
    rows = await outbox(app)
    assert rows[WA_MEMBER].status == OutboxStatus.UNKNOWN and rows[WA_MEMBER].error == "in doubt"
    assert len(whatsapp_alerts(graph)) == 1 and graph.sent[0].answer_lost


async def test_a_whatsapp_alert_refused_before_it_was_sent_is_sent_again_and_received_once(
    app: App, graph: FakeGraphAPI, clock
) -> None:
    channel = whatsapp_for(app, graph)
    sender, _ = await whatsapp_alert(app, graph, channel)
    port = graph.port
    await graph.stop()
    try:
        await sender.drain()
        rows = await outbox(app)
        assert rows[WA_MEMBER].status == OutboxStatus.PENDING and rows[WA_MEMBER].attempts == 1
        await graph.start(port)
        clock.now += timedelta(minutes=1)
        await sender.drain()
    finally:
        await channel.client.close()
    rows = await outbox(app)
    assert rows[WA_MEMBER].status == OutboxStatus.SENT
    assert len(whatsapp_alerts(graph)) == 1


async def test_her_own_whatsapp_reply_that_timed_out_is_not_sent_again(
    app: App, graph: FakeGraphAPI, caplog: pytest.LogCaptureFixture
) -> None:
    channel = whatsapp_for(app, graph)
    graph.user_wrote(WA_MEMBER)
    graph.answer_late(LATE)
    incoming = Incoming("whatsapp", WA_MEMBER, WA_MEMBER, IncomingKind.TEXT, text="/start", message_id="wamid.in1")
    try:
        with caplog.at_level(logging.WARNING, logger="tynchtyk.whatsapp"):
            await app.engine.handle(incoming, channel)  # up to three tries of a reply: one used
    finally:
        await channel.client.close()
    assert len(graph.sent_to(WA_MEMBER)) == 1 and graph.sent[0].answer_lost
    logged = [JsonFormatter().format(record) for record in caplog.records]
    assert any('"send in doubt, not sent again"' in line and '"error": "TimeoutError"' in line for line in logged), logged
