"""Lessons through the engine: a whole course in each language, the quiz, resuming, the daily
card under a controlled clock, and figures for coordinators."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.app import App, build_app
from scheduler.daily_lessons import send_due_daily_lessons
from storage.models import CourseCompletion, DailyLesson, LessonProgress, Role, User
from tests.chat import CollectingChannel, ScriptedUser
from tests.helpers import answer_all, onboard, open_course, read_cards, t


def test_the_shipped_courses_are_there(app: App) -> None:
    courses = app.content.courses
    assert len(courses["wps1325"].lessons) >= 6
    assert len(courses["rights"].lessons) >= 5
    assert len(courses["safety"].lessons) >= 5
    assert list(courses) == ["wps1325", "rights", "safety"]


@pytest.mark.parametrize("language", ["ky", "ru", "en"])
@pytest.mark.parametrize("course_id", ["wps1325", "rights", "safety"])
async def test_a_whole_course_in_each_language(app: App, make_user, language: str, course_id: str) -> None:
    course = app.content.courses[course_id]
    user = make_user(user_key=f"9{len(language)}{course_id}", language_hint=language)
    await onboard(user, language, None)
    await open_course(app, user, language, course)
    for lesson in course.lessons:
        await user.press_exactly(lesson.title.get(language))
        await read_cards(app, user, language, lesson)
        await answer_all(app, user, language, lesson)
        assert t(app, language, "lesson-done", lesson=lesson.title.get(language), correct=len(lesson.quiz),
                 total=len(lesson.quiz)) in user.text
        shown = app.content.readable_sources(lesson.sources)
        assert t(app, language, "lesson-sources", sources=shown) in user.text and len(shown) <= 400
        assert app.content.sources.resolve(lesson.sources[0])[0] in user.text  # the first source's title
        assert ".txt" not in user.text and "FACTS.md" not in user.text
        if lesson is not course.lessons[-1]:
            await user.press_exactly(t(app, language, "lesson-contents"))
            assert "✓ " + lesson.title.get(language) in user.button_labels()
    assert "🏅" in user.text and course.title.get(language) in user.text and "100%" in user.text
    async with app.sessions() as session:
        rows = (await session.scalars(select(LessonProgress))).all()
        assert {row.lesson_id for row in rows} == {lesson.id for lesson in course.lessons}
        assert all(row.completed_at is not None and row.score == 100 for row in rows)
        assert len((await session.scalars(select(CourseCompletion))).all()) == 1
    await user.send("/menu")
    await user.press_exactly(t(app, language, "menu-lessons"))
    assert f"{course.title.get(language)} ({len(course.lessons)}/{len(course.lessons)})" in user.button_labels()


async def test_wrong_answers_are_explained_and_scored(app: App, make_user) -> None:
    course = app.content.courses["wps1325"]
    lesson = course.lessons[0]
    user = make_user()
    await onboard(user, "en", None)
    await open_course(app, user, "en", course)
    await user.press_exactly(lesson.title.get("en"))
    await read_cards(app, user, "en", lesson)
    await answer_all(app, user, "en", lesson, right=False)
    assert f"Right answers: 0 of {len(lesson.quiz)}" in user.text
    async with app.sessions() as session:
        row = await session.scalar(select(LessonProgress))
        assert row.score == 0 and row.completed_at is not None


async def test_an_old_question_button_does_not_score_twice(app: App, make_user, channel: CollectingChannel) -> None:
    course = app.content.courses["rights"]
    lesson = course.lessons[0]
    user = make_user()
    await onboard(user, "en", None)
    await open_course(app, user, "en", course)
    await user.press_exactly(lesson.title.get("en"))
    await read_cards(app, user, "en", lesson)
    first = lesson.quiz[0]
    await user.press_exactly(first.options[first.right_index].text.get("en"))
    for _ in range(3):  # the same right answer pressed again on the old message
        await user.press_action(f"les:a:rights:{lesson.id}:0:{first.right_index}")
        assert lesson.quiz[1].question.get("en") in user.text  # she is shown where she is
    async with app.sessions() as session:
        row = await session.scalar(select(LessonProgress))
        assert (row.question, row.correct) == (1, 1)


async def test_continue_where_i_stopped_after_a_restart(settings, clock) -> None:
    first = await build_app(settings, clock=clock, run_migrations=False)
    course = first.content.courses["wps1325"]
    lesson = course.lessons[1]
    user = ScriptedUser(first.engine, CollectingChannel(), language_hint="en")
    await onboard(user, "en", None)
    await open_course(first, user, "en", course)
    await user.press_exactly(lesson.title.get("en"))
    await user.press_exactly("Next ➡️")
    await first.close()

    second = await build_app(settings, clock=clock, run_migrations=False)
    user.engine = second.engine
    await user.send("/menu")
    await user.press("Lessons")
    await user.press("Continue where I stopped")
    assert lesson.cards[1].get("en") in user.text and f"2/{len(lesson.cards)}" in user.text
    await second.close()


async def test_continue_with_nothing_started_opens_the_first_lesson(app: App, make_user) -> None:
    user = make_user()
    await onboard(user, "ru", None)
    await user.send("/menu")
    await user.press("Уроки")
    await user.press_exactly(t(app, "ru", "lessons-continue"))
    first = next(iter(app.content.courses.values())).lessons[0]
    assert first.cards[0].get("ru") in user.text


async def test_the_daily_card_comes_once_at_its_time_and_not_again_after_a_restart(settings, clock) -> None:
    app = await build_app(settings, clock=clock, run_migrations=False)
    channel = CollectingChannel()
    user = ScriptedUser(app.engine, channel, language_hint="en")
    await onboard(user, "en", None)
    await user.send("/menu")
    await user.press("Lessons")
    await user.press("Daily lesson")
    await user.send("7.30")  # typed, Bishkek time (UTC+6)
    assert "Every day at 07:30" in user.text
    channels = {"telegram": channel}
    # The clock stands at 09:00 UTC (15:00 in Bishkek): the first card is due tomorrow 01:30 UTC.
    clock.now = clock.now.replace(hour=1, minute=29) + timedelta(days=1)
    assert await send_due_daily_lessons(app, channels) == 0
    clock.now += timedelta(minutes=2)
    before = len(channel.sent)
    assert await send_due_daily_lessons(app, channels) == 1
    daily_card = channel.sent[-1][1]
    assert len(channel.sent) == before + 1 and "☀️ Your daily lesson" in daily_card.text
    first = next(iter(app.content.courses.values())).lessons[0]
    assert first.cards[0].get("en") in daily_card.text
    assert await send_due_daily_lessons(app, channels) == 0
    await app.close()

    restarted = await build_app(settings, clock=clock, run_migrations=False)
    assert await send_due_daily_lessons(restarted, channels) == 0  # not again after a restart
    clock.now += timedelta(days=1)
    assert await send_due_daily_lessons(restarted, channels) == 1
    async with restarted.sessions() as session:
        daily = await session.scalar(select(DailyLesson))
        assert daily.next_at > clock.now and daily.next_at.hour == 1 and daily.next_at.minute == 30
    await restarted.close()


async def test_a_card_missed_while_the_bot_was_down_is_sent_once(app: App, make_user, channel, clock) -> None:
    user = make_user()
    await onboard(user, "en", None)
    await user.press_action("les:dset:0700")
    clock.now += timedelta(days=3)  # three mornings passed while the bot was down
    assert await send_due_daily_lessons(app, {"telegram": channel}) == 1
    assert await send_due_daily_lessons(app, {"telegram": channel}) == 0


async def test_a_user_who_blocked_the_bot_stops_getting_the_daily_card(app: App, make_user, channel, clock) -> None:
    user = make_user(user_key="4040")
    await onboard(user, "en", None)
    await user.press_action("les:dset:0700")
    channel.blocked.add("4040")
    clock.now += timedelta(days=1)
    assert await send_due_daily_lessons(app, {"telegram": channel}) == 1
    async with app.sessions() as session:
        assert (await session.scalar(select(User))).active is False
    clock.now += timedelta(days=1)
    assert await send_due_daily_lessons(app, {"telegram": channel}) == 0


async def test_turning_the_daily_lesson_off_stops_it(app: App, make_user, channel, clock) -> None:
    user = make_user()
    await onboard(user, "en", None)
    await user.press_action("les:dset:0700")
    await user.press_action("les:daily")
    await user.press("Turn off the daily lesson")
    clock.now += timedelta(days=1)
    assert await send_due_daily_lessons(app, {"telegram": channel}) == 0


async def test_the_daily_card_cannot_be_pressed_by_hand(make_user) -> None:
    user = make_user()
    await onboard(user, "en", None)
    await user.press_action("les:send")
    assert "This button has expired" in user.text


async def test_coordinators_see_figures_of_their_regions_without_names(app: App, make_user) -> None:
    course = app.content.courses["rights"]
    lesson = course.lessons[0]
    for number, region in enumerate(["Naryn region"] * 3 + ["Osh region"]):
        learner = make_user(user_key=f"70{number}")
        await onboard(learner, "en", region)
        await open_course(app, learner, "en", course)
        await learner.press_exactly(lesson.title.get("en"))
        await read_cards(app, learner, "en", lesson)
        await answer_all(app, learner, "en", lesson, right=number != 0)
    coordinator = make_user(user_key="800")
    await onboard(coordinator, "en", None)
    async with app.sessions() as session, session.begin():
        staff = await session.scalar(select(User).where(User.external_id == "800"))
        staff.role, staff.coordinator_regions = Role.COORDINATOR, ["naryn"]
    await coordinator.send("/menu")
    await coordinator.press("Coordinator")
    await coordinator.press("Lesson statistics")
    text = coordinator.text
    assert f"{course.title.get('en')}: started 3, finished 0, average score 67%" in text
    assert "• Naryn region: started 3" in text
    assert "Osh" not in text
    for number in range(4):
        assert f"70{number}" not in text
    member = make_user(user_key="801")
    await onboard(member, "en", None)
    await member.press_action("les:stats")
    assert "only for coordinators and admins" in member.text


async def test_daily_cards_due_together_go_at_the_senders_pace(app: App, clock) -> None:  # type: ignore[no-untyped-def]
    """Cards due at the same minute went out as fast as the engine made them, past the rate
    Telegram allows a bot; now each takes its slot of the rate limiter."""
    from core.delivery import RateLimiter
    from core.messages import Delivery, Incoming
    from tests.helpers import busiest_second
    from tests.test_sender import InstantTime

    time_ = InstantTime()
    app.sender.limiter = RateLimiter(rate=5, per_chat_seconds=1.0, clock=time_, sleep=time_.sleep)
    arrived: list[float] = []

    class Timed(CollectingChannel):
        async def deliver(self, incoming: Incoming, effects: list) -> Delivery:
            arrived.append(time_())
            return await super().deliver(incoming, effects)

    channel = Timed()
    async with app.sessions() as session, session.begin():
        people = [User(channel="telegram", external_id=str(5000 + number), language="ky", role=Role.MEMBER,
                       coordinator_regions=[]) for number in range(12)]
        session.add_all(people)
        await session.flush()
        session.add_all([DailyLesson(user_id=person.id, local_time="07:30", next_at=clock.now) for person in people])

    assert await send_due_daily_lessons(app, {"telegram": channel}) == 12
    assert sorted(channel.sent_to) == [str(5000 + number) for number in range(12)]
    assert all("☀️" in replies[0][1].text for replies in channel.sent_to.values())
    assert len(arrived) == 12 and busiest_second(arrived) <= 5
