"""What a new user met on her first use, each through the engine (or the real process part where
it showed): a group's or a coordinator's link tapped before choosing a language, a typed menu
number in legal aid, a pressed button during the flood mute, the evidence step's Skip, plurals,
two ways on after a lesson, members shown by an internal id, files in the demo, a chatty log."""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
import stat
import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

import pytest
from apscheduler.events import EVENT_JOB_EXECUTED, EVENT_JOB_MISSED, JobExecutionEvent
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy import select, update

from bot.app import App, build_app
from bot.channels.console import CONSOLE_USER, ConsoleChannel
from core.flood import FloodGuard
from core.logs import JsonFormatter, configure_logging, quiet_talkative_libraries
from core.messages import Media
from storage.models import GroupMember, Role, User
from tests.chat import CollectingChannel
from tests.conftest import shared_content
from tests.databases import ON_POSTGRES
from tests.helpers import (
    LANGUAGE_LABELS,
    PHOTO,
    answer_all,
    create_group,
    make_coordinator,
    new_staff,
    onboard,
    open_course,
    question,
    read_cards,
    t,
    walk_to,
)

LANGUAGES = ["ky", "ru", "en"]


async def finish_onboarding(user, language: str) -> None:  # type: ignore[no-untyped-def]
    """She has sent a /start link already: the language, then Skip for the region."""
    await user.press(LANGUAGE_LABELS[language])
    await user.press(user.button_labels()[-1])


# ---------------------------------------------------------------- 1. start links before onboarding


@pytest.mark.parametrize("language", LANGUAGES)
async def test_a_group_link_tapped_before_choosing_a_language_joins_her_when_onboarding_ends(
    app: App, make_user, language: str
) -> None:
    coordinator = await make_coordinator(app, make_user)
    code = await create_group(coordinator)
    newcomer = make_user(user_key="301", language_hint=language)
    await newcomer.send(f"/start join-{code}")
    assert "Choose your language" in newcomer.text
    await finish_onboarding(newcomer, language)
    assert t(app, language, "welcome") in newcomer.text
    assert t(app, language, "group-joined", group="Kochkor monitors") in newcomer.text
    async with app.sessions() as session:
        user = await session.scalar(select(User).where(User.external_id == "301"))
        assert await session.get(GroupMember, (1, user.id)) is not None


async def test_a_link_kept_through_onboarding_survives_typing_in_between(app: App, make_user) -> None:
    coordinator = await make_coordinator(app, make_user)
    code = await create_group(coordinator)
    newcomer = make_user(user_key="302", language_hint="en")
    await newcomer.send(f"/start join-{code}")
    await newcomer.send("hello?")  # asked for the language again; the link is still kept
    await newcomer.press("English")
    await newcomer.send("where am I")
    await newcomer.press("Skip")
    assert 'member of the monitoring group "Kochkor monitors"' in newcomer.text


@pytest.mark.parametrize("language", LANGUAGES)
async def test_a_coordinator_invite_tapped_before_choosing_a_language_is_redeemed_when_onboarding_ends(
    app: App, make_user, language: str
) -> None:
    admin = await new_staff(app, make_user, "1")
    await admin.send("/menu")
    await admin.press("Coordinator")
    await admin.press("Add a coordinator")
    await admin.press("Naryn region")
    await admin.press("Create the code")
    code = admin.text.split("/start coord-")[1].split()[0]

    future = make_user(user_key="2", language_hint=language)
    await future.send(f"/start coord-{code}")
    await finish_onboarding(future, language)
    region = app.content.region_name(language, "naryn")
    assert t(app, language, "invite-accepted", regions=region) in future.text
    assert t(app, language, "menu-coordinator") in future.button_labels()
    async with app.sessions() as session:
        user = await session.scalar(select(User).where(User.external_id == "2"))
        assert (user.role, user.coordinator_regions) == (Role.COORDINATOR, ["naryn"])


# ---------------------------------------------------------------- 2. a typed number in legal aid


@pytest.mark.parametrize("language", LANGUAGES)
async def test_a_typed_menu_number_in_legal_aid_presses_that_button(app: App, make_user, language: str) -> None:
    user = make_user(language_hint=language)
    await onboard(user, language, None)
    await user.press_exactly(t(app, language, "menu-legal"))
    first_topic = app.content.directory.topic_ids()[0]
    await user.send("1")
    assert t(app, language, "legal-type-a-word") not in user.text
    assert t(app, language, "legal-results-title", topic=t(app, language, f"topic-{first_topic}"),
             region=t(app, language, "legal-region-all")) in user.text
    await user.send("алимент")  # a word is still a search
    assert t(app, language, "legal-search-found", query="алимент") in user.text


# ---------------------------------------------------------------- 3. the flood mute


@pytest.mark.parametrize("language", LANGUAGES)
async def test_a_button_pressed_during_the_flood_mute_gets_a_notice_and_no_database_work(
    app: App, make_user, channel: CollectingChannel, language: str
) -> None:
    user = make_user(language_hint=language)
    await onboard(user, language, None)
    app.engine.flood = FloodGuard(max_updates=2, window_seconds=60, mute_seconds=60)
    await user.send("/menu")
    await user.send("/menu")
    await user.send("/menu")
    assert user.text == t(app, language, "flood-slow-down")

    def no_database():  # type: ignore[no-untyped-def]
        raise AssertionError("a dropped update opened a session")

    app.engine.sessions = no_database  # type: ignore[assignment]
    await user.press_action("la")
    assert channel.toasts == [t(app, language, "flood-muted")]
    assert user.replies == []  # a notice, nothing left in the chat
    await user.send("hello")
    assert user.replies == [] and len(channel.toasts) == 1  # typed: nothing beyond the warning


# ---------------------------------------------------------------- 4. the evidence step's Skip


@pytest.mark.parametrize("language", LANGUAGES)
async def test_the_evidence_step_shows_the_skip_its_question_promises(app: App, make_user, language: str) -> None:
    user = make_user(language_hint="en")
    await onboard(user, "en", None)
    await walk_to(app, user, "evidence")
    async with app.sessions() as session, session.begin():
        await session.execute(update(User).where(User.external_id == "42").values(language=language))
    await user.send("At the session of the aiyl kenesh the head shouted at me and said women must keep quiet.")
    assert question(app, "incident", "evidence", language) in user.text
    labels = user.button_labels()
    assert t(app, language, "button-skip") in labels and t(app, language, "form-done") not in labels
    await user.send("some words")
    assert t(app, language, "form-need-media-or-skip") in user.text
    await user.press_exactly(t(app, language, "button-skip"))
    assert question(app, "incident", "legal_aid", language) in user.text


async def test_after_a_file_the_evidence_step_shows_done(app: App, make_user, channel: CollectingChannel) -> None:
    channel.files["photo-1"] = PHOTO
    user = make_user(language_hint="en")
    await onboard(user, "en", None)
    await walk_to(app, user, "evidence")
    await user.send("At the session of the aiyl kenesh the head shouted at me and said women must keep quiet.")
    await user.send_media(Media("photo", "photo-1", size=len(PHOTO), mime_type="image/jpeg"))
    assert "Done" in " ".join(user.button_labels()) and "Skip" not in user.button_labels()
    await user.press_exactly(t(app, "en", "form-done"))
    assert question(app, "incident", "legal_aid", "en") in user.text


# ---------------------------------------------------------------- 5. plurals


PLURALS = {
    ("en", "bc-sending"): ["1 person", "2 people", "5 people", "21 people"],
    ("en", "bc-preview-intro"): ["(1 recipient)", "(2 recipients)", "(5 recipients)", "(21 recipients)"],
    ("en", "bc-scheduled"): ["is 1 person.", "is 2 people.", "is 5 people.", "is 21 people."],
    ("en", "reports-export-caption"): ["1 report.", "2 reports.", "5 reports.", "21 reports."],
    ("en", "offset-days"): ["1 day", "2 days", "5 days", "21 days"],
    ("en", "wipe-done"): ["One message was", "2 messages were", "5 messages were", "21 messages were"],
    ("ru", "bc-sending"): ["Получателей: 1.", "Получателей: 2.", "Получателей: 5.", "Получателей: 21."],
    ("ru", "bc-preview-intro"): ["(получателей: 1)", "(получателей: 2)", "(получателей: 5)", "(получателей: 21)"],
    ("ru", "offset-days"): ["1 день", "2 дня", "5 дней", "21 день"],
    ("ru", "offset-hours"): ["1 час", "2 часа", "5 часов", "21 час"],
    ("ru", "form-files"): ["1 файл", "2 файла", "5 файлов", "21 файл"],
    ("ru", "reports-export-caption"): ["1 обращение.", "2 обращения.", "5 обращений.", "21 обращение."],
    ("ru", "wipe-done"): ["удалено 1 сообщение.", "удалено 2 сообщения.", "удалено 5 сообщений.", "удалено 21 сообщение."],
    ("ru", "form-too-many"): ["не больше 1 файла", "не больше 2 файлов", "не больше 5 файлов", "не больше 21 файла"],
    ("ru", "group-ask-display-name"): ["не больше 1 знака", "не больше 2 знаков", "не больше 5 знаков",
                                       "не больше 21 знака"],
    ("ky", "bc-sending"): ["саны: 1.", "саны: 2.", "саны: 5.", "саны: 21."],
    ("ky", "offset-days"): ["1 күн", "2 күн", "5 күн", "21 күн"],
}


@pytest.mark.parametrize("language, key", sorted(PLURALS))
def test_plural_forms_are_right_for_1_2_5_and_21(app: App, language: str, key: str) -> None:
    for count, expected in zip((1, 2, 5, 21), PLURALS[(language, key)]):
        shown = t(app, language, key, count=count, limit=count, days=count, time="25.11.2026 18:00")
        assert expected in shown, (count, shown)


async def test_the_broadcast_to_one_person_says_one_person(app: App, make_user, channel: CollectingChannel) -> None:
    coordinator = await new_staff(app, make_user, "800")
    await coordinator.send("/menu")
    await coordinator.press("Coordinator")
    await coordinator.press("Campaign alerts")
    await coordinator.press("New alert")
    await coordinator.send("The hearing on the budget is on Friday.")
    await coordinator.press("Preview")
    assert "(1 recipient)" in coordinator.text
    await coordinator.press("Send now")
    assert "Sending to 1 person." in coordinator.text


# ---------------------------------------------------------------- 6. one way on after a lesson


async def finish_lesson(app: App, user, course_id: str, lesson_id: str) -> None:  # type: ignore[no-untyped-def]
    course = app.content.courses[course_id]
    lesson = course.lesson(lesson_id)
    await open_course(app, user, "en", course)
    await user.press_exactly(lesson.title.get("en"))
    await read_cards(app, user, "en", lesson)
    await answer_all(app, user, "en", lesson)


async def test_a_finished_lesson_shows_one_way_on_not_two(app: App, make_user) -> None:
    user = make_user(language_hint="en")
    await onboard(user, "en", None)
    await finish_lesson(app, user, "wps1325", "what1325")
    labels = user.button_labels()
    assert "Next: the four pillars" in labels and t(app, "en", "lesson-next-lesson") not in labels
    await finish_lesson(app, user, "rights", "kidnap")  # its links lead elsewhere: the plain Next lesson
    assert user.button_labels().count(t(app, "en", "lesson-next-lesson")) == 1


# ---------------------------------------------------------------- 7. members by a name she gives


async def join_with_name(app: App, make_user, code: str, user_key: str, name: str | None):  # type: ignore[no-untyped-def]
    member = make_user(user_key=user_key, language_hint="en")
    await onboard(member, "en", "Naryn region")
    await member.send(f"/start join-{code}")
    assert t(app, "en", "group-ask-display-name", limit=40) in member.text
    if name is None:
        await member.press("Skip")
        assert t(app, "en", "group-display-name-skipped") in member.text
    else:
        await member.send(name)
        assert t(app, "en", "group-display-name-saved", name=name) in member.text
    return member


@pytest.mark.parametrize("language", LANGUAGES)
async def test_coordinators_choose_an_assignee_by_her_name_or_member_number_never_an_id(
    app: App, make_user, clock, language: str
) -> None:
    coordinator = await make_coordinator(app, make_user)
    code = await create_group(coordinator)
    await join_with_name(app, make_user, code, "201", None)
    await join_with_name(app, make_user, code, "202", "Aigul eje")
    await join_with_name(app, make_user, code, "203", None)
    async with app.sessions() as session, session.begin():
        await session.execute(update(User).where(User.external_id == "100").values(language=language))
    await coordinator.press_action("grp:g:1")
    await coordinator.press_exactly(t(app, language, "task-new"))
    await coordinator.send("Visit the crisis centre")
    await coordinator.press_exactly(t(app, language, "button-skip"))
    await coordinator.send((clock.now + timedelta(days=3)).strftime("%d.%m.%Y 10:00"))
    await coordinator.press_exactly(t(app, language, "task-recurrence-none"))
    def choice(member: str) -> str:
        return t(app, language, "task-one-member", member=member)

    def number(n: int) -> str:
        return choice(t(app, language, "group-member-number", number=n))

    assert coordinator.button_labels()[1:] == [number(1), choice("Aigul eje"), number(3)]
    assert not any("#" in label for label in coordinator.button_labels())
    await coordinator.press_exactly(number(3))
    async with app.sessions() as session:
        third = await session.scalar(select(User).where(User.external_id == "203"))
    await coordinator.press_action("grp:t:1")
    assert t(app, language, "task-state-open", member=t(app, language, "group-member-number", number=3)) in coordinator.text
    await coordinator.press_action("grp:m:1")
    assert "Aigul eje" in coordinator.text and f"#{third.id}" not in coordinator.text


async def test_a_member_name_too_long_is_asked_again_and_a_number_presses_skip(app: App, make_user) -> None:
    coordinator = await make_coordinator(app, make_user)
    code = await create_group(coordinator)
    member = make_user(user_key="204", language_hint="en")
    await onboard(member, "en", None)
    await member.send(f"/start join-{code}")
    await member.send("x" * 41)
    assert t(app, "en", "group-display-name-length", limit=40) in member.text
    await member.send("1")  # the Skip button's number
    assert t(app, "en", "group-display-name-skipped") in member.text
    async with app.sessions() as session:
        assert (await session.scalar(select(GroupMember))).display_name_token is None


async def test_her_group_name_goes_with_delete_my_data_and_never_into_the_log(
    app: App, make_user, settings, caplog
) -> None:
    quiet_talkative_libraries()  # as the process does: the SQL libraries' own DEBUG lines quote parameters
    caplog.set_level(logging.DEBUG)
    coordinator = await make_coordinator(app, make_user)
    code = await create_group(coordinator)
    member = await join_with_name(app, make_user, code, "205", "Zarema Tokonova")
    async with app.sessions() as session:
        token = (await session.scalar(select(GroupMember))).display_name_token
        assert b"Zarema" not in token and app.cipher.decrypt(token) == "Zarema Tokonova".encode()
    await member.send("/menu")
    await member.press("Settings")
    await member.press("Delete my data")
    await member.press("Yes, delete my data")
    assert "Your data has been deleted" in member.text
    async with app.sessions() as session:
        assert list(await session.scalars(select(GroupMember))) == []
    logged = "\n".join(JsonFormatter().format(record) for record in caplog.records)
    assert "Zarema" not in logged
    if not ON_POSTGRES:  # the freed pages are overwritten: no copy left in the files
        for path in settings.data_dir.rglob("*"):
            if path.is_file():
                assert b"Zarema" not in path.read_bytes(), path


# ---------------------------------------------------------------- 8. files in the demo


async def test_an_export_in_the_demo_is_saved_under_the_data_folder_and_the_menu_stays(app: App, settings) -> None:
    output = io.StringIO()
    console = ConsoleChannel(app.engine, output=output)
    app.engine.register_channel(console)
    await console.send_text("/start")
    await console.send_text("English")
    await console.send_text("Skip")
    async with app.sessions() as session, session.begin():
        await session.execute(update(User).where(User.external_id == CONSOLE_USER).values(role=Role.ADMIN))
    await console.send_text("/reports")
    output.seek(0)
    output.truncate(0)
    await console.send_text("CSV")
    shown = output.getvalue()
    saved = settings.data_dir / "exports"
    [csv_file] = list(saved.glob("reports-*.csv"))
    assert f"saved as {csv_file}" in shown
    assert stat.S_IMODE(csv_file.stat().st_mode) == 0o600
    assert csv_file.read_bytes().startswith(b"\xef\xbb\xbf") or b"," in csv_file.read_bytes()
    after_file = shown.split(str(csv_file))[1]
    assert "1. " in after_file and "Excel" in after_file  # the reports menu again, below the file
    excel = next(line for line in after_file.splitlines() if "Excel" in line).split(".")[0].strip()
    await console.send_text(excel)  # its number, typed after the file: that menu's button still
    [xlsx_file] = list(saved.glob("reports-*.xlsx"))
    assert xlsx_file.read_bytes().startswith(b"PK")
    await console.send_text("CSV")  # the same name again: a new file beside the first
    assert len(list(saved.glob("reports-*.csv"))) == 2


# ---------------------------------------------------------------- 9. the log


@contextlib.contextmanager
def logging_as_served(level: str) -> Iterator[None]:
    """The bot's logging (`configure_logging`), put back as the test run had it afterwards."""
    root = logging.getLogger()
    handlers, root_level = root.handlers[:], root.level
    try:
        configure_logging(level)
        yield
    finally:
        root.handlers[:] = handlers
        root.setLevel(root_level)
        logging.getLogger("apscheduler").setLevel(logging.NOTSET)


@pytest.mark.parametrize("level, heard", [("INFO", False), ("DEBUG", True)])
async def test_the_scheduler_does_not_log_every_tick_at_info(capsys, level: str, heard: bool) -> None:
    with logging_as_served(level):
        scheduler = AsyncIOScheduler()
        ticks: list[int] = []
        scheduler.add_job(lambda: ticks.append(1), "interval", seconds=0.1)
        scheduler.start()
        await asyncio.sleep(0.5)
        scheduler.shutdown(wait=False)
        assert ticks
        logged = capsys.readouterr().err
        assert ('"logger": "apscheduler' in logged) is heard


async def test_a_tick_that_comes_late_still_runs_and_the_log_says_nothing(settings, capsys) -> None:
    """A loop held up for a while (a slow machine, a paused virtual server) makes a tick late.
    It runs when the loop is back, once, and the log says nothing of it; APScheduler's default
    would skip a tick more than a second late, with a warning, and the reminders would wait for
    the next one."""
    from scheduler.runner import start_scheduler

    app = await build_app(settings.model_copy(update={"monitoring_tick_seconds": 2.0}),
                          run_migrations=False, content=shared_content())
    ticks = None
    try:
        with logging_as_served("INFO"):
            ticks = await start_scheduler(app, {})
            events: list[JobExecutionEvent] = []
            ticks.scheduler.add_listener(events.append, EVENT_JOB_EXECUTED | EVENT_JOB_MISSED)
            await asyncio.sleep(0.5)  # the ticks at start
            events.clear()
            time.sleep(3.2)  # the loop held: the reminder tick due 2 s after the start is more than a second late
            held_until = datetime.now(timezone.utc)
            await asyncio.sleep(2)
            reminder_ticks = [event for event in events if event.job_id == "monitoring"]
            assert [event.code for event in reminder_ticks][:1] == [EVENT_JOB_EXECUTED]
            assert reminder_ticks[0].scheduled_run_time < held_until  # the late one, not the next
            assert "missed" not in capsys.readouterr().err
    finally:
        if ticks is not None:
            await ticks.stop()
        await app.close()
