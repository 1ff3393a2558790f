"""The dashboard's logins: one-time links and sessions, both kept only as keyed hashes of their
random tokens, so a copy of the database opens no session."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import DashboardLink, DashboardSession, Role, User
from storage.secrets import Hasher

TOKEN_BYTES = 24  # 192 bits
LINK_LIFETIME = timedelta(minutes=10)
IDLE_LIMIT = timedelta(minutes=30)
SESSION_LIMIT = timedelta(hours=12)


@dataclass(frozen=True)
class Login:
    session: DashboardSession
    user: User


def staff_stamp(hasher: Hasher, user: User) -> str:
    """Her role and regions as one keyed hash: a session made under other rights is void."""
    regions = ",".join(sorted(user.coordinator_regions or []))
    return hasher.digest("dashboard-staff", f"{user.id}|{user.role}|{regions}|{user.active}")


def may_log_in(user: User | None) -> bool:
    return user is not None and user.active and user.role in (Role.COORDINATOR, Role.ADMIN)


async def issue_link(session: AsyncSession, hasher: Hasher, user: User, now: datetime) -> str:
    """A new one-time login token for her; earlier unused ones stop working."""
    await session.execute(delete(DashboardLink).where(DashboardLink.user_id == user.id))
    token = secrets.token_urlsafe(TOKEN_BYTES)
    session.add(DashboardLink(token_hash=_hash(hasher, "link", token), user_id=user.id, expires_at=now + LINK_LIFETIME))
    await session.flush()
    return token


async def link_owner(session: AsyncSession, hasher: Hasher, token: str, now: datetime) -> User | None:
    """Whose link this is, while it is unused and fresh; nothing is spent by asking."""
    link = await session.scalar(select(DashboardLink).where(DashboardLink.token_hash == _hash(hasher, "link", token)))
    if link is None or link.used_at is not None or link.expires_at <= now:
        return None
    user = await session.get(User, link.user_id)
    return user if may_log_in(user) else None


async def spend_link(session: AsyncSession, hasher: Hasher, token: str, now: datetime) -> tuple[User, str] | None:
    """Use the link once: a new session for its owner and the session's cookie token. The update
    that marks it used is conditional, so two requests racing with one link get one session."""
    token_hash = _hash(hasher, "link", token)
    spent = await session.execute(
        update(DashboardLink)
        .where(DashboardLink.token_hash == token_hash, DashboardLink.used_at.is_(None), DashboardLink.expires_at > now)
        .values(used_at=now)
        .returning(DashboardLink.user_id)
    )
    user_id = spent.scalar()
    user = await session.get(User, user_id) if user_id is not None else None
    if not may_log_in(user):
        return None
    assert user is not None
    cookie = secrets.token_urlsafe(TOKEN_BYTES)
    session.add(DashboardSession(
        token_hash=_hash(hasher, "session", cookie), user_id=user.id, staff_stamp=staff_stamp(hasher, user),
        started_at=now, last_seen_at=now, expires_at=now + SESSION_LIMIT,
    ))
    await session.flush()
    return user, cookie


async def session_of(session: AsyncSession, hasher: Hasher, cookie: str, now: datetime) -> Login | None:
    """The live session of this cookie, touched; an idle, expired or outdated one is ended."""
    row = await session.scalar(select(DashboardSession).where(DashboardSession.token_hash == _hash(hasher, "session", cookie)))
    if row is None:
        return None
    user = await session.get(User, row.user_id)
    if (row.expires_at <= now or row.last_seen_at + IDLE_LIMIT <= now or not may_log_in(user)
            or user is None or row.staff_stamp != staff_stamp(hasher, user)):
        await session.delete(row)
        return None
    row.last_seen_at = now
    return Login(row, user)


async def end_session(session: AsyncSession, hasher: Hasher, cookie: str) -> None:
    await session.execute(delete(DashboardSession).where(DashboardSession.token_hash == _hash(hasher, "session", cookie)))


async def end_all(session: AsyncSession, user_id: int) -> int:
    """End every session and unused link of hers ("Not me", a role change, deleting her data)."""
    ended = await session.execute(delete(DashboardSession).where(DashboardSession.user_id == user_id))
    await session.execute(delete(DashboardLink).where(DashboardLink.user_id == user_id))
    return ended.rowcount or 0


async def forget_stale(session: AsyncSession, now: datetime) -> None:
    """Remove spent or expired links and ended sessions (run by the scheduler's housekeeping)."""
    await session.execute(delete(DashboardLink).where(or_(DashboardLink.used_at.is_not(None), DashboardLink.expires_at <= now)))
    await session.execute(delete(DashboardSession).where(
        or_(DashboardSession.expires_at <= now, DashboardSession.last_seen_at <= now - IDLE_LIMIT)))


def csrf_token(hasher: Hasher, cookie: str) -> str:
    """The token every form of this session carries: tied to the session, unknown to other sites."""
    return hasher.digest("dashboard-csrf", cookie)


def _hash(hasher: Hasher, label: str, token: str) -> str:
    return hasher.digest(f"dashboard-{label}", token, length=64)
