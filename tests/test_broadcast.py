"""Campaign alerts through the engine and the outbox sender, with a collecting channel."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import insert, select

from bot.app import App
from core.messages import Delivery, Incoming, Reply
from scheduler.broadcasts import BroadcastService
from core.delivery import RateLimiter, Sender
from storage import broadcast_repo
from storage.broadcast_repo import Audience
from storage.models import AuditEntry, Broadcast, LessonProgress, Outbox, OutboxStatus, Role, User
from tests.chat import CollectingChannel, ScriptedUser
from tests.helpers import make_staff, new_staff, onboard


async def people(app: App, specs: list[dict]) -> list[int]:
    """Users straight into the database: region, language, role, muted, active."""
    async with app.sessions() as session, session.begin():
        ids = []
        for number, spec in enumerate(specs):
            user = User(channel="telegram", external_id=str(7000 + number), language=spec.get("language", "en"),
                        region=spec.get("region"), role=spec.get("role", Role.MEMBER), coordinator_regions=[],
                        active=spec.get("active", True), alerts_muted=spec.get("muted", False))
            session.add(user)
            await session.flush()
            if spec.get("course"):
                session.add(LessonProgress(user_id=user.id, course_id=spec["course"], lesson_id="x", card=1, question=0, correct=0))
            ids.append(user.id)
        return ids


def sender_for(app: App, channel: CollectingChannel, rate: float = 1000.0) -> tuple[Sender, BroadcastService]:
    service = BroadcastService(app, {"telegram": channel})
    sender = Sender(app.sessions, {"telegram": channel}, {"broadcast": service.render},
                    RateLimiter(rate, per_chat_seconds=0.0), clock=app.engine.clock)
    sender.after_batch.append(lambda: service.report_progress(app.engine.clock(), force=True))
    return sender, service


async def test_audience_filters_select_exactly_the_right_people(app: App) -> None:
    ids = await people(app, [
        {"region": "naryn", "language": "ky"},                   # 0
        {"region": "naryn", "language": "ru", "course": "wps1325"},  # 1
        {"region": "osh_city", "language": "ky"},                # 2
        {"region": "naryn", "language": "ky", "muted": True},    # 3 muted
        {"region": "naryn", "language": "ky", "active": False},  # 4 blocked the bot
        {"region": None, "language": "en", "role": Role.COORDINATOR},  # 5
        {"region": "talas", "language": "ru", "course": "rights"},     # 6
    ])

    async def chosen(audience: Audience) -> set[int]:
        async with app.sessions() as session:
            found = await session.scalars(broadcast_repo.audience_query(audience))
            return {ids.index(user.id) for user in found}

    assert await chosen(Audience()) == {0, 1, 2, 5, 6}
    assert await chosen(Audience(regions=("naryn",))) == {0, 1}
    assert await chosen(Audience(languages=("ky",))) == {0, 2}
    assert await chosen(Audience(roles=("coordinator",))) == {5}
    assert await chosen(Audience(courses=("wps1325",))) == {1}
    assert await chosen(Audience(courses=("wps1325", "rights"))) == {1, 6}
    assert await chosen(Audience(regions=("naryn", "talas"), languages=("ru",))) == {1, 6}
    assert await chosen(Audience(within_regions=("naryn",))) == {0, 1}  # a Naryn coordinator's "everyone"
    assert await chosen(Audience(regions=("osh_city",), within_regions=("naryn",))) == set()


async def test_a_coordinator_composes_and_sends_to_her_regions(app: App, make_user, channel: CollectingChannel) -> None:
    await people(app, [{"region": "naryn", "language": "ky"}, {"region": "naryn", "language": "ru"},
                       {"region": "osh_city", "language": "ru"}])
    coordinator = make_user(user_key="1", language_hint="en")
    await onboard(coordinator, "en", "Naryn region")
    await make_staff(app, "1", Role.COORDINATOR, ["naryn"])
    await coordinator.send("/menu")
    await coordinator.press("Coordinator")
    await coordinator.press("Campaign alerts")
    await coordinator.press("New alert")
    await coordinator.press("A text in each language")
    for text in ("Эртең саат 10до жыйын", "Завтра в 10 собрание", "Meeting tomorrow at 10"):
        await coordinator.send(text)
    assert "Recipients: 3" in coordinator.text  # her two Naryn people and herself
    await coordinator.press("Audience")
    assert all("Osh" not in label for label in coordinator.button_labels())  # only her regions
    await coordinator.press_exactly("Кыргызча")
    assert "Recipients: 1" in coordinator.text
    await coordinator.press_exactly("✓ Кыргызча")
    await coordinator.press("Done")
    await coordinator.press('"I have read this"')
    await coordinator.press("Preview")
    assert any("📣 Meeting tomorrow at 10" in reply.text for reply in coordinator.replies)
    await coordinator.press("Send now")
    assert "Sending to 3 people" in coordinator.text

    sender, service = sender_for(app, channel)
    await service.start_due(app.engine.clock())
    assert await sender.drain() == 3
    await service.report_progress(app.engine.clock())
    alerts = {chat: reply for chat, reply in channel.sent_to.items() for _, reply in reply if reply.text.startswith("📣")}
    received = {chat: [reply.text for _, reply in replies if reply.text.startswith("📣")] for chat, replies in channel.sent_to.items()}
    assert received["7000"] == ["📣 Эртең саат 10до жыйын"] and received["7001"] == ["📣 Завтра в 10 собрание"]
    assert "7002" not in received  # Osh: not hers
    # her own copy comes after the preview, which showed the alert in each language
    assert received["1"] == ["📣 Эртең саат 10до жыйын", "📣 Завтра в 10 собрание", "📣 Meeting tomorrow at 10",
                             "📣 Meeting tomorrow at 10"]
    assert alerts
    final = [reply.text for _, reply in channel.sent_to["1"] if "is finished" in reply.text]
    assert final == ["Alert #1 is finished: sent 3, failed 0, blocked the bot 0, not sent 0. Read so far: 0."]

    reader = ScriptedUser(app.engine, channel, user_key="7000")
    await reader.press_action("bc:read:1")
    assert reader.text == app.content.catalog.text("ky", "bc-thanks-read")
    await coordinator.send("/broadcasts")
    assert "read: 1 of 3 (33%)" in coordinator.text
    async with app.sessions() as session:
        assert (await session.scalar(select(AuditEntry.action).where(AuditEntry.action == "broadcast.created")))


@pytest.mark.parametrize("forged", ["bc", "bc:new", "bc:each", "bc:go", "bc:list", "bc:cancel:1", "bc:tg:r:naryn", "bc:opt"])
async def test_a_member_cannot_broadcast_even_with_a_forged_button(app: App, make_user, forged: str) -> None:
    member = make_user(user_key="2")
    await onboard(member, "en", None)
    await member.press_action(forged)
    assert "only for coordinators and admins" in member.text
    async with app.sessions() as session:
        assert (await session.scalars(select(Broadcast))).all() == []


async def test_only_an_admin_cancels_another_coordinators_alert(app: App, make_user) -> None:
    author = make_user(user_key="3")
    await onboard(author, "en", None)
    await make_staff(app, "3", Role.COORDINATOR, ["batken"])
    await author.press_action("bc:new")
    await author.send("Training on Friday")
    await author.press("Send at a time")
    await author.send("01.12.2026 10:00")
    assert "will go out on 01.12.2026 10:00" in author.text
    other = make_user(user_key="4")
    await onboard(other, "en", None)
    await make_staff(app, "4", Role.COORDINATOR, ["batken"])
    await other.press_action("bc:cancel:1")
    assert "only for coordinators and admins" in other.text
    admin = make_user(user_key="5")
    await onboard(admin, "en", None)
    await make_staff(app, "5", Role.ADMIN, [])
    await admin.send("/broadcasts")
    await admin.press("Cancel alert #1")
    async with app.sessions() as session:
        assert (await session.get(Broadcast, 1)).status == "cancelled"


async def test_a_link_too_long_to_keep_is_refused_at_once_not_when_the_alert_is_sent(app: App, make_user) -> None:
    """SQLite kept a 600-character link; PostgreSQL refused it at "Send now" and the alert was lost."""
    author = make_user(user_key="3")
    await onboard(author, "en", None)
    await make_staff(app, "3", Role.COORDINATOR, ["batken"])
    await author.press_action("bc:new")
    await author.send("Training on Friday")
    await author.press("Link button")
    await author.send("https://example.org/" + "a" * 600 + " Read more")
    assert author.text == app.content.catalog.text("en", "bc-bad-link")
    await author.send("https://example.org/" + "a" * 470 + " Read more")
    assert "Link button: https://example.org/aaa" in author.text
    await author.press("Send now")
    async with app.sessions() as session:
        broadcast = await session.get(Broadcast, 1)
        assert (len(broadcast.link_url), broadcast.link_label) == (490, "Read more")


async def test_a_muted_person_gets_no_alert_and_can_unmute(app: App, make_user) -> None:
    user = make_user(user_key="6")
    await onboard(user, "en", None)
    await user.press("Settings")
    await user.press("Mute campaign alerts")
    assert "Campaign alerts: muted" in user.text
    async with app.sessions() as session:
        assert await broadcast_repo.count_audience(session, Audience()) == 0
    await user.press("Receive campaign alerts")
    assert "Campaign alerts: on" in user.text


class FlakyChannel(CollectingChannel):
    """Answers 429 to the first sends, 403 for some chats, and errors for others."""

    def __init__(self, blocked: set[str], broken: set[str], rate_limited: int) -> None:
        super().__init__()
        self.blocked_chats, self.broken, self.rate_limited = blocked, broken, rate_limited
        self.attempts: dict[str, int] = {}

    async def deliver(self, incoming: Incoming, effects: list) -> Delivery:
        self.attempts[incoming.chat_key] = self.attempts.get(incoming.chat_key, 0) + 1; print("CALL", incoming.chat_key, self.rate_limited)
        if any(isinstance(effect, Reply) and effect.text.startswith("📣") for effect in effects):
            if self.rate_limited > 0 and incoming.chat_key not in self.blocked_chats | self.broken:
                self.rate_limited -= 1  # the first few others are told to wait (which ones: the limiter's order)
                return Delivery(retry_after=0.05)
            if incoming.chat_key in self.blocked_chats:
                return Delivery(blocked=True)
            if incoming.chat_key in self.broken:
                return Delivery(failed=True)
        return await super().deliver(incoming, effects)


async def test_429_403_and_errors_are_handled_and_nobody_gets_two(app: App, clock) -> None:
    await people(app, [{"region": "chui"} for _ in range(30)])
    channel = FlakyChannel(blocked={"7003", "7004"}, broken={"7005"}, rate_limited=5)
    async with app.sessions() as session, session.begin():
        broadcast = await broadcast_repo.create_broadcast(session, app.cipher, created_by=None, status="scheduled", texts={"all": "Hearing on Monday"}, audience={},
            ask_ack=False, send_at=clock.now)
    sender, service = sender_for(app, channel)
    await service.start_due(clock.now)
    from datetime import timedelta

    for _ in range(4):  # retries come with backoff; move the clock past each
        await sender.drain()
        clock.now += timedelta(seconds=10)
    received = {chat: sum(reply.text.startswith("📣") for _, reply in replies) for chat, replies in channel.sent_to.items()}
    assert set(received.values()) == {1} and len(received) == 27
    async with app.sessions() as session:
        rows = {row.chat_key: row for row in (await session.scalars(select(Outbox))).all()}
        blocked = (await session.scalars(select(User.external_id).where(User.active.is_(False)))).all()
    assert rows["7003"].status == "blocked" and sorted(blocked) == ["7003", "7004"]
    assert rows["7005"].status == "failed" and rows["7005"].attempts == 3 and channel.attempts["7005"] == 3
    assert broadcast.id == 1


async def test_rows_in_doubt_after_a_crash_are_not_sent_again(app: App, clock) -> None:
    ids = await people(app, [{"region": "talas"} for _ in range(3)])
    async with app.sessions() as session, session.begin():
        broadcast = await broadcast_repo.create_broadcast(session, app.cipher, created_by=None, status="sending", texts={"all": "Alert"}, audience={}, ask_ack=False, send_at=clock.now)
        await session.execute(insert(Outbox), [
            {"broadcast_id": broadcast.id, "user_id": user_id, "channel": "telegram", "chat_key": str(7000 + number),
             "language": "en", "status": status, "attempts": 0, "next_attempt_at": clock.now}
            for number, (user_id, status) in enumerate(zip(ids, ["sent", "sending", "pending"]))
        ])
    channel = CollectingChannel()
    sender, _ = sender_for(app, channel)
    assert await sender.recover() == 1
    await sender.drain()
    assert list(channel.sent_to) == ["7002"]  # only the pending one; the one in doubt is not resent
    async with app.sessions() as session:
        statuses = [row.status for row in (await session.scalars(select(Outbox).order_by(Outbox.id))).all()]
    assert statuses == [OutboxStatus.SENT, OutboxStatus.UNKNOWN, OutboxStatus.SENT]


async def test_a_photo_the_channel_cannot_download_is_asked_again_and_the_alert_kept(app, make_user, channel) -> None:  # type: ignore[no-untyped-def]
    """Found by the property test: a failed download in the alert composer crashed the update."""
    from core.messages import Media

    coordinator = await new_staff(app, make_user, "990")
    await coordinator.press_action("bc:new")
    await coordinator.send("Hearing on Monday")
    await coordinator.press_action("bc:photo")
    await coordinator.send_media(Media("photo", "not-downloadable", size=10))  # the channel has no such file
    assert app.content.catalog.text("en", "form-file-failed") in coordinator.text
    await coordinator.press_action("bc:opt")
    assert "Hearing on Monday" in coordinator.text  # the draft alert survived


async def test_an_idle_outbox_tick_asks_one_question_and_a_due_alert_still_goes(app: App, clock, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """An idle tick started alerts, drained and reported progress in three transactions every
    second. Now one read says there is nothing to do; an alert that falls due is started, sent
    and finished by the ticks as before."""
    from scheduler.runner import build_sender, outbox_tick
    from tests.test_statements import what_the_database_sees

    await people(app, [{"region": "talas"} for _ in range(3)])
    channel = CollectingChannel()
    sender, broadcasts = build_sender(app, {"telegram": channel})
    with what_the_database_sees(app, monkeypatch) as seen:
        await outbox_tick(app, sender, broadcasts)
    assert len(seen.statements) == 1 and seen.commits == 0
    async with app.sessions() as session, session.begin():
        broadcast = await broadcast_repo.create_broadcast(session, app.cipher, created_by=None, status="scheduled",
                                                          texts={"all": "Hearing on Monday"}, audience={},
                                                          ask_ack=False, send_at=clock.now)
    await outbox_tick(app, sender, broadcasts)
    assert sorted(channel.sent_to) == ["7000", "7001", "7002"]
    async with app.sessions() as session:
        assert (await session.get(Broadcast, broadcast.id)).status == "done"


async def test_chats_are_answered_while_the_progress_of_two_alerts_is_sent(app: App, make_user, channel) -> None:  # type: ignore[no-untyped-def]
    """The progress messages go out after the transaction that decided them: a send is a wait,
    and on SQLite the first alert's writes held every chat's update up while the second's went."""
    await new_staff(app, make_user, "61", Role.COORDINATOR, ["naryn"])
    other = make_user(user_key="62", language_hint="en")
    await onboard(other, "en", None)
    await people(app, [{"region": "naryn"}])
    async with app.sessions() as session, session.begin():
        creator = await session.scalar(select(User).where(User.external_id == "61"))
        for number in range(2):
            await broadcast_repo.create_broadcast(
                session, app.cipher, created_by=creator.id, status="scheduled", texts={"all": f"Alert {number}"},
                audience={}, ask_ack=False, send_at=app.engine.clock(), progress_channel="telegram",
                progress_chat="61")
    service = BroadcastService(app, {"telegram": channel})
    await service.start_due(app.engine.clock())
    held, release = asyncio.Event(), asyncio.Event()
    deliver = channel.deliver

    async def progress_held(incoming: Incoming, effects: list) -> Delivery:  # type: ignore[type-arg]
        if incoming.chat_key == "61" and not held.is_set() and any(
                "Alert #2" in getattr(effect, "text", "") for effect in effects):
            held.set()
            await release.wait()
        return await deliver(incoming, effects)

    channel.deliver = progress_held  # type: ignore[method-assign]
    reporting = asyncio.create_task(service.report_progress(app.engine.clock(), force=True))
    await asyncio.wait_for(held.wait(), 10)
    await asyncio.wait_for(other.send("/menu"), 10)  # the second alert's progress is still on its way
    assert "Main menu" in other.text and not reporting.done()
    release.set()
    await asyncio.wait_for(reporting, 10)
    texts = [reply.text for _, reply in channel.sent_to["61"]]
    assert any(text.startswith("Alert #1") for text in texts) and any(text.startswith("Alert #2") for text in texts)
    async with app.sessions() as session:
        kept = {broadcast.id: broadcast.progress_message for broadcast in await session.scalars(select(Broadcast))}
    assert all(kept.values())  # each progress message's id kept, to be edited next time


async def test_an_alert_is_queued_a_batch_at_a_time_everyone_once(app: App, channel, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Recipients are queued a batch a transaction, the loop given back between them (the chats
    are answered meanwhile); an alert whose queueing a stop interrupted goes on where it was."""
    ids = await people(app, [{"region": "naryn"} for _ in range(7)])
    monkeypatch.setattr(broadcast_repo, "ENQUEUED_AT_ONCE", 3)
    async with app.sessions() as session, session.begin():
        first = await broadcast_repo.create_broadcast(session, app.cipher, {"all": "First"}, created_by=None,
                                                      status="scheduled", audience={}, ask_ack=False, send_at=app.engine.clock())
        second = await broadcast_repo.create_broadcast(session, app.cipher, {"all": "Second"}, created_by=None,
                                                       status="scheduled", audience={}, ask_ack=False, send_at=app.engine.clock())
        assert await broadcast_repo.enqueue(session, second, app.engine.clock()) == ids[2]  # then the process stopped
    turns = 0

    async def chats() -> None:
        nonlocal turns
        while True:
            turns += 1
            await asyncio.sleep(0)

    answering = asyncio.create_task(chats())
    await asyncio.sleep(0)
    before = turns
    assert await BroadcastService(app, {"telegram": channel}).start_due(app.engine.clock()) == 2
    answering.cancel()
    assert turns - before >= 3  # served between each two batches: twice for the first alert, once for the second
    async with app.sessions() as session:
        queued = (await session.execute(select(Outbox.broadcast_id, Outbox.user_id))).all()
        statuses = set(await session.scalars(select(Broadcast.status)))
    assert sorted(queued) == sorted((alert.id, user_id) for alert in (first, second) for user_id in ids)
    assert statuses == {"sending"}
