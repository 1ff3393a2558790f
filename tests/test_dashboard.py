"""The coordinators' web dashboard through aiohttp's test client: the way in from the bot's link,
sessions that end, the inbox and its filter, and the rules every page keeps."""

from __future__ import annotations

import re
from datetime import timedelta

from aiohttp.test_utils import TestClient
from sqlalchemy import select

from bot.app import App
from scheduler.runner import hourly_cleanup
from storage.models import AuditEntry, DashboardLink, DashboardSession, Role
from tests.dashboard_helpers import LINK, link_from_bot, log_in
from tests.helpers import file_report, make_staff, new_staff

async def test_a_coordinator_logs_in_from_the_bot_link_once_and_hears_of_it_in_the_chat(
        app: App, make_user, channel, browser: TestClient) -> None:
    staff = await new_staff(app, make_user, "700", Role.COORDINATOR, ["osh_oblast"])
    token = await link_from_bot(staff)
    assert len(token) >= 22  # at least 128 bits
    async with app.sessions() as session:
        stored = await session.scalar(select(DashboardLink))
        assert stored is not None and token not in stored.token_hash
    cookie = await log_in(browser, token)
    inbox = await browser.get("/dashboard/")
    assert inbox.status == 200 and "Reports from your regions" in await inbox.text()
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/dashboard" in cookie

    again = await browser.post(f"/dashboard/login/{token}", allow_redirects=False)
    assert again.status == 410  # the link is spent
    reopened = await browser.get(f"/dashboard/login/{token}")
    assert "expired or was already used" in await reopened.text()

    notice = [reply for chat, reply in channel.notified if chat == "700"][-1]
    assert "You logged in to the dashboard at" in notice.text
    assert [button.label for button in notice.flat_buttons] == ["🚫 Not me: end all sessions"]
    await staff.press_action("dash:end")
    assert channel.toasts[-1] == "One dashboard session ended."
    assert (await browser.get("/dashboard/")).status == 401
    async with app.sessions() as session:
        actions = list(await session.scalars(select(AuditEntry.action)))
    assert "dashboard.login" in actions and "dashboard.sessions.ended" in actions


async def test_a_member_gets_no_link(app: App, make_user, channel) -> None:
    member = make_user(user_key="701", language_hint="en")
    await member.send("/start")
    await member.press("English")
    await member.press_action("dash")
    assert "/dashboard/login/" not in member.text
    async with app.sessions() as session:
        assert await session.scalar(select(DashboardLink)) is None


async def test_a_session_ends_when_her_regions_change_or_she_is_idle(app: App, make_user, channel, clock,
                                                                      browser: TestClient) -> None:
    staff = await new_staff(app, make_user, "702", Role.COORDINATOR, ["osh_oblast"])
    await log_in(browser, await link_from_bot(staff))
    assert (await browser.get("/dashboard/")).status == 200
    await make_staff(app, "702", Role.COORDINATOR, ["osh_oblast", "naryn"])
    assert (await browser.get("/dashboard/")).status == 401
    async with app.sessions() as session:
        assert await session.scalar(select(DashboardSession)) is None

    await log_in(browser, await link_from_bot(staff))
    clock.now += timedelta(minutes=29)
    assert (await browser.get("/dashboard/")).status == 200
    clock.now += timedelta(minutes=31)
    assert (await browser.get("/dashboard/")).status == 401


async def test_a_link_expires_after_ten_minutes(app: App, make_user, channel, clock, browser: TestClient) -> None:
    staff = await new_staff(app, make_user, "703", Role.ADMIN)
    token = await link_from_bot(staff)
    clock.now += timedelta(minutes=11)
    refused = await browser.post(f"/dashboard/login/{token}", allow_redirects=False)
    assert refused.status == 410


async def test_the_inbox_shows_only_her_regions_and_the_filter_is_in_the_address(
        app: App, make_user, channel, browser: TestClient) -> None:
    osh = await file_report(app, make_user, "710", "osh_oblast")
    naryn = await file_report(app, make_user, "711", "naryn")
    staff = await new_staff(app, make_user, "712", Role.COORDINATOR, ["naryn"])
    await log_in(browser, await link_from_bot(staff))
    page = await (await browser.get("/dashboard/")).text()
    assert naryn.reference in page and osh.reference not in page
    sneaky = await (await browser.get("/dashboard/?region=osh_oblast")).text()
    assert osh.reference not in sneaky and naryn.reference in sneaky  # a region not hers is dropped
    closed = await (await browser.get("/dashboard/?status=closed")).text()
    assert naryn.reference not in closed and "No report matches this filter." in closed
    assert 'href="/dashboard/export.csv?status=closed"' in closed  # the export carries the filter


async def test_every_page_sends_strict_headers_and_a_form_without_its_token_is_refused(
        app: App, make_user, channel, browser: TestClient) -> None:
    staff = await new_staff(app, make_user, "720", Role.ADMIN)
    await log_in(browser, await link_from_bot(staff))
    page = await browser.get("/dashboard/")
    headers = page.headers
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["Referrer-Policy"] == "no-referrer" and headers["Cache-Control"] == "no-store"
    forged = await browser.post("/dashboard/logout", data={"csrf": "forged"}, allow_redirects=False)
    assert forged.status == 403
    assert (await browser.get("/dashboard/")).status == 200  # still logged in
    token = re.search(r'name="csrf" value="([0-9a-f]+)"', await page.text()).group(1)
    out = await browser.post("/dashboard/logout", data={"csrf": token}, allow_redirects=False)
    assert out.status == 303
    assert (await browser.get("/dashboard/")).status == 401


async def test_the_pages_speak_her_bot_language(app: App, make_user, channel, browser: TestClient) -> None:
    staff = await new_staff(app, make_user, "730", Role.ADMIN, language="ky")
    await staff.send("/start")
    await staff.press_action("coord")
    await staff.press("Веб-панель")
    token = LINK.search(staff.text).group(1)
    page = await (await browser.get(f"/dashboard/login/{token}")).text()
    assert "Улантуу" in page and 'lang="ky"' in page


async def test_the_hourly_cleanup_forgets_spent_links_and_ended_sessions(app: App, make_user, channel, clock,
                                                                         browser: TestClient) -> None:
    staff = await new_staff(app, make_user, "740", Role.ADMIN)
    await log_in(browser, await link_from_bot(staff))
    await link_from_bot(staff)  # a second link, never used
    await hourly_cleanup(app)
    async with app.sessions() as session:
        assert len(list(await session.scalars(select(DashboardSession)))) == 1  # the live one stays
        assert len(list(await session.scalars(select(DashboardLink)))) == 1  # the fresh, unused link
    clock.now += timedelta(hours=1)
    await hourly_cleanup(app)
    async with app.sessions() as session:
        assert await session.scalar(select(DashboardSession)) is None
        assert await session.scalar(select(DashboardLink)) is None
