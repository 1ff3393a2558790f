"""Monitoring groups, tasks and reminders in the database. The database says what is due: each
tick queues the reminders whose time has come into the outbox (in the same transaction that marks
them queued, so each is queued exactly once), creates the next occurrence of recurring tasks, and
queues each coordinator one morning summary of overdue tasks. A reminder that fell due while the
bot was down is queued once, marked late."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, delete, exists, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.timing import next_occurrence, outside_quiet_hours
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
# Reminders queued in one transaction: about 50 ms of the event loop, and ids enough for one
# IN (...) list on either database.
BATCH = 1000


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
            send_at = outside_quiet_hours(moment, group.quiet_start, group.quiet_end, timezone)
            session.add(Reminder(task_id=task.id, user_id=user_id, kind=kind, send_at=send_at))
            planned += 1
    return planned


async def task_members(session: AsyncSession, task: Task) -> list[int]:
    if task.assignee_id is not None:
        return [task.assignee_id]
    return list(await session.scalars(select(GroupMember.user_id).where(GroupMember.group_id == task.group_id)))


async def queue_due_reminders(session: AsyncSession, now: datetime) -> bool:
    """Up to BATCH reminders whose time has come, into the outbox in this transaction; whether
    more are due (for another batch, in another transaction). A batch costs a few statements
    whatever its size: one read of the reminders with their people, one of the tasks these
    people have done, an UPDATE per outcome and one INSERT of the outbox rows."""
    rows = (await session.execute(
        select(Reminder.id, Reminder.task_id, Reminder.send_at, User.id.label("user_id"), User.active, User.language,
               User.channel, User.external_id)
        .join(User, User.id == Reminder.user_id)
        .where(Reminder.status == ReminderStatus.PENDING, Reminder.send_at <= now)
        .order_by(Reminder.send_at)
        .limit(BATCH)
    )).all()
    if not rows:
        return False
    # Several reminders of one task for one person due at once (the bot was down): only the last.
    latest: dict[tuple[int, int], Any] = {}
    for row in rows:
        key = (row.task_id, row.user_id)
        if key not in latest or row.send_at >= latest[key].send_at:
            latest[key] = row
    done = {(task_id, user_id) for task_id, user_id in await session.execute(
        select(TaskDone.task_id, TaskDone.user_id).where(TaskDone.task_id.in_({row.task_id for row in rows}))
    )}
    cancelled, on_time, late, outbox = [], [], [], []
    for row in rows:
        reminder_id, task_id, send_at, user_id, active, language, channel, chat_key = row
        if latest[(task_id, user_id)] is not row or (task_id, user_id) in done or not active or language is None:
            cancelled.append(reminder_id)
            continue
        (late if now - send_at > LATE_AFTER else on_time).append(reminder_id)
        outbox.append({"kind": "reminder", "reminder_id": reminder_id, "user_id": user_id, "channel": channel,
                       "chat_key": chat_key, "language": language, "status": OutboxStatus.PENDING, "attempts": 0,
                       "next_attempt_at": now})
    for ids, values in ((cancelled, {"status": ReminderStatus.CANCELLED}),
                        (on_time, {"status": ReminderStatus.QUEUED, "late": False}),
                        (late, {"status": ReminderStatus.QUEUED, "late": True})):
        if ids:
            await session.execute(update(Reminder).where(Reminder.id.in_(ids)).values(**values))
    if outbox:
        await session.execute(insert(Outbox), outbox)
    return len(rows) == BATCH


async def roll_recurrences(session: AsyncSession, now: datetime, timezone: str) -> int:
    created = 0
    tasks = await session.scalars(
        select(Task).where(Task.recurrence.is_not(None), Task.next_created.is_(False), Task.due_at <= now)
    )
    for task in list(tasks):
        task.next_created = True
        due = next_occurrence(task.due_at, task.recurrence, timezone)
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


async def reminders_to_send(session: AsyncSession, reminder_ids: list[int]) -> dict[int, tuple[Reminder, Task]]:
    """These reminders with their tasks, in one query; those gone or done since they were queued
    are left out."""
    if not reminder_ids:
        return {}
    done = exists().where(and_(TaskDone.task_id == Reminder.task_id, TaskDone.user_id == Reminder.user_id))
    found = await session.execute(
        select(Reminder, Task).join(Task, Task.id == Reminder.task_id).where(Reminder.id.in_(reminder_ids), ~done)
    )
    return {reminder.id: (reminder, task) for reminder, task in found.all()}


async def group_by_invite(session: AsyncSession, invite_hash: str) -> MonitoringGroup | None:
    return await session.scalar(select(MonitoringGroup).where(MonitoringGroup.invite_hash == invite_hash))


async def groups_in(session: AsyncSession, regions: list[str] | None) -> list[MonitoringGroup]:
    """The groups of these regions (None: every group), oldest first."""
    query = select(MonitoringGroup).order_by(MonitoringGroup.id)
    if regions is not None:
        query = query.where(MonitoringGroup.region.in_(regions))
    return list(await session.scalars(query))


async def group_tasks_due_after(session: AsyncSession, group_id: int, now: datetime) -> list[Task]:
    """The group's tasks for everyone (no one assignee) still to come: a newcomer's reminders."""
    return list(await session.scalars(
        select(Task).where(Task.group_id == group_id, Task.assignee_id.is_(None), Task.due_at > now)
    ))


async def member_count(session: AsyncSession, group_id: int) -> int:
    return await session.scalar(select(func.count()).where(GroupMember.group_id == group_id)) or 0


async def memberships(session: AsyncSession, group_id: int) -> list[GroupMember]:
    """In the order they joined (by the hour, then by id)."""
    return list(await session.scalars(
        select(GroupMember).where(GroupMember.group_id == group_id).order_by(GroupMember.joined_at, GroupMember.user_id)
    ))


async def regions_of(session: AsyncSession, user_ids: list[int]) -> dict[int, str | None]:
    return {user_id: region for user_id, region in await session.execute(
        select(User.id, User.region).where(User.id.in_(user_ids)))}


async def remove_member(session: AsyncSession, group_id: int, user_id: int) -> None:
    """She leaves the group, and her reminders of its tasks are cancelled."""
    await session.execute(delete(GroupMember).where(GroupMember.group_id == group_id, GroupMember.user_id == user_id))
    await session.execute(
        update(Reminder).where(Reminder.user_id == user_id, Reminder.status == ReminderStatus.PENDING,
                               Reminder.task_id.in_(select(Task.id).where(Task.group_id == group_id)))
        .values(status=ReminderStatus.CANCELLED))


async def open_tasks_of_member(session: AsyncSession, user_id: int, since: datetime) -> list[Task]:
    """The tasks of her groups since then, hers or the group's, that she has not marked done."""
    groups = select(GroupMember.group_id).where(GroupMember.user_id == user_id)
    done = select(TaskDone.task_id).where(TaskDone.user_id == user_id)
    return list(await session.scalars(
        select(Task).where(Task.group_id.in_(groups), Task.due_at > since, Task.id.not_in(done),
                           (Task.assignee_id.is_(None)) | (Task.assignee_id == user_id))
        .order_by(Task.due_at, Task.id)
    ))


async def group_tasks_since(session: AsyncSession, group_id: int, since: datetime) -> list[Task]:
    return list(await session.scalars(
        select(Task).where(Task.group_id == group_id, Task.due_at > since).order_by(Task.due_at, Task.id)))


async def done_by(session: AsyncSession, task_id: int) -> set[int]:
    """Who has marked the task done."""
    return set(await session.scalars(select(TaskDone.user_id).where(TaskDone.task_id == task_id)))


async def mark_done(session: AsyncSession, task_id: int, user_id: int, hour: datetime,
                    report_reference: str | None) -> None:
    """She has done it: the mark (once), and her reminders of it that were still to come are cancelled."""
    if await session.get(TaskDone, (task_id, user_id)) is None:
        session.add(TaskDone(task_id=task_id, user_id=user_id, done_at=hour, report_reference=report_reference))
    await session.execute(
        update(Reminder)
        .where(Reminder.task_id == task_id, Reminder.user_id == user_id, Reminder.status == ReminderStatus.PENDING)
        .values(status=ReminderStatus.CANCELLED)
    )


async def snooze(session: AsyncSession, task_id: int, user_id: int, send_at: datetime) -> None:
    """One more reminder at `send_at`, numbered after her earlier snoozes of it."""
    count = await session.scalar(
        select(func.count()).where(and_(Reminder.task_id == task_id, Reminder.user_id == user_id,
                                        Reminder.kind.like("snooze:%")))
    ) or 0
    session.add(Reminder(task_id=task_id, user_id=user_id, kind=f"snooze:{count + 1}", send_at=send_at))
