"""Monitoring groups, tasks and reminders under a controlled clock."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from bot.app import App, build_app
from core.timing import next_occurrence
from scheduler.runner import build_sender, queue_monitoring
from storage.models import MonitoringGroup, Outbox, Reminder, Task, TaskDone, User
from tests.chat import CollectingChannel
from tests.helpers import BISHKEK, create_group, create_task, local, make_coordinator, onboard


async def tick(app: App, channel: CollectingChannel) -> list[str]:
    """One scheduler tick; returns the reminder texts delivered."""
    before = {chat: len(replies) for chat, replies in channel.sent_to.items()}
    sender, broadcasts = build_sender(app, {"telegram": channel})
    await queue_monitoring(app)
    await sender.drain()
    texts = []
    for chat, replies in channel.sent_to.items():
        texts += [f"{chat}: {reply.text}" for _, reply in replies[before.get(chat, 0):]]
    return texts


@pytest.fixture
async def setup(app: App, make_user, channel: CollectingChannel, clock):  # type: ignore[no-untyped-def]
    clock.now = local(23, 12).astimezone(ZoneInfo("UTC"))
    coordinator = await make_coordinator(app, make_user)
    code = await create_group(coordinator)
    member = make_user(user_key="200", language_hint="en")
    await onboard(member, "en", "Naryn region")
    await member.send(f"/start join-{code}")
    assert 'member of the monitoring group "Kochkor monitors"' in member.text
    return coordinator, member


async def test_reminders_come_at_their_offsets_and_once(app: App, setup, channel, clock) -> None:
    coordinator, member = setup
    await coordinator.send("/menu")
    await coordinator.press("Coordinator")
    await coordinator.press("Monitoring groups")
    await coordinator.press("Kochkor monitors")
    await create_task(coordinator, "Visit the crisis centre", "27.11.2026 10:00")
    assert "Reminders planned: 3" in coordinator.text  # 3 days before, 2 hours before, at the due time

    clock.now = (local(24, 9, 59)).astimezone(ZoneInfo("UTC"))
    assert await tick(app, channel) == []
    clock.now = (local(24, 10, 0)).astimezone(ZoneInfo("UTC"))
    sent = await tick(app, channel)
    assert len(sent) == 1 and sent[0].startswith("200: ⏰ Reminder: Visit the crisis centre")
    assert "27.11.2026 10:00" in sent[0]
    assert await tick(app, channel) == []  # once
    clock.now = local(27, 8, 0).astimezone(ZoneInfo("UTC"))
    assert len(await tick(app, channel)) == 1  # two hours before
    clock.now = local(27, 10, 0).astimezone(ZoneInfo("UTC"))
    [due] = [text for text in await tick(app, channel) if text.startswith("200:")]
    assert "Due now: Visit the crisis centre" in due
    labels = [button.label for _, reply in channel.sent_to["200"][-1:] for button in reply.flat_buttons]
    assert labels == ["✅ Done", "💤 In 1 hour", "💤 Tomorrow", "📋 File the monitoring report"]


async def test_quiet_hours_move_a_reminder_to_their_end(app: App, setup, channel, clock) -> None:
    coordinator, member = setup
    await coordinator.press_action("grp:g:1")
    await create_task(coordinator, "Night shift check", "26.11.2026 00:30")
    clock.now = local(25, 22, 31).astimezone(ZoneInfo("UTC"))  # 2 h before would be 22:30: quiet
    assert await tick(app, channel) == []
    clock.now = local(26, 7, 59).astimezone(ZoneInfo("UTC"))
    assert await tick(app, channel) == []
    clock.now = local(26, 8, 0).astimezone(ZoneInfo("UTC"))
    sent = await tick(app, channel)
    assert len(sent) == 1 and "Due now: Night shift check" in sent[0]  # the two quiet ones became one at 08:00


async def test_snooze_and_done(app: App, setup, channel, clock) -> None:
    coordinator, member = setup
    await coordinator.press_action("grp:g:1")
    await create_task(coordinator, "Public hearing", "27.11.2026 15:00")
    clock.now = local(24, 15, 0).astimezone(ZoneInfo("UTC"))
    assert len(await tick(app, channel)) == 1
    await member.press("In 1 hour")
    assert "remind you again on 24.11 16:00" in member.text
    clock.now = local(24, 15, 59).astimezone(ZoneInfo("UTC"))
    assert await tick(app, channel) == []
    clock.now = local(24, 16, 0).astimezone(ZoneInfo("UTC"))
    assert len(await tick(app, channel)) == 1
    await member.press("Done")
    assert "Marked as done: Public hearing" in member.text
    clock.now = local(28, 0, 0).astimezone(ZoneInfo("UTC"))
    assert await tick(app, channel) == []  # Done stops the 2-hours-before and the due reminder
    await member.send("/tasks")
    assert "No open tasks" in member.text


async def test_a_weekly_task_creates_its_next_occurrence(app: App, setup, channel, clock) -> None:
    coordinator, _ = setup
    await coordinator.press_action("grp:g:1")
    await create_task(coordinator, "Weekly visit", "25.11.2026 11:00", recurrence="Every week")
    clock.now = local(25, 11, 0).astimezone(ZoneInfo("UTC"))
    await tick(app, channel)
    async with app.sessions() as session:
        tasks = (await session.scalars(select(Task).order_by(Task.id))).all()
        assert [task.due_at.astimezone(BISHKEK) for task in tasks] == [local(25, 11), local(25, 11) + timedelta(days=7)]
        following = await session.scalars(select(Reminder.kind).where(Reminder.task_id == tasks[1].id))
        assert sorted(following) == ["before:120", "before:4320", "due"]
    def following_due(day: int, recurrence: str) -> datetime:
        found = next_occurrence(local(day, 9).astimezone(ZoneInfo("UTC")), recurrence, "Asia/Bishkek")
        assert found is not None
        return found.astimezone(BISHKEK)

    assert following_due(30, "monthly") == datetime(2026, 12, 30, 9, tzinfo=BISHKEK)
    assert following_due(23, "cron:0 9 * * 1") == local(30, 9)  # Mondays 09:00
    assert following_due(23, "cron:0 9 * * 1-5") == local(24, 9)  # weekdays


async def test_a_restart_sends_nothing_twice_and_loses_nothing(app: App, setup, settings, channel, clock) -> None:
    coordinator, _ = setup
    await coordinator.press_action("grp:g:1")
    await create_task(coordinator, "Budget hearing", "27.11.2026 10:00")
    clock.now = local(24, 10, 0).astimezone(ZoneInfo("UTC"))
    await queue_monitoring(app)  # queued, then the bot stops before sending
    async with app.sessions() as session:
        assert (await session.scalar(select(Outbox).where(Outbox.kind == "reminder"))).status == "pending"
    await app.close()

    restarted = await build_app(settings, clock=clock, run_migrations=False)
    restarted.engine.register_channel(channel)
    sent = await tick(restarted, channel)
    assert len(sent) == 1  # not lost
    assert await tick(restarted, channel) == []  # not twice
    await restarted.close()


async def test_a_reminder_missed_while_down_is_sent_once_marked_late(app: App, setup, channel, clock) -> None:
    coordinator, _ = setup
    await coordinator.press_action("grp:g:1")
    await create_task(coordinator, "Crisis centre report", "27.11.2026 10:00")
    clock.now = local(27, 9, 0).astimezone(ZoneInfo("UTC"))  # the 3-day and 2-hour reminders passed while down
    sent = await tick(app, channel)
    assert len(sent) == 1 and "comes late" in sent[0]
    assert await tick(app, channel) == []


async def test_a_member_who_blocked_the_bot_is_marked_inactive_and_not_retried(app: App, setup, channel, clock) -> None:
    coordinator, _ = setup
    await coordinator.press_action("grp:g:1")
    await create_task(coordinator, "Hearing", "27.11.2026 10:00")
    channel.blocked.add("200")
    clock.now = local(24, 10, 0).astimezone(ZoneInfo("UTC"))
    await tick(app, channel)
    async with app.sessions() as session:
        assert (await session.scalar(select(User).where(User.external_id == "200"))).active is False
        assert (await session.scalar(select(Outbox.status).where(Outbox.kind == "reminder"))) == "blocked"
    clock.now = local(27, 10, 0).astimezone(ZoneInfo("UTC"))
    await tick(app, channel)
    async with app.sessions() as session:
        reminders = (await session.scalars(select(Reminder.status))).all()
    assert "pending" not in reminders and sorted(reminders).count("queued") == 1


async def test_the_coordinator_gets_a_morning_summary_and_sees_states(app: App, setup, channel, clock, make_user) -> None:
    coordinator, member = setup
    await coordinator.press_action("grp:g:1")
    await create_task(coordinator, "Quota check", "24.11.2026 10:00")
    clock.now = local(24, 10, 0).astimezone(ZoneInfo("UTC"))
    await tick(app, channel)
    clock.now = local(25, 8, 59).astimezone(ZoneInfo("UTC"))
    assert not any(text.startswith("100:") for text in await tick(app, channel))
    clock.now = local(25, 9, 0).astimezone(ZoneInfo("UTC"))
    summary = [text for text in await tick(app, channel) if text.startswith("100:")]
    assert len(summary) == 1 and "Overdue tasks in your groups: 1" in summary[0] and "1 of 1 not done" in summary[0]
    assert not any(text.startswith("100:") for text in await tick(app, channel))  # once a day
    await coordinator.send("/tasks")
    assert "Quota check" in coordinator.text and "⚠️" in coordinator.text and "Completion: 0% (0 of 1)" in coordinator.text
    await member.press_action("tk:done:1")
    await coordinator.send("/tasks")
    assert "Completion: 100% (1 of 1)" in coordinator.text


async def test_filing_the_monitoring_report_from_a_reminder_marks_it_done(app: App, setup, channel, clock) -> None:
    coordinator, member = setup
    await coordinator.press_action("grp:g:1")
    await create_task(coordinator, "Hearing visit", "27.11.2026 10:00")
    await member.press_action("tk:rep:1")
    form = app.content.forms["monitoring"]
    assert form.field("region").question.en in member.text
    await member.press_exactly(app.content.region_name("en", "naryn"))
    await member.send("Kochkor aiyl aimak")
    await member.press_exactly(form.field("subject").option("hearing").label.en)
    await member.press("Today")
    await member.send("12")
    await member.send("9")
    await member.send("The hearing was held; women spoke about the school budget.")
    await member.press("Skip")
    await member.press("Skip")  # no photos: the step offers Skip until a file is sent
    await member.press("Send")
    reference = member.text.split("Your reference code: ")[1].split()[0]
    async with app.sessions() as session:
        [done] = (await session.scalars(select(TaskDone))).all()
    assert done.report_reference == reference
    await member.send("/tasks")
    assert "No open tasks" in member.text


@pytest.mark.parametrize("forged", ["grp", "grp:new", "grp:g:1", "grp:m:1", "grp:rm:1:2", "grp:renew:1", "tk:new:1", "grp:t:1", "grp:quiet:1"])
async def test_a_member_cannot_create_tasks_even_with_a_forged_button(app: App, setup, forged: str) -> None:
    _, member = setup
    await member.press_action(forged)
    assert "only for coordinators and admins" in member.text
    async with app.sessions() as session:
        assert (await session.scalars(select(Task))).all() == []
        assert (await session.scalar(select(MonitoringGroup))).invite_hash


async def test_a_coordinator_of_another_region_cannot_touch_the_group(app: App, setup, make_user) -> None:
    other = await make_coordinator(app, make_user, user_key="300", regions=["talas"])
    await other.press_action("tk:new:1")
    assert "only for coordinators and admins" in other.text


async def many_members_due_now(app: App, count: int, clock) -> tuple[list[int], int]:  # type: ignore[no-untyped-def]
    """A group of `count` members and one task due now, each member's reminder due: their ids
    (the first has done the task, the second is inactive) and the task's id."""
    async with app.sessions() as session, session.begin():
        group = MonitoringGroup(name="Batch", region="naryn", invite_hash=f"batch{count}",
                                invite_token=app.cipher.encrypt(b"BATCH1"), quiet_start="00:00", quiet_end="00:00",
                                default_offsets=[])
        people = [User(channel="telegram", external_id=str(8000 + number), language="ky", region="naryn",
                       role="member", coordinator_regions=[], active=number != 1) for number in range(count)]
        session.add_all([group, *people])
        await session.flush()
        task = Task(group_id=group.id, title_token=app.cipher.encrypt("Шайлоону көзөмөлдөө".encode()), due_at=clock.now,
                    offsets=[])
        session.add(task)
        await session.flush()
        session.add_all([Reminder(task_id=task.id, user_id=person.id, kind="due", send_at=clock.now) for person in people])
        session.add(TaskDone(task_id=task.id, user_id=people[0].id, done_at=clock.now))
        return [person.id for person in people], task.id


@pytest.mark.parametrize("count", [5, 60])
async def test_reminders_due_together_are_queued_and_sent_in_the_same_few_statements(
    app: App, channel, clock, monkeypatch, count: int  # type: ignore[no-untyped-def]
) -> None:
    """A tick's statements do not grow with the reminders due: one read of them with their
    people, one of the task's done marks, one UPDATE per outcome, one INSERT into the outbox; the
    sender reads a claim's reminders in one query and decrypts the task's title once for them all."""
    from tests.test_statements import what_the_database_sees

    ids, task_id = await many_members_due_now(app, count, clock)
    decrypted: list[bytes] = []
    decrypt = app.cipher.decrypt
    monkeypatch.setattr(app.cipher, "decrypt", lambda token: decrypted.append(token) or decrypt(token))
    with what_the_database_sees(app, monkeypatch) as seen:
        await queue_monitoring(app)
    queue_statements = [sql for sql in seen.statements if "reminders" in sql or "outbox" in sql or "task_done" in sql]
    assert len(queue_statements) == 5  # two reads; UPDATEs for the cancelled and the queued; the INSERT
    sender, _ = build_sender(app, {"telegram": channel})
    await sender.drain()
    assert sorted(channel.sent_to) == sorted(str(8000 + number) for number in range(2, count))
    assert all(replies[0][1].text.startswith("⏰") and "Шайлоону көзөмөлдөө" in replies[0][1].text
               for replies in channel.sent_to.values())
    assert len(decrypted) == -(-(count - 2) // sender.batch_size)  # the title, once for each claim's rows
    async with app.sessions() as session:
        statuses = dict((await session.execute(select(Reminder.user_id, Reminder.status))).all())
        queued = await session.scalar(select(func.count()).select_from(Outbox).where(Outbox.kind == "reminder"))
    assert statuses[ids[0]] == statuses[ids[1]] == "cancelled"  # done, and no longer active
    assert {statuses[user_id] for user_id in ids[2:]} == {"queued"} and queued == count - 2


async def test_one_tick_queues_every_reminder_due_a_batch_at_a_time(app: App, clock, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A tick queued one batch and left the rest for the next ticks, ten seconds apart: 30,000
    reminders due together went out at 500 a second, whatever the set rate."""
    from storage import monitoring_repo

    monkeypatch.setattr(monitoring_repo, "BATCH", 7)
    ids, _ = await many_members_due_now(app, 20, clock)
    await queue_monitoring(app)
    async with app.sessions() as session:
        statuses = dict((await session.execute(select(Reminder.user_id, Reminder.status))).all())
        queued = await session.scalar(select(func.count()).select_from(Outbox).where(Outbox.kind == "reminder"))
    assert queued == 18 and {statuses[user_id] for user_id in ids[2:]} == {"queued"}
