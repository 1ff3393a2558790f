"""What a coordinator does to a report, wherever she does it (the chat's review, the web
dashboard): take it, change its status, ask the reporter, write an internal note, refer it to a
directory entry, record the outcome. Each writes the report's history and the audit log in the
caller's transaction and returns the messages it causes for other people (`Notify`), which the
caller queues in the same transaction: the reporter hears of it in her chat, in her language."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from content import Content
from core.actions import encode
from core.messages import Button, Notify
from storage import people_repo
from storage.crypto import Cipher
from storage.models import Report, ReportEvent, ReportStatus, User, hour_of

QUESTION_LIMIT = 1000
NOTE_LIMIT = 2000
# Internal events: seen by coordinators on the report's page, never sent to the reporter.
INTERNAL_KINDS = ("note", "referral", "outcome")


@dataclass(frozen=True)
class Staff:
    """Who acts, and what she needs to write down: the database, the key, the texts, the time."""

    session: AsyncSession
    user: User
    cipher: Cipher
    content: Content
    now: datetime
    default_language: str

    @property
    def hour(self) -> datetime:
        return hour_of(self.now)

    async def audit(self, action: str, report: Report, **details: object) -> None:
        await people_repo.audit(self.session, self.user, action, target=report.reference, **details)

    def text_for(self, person: User, key: str, /, **args: object) -> str:
        return self.content.catalog.text(person.language or self.default_language, key, **args)

    def notice(self, person: User, text: str, buttons: list[list[Button]] | None = None) -> Notify:
        return Notify.to(person, text, buttons, default_language=self.default_language)


async def take(staff: Staff, report: Report) -> list[Notify]:
    """She takes a report no one has: it is hers, and a new one is now in review."""
    if report.assigned_to is not None:
        return []
    report.assigned_to = staff.user.id
    await staff.audit("report.taken", report)
    if report.status == ReportStatus.NEW:
        return await set_status(staff, report, ReportStatus.IN_REVIEW)
    return []


async def set_status(staff: Staff, report: Report, status: str, notify: bool = True) -> list[Notify]:
    previous = report.status
    report.status, report.updated_at = status, staff.hour
    staff.session.add(ReportEvent(report_id=report.id, at=staff.hour, actor_id=staff.user.id, kind="status", status=status))
    await staff.audit("report.status", report, previous=previous, status=status)
    reporter = await reachable_reporter(staff.session, report)
    if not notify or reporter is None:
        return []
    text = staff.text_for(reporter, "report-status-notice", code=report.reference,
                          status=staff.text_for(reporter, f"status-{status}"))
    return [staff.notice(reporter, text)]


async def ask_reporter(staff: Staff, report: Report, question: str) -> list[Notify] | None:
    """The question goes to her chat with a button to answer; None when she cannot be asked
    (anonymous, no contact allowed, or gone)."""
    reporter = await reachable_reporter(staff.session, report)
    if reporter is None:
        return None
    staff.session.add(ReportEvent(report_id=report.id, at=staff.hour, actor_id=staff.user.id, kind="question",
                                  text=staff.cipher.encrypt(question.encode())))
    await set_status(staff, report, ReportStatus.NEEDS_INFO, notify=False)
    answer = Button(staff.text_for(reporter, "report-answer-button", code=report.reference), encode("rep:ans", report.id))
    text = staff.text_for(reporter, "report-question-notice", code=report.reference, question=question)
    return [staff.notice(reporter, text, [[answer]])]


async def add_note(staff: Staff, report: Report, kind: str, text: str) -> None:
    """An internal note, a referral (the directory entry's id and name) or the outcome: kept
    encrypted in the history, for coordinators only."""
    if kind not in INTERNAL_KINDS:
        raise ValueError(kind)
    staff.session.add(ReportEvent(report_id=report.id, at=staff.hour, actor_id=staff.user.id, kind=kind,
                                  text=staff.cipher.encrypt(text.encode())))
    report.updated_at = staff.hour
    await staff.audit(f"report.{kind}", report)


async def reachable_reporter(session: AsyncSession, report: Report) -> User | None:
    """The reporter, when she allowed contact and can still be written to."""
    if not (report.contact_allowed and report.reporter_id):
        return None
    reporter = await session.get(User, report.reporter_id)
    return reporter if reporter is not None and reporter.active else None
