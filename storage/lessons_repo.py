"""Repository functions for lesson progress, course completions and daily lessons."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, distinct, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import CourseCompletion, DailyLesson, LessonProgress, User


async def progress(session: AsyncSession, user: User, course_id: str, lesson_id: str) -> LessonProgress:
    row = await session.get(LessonProgress, (user.id, course_id, lesson_id))
    if row is None:
        row = LessonProgress(user_id=user.id, course_id=course_id, lesson_id=lesson_id, card=0, question=0, correct=0)
        session.add(row)
    return row


async def all_progress(session: AsyncSession, user: User) -> list[LessonProgress]:
    rows = await session.scalars(select(LessonProgress).where(LessonProgress.user_id == user.id))
    return list(rows)


async def record_completion(session: AsyncSession, user: User, course_id: str, now: datetime) -> bool:
    """True the first time she finishes the course."""
    if await session.get(CourseCompletion, (user.id, course_id)) is not None:
        return False
    session.add(CourseCompletion(user_id=user.id, course_id=course_id, completed_at=now))
    return True


async def daily_lesson(session: AsyncSession, user: User) -> DailyLesson | None:
    return await session.get(DailyLesson, user.id)


async def set_daily_lesson(session: AsyncSession, user: User, local_time: str, next_at: datetime) -> None:
    row = await session.get(DailyLesson, user.id)
    if row is None:
        session.add(DailyLesson(user_id=user.id, local_time=local_time, next_at=next_at))
    else:
        row.local_time, row.next_at = local_time, next_at


async def stop_daily_lesson(session: AsyncSession, user_id: int) -> None:
    await session.execute(delete(DailyLesson).where(DailyLesson.user_id == user_id))


async def due_daily_lessons(session: AsyncSession, now: datetime, limit: int = 500) -> list[tuple[DailyLesson, User]]:
    rows = await session.execute(
        select(DailyLesson, User)
        .join(User, User.id == DailyLesson.user_id)
        .where(DailyLesson.next_at <= now, User.active.is_(True))
        .order_by(DailyLesson.next_at)
        .limit(limit)
    )
    return [(daily, user) for daily, user in rows.all()]


@dataclass(frozen=True)
class CourseFigures:
    region: str | None  # None: every region together
    started: int
    finished: int
    average_score: float | None
    scored_people: int


async def course_figures(
    session: AsyncSession, course_id: str, regions: list[str] | None
) -> tuple[CourseFigures, list[CourseFigures]]:
    """Started, finished and average score of one course, over all the given regions and per
    region. `regions` None means every region, and people without one. No row names anyone."""
    overall = (await _figures(session, course_id, regions, by_region=False)) or [CourseFigures(None, 0, 0, None, 0)]
    return overall[0], await _figures(session, course_id, regions, by_region=True)


async def _figures(
    session: AsyncSession, course_id: str, regions: list[str] | None, by_region: bool
) -> list[CourseFigures]:
    def shaped(query):  # type: ignore[no-untyped-def]
        if regions is not None:
            query = query.where(User.region.in_(regions))
        return query.add_columns(User.region).group_by(User.region) if by_region else query

    started = await session.execute(
        shaped(
            select(func.count(distinct(LessonProgress.user_id)))
            .join(User, User.id == LessonProgress.user_id)
            .where(LessonProgress.course_id == course_id)
        )
    )
    finished = await session.execute(
        shaped(
            select(func.count(CourseCompletion.user_id))
            .join(User, User.id == CourseCompletion.user_id)
            .where(CourseCompletion.course_id == course_id)
        )
    )
    scores = await session.execute(
        shaped(
            select(func.avg(LessonProgress.score), func.count(distinct(LessonProgress.user_id)))
            .join(User, User.id == LessonProgress.user_id)
            .where(LessonProgress.course_id == course_id, LessonProgress.score.is_not(None))
        )
    )
    key = (lambda row: row[-1]) if by_region else (lambda row: None)
    started_by = {key(row): row[0] for row in started.all()}
    finished_by = {key(row): row[0] for row in finished.all()}
    score_by = {key(row): (row[0], row[1]) for row in scores.all()}
    figures = []
    for region in sorted(set(started_by) | set(finished_by), key=lambda code: (code is None, code or "")):
        average, people = score_by.get(region, (None, 0))
        if started_by.get(region, 0) == 0 and finished_by.get(region, 0) == 0:
            continue
        figures.append(CourseFigures(region, started_by.get(region, 0), finished_by.get(region, 0), average, people))
    return figures
