"""WhatsApp end to end: Meta's payload shapes, signed, POSTed to the bot's real webhook server; the
bot's sends go to a fake Graph API on 127.0.0.1 that rejects what breaks WhatsApp's limits."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from datetime import timedelta, timezone
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from pydantic import SecretStr
from sqlalchemy import func, select

from bot.app import App
from bot.channels.whatsapp import BUTTON_TITLE_LIMIT, ROW_TITLE_LIMIT, WhatsAppChannel, shorten
from bot.run import whatsapp_channel
from scheduler.broadcasts import BroadcastService
from scheduler.runner import build_sender, queue_monitoring
from core.delivery import RateLimiter, Sender
from storage import broadcast_repo
from storage.models import Evidence, InboundMessage, LessonProgress, Outbox, OutboxStatus, Report, User
from tests.bot_process import free_port
from tests.fake_whatsapp import (
    FakeGraphAPI,
    Sent,
    button_reply,
    image_message,
    list_reply,
    location_message,
    post_webhook,
    status_payload,
    sticker_message,
    text_message,
)
from tests.helpers import (
    answer_all,
    answer_incident,
    create_group,
    create_task,
    local,
    make_coordinator,
    onboard,
    read_cards,
    start_incident,
    t,
)

VERIFY_TOKEN = "verify-me"


class Bot:
    """The bot's WhatsApp webhook, served on 127.0.0.1 as in production."""

    def __init__(self, app: App, graph: FakeGraphAPI, channel: WhatsAppChannel, url: str) -> None:
        self.app = app
        self.graph = graph
        self.channel = channel
        self.url = url

    async def post(self, payload: dict[str, Any], secret: str | None = "default", **kwargs: Any) -> int:
        status, _ = await post_webhook(self.url, payload, self.graph.app_secret if secret == "default" else secret,
                                       **kwargs)
        return status


class WhatsAppUser:
    """A person on WhatsApp: she types, taps the buttons and list rows she sees, sends photos.

    The same interface as tests.chat.ScriptedUser, so the lesson and onboarding helpers serve
    both channels; labels are matched as she sees them, shortened to WhatsApp's limits."""

    def __init__(self, bot: Bot, wa_id: str) -> None:
        self.bot = bot
        self.wa_id = wa_id
        self.received: list[Sent] = []  # what the last thing she did brought

    async def send(self, text: str) -> None:
        await self._post(text_message(self.wa_id, text))

    async def send_payload(self, payload: dict[str, Any]) -> None:
        await self._post(payload)

    async def press(self, label: str) -> None:
        await self._tap(lambda title, full: label in title or (full is not None and label in full))

    async def press_exactly(self, label: str) -> None:
        shown = {label, shorten(label, BUTTON_TITLE_LIMIT), shorten(label, ROW_TITLE_LIMIT)}
        await self._tap(lambda title, full: title in shown or full == label)

    def button_labels(self) -> list[str]:
        return [title for title, _full, _id in self._choices()[1]]

    @property
    def text(self) -> str:
        return "\n".join(sent.text or "" for sent in self.received)

    async def _tap(self, matches: Any) -> None:
        kind, choices = self._choices()
        for number, (title, full, action) in enumerate(choices, 1):
            if matches(title, full):
                if kind == "button":
                    await self._post(button_reply(self.wa_id, action, title))
                elif kind == "list":
                    await self._post(list_reply(self.wa_id, action, title))
                else:  # a numbered menu: she sends the number
                    await self.send(str(number))
                return
        raise AssertionError(f"no such button in the last menu: {[title for title, *_ in choices]}")

    def _choices(self) -> tuple[str, list[tuple[str, str | None, str]]]:
        """The last menu she was shown: reply buttons, list rows, or a numbered text."""
        for sent in reversed(self.bot.graph.sent_to(self.wa_id)):
            interactive = sent.payload.get("interactive")
            if interactive and interactive["type"] == "button":
                buttons = interactive["action"]["buttons"]
                return "button", [(b["reply"]["title"], None, b["reply"]["id"]) for b in buttons]
            if interactive and interactive["type"] == "list":
                rows = [row for section in interactive["action"]["sections"] for row in section["rows"]]
                return "list", [(row["title"], row.get("description"), row["id"]) for row in rows]
            lines = [line for line in (sent.text or "").splitlines() if line[:1].isdigit() and ". " in line]
            starts = [index for index, line in enumerate(lines) if line.startswith("1. ")]
            if starts:  # the menu is the last list numbered from 1
                return "numbered", [(line.split(". ", 1)[1], None, "") for line in lines[starts[-1]:]]
        return "none", []

    async def _post(self, payload: dict[str, Any]) -> None:
        self.bot.graph.user_wrote(self.wa_id)
        before = len(self.bot.graph.sent_to(self.wa_id))
        assert await self.bot.post(payload) == 200
        self.received = self.bot.graph.sent_to(self.wa_id)[before:]
        assert not self.bot.graph.rejected, self.bot.graph.rejected


@pytest.fixture
async def graph() -> AsyncIterator[FakeGraphAPI]:
    async with FakeGraphAPI() as api:
        yield api


def whatsapp_settings(app: App, graph: FakeGraphAPI, **overrides: Any) -> Any:
    return app.settings.model_copy(update=dict(
        whatsapp_token=SecretStr(graph.token), whatsapp_phone_number_id=graph.phone_number_id,
        whatsapp_app_secret=SecretStr(graph.app_secret), whatsapp_verify_token=SecretStr(VERIFY_TOKEN),
        whatsapp_api_url=graph.base_url, **overrides,
    ))


@pytest.fixture
async def bot(app: App, graph: FakeGraphAPI) -> AsyncIterator[Bot]:
    channel = whatsapp_channel(app, whatsapp_settings(app, graph))
    await channel.start()
    app.engine.register_channel(channel)
    web_app = web.Application()
    channel.add_routes(web_app)
    runner = web.AppRunner(web_app, access_log=None)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    yield Bot(app, graph, channel, f"http://127.0.0.1:{port}/whatsapp/webhook")
    await runner.cleanup()
    await channel.close()


async def count(app: App, model: Any) -> int:
    async with app.sessions() as session:
        return await session.scalar(select(func.count()).select_from(model)) or 0


async def test_the_verification_handshake(bot: Bot) -> None:
    async with aiohttp.ClientSession() as http:
        query = {"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1158201444"}
        async with http.get(bot.url, params=query) as response:
            assert response.status == 200 and await response.text() == "1158201444"
        async with http.get(bot.url, params={**query, "hub.verify_token": "guess"}) as response:
            assert response.status == 403


async def test_a_bad_or_missing_signature_gets_401_and_nothing_is_processed(bot: Bot) -> None:
    payload = text_message("996700000001", "/start")
    assert await bot.post(payload, secret="not-the-app-secret") == 401
    assert await bot.post(payload, secret=None) == 401
    assert await bot.post(payload, secret=None, signature="sha256=" + "0" * 64) == 401
    assert await count(bot.app, User) == 0 and await count(bot.app, InboundMessage) == 0
    assert bot.graph.sent == []


async def test_the_same_delivery_twice_is_answered_once(bot: Bot) -> None:
    payload = text_message("996700000002", "/start", message_id="wamid.twice")
    bot.graph.user_wrote("996700000002")
    assert await bot.post(payload) == 200
    answered = len(bot.graph.sent_to("996700000002"))
    assert answered >= 1 and "Choose your language" in bot.graph.texts_to("996700000002")[0]
    assert await bot.post(payload) == 200  # Meta was not sure it arrived
    assert len(bot.graph.sent_to("996700000002")) == answered
    assert await count(bot.app, InboundMessage) == 1


async def test_onboarding_menus_fit_whatsapp_and_typed_numbers_and_labels_work(bot: Bot) -> None:
    user = WhatsAppUser(bot, "996700000003")
    await user.send("/start")
    assert user.received[-1].payload["interactive"]["type"] == "button"  # three languages: reply buttons
    await user.press("English")
    regions = user.received[-1].payload["interactive"]
    assert regions["type"] == "list" and regions["action"]["button"] == "Choose"
    await user.send("2")  # the second region, typed
    assert "Main menu" in user.text
    await user.send("Settings")  # a label, typed
    assert "Settings" in user.text
    await user.press("Wipe")
    assert "WhatsApp does not let the bot delete messages" in user.text and "Clear chat" in user.text


async def test_a_whole_lesson_over_whatsapp(bot: Bot) -> None:
    app = bot.app
    user = WhatsAppUser(bot, "996700000004")
    await onboard(user, "ru", "Нарын")  # type: ignore[arg-type]
    course = app.content.courses["wps1325"]
    lesson = course.lessons[0]
    await user.send("/menu")
    await user.press_exactly(t(app, "ru", "menu-lessons"))
    await user.press(shorten(course.title.get("ru"), ROW_TITLE_LIMIT).rstrip("…"))
    await user.press(shorten(lesson.title.get("ru"), ROW_TITLE_LIMIT).rstrip("…"))
    await read_cards(app, user, "ru", lesson)  # type: ignore[arg-type]
    await answer_all(app, user, "ru", lesson)  # type: ignore[arg-type]
    total = len(lesson.quiz)
    assert t(app, "ru", "lesson-done", lesson=lesson.title.get("ru"), correct=total, total=total) in user.text
    async with app.sessions() as session:
        progress = await session.scalar(select(LessonProgress).where(LessonProgress.lesson_id == lesson.id))
    assert progress is not None and progress.score == 100 and progress.completed_at is not None
    kinds = {sent.payload.get("interactive", {}).get("type", sent.type) for sent in bot.graph.sent_to(user.wa_id)}
    assert {"button", "list"} <= kinds


async def test_an_incident_report_with_a_photo_over_whatsapp(bot: Bot) -> None:
    app = bot.app
    photo = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 40
    bot.graph.add_media("wa-media-photo-1", photo)
    user = WhatsAppUser(bot, "996700000005")
    await onboard(user, "en", "Naryn")  # type: ignore[arg-type]
    await user.press("Report")
    assert "Are you somewhere safe" in user.text
    for label in ("Yes", "Family violence", "To me", "Naryn"):  # the categories: a numbered menu
        await user.press(label)
    await user.press("Skip")  # district
    await user.press("Today")
    await user.press("At home")
    await user.send("He locked me in the house and took my passport and my salary card.")
    assert "Step 9" in user.text
    await user.send_payload(image_message(user.wa_id, "wa-media-photo-1", caption="the door"))
    assert "Received (1 of 5)" in user.text
    await user.press("Done")
    await user.press("Yes")  # legal aid
    await user.press("Stay anonymous")
    await user.press("Yes")  # consent
    assert "Please check your answers" in user.text
    await user.send("8")  # answer 8, as the summary numbers it
    assert "Step 8 of 12" in user.text and "Your answer so far" in user.text
    await user.send("He locked me in the house and took my passport.")
    assert "Please check your answers" in user.text and "took my passport." in user.text
    await user.press("Send")
    assert "Your reference code" in user.text
    async with app.sessions() as session:
        report = await session.scalar(select(Report))
        evidence = await session.scalar(select(Evidence))
    assert report is not None and report.reporter_id is None and report.category == "family_violence"
    assert evidence is not None and evidence.sha256 == hashlib.sha256(photo).hexdigest()
    assert bot.graph.downloads == ["wa-media-photo-1"]


async def test_a_shared_location_and_a_sticker_get_answers(bot: Bot) -> None:
    user = WhatsAppUser(bot, "996700000006")
    await onboard(user, "en", "Osh")  # type: ignore[arg-type]
    await user.send("Find legal ai…")  # a shortened title, typed as she saw it
    await user.press("Violence in the family")
    await user.send_payload(location_message(user.wa_id, 40.53, 72.80, name="Osh"))
    assert "102" in user.text  # the emergency numbers stand first
    await user.send_payload(sticker_message(user.wa_id, "sticker-1"))
    assert user.received, "a sticker gets an answer, not silence"


async def test_a_rate_limited_reply_is_sent_again(bot: Bot) -> None:
    bot.graph.fail_next(code=130429, http_status=429)
    user = WhatsAppUser(bot, "996700000007")
    await user.send("/start")
    assert "Choose your language" in user.text


async def alert_to(app: App, channel: WhatsAppChannel, wa_id: str, last_wrote_hours_ago: float) -> Outbox:
    """A WhatsApp member who last wrote some hours ago, and an alert to her, sent by the sender."""
    now = app.engine.clock()
    async with app.sessions() as session, session.begin():
        session.add(User(channel="whatsapp", external_id=wa_id, language="ru", region="batken", role="member",
                         coordinator_regions=[], last_seen_at=now - timedelta(hours=last_wrote_hours_ago)))
        await broadcast_repo.create_broadcast(session, app.cipher, created_by=None, status="scheduled", texts={"all": "Слушания в понедельник.\nПриходите!"},
            audience={}, ask_ack=True, send_at=now)
    service = BroadcastService(app, {"whatsapp": channel})
    sender = Sender(app.sessions, {"whatsapp": channel}, {"broadcast": service.render},
                    RateLimiter(1000, per_chat_seconds=0.0), clock=app.engine.clock)
    await service.start_due(now)
    await sender.drain()
    async with app.sessions() as session:
        row = await session.scalar(select(Outbox))
    assert row is not None
    return row


async def test_an_alert_within_the_window_has_its_button_and_receipts_are_recorded(bot: Bot) -> None:
    bot.graph.user_wrote("996700000010")
    row = await alert_to(bot.app, bot.channel, "996700000010", last_wrote_hours_ago=2)
    sent = bot.graph.last_to("996700000010")
    assert sent.accepted and sent.type == "interactive" and row.status == OutboxStatus.SENT
    assert row.channel_message_id == sent.id
    read = {"id": sent.id, "status": "read", "timestamp": "1795424400", "recipient_id": "996700000010"}
    delivered = {**read, "status": "delivered", "timestamp": "1795424390"}
    assert await bot.post(status_payload([read, delivered])) == 200  # out of order, as Meta may
    async with bot.app.sessions() as session:
        row = await session.scalar(select(Outbox))
    assert row is not None and row.delivered_at is not None and row.read_at is not None
    assert row.delivered_at < row.read_at
    user = WhatsAppUser(bot, "996700000010")
    await user.press("Прочитано")
    async with bot.app.sessions() as session:
        assert (await session.scalar(select(Outbox))).acked_at is not None  # type: ignore[union-attr]


async def test_an_alert_outside_the_window_goes_out_as_the_template(app: App, graph: FakeGraphAPI) -> None:
    channel = whatsapp_channel(app, whatsapp_settings(app, graph, whatsapp_template="tynchtyk_alert"))
    graph.approved_templates = {"tynchtyk_alert": {"ky_KG", "ru", "en"}}
    row = await alert_to(app, channel, "996700000011", last_wrote_hours_ago=30)
    await channel.close()
    sent = graph.last_to("996700000011")
    assert sent.type == "template" and sent.accepted
    template = sent.payload["template"]
    assert template["name"] == "tynchtyk_alert" and template["language"]["code"] == "ru"
    assert template["components"][0]["parameters"][0]["text"] == "📣 Слушания в понедельник. · Приходите!"
    assert row.status == OutboxStatus.SENT and not graph.rejected


async def test_without_a_template_an_alert_outside_the_window_is_skipped_and_counted(app: App, graph: FakeGraphAPI) -> None:
    channel = whatsapp_channel(app, whatsapp_settings(app, graph))
    row = await alert_to(app, channel, "996700000012", last_wrote_hours_ago=25)
    await channel.close()
    assert graph.sent == []
    assert row.status == OutboxStatus.SKIPPED and row.error == "outside-window"
    async with app.sessions() as session:
        counts = await broadcast_repo.counts(session, row.broadcast_id or 0)
    assert counts["skipped"] == 1 and counts["sent"] == 0


async def test_a_window_closed_on_meta_side_marks_the_alert_failed(bot: Bot) -> None:
    """Our clock said she wrote 23 hours ago; Meta disagrees: the failed callback is recorded."""
    row = await alert_to(bot.app, bot.channel, "996700000013", last_wrote_hours_ago=23)
    failed = [status for status in bot.graph.statuses if status["status"] == "failed"]
    assert failed and failed[0]["id"] == row.channel_message_id
    assert await bot.post(status_payload(failed)) == 200
    async with bot.app.sessions() as session:
        row = await session.scalar(select(Outbox))  # type: ignore[assignment]
    assert row.status == OutboxStatus.FAILED and row.error == "outside-window"


async def test_a_reminder_on_whatsapp_is_a_list_and_done_works(bot: Bot, make_user, channel, clock) -> None:
    app = bot.app
    clock.now = local(23, 12).astimezone(timezone.utc)
    coordinator = await make_coordinator(app, make_user)
    code = await create_group(coordinator)
    member = WhatsAppUser(bot, "996700000014")
    await onboard(member, "en", "Naryn region")  # type: ignore[arg-type]
    await member.send(f"/start join-{code}")
    assert 'member of the monitoring group "Kochkor monitors"' in member.text
    await coordinator.press_action("grp:g:1")
    await create_task(coordinator, "Public hearing", "24.11.2026 10:00")
    clock.now = local(24, 8, 0).astimezone(timezone.utc)  # two hours before, within her 24 hours
    sender, _ = build_sender(app, {"telegram": channel, "whatsapp": bot.channel})
    await queue_monitoring(app)
    await sender.drain()
    reminder = bot.graph.last_to(member.wa_id)
    assert reminder.payload["interactive"]["type"] == "list"  # four choices
    assert "Public hearing" in (reminder.text or "")
    await member.press("Done")
    assert "Marked as done: Public hearing" in member.text


async def test_the_join_link_opens_whatsapp_with_the_command_typed(bot: Bot) -> None:
    assert bot.channel.capabilities.start_link == "https://wa.me/996555000111?text=%2Fstart%20"


async def test_the_real_process_serves_whatsapp_alone_and_stops_cleanly(graph: FakeGraphAPI, tmp_path,
                                                                         new_database) -> None:
    """`python -m bot run` with only the WhatsApp settings: handshake, a message, SIGTERM."""
    import asyncio
    import os
    import signal
    import sys

    from cryptography.fernet import Fernet

    from tests.bot_process import ROOT

    port = free_port()
    keep = {key: value for key, value in os.environ.items() if not key.startswith(
        ("TELEGRAM_", "WEBHOOK_", "DATABASE_", "DATA_", "ADMIN_", "WHATSAPP_"))}
    env = {**keep, "PYTHONPATH": str(ROOT), "DATA_DIR": str(tmp_path), "DATA_KEY": Fernet.generate_key().decode(),
           "DATABASE_URL": new_database(tmp_path, migrated=False),
           "WHATSAPP_TOKEN": graph.token, "WHATSAPP_PHONE_NUMBER_ID": graph.phone_number_id,
           "WHATSAPP_APP_SECRET": graph.app_secret, "WHATSAPP_VERIFY_TOKEN": VERIFY_TOKEN,
           "WHATSAPP_API_URL": graph.base_url, "WEBHOOK_HOST": "127.0.0.1", "WEBHOOK_PORT": str(port)}
    with open(tmp_path / "bot.log", "wb") as log:
        process = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", "run", cwd=tmp_path, env=env,
                                                       stdout=log, stderr=log)
        url = f"http://127.0.0.1:{port}/whatsapp/webhook"
        try:
            async with aiohttp.ClientSession() as http:
                for _ in range(300):
                    try:
                        async with http.get(f"http://127.0.0.1:{port}/health") as response:
                            if response.status == 200:
                                break
                    except aiohttp.ClientError:
                        await asyncio.sleep(0.1)
                query = {"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "42"}
                async with http.get(url, params=query) as response:
                    assert await response.text() == "42"
            graph.user_wrote("996700000020")
            status, _ = await post_webhook(url, text_message("996700000020", "/start"), graph.app_secret)
            assert status == 200
            assert "Choose your language" in graph.texts_to("996700000020")[0]
        finally:
            process.send_signal(signal.SIGTERM)
            code = await asyncio.wait_for(process.wait(), timeout=20)
    assert code == 0, (tmp_path / "bot.log").read_text()
    assert "996700000020" not in (tmp_path / "bot.log").read_text()  # no phone number in the logs


async def test_half_the_whatsapp_settings_is_refused_with_a_clear_message(tmp_path) -> None:
    import os
    import subprocess
    import sys

    from tests.bot_process import ROOT

    keep = {key: value for key, value in os.environ.items() if not key.startswith(
        ("TELEGRAM_", "WEBHOOK_", "DATABASE_", "DATA_", "WHATSAPP_"))}
    env = {**keep, "PYTHONPATH": str(ROOT), "DATA_DIR": str(tmp_path), "WHATSAPP_TOKEN": "x"}
    finished = subprocess.run([sys.executable, "-m", "bot", "run"], cwd=tmp_path, env=env, capture_output=True,
                              text=True, timeout=60)
    assert finished.returncode != 0
    assert "WHATSAPP_PHONE_NUMBER_ID" in finished.stderr and "Traceback" not in finished.stderr


async def test_a_coordinator_silent_for_a_day_is_told_of_a_new_report_by_the_template(
    app: App, graph: FakeGraphAPI, make_user, channel
) -> None:
    whatsapp = whatsapp_channel(app, whatsapp_settings(app, graph, whatsapp_template="tynchtyk_alert"))
    app.engine.register_channel(whatsapp)
    now = app.engine.clock()
    async with app.sessions() as session, session.begin():
        for number, hours in (("996700000030", 30), ("996700000031", 1)):
            session.add(User(channel="whatsapp", external_id=number, language="ky", region="naryn", role="coordinator",
                             coordinator_regions=["naryn"], last_seen_at=now - timedelta(hours=hours)))
    graph.user_wrote("996700000031")
    reporter = make_user(user_key="501", language_hint="en")
    await onboard(reporter, "en", "Naryn region")
    await start_incident(app, reporter, "en")
    await answer_incident(app, reporter, "en", photo=False)
    await reporter.press("Send")
    await whatsapp.close()
    silent, recent = graph.last_to("996700000030"), graph.last_to("996700000031")
    assert silent.type == "template" and silent.payload["template"]["language"]["code"] == "ky_KG"
    assert recent.type == "interactive" and recent.accepted  # within the window: the usual buttons
    assert not graph.rejected
