"""Lessons: courses of short cards, each lesson ending with a quiz; progress saved at every step,
"Continue where I stopped", a daily card at a time she chooses, and aggregate figures for
coordinators."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

from core.actions import encode
from core.timing import next_daily_time
from core.context import Context, StaleAction
from core.messages import Button
from core.router import Router
from content.lessons_model import Course, Lesson, Link
from handlers.common import back_home, button, marked_rows, menu_action, staff_regions
from storage import lessons_repo
from storage.models import LessonProgress

router = Router("lessons")

DAILY_TIMES = ("07:00", "09:00", "12:00", "18:00", "20:00")
MIN_PEOPLE_FOR_AN_AVERAGE = 3  # an average of fewer would tell one person's score


# ---------------------------------------------------------------- courses


@router.action("les")
async def course_list(ctx: Context) -> None:
    ctx.go(None)
    done = {(row.course_id, row.lesson_id) for row in await lessons_repo.all_progress(ctx.session, ctx.user) if row.completed_at}
    rows = []
    for course in ctx.content.courses.values():
        finished = sum((course.id, lesson.id) in done for lesson in course.lessons)
        label = ctx.t("course-button", title=course.title.get(ctx.language), done=finished, total=len(course.lessons))
        rows.append([Button(label, encode("les:c", course.id))])
    rows.append([button(ctx, "lessons-continue", "les:cont")])
    rows.append([button(ctx, "lessons-daily", "les:daily")])
    rows.append(back_home(ctx))
    ctx.reply(ctx.t("lessons-title"), rows, edit=True)


@router.action("les:c", arity=1)
async def course_page(ctx: Context, course_id: str) -> None:
    course = _course(ctx, course_id)
    done = {row.lesson_id for row in await lessons_repo.all_progress(ctx.session, ctx.user) if row.course_id == course.id and row.completed_at}
    titles = [(lesson.id, lesson.title.get(ctx.language)) for lesson in course.lessons]
    rows = marked_rows(titles, done, "les:l", course.id, per_row=1)
    rows.append([button(ctx, "button-back", "les")])
    text = ctx.t("course-page", title=course.title.get(ctx.language), description=course.description.get(ctx.language))
    ctx.reply(text, rows, edit=True)


# ---------------------------------------------------------------- cards


@router.action("les:l", arity=2)
async def open_lesson(ctx: Context, course_id: str, lesson_id: str) -> None:
    course, lesson = _lesson(ctx, course_id, lesson_id)
    row = await lessons_repo.progress(ctx.session, ctx.user, course.id, lesson.id)
    await _show_position(ctx, course, lesson, row)


@router.action("les:n", arity=3)
async def show_card(ctx: Context, course_id: str, lesson_id: str, number: str) -> None:
    course, lesson = _lesson(ctx, course_id, lesson_id)
    index = _index(number, len(lesson.cards) + 1)
    row = await lessons_repo.progress(ctx.session, ctx.user, course.id, lesson.id)
    if index == len(lesson.cards):
        await _start_quiz(ctx, course, lesson, row)
        return
    row.card = index
    row.updated_at = ctx.now
    await _card(ctx, course, lesson, index)


@router.action("les:cont")
async def continue_where_stopped(ctx: Context) -> None:
    await _continue(ctx, daily=False)


async def _continue(ctx: Context, daily: bool) -> bool:
    """Show where she stopped; False when every lesson is finished."""
    rows = await lessons_repo.all_progress(ctx.session, ctx.user)
    started = sorted((row for row in rows if row.card or row.question), key=lambda row: row.updated_at, reverse=True)
    for row in started:
        found = _find(ctx, row.course_id, row.lesson_id)
        if found:
            await _show_position(ctx, *found, row, daily=daily)
            return True
    done = {(row.course_id, row.lesson_id) for row in rows if row.completed_at}
    for course in ctx.content.courses.values():
        for lesson in course.lessons:
            if (course.id, lesson.id) not in done:
                row = await lessons_repo.progress(ctx.session, ctx.user, course.id, lesson.id)
                await _show_position(ctx, course, lesson, row, daily=daily)
                return True
    ctx.reply(ctx.t("lessons-all-done"), [[button(ctx, "menu-lessons", "les")], back_home(ctx)], edit=not daily)
    return False


async def _show_position(ctx: Context, course: Course, lesson: Lesson, row: LessonProgress, daily: bool = False) -> None:
    row.updated_at = ctx.now
    if row.card < len(lesson.cards):
        await _card(ctx, course, lesson, row.card, daily=daily)
    else:
        await _question(ctx, course, lesson, row.question, daily=daily)


async def _card(ctx: Context, course: Course, lesson: Lesson, index: int, daily: bool = False) -> None:
    header = ctx.t("card-header", lesson=lesson.title.get(ctx.language), number=index + 1, total=len(lesson.cards))
    text = f"{header}\n\n{lesson.cards[index].get(ctx.language)}"
    if daily:
        text = f"{ctx.t('daily-card-intro')}\n{text}"
    moves = []
    if index > 0:
        moves.append(button(ctx, "lesson-previous", "les:n", course.id, lesson.id, index - 1))
    last = index == len(lesson.cards) - 1
    moves.append(button(ctx, "lesson-quiz" if last else "lesson-next", "les:n", course.id, lesson.id, index + 1))
    rows = [moves, [button(ctx, "lesson-contents", "les:c", course.id)], back_home(ctx)]
    ctx.go(None)
    ctx.reply(text, rows, edit=not daily)


# ---------------------------------------------------------------- quiz


async def _start_quiz(ctx: Context, course: Course, lesson: Lesson, row: LessonProgress) -> None:
    if row.card < len(lesson.cards):
        row.card, row.question, row.correct = len(lesson.cards), 0, 0
    row.updated_at = ctx.now
    await _question(ctx, course, lesson, row.question)


async def _question(ctx: Context, course: Course, lesson: Lesson, index: int, daily: bool = False) -> None:
    question = lesson.quiz[index]
    header = ctx.t("quiz-header", number=index + 1, total=len(lesson.quiz))
    text = f"{header}\n\n{question.question.get(ctx.language)}"
    if daily:
        text = f"{ctx.t('daily-card-intro')}\n{text}"
    rows = [
        [Button(option.text.get(ctx.language), encode("les:a", course.id, lesson.id, index, number))]
        for number, option in enumerate(question.options)
    ]
    rows.append([button(ctx, "lesson-contents", "les:c", course.id)])
    ctx.go(None)
    ctx.reply(text, rows, edit=not daily)


@router.action("les:a", arity=4)
async def answer(ctx: Context, course_id: str, lesson_id: str, number: str, choice: str) -> None:
    course, lesson = _lesson(ctx, course_id, lesson_id)
    index = _index(number, len(lesson.quiz))
    row = await lessons_repo.progress(ctx.session, ctx.user, course.id, lesson.id)
    if row.card < len(lesson.cards) or row.question != index:
        await _show_position(ctx, course, lesson, row)  # an old question's button: show where she is
        return
    question = lesson.quiz[index]
    chosen = _index(choice, len(question.options))
    right = chosen == question.right_index
    row.correct += right
    row.question += 1
    row.updated_at = ctx.now
    verdict = ctx.t("quiz-right") if right else ctx.t(
        "quiz-wrong", answer=question.options[question.right_index].text.get(ctx.language)
    )
    chosen_text = question.options[chosen].text.get(ctx.language)
    feedback = "\n\n".join(
        [
            question.question.get(ctx.language),
            ctx.t("quiz-your-answer", answer=chosen_text),
            verdict,
            question.explanation.get(ctx.language),
        ]
    )
    if row.question < len(lesson.quiz):
        next_button = button(ctx, "quiz-next", "les:q", course.id, lesson.id, row.question)
        ctx.reply(feedback, [[next_button]], edit=True)
        return
    ctx.reply(feedback, edit=True)
    await _finish_lesson(ctx, course, lesson, row)


@router.action("les:q", arity=3)
async def next_question(ctx: Context, course_id: str, lesson_id: str, number: str) -> None:
    course, lesson = _lesson(ctx, course_id, lesson_id)
    row = await lessons_repo.progress(ctx.session, ctx.user, course.id, lesson.id)
    await _show_position(ctx, course, lesson, row)


async def _finish_lesson(ctx: Context, course: Course, lesson: Lesson, row: LessonProgress) -> None:
    total = len(lesson.quiz)
    correct = row.correct
    row.score = round(100 * correct / total)
    row.completed_at = ctx.now
    row.card, row.question, row.correct = 0, 0, 0
    text = ctx.t("lesson-done", lesson=lesson.title.get(ctx.language), correct=correct, total=total)
    text += "\n\n" + ctx.t("lesson-sources", sources=ctx.content.readable_sources(lesson.sources))
    rows = [[Button(link.label.get(ctx.language), _link_action(link, course))] for link in lesson.links]
    following = _next_lesson(course, lesson)
    if following is not None:
        next_button = button(ctx, "lesson-next-lesson", "les:l", course.id, following.id)
        if all(row[0].action != next_button.action for row in rows):  # one way on: a link may name it already
            rows.append([next_button])
    rows.append([button(ctx, "lesson-contents", "les:c", course.id)])
    rows.append(back_home(ctx))
    ctx.reply(text, rows)
    await _certificate_if_finished(ctx, course)


async def _certificate_if_finished(ctx: Context, course: Course) -> None:
    rows = {row.lesson_id: row for row in await lessons_repo.all_progress(ctx.session, ctx.user) if row.course_id == course.id}
    finished = [rows.get(lesson.id) for lesson in course.lessons]
    if not all(row is not None and row.completed_at for row in finished):
        return
    if not await lessons_repo.record_completion(ctx.session, ctx.user, course.id, ctx.now):
        return
    score = round(sum(row.score or 0 for row in finished if row) / len(finished))
    local_date = ctx.now.astimezone(ZoneInfo(ctx.settings.timezone)).strftime("%d.%m.%Y")
    ctx.reply(
        ctx.t("course-certificate", course=course.title.get(ctx.language), lessons=len(finished), score=score, date=local_date)
    )


# ---------------------------------------------------------------- daily lesson


@router.action("les:daily")
async def daily_settings(ctx: Context) -> None:
    daily = await lessons_repo.daily_lesson(ctx.session, ctx.user)
    status = ctx.t("daily-on", time=daily.local_time) if daily else ctx.t("daily-off")
    times = [Button(value, encode("les:dset", value.replace(":", ""))) for value in DAILY_TIMES]
    rows = [times[:3], times[3:]]
    if daily:
        rows.append([button(ctx, "daily-turn-off", "les:doff")])
    rows.append([button(ctx, "button-back", "les")])
    ctx.go("lessons.daily_time")
    ctx.reply(f"{status}\n\n{ctx.t('daily-choose')}", rows, edit=True)


@router.state("lessons.daily_time")
async def daily_time_typed(ctx: Context) -> None:
    match = re.fullmatch(r"\s*([01]?\d|2[0-3])[:.\s]([0-5]\d)\s*", ctx.incoming.text or "")
    if match is None:
        ctx.reply(ctx.t("daily-bad-time"))
        await daily_settings(ctx)
        return
    await _turn_on(ctx, int(match.group(1)), int(match.group(2)))


@router.action("les:dset", arity=1)
async def daily_time_chosen(ctx: Context, value: str) -> None:
    if not re.fullmatch(r"([01]\d|2[0-3])[0-5]\d", value):
        raise StaleAction(value)
    await _turn_on(ctx, int(value[:2]), int(value[2:]))


async def _turn_on(ctx: Context, hour: int, minute: int) -> None:
    local_time = f"{hour:02d}:{minute:02d}"
    await lessons_repo.set_daily_lesson(ctx.session, ctx.user, local_time, next_daily_time(local_time, ctx.now, ctx.settings.timezone))
    ctx.go(None)
    ctx.reply(ctx.t("daily-turned-on", time=local_time), [[button(ctx, "menu-lessons", "les")], back_home(ctx)], edit=True)


@router.action("les:doff")
async def daily_off(ctx: Context) -> None:
    await lessons_repo.stop_daily_lesson(ctx.session, ctx.user.id)
    ctx.go(None)
    ctx.reply(ctx.t("daily-turned-off"), [[button(ctx, "menu-lessons", "les")], back_home(ctx)], edit=True)


router.scheduled_action("daily-lesson", "les:send")


@router.action("les:send")
async def send_daily_card(ctx: Context) -> None:
    """The scheduler's update: today's card, where she stopped."""
    if not ctx.incoming.scheduled or ctx.user.language is None:
        raise StaleAction("the daily card comes from the scheduler")
    if not await _continue(ctx, daily=True):
        await lessons_repo.stop_daily_lesson(ctx.session, ctx.user.id)


# ---------------------------------------------------------------- figures for coordinators


@router.action("les:stats")
async def lesson_figures(ctx: Context) -> None:
    regions = staff_regions(ctx)
    lines = [ctx.t("stats-title")]
    for course in ctx.content.courses.values():
        overall, per_region = await lessons_repo.course_figures(ctx.session, course.id, regions)
        lines.append("")
        lines.append(f"{course.title.get(ctx.language)}: {_figures_text(ctx, overall)}")
        for figures in per_region:
            name = ctx.content.region_name(ctx.language, figures.region) if figures.region else ctx.t("region-none")
            lines.append(f"• {name}: {_figures_text(ctx, figures)}")
    await ctx.audit("lessons.figures", regions=["all"] if regions is None else regions)
    ctx.reply("\n".join(lines), [[button(ctx, "button-back", "coord")]], edit=True)


def shown_average(figures: lessons_repo.CourseFigures) -> int | None:
    """The average score in percent, or None where fewer than 3 people have a score: the chat's
    figures and the dashboard's both show it this way."""
    if figures.average_score is None or figures.scored_people < MIN_PEOPLE_FOR_AN_AVERAGE:
        return None
    return round(figures.average_score)


def _figures_text(ctx: Context, figures: lessons_repo.CourseFigures) -> str:
    average = shown_average(figures)
    score = ctx.t("stats-score-hidden") if average is None else f"{average}%"
    return ctx.t("stats-line", started=figures.started, finished=figures.finished, score=score)


# ---------------------------------------------------------------- helpers


def _course(ctx: Context, course_id: str) -> Course:
    course = ctx.content.courses.get(course_id)
    if course is None:
        raise StaleAction(course_id)
    return course


def _lesson(ctx: Context, course_id: str, lesson_id: str) -> tuple[Course, Lesson]:
    found = _find(ctx, course_id, lesson_id)
    if found is None:
        raise StaleAction(f"{course_id}/{lesson_id}")
    return found


def _find(ctx: Context, course_id: str, lesson_id: str) -> tuple[Course, Lesson] | None:
    course = ctx.content.courses.get(course_id)
    lesson = course.lesson(lesson_id) if course else None
    return (course, lesson) if course and lesson else None


def _index(value: str, size: int) -> int:
    if not value.isdecimal() or int(value) >= size:
        raise StaleAction(value)
    return int(value)


def _next_lesson(course: Course, lesson: Lesson) -> Lesson | None:
    position = course.lessons.index(lesson)
    return course.lessons[position + 1] if position + 1 < len(course.lessons) else None


def _link_action(link: Link, course: Course) -> str:
    if link.lesson:
        course_id, _, lesson_id = link.lesson.rpartition("/")
        return encode("les:l", course_id or course.id, lesson_id)
    return menu_action(link.menu or "legal")

