"""A report's page in the dashboard: access by region in the query, content shown only on demand
and audited, changes that reach the reporter's chat, the version check, the evidence."""

from __future__ import annotations

import hashlib

from aiohttp.test_utils import TestClient, TestServer
from aiohttp import CookieJar, web
from sqlalchemy import select

from bot.app import App
from dashboard import server
from storage.models import AuditEntry, Evidence, Report, ReportEvent, Role
from tests.dashboard_helpers import csrf_of, link_from_bot, log_in
from tests.databases import stored_bytes
from tests.helpers import DESCRIPTION, PHOTO, answer_incident, file_report, new_staff, onboard, start_incident


async def report_with_photo(app: App, make_user, channel, user_key: str, region: str) -> Report:  # type: ignore[no-untyped-def]
    channel.files["photo-1"] = PHOTO
    user = make_user(user_key=user_key, language_hint="en")
    await onboard(user, "en", None)
    await start_incident(app, user, "en")
    await answer_incident(app, user, "en", region=region, photo=True)
    await user.press("Send")
    async with app.sessions() as session:
        return await session.scalar(select(Report).order_by(Report.id.desc()))


async def logged_in(app: App, make_user, browser: TestClient, key: str, role: Role, regions: list[str]) -> None:  # type: ignore[no-untyped-def]
    staff = await new_staff(app, make_user, key, role, regions)
    await log_in(browser, await link_from_bot(staff))


async def test_a_naryn_coordinator_cannot_reach_an_osh_report_by_its_address(
        app: App, make_user, channel, browser: TestClient) -> None:
    osh = await report_with_photo(app, make_user, channel, "800", "osh_oblast")
    await logged_in(app, make_user, browser, "801", Role.COORDINATOR, ["naryn"])
    for address in (f"/dashboard/reports/{osh.id}", f"/dashboard/reports/{osh.id}/evidence/1"):
        response = await browser.get(address)
        assert response.status == 404 and osh.reference not in await response.text()
    page = await (await browser.get("/dashboard/")).text()
    forged = await browser.post(f"/dashboard/reports/{osh.id}/status",
                                data={"csrf": csrf_of(page), "version": "1", "status": "closed"})
    assert forged.status == 404
    async with app.sessions() as session:
        assert (await session.get(Report, osh.id)).status == "new"


async def test_free_text_shows_only_after_show_the_content_which_is_audited(
        app: App, make_user, channel, browser: TestClient) -> None:
    report = await file_report(app, make_user, "810", "naryn")
    await logged_in(app, make_user, browser, "811", Role.COORDINATOR, ["naryn"])
    page = await (await browser.get(f"/dashboard/reports/{report.id}")).text()
    assert report.reference in page and DESCRIPTION not in page and "Kochkor district" not in page
    assert "Show the content" in page
    shown = await (await browser.post(f"/dashboard/reports/{report.id}/show", data={"csrf": csrf_of(page)})).text()
    assert DESCRIPTION in shown and "Kochkor district" in shown
    async with app.sessions() as session:
        actions = list(await session.scalars(select(AuditEntry.action).where(AuditEntry.target == report.reference)))
    assert "report.opened" in actions and "report.content.shown" in actions


async def test_a_status_change_and_a_question_reach_the_reporter_in_her_chat(
        app: App, make_user, channel, browser: TestClient) -> None:
    report = await file_report(app, make_user, "820", "naryn")
    await logged_in(app, make_user, browser, "821", Role.COORDINATOR, ["naryn"])
    page = await (await browser.get(f"/dashboard/reports/{report.id}")).text()
    taken = await (await browser.post(f"/dashboard/reports/{report.id}/take",
                                      data={"csrf": csrf_of(page), "version": "1"})).text()
    assert "You took this report." in taken and "In review" in taken
    told = [reply.text for chat, reply in channel.notified if chat == "820"]
    assert any(report.reference in text and "In review" in text for text in told), told

    asked = await (await browser.post(f"/dashboard/reports/{report.id}/ask",
                                      data={"csrf": csrf_of(taken), "version": "2", "text": "Which office was it?"})).text()
    assert "The question is sent" in asked
    question = [reply for chat, reply in channel.notified if chat == "820"][-1]
    assert "Which office was it?" in question.text and question.flat_buttons[0].action == f"rep:ans:{report.id}"
    async with app.sessions() as session:
        stored = await session.get(Report, report.id)
        assert stored.status == "needs_info" and stored.version == 3
        events = list(await session.scalars(select(ReportEvent.kind).where(ReportEvent.report_id == report.id)))
    assert events.count("question") == 1
    assert b"Which office was it?" not in await everything_stored(app)


async def test_a_change_from_an_outdated_page_is_refused(app: App, make_user, channel, browser: TestClient) -> None:
    report = await file_report(app, make_user, "830", "naryn")
    await logged_in(app, make_user, browser, "831", Role.COORDINATOR, ["naryn"])
    other = TestClient(TestServer(_dashboard(app)), cookie_jar=CookieJar(unsafe=True))
    await other.start_server()
    try:
        await logged_in(app, make_user, other, "832", Role.COORDINATOR, ["naryn"])
        mine = await (await browser.get(f"/dashboard/reports/{report.id}")).text()
        theirs = await (await other.get(f"/dashboard/reports/{report.id}")).text()
        assert "Also open now by: #" in theirs
        first = await other.post(f"/dashboard/reports/{report.id}/status",
                                 data={"csrf": csrf_of(theirs), "version": "1", "status": "closed"})
        assert "The status is changed" in await first.text()
        late = await (await browser.post(f"/dashboard/reports/{report.id}/status",
                                         data={"csrf": csrf_of(mine), "version": "1", "status": "referred"})).text()
        assert "Someone changed this report while you had it open" in late and "Closed" in late
    finally:
        await other.close()
    async with app.sessions() as session:
        assert (await session.get(Report, report.id)).status == "closed"


async def test_evidence_opens_on_its_page_with_its_checked_sha256(app: App, make_user, channel, browser: TestClient) -> None:
    report = await report_with_photo(app, make_user, channel, "840", "naryn")
    await logged_in(app, make_user, browser, "841", Role.ADMIN, [])
    page = await (await browser.get(f"/dashboard/reports/{report.id}")).text()
    assert hashlib.sha256(PHOTO).hexdigest() in page
    photo = await browser.get(f"/dashboard/reports/{report.id}/evidence/1")
    assert photo.status == 200 and await photo.read() == PHOTO
    assert photo.headers["Cache-Control"] == "no-store"
    async with app.sessions() as session:
        stored = await session.scalar(select(Evidence))
    path = app.settings.data_dir / stored.path
    path.write_bytes(app.cipher.encrypt(b"something else"))
    altered = await browser.get(f"/dashboard/reports/{report.id}/evidence/1")
    assert altered.status == 409 and "changed after it was received" in await altered.text()


async def test_notes_and_outcomes_are_kept_encrypted_and_shown_to_coordinators(
        app: App, make_user, channel, browser: TestClient) -> None:
    report = await file_report(app, make_user, "850", "naryn")
    await logged_in(app, make_user, browser, "851", Role.COORDINATOR, ["naryn"])
    page = await (await browser.get(f"/dashboard/reports/{report.id}")).text()
    noted = await (await browser.post(f"/dashboard/reports/{report.id}/note",
                                      data={"csrf": csrf_of(page), "version": "1", "text": "Called the akimat office"})).text()
    assert "The note is saved." in noted and "Called the akimat office" not in noted  # hidden until shown
    empty = await (await browser.post(f"/dashboard/reports/{report.id}/outcome",
                                      data={"csrf": csrf_of(noted), "version": "2", "text": "  "})).text()
    assert "Write between 1 and 2,000 characters." in empty
    shown = await (await browser.post(f"/dashboard/reports/{report.id}/show", data={"csrf": csrf_of(noted)})).text()
    assert "Called the akimat office" in shown
    assert b"Called the akimat office" not in await everything_stored(app)
    assert not [chat for chat, _ in channel.notified if chat == "850" and "akimat" in _.text]


async def everything_stored(app: App) -> bytes:
    """Every byte the database keeps (its engine closed first, so nothing waits in memory)."""
    await app.database.dispose()
    return await stored_bytes(app.settings.effective_database_url, app.settings.data_dir)


def _dashboard(app: App) -> web.Application:
    root = web.Application()
    server.mount(root, app)
    return root
