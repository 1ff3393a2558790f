"""The safety promises, against someone who has a copy of the data folder or her phone: an
anonymous report cannot be tied to her, Wipe this chat removes what others sent her too, Delete
my data leaves nothing that names her, a leaked database opens no door, and roles end cleanly."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select, text

from core.actions import InvalidAction, decode
from bot.app import App
from core.logs import JsonFormatter
from core.messages import Delivery
from storage import broadcast_repo, people_repo
from storage.models import (
    AuditEntry,
    Broadcast,
    Evidence,
    InboundMessage,
    MonitoringGroup,
    Outbox,
    Report,
    ReportEvent,
    Role,
    RoleInvite,
    User,
)
from tests.chat import CollectingChannel, ScriptedUser
from tests.databases import stored_bytes, table_names
from tests.helpers import PHOTO, answer_incident, make_staff, new_staff, onboard, start_incident, t

ODD_MOMENT = datetime(2026, 11, 23, 8, 58, 12, 345678, tzinfo=timezone.utc)


@contextmanager
def failing_sends_to(channel: CollectingChannel, chat: str) -> Iterator[None]:
    """The Bot API fails every send to this chat for a while (a 5xx, a broken connection)."""
    working = channel.deliver

    async def failing(incoming, effects):  # type: ignore[no-untyped-def]
        return Delivery(failed=True) if incoming.chat_key == chat else await working(incoming, effects)

    channel.deliver = failing  # type: ignore[method-assign]
    try:
        yield
    finally:
        channel.deliver = working  # type: ignore[method-assign]


def on_the_hour(moment: datetime) -> bool:
    return (moment.minute, moment.second, moment.microsecond) == (0, 0, 0)


async def rows_naming(app: App, user_id: int, chat_key: str) -> dict[str, list[dict[str, object]]]:
    """Every row of every table that holds her internal id or her chat id, as dicts."""
    found: dict[str, list[dict[str, object]]] = {}
    async with app.sessions() as session:
        for table in await table_names(session):
            if table == "alembic_version":
                continue
            result = await session.execute(text(f'SELECT * FROM "{table}"'))
            columns = list(result.keys())
            for row in result.all():
                values = dict(zip(columns, row, strict=True))
                names_her = any(
                    (name in ("user_id", "reporter_id", "assignee_id", "coordinator_id", "actor_id", "created_by")
                     and value == user_id) or (table == "users" and name == "id" and value == user_id)
                    or value == chat_key
                    for name, value in values.items()
                )
                if names_her:
                    found.setdefault(table, []).append(values)
    return found


def moments(values: dict[str, object]) -> list[datetime]:
    result = []
    for value in values.values():
        if isinstance(value, datetime):
            result.append(value)
        elif isinstance(value, str) and len(value) >= 19 and value[4] == "-" and value[10] in " T":
            try:
                result.append(datetime.fromisoformat(value))
            except ValueError:
                pass
    return result


async def test_an_anonymous_report_and_the_rows_that_name_her_keep_only_the_hour(
    app: App, make_user, channel: CollectingChannel, clock
) -> None:
    """Filed just after 9:00 by someone who came at 8:58: nothing stored says more than the hour, so her rows and
    the report cannot be matched by the moment they were written."""
    clock.now = ODD_MOMENT
    channel.files["photo-1"] = PHOTO
    await new_staff(app, make_user, "900", Role.COORDINATOR, ["naryn"])  # told of the report
    reporter = make_user(user_key="4242", language_hint="en")
    await onboard(reporter, "en", None)
    await start_incident(app, reporter, "en")
    clock.now += timedelta(minutes=3, seconds=7)
    await answer_incident(app, reporter, "en", contact="anonymous")
    await reporter.press_exactly(t(app, "en", "form-send"))
    assert "R-" in reporter.text

    async with app.sessions() as session:
        report = await session.scalar(select(Report))
        evidence = list(await session.scalars(select(Evidence)))
        events = list(await session.scalars(select(ReportEvent)))
        her = await session.scalar(select(User).where(User.external_id == "4242"))
        notices = list(await session.scalars(select(Outbox).where(Outbox.kind == "notice")))
    assert report.reporter_id is None and not report.contact_allowed
    assert evidence and events
    for moment in [report.created_at, report.updated_at, *(item.created_at for item in evidence),
                   *(event.at for event in events)]:
        assert on_the_hour(moment), moment
    naming = await rows_naming(app, her.id, "4242")
    assert set(naming) >= {"users", "conversations", "chat_messages"}
    for table, rows in naming.items():
        for row in rows:
            assert all(on_the_hour(moment) for moment in moments(row)), (table, row)
    # the coordinator was told, and the sent notice forgot what it said
    assert [chat for chat, _ in channel.notified] == ["900"]
    assert [(notice.status, notice.payload_token) for notice in notices] == [("sent", None)]


async def test_the_saved_menu_and_task_and_alert_texts_are_not_readable_in_the_database_files(
    app: App, make_user, settings, clock
) -> None:
    admin = await new_staff(app, make_user, "950")
    await admin.send("/menu")
    await admin.press("Coordinator")
    await admin.press("Campaign alerts")
    await admin.press("New alert")
    await admin.send("Meeting of the monitoring group at the school on Friday")
    await admin.press("Send at a time")
    await admin.send("25.12.2026 10:00")
    async with app.sessions() as session, session.begin():
        group = MonitoringGroup(name="Batken monitors", region="batken", invite_hash="x", invite_token=b"x",
                                created_at=clock.now)
        session.add(group)
    await app.database.dispose()
    stored = await stored_bytes(settings.effective_database_url, settings.data_dir)
    assert b"Meeting of the monitoring group" not in stored  # the alert's text
    assert "Campaign alerts".encode() not in stored and "Send at a time".encode() not in stored  # saved menus


async def test_a_leaked_database_lets_nobody_join_a_group_or_become_a_coordinator(app: App, make_user) -> None:
    admin = make_user(user_key="960", language_hint="en")
    await onboard(admin, "en", None)
    await make_staff(app, "960", Role.ADMIN, [])
    await admin.press_action("adm:inv")
    await admin.press_action("adm:inv_reg:naryn")
    await admin.press_action("adm:inv_ok")
    code = next(line.split(": ")[1] for line in admin.text.splitlines() if line.startswith("Invitation code"))
    assert len(code) == 12
    async with app.sessions() as session:
        invite = await session.scalar(select(RoleInvite))
    import hashlib

    # what an unkeyed hash of the code (or of any guess) would give is not what is stored
    assert invite.code_hash != hashlib.sha256(code.encode()).hexdigest()
    assert code not in repr(invite.__dict__)
    newcomer = make_user(user_key="961", language_hint="en")
    await onboard(newcomer, "en", None)
    await newcomer.send(f"/start coord-{invite.code_hash}")  # the stored value is no code
    async with app.sessions() as session:
        assert (await session.scalar(select(User).where(User.external_id == "961"))).role == Role.MEMBER
    await newcomer.send(f"/start coord-{code}")
    async with app.sessions() as session:
        assert (await session.scalar(select(User).where(User.external_id == "961"))).role == Role.COORDINATOR


async def test_wipe_removes_what_others_sent_her_too(app: App, make_user, channel: CollectingChannel) -> None:
    """A coordinator's question and a campaign alert went out through the outbox; the wipe
    deletes them with the rest, and says how many in a notice that stays out of the chat."""
    coordinator = await new_staff(app, make_user, "900")
    reporter = make_user(user_key="4243", language_hint="en")
    await onboard(reporter, "en", None)
    await start_incident(app, reporter, "en")
    await answer_incident(app, reporter, "en", photo=False)
    await reporter.press_exactly(t(app, "en", "form-send"))
    async with app.sessions() as session:
        report = await session.scalar(select(Report))
    await coordinator.press_action(f"rep:s:{report.id}:needs_info")
    await coordinator.send("Were there witnesses?")
    async with app.sessions() as session, session.begin():
        await broadcast_repo.create_broadcast(session, app.cipher, {"all": "Hearing on Monday"}, created_by=None,
                                              status="scheduled", audience={}, ask_ack=False, send_at=app.engine.clock())
    from scheduler.runner import build_sender

    sender, service = build_sender(app, {"telegram": channel})
    await service.start_due(app.engine.clock())
    await sender.drain()
    to_her = {message_id for message_id, _ in channel.sent_to["4243"]}
    question = [message_id for message_id, reply in channel.sent_to["4243"] if "Were there witnesses?" in reply.text]
    alert = [message_id for message_id, reply in channel.sent_to["4243"] if "Hearing on Monday" in reply.text]
    assert question and alert

    await reporter.send("/menu")
    await reporter.press("Settings")
    await reporter.press("Wipe this chat")
    await reporter.press("Yes, wipe this chat")
    assert to_her <= set(channel.deleted)
    assert reporter.replies == []  # nothing new in the emptied chat
    assert channel.toasts and "messages were removed from this chat" in channel.toasts[-1]


async def test_delete_my_data_cancels_what_was_queued_and_forgets_her_chat(app: App, make_user, channel) -> None:
    user = make_user(user_key="777002", language_hint="en")
    await onboard(user, "en", "Batken region")
    async with app.sessions() as session, session.begin():
        broadcast = await broadcast_repo.create_broadcast(
            session, app.cipher, {"all": "Alert"}, created_by=None, status="scheduled", audience={}, ask_ack=False,
            send_at=app.engine.clock())
        await broadcast_repo.enqueue(session, broadcast, app.engine.clock())
    await user.send("/menu")
    await user.press("Settings")
    await user.press("Delete my data")
    await user.press("Yes, delete my data")
    assert "Your data has been deleted" in user.text
    async with app.sessions() as session:
        rows = list(await session.scalars(select(Outbox)))
    assert [(row.status, row.user_id, row.chat_key) for row in rows] == [("skipped", None, "")]
    from scheduler.runner import build_sender

    sender, _ = build_sender(app, {"telegram": channel})
    await sender.drain()
    assert not [reply for chat, reply in channel.notified if chat == "777002"]  # the alert never reaches her


async def test_a_deleted_persons_id_is_never_given_to_a_newcomer(app: App, make_user) -> None:
    first = make_user(user_key="501", language_hint="en")
    await onboard(first, "en", None)
    await make_staff(app, "501", Role.COORDINATOR, ["naryn"])
    async with app.sessions() as session:
        first_id = (await session.scalar(select(User).where(User.external_id == "501"))).id
    await first.press_action("priv:del_ok")
    newcomer = make_user(user_key="502", language_hint="en")
    await onboard(newcomer, "en", None)
    async with app.sessions() as session:
        newcomer_id = (await session.scalar(select(User).where(User.external_id == "502"))).id
        blank = await session.get(User, first_id)
    assert newcomer_id != first_id
    assert (blank.channel, blank.language, blank.role, blank.coordinator_regions) == ("gone", None, "member", [])


async def test_a_removed_coordinator_gets_nothing_more(app: App, make_user, channel: CollectingChannel) -> None:
    admin = make_user(user_key="970", language_hint="en")
    await onboard(admin, "en", None)
    await make_staff(app, "970", Role.ADMIN, [])
    coordinator = make_user(user_key="971", language_hint="en")
    await onboard(coordinator, "en", None)
    await make_staff(app, "971", Role.COORDINATOR, ["naryn"])
    async with app.sessions() as session, session.begin():
        coordinator_id = (await session.scalar(select(User).where(User.external_id == "971"))).id
        scheduled = await broadcast_repo.create_broadcast(
            session, app.cipher, {"all": "Her alert"}, created_by=coordinator_id, status="scheduled", audience={},
            ask_ack=False, send_at=app.engine.clock() + timedelta(days=1), progress_channel="telegram",
            progress_chat="971")
        scheduled_id = scheduled.id
    await admin.press_action("adm:staff")
    await admin.press(f"Remove coordinator #{coordinator_id}")
    assert "Her scheduled alert was cancelled" in admin.text

    reporter = make_user(user_key="4244", language_hint="en")
    await onboard(reporter, "en", None)
    await start_incident(app, reporter, "en")
    await answer_incident(app, reporter, "en", photo=False)
    await reporter.press_exactly(t(app, "en", "form-send"))
    assert [chat for chat, _ in channel.notified if chat == "971"] == []  # no notice of the new report
    async with app.sessions() as session:
        assert (await session.get(Broadcast, scheduled_id)).status == "cancelled"
    await coordinator.press_action("rep")
    assert "only for coordinators and admins" in coordinator.text


async def test_an_admin_can_be_removed_and_an_id_out_of_admin_ids_loses_the_role(app: App, make_user) -> None:
    admin = make_user(user_key="980", language_hint="en")
    app.settings.admin_ids = [980, 981]
    await onboard(admin, "en", None)
    other = make_user(user_key="981", language_hint="en")
    await onboard(other, "en", None)
    async with app.sessions() as session:
        other_id = (await session.scalar(select(User).where(User.external_id == "981"))).id
    await admin.press_action("adm:staff")
    await admin.press(f"Remove admin #{other_id}")
    app.settings.admin_ids = [980]  # the technician takes her out of ADMIN_IDS too
    await other.send("/menu")
    async with app.sessions() as session:
        stored = await session.get(User, other_id)
        audit = [entry.action for entry in await session.scalars(select(AuditEntry))]
    assert stored.role == Role.MEMBER and "role.admin.removed" in audit
    app.settings.admin_ids = [980]
    await admin.send("/menu")
    app.settings.admin_ids = []
    await admin.send("/menu")  # taken out of ADMIN_IDS: a member at her next update
    async with app.sessions() as session:
        assert (await session.scalar(select(User).where(User.external_id == "980"))).role == Role.MEMBER


@pytest.mark.parametrize("forged", ["rep:o:99999999999999999999", "rep:take:123456789012345678901234",
                                    "tk:done:18446744073709551616"])
async def test_a_forged_button_with_a_huge_id_is_an_expired_button(app: App, make_user, forged: str) -> None:
    user = make_user(user_key="990", language_hint="en")
    await onboard(user, "en", None)
    await make_staff(app, "990", Role.ADMIN, [])
    await user.press_action(forged)
    assert t(app, "en", "button-expired") in user.text


def test_the_codec_refuses_numbers_no_row_can_have() -> None:
    routes = {"rep:o": 1}
    assert decode("rep:o:123456789012345678", routes).args == ("123456789012345678",)
    with pytest.raises(InvalidAction):
        decode("rep:o:1234567890123456789", routes)


async def test_control_characters_are_removed_where_an_update_enters(app: App, make_user) -> None:
    user = make_user(user_key="991", language_hint="en")
    await onboard(user, "en", None)
    await start_incident(app, user, "en")
    await user.press_exactly(t(app, "en", "button-yes"))
    await user.send("Kochkor\x00 district\x07")  # at a choice step: not an answer, and no crash
    assert t(app, "en", "error-generic") not in user.text
    async with app.sessions() as session:
        state = app.cipher.decrypt_json((await session.execute(text("SELECT data FROM conversations"))).scalars().all()[-1])
    assert "\x00" not in json.dumps(state)


async def test_log_references_are_keyed_with_the_secret_made_on_first_run(app: App, make_user, settings, caplog) -> None:
    import hashlib

    caplog.set_level(logging.INFO)
    user = make_user(user_key="996555123456", language_hint="en")
    await user.send("/start")
    formatted = "\n".join(JsonFormatter().format(record) for record in caplog.records)
    reference = json.loads([line for line in formatted.splitlines() if '"event": "update"' in line][-1])["user"]
    for salt in (b"tynchtyk", b"change-me", b""):  # the old defaults give nothing
        assert hashlib.sha256(salt + b"telegram:996555123456").hexdigest()[:len(reference)] != reference
    secret = settings.secrets_dir / "hash.key"
    assert secret.exists() and secret.stat().st_mode & 0o777 == 0o600
    assert settings.data_dir.stat().st_mode & 0o777 == 0o700


async def test_a_delivery_seen_twice_is_answered_once_and_its_id_is_kept_hashed(app: App, make_user) -> None:
    channel = CollectingChannel()
    user = ScriptedUser(app.engine, channel, user_key="992", language_hint="en")
    await onboard(user, "en", None)
    from core.messages import Incoming, IncomingKind

    incoming = Incoming("telegram", "992", "992", IncomingKind.TEXT, text="/help", message_id="77",
                        delivery_key="update:123456")
    first = await app.engine.handle(incoming, channel)
    again = await app.engine.handle(incoming, channel)  # Telegram sends it again after a restart
    assert first and again == []
    async with app.sessions() as session:
        kept = list(await session.scalars(select(InboundMessage.message_id)))
    assert kept and "123456" not in "".join(kept)


async def test_a_database_error_is_logged_with_its_type_and_frames(app: App, make_user, caplog, monkeypatch) -> None:
    from sqlalchemy.exc import OperationalError

    user = make_user(user_key="993", language_hint="en")
    await onboard(user, "en", None)

    async def broken(*args: object, **kwargs: object) -> None:
        raise OperationalError("SELECT secret words", {}, Exception("disk I/O error"))

    monkeypatch.setattr(people_repo, "find_or_create_person", broken)
    caplog.set_level(logging.INFO)
    await user.send("my secret words")
    assert t(app, "en", "error-try-again") in user.text
    entry = json.loads(next(JsonFormatter().format(record) for record in caplog.records
                            if record.getMessage() == "database error"))
    assert entry["error"] == "OperationalError" and any("engine.py" in frame for frame in entry["where"])
    assert "secret words" not in json.dumps(entry)


async def a_report_whose_notice_failed(app: App, make_user, channel: CollectingChannel,  # type: ignore[no-untyped-def]
                                       reporter_key: str) -> None:
    """A Naryn report filed while every send to its coordinator (900) fails."""
    await new_staff(app, make_user, "900", Role.COORDINATOR, ["naryn"])
    reporter = make_user(user_key=reporter_key, language_hint="en")
    await onboard(reporter, "en", None)
    await start_incident(app, reporter, "en")
    await answer_incident(app, reporter, "en", photo=False)
    with failing_sends_to(channel, "900"):
        await reporter.press_exactly(t(app, "en", "form-send"))


async def test_a_notice_survives_a_failed_send_and_goes_out_with_the_next_tick(
    app: App, make_user, channel: CollectingChannel, clock
) -> None:
    """The coordinator's notice is an outbox row written with the report; a Bot API that fails
    at that moment leaves it queued, and the sender's tick delivers it."""
    await a_report_whose_notice_failed(app, make_user, channel, "4245")
    async with app.sessions() as session:
        [notice] = list(await session.scalars(select(Outbox).where(Outbox.kind == "notice")))
    assert (notice.status, notice.attempts) == ("pending", 1)  # kept for another try, not dropped
    assert not channel.notified
    clock.now += timedelta(seconds=5)
    await app.sender.drain()
    assert any(chat == "900" and "R-" in reply.text for chat, reply in channel.notified)


async def test_a_notice_still_queued_when_she_stops_being_a_coordinator_is_not_sent(
    app: App, make_user, channel: CollectingChannel, clock
) -> None:
    await a_report_whose_notice_failed(app, make_user, channel, "4246")
    async with app.sessions() as session, session.begin():
        user = await session.scalar(select(User).where(User.external_id == "900"))
        await people_repo.end_staff_role(session, user, clock.now)
    clock.now += timedelta(seconds=5)
    await app.sender.drain()
    assert not channel.notified
    async with app.sessions() as session:
        [notice] = list(await session.scalars(select(Outbox).where(Outbox.kind == "notice")))
    assert notice.status == "skipped"
