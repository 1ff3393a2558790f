"""Monitoring reminders. The database says what is due: each tick queues the reminders whose time
has come into the outbox (in the same transaction that marks them queued, so each is queued
exactly once), creates the next occurrence of recurring tasks, and sends each coordinator one
morning summary of overdue tasks. A reminder that fell due while the bot was down is sent once,
marked late."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger
from sqlalchemy import and_, exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.actions import encode
from bot.messages import Button, Effect, Reply
from content import Content
from storage.crypto import Cipher
from storage.models import (
    GroupMember,
    MonitoringGroup,
    Outbox,
    OutboxStatus,
    Reminder,
    ReminderStatus,
    Role,
    SummarySent,
    Task,
    TaskDone,
    User,
)

LATE_AFTER = timedelta(minutes=5)
SUMMARY_HOUR = 9
BATCH = 5000


# ---------------------------------------------------------------- planning


def next_occurrence(task: Task, timezone: str) -> datetime | None:
    """The next due time of a recurring task, computed with APScheduler's triggers."""
    if not task.recurrence:
        return None
    zone = ZoneInfo(timezone)
    local = task.due_at.astimezone(zone)
    if task.recurrence == "weekly":
        trigger = CronTrigger(day_of_week=local.weekday(), hour=local.hour, minute=local.minute, timezone=zone)
    elif task.recurrence == "monthly":
        trigger = CronTrigger(day=local.day, hour=local.hour, minute=local.minute, timezone=zone)
    elif task.recurrence.startswith("cron:"):
        trigger = crontab_trigger(task.recurrence[len("cron:"):], zone)
    else:
        return None
    after = local + timedelta(seconds=1)
    fire = trigger.get_next_fire_time(None, after)
    return fire.astimezone(task.due_at.tzinfo) if fire else None


DAY_NAMES = ("sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun")


def crontab_trigger(expression: str, zone: ZoneInfo) -> CronTrigger:
    """A crontab rule as people write it (day of week 0 or 7 is Sunday, 1 is Monday).

    APScheduler 3 numbers the days from Monday = 0, so a numeric day of week is given by name."""
    fields = expression.split()
    if len(fields) == 5:
        fields[4] = re.sub(r"(?<![/\d])\d", lambda match: DAY_NAMES[int(match.group())], fields[4])
    return CronTrigger.from_crontab(" ".join(fields), timezone=zone)


def outside_quiet_hours(moment: datetime, group: MonitoringGroup, timezone: str) -> datetime:
    """A reminder that falls in the group's quiet hours moves to their end."""
    zone = ZoneInfo(timezone)
    local = moment.astimezone(zone)
    start, end = _clock(group.quiet_start), _clock(group.quiet_end)
    now_time = local.time()
    if start == end:
        return moment
    in_quiet = (start <= now_time or now_time < end) if start > end else (start <= now_time < end)
    if not in_quiet:
        return moment
    end_day = local.date() if now_time < end else local.date() + timedelta(days=1)
    return datetime.combine(end_day, end, tzinfo=zone).astimezone(moment.tzinfo)


async def plan_reminders(session: AsyncSession, task: Task, group: MonitoringGroup, user_ids: list[int],
                         now: datetime, timezone: str) -> int:
    """The reminders of one task for these members: each offset before the due time, and one at it."""
    planned = 0
    for user_id in user_ids:
        moments = [(f"before:{offset}", task.due_at - timedelta(minutes=offset)) for offset in task.offsets]
        moments.append(("due", task.due_at))
        for kind, moment in moments:
            if moment <= now and kind != "due":
                continue  # an advance reminder whose time is already gone is not sent
            send_at = outside_quiet_hours(moment, group, timezone)
            session.add(Reminder(task_id=task.id, user_id=user_id, kind=kind, send_at=send_at))
            planned += 1
    return planned


async def task_members(session: AsyncSession, task: Task) -> list[int]:
    if task.assignee_id is not None:
        return [task.assignee_id]
    return list(await session.scalars(select(GroupMember.user_id).where(GroupMember.group_id == task.group_id)))


# ---------------------------------------------------------------- the tick


async def queue_due_reminders(session: AsyncSession, now: datetime) -> int:
    rows = (await session.execute(
        select(Reminder, User)
        .join(User, User.id == Reminder.user_id)
        .where(Reminder.status == ReminderStatus.PENDING, Reminder.send_at <= now)
        .order_by(Reminder.send_at)
        .limit(BATCH)
    )).all()
    queued = 0
    # Several reminders of one task for one person due at once (the bot was down): only the last.
    latest: dict[tuple[int, int], Reminder] = {}
    for reminder, _ in rows:
        key = (reminder.task_id, reminder.user_id)
        if key not in latest or reminder.send_at >= latest[key].send_at:
            latest[key] = reminder
    for reminder, user in rows:
        if latest[(reminder.task_id, reminder.user_id)] is not reminder:
            reminder.status = ReminderStatus.CANCELLED
            continue
        done = await session.scalar(select(exists().where(and_(TaskDone.task_id == reminder.task_id, TaskDone.user_id == user.id))))
        if done or not user.active or user.language is None:
            reminder.status = ReminderStatus.CANCELLED
            continue
        reminder.status = ReminderStatus.QUEUED
        reminder.late = now - reminder.send_at > LATE_AFTER
        session.add(Outbox(kind="reminder", reminder_id=reminder.id, user_id=user.id, channel=user.channel,
                           chat_key=user.external_id, language=user.language, status=OutboxStatus.PENDING,
                           attempts=0, next_attempt_at=now))
        queued += 1
    return queued


async def roll_recurrences(session: AsyncSession, now: datetime, timezone: str) -> int:
    created = 0
    tasks = await session.scalars(
        select(Task).where(Task.recurrence.is_not(None), Task.next_created.is_(False), Task.due_at <= now)
    )
    for task in list(tasks):
        task.next_created = True
        due = next_occurrence(task, timezone)
        if due is None:
            continue
        following = Task(group_id=task.group_id, title_token=task.title_token, description_token=task.description_token,
                         due_at=due,
                         recurrence=task.recurrence, assignee_id=task.assignee_id, offsets=list(task.offsets),
                         created_by=task.created_by, created_at=now)
        session.add(following)
        await session.flush()
        group = await session.get(MonitoringGroup, task.group_id)
        if group is not None:
            await plan_reminders(session, following, group, await task_members(session, following), now, timezone)
        created += 1
    return created


async def queue_summaries(session: AsyncSession, now: datetime, timezone: str, cipher: Cipher) -> int:
    """Each morning, each coordinator (still one): her groups' overdue tasks and who has not
    done them."""
    local = now.astimezone(ZoneInfo(timezone))
    if local.hour < SUMMARY_HOUR:
        return 0
    day = local.date().isoformat()
    queued = 0
    coordinators = await session.scalars(
        select(User).where(User.id.in_(select(MonitoringGroup.coordinator_id)), User.active.is_(True),
                           User.role.in_([Role.COORDINATOR, Role.ADMIN]))
    )
    for coordinator in list(coordinators):
        if await session.get(SummarySent, (coordinator.id, day)) is not None:
            continue
        session.add(SummarySent(coordinator_id=coordinator.id, day=day))
        overdue = await overdue_tasks(session, coordinator.id, now, cipher)
        if not overdue or coordinator.language is None:
            continue
        session.add(Outbox(kind="summary", user_id=coordinator.id, channel=coordinator.channel,
                           chat_key=coordinator.external_id, language=coordinator.language,
                           status=OutboxStatus.PENDING, attempts=0, next_attempt_at=now,
                           payload_token=cipher.encrypt_json({"overdue": overdue})))
        queued += 1
    return queued


async def overdue_tasks(session: AsyncSession, coordinator_id: int, now: datetime, cipher: Cipher) -> list[dict[str, Any]]:
    groups = {group.id: group for group in await session.scalars(
        select(MonitoringGroup).where(MonitoringGroup.coordinator_id == coordinator_id))}
    if not groups:
        return []
    result = []
    tasks = await session.scalars(
        select(Task).where(Task.group_id.in_(groups), Task.due_at <= now, Task.due_at > now - timedelta(days=30))
        .order_by(Task.due_at, Task.id)
    )
    for task in list(tasks):
        members = await task_members(session, task)
        done = set(await session.scalars(select(TaskDone.user_id).where(TaskDone.task_id == task.id)))
        missing = [member for member in members if member not in done]
        if missing:
            result.append({"task": task.id, "title": cipher.decrypt(task.title_token).decode(), "group": groups[task.group_id].name,
                           "due": task.due_at.isoformat(), "missing": len(missing), "members": len(members)})
    return result


# ---------------------------------------------------------------- what a member receives


async def render_reminder(
    session: AsyncSession, row: Outbox, content: Content, timezone: str, cipher: Cipher
) -> list[Effect] | None:
    if row.reminder_id is None:
        return None
    done = exists().where(and_(TaskDone.task_id == Reminder.task_id, TaskDone.user_id == Reminder.user_id))
    found = (await session.execute(
        select(Reminder, Task, done).join(Task, Task.id == Reminder.task_id).where(Reminder.id == row.reminder_id)
    )).first()
    if found is None or found[2]:
        return None  # gone, or done since it was queued
    reminder, task = found[0], found[1]
    language = row.language
    text = content.catalog.text
    due = task.due_at.astimezone(ZoneInfo(timezone)).strftime("%d.%m.%Y %H:%M")
    key = "task-due-now" if reminder.kind == "due" else "task-reminder"
    parts = [text(language, key, title=cipher.decrypt(task.title_token).decode(), due=due)]
    if task.description_token:
        parts.append(cipher.decrypt(task.description_token).decode())
    if reminder.late:
        parts.append(text(language, "task-late"))
    rows = (
        (Button(text(language, "task-done"), encode("tk:done", task.id)),),
        (Button(text(language, "task-snooze-hour"), encode("tk:snz", task.id, "h")),
         Button(text(language, "task-snooze-day"), encode("tk:snz", task.id, "d"))),
        (Button(text(language, "task-file-report"), encode("tk:rep", task.id)),),
    )
    return [Reply(text="\n\n".join(parts), buttons=rows, language=language)]


async def render_summary(
    session: AsyncSession, row: Outbox, content: Content, timezone: str, cipher: Cipher
) -> list[Effect] | None:
    role = await session.scalar(select(User.role).where(User.id == row.user_id)) if row.user_id else None
    if role not in (Role.COORDINATOR, Role.ADMIN) or row.payload_token is None:
        return None  # no longer staff
    overdue = cipher.decrypt_json(row.payload_token).get("overdue") or []
    if not overdue:
        return None
    text = content.catalog.text
    zone = ZoneInfo(timezone)
    lines = [text(row.language, "task-summary-title", count=len(overdue))]
    for item in overdue:
        due = datetime.fromisoformat(item["due"]).astimezone(zone).strftime("%d.%m %H:%M")
        lines.append(text(row.language, "task-summary-line", title=item["title"], group=item["group"], due=due,
                          missing=item["missing"], members=item["members"]))
    open_tasks = Button(text(row.language, "task-open-tasks"), encode("tk"))
    return [Reply(text="\n".join(lines), buttons=((open_tasks,),), language=row.language)]


def _clock(value: str) -> time:
    hour, minute = (int(part) for part in value.split(":"))
    return time(hour, minute)
