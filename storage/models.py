"""The database schema (SQLAlchemy 2, Mapped style). Schema changes go through Alembic."""

from __future__ import annotations

from datetime import datetime, timezone
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Index, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def hour_of(moment: datetime) -> datetime:
    """A time kept no finer than the hour: rows that name a person, and anonymous reports, carry
    this, so that no two can be tied together by the moment they were written."""
    return moment.replace(minute=0, second=0, microsecond=0)


def this_hour() -> datetime:
    return hour_of(utcnow())


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every database (SQLite returns naive ones otherwise)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database")
        return value.astimezone(timezone.utc)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON}


class Role(StrEnum):
    MEMBER = "member"
    COORDINATOR = "coordinator"
    ADMIN = "admin"


class User(Base):
    """A person as one channel knows her. No name and no phone number are kept."""

    __tablename__ = "users"
    __table_args__ = (UniqueConstraint("channel", "external_id", name="uq_users_channel_external"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(64))
    language: Mapped[str | None] = mapped_column(String(8))
    region: Mapped[str | None] = mapped_column(String(32))
    role: Mapped[str] = mapped_column(String(16), default=Role.MEMBER)
    coordinator_regions: Mapped[list[str]] = mapped_column(JSON, default=list)
    # An admin because her id is in ADMIN_IDS (not by `admin add` or an invite): taking it out
    # of the setting takes the role away at her next update.
    configured_admin: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)  # False once she has blocked the bot
    alerts_muted: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=this_hour)
    last_seen_at: Mapped[datetime] = mapped_column(default=this_hour)  # the hour she last wrote


class Conversation(Base):
    """Where a person is in the conversation. `data` (her drafts) and `menu_token` (the buttons
    of her last menu, which typed labels refer to: [[label, action], ...]) are encrypted."""

    __tablename__ = "conversations"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    state: Mapped[str | None] = mapped_column(String(64))
    data: Mapped[bytes | None] = mapped_column(LargeBinary)
    menu_token: Mapped[bytes | None] = mapped_column(LargeBinary)
    updated_at: Mapped[datetime] = mapped_column(default=this_hour)


class ChatMessage(Base):
    """Ids of the messages in a private chat, hers and every message sent to her, kept 48 hours so
    that "Wipe this chat" can delete them; `at` is the hour."""

    __tablename__ = "chat_messages"
    __table_args__ = (Index("ix_chat_messages_user_at", "user_id", "at"), Index("ix_chat_messages_at", "at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    chat_key: Mapped[str] = mapped_column(String(64))
    message_id: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(default=this_hour)


class RoleInvite(Base):
    """A one-time code an admin gives a future coordinator; only its keyed hash is stored, so a
    copy of the database gives nobody the code."""

    __tablename__ = "role_invites"

    id: Mapped[int] = mapped_column(primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    regions: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_by: Mapped[int | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()
    used_at: Mapped[datetime | None] = mapped_column()


class AuditEntry(Base):
    """Every coordinator and admin action. Actors are internal ids, which name nobody once the
    user row is gone."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column()
    action: Mapped[str] = mapped_column(String(64))
    target: Mapped[str | None] = mapped_column(String(64))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class LessonProgress(Base):
    """Where she is in one lesson, and how she did. Seen by nobody but her; figures are aggregates."""

    __tablename__ = "lesson_progress"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    course_id: Mapped[str] = mapped_column(String(12), primary_key=True)
    lesson_id: Mapped[str] = mapped_column(String(12), primary_key=True)
    card: Mapped[int] = mapped_column(default=0)  # the card she is on; len(cards) means the quiz
    question: Mapped[int] = mapped_column(default=0)  # the next question to answer
    correct: Mapped[int] = mapped_column(default=0)  # right answers in this attempt
    score: Mapped[int | None] = mapped_column()  # percent right in her last finished attempt
    completed_at: Mapped[datetime | None] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class CourseCompletion(Base):
    __tablename__ = "course_completions"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    course_id: Mapped[str] = mapped_column(String(12), primary_key=True)
    completed_at: Mapped[datetime] = mapped_column(default=utcnow)


class DailyLesson(Base):
    """Her opt-in to a card a day at a local time; `next_at` (UTC) is when the next one is due."""

    __tablename__ = "daily_lessons"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    local_time: Mapped[str] = mapped_column(String(5))  # HH:MM, Asia/Bishkek
    next_at: Mapped[datetime] = mapped_column(index=True)
    last_sent_at: Mapped[datetime | None] = mapped_column()


class LegalAidOverride(Base):
    """An admin's version of a directory entry (or a new one); it wins over content/legal_aid.yaml."""

    __tablename__ = "legal_aid_overrides"

    entry_id: Mapped[str] = mapped_column(String(24), primary_key=True)
    data: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # None: the file's entry, only hidden or shown
    hidden: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by: Mapped[int | None] = mapped_column()


class LookupCount(Base):
    """How often a topic was looked up in a region on a day. Anonymous by design: no user id."""

    __tablename__ = "legal_aid_lookups"

    day: Mapped[str] = mapped_column(String(10), primary_key=True)  # YYYY-MM-DD, Bishkek time
    region: Mapped[str] = mapped_column(String(32), primary_key=True)
    topic: Mapped[str] = mapped_column(String(24), primary_key=True)
    count: Mapped[int] = mapped_column(default=0)


class ReportStatus(StrEnum):
    NEW = "new"
    IN_REVIEW = "in_review"
    NEEDS_INFO = "needs_info"
    REFERRED = "referred"
    CLOSED = "closed"


class Draft(Base):
    """An unfinished report, encrypted; it survives restarts and is offered back."""

    __tablename__ = "drafts"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    form_id: Mapped[str] = mapped_column(String(20), primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Report(Base):
    """A filed report. Its answers are encrypted; category, region, date and status stay plain so
    that reports can be counted without decrypting. An anonymous report has no reporter."""

    __tablename__ = "reports"
    __table_args__ = (Index("ix_reports_region_status", "region", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(12), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    form_id: Mapped[str] = mapped_column(String(20))
    form_version: Mapped[int] = mapped_column()
    category: Mapped[str | None] = mapped_column(String(32))
    region: Mapped[str | None] = mapped_column(String(32))
    event_date: Mapped[str | None] = mapped_column(String(10))  # YYYY-MM-DD
    status: Mapped[str] = mapped_column(String(16), default=ReportStatus.NEW)
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    contact_allowed: Mapped[bool] = mapped_column(default=False)
    wants_legal_aid: Mapped[bool] = mapped_column(default=False)
    assigned_to: Mapped[int | None] = mapped_column()
    answers: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Raised by every change a coordinator makes (`reports_repo.claim_version`): a change made
    # from a page that showed an older version is refused, so two never overwrite each other.
    version: Mapped[int] = mapped_column(default=1, server_default="1")


class Evidence(Base):
    """A photo, document or voice note of a report: the file is encrypted under the data folder;
    its SHA-256 is of the original bytes, so it can be shown to be unaltered."""

    __tablename__ = "evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    mime_type: Mapped[str | None] = mapped_column(String(100))
    size: Mapped[int] = mapped_column()
    sha256: Mapped[str] = mapped_column(String(64))
    path: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ReportEvent(Base):
    """What happened to a report: status changes, questions to the reporter and her answers."""

    __tablename__ = "report_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column()
    kind: Mapped[str] = mapped_column(String(16))  # status | question | answer
    status: Mapped[str | None] = mapped_column(String(16))
    text: Mapped[bytes | None] = mapped_column(LargeBinary)  # encrypted


class BroadcastStatus(StrEnum):
    SCHEDULED = "scheduled"
    SENDING = "sending"
    DONE = "done"
    CANCELLED = "cancelled"


class Broadcast(Base):
    """A campaign alert: its texts, audience, and where its progress message is."""

    __tablename__ = "broadcasts"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_by: Mapped[int | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[str] = mapped_column(String(16), index=True)
    # Encrypted {"all": text} or {"ky": .., "ru": .., "en": ..}
    texts_token: Mapped[bytes] = mapped_column(LargeBinary)
    photo_path: Mapped[str | None] = mapped_column(String(200))
    link_url: Mapped[str | None] = mapped_column(String(500))
    link_label: Mapped[str | None] = mapped_column(String(64))
    audience: Mapped[dict[str, Any]] = mapped_column(JSON)
    ask_ack: Mapped[bool] = mapped_column(default=False)
    send_at: Mapped[datetime] = mapped_column(index=True)
    progress_channel: Mapped[str | None] = mapped_column(String(16))
    progress_chat: Mapped[str | None] = mapped_column(String(64))
    progress_message: Mapped[str | None] = mapped_column(String(64))
    progress_at: Mapped[datetime | None] = mapped_column()
    finished_at: Mapped[datetime | None] = mapped_column()


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"  # claimed; a row still here after a restart is in doubt, and not sent again
    SENT = "sent"
    FAILED = "failed"
    BLOCKED = "blocked"
    UNKNOWN = "unknown"  # in doubt: the bot stopped while sending it, or the channel's answer never came
    SKIPPED = "skipped"  # cancelled, or the person left


class Outbox(Base):
    """One message to one person. The sender claims a row, sends, and records the outcome."""

    __tablename__ = "outbox"
    __table_args__ = (
        UniqueConstraint("broadcast_id", "user_id", name="uq_outbox_broadcast_user"),
        Index("ix_outbox_due", "status", "next_attempt_at"),
        Index("ix_outbox_queue", "status", "id"),  # the order in which the sender claims due rows
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), default="broadcast")  # broadcast | reminder | summary | notice
    broadcast_id: Mapped[int | None] = mapped_column(ForeignKey("broadcasts.id", ondelete="CASCADE"), index=True)
    reminder_id: Mapped[int | None] = mapped_column(
        ForeignKey("reminders.id", ondelete="CASCADE", name="fk_outbox_reminder"), unique=True
    )
    payload_token: Mapped[bytes | None] = mapped_column(LargeBinary)  # encrypted: what a summary or notice says
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    channel: Mapped[str] = mapped_column(String(16))
    chat_key: Mapped[str] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(16), default=OutboxStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column()
    acked_at: Mapped[datetime | None] = mapped_column()
    error: Mapped[str | None] = mapped_column(String(64))
    # Where the channel reports delivery (WhatsApp): its id of the message, and when it arrived
    # on her phone and was opened.
    channel_message_id: Mapped[str | None] = mapped_column(String(128), index=True)
    delivered_at: Mapped[datetime | None] = mapped_column()
    read_at: Mapped[datetime | None] = mapped_column()


class InboundMessage(Base):
    """A message id a channel may deliver more than once (WhatsApp's webhook retries, Telegram's
    updates after a restart): seen ids are kept for a week, so each message is answered once.
    The id is kept as a keyed hash (a WhatsApp id holds the sender's number), `received_at` as the
    hour."""

    __tablename__ = "inbound_messages"

    channel: Mapped[str] = mapped_column(String(16), primary_key=True)
    message_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    received_at: Mapped[datetime] = mapped_column(default=this_hour, index=True)


class MonitoringGroup(Base):
    __tablename__ = "monitoring_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    region: Mapped[str] = mapped_column(String(32))
    coordinator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    invite_hash: Mapped[str] = mapped_column(String(64), unique=True)  # keyed hash, for finding the group
    invite_token: Mapped[bytes] = mapped_column(LargeBinary)  # the code, encrypted, to show it again
    quiet_start: Mapped[str] = mapped_column(String(5), default="22:00")
    quiet_end: Mapped[str] = mapped_column(String(5), default="08:00")
    default_offsets: Mapped[list[int]] = mapped_column(JSON, default=lambda: [3 * 24 * 60, 120])  # minutes before
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class GroupMember(Base):
    __tablename__ = "group_members"

    group_id: Mapped[int] = mapped_column(ForeignKey("monitoring_groups.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The name she chose to be known by in this group, if any; it names her, so it goes with
    # the row (when she leaves, is removed, or deletes her data) and never into a log.
    # The name she gave the group (it names her), encrypted; shown to its coordinator.
    display_name_token: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)


class Task(Base):
    """One occurrence of a monitoring task; a recurring task gets its next occurrence at due time."""

    __tablename__ = "tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("monitoring_groups.id", ondelete="CASCADE"), index=True)
    title_token: Mapped[bytes] = mapped_column(LargeBinary)  # encrypted
    description_token: Mapped[bytes | None] = mapped_column(LargeBinary)  # encrypted
    due_at: Mapped[datetime] = mapped_column(index=True)
    recurrence: Mapped[str | None] = mapped_column(String(64))  # weekly | monthly | cron:<expression>
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))  # None: the group
    offsets: Mapped[list[int]] = mapped_column(JSON)  # minutes before the due time
    next_created: Mapped[bool] = mapped_column(default=False)
    created_by: Mapped[int | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class TaskDone(Base):
    __tablename__ = "task_done"

    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    done_at: Mapped[datetime] = mapped_column(default=utcnow)
    report_reference: Mapped[str | None] = mapped_column(String(12))


class ReminderStatus(StrEnum):
    PENDING = "pending"
    QUEUED = "queued"  # in the outbox: the sender owns it now
    CANCELLED = "cancelled"


class Reminder(Base):
    """One reminder to one member; the database says when it is due, so restarts lose nothing."""

    __tablename__ = "reminders"
    __table_args__ = (
        UniqueConstraint("task_id", "user_id", "kind", name="uq_reminders_task_user_kind"),
        Index("ix_reminders_due", "status", "send_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(24))  # before:<minutes> | due | snooze:<n>
    send_at: Mapped[datetime] = mapped_column()
    status: Mapped[str] = mapped_column(String(16), default=ReminderStatus.PENDING)
    late: Mapped[bool] = mapped_column(default=False)


class SummarySent(Base):
    """The morning summary of overdue tasks, once a day per coordinator."""

    __tablename__ = "summaries_sent"

    coordinator_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[str] = mapped_column(String(10), primary_key=True)


class DashboardLink(Base):
    """A one-time link that logs a coordinator in to the dashboard. Only its keyed hash is kept;
    it is valid for minutes and spent by its first use."""

    __tablename__ = "dashboard_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    expires_at: Mapped[datetime] = mapped_column()
    used_at: Mapped[datetime | None] = mapped_column()


class DashboardSession(Base):
    """A coordinator logged in to the dashboard, by the keyed hash of her cookie. It ends when idle,
    at its hard limit, on logout, or when her role or regions no longer match `staff_stamp`.
    (Its times are to the minute, unlike rows about the people who report: it names staff, and
    an idle limit needs them.)"""

    __tablename__ = "dashboard_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    staff_stamp: Mapped[str] = mapped_column(String(64))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()


class PublicSnapshot(Base):
    """Figures an admin published for everyone: counts by oblast, month and category, small cells
    already suppressed. No free text, no day, no person."""

    __tablename__ = "public_snapshots"

    id: Mapped[int] = mapped_column(primary_key=True)
    published_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    published_by: Mapped[int | None] = mapped_column()
    figures: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
