"""Repository functions for drafts and reports."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, case, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from content.form_steps import FormDraft
from storage.crypto import Cipher
from storage.db import insert_for
from storage.models import Draft, Evidence, Report, ReportEvent, Role, User, hour_of

REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
ID_BATCH = 500  # ids per IN (...): well under SQLite's and PostgreSQL's limits on parameters


async def load_draft(session: AsyncSession, cipher: Cipher, user: User, form_id: str) -> FormDraft | None:
    row = await session.get(Draft, (user.id, form_id))
    return FormDraft.from_stored(cipher.decrypt_json(row.data)) if row is not None else None


async def save_draft(session: AsyncSession, cipher: Cipher, user: User, draft: FormDraft, now: datetime) -> None:
    """Her draft of the form, written by one statement (an INSERT that updates the one she has)."""
    statement = insert_for(session, Draft.__table__).values(
        user_id=user.id, form_id=draft.form, data=cipher.encrypt_json(draft.stored()), updated_at=hour_of(now)
    )
    await session.execute(statement.on_conflict_do_update(
        index_elements=["user_id", "form_id"],
        set_={"data": statement.excluded.data, "updated_at": statement.excluded.updated_at},
    ))


async def delete_draft(session: AsyncSession, user: User, form_id: str) -> None:
    await session.execute(delete(Draft).where(Draft.user_id == user.id, Draft.form_id == form_id))


async def new_reference(session: AsyncSession) -> str:
    while True:
        reference = "R-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))
        if await session.scalar(select(Report.id).where(Report.reference == reference)) is None:
            return reference


async def by_reference(session: AsyncSession, reference: str) -> Report | None:
    return await session.scalar(select(Report).where(Report.reference == reference.strip().upper()))


async def staff_for_region(session: AsyncSession, region: str | None) -> list[User]:
    """Active coordinators of the region, and every active admin."""
    rows = await session.scalars(
        select(User).where(User.active.is_(True), User.role.in_([Role.COORDINATOR, Role.ADMIN])).order_by(User.id)
    )
    return [user for user in rows if user.role == Role.ADMIN or (region and region in user.coordinator_regions)]


async def evidence_of(session: AsyncSession, report_id: int) -> list[Evidence]:
    return list(await session.scalars(select(Evidence).where(Evidence.report_id == report_id).order_by(Evidence.id)))


async def evidence_counts(session: AsyncSession, report_ids: list[int]) -> dict[int, int]:
    """How many evidence files each report has (reports without any are left out)."""
    counts: dict[int, int] = {}
    for start in range(0, len(report_ids), ID_BATCH):
        batch = report_ids[start:start + ID_BATCH]
        query = select(Evidence.report_id, func.count(Evidence.id)).where(Evidence.report_id.in_(batch)).group_by(Evidence.report_id)
        counts.update((report_id, count) for report_id, count in await session.execute(query))
    return counts


async def events_of(session: AsyncSession, report_id: int) -> list[ReportEvent]:
    return list(await session.scalars(select(ReportEvent).where(ReportEvent.report_id == report_id).order_by(ReportEvent.id)))


async def reports_of(session: AsyncSession, reporter_id: int) -> list[Report]:
    rows = await session.scalars(select(Report).where(Report.reporter_id == reporter_id).order_by(Report.created_at.desc()))
    return list(rows)


@dataclass(frozen=True)
class ReportFilter:
    """Which reports a view shows. The same filter drives the chat's list, the dashboard's inbox,
    map, charts and every export, so a file always holds what the screen showed."""

    status: str | None = None
    region: str | None = None
    category: str | None = None
    kind: str | None = None
    since: datetime | None = None  # created at or after
    until: datetime | None = None  # created before


def report_select(regions: list[str] | None, wanted: ReportFilter, *columns: Any) -> Select[Any]:
    """The reports she may see (`regions` None: all) that the filter keeps; access is part of the
    query, so no id typed into an address reaches another region's report."""
    query = select(*columns) if columns else select(Report)
    if regions is not None:
        query = query.where(Report.region.in_(regions))
    for column, value in ((Report.status, wanted.status), (Report.region, wanted.region),
                          (Report.category, wanted.category), (Report.kind, wanted.kind)):
        if value:
            query = query.where(column == value)
    if wanted.since:
        query = query.where(Report.created_at >= wanted.since)
    if wanted.until:
        query = query.where(Report.created_at < wanted.until)
    return query


async def find_reports(
    session: AsyncSession,
    regions: list[str] | None,
    status: str | None = None,
    region: str | None = None,
    category: str | None = None,
    since: datetime | None = None,
    offset: int = 0,
    limit: int | None = None,
    wanted: ReportFilter | None = None,
) -> tuple[list[Report], int]:
    """Reports a coordinator may see (`regions` None: all), newest first, with the total count."""
    wanted = wanted or ReportFilter(status=status, region=region, category=category, since=since)
    query = report_select(regions, wanted)
    total = await session.scalar(report_select(regions, wanted, func.count(Report.id))) or 0
    if limit == 0:
        return [], total
    query = query.order_by(Report.created_at.desc(), Report.id.desc()).offset(offset)
    if limit is not None:
        query = query.limit(limit)
    return list(await session.scalars(query)), total


async def report_counts(session: AsyncSession, regions: list[str] | None, wanted: ReportFilter, *by: Any) -> list[tuple[Any, ...]]:
    """How many reports the filter keeps per value of `by` (columns or expressions)."""
    query = report_select(regions, wanted, *by, func.count(Report.id)).group_by(*by)
    return [tuple(row) for row in await session.execute(query)]


async def report_for(session: AsyncSession, regions: list[str] | None, report_id: int) -> Report | None:
    """One report, only if she may see it."""
    query = report_select(regions, ReportFilter()).where(Report.id == report_id)
    return await session.scalar(query)


async def claim_version(session: AsyncSession, report: Report, seen: int) -> bool:
    """Raise the report's version if it is still the one her page showed; False when someone
    changed it since. One conditional UPDATE, so two changes at once cannot both pass."""
    done = await session.execute(
        update(Report).where(Report.id == report.id, Report.version == seen).values(version=seen + 1)
        .execution_options(synchronize_session=False)
    )
    if not done.rowcount:
        await session.refresh(report)
        return False
    report.version = seen + 1
    return True


async def bump_version(session: AsyncSession, report: Report) -> None:
    """A change made where no page's version is known (the chat): later pages see it as new."""
    await session.execute(update(Report).where(Report.id == report.id).values(version=Report.version + 1)
                          .execution_options(synchronize_session=False))
    await session.refresh(report, ["version"])


async def report_counts_per_period(session: AsyncSession, regions: list[str] | None, wanted: ReportFilter,
                                   bounds: list[datetime]) -> list[int]:
    """How many reports the filter keeps in each period from one bound to the next (created at or
    after the first, before the second): one query, the same on every database, with the bounds
    given in the bot's time zone so that a month is her month."""
    if len(bounds) < 2:
        return []
    columns = [func.count(case((and_(Report.created_at >= start, Report.created_at < end), Report.id)))
               for start, end in zip(bounds, bounds[1:])]
    row = (await session.execute(report_select(regions, wanted, *columns))).one()
    return [int(value or 0) for value in row]


async def answers_of_kind(session: AsyncSession, regions: list[str] | None, wanted: ReportFilter, kind: str,
                          limit: int) -> tuple[list[tuple[str, str | None, str | None, bytes]], int]:
    """The encrypted answers of the newest `limit` reports of one kind the filter keeps, as
    (form, category, region, answers), and how many the filter keeps in all."""
    query = report_select(regions, wanted, Report.form_id, Report.category, Report.region, Report.answers)
    query = query.where(Report.kind == kind).order_by(Report.created_at.desc(), Report.id.desc()).limit(limit)
    total = await session.scalar(report_select(regions, wanted, func.count(Report.id)).where(Report.kind == kind)) or 0
    rows = [(form, category, region, answers) for form, category, region, answers in await session.execute(query)]
    return rows, total
