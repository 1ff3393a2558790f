"""The inbox: the reports of her regions (an admin: all), newest first, with the filter that also
drives the map, the charts and the exports."""

from __future__ import annotations

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession

from dashboard.filters import KINDS, STATUSES, ViewFilter
from dashboard.web import Visit, page
from handlers.reporting import Reader, categories, category_label
from storage import reports_repo

PAGE_SIZE = 50


def add_routes(web_app: web.Application) -> None:
    web_app.router.add_get("/", inbox_page)


def view_filter(visit: Visit) -> ViewFilter:
    return ViewFilter.read(visit.request.query, visit.app.content, visit.regions)


def reader(visit: Visit) -> Reader:
    return Reader(visit.app.content, visit.app.cipher, visit.language)


def filter_choices(visit: Visit) -> dict[str, list[tuple[str, str]]]:
    """The values each filter offers her: only her regions."""
    content, allowed = visit.app.content, visit.regions
    return {
        "region": [(code, content.region_name(visit.language, code)) for code in content.regions
                   if allowed is None or code in allowed],
        "category": categories(reader(visit)),
        "status": [(status, visit.t(f"status-{status}")) for status in STATUSES],
        "kind": [(kind, visit.t(f"report-kind-{kind}")) for kind in KINDS],
    }


def taken_by(visit: Visit, user_id: int | None) -> str:
    """Who took a report: staff are named by their number in the bot (the staff list shows it)."""
    if user_id is None:
        return "—"
    return visit.t("dashboard-taken-by-you") if visit.user and visit.user.id == user_id else f"#{user_id}"


@page("inbox.html")
async def inbox_page(visit: Visit, session: AsyncSession) -> dict[str, object]:
    wanted = view_filter(visit)
    number = int(visit.request.query.get("page", "1")) if visit.request.query.get("page", "1").isdecimal() else 1
    number = max(1, number)
    found, total = await reports_repo.find_reports(
        session, visit.regions, wanted=wanted.for_query(visit.zone), offset=(number - 1) * PAGE_SIZE, limit=PAGE_SIZE)
    ids = [report.id for report in found]
    files = await reports_repo.evidence_counts(session, ids)
    read = reader(visit)
    rows = [
        {
            "id": report.id, "reference": report.reference, "status": report.status,
            "status_label": visit.t(f"status-{report.status}"),
            "category": category_label(read, visit.app.content.forms.get(report.form_id), report.category),
            "region": visit.region_name(report.region), "kind": visit.t(f"report-kind-{report.kind}"),
            "created": visit.local(report.created_at, "%d.%m.%Y"), "evidence": files.get(report.id, 0),
            "taken_by": taken_by(visit, report.assigned_to),
        }
        for report in found
    ]
    pages = max(1, -(-total // PAGE_SIZE))
    return {
        "filter": wanted, "choices": filter_choices(visit), "rows": rows, "total": total,
        "page_number": number, "pages": pages,
    }
