"""A report's page: its status, history and evidence, and what a coordinator does to it (take it,
change its status, ask the reporter, write a note, refer it to a directory entry, record the
outcome), through the same `handlers.report_actions` as the chat, so the reporter hears of it in
her chat. Free-text answers, the history's questions and answers, notes and any contact detail
are shown only after "Show the content", which is written to the audit log.

Access is in the query (`reports_repo.report_for`): another region's report is "not found", the
same as one that does not exist. Every change carries the version the page showed; a change
from an outdated page is refused and the page shown again as it is now."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession

from content.forms_model import Form
from core.messages import Notify
from dashboard.inbox import reader, taken_by, view_filter
from dashboard.web import Visit, page
from handlers import report_actions
from handlers.reporting import category_label, evidence_file_name, format_answers
from storage import evidence as evidence_files
from storage import legal_aid_repo, outbox_repo, people_repo, reports_repo
from storage.models import Report, ReportStatus

SEEN_RECENTLY = timedelta(minutes=3)
# From the page: "needs information" is reached by asking her a question; "new" is not set again.
CHANGEABLE_STATUSES = tuple(status.value for status in ReportStatus if status not in (ReportStatus.NEW, ReportStatus.NEEDS_INFO))
HIDDEN_TYPES = ("text", "location")  # answers whose content may name or place her


def add_routes(web_app: web.Application) -> None:
    web_app.router.add_get(r"/reports/{id:\d+}", report_page)
    web_app.router.add_post(r"/reports/{id:\d+}/show", show_content)
    web_app.router.add_post(r"/reports/{id:\d+}/{change:(take|status|ask|note|refer|outcome)}", change_report)
    web_app.router.add_get(r"/reports/{id:\d+}/evidence/{number:\d+}", evidence_file)


class Viewers:
    """Who has a report's page open, as this process saw them (a few minutes back). With several
    bot processes each knows its own visitors only; it is a courtesy, never a lock: the version
    check is what keeps two coordinators from overwriting each other."""

    def __init__(self) -> None:
        self._seen: dict[int, dict[int, datetime]] = {}

    def saw(self, report_id: int, user_id: int, now: datetime) -> list[int]:
        """Note her visit; the others seen recently."""
        seen = self._seen.setdefault(report_id, {})
        seen[user_id] = now
        for other, at in list(seen.items()):
            if at < now - SEEN_RECENTLY:
                del seen[other]
        return sorted(other for other in seen if other != user_id)


VIEWERS = Viewers()


async def _report(visit: Visit, session: AsyncSession) -> Report:
    report = await reports_repo.report_for(session, visit.regions, int(visit.request.match_info["id"]))
    if report is None:
        raise web.HTTPNotFound(text=visit.t("dashboard-report-not-found"))
    return report


@page("report.html")
async def report_page(visit: Visit, session: AsyncSession) -> dict[str, Any]:
    report = await _report(visit, session)
    await people_repo.audit(session, visit.user, "report.opened", target=report.reference, where="dashboard")
    return await _values(visit, session, report, content_shown=False)


@page("report.html")
async def show_content(visit: Visit, session: AsyncSession) -> dict[str, Any]:
    report = await _report(visit, session)
    await people_repo.audit(session, visit.user, "report.content.shown", target=report.reference)
    return await _values(visit, session, report, content_shown=True)


@page("report.html")
async def change_report(visit: Visit, session: AsyncSession) -> dict[str, Any]:
    report = await _report(visit, session)
    form = await visit.request.post()
    change = visit.request.match_info["change"]
    problem = await _problem(visit, session, report, change, form)
    if problem is not None:
        return await _values(visit, session, report, content_shown=False, problem=problem)
    seen = str(form.get("version", ""))
    if not seen.isdecimal() or not await reports_repo.claim_version(session, report, int(seen)):
        return await _values(visit, session, report, content_shown=False, problem=visit.t("dashboard-report-changed-meanwhile"))
    assert visit.user is not None
    staff = report_actions.Staff(session, visit.user, visit.app.cipher, visit.app.content, visit.now,
                                 visit.app.settings.default_language)
    notices = await _apply(visit, session, staff, report, change, form)
    visit.queued += await outbox_repo.queue_notices(session, visit.app.cipher, notices, visit.now,
                                                    visit.app.settings.default_language)
    done = visit.t("dashboard-report-done-" + change)
    return await _values(visit, session, report, content_shown=False, done=done)


async def _problem(visit: Visit, session: AsyncSession, report: Report, change: str, form: Any) -> str | None:
    """What is wrong with a change before anything is written, in her language; None if nothing."""
    text = str(form.get("text", "")).strip()
    if change == "status":
        status = str(form.get("status", ""))
        if status not in CHANGEABLE_STATUSES:
            return visit.t("dashboard-report-bad-status")
    elif change == "ask":
        if await report_actions.reachable_reporter(session, report) is None:
            return visit.t("report-cannot-contact")
        if not 1 <= len(text) <= report_actions.QUESTION_LIMIT:
            return visit.t("dashboard-report-text-length", limit=report_actions.QUESTION_LIMIT)
    elif change == "refer":
        if await _directory_entry(visit, session, str(form.get("entry", ""))) is None:
            return visit.t("dashboard-report-choose-entry")
    elif change in ("note", "outcome") and not 1 <= len(text) <= report_actions.NOTE_LIMIT:
        return visit.t("dashboard-report-text-length", limit=report_actions.NOTE_LIMIT)
    return None


async def _apply(visit: Visit, session: AsyncSession, staff: report_actions.Staff, report: Report, change: str,
                 form: Any) -> list[Notify]:
    """Carry out a change already checked; the messages it causes for the reporter."""
    text = str(form.get("text", "")).strip()
    if change == "take":
        return await report_actions.take(staff, report)
    if change == "status":
        return await report_actions.set_status(staff, report, str(form.get("status")))
    if change == "ask":
        return await report_actions.ask_reporter(staff, report, text) or []
    if change == "refer":
        entry = await _directory_entry(visit, session, str(form.get("entry", "")))
        await report_actions.add_note(staff, report, "referral", f"{entry.id}: {entry.name.get(visit.language)}")
        if report.status == ReportStatus.REFERRED:
            return []
        return await report_actions.set_status(staff, report, ReportStatus.REFERRED)
    await report_actions.add_note(staff, report, change, text)  # a note or the outcome
    return []


async def _directory_entry(visit: Visit, session: AsyncSession, entry_id: str) -> Any:
    for entry, hidden in await legal_aid_repo.entries(session, visit.app.content.directory):
        if entry.id == entry_id and not hidden:
            return entry
    return None


@page("message.html")
async def evidence_file(visit: Visit, session: AsyncSession) -> web.StreamResponse:
    """One evidence file, opened only here: its SHA-256 is checked before a byte is sent."""
    report = await _report(visit, session)
    files = await reports_repo.evidence_of(session, report.id)
    number = int(visit.request.match_info["number"])
    if not 1 <= number <= len(files):
        raise web.HTTPNotFound(text=visit.t("dashboard-report-not-found"))
    item = files[number - 1]
    await people_repo.audit(session, visit.user, "report.evidence", target=report.reference, file=number)
    try:
        content = evidence_files.load(visit.app.cipher, visit.app.settings.data_dir, item.path, item.sha256)
    except (OSError, evidence_files.EvidenceAltered):
        raise web.HTTPConflict(text=visit.t("dashboard-evidence-broken", sha=item.sha256)) from None
    name = evidence_file_name(report, number, item)
    return web.Response(body=content, content_type=item.mime_type or "application/octet-stream",
                        headers={"Content-Disposition": f'attachment; filename="{name}"', "X-Evidence-SHA256": item.sha256})


async def _values(visit: Visit, session: AsyncSession, report: Report, content_shown: bool,
                  problem: str | None = None, done: str | None = None) -> dict[str, Any]:
    assert visit.user is not None
    read = reader(visit)
    form: Form | None = visit.app.content.forms.get(report.form_id)
    answers = visit.app.cipher.decrypt_json(report.answers)
    hidden_ids = {field.id for field in (form.fields if form else []) if field.type in HIDDEN_TYPES}
    shown_answers = answers if content_shown else {key: value for key, value in answers.items() if key not in hidden_ids}
    hidden_labels = [field.label.get(visit.language) for field in (form.fields if form else [])
                     if field.id in hidden_ids and field.id in answers]
    files = await reports_repo.evidence_of(session, report.id)
    history = []
    for event in await reports_repo.events_of(session, report.id):
        said = None
        if event.text is not None and content_shown:
            said = visit.app.cipher.decrypt(event.text).decode()
        label = visit.t(f"status-{event.status}") if event.kind == "status" else visit.t(f"dashboard-event-{event.kind}")
        history.append({"when": visit.local(event.at), "label": label, "text": said,
                        "hidden": event.text is not None and not content_shown, "by": taken_by(visit, event.actor_id)})
    reachable = await report_actions.reachable_reporter(session, report)  # she allowed contact, and is there
    contact = f"{reachable.channel}:{reachable.external_id}" if reachable and content_shown and visit.is_admin else None
    reporter_kind = "report-anonymous" if report.reporter_id is None else (
        "report-may-contact" if report.contact_allowed else "report-no-contact")
    entries = [entry for entry, hidden in await legal_aid_repo.entries(session, visit.app.content.directory)
               if not hidden and entry.serves(report.region)]
    others = VIEWERS.saw(report.id, visit.user.id, visit.now)
    return {
        "report": report, "filter": view_filter(visit), "content_shown": content_shown,
        "problem": problem, "done": done,
        "category": category_label(read, form, report.category), "region": visit.region_name(report.region),
        "kind": visit.t(f"report-kind-{report.kind}"), "status_label": visit.t(f"status-{report.status}"),
        "created": visit.local(report.created_at), "reporter": visit.t(reporter_kind), "contact": contact,
        "taken_by": taken_by(visit, report.assigned_to),
        "answers": format_answers(read, form, shown_answers), "hidden_labels": hidden_labels,
        "files": [{"number": number, "sha256": item.sha256, "size": item.size, "kind": item.kind}
                  for number, item in enumerate(files, start=1)],
        "history": history, "others": [f"#{other}" for other in others],
        "statuses": [(status, visit.t(f"status-{status}")) for status in CHANGEABLE_STATUSES if status != report.status],
        "can_ask": reachable is not None,
        "entries": [(entry.id, entry.name.get(visit.language)) for entry in entries],
    }
