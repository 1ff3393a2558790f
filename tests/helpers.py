"""Helpers the in-process tests share: the content's texts, onboarding, staff, incident reports,
lessons and monitoring groups, driven through the engine by a scripted person (tests.chat).
The pytest fixtures are in conftest.py; the end-to-end helpers are in tests/e2e_helpers.py."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.app import App
from content.lessons_model import Course, Lesson
from core.messages import Media
from storage import people_repo
from storage.models import Report, Role, User
from tests.chat import ScriptedUser

LANGUAGE_LABELS = {"ky": "Кыргызча", "ru": "Русский", "en": "English"}
DESCRIPTION = "At the session of the aiyl kenesh the head shouted at me and said women must keep quiet."
PHOTO = b"\xff\xd8\xff\xe0 fake jpeg bytes of the evidence photo" * 50
BISHKEK = ZoneInfo("Asia/Bishkek")


# ---------------------------------------------------------------- the content's texts


def t(app: App, language: str, key: str, **args: object) -> str:
    """A catalog text in one language, as the bot would say it."""
    return app.content.catalog.text(language, key, **args)


def option(app: App, form: str, field: str, option_id: str, language: str) -> str:
    """The label of a form field's option (a region's name where the field lists regions)."""
    found = app.content.forms[form].field(field)
    if found.options_from == "regions":
        return app.content.region_name(language, option_id)
    return found.option(option_id).label.get(language)


def question(app: App, form: str, field: str, language: str) -> str:
    return app.content.forms[form].field(field).question.get(language)


# ---------------------------------------------------------------- people and staff


async def onboard(user: ScriptedUser, language: str, region: str | None = None) -> None:
    """/start, the language, then the region by its shown name (None: Skip)."""
    await user.send("/start")
    await user.press(LANGUAGE_LABELS[language])
    if region is None:
        await user.press(user.button_labels()[-1])  # Skip is the last button
    else:
        await user.press(region)


async def stored_user(app: App, user_key: str = "42") -> User:
    async with app.sessions() as session:
        user = await session.scalar(select(User).where(User.external_id == user_key))
        assert user is not None
        return user


async def make_admin(app: App, user_key: str) -> None:
    """Make her an admin as `python -m bot set-admin` does (creating her if she is new)."""
    async with app.sessions() as session, session.begin():
        await people_repo.set_admin(session, "telegram", user_key)


async def make_staff(app: App, user_key: str, role: Role, regions: list[str]) -> None:
    """Give someone already stored a role and her regions, straight in the database."""
    async with app.sessions() as session, session.begin():
        user = await session.scalar(select(User).where(User.external_id == user_key))
        user.role, user.coordinator_regions = role, regions


async def new_staff(app: App, make_user, user_key: str, role: Role = Role.ADMIN,  # type: ignore[no-untyped-def]
                    regions: list[str] | None = None, language: str = "en") -> ScriptedUser:
    """Someone onboarded (no region) and made a coordinator or an admin."""
    user = make_user(user_key=user_key, language_hint=language)
    await onboard(user, language, None)
    await make_staff(app, user_key, role, regions or [])
    return user


async def make_coordinator(app: App, make_user, user_key: str = "100",  # type: ignore[no-untyped-def]
                           regions: list[str] | None = None) -> ScriptedUser:
    """An English-speaking coordinator, of Naryn unless other regions are given."""
    return await new_staff(app, make_user, user_key, Role.COORDINATOR, regions or ["naryn"])


# ---------------------------------------------------------------- incident reports


async def start_incident(app: App, user: ScriptedUser, language: str) -> None:
    """From the main menu to the incident form's first question."""
    await user.send("/menu")
    await user.press_exactly(t(app, language, "menu-report"))
    assert app.content.forms["incident"].intro.get(language) in user.text


async def answer_incident(app: App, user: ScriptedUser, language: str, *, region: str = "naryn",
                          contact: str = "contact", legal_aid: str = "no", photo: bool = True) -> None:
    """Every question of the incident form, up to its summary (the photo needs
    `channel.files["photo-1"] = PHOTO`)."""
    yes, no = t(app, language, "button-yes"), t(app, language, "button-no")
    assert question(app, "incident", "safe", language) in user.text
    await user.press_exactly(yes)
    await user.press_exactly(option(app, "incident", "category", "politics_psych", language))
    await user.press_exactly(option(app, "incident", "whom", "me", language))
    await user.press_exactly(option(app, "incident", "region", region, language))
    await user.send("Kochkor district")
    await user.press_exactly(t(app, language, "form-yesterday"))
    await user.press_exactly(option(app, "incident", "place", "state_office", language))
    await user.send(DESCRIPTION)
    if photo:
        await user.send_media(Media("photo", "photo-1", size=len(PHOTO), mime_type="image/jpeg"))
        assert t(app, language, "form-file-received", count=1, limit=5) in user.text
    await user.press_exactly(t(app, language, "form-done" if photo else "button-skip"))
    await user.press_exactly(yes if legal_aid == "yes" else no)
    await user.press_exactly(option(app, "incident", "contact", contact, language))
    await user.press_exactly(yes)  # consent


async def walk_to(app: App, user: ScriptedUser, field: str) -> None:
    """An English incident report answered up to the question of `field`, which is asked."""
    await start_incident(app, user, "en")
    steps = [
        ("safe", lambda: user.press_exactly("Yes")),
        ("category", lambda: user.press_exactly(option(app, "incident", "category", "hate_speech", "en"))),
        ("whom", lambda: user.press_exactly(option(app, "incident", "whom", "me", "en"))),
        ("region", lambda: user.press_exactly(option(app, "incident", "region", "batken", "en"))),
        ("district", lambda: user.press("Skip")),
        ("date", lambda: user.press("Today")),
        ("place", lambda: user.press_exactly(option(app, "incident", "place", "street", "en"))),
        ("description", lambda: user.send(DESCRIPTION)),
    ]
    for name, step in steps:
        if name == field:
            return
        await step()


async def file_report(app: App, make_user, user_key: str, region: str,  # type: ignore[no-untyped-def]
                      contact: str = "contact") -> Report:
    """A new person onboards and sends an English incident report without a photo; the stored report."""
    user = make_user(user_key=user_key)
    await onboard(user, "en", None)
    await start_incident(app, user, "en")
    await answer_incident(app, user, "en", region=region, contact=contact, photo=False)
    await user.press("Send")
    async with app.sessions() as session:
        return await session.scalar(select(Report).order_by(Report.id.desc()))


async def stored_reports(app: App) -> list[Report]:
    async with app.sessions() as session:
        return list((await session.scalars(select(Report))).all())


# ---------------------------------------------------------------- lessons


async def open_course(app: App, user: ScriptedUser, language: str, course: Course) -> None:
    await user.send("/menu")
    await user.press_exactly(t(app, language, "menu-lessons"))
    assert t(app, language, "lessons-title") in user.text
    await user.press(course.title.get(language))


async def read_cards(app: App, user: ScriptedUser, language: str, lesson: Lesson) -> None:
    """Every card of an open lesson, checked and paged through, up to its quiz."""
    for number, card in enumerate(lesson.cards, start=1):
        assert card.get(language) in user.text
        assert f"{number}/{len(lesson.cards)}" in user.text
        last = number == len(lesson.cards)
        await user.press_exactly(t(app, language, "lesson-quiz" if last else "lesson-next"))


async def answer_all(app: App, user: ScriptedUser, language: str, lesson: Lesson, right: bool = True) -> None:
    """Every quiz question, all answered right (or all wrong), each verdict checked."""
    for question in lesson.quiz:
        assert question.question.get(language) in user.text
        wrong = next(index for index in range(len(question.options)) if index != question.right_index)
        option = question.options[question.right_index if right else wrong]
        await user.press_exactly(option.text.get(language))
        verdict = "quiz-right" if right else "quiz-wrong"
        right_text = question.options[question.right_index].text.get(language)
        assert t(app, language, verdict, answer=right_text) in user.text
        assert question.explanation.get(language) in user.text
        if question is not lesson.quiz[-1]:
            await user.press_exactly(t(app, language, "quiz-next"))


# ---------------------------------------------------------------- monitoring groups


def local(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment of November 2026 in Bishkek."""
    return datetime(2026, 11, day, hour, minute, tzinfo=BISHKEK)


async def create_group(coordinator: ScriptedUser, name: str = "Kochkor monitors") -> str:
    """A coordinator makes a Naryn monitoring group; its join code."""
    await coordinator.send("/menu")
    await coordinator.press("Coordinator")
    await coordinator.press("Monitoring groups")
    await coordinator.press("New group")
    await coordinator.send(name)
    await coordinator.press("Naryn region")
    return coordinator.text.split("Code to join: ")[1].split()[0]


async def create_task(coordinator: ScriptedUser, title: str, due: str, recurrence: str = "Once",
                      who: str = "The whole group") -> None:
    """From an open group's page: a task with no description."""
    await coordinator.press("New task")
    await coordinator.send(title)
    await coordinator.press("Skip")
    await coordinator.send(due)
    await coordinator.press(recurrence)
    await coordinator.press(who)
    assert "Task created" in coordinator.text


def busiest_second(stamps: list[float]) -> int:
    """The most of these moments in any one-second window."""
    stamps = sorted(stamps)
    most, start = 0, 0
    for end, stamp in enumerate(stamps):
        while stamp - stamps[start] >= 1.0:
            start += 1
        most = max(most, end - start + 1)
    return most
