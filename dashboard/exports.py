"""Exports of what the inbox shows: every report the filter in the address keeps (all its pages,
her regions only), as CSV or XLSX with a second header row of HXL hashtags, and the counts of the
same reports for analysts. Contact columns only for admins, as in the chat's export. The file's
name says who exported it and when; every export is written to the audit log."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession

from dashboard.filters import ViewFilter
from dashboard.inbox import reader, view_filter
from dashboard.web import AfterCommit, Visit, page
from handlers.reporting import Reader, category_label, export_headers, export_source, region_label
from storage import export, people_repo, reports_repo
from storage.models import Report

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
COUNT_COLUMNS = ("region", "month", "kind", "category", "status", "count")
COUNT_HXL = ("#adm1+name", "#date+reported", "#meta+kind", "#event+type", "#status", export.COUNT_HXL_TAG)


def add_routes(web_app: web.Application) -> None:
    web_app.router.add_get("/export.csv", export_csv)
    web_app.router.add_get("/export.xlsx", export_xlsx)
    web_app.router.add_get("/counts.csv", counts_csv)


@page("message.html")
async def export_csv(visit: Visit, session: AsyncSession) -> AfterCommit:
    return await _export(visit, session, "csv")


@page("message.html")
async def export_xlsx(visit: Visit, session: AsyncSession) -> AfterCommit:
    return await _export(visit, session, "xlsx")


@page("message.html")
async def counts_csv(visit: Visit, session: AsyncSession) -> web.StreamResponse:
    """How many reports the filter keeps per region, month received, kind, category and status."""
    wanted = view_filter(visit)
    found = await reports_repo.report_counts(session, visit.regions, wanted.for_query(visit.zone), Report.region,
                                             Report.kind, Report.category, Report.status, Report.created_at)
    counts: Counter[tuple[str | None, str, str, str | None, str]] = Counter()
    for region, kind, category, status, created, count in found:
        counts[(region, visit.local(created, "%Y-%m"), kind, category, status)] += count
    read = reader(visit)
    order = {code: index for index, code in enumerate(visit.app.content.regions)}
    body: list[list[str | int]] = [
        [region_label(read, region), month, visit.t(f"report-kind-{kind}"), category_label(read, None, category),
         visit.t(f"status-{status}"), count]
        for (region, month, kind, category, status), count in sorted(
            counts.items(), key=lambda item: (order.get(item[0][0] or "", len(order)), item[0][1], item[0][2],
                                              item[0][3] or "", item[0][4]))
    ]
    header = [visit.t(f"dashboard-counts-{key}") for key in COUNT_COLUMNS]
    await _audit(visit, session, "counts.csv", wanted, sum(counts.values()))
    return attachment(export.table_csv(header, body, COUNT_HXL), file_name(visit, "counts", "csv"), CONTENT_TYPES["csv"])


def file_name(visit: Visit, what: str, extension: str) -> str:
    """`tynchtyk-reports-20261201-1830-staff42.csv`: what, when (Bishkek time) and who."""
    assert visit.user is not None
    return f"tynchtyk-{what}-{visit.local(visit.now, '%Y%m%d-%H%M')}-staff{visit.user.id}.{extension}"


def attachment(body: bytes, name: str, content_type: str) -> web.Response:
    return web.Response(body=body, headers={"Content-Type": content_type,
                                            "Content-Disposition": f'attachment; filename="{name}"'})


def describe_filter(visit: Visit, read: Reader, wanted: ViewFilter) -> str:
    """The filter in her words: 'Region: Naryn region; Status: New'."""
    values = {
        "since": wanted.since.isoformat() if wanted.since else None,
        "until": wanted.until.isoformat() if wanted.until else None,
        "region": visit.region_name(wanted.region) if wanted.region else None,
        "category": category_label(read, None, wanted.category) if wanted.category else None,
        "status": visit.t(f"status-{wanted.status}") if wanted.status else None,
        "kind": visit.t(f"report-kind-{wanted.kind}") if wanted.kind else None,
    }
    parts = [f"{visit.t(f'dashboard-filter-{name}')}: {value}" for name, value in values.items() if value]
    return "; ".join(parts) if parts else visit.t("dashboard-export-no-filter")


async def _export(visit: Visit, session: AsyncSession, file_format: str) -> AfterCommit:
    """The file of the reports the filter keeps, made once the audit row is committed
    (`AfterCommit`): its rows decrypt every report, and a spreadsheet is built in a process of
    its own, neither of which may hold SQLite's write lock meanwhile. The audit says she asked
    for it, even if making it then fails."""
    wanted = view_filter(visit)
    found, _ = await reports_repo.find_reports(session, visit.regions, wanted=wanted.for_query(visit.zone))
    read = reader(visit)
    with_contacts = visit.is_admin
    source = await export_source(session, read, found, include_contact=with_contacts)
    headers = export_headers(read)
    await _audit(visit, session, file_format, wanted, len(found))
    name = file_name(visit, "reports", file_format)
    about = _about(visit, read, wanted, len(found), with_contacts)
    sheet_title, about_title, author = visit.t("reports-sheet-title"), visit.t("dashboard-export-about"), _exporter(visit)

    async def made() -> web.StreamResponse:
        rows = await source.rows()
        if file_format == "csv":
            return attachment(export.to_csv(rows, headers, with_contacts, hxl=True), name, CONTENT_TYPES["csv"])
        body = await export.built_apart(export.to_xlsx, rows, headers, with_contacts, sheet_title, hxl=True,
                                        about=about, about_title=about_title, author=author, created=visit.now)
        return attachment(body, name, CONTENT_TYPES["xlsx"])

    return AfterCommit(made)


def _about(visit: Visit, read: Reader, wanted: ViewFilter, count: int, with_contacts: bool) -> list[tuple[str, str]]:
    return [
        (visit.t("dashboard-export-by"), _exporter(visit)),
        (visit.t("dashboard-export-at"), f"{_moment(visit, visit.now)} ({visit.app.settings.timezone})"),
        (visit.t("dashboard-export-count"), str(count)),
        (visit.t("dashboard-export-filter"), describe_filter(visit, read, wanted)),
        (visit.t("dashboard-export-contacts"), visit.t("dashboard-export-yes" if with_contacts else "dashboard-export-no")),
        (visit.t("dashboard-export-hxl-row"), visit.t("dashboard-export-hxl")),
    ]


def _exporter(visit: Visit) -> str:
    assert visit.user is not None
    return visit.t("dashboard-export-staff", id=str(visit.user.id), role=str(visit.user.role))


def _moment(visit: Visit, moment: datetime) -> str:
    return visit.local(moment, "%Y-%m-%d %H:%M")


async def _audit(visit: Visit, session: AsyncSession, target: str, wanted: ViewFilter, count: int) -> None:
    regions = visit.regions if visit.regions is not None else ["all"]
    await people_repo.audit(session, visit.user, "report.export", target=target, count=count,
                            filter=wanted.as_query(), regions=regions, via="dashboard")
