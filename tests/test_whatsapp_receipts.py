"""WhatsApp's status callbacks: Meta sends "sent", "delivered" and "read" for every message the bot
sends, each a webhook POST of its own. An alert's delivery figures come from them, so each is
answered 200 only once it is committed (Meta sends again what was not), and they cost the
database as little as that allows: "sent" nothing, callbacks that come together one transaction."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timezone
from typing import Any

import pytest
from aiohttp import web
from sqlalchemy import event, select
from sqlalchemy.exc import OperationalError

from bot.app import App
from bot.channels.whatsapp import ReceiptBatches, WhatsAppChannel
from bot.run import whatsapp_channel
from core.messages import Receipt
from storage import broadcast_repo
from storage.models import Outbox, OutboxStatus
from tests.bot_process import free_port
from tests.fake_whatsapp import FakeGraphAPI, post_webhook, status_payload
from tests.test_whatsapp_e2e import whatsapp_settings

WRITTEN_AT = "1795424400"  # the callbacks' time, 2026-11-24 08:20 UTC


@pytest.fixture
async def graph() -> AsyncIterator[FakeGraphAPI]:
    async with FakeGraphAPI() as api:
        yield api


async def test_a_sent_callback_is_answered_without_reading_the_outbox(app: App, graph: FakeGraphAPI) -> None:
    """"sent" only repeats what the send's own answer said: nothing to record, no transaction."""
    await sent_alerts(app, 1)
    seen: list[str] = []

    def statement(_connection: Any, _cursor: Any, sql: str, *_: Any) -> None:
        seen.append(sql)

    async with served(whatsapp_channel(app, whatsapp_settings(app, graph))) as url:
        event.listen(app.database.sync_engine, "before_cursor_execute", statement)
        try:
            status, _ = await post_webhook(url, status_payload([callback("wamid.alert1", "sent")]), graph.app_secret)
        finally:
            event.remove(app.database.sync_engine, "before_cursor_execute", statement)
    assert status == 200
    assert [sql for sql in seen if "outbox" in sql.lower()] == []
    row = (await rows(app))[0]
    assert row.delivered_at is None and row.read_at is None and row.status == OutboxStatus.SENT


async def test_callbacks_posted_together_are_all_recorded_when_each_is_answered(app: App, graph: FakeGraphAPI) -> None:
    await sent_alerts(app, 6)
    payloads = [status_payload([callback(f"wamid.alert{number}", status)])
                for number in range(1, 7) for status in ("delivered", "read")]
    async with served(whatsapp_channel(app, whatsapp_settings(app, graph))) as url:
        answers = await asyncio.gather(*(post_webhook(url, payload, graph.app_secret) for payload in payloads))
    assert [status for status, _ in answers] == [200] * len(payloads)
    assert all(row.delivered_at is not None and row.read_at is not None for row in await rows(app))


async def test_callbacks_that_come_while_one_is_written_go_together_in_the_next_transaction(app: App) -> None:
    await sent_alerts(app, 3)
    writing, go_on = asyncio.Event(), asyncio.Event()
    transactions: list[list[str]] = []

    async def write(receipts: list[Receipt]) -> None:
        transactions.append([receipt.message_id for receipt in receipts])
        writing.set()
        await go_on.wait()  # the first transaction takes its time
        async with app.sessions() as session, session.begin():
            await broadcast_repo.record_receipts(session, receipts)

    batches = ReceiptBatches(write)
    first = asyncio.ensure_future(batches.record([receipt("wamid.alert1", "delivered")]))
    await writing.wait()
    later = [asyncio.ensure_future(batches.record([receipt(f"wamid.alert{number}", "delivered")])) for number in (2, 3)]
    await asyncio.sleep(0)  # both wait for the first transaction
    assert not first.done() and not any(callback.done() for callback in later)
    assert [row.delivered_at for row in await rows(app)] == [None, None, None]
    go_on.set()
    assert await first and await asyncio.gather(*later) == [True, True]
    assert transactions == [["wamid.alert1"], ["wamid.alert2", "wamid.alert3"]]
    assert all(row.delivered_at is not None for row in await rows(app))


async def test_when_the_database_is_away_a_callback_gets_503_and_is_recorded_when_meta_sends_it_again(
    app: App, graph: FakeGraphAPI
) -> None:
    await sent_alerts(app, 2)
    failures = [OperationalError("UPDATE outbox", {}, Exception("database is locked"))]

    async def write(receipts: list[Receipt]) -> None:
        if failures:
            raise failures.pop()
        async with app.sessions() as session, session.begin():
            await broadcast_repo.record_receipts(session, receipts)

    channel = WhatsAppChannel(whatsapp_settings(app, graph), app.engine, app.content, on_receipts=write)
    both = status_payload([callback("wamid.alert1", "read"), callback("wamid.alert2", "delivered")])
    async with served(channel) as url:
        status, _ = await post_webhook(url, both, graph.app_secret)
        assert status == 503
        assert [(row.delivered_at, row.read_at) for row in await rows(app)] == [(None, None), (None, None)]
        status, _ = await post_webhook(url, both, graph.app_secret)  # Meta's next try
    assert status == 200
    first, second = await rows(app)
    assert first.read_at is not None and first.delivered_at is not None
    assert second.delivered_at is not None and second.read_at is None


# --- helpers ---------------------------------------------------------------------------------

async def sent_alerts(app: App, count: int) -> None:
    """Outbox rows of alerts the sender has sent, with WhatsApp's ids wamid.alert1, 2, ..."""
    now = app.engine.clock()
    async with app.sessions() as session, session.begin():
        session.add_all(Outbox(kind="notice", channel="whatsapp", chat_key=f"99670000010{number}", language="en",
                               status=OutboxStatus.SENT, sent_at=now, channel_message_id=f"wamid.alert{number}")
                        for number in range(1, count + 1))


async def rows(app: App) -> list[Outbox]:
    async with app.sessions() as session:
        return list(await session.scalars(select(Outbox).order_by(Outbox.id)))


def callback(message_id: str, status: str) -> dict[str, Any]:
    return {"id": message_id, "status": status, "timestamp": WRITTEN_AT, "recipient_id": "996700000101"}


def receipt(message_id: str, status: str) -> Receipt:
    return Receipt(message_id, status, datetime.fromtimestamp(int(WRITTEN_AT), tz=timezone.utc))


@asynccontextmanager
async def served(channel: WhatsAppChannel) -> AsyncIterator[str]:
    """The channel's webhook on 127.0.0.1, as `python -m bot run` serves it; its address."""
    web_app = web.Application()
    channel.add_routes(web_app)
    runner = web.AppRunner(web_app, access_log=None)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        yield f"http://127.0.0.1:{port}/whatsapp/webhook"
    finally:
        await runner.cleanup()
        await channel.close()

