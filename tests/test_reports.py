"""Incident and monitoring reports through the engine: the reporter's dialog in each language,
every kind of bad input, drafts across restarts, encryption at rest, anonymity, and the
coordinators' side with its access checks and exports."""

from __future__ import annotations

import csv
import hashlib
import io
import pytest
from sqlalchemy import select, text

from bot.app import App, build_app
from core.messages import Media
from storage.models import AuditEntry, Draft, Evidence, Report, ReportEvent, Role, User
from tests.chat import CollectingChannel, ScriptedUser
from tests.databases import stored_bytes, table_names
from tests.helpers import (
    DESCRIPTION,
    PHOTO,
    answer_incident,
    file_report,
    make_staff,
    onboard,
    option,
    question,
    start_incident,
    stored_reports,
    t,
    walk_to,
)


@pytest.mark.parametrize("language", ["ky", "ru", "en"])
async def test_a_full_incident_report_in_each_language(app: App, make_user, channel: CollectingChannel, language: str) -> None:
    channel.files["photo-1"] = PHOTO
    coordinator = make_user(user_key="900", language_hint="ru")
    await onboard(coordinator, "ru", None)
    await make_staff(app, "900", Role.COORDINATOR, ["naryn"])
    elsewhere = make_user(user_key="901")
    await onboard(elsewhere, "en", None)
    await make_staff(app, "901", Role.COORDINATOR, ["osh_city"])

    user = make_user(language_hint=language)
    await onboard(user, language, "Naryn region" if language == "en" else None)
    await start_incident(app, user, language)
    await answer_incident(app, user, language, legal_aid="yes")
    summary = user.text
    assert t(app, language, "form-summary", form=app.content.forms["incident"].title.get(language)) in summary
    assert DESCRIPTION[:100] in summary and option(app, "incident", "region", "naryn", language) in summary
    await user.press_exactly(t(app, language, "form-send"))

    [report] = await stored_reports(app)
    assert report.reference in user.text and report.reference.startswith("R-") and len(report.reference) == 8
    assert (report.category, report.region, report.status, report.kind) == ("politics_psych", "naryn", "new", "incident")
    assert report.reporter_id is not None and report.contact_allowed and report.wants_legal_aid
    assert app.content.forms["incident"].version == report.form_version
    answers = app.cipher.decrypt_json(report.answers)
    assert answers["description"] == DESCRIPTION and answers["district"] == "Kochkor district"
    # the legal-aid contacts for politics close the dialog
    assert t(app, language, "legal-emergency-title") in user.text
    assert app.content.directory.entries[2].name.get(language) in user.text  # Bir Duino: politics, all regions
    async with app.sessions() as session:
        [item] = (await session.scalars(select(Evidence))).all()
        assert item.sha256 == hashlib.sha256(PHOTO).hexdigest() and item.size == len(PHOTO)
        assert (await session.scalars(select(Draft))).all() == []
    stored = (app.settings.data_dir / item.path).read_bytes()
    assert PHOTO[:20] not in stored and app.cipher.decrypt(stored) == PHOTO
    notices = [(chat, reply.text) for chat, reply in channel.notified]
    assert [chat for chat, _ in notices] == ["900"]  # the Naryn coordinator, not the Osh one
    assert report.reference in notices[0][1] and "Нарынская область" in notices[0][1]


async def test_an_answer_can_be_changed_from_the_summary(app: App, make_user, channel) -> None:
    channel.files["photo-1"] = PHOTO
    user = make_user()
    await onboard(user, "en", None)
    await start_incident(app, user, "en")
    await answer_incident(app, user, "en")
    lines = user.text.splitlines()
    label = app.content.forms["incident"].field("place").label.en
    number = next(line.split(".")[0] for line in lines if line.split(". ", 1)[-1].startswith(label))
    await user.press_exactly(f"✏️ {number}")
    await user.press_exactly(option(app, "incident", "place", "online", "en"))
    online = option(app, "incident", "place", "online", "en")
    assert "Please check your answers" in user.text and online in user.text.split(f"{number}. ")[1].splitlines()[0]
    await user.press("Send")
    report = (await stored_reports(app))[0]
    assert app.cipher.decrypt_json(report.answers)["place"] == "online"


async def test_cancel_deletes_the_draft_and_its_files(app: App, make_user, channel) -> None:
    channel.files["photo-1"] = PHOTO
    user = make_user()
    await onboard(user, "en", None)
    await start_incident(app, user, "en")
    await user.press_exactly("Yes")
    await user.press_exactly(option(app, "incident", "category", "family_violence", "en"))
    await user.press_exactly(option(app, "incident", "whom", "someone_else", "en"))
    await user.press_exactly(option(app, "incident", "region", "talas", "en"))
    await user.press("Skip")
    await user.press("Today")
    await user.press_exactly(option(app, "incident", "place", "home", "en"))
    await user.send(DESCRIPTION)
    await user.send_media(Media("photo", "photo-1", size=len(PHOTO)))
    assert list((app.settings.data_dir / "evidence").glob("*.bin"))
    await user.press("Cancel")
    await user.press("Yes, delete it")
    assert "Nothing was sent" in user.text
    assert await stored_reports(app) == []
    assert list((app.settings.data_dir / "evidence").glob("*.bin")) == []
    async with app.sessions() as session:
        assert (await session.scalars(select(Draft))).all() == []


async def test_the_draft_survives_a_restart_and_is_offered_back(settings, clock) -> None:
    first = await build_app(settings, clock=clock, run_migrations=False)
    user = ScriptedUser(first.engine, CollectingChannel(), language_hint="ru")
    await onboard(user, "ru", None)
    await start_incident(first, user, "ru")
    await user.press_exactly("Да")
    await user.press_exactly(option(first, "incident", "category", "work", "ru"))
    await first.close()

    second = await build_app(settings, clock=clock, run_migrations=False)
    user.engine = second.engine
    await user.send("/menu")  # she wandered off
    await user.press_exactly(t(second, "ru", "menu-report"))
    assert "незаконченн" in user.text.lower() or "21.11" in user.text or "23.11.2026" in user.text
    await user.press_exactly(t(second, "ru", "form-continue"))
    assert question(second, "incident", "whom", "ru") in user.text  # where she stopped
    await second.close()


async def test_the_safety_check_pauses_and_keeps_the_draft(app: App, make_user) -> None:
    user = make_user()
    await onboard(user, "en", None)
    await start_incident(app, user, "en")
    await user.press_exactly("No")
    assert app.content.forms["incident"].field("safe").stop_when_no.en in user.text
    assert "☎️ 112" in user.text and "Wipe this chat" in " ".join(user.button_labels())
    await user.press("I am safe now")
    assert question(app, "incident", "safe", "en") in user.text
    await user.press_exactly("Yes")
    assert question(app, "incident", "category", "en") in user.text


@pytest.mark.parametrize(
    "field, bad, message",
    [
        ("date", "photo", "Please press Today or Yesterday, or type the date"),
        ("date", "31.12.2099", "This date is in the future"),
        ("date", "31.02.2025", "Please press Today or Yesterday, or type the date"),
        ("description", "x" * 3001, "This is too long: 3,001 characters, and at most 3,000 fit"),
        ("description", "short", "This is too short"),
        ("category", "astrology", "There is no such choice"),
        ("region", "42", "There is no such choice"),
        ("evidence", "too big", "This file is too big"),
        ("evidence", "some words", "Please send a photo, a document or a voice note"),
        ("safe", "sticker", "Please press Yes or No"),
    ],
)
async def test_bad_input_gets_a_clear_message_and_the_same_question(app: App, make_user, channel, field: str, bad: str, message: str) -> None:
    user = make_user()
    await onboard(user, "en", None)
    if field == "evidence":
        await walk_to(app, user, "evidence")
        await user.send(DESCRIPTION)
    else:
        await walk_to(app, user, field)
    async with app.sessions() as session:
        before = (await session.scalar(select(Draft))).data
    if bad == "photo":
        await user.send_media(Media("photo", "x", size=10))
    elif bad == "too big":
        await user.send_media(Media("document", "big", size=50 * 1024 * 1024))
    elif bad == "sticker":
        from core.messages import IncomingKind

        await user._do(IncomingKind.OTHER)
    else:
        await user.send(bad)
    assert message in user.text
    assert question(app, "incident", field, "en") in user.text  # asked again
    async with app.sessions() as session:
        draft = await session.scalar(select(Draft))
        assert draft is not None and app.cipher.decrypt_json(draft.data) == app.cipher.decrypt_json(before)


async def test_a_typed_date_and_a_typed_choice_number_work(app: App, make_user) -> None:
    user = make_user()
    await onboard(user, "en", None)
    await walk_to(app, user, "date")
    await user.send("3.11.2026")
    await user.send("1")  # the first place
    async with app.sessions() as session:
        draft = app.cipher.decrypt_json((await session.scalar(select(Draft))).data)
    first_place = app.content.forms["incident"].field("place").options[0].id
    assert draft["answers"]["date"] == "2026-11-03" and draft["answers"]["place"] == first_place


async def test_an_anonymous_report_leaves_no_user_id_with_it(app: App, make_user, channel) -> None:
    channel.files["photo-1"] = PHOTO
    user = make_user(user_key="5550001")
    await onboard(user, "en", None)
    await start_incident(app, user, "en")
    await answer_incident(app, user, "en", contact="anonymous")
    await user.press("Send")
    assert "does not carry your name" in user.text
    [report] = await stored_reports(app)
    assert report.reporter_id is None and not report.contact_allowed
    async with app.sessions() as session:
        user_id = await session.scalar(select(User.id).where(User.external_id == "5550001"))
        tables = await table_names(session)
        for table in ("reports", "report_events", "evidence", "audit_log", "drafts"):
            assert table in tables
            for row in (await session.execute(text(f'SELECT * FROM "{table}"'))).all():
                assert "5550001" not in repr(row)
        events = (await session.scalars(select(ReportEvent))).all()
        assert all(event.actor_id is None for event in events)
        assert user_id not in [report.reporter_id, report.assigned_to]


async def test_the_database_holds_no_plaintext_of_a_description(app: App, make_user, channel, settings) -> None:
    channel.files["photo-1"] = PHOTO
    user = make_user()
    await onboard(user, "en", None)
    await start_incident(app, user, "en")
    await answer_incident(app, user, "en")
    await user.press("Send")
    await app.database.dispose()
    raw = await stored_bytes(settings.effective_database_url, settings.data_dir)
    raw += b"".join(path.read_bytes() for path in (settings.data_dir / "evidence").glob("*"))
    assert b"politics_psych" in raw  # the plain category column: the search reads the right files
    for secret in (DESCRIPTION, "Kochkor district", DESCRIPTION[10:40]):
        assert secret.encode() not in raw
    assert PHOTO[:30] not in raw


async def test_a_naryn_coordinator_cannot_open_an_osh_report(app: App, make_user, channel) -> None:
    osh = await file_report(app, make_user, "10", "osh_city")
    naryn = await file_report(app, make_user, "11", "naryn")
    coordinator = make_user(user_key="12")
    await onboard(coordinator, "en", None)
    await make_staff(app, "12", Role.COORDINATOR, ["naryn"])
    await coordinator.press_action(f"rep:o:{naryn.id}")
    assert naryn.reference in coordinator.text and DESCRIPTION in coordinator.text
    for forged in (f"rep:o:{osh.id}", f"rep:take:{osh.id}", f"rep:ev:{osh.id}", f"rep:s:{osh.id}:closed",
                   "rep:l:new:osh_city:all:0"):
        await coordinator.press_action(forged)
        assert "only for coordinators and admins" in coordinator.text or "This part" in coordinator.text
        assert DESCRIPTION not in coordinator.text
    async with app.sessions() as session:
        assert (await session.get(Report, osh.id)).status == "new"
        denied = (await session.scalars(select(AuditEntry).where(AuditEntry.action == "access.denied"))).all()
        opened = (await session.scalars(select(AuditEntry.target).where(AuditEntry.action == "report.opened"))).all()
    assert len(denied) == 5 and opened == [naryn.reference]
    member = make_user(user_key="13")
    await onboard(member, "en", None)
    await member.press_action(f"rep:o:{naryn.id}")
    assert DESCRIPTION not in member.text


async def test_review_take_ask_answer_and_close(app: App, make_user, channel) -> None:
    report = await file_report(app, make_user, "20", "talas")
    reporter = make_user(user_key="20")
    coordinator = make_user(user_key="21")
    await onboard(coordinator, "en", None)
    await make_staff(app, "21", Role.COORDINATOR, ["talas"])
    await coordinator.send("/reports")
    await coordinator.press("New (1)")
    await coordinator.press(report.reference)
    await coordinator.press("Take")
    assert "Status: In review" in coordinator.text
    await coordinator.press("Ask the reporter")
    await coordinator.send("Were there witnesses?")
    assert "The question has been sent." in coordinator.text
    question_notice = [reply for chat, reply in channel.notified if chat == "20"][-1]
    assert "Were there witnesses?" in question_notice.text
    await reporter.press(f"Answer about {report.reference}")
    await reporter.send("Yes, two deputies saw it.")
    assert "Your answer has been added" in reporter.text
    assert any(chat == "21" and "has answered" in reply.text for chat, reply in channel.notified)
    await coordinator.press_action(f"rep:o:{report.id}")
    assert "Yes, two deputies saw it." in coordinator.text and "Were there witnesses?" in coordinator.text
    await coordinator.press("Close")
    assert any(chat == "20" and "is now: Closed" in reply.text for chat, reply in channel.notified)
    await reporter.send(f"/status {report.reference}")
    assert f"Report {report.reference}: Closed" in reporter.text
    async with app.sessions() as session:
        events = (await session.scalars(select(ReportEvent).where(ReportEvent.kind.in_(["question", "answer"])))).all()
        assert all(b"witnesses" not in event.text and b"deputies" not in event.text for event in events)
        statuses = (await session.scalars(select(AuditEntry.details).where(AuditEntry.action == "report.status"))).all()
    assert [entry["status"] for entry in statuses] == ["in_review", "needs_info", "closed"]


async def test_an_anonymous_reporter_follows_up_with_her_code(app: App, make_user, channel) -> None:
    report = await file_report(app, make_user, "30", "batken", contact="anonymous")
    stranger = make_user(user_key="31")
    await onboard(stranger, "en", None)
    await stranger.send("/status")
    await stranger.send(report.reference.removeprefix("R-").lower())
    assert f"Report {report.reference}: New" in stranger.text
    await stranger.send("/status R-NOPE42")
    assert "No report has this code" in stranger.text


async def test_the_export_has_exactly_the_filtered_rows(app: App, make_user, channel) -> None:
    naryn = [await file_report(app, make_user, str(40 + number), "naryn") for number in range(2)]
    await file_report(app, make_user, "45", "osh_city")
    coordinator = make_user(user_key="46")
    await onboard(coordinator, "en", None)
    await make_staff(app, "46", Role.COORDINATOR, ["naryn"])
    await coordinator.send("/reports")
    await coordinator.press("CSV")
    [exported] = [reply for reply in coordinator.replies if reply.file]
    rows = list(csv.reader(io.StringIO(exported.file.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Code", "Kind", "Filed"] and "Reporter's account" not in rows[0]
    assert sorted(row[0] for row in rows[1:]) == sorted(report.reference for report in naryn)
    assert DESCRIPTION in rows[1]

    admin = make_user(user_key="47")
    await onboard(admin, "en", None)
    await make_staff(app, "47", Role.ADMIN, [])
    await admin.send("/reports")
    await admin.press("Excel")
    from openpyxl import load_workbook

    [workbook_reply] = [reply for reply in admin.replies if reply.file]
    sheet = load_workbook(io.BytesIO(workbook_reply.file.content)).active
    header = [cell.value for cell in sheet[1]]
    assert "Reporter's account" in header and sheet.max_row == 4
    await admin.press_action("rep:x:png")
    [chart] = [reply for reply in admin.replies if reply.file]
    assert chart.file.content.startswith(b"\x89PNG") and chart.file.kind == "photo"
    async with app.sessions() as session:
        exports = (await session.scalars(select(AuditEntry.details).where(AuditEntry.action == "report.export"))).all()
    assert [entry["count"] for entry in exports] == [2, 3, 3]


async def test_a_monitoring_report_follows_its_when_rules(app: App, make_user) -> None:
    user = make_user()
    await onboard(user, "en", None)
    await user.press("Monitoring")
    await user.press("File a monitoring report")
    form = app.content.forms["monitoring"]
    await user.press_exactly(option(app, "monitoring", "region", "jalal_abad", "en"))
    await user.send("Suzak aiyl aimak")
    await user.press_exactly(option(app, "monitoring", "subject", "quota", "en"))
    assert form.field("date").question.en in user.text  # "other" was not chosen: no subject_other
    await user.press("Today")
    await user.send("7")
    await user.send("-3")
    assert "from 0 to 100,000" in user.text
    await user.send("14")
    assert form.field("quota_met").question.en in user.text
    await user.press_exactly("Yes")
    await user.send("The council has 21 members, 7 of them women; the quota is met.")
    await user.press("Skip")
    await user.press("Skip")  # no photos: the step offers Skip until a file is sent
    await user.press("Send")
    [report] = await stored_reports(app)
    answers = app.cipher.decrypt_json(report.answers)
    assert (report.kind, report.category, report.region) == ("monitoring", "quota", "jalal_abad")
    assert answers["women"] == 7 and answers["men"] == 14 and answers["quota_met"] == "yes"
    assert "subject_other" not in answers


async def test_delete_my_data_unlinks_her_reports_and_removes_drafts(app: App, make_user, channel) -> None:
    report = await file_report(app, make_user, "60", "chui")
    user = make_user(user_key="60")
    await start_incident(app, user, "en")
    await user.press_exactly("Yes")
    await user.press_action("priv:del_ok")
    async with app.sessions() as session:
        kept = await session.get(Report, report.id)
        assert kept.reporter_id is None and not kept.contact_allowed
        assert (await session.scalars(select(Draft))).all() == []
        assert await session.scalar(select(User).where(User.external_id == "60")) is None


async def test_rotate_key_reencrypts_everything(app: App, make_user, channel, settings) -> None:
    from cryptography.fernet import Fernet, InvalidToken

    from storage.rotation import rotate_key

    channel.files["photo-1"] = PHOTO
    user = make_user()
    await onboard(user, "en", None)
    await start_incident(app, user, "en")
    await answer_incident(app, user, "en")
    await user.press("Send")
    key_file = settings.data_dir / "secret.key"
    old_key = Fernet.generate_key()
    key_file.write_bytes(old_key)
    # this test's app uses DATA_KEY; rotate a copy keyed by a file instead
    async with app.sessions() as session, session.begin():
        for report in (await session.scalars(select(Report))).all():
            report.answers = Fernet(old_key).encrypt(app.cipher.decrypt(report.answers))
        for item in (await session.scalars(select(Evidence))).all():
            path = settings.data_dir / item.path
            path.write_bytes(Fernet(old_key).encrypt(app.cipher.decrypt(path.read_bytes())))
        await session.execute(text("DELETE FROM conversations"))
        await session.execute(text("DELETE FROM drafts"))
    rotated = await rotate_key(app.sessions, None, settings.data_dir)
    assert rotated.values == 1 and rotated.files == 1
    new_key = key_file.read_bytes().strip()
    assert new_key == rotated.new_key and oct(key_file.stat().st_mode & 0o777) == "0o600"
    async with app.sessions() as session:
        report = await session.scalar(select(Report))
        item = await session.scalar(select(Evidence))
    with pytest.raises(InvalidToken):
        Fernet(old_key).decrypt(report.answers)
    assert DESCRIPTION in Fernet(new_key).decrypt(report.answers).decode()
    assert Fernet(new_key).decrypt((settings.data_dir / item.path).read_bytes()) == PHOTO



async def test_a_failed_download_asks_for_the_file_again(app: App, make_user, channel) -> None:
    user = make_user()
    await onboard(user, "en", None)
    await walk_to(app, user, "evidence")
    await user.send(DESCRIPTION)
    await user.send_media(Media("photo", "not-there", size=100))  # the channel cannot fetch it
    assert "could not be received" in user.text
    assert question(app, "incident", "evidence", "en") in user.text
