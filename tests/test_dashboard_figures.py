"""The dashboard's map and charts through aiohttp's test client: counts per region for her regions
only, the filter honoured, bars equal to the database's counts, the women and men of monitoring
reports summed from their encrypted answers, lesson averages hidden under 3 people, and campaign
alerts with their figures as the chat shows them."""

from __future__ import annotations

import re
from datetime import datetime, timezone

from aiohttp.test_utils import TestClient
from sqlalchemy import func, select

from bot.app import App
from dashboard import figures
from storage import broadcast_repo, people_repo
from storage.broadcast_repo import Audience
from storage.models import AuditEntry, LessonProgress, Outbox, Report, Role, User
from tests.dashboard_helpers import link_from_bot, log_in
from tests.helpers import file_report, new_staff, onboard, option


def numbers(page: str, row_id: str) -> list[str]:
    """The numbers written in one table row of a page, in order."""
    row = re.search(rf'<tr id="{re.escape(row_id)}">(.*?)</tr>', page, re.S)
    assert row, f"no row {row_id}"
    return [value.strip() for value in re.findall(r'<td class="number[^"]*">([^<]*)</td>', row.group(1))]


def tiles(page: str) -> dict[str, int]:
    """Each tile of the map and the count written on it."""
    found = re.findall(r'id="tile-([a-z_]+)".*?<span class="tile-count">(\d+)</span>', page, re.S)
    return {code: int(count) for code, count in found}


async def file_monitoring(app: App, make_user, user_key: str, region: str, subject: str,  # type: ignore[no-untyped-def]
                          women: int, men: int) -> None:
    """A monitoring report through the bot's dialog, as a member of a group files it."""
    user = make_user(user_key=user_key)
    await onboard(user, "en", None)
    await user.press("Monitoring")
    await user.press("File a monitoring report")
    await user.press_exactly(option(app, "monitoring", "region", region, "en"))
    await user.send("Kochkor aiyl aimak")
    await user.press_exactly(option(app, "monitoring", "subject", subject, "en"))
    await user.press("Today")
    await user.send(str(women))
    await user.send(str(men))
    if subject == "quota":
        await user.press_exactly("Yes")
    await user.send("The session was open and the agenda was read out to everyone.")
    await user.press("Skip")
    await user.press("Skip")
    await user.press("Send")
    assert "R-" in user.text


async def set_status(app: App, report_id: int, status: str) -> None:
    async with app.sessions() as session, session.begin():
        (await session.get(Report, report_id)).status = status


async def test_a_naryn_coordinators_map_shows_naryn_alone(app: App, make_user, channel, browser: TestClient) -> None:
    await file_report(app, make_user, "100", "naryn")
    await file_report(app, make_user, "101", "naryn")
    await file_report(app, make_user, "102", "osh_oblast")
    await file_report(app, make_user, "103", "osh_city")
    staff = await new_staff(app, make_user, "104", Role.COORDINATOR, ["naryn"])
    await log_in(browser, await link_from_bot(staff))
    response = await browser.get("/dashboard/map")
    assert response.status == 200
    page = await response.text()
    assert tiles(page) == {"naryn": 2}
    assert numbers(page, "count-naryn") == ["2"] and numbers(page, "count-total") == ["2"]
    assert "Osh" not in page and "osh_" not in page
    assert 'href="/dashboard/?region=naryn"' in page  # the tile opens the inbox of the region
    sneaky = await (await browser.get("/dashboard/map?region=osh_oblast")).text()
    assert tiles(sneaky) == {"naryn": 2} and "Osh" not in sneaky  # a region not hers is dropped


async def test_an_admins_map_shows_the_nine_with_their_counts_and_keeps_the_filter(
        app: App, make_user, channel, clock, browser: TestClient) -> None:
    clock.now = datetime(2026, 9, 10, 9, 0, tzinfo=timezone.utc)
    await file_report(app, make_user, "110", "talas")
    clock.now = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)
    await file_report(app, make_user, "111", "talas")
    closed = await file_report(app, make_user, "112", "bishkek")
    await file_report(app, make_user, "113", "bishkek")
    await file_report(app, make_user, "114", "bishkek")
    await file_report(app, make_user, "115", "batken")
    await set_status(app, closed.id, "closed")
    staff = await new_staff(app, make_user, "116", Role.ADMIN)
    await log_in(browser, await link_from_bot(staff))

    page = await (await browser.get("/dashboard/map")).text()
    expected = {code: 0 for code in app.content.regions} | {"talas": 2, "bishkek": 3, "batken": 1}
    assert tiles(page) == expected and len(expected) == 9
    assert numbers(page, "count-total") == ["6"]
    assert 'class="tile tile-row-1 tile-col-2 tile-span-1 heat-4" href="/dashboard/?region=bishkek"' in page
    assert "heat-0" in re.search(r'id="tile-naryn"[^>]*', page).group(0)

    by_status = await (await browser.get("/dashboard/map?status=closed")).text()
    assert tiles(by_status) == {code: 0 for code in app.content.regions} | {"bishkek": 1}
    assert 'href="/dashboard/?region=bishkek&amp;status=closed"' in by_status  # the filter goes with the link
    november = await (await browser.get("/dashboard/map?since=2026-11-01&until=2026-11-30")).text()
    assert tiles(november)["talas"] == 1 and numbers(november, "count-total") == ["5"]
    autumn = await (await browser.get("/dashboard/map?since=2026-09-01&until=2026-09-30")).text()
    assert tiles(autumn)["talas"] == 1 and numbers(autumn, "count-total") == ["1"]


async def test_the_charts_count_as_the_database_does(app: App, make_user, channel, clock, browser: TestClient) -> None:
    clock.now = datetime(2026, 10, 5, 9, 0, tzinfo=timezone.utc)
    await file_report(app, make_user, "120", "chui")
    clock.now = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)
    second = await file_report(app, make_user, "121", "chui")
    await file_report(app, make_user, "122", "naryn")
    await file_monitoring(app, make_user, "123", "chui", "quota", 7, 14)
    await set_status(app, second.id, "in_review")
    staff = await new_staff(app, make_user, "124", Role.COORDINATOR, ["chui"])
    await log_in(browser, await link_from_bot(staff))

    page = await (await browser.get("/dashboard/charts")).text()
    async with app.sessions() as session:
        mine = Report.region.in_(["chui"])
        per_category = (await session.execute(
            select(Report.kind, Report.category, func.count()).where(mine).group_by(Report.kind, Report.category))).all()
        per_status = dict((await session.execute(
            select(Report.status, func.count()).where(mine).group_by(Report.status))).all())
    assert sorted(per_category) == [("incident", "politics_psych", 2), ("monitoring", "quota", 1)]
    for kind, category, count in per_category:
        assert numbers(page, f"categories-{kind}-{category}") == [str(count)]
    for status in ("new", "in_review", "needs_info", "referred", "closed"):
        assert numbers(page, f"statuses-{status}") == [str(per_status.get(status, 0))]
    assert numbers(page, "months-2026-10") == ["1"] and numbers(page, "months-2026-11") == ["2"]
    assert numbers(page, "months-2025-12") == ["0"] and "months-2025-11" not in page  # the last 12 months
    assert "Months: December 2025 to November 2026." in page
    assert 'href="/dashboard/?status=in_review"' in page  # a bar opens the inbox with its reports

    closed_only = await (await browser.get("/dashboard/charts?status=in_review&since=2026-11-01")).text()
    assert numbers(closed_only, "categories-incident-politics_psych") == ["1"]
    assert "categories-monitoring-quota" not in closed_only
    assert "months-2026-10" not in closed_only and numbers(closed_only, "months-2026-11") == ["1"]
    assert 'width="100.0"' in closed_only and 'style=' not in closed_only


async def test_the_women_and_men_of_monitoring_reports_are_summed_from_their_answers(
        app: App, make_user, channel, browser: TestClient, monkeypatch) -> None:
    await file_monitoring(app, make_user, "130", "jalal_abad", "quota", 7, 14)
    await file_monitoring(app, make_user, "131", "jalal_abad", "hearing", 20, 5)
    await file_monitoring(app, make_user, "132", "naryn", "quota", 3, 6)
    await file_report(app, make_user, "133", "naryn")  # an incident report counts no people
    staff = await new_staff(app, make_user, "134", Role.ADMIN)
    await log_in(browser, await link_from_bot(staff))

    page = await (await browser.get("/dashboard/charts")).text()
    assert numbers(page, "gender-subjects-monitoring-quota") == ["2", "10", "20", "33"]
    assert numbers(page, "gender-subjects-monitoring-hearing") == ["1", "20", "5", "80"]
    assert numbers(page, "gender-regions-jalal_abad") == ["2", "27", "19", "59"]
    assert numbers(page, "gender-regions-naryn") == ["1", "3", "6", "33"]
    assert numbers(page, "gender-regions-total") == ["3", "30", "25", "55"]
    assert "gender-capped" not in page

    naryn = await (await browser.get("/dashboard/charts?region=naryn")).text()
    assert numbers(naryn, "gender-subjects-total") == ["1", "3", "6", "33"]
    incidents = await (await browser.get("/dashboard/charts?kind=incident")).text()
    assert 'id="gender-none"' in incidents

    monkeypatch.setattr(figures, "MONITORING_OPENED_AT_MOST", 2)
    capped = await (await browser.get("/dashboard/charts")).text()
    assert "This filter keeps 3 monitoring reports: only the newest 2 are counted here." in capped
    assert numbers(capped, "gender-regions-total") == ["2", "23", "11", "68"]


async def test_lesson_averages_of_fewer_than_three_people_are_hidden(app: App, make_user, channel,
                                                                     browser: TestClient) -> None:
    course = next(iter(app.content.courses.values()))
    async with app.sessions() as session, session.begin():
        for number, (region, score) in enumerate([("naryn", 100), ("naryn", 50), ("naryn", 50),
                                                  ("osh_oblast", 100), ("osh_oblast", 0)]):
            learner, _ = await people_repo.get_or_create_user(session, "telegram", f"learner-{number}")
            learner.region = region
            await session.flush()
            session.add(LessonProgress(user_id=learner.id, course_id=course.id, lesson_id=course.lessons[0].id,
                                       score=score))
    hidden = "not shown (fewer than 3 people)"
    coordinator = await new_staff(app, make_user, "140", Role.COORDINATOR, ["naryn"])
    await log_in(browser, await link_from_bot(coordinator))
    page = await (await browser.get("/dashboard/charts")).text()
    assert numbers(page, f"course-{course.id}-all") == ["3", "0", "67%"]
    assert numbers(page, f"course-{course.id}-naryn") == ["3", "0", "67%"]
    assert f"course-{course.id}-osh_oblast" not in page

    admin = await new_staff(app, make_user, "141", Role.ADMIN)
    await log_in(browser, await link_from_bot(admin))
    page = await (await browser.get("/dashboard/charts")).text()
    assert numbers(page, f"course-{course.id}-all") == ["5", "0", "60%"]
    assert numbers(page, f"course-{course.id}-osh_oblast") == ["2", "0", hidden]
    async with app.sessions() as session:
        viewed = list(await session.scalars(select(AuditEntry.details).where(AuditEntry.action == "dashboard.charts")))
    assert viewed == [{"regions": ["naryn"]}, {"regions": ["all"]}]  # who looked at the figures, as the chat records it


async def test_alerts_show_sent_delivered_opened_and_acknowledged_as_the_chat_lets_her(
        app: App, make_user, channel, clock, browser: TestClient) -> None:
    coordinator = await new_staff(app, make_user, "150", Role.COORDINATOR, ["talas"])
    async with app.sessions() as session, session.begin():
        author = await session.scalar(select(User).where(User.external_id == "150"))
        hers = await broadcast_repo.create_broadcast(
            session, app.cipher, {"all": "Public hearing on the budget on Friday"}, created_by=author.id,
            status="done", audience=Audience(within_regions=("talas",)).to_json(), ask_ack=True, send_at=clock.now)
        other = await broadcast_repo.create_broadcast(
            session, app.cipher, {"all": "Another coordinator's alert"}, created_by=None,
            status="done", audience=Audience().to_json(), ask_ack=False, send_at=clock.now)
        for number, (alert, channel_name, status, acked, delivered, read) in enumerate([
                (hers, "telegram", "sent", True, False, False),
                (hers, "whatsapp", "sent", False, True, True),
                (hers, "telegram", "failed", False, False, False),
                (other, "telegram", "sent", False, False, False)]):
            session.add(Outbox(broadcast_id=alert.id, channel=channel_name, chat_key=f"chat-{number}", language="en",
                               status=status, acked_at=clock.now if acked else None,
                               delivered_at=clock.now if delivered else None, read_at=clock.now if read else None))
    await log_in(browser, await link_from_bot(coordinator))
    page = await (await browser.get("/dashboard/charts")).text()
    # sent, delivered, opened, "I have read this", failed, blocked, not sent yet
    assert numbers(page, f"alert-{hers.id}") == ["2", "1", "1", "1 (50%)", "1", "0", "0"]
    assert "Public hearing on the budget" in page
    assert f'id="alert-{other.id}"' not in page  # a coordinator follows her own alerts, as in the chat

    admin = await new_staff(app, make_user, "151", Role.ADMIN)
    await log_in(browser, await link_from_bot(admin))
    page = await (await browser.get("/dashboard/charts")).text()
    assert numbers(page, f"alert-{other.id}") == ["1", "—", "—", "—", "0", "0", "0"]
    assert f'id="alert-{hers.id}"' in page


async def test_the_map_and_charts_need_a_login(browser: TestClient) -> None:
    assert (await browser.get("/dashboard/map")).status == 401
    assert (await browser.get("/dashboard/charts")).status == 401


def test_shades_step_up_with_the_count_and_the_legend_covers_every_count() -> None:
    assert [figures.shade(count, 10) for count in (0, 1, 2, 3, 5, 6, 8, 10)] == [0, 1, 1, 2, 2, 3, 4, 4]
    assert figures.legend(10) == [(0, 0, 0), (1, 1, 2), (2, 3, 5), (3, 6, 7), (4, 8, 10)]
    assert figures.legend(2) == [(0, 0, 0), (2, 1, 1), (4, 2, 2)]
    for highest in range(1, 30):
        steps = {step: (low, high) for step, low, high in figures.legend(highest)}
        for count in range(1, highest + 1):
            low, high = steps[figures.shade(count, highest)]
            assert low <= count <= high
