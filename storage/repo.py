"""Small repository functions. They flush when they must but never commit: the engine owns the
transaction of each update."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import insert_for
from storage.models import (
    AuditEntry,
    ChatMessage,
    Conversation,
    CourseCompletion,
    DailyLesson,
    Draft,
    InboundMessage,
    LessonProgress,
    Report,
    Role,
    RoleInvite,
    User,
    utcnow,
)

WIPE_WINDOW = timedelta(hours=48)
INBOUND_KEPT = timedelta(days=8)  # Meta retries a webhook for up to seven days


async def first_delivery(session: AsyncSession, channel: str, message_id: str, now: datetime) -> bool:
    """Record a message id; False when it was seen before (a webhook delivered again).

    ON CONFLICT DO NOTHING, so that two processes given the same message cannot both pass."""
    statement = (
        insert_for(session, InboundMessage)
        .values(channel=channel, message_id=message_id, received_at=now)
        .on_conflict_do_nothing(index_elements=["channel", "message_id"])
    )
    result = await session.execute(statement)
    return bool(result.rowcount)


async def forget_old_inbound(session: AsyncSession, now: datetime) -> int:
    result = await session.execute(delete(InboundMessage).where(InboundMessage.received_at < now - INBOUND_KEPT))
    return result.rowcount or 0


async def get_or_create_user(session: AsyncSession, channel: str, external_id: str) -> tuple[User, bool]:
    user = await find_user(session, channel, external_id)
    if user is not None:
        return user, False
    user = User(channel=channel, external_id=external_id, role=Role.MEMBER, coordinator_regions=[])
    session.add(user)
    await session.flush()
    return user, True


async def find_user(session: AsyncSession, channel: str, external_id: str) -> User | None:
    return await session.scalar(
        select(User).where(User.channel == channel, User.external_id == external_id)
    )


async def load_conversation(session: AsyncSession, user: User) -> Conversation:
    conversation = await session.get(Conversation, user.id)
    if conversation is None:
        conversation = Conversation(user_id=user.id, state=None, data=None, menu=[])
        session.add(conversation)
    return conversation


async def remember_messages(
    session: AsyncSession, user_id: int, chat_key: str, message_ids: list[str], at: datetime
) -> None:
    session.add_all(
        ChatMessage(user_id=user_id, chat_key=chat_key, message_id=message_id, at=at)
        for message_id in message_ids
    )


async def existing_user_ids(session: AsyncSession, user_ids: set[int]) -> set[int]:
    return set(await session.scalars(select(User.id).where(User.id.in_(user_ids))))


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
    """Erase the person: profile, conversation state, drafts, progress, message ids. Her filed
    reports stay, no longer linked to her. Audit rows keep only an internal number, which names
    nobody once the profile is gone. (The files of her drafts are removed by the caller first.)"""
    await session.execute(delete(Draft).where(Draft.user_id == user.id))
    await session.execute(update(Report).where(Report.reporter_id == user.id).values(reporter_id=None, contact_allowed=False))
    for table in (LessonProgress, CourseCompletion, DailyLesson):
        await session.execute(delete(table).where(table.user_id == user.id))
    await session.execute(delete(ChatMessage).where(ChatMessage.user_id == user.id))
    await session.execute(delete(Conversation).where(Conversation.user_id == user.id))
    await session.execute(delete(User).where(User.id == user.id))


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
    session: AsyncSession, creator: User, role: Role, regions: list[str], valid_for: timedelta
) -> str:
    code = "".join(secrets.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(8))
    session.add(
        RoleInvite(
            code_hash=_hash_code(code),
            role=role,
            regions=regions,
            created_by=creator.id,
            expires_at=utcnow() + valid_for,
        )
    )
    return code


async def redeem_invite(session: AsyncSession, code: str, user: User, now: datetime) -> RoleInvite | None:
    invite = await session.scalar(
        select(RoleInvite).where(RoleInvite.code_hash == _hash_code(code.strip().upper()))
    )
    if invite is None or invite.used_at is not None or invite.expires_at < now:
        return None
    invite.used_at = now
    if user.role != Role.ADMIN:
        user.role = invite.role
    user.coordinator_regions = sorted(set(user.coordinator_regions) | set(invite.regions))
    return invite


def _hash_code(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()
