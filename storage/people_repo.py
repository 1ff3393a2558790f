"""Small repository functions. They flush when they must but never commit: the engine owns the
transaction of each update."""

from __future__ import annotations

import functools
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import String, bindparam, delete, insert, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import insert_in
from storage.models import (
    AuditEntry,
    Broadcast,
    BroadcastStatus,
    ChatMessage,
    Conversation,
    CourseCompletion,
    DailyLesson,
    DashboardLink,
    DashboardSession,
    Draft,
    GroupMember,
    InboundMessage,
    LegalAidOverride,
    LessonProgress,
    MonitoringGroup,
    Outbox,
    OutboxStatus,
    PublicSnapshot,
    Report,
    Reminder,
    ReportEvent,
    Role,
    RoleInvite,
    SummarySent,
    Task,
    TaskDone,
    User,
    UTCDateTime,
    hour_of,
    utcnow,
)
from storage.secrets import Hasher

# Telegram lets a bot delete messages younger than 48 hours. Ids are kept an hour longer, since
# their time is kept to the hour; Telegram refuses the few that are too old.
WIPE_WINDOW = timedelta(hours=49)
INBOUND_KEPT = timedelta(days=8)  # Meta retries a webhook for up to seven days
# Rows the hourly cleanup deletes in one statement and transaction. An hour of a busy bot's ids
# (8,000 chat message ids of 400,000 kept, 2,000 delivery ids) deleted at once held the event
# loop (SQLite runs on it) and the write lock for 0.38 s; in batches of 200 the longest hold was
# 56 ms, the chats answered in between.
FORGET_AT_ONCE = 200
INVITE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
INVITE_LENGTH = 12  # 60 random bits
# A deleted person's row stays as a blank one, so that her id is never given to someone else.
GONE_CHANNEL = "gone"
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


async def first_delivery(session: AsyncSession, hasher: Hasher, channel: str, message_id: str, now: datetime) -> bool:
    """Record a message id; False when it was seen before (a webhook delivered again).

    Kept as a keyed hash, and with the hour only. ON CONFLICT DO NOTHING, so that two processes
    given the same message cannot both pass."""
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    result = await session.execute(_first_delivery_statement(dialect), {
        "channel": channel, "message_id": hasher.digest("inbound", f"{channel}:{message_id}"),
        "received_at": hour_of(now),
    })
    return bool(result.rowcount)


@functools.cache
def _first_delivery_statement(dialect: str) -> Any:
    """Built once for each database: it runs with every update."""
    return insert_in(dialect, InboundMessage.__table__).on_conflict_do_nothing(index_elements=["channel", "message_id"])


async def forget_old_inbound(session: AsyncSession, now: datetime) -> int:
    """Up to FORGET_AT_ONCE of the delivery ids kept longer than Meta retries; how many."""
    key = tuple_(InboundMessage.channel, InboundMessage.message_id)
    old = select(InboundMessage.channel, InboundMessage.message_id).where(
        InboundMessage.received_at < now - INBOUND_KEPT).limit(FORGET_AT_ONCE)
    result = await session.execute(delete(InboundMessage).where(key.in_(old)))
    return result.rowcount or 0


async def forget_undeletable_messages(session: AsyncSession, now: datetime) -> int:
    """Up to FORGET_AT_ONCE of the chat message ids too old for Telegram to delete; how many."""
    old = select(ChatMessage.id).where(ChatMessage.at < now - WIPE_WINDOW).limit(FORGET_AT_ONCE)
    result = await session.execute(delete(ChatMessage).where(ChatMessage.id.in_(old)))
    return result.rowcount or 0


async def get_or_create_user(
    session: AsyncSession, channel: str, external_id: str, now: datetime | None = None
) -> tuple[User, bool]:
    user = await find_user(session, channel, external_id)
    if user is not None:
        return user, False
    return await _new_user(session, channel, external_id, now or utcnow()), True


async def _new_user(session: AsyncSession, channel: str, external_id: str, now: datetime) -> User:
    hour = hour_of(now)
    user = User(channel=channel, external_id=external_id, role=Role.MEMBER, coordinator_regions=[],
                created_at=hour, last_seen_at=hour)
    session.add(user)
    await session.flush()
    return user


async def find_user(session: AsyncSession, channel: str, external_id: str) -> User | None:
    return await session.scalar(
        select(User).where(User.channel == channel, User.external_id == external_id)
    )


@dataclass
class StoredConversation:
    """Her conversation as it is stored: where she is, her drafts' data and the buttons of her
    last menu (both encrypted). Plain values, read with her user row; `stored` is False before
    her first conversation is saved."""

    state: str | None = None
    data: bytes | None = None
    menu_token: bytes | None = None
    updated_at: datetime | None = None
    stored: bool = False


# The statements of every update, built once (building one costs more than running it on SQLite).
_conversations = Conversation.__table__.c
# Her user row and her conversation's columns in one SELECT.
_PERSON = (
    select(User, _conversations.user_id, _conversations.state, _conversations.data, _conversations.menu_token,
           _conversations.updated_at)
    .outerjoin(Conversation.__table__, _conversations.user_id == User.id)
    .where(User.channel == bindparam("channel"), User.external_id == bindparam("external_id"))
)
_NEW_CONVERSATION = insert(Conversation.__table__)
# SET takes the columns given with it: UPDATE conversations SET <the given ones> WHERE user_id = ...
_CONVERSATION_CHANGES = update(Conversation.__table__).where(_conversations.user_id == bindparam("conversation_of"))


async def find_person(session: AsyncSession, channel: str, external_id: str) -> tuple[User, StoredConversation] | None:
    """Her user row and her conversation, in one statement; None when she is not known."""
    row = (await session.execute(_PERSON, {"channel": channel, "external_id": external_id})).first()
    if row is None:
        return None
    user, conversation_of, state, data, menu_token, updated_at = row
    return user, StoredConversation(state, data, menu_token, updated_at, stored=conversation_of is not None)


async def find_or_create_person(
    session: AsyncSession, channel: str, external_id: str, now: datetime
) -> tuple[User, StoredConversation]:
    found = await find_person(session, channel, external_id)
    if found is not None:
        return found
    return await _new_user(session, channel, external_id, now), StoredConversation()


async def save_conversation(
    session: AsyncSession, user_id: int, conversation: StoredConversation, changes: dict[str, Any], now: datetime
) -> None:
    """Her conversation written by one statement: an UPDATE of the columns in `changes` (nothing
    when none changed), or the INSERT of her first one."""
    if not conversation.stored:
        first = {"state": None, "data": None, "menu_token": None, "updated_at": hour_of(now)} | changes
        await session.execute(_NEW_CONVERSATION, {"user_id": user_id, **first})
    elif changes:
        await session.execute(_CONVERSATION_CHANGES, {"conversation_of": user_id, **changes})


# One row of chat_messages for each set of parameters, written only when her user row is still
# hers (she may have deleted her data since the messages were sent): an INSERT ... SELECT, so
# that checking and writing take one statement, executed once for all the rows.
_REMEMBER_WHILE_SHE_IS_THERE = insert(ChatMessage.__table__).from_select(
    ["user_id", "chat_key", "message_id", "at"],
    select(
        User.id,
        bindparam("chat_key", type_=String()),
        bindparam("message_id", type_=String()),
        bindparam("at", type_=UTCDateTime()),
    ).where(User.id == bindparam("user_id"), User.channel != GONE_CHANNEL),
)


async def remember_messages(
    session: AsyncSession, messages: list[tuple[int, str, list[str], datetime]]
) -> None:
    """Ids of messages in the chats of these people (theirs and the bot's), (user id, chat, message
    ids, when) each, in one statement; the ids of someone who has deleted her data are dropped."""
    rows = [
        {"user_id": user_id, "chat_key": chat_key, "message_id": message_id, "at": hour_of(at)}
        for user_id, chat_key, message_ids, at in messages
        for message_id in message_ids
    ]
    if rows:
        await session.execute(_REMEMBER_WHILE_SHE_IS_THERE, rows)


async def users_by_id(session: AsyncSession, user_ids: set[int]) -> dict[int, User]:
    found: dict[int, User] = {}
    ids = sorted(user_ids)
    for start in range(0, len(ids), 500):
        rows = await session.scalars(select(User).where(User.id.in_(ids[start:start + 500])))
        found.update((user.id, user) for user in rows)
    return found


async def wipeable_messages(session: AsyncSession, user: User, now: datetime) -> list[ChatMessage]:
    """The messages of her chat that can still be deleted; older ids are forgotten on the way."""
    await session.execute(
        delete(ChatMessage).where(ChatMessage.user_id == user.id, ChatMessage.at < now - WIPE_WINDOW)
    )
    rows = await session.scalars(
        select(ChatMessage).where(ChatMessage.user_id == user.id).order_by(ChatMessage.id)
    )
    return list(rows)


async def forget_messages(session: AsyncSession, user: User) -> None:
    await session.execute(delete(ChatMessage).where(ChatMessage.user_id == user.id))


async def delete_user_data(session: AsyncSession, user: User) -> None:
    """Erase the person: every row that names her is deleted or blanked. Her filed reports stay,
    no longer linked to her; what was queued for her is cancelled and forgets her chat; audit
    rows keep the action but not her. Her user row stays as a blank one, so that her id is never
    given to a newcomer (audit rows and assignments would then point at someone else). Group
    memberships, task marks and reminders go with their foreign keys. (The files of her drafts
    are removed by the caller first.)"""
    gone = {"reporter_id": None, "contact_allowed": False}
    await session.execute(delete(Draft).where(Draft.user_id == user.id))
    await session.execute(update(Report).where(Report.reporter_id == user.id).values(**gone))
    await session.execute(update(Report).where(Report.assigned_to == user.id).values(assigned_to=None))
    await session.execute(update(ReportEvent).where(ReportEvent.actor_id == user.id).values(actor_id=None))
    for table in (LessonProgress, CourseCompletion, DailyLesson, ChatMessage, Conversation, GroupMember, TaskDone, Reminder,
                  DashboardLink, DashboardSession):
        await session.execute(delete(table).where(table.user_id == user.id))
    await session.execute(delete(SummarySent).where(SummarySent.coordinator_id == user.id))
    await session.execute(update(Task).where(Task.assignee_id == user.id).values(assignee_id=None))
    await session.execute(
        update(MonitoringGroup).where(MonitoringGroup.coordinator_id == user.id).values(coordinator_id=None)
    )
    await session.execute(
        update(Outbox).where(Outbox.user_id == user.id, Outbox.status.in_([OutboxStatus.PENDING, OutboxStatus.SENDING]))
        .values(status=OutboxStatus.SKIPPED, error="left")
    )
    await session.execute(
        update(Outbox).where(Outbox.user_id == user.id)
        .values(user_id=None, chat_key="", payload_token=None, channel_message_id=None)
    )
    await session.execute(
        update(Broadcast).where(Broadcast.created_by == user.id)
        .values(created_by=None, progress_chat=None, progress_message=None)
    )
    await session.execute(
        update(Broadcast).where(Broadcast.progress_channel == user.channel, Broadcast.progress_chat == user.external_id)
        .values(progress_chat=None, progress_message=None)
    )
    await session.execute(update(AuditEntry).where(AuditEntry.actor_id == user.id).values(actor_id=None))
    await session.execute(
        update(AuditEntry).where(AuditEntry.action.like("role.%"), AuditEntry.target == str(user.id)).values(target=None)
    )
    await session.execute(update(RoleInvite).where(RoleInvite.created_by == user.id).values(created_by=None))
    await session.execute(update(Task).where(Task.created_by == user.id).values(created_by=None))
    await session.execute(update(LegalAidOverride).where(LegalAidOverride.updated_by == user.id).values(updated_by=None))
    await session.execute(update(PublicSnapshot).where(PublicSnapshot.published_by == user.id).values(published_by=None))
    await session.execute(
        update(User).where(User.id == user.id).values(
            channel=GONE_CHANNEL, external_id=str(user.id), language=None, region=None, role=Role.MEMBER,
            coordinator_regions=[], configured_admin=False, active=False, alerts_muted=True,
            created_at=EPOCH, last_seen_at=EPOCH,
        )
    )


async def mark_inactive(session: AsyncSession, channel: str, external_id: str) -> None:
    await session.execute(
        update(User)
        .where(User.channel == channel, User.external_id == external_id)
        .values(active=False)
    )


async def audit(
    session: AsyncSession, actor: User | None, action: str, target: str | None = None, **details: Any
) -> None:
    session.add(
        AuditEntry(actor_id=actor.id if actor else None, action=action, target=target, details=details)
    )


async def set_admin(session: AsyncSession, channel: str, external_id: str) -> User:
    user, _ = await get_or_create_user(session, channel, external_id)
    user.role = Role.ADMIN
    await audit(session, None, "role.admin", target=str(user.id), source="command line")
    return user


async def list_staff(session: AsyncSession) -> list[User]:
    rows = await session.scalars(
        select(User).where(User.role.in_([Role.COORDINATOR, Role.ADMIN])).order_by(User.id)
    )
    return list(rows)


async def create_invite(
    session: AsyncSession, hasher: Hasher, creator: User, role: Role, regions: list[str], valid_for: timedelta
) -> str:
    code = "".join(secrets.choice(INVITE_ALPHABET) for _ in range(INVITE_LENGTH))
    session.add(
        RoleInvite(
            code_hash=invite_hash(hasher, code),
            role=role,
            regions=regions,
            created_by=creator.id,
            expires_at=utcnow() + valid_for,
        )
    )
    return code


async def redeem_invite(session: AsyncSession, hasher: Hasher, code: str, user: User, now: datetime) -> RoleInvite | None:
    if not 0 < len(code) <= 32:
        return None
    invite = await session.scalar(select(RoleInvite).where(RoleInvite.code_hash == invite_hash(hasher, code)))
    if invite is None or invite.used_at is not None or invite.expires_at < now:
        return None
    invite.used_at = now
    if user.role != Role.ADMIN:
        user.role = invite.role
    user.coordinator_regions = sorted(set(user.coordinator_regions) | set(invite.regions))
    return invite


def invite_hash(hasher: Hasher, code: str) -> str:
    """A keyed hash: a copy of the database cannot be searched for the code."""
    return hasher.digest("role-invite", code.strip().upper().replace("-", ""), 64)


async def end_staff_role(session: AsyncSession, user: User, now: datetime) -> int:
    """She is a member again: nothing more goes to her as staff (the morning summary, notices of
    reports: they are dropped when their turn comes), and the alerts she scheduled are cancelled.
    Returns how many alerts were cancelled."""
    user.role, user.coordinator_regions, user.configured_admin = Role.MEMBER, [], False
    for table in (DashboardLink, DashboardSession):  # her dashboard sessions end at once
        await session.execute(delete(table).where(table.user_id == user.id))
    await session.execute(
        update(Outbox).where(Outbox.user_id == user.id, Outbox.kind == "summary", Outbox.status == OutboxStatus.PENDING)
        .values(status=OutboxStatus.SKIPPED, error="no longer staff")
    )
    scheduled = list(await session.scalars(
        select(Broadcast).where(Broadcast.created_by == user.id, Broadcast.status == BroadcastStatus.SCHEDULED)
    ))
    for broadcast in scheduled:
        broadcast.status, broadcast.finished_at = BroadcastStatus.CANCELLED, now
    return len(scheduled)


async def is_staff(session: AsyncSession, user_id: int | None) -> bool:
    """Whether she is a coordinator or an admin now."""
    if user_id is None:
        return False
    return await session.scalar(select(User.role).where(User.id == user_id)) in (Role.COORDINATOR, Role.ADMIN)
